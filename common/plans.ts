/**
 * Plans and targets (计划与目标): what can be targeted, the API schemas and the views.
 * Count targets are flows over the plan period (new unions, joint unions, members) and are split
 * among sub-regions; rate targets are thresholds on the indicators of common/stats.ts and apply to
 * every region. Rates stay numerator ÷ denominator; only the threshold is a percentage.
 */
import { z } from 'zod'
import './zod-zh.js'
import { dateField, zDate, zId, zRef } from './api.js'

/** plans are made for the years 2000 to 2100 */
const zPlanDate = dateField('2000-01-01', '2100-12-31')
import type { OrgRef } from './stats.js'

export type TargetKind = 'count' | 'rate'

export interface TargetDef {
  key: string
  kind: TargetKind
  label: string
  /** short column title (附件3: 联合工会数, 会员发展数) */
  short: string
  unit: string
  note: string
}

/** Every target a plan can set. Rate keys are the indicator keys of common/stats.ts (`indicatorsOf`). */
export const targetDefs: TargetDef[] = [
  {
    key: 'new.unions',
    kind: 'count',
    label: '新建基层工会数',
    short: '基层工会数',
    unit: '家',
    note: '计划期内成立的基层工会（单独建会与联合工会），按成立日期',
  },
  {
    key: 'new.unions.joint',
    kind: 'count',
    label: '新建联合工会数',
    short: '联合工会数',
    unit: '家',
    note: '计划期内成立的联合工会委员会与工会联合会，按成立日期',
  },
  {
    key: 'new.members',
    kind: 'count',
    label: '新发展会员数',
    short: '会员发展数',
    unit: '人',
    note: '计划期内新入会的会员（会籍台账“入会”），按入会日期',
  },
  {
    key: 'union_rate.np25',
    kind: 'rate',
    label: '25人以上非公企业建会率',
    short: '25人以上非公企业建会率',
    unit: '%',
    note: '只计单独建会',
  },
  {
    key: 'union_rate.npsmall',
    kind: 'rate',
    label: '25人以下非公企业建会（覆盖）率',
    short: '25人以下非公企业覆盖率',
    unit: '%',
    note: '单独建会或联合建会均计',
  },
  { key: 'union_rate.public', kind: 'rate', label: '机关、事业单位、国有企业建会率', short: '机关事业国企建会率', unit: '%', note: '' },
  {
    key: 'member_rate.public',
    kind: 'rate',
    label: '机关、事业单位、国有企业职工入会率',
    short: '机关事业国企入会率',
    unit: '%',
    note: '',
  },
  { key: 'union_rate.abovescale', kind: 'rate', label: '规上工业企业建会率', short: '规上工业建会率', unit: '%', note: '' },
  { key: 'member_rate.abovescale', kind: 'rate', label: '规上工业企业职工入会率', short: '规上工业入会率', unit: '%', note: '' },
  { key: 'union_rate.social', kind: 'rate', label: '社会组织建会率', short: '社会组织建会率', unit: '%', note: '' },
  { key: 'member_rate.social', kind: 'rate', label: '社会组织职工入会率', short: '社会组织入会率', unit: '%', note: '' },
  {
    key: 'union_rate.all',
    kind: 'rate',
    label: '工会覆盖率（全部单位建会率）',
    short: '工会覆盖率',
    unit: '%',
    note: '名录中全部用人单位，单独或联合建会',
  },
  { key: 'member_rate', kind: 'rate', label: '职工入会率', short: '职工入会率', unit: '%', note: '分母按统计口径设置' },
  { key: 'ne_rate', kind: 'rate', label: '新就业形态四类群体总体入会率', short: '新就业形态入会率', unit: '%', note: '' },
  { key: 'ne_rate.truck_driver', kind: 'rate', label: '货车司机入会率', short: '货车司机入会率', unit: '%', note: '' },
  { key: 'ne_rate.courier', kind: 'rate', label: '快递员入会率', short: '快递员入会率', unit: '%', note: '' },
  {
    key: 'ne_rate.ride_hailing',
    kind: 'rate',
    label: '网约车司机入会率（日活跃数）',
    short: '网约车司机入会率',
    unit: '%',
    note: '分母为日活跃人数',
  },
  {
    key: 'ne_rate.food_delivery',
    kind: 'rate',
    label: '外卖配送员入会率（日活跃数）',
    short: '外卖配送员入会率',
    unit: '%',
    note: '分母为日活跃人数',
  },
  { key: 'realname_rate', kind: 'rate', label: '实名制录入率', short: '实名制录入率', unit: '%', note: '' },
  {
    key: 'growth.members.ne',
    kind: 'rate',
    label: '新就业形态会员年增长率',
    short: '新就业形态会员增长率',
    unit: '%',
    note: '截止日的新就业形态会员数比一年前增加的比例',
  },
]
export const targetDef = (key: string) => targetDefs.find((t) => t.key === key)

