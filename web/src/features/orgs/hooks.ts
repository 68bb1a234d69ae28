import { useQuery, useQueryClient } from '@tanstack/react-query'
import { api, type OrgListQuery } from '../../api/client'

export function useOrg(id: number | undefined) {
  return useQuery({ queryKey: ['org', id], queryFn: () => api.org(id!), enabled: !!id })
}

export function useOrgList(q: OrgListQuery, enabled = true) {
  return useQuery({ queryKey: ['orgs', 'list', q], queryFn: () => api.orgs(q), enabled, placeholderData: (prev) => prev })
}

/** After a change to the organization tree: refresh details, lists, the tree and the enterprise lists. */
export function useRefreshOrgs() {
  const qc = useQueryClient()
  return () => {
    void qc.invalidateQueries({ queryKey: ['org'] })
    void qc.invalidateQueries({ queryKey: ['orgs'] })
    void qc.invalidateQueries({ queryKey: ['enterprises'] })
    window.dispatchEvent(new Event('orgs-changed'))
  }
}
