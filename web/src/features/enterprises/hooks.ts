import { useQuery } from '@tanstack/react-query'
import { sizeBands } from '../../../../common/codes'
import { api } from '../../api/client'
import { useRootOrgs } from '../../app/current-org'

/** The division the caller may register enterprises in: that of their top union. */
export function useScopeRegion(): string | undefined {
  const roots = useRootOrgs()
  return roots.data?.items[0]?.regionCode
}

const countOf = async (q: Parameters<typeof api.enterprises>[0]) => (await api.enterprises({ ...q, page: 1, pageSize: 1 })).total

/** Counts for the head of the 应建未建 list: by coverage and by size band (the API has no grouped count, so one small call each). */
export function useDueSummary(org: number | undefined) {
  return useQuery({
    queryKey: ['due-summary', org],
    queryFn: async () => {
      const base = { org, shouldHaveUnion: true }
      const [total, none, joint, ...bands] = await Promise.all([
        countOf(base),
        countOf({ ...base, coverage: 'none' }),
        countOf({ ...base, coverage: 'joint' }),
        ...sizeBands.map((b) => countOf({ ...base, sizeBand: b.code })),
      ])
      return { total, none, joint, bands: sizeBands.map((b, i) => ({ code: b.code, label: b.label, count: bands[i] })) }
    },
  })
}