/** Progress status of one target in one region. */
export const targetStatuses = [
  { code: 'met', label: '达标', color: 'green' },
  { code: 'unmet', label: '未达标', color: 'orange' },
  { code: 'behind', label: '进度滞后', color: 'red' },
  { code: 'none', label: '未分解', color: 'default' },
  { code: 'nodata', label: '无数据', color: 'default' },
] as const
export type TargetStatus = (typeof targetStatuses)[number]['code']
export const statusLabel = (s: TargetStatus) => targetStatuses.find((x) => x.code === s)!.label

const zPercent = (what: string) => z.number({ error: () => `${what}应为数字` })

export const planTargetInput = z.object({
  key: z.string().trim().min(1, '请选择指标').max(60),
  value: z
    .number({ error: () => '目标值应为数字' })
    .positive('目标值应大于0')
    .max(100_000_000, '目标值过大'),
  note: z.string().trim().max(200).optional().nullable(),
})
export const planMilestoneInput = z.object({
  dueOn: zPlanDate,
  share: zPercent('完成比例').gt(0, '完成比例应大于0').max(100, '完成比例不能超过100%'),
  label: z.string().trim().max(60).optional().nullable(),
})

/** The checks a plan must pass, shared by the server and the editor (messages name the field). */
function checkPlan(
  p: { startOn?: string; endOn?: string; targets?: { key: string; value: number }[]; milestones?: { dueOn: string; share: number }[] },
  ctx: z.RefinementCtx,
) {
  if (p.startOn && p.endOn && p.endOn < p.startOn)
    ctx.addIssue({ code: 'custom', path: ['endOn'], message: `结束日期（${p.endOn}）不能早于开始日期（${p.startOn}）` })
  const seen = new Set<string>()
  p.targets?.forEach((t, i) => {
    const def = targetDef(t.key)
    if (!def) ctx.addIssue({ code: 'custom', path: ['targets', i, 'key'], message: `没有“${t.key}”这项指标` })
    else if (def.kind === 'rate' && t.value > 100)
      ctx.addIssue({ code: 'custom', path: ['targets', i, 'value'], message: `${def.label}的目标值为百分比，不能超过100%` })
    else if (def.kind === 'count' && !Number.isInteger(t.value))
      ctx.addIssue({ code: 'custom', path: ['targets', i, 'value'], message: `${def.label}的目标值应为整数` })
    if (seen.has(t.key)) ctx.addIssue({ code: 'custom', path: ['targets', i, 'key'], message: `指标“${def?.label ?? t.key}”重复` })
    seen.add(t.key)
  })
  let prev: { dueOn: string; share: number } | undefined
  const dates = new Set<string>()
  p.milestones?.forEach((m, i) => {
    if (p.startOn && p.endOn && (m.dueOn < p.startOn || m.dueOn > p.endOn)) {
      ctx.addIssue({
        code: 'custom',
        path: ['milestones', i, 'dueOn'],
        message: `第${i + 1}个节点的日期（${m.dueOn}）不在计划期（${p.startOn} 至 ${p.endOn}）内`,
      })
    }
    if (dates.has(m.dueOn))
      ctx.addIssue({ code: 'custom', path: ['milestones', i, 'dueOn'], message: `第${i + 1}个节点的日期（${m.dueOn}）重复` })
    dates.add(m.dueOn)
    if (prev && m.dueOn > prev.dueOn && m.share < prev.share) {
      ctx.addIssue({
        code: 'custom',
        path: ['milestones', i, 'share'],
        message: `第${i + 1}个节点的完成比例（${m.share}%）不能低于前一节点（${prev.share}%）`,
      })
    }
    prev = m
  })
}

