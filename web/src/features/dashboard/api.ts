import { keepPreviousData, useQuery } from '@tanstack/react-query'
import type { OrgDetail } from '../../../../common/api'
import type { StatsPanel, StatsPeriod, StatsRanking, StatsSeries } from '../../../../common/stats'
import { api, get } from '../../api/client'
import { dashPaths, type DashParams, type Hierarchy } from './paths'

export { dashPaths, type DashParams, type Hierarchy }

export interface DueSummary {
  total: number
  workers: number
  bySizeBand: { code: string; label: string; count: number }[]
  byReason: { code: string; label: string; count: number }[]
}

export interface JointUnionItem {
  id: number
  code: string
  name: string
  parentName: string | null
  orgForm: string
  jointScope: string | null
  jointCategory: string | null
  foundedOn: string | null
  members: number
  enterprises: number
  employees: number
  unionWorkers: number
}

export const statsApi = {
  panel: (p: DashParams) => get<StatsPanel>(dashPaths.panel(p)),
  ranking: (p: DashParams, indicator: string) => get<StatsRanking>(dashPaths.ranking(p, indicator)),
  series: (p: DashParams, from: string) => get<StatsSeries>(dashPaths.series(p, from)),
  period: (p: DashParams, kind: 'year' | 'quarter' | 'month') => get<StatsPeriod>(dashPaths.period(p, kind)),
  due: (org: number) => get<DueSummary>(dashPaths.due(org)),
  jointUnions: (org: number, h: Hierarchy, category?: string) =>
    get<{ items: JointUnionItem[] }>('/stats/joint-unions', { org, hierarchy: h, category }),
}

/** Wall screens refresh on their own; the desk view when the window regains focus is enough. */
const live = (wall: boolean) => ({ refetchInterval: wall ? 60_000 : (false as const), placeholderData: keepPreviousData })

export function usePanel(p: DashParams, wall: boolean) {
  return useQuery({ queryKey: ['dash', 'panel', p], queryFn: () => statsApi.panel(p), ...live(wall) })
}
export function useRanking(p: DashParams, indicator: string, wall: boolean) {
  return useQuery({ queryKey: ['dash', 'ranking', p, indicator], queryFn: () => statsApi.ranking(p, indicator), ...live(wall) })
}
export function useSeries(p: DashParams, from: string, wall: boolean) {
  return useQuery({ queryKey: ['dash', 'series', p, from], queryFn: () => statsApi.series(p, from), ...live(wall) })
}
export function usePeriod(p: DashParams, wall: boolean) {
  return useQuery({ queryKey: ['dash', 'period', p], queryFn: () => statsApi.period(p, 'year'), ...live(wall) })
}
export function useDue(org: number | undefined, wall: boolean) {
  return useQuery({ queryKey: ['dash', 'due', org], queryFn: () => statsApi.due(org!), enabled: !!org, ...live(wall) })
}
export function useJointUnions(org: number | undefined, h: Hierarchy, category: string | undefined, open: boolean) {
  return useQuery({
    queryKey: ['dash', 'joint', org, h, category],
    queryFn: () => statsApi.jointUnions(org!, h, category),
    enabled: !!org && open,
  })
}
/** Name and ancestors of the organization shown (for the breadcrumb and the union tree). */
export function useOrgDetail(id: number | undefined) {
  return useQuery<OrgDetail>({ queryKey: ['org', id], queryFn: () => api.org(id!), enabled: !!id, staleTime: 60_000 })
}
