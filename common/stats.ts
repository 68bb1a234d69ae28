/**
 * The indicators: what each figure counts, as numerator ÷ denominator of stored metrics.
 * One definition for the server (which computes them), the web app (which labels them) and
 * docs/INDICATORS.md (which explains them). Metric names are those of 0006_stats.sql.
 */
import { z } from 'zod'
import './zod-zh.js'
import { zAsOf, zId, zRef } from './api.js'

/** The unit categories of the 建会率 / 入会率 targets (Hangzhou 2024-2026). */
export const unitCategories = [
  {
    code: 'np25',
    label: '25人以上非公企业',
    rateBasis: 'own',
    note: '非公有制企业、外商投资企业、个体工商户，职工25人以上；应单独建会，只计单独建会',
  },
  { code: 'npsmall', label: '25人以下非公企业', rateBasis: 'covered', note: '职工不足25人；单独建会或联合建会（覆盖）均计' },
  { code: 'public', label: '机关、事业单位、国有企业', rateBasis: 'covered', note: '单位性质为机关、事业单位、国有企业' },
  { code: 'abovescale', label: '规上工业企业', rateBasis: 'covered', note: '规模以上工业企业' },
  { code: 'social', label: '社会组织', rateBasis: 'covered', note: '单位性质为社会组织' },
  { code: 'all', label: '全部单位', rateBasis: 'covered', note: '名录中的全部用人单位' },
] as const
export type UnitCategory = (typeof unitCategories)[number]['code']

/** The four key 新就业形态 groups; `workforce` names what their denominator counts. */
export const newEmploymentGroups = [
  { code: 'truck_driver', label: '货车司机', workforce: '从业人数' },
  { code: 'courier', label: '快递员', workforce: '从业人数' },
  { code: 'ride_hailing', label: '网约车司机', workforce: '日活跃人数' },
  { code: 'food_delivery', label: '外卖配送员', workforce: '日活跃人数' },
] as const
export type NewEmploymentGroup = (typeof newEmploymentGroups)[number]['code']

/** 职工入会率's denominator: workers of units with a union (national statistics) or all workers. */
export const memberRateBases = [
  { code: 'covered', label: '已建会单位职工数', note: '分母为已建会（含联合建会）单位的职工人数（全国工会统计口径）' },
  { code: 'all', label: '全部职工数', note: '分母为名录中全部用人单位的职工人数' },
] as const
export type MemberRateBasis = (typeof memberRateBases)[number]['code']

export type IndicatorGroup = 'org' | 'member' | 'union_rate' | 'member_rate' | 'new_employment' | 'quality' | 'flow' | 'activity'

/**
 * 活动与建议 (issue 11): the indicators of activities and proposals, counted over the calendar year
 * of the date read (1 January to that date). Metric names are those of 0024_participation_stats.sql.
 * `goal`: the share the pilot sites set (at least half of the activities from members' own
 * suggestions), in percent.
 */
export const activityIndicators = {
  activities: { label: '活动开展数' },
  attendances: { label: '活动参与人次' },
  participation_rate: { label: '会员参与率' },
  member_origin_rate: { label: '会员提议活动占比', goal: 50 },
  rating: { label: '活动平均评分' },
  'proposals.received': { label: '收到建议' },
  'proposals.planned': { label: '建议进入工作计划' },
  'proposals.done': { label: '建议已办结' },
  'proposals.late': { label: '建议逾期答复' },
} as const
export type ActivityIndicator = keyof typeof activityIndicators
/** Indicators whose numerator ÷ denominator is a mean (points per rating), not a share: shown as a number. */
export const averageIndicators: readonly string[] = ['rating']

/** The year-flows of 0024 (the participants' metric is per year by name: act.participants.YYYY). */
export const activityMetrics = [
  'act.held',
  'act.member_origin',
  'act.attended',
  'act.rating.sum',
  'act.rating.count',
  'prop.received',
  'prop.planned',
  'prop.answered',
  'prop.accepted',
  'prop.late',
  'prop.done',
] as const

