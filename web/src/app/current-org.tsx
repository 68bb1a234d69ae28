import { createContext, useContext, useMemo, useState, type ReactNode } from 'react'
import { useQuery } from '@tanstack/react-query'
import { api } from '../api/client'

/*
 * The app shell's state of where the user works: the top of their jurisdiction and the union chosen
 * in the tree. Features read it from here (orgs and enterprises both do, so neither imports the other for it).
 */

export interface OrgRef {
  id: number
  name: string
  regionCode?: string
  /** ancestor ids from the top, used by the tree to expand down to the node */
  ancestorIds?: number[]
}

interface CurrentOrgState {
  current: OrgRef | null
  setCurrent: (o: OrgRef | null) => void
}

const Ctx = createContext<CurrentOrgState | null>(null)

/** The organization chosen in the tree; the enterprise pages default to its subtree. */
export function CurrentOrgProvider({ children }: { children: ReactNode }) {
  const [current, setCurrent] = useState<OrgRef | null>(null)
  const value = useMemo(() => ({ current, setCurrent }), [current])
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>
}

export function useCurrentOrg(): CurrentOrgState {
  const c = useContext(Ctx)
  if (!c) throw new Error('useCurrentOrg outside CurrentOrgProvider')
  return c
}

/** The top of the caller's jurisdiction (a town cadre: their town union). */
export function useRootOrgs() {
  return useQuery({ queryKey: ['orgs', 'roots'], queryFn: () => api.orgs({}), staleTime: 60_000 })
}
