import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import type { UserView } from '../../../../common/api'
import { isAdminRole } from '../../../../common/codes'
import { api, setCsrfToken, setUnauthorizedHandler } from '../../api/client'
import { feedback } from '../../components/feedback'
import { dropPrefetched } from '../../boot'

interface AuthState {
  /** undefined while the session is being restored */
  user: UserView | null | undefined
  login: (username: string, password: string) => Promise<UserView>
  logout: () => Promise<void>
  /** the password was changed: the session may do everything again */
  passwordChanged: () => void
}

const AuthContext = createContext<AuthState | null>(null)

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<UserView | null | undefined>(undefined)
  const queryClient = useQueryClient()

  useEffect(() => {
    let alive = true
    api.me().then(
      (r) => {
        if (!alive) return
        setCsrfToken(r.csrfToken)
        setUser(r.user)
      },
      () => alive && setUser(null),
    )
    setUnauthorizedHandler(() => {
      feedback.message.warning({ key: 'session', content: '登录已过期，请重新登录' })
      setCsrfToken(null)
      dropPrefetched()
      queryClient.clear()
      setUser(null)
    })
    return () => {
      alive = false
      setUnauthorizedHandler(null)
    }
  }, [queryClient])

  const login = useCallback(
    async (username: string, password: string) => {
      const r = await api.login(username, password)
      setCsrfToken(r.csrfToken)
      dropPrefetched()
      queryClient.clear()
      const u = { ...r.user, mustChangePassword: r.mustChangePassword }
      setUser(u)
      return u
    },
    [queryClient],
  )

  const logout = useCallback(async () => {
    try {
      await api.logout()
    } finally {
      setCsrfToken(null)
      dropPrefetched()
      queryClient.clear()
      setUser(null)
    }
  }, [queryClient])

  const passwordChanged = useCallback(() => setUser((u) => (u ? { ...u, mustChangePassword: false } : u)), [])

  const value = useMemo(() => ({ user, login, logout, passwordChanged }), [user, login, logout, passwordChanged])
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext)
  if (!ctx) throw new Error('useAuth outside AuthProvider')
  return ctx
}

/** The signed-in user; only for pages behind the login gate. */
export function useUser(): UserView {
  const { user } = useAuth()
  if (!user) throw new Error('useUser without a session')
  return user
}

export const isSystemUser = (u: UserView) => u.roles.some(isAdminRole)
export const canWrite = (u: UserView) => u.roles.includes('org_admin')
export const canReveal = (u: UserView) => u.roles.includes('org_admin')
