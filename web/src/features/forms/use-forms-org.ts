import { useUser } from '../auth/auth-context'
import { useCurrentOrg } from '../../app/current-org'

/** The organization the forms are for: the one chosen in the tree, else the caller's own union. */
export function useFormsOrg(): { id: number; name: string } | null {
  const { current } = useCurrentOrg()
  const user = useUser()
  if (current) return { id: current.id, name: current.name }
  return user.orgId ? { id: user.orgId, name: user.orgName ?? '本单位' } : null
}
