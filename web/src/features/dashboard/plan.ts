import { useQuery } from '@tanstack/react-query'
import type { Page } from '../../../../common/api'
import type { PlanProgress, PlanSummary } from '../../../../common/plans'
import { get } from '../../api/client'
import type { Targets } from './kpi'
import { dashPaths } from './paths'

/**
 * The plan in force for a region on a date: among the plans of the region and of the unions
 * above it whose period contains the date, the one set nearest to the region (its own, then its
 * parent's …); `chosen` overrides.
 */
export function pickPlan(plans: PlanSummary[], asOf: string, chain: number[], chosen?: number): PlanSummary | undefined {
  if (chosen) return plans.find((p) => p.id === chosen)
  const inForce = plans.filter((p) => p.startOn <= asOf && asOf <= p.endOn)
  const depth = (p: PlanSummary) => chain.indexOf(p.org.id)
  return inForce.filter((p) => depth(p) >= 0).sort((a, b) => depth(b) - depth(a) || b.startOn.localeCompare(a.startOn))[0]
}

export function usePlans(org: number | undefined) {
  return useQuery({
    queryKey: ['dash', 'plans', org],
    queryFn: () => get<Page<PlanSummary>>(dashPaths.plans(org!)),
    enabled: !!org,
    staleTime: 60_000,
    retry: false,
  })
}

export function usePlanProgress(plan: number | undefined, org: number | undefined, asOf: string | undefined) {
  return useQuery({
    queryKey: ['dash', 'plan-progress', plan, org, asOf],
    queryFn: () => get<PlanProgress>(`/plans/${plan}/progress`, { org, asOf }),
    enabled: !!plan && !!org,
    retry: false,
  })
}

export function targetsOf(p: PlanProgress | undefined): Targets {
  const m: Targets = new Map()
  for (const t of p?.own ?? []) {
    m.set(t.key, { key: t.key, kind: t.kind, target: t.target, expected: t.expected, status: t.status })
  }
  return m
}
