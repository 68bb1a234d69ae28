import { toQueryString } from '../../boot'
import { monthsBack, today } from './format'

/*
 * What the dashboard asks first, as pure functions of its URL: the page (api.ts) and main.tsx, which
 * starts these requests before the app has loaded (boot.ts), build the same paths. Nothing heavy here:
 * this module is part of the entry chunk.
 */

export type Hierarchy = 'geo' | 'industry'

/** What a dashboard shows: one organization's subtree on one date, in one hierarchy. */
export interface DashParams {
  org?: number
  asOf?: string
  h: Hierarchy
}

const num = (s: string | null) => (s && /^\d+$/.test(s) ? Number(s) : undefined)

/** The dashboard's view from its URL (`?org=&asOf=&h=&ind=`). */
export function dashParamsOf(sp: URLSearchParams): { params: DashParams; indicator: string; seriesFrom: string } {
  const params: DashParams = {
    org: num(sp.get('org')),
    asOf: sp.get('asOf') ?? undefined,
    h: sp.get('h') === 'industry' ? 'industry' : 'geo',
  }
  return { params, indicator: sp.get('ind') ?? 'member_rate', seriesFrom: monthsBack(params.asOf ?? today(), 24) }
}

/** The paths of the dashboard's first calls (main.tsx starts them before the app has loaded, see boot.ts). */
export const dashPaths = {
  panel: (p: DashParams) => `/stats/panel${toQueryString({ org: p.org, asOf: p.asOf, hierarchy: p.h })}`,
  ranking: (p: DashParams, indicator: string) => `/stats/ranking${toQueryString({ org: p.org, asOf: p.asOf, hierarchy: p.h, indicator })}`,
  series: (p: DashParams, from: string) =>
    `/stats/series${toQueryString({ org: p.org, to: p.asOf, hierarchy: p.h, grain: 'month', from })}`,
  period: (p: DashParams, kind: 'year' | 'quarter' | 'month') =>
    `/stats/period${toQueryString({ org: p.org, date: p.asOf, hierarchy: p.h, kind })}`,
  due: (org: number) => `/enterprises/due-summary${toQueryString({ org })}`,
  plans: (org: number) => `/plans${toQueryString({ org, pageSize: 100 })}`,
}