/** One figure as stored: a numerator and, for rates, a denominator (never a bare percentage). */
export interface Ratio {
  key: string
  label: string
  group: IndicatorGroup
  numerator: number
  /** null for a count */
  denominator: number | null
  /** what the figure counts, in words (the definition, or the basis chosen) */
  note?: string
}

export function rateOf(r: Pick<Ratio, 'numerator' | 'denominator'>): number | null {
  return r.denominator ? r.numerator / r.denominator : null
}

export const zHierarchy = z.enum(['geo', 'industry'], { error: () => '层级应为 geo（行政区域）或 industry（产业）' }).default('geo')
export const zPeriodKind = z.enum(['year', 'quarter', 'month'], { error: () => '周期应为 year、quarter 或 month' })
export type PeriodKind = z.infer<typeof zPeriodKind>

export const statsPanelQuery = z.object({
  org: zId.optional(),
  asOf: zAsOf.optional(),
  hierarchy: zHierarchy,
})
export const statsRankingQuery = z.object({
  org: zId.optional(),
  asOf: zAsOf.optional(),
  hierarchy: zHierarchy,
  indicator: z.string().trim().min(1).max(60).default('member_rate'),
})
export const statsSeriesQuery = z.object({
  org: zId.optional(),
  hierarchy: zHierarchy,
  from: zAsOf.optional(),
  to: zAsOf.optional(),
  grain: z.enum(['month', 'quarter', 'year']).default('month'),
})
export const statsPeriodQuery = z.object({
  org: zId.optional(),
  hierarchy: zHierarchy,
  kind: zPeriodKind.default('year'),
  /** any date inside the period */
  date: zAsOf.optional(),
})
export const statsSettingsBody = z.object({
  memberRateBasis: z.enum(['covered', 'all'], { error: () => '职工入会率分母应为 covered 或 all' }),
})
export const workforceBody = z.object({
  orgId: zRef,
  platformName: z.string().trim().min(1, '请填写平台名称').max(100),
  occupation: z.enum(['truck_driver', 'courier', 'ride_hailing', 'food_delivery'], {
    error: () => '群体应为货车司机、快递员、网约车司机或外卖配送员',
  }),
  workers: z.number().int().min(0, '人数不能为负').max(10_000_000),
  asOf: zAsOf,
  note: z.string().trim().max(200).optional(),
})
export const workforceListQuery = z.object({ org: zId.optional() })

export interface OrgRef {
  id: number
  code: string
  name: string
  path?: string
}

export interface StatsPanel {
  org: OrgRef
  asOf: string
  hierarchy: 'geo' | 'industry'
  memberRateBasis: MemberRateBasis
  indicators: Ratio[]
  /** 联合工会 by type (the rows of 附件1) */
  jointByCategory: {
    category: string
    label: string
    committees: number
    federations: number
    members: number
    employees: number
    enterprises: number
    workers: number
  }[]
  jointByScope: { scope: string; label: string; count: number }[]
}

export interface RankingRow {
  org: OrgRef
  numerator: number
  denominator: number | null
  rate: number | null
  rank: number
  lagging: boolean
}
export interface StatsRanking {
  org: OrgRef
  asOf: string
  indicator: { key: string; label: string }
  rows: RankingRow[]
  laggingRule: string
}
export interface SeriesPoint {
  date: string
  members: number
  joined: number
  left: number
  unions: number
}
export interface StatsSeries {
  org: OrgRef
  grain: string
  points: SeriesPoint[]
}
export interface PeriodFigure {
  key: string
  label: string
  current: number
  previous: number
  change: number
  changeRate: number | null
}
export interface StatsPeriod {
  org: OrgRef
  kind: PeriodKind
  current: { from: string; to: string }
  previous: { from: string; to: string }
  figures: PeriodFigure[]
}
export interface WorkforceView {
  id: number
  orgId: number
  orgName: string
  platformName: string
  occupation: string
  workers: number
  asOf: string
  note: string | null
}