const planFields = {
  name: z.string().trim().min(1, '请填写计划名称').max(200, '计划名称不能超过200字'),
  docNo: z.string().trim().max(100).optional().nullable(),
  startOn: zPlanDate,
  endOn: zPlanDate,
  note: z.string().trim().max(2000).optional().nullable(),
  targets: z.array(planTargetInput).max(40, '指标不能超过40项'),
  milestones: z.array(planMilestoneInput).max(20, '节点不能超过20个'),
}

export const planCreateBody = z.object({ orgId: zRef, ...planFields }).superRefine(checkPlan)
/** An edit replaces the plan's fields, targets and milestones as a whole. */
export const planUpdateBody = z.object(planFields).superRefine(checkPlan)
export type PlanInput = z.infer<typeof planUpdateBody>

export const planListQuery = z.object({
  org: zId.optional(),
  page: z.coerce.number().int().min(1).max(100_000, '页码过大').default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
})

export const allocationBody = z.object({
  /** the union whose share is being split: the plan's union, or a sub-region refining its own share */
  parentOrgId: zRef,
  rows: z
    .array(
      z.object({
        orgId: zRef,
        values: z.record(
          z.string().max(60),
          z
            .number({ error: () => '分解数应为数字' })
            .int('分解数应为整数')
            .min(0, '分解数不能为负')
            .max(100_000_000)
            .nullable(),
        ),
        note: z.string().trim().max(200).optional().nullable(),
      }),
    )
    .max(500),
})
export type AllocationInput = z.infer<typeof allocationBody>

export const progressQuery = z.object({
  org: zId.optional(),
  asOf: zDate.optional(),
  /** rank sub-regions by one count target's completion, or 'overall' (the mean over the allocated count targets) */
  rankBy: z.string().trim().max(60).default('overall'),
})

export interface PlanTargetView {
  key: string
  kind: TargetKind
  label: string
  unit: string
  value: number
  note: string | null
}
export interface PlanMilestoneView {
  dueOn: string
  share: number
  label: string | null
}
export interface PlanSummary {
  id: number
  org: OrgRef
  name: string
  docNo: string | null
  startOn: string
  endOn: string
  targetCount: number
  milestoneCount: number
  /** the caller may edit it (the plan of the caller's union or below) */
  editable: boolean
  updatedAt: string
}
export interface AllocationRowView {
  org: OrgRef
  values: Record<string, number | null>
  note: string | null
  /** the split of this sub-region's share further down, when it made one that no longer adds up */
  childMismatch: string[]
  /** what a proportional split (自动分解) weighs: 应建未建 units, workers of its registered units, members 在册 */
  basis: { due: number; workers: number; members: number }
}
export interface AllocationLevel {
  parent: OrgRef
  /** the parent's share to split: the plan's targets at the plan's union, else its own allocation */
  totals: Record<string, number | null>
  /** the sub-regions that can receive a share, with what they have */
  rows: AllocationRowView[]
  editable: boolean
}
export interface PlanDetail extends PlanSummary {
  note: string | null
  targets: PlanTargetView[]
  milestones: PlanMilestoneView[]
}

export interface TargetProgress {
  key: string
  kind: TargetKind
  label: string
  unit: string
  /** the target for this region: a count allocated to it (null when none), or a rate threshold in percent */
  target: number | null
  /** count targets: what is due by the last milestone passed (target × share) */
  expected: number | null
  numerator: number
  denominator: number | null
  /** rate targets: numerator ÷ denominator; counts: numerator ÷ target (completion) */
  rate: number | null
  status: TargetStatus
}
export interface ProgressRow {
  org: OrgRef
  targets: TargetProgress[]
  /** completion used for ranking (0…, 1 = done); null when nothing allocated */
  completion: number | null
  rank: number | null
  /** 末位: the bottom fifth of the ranking */
  lagging: boolean
  /** 进度滞后 on a count target or 未达标 on a rate target */
  behind: boolean
}
export interface PlanProgress {
  plan: PlanSummary
  org: OrgRef
  asOf: string
  /** counted from the plan's start to min(asOf, end) */
  window: { from: string; to: string }
  milestone: { passed: PlanMilestoneView | null; next: PlanMilestoneView | null; expectedShare: number }
  own: TargetProgress[]
  rows: ProgressRow[]
  rankBy: { key: string; label: string }
  laggingRule: string
}
