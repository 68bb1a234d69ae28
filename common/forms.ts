/**
 * The official forms (附件1 已建联合工会基本情况登记表, 附件2 拟建联合工会规划申报表 …) as one
 * shape, `FormTable`, shared by the server (which generates and exports them), the web app (which
 * shows them as printed) and the reporting rounds (which store them as submitted). The
 * cross-checks that gate a submission live here too, so the browser marks the offending cells
 * with the same rules the server enforces.
 */
import { z } from 'zod'
import './zod-zh.js'
import { ACFTU_FOUNDED, dateField, zAsOf, zDate, zId, zPage, zRef } from './api.js'
import { zJointCategory } from './codes.js'

export type FormCell = number | string | null

export interface FormColumn {
  key: string
  label: string
  /** 'count': a non-negative whole number, blank when zero (as the seed prints); 'text': free text */
  kind: 'count' | 'text'
  /** column width in the xlsx, in characters */
  width?: number
}

export interface FormRow {
  key: string
  /** the row caption exactly as printed (工业园区类, 村（社区）类 …) */
  caption: string
  cells: FormCell[]
}

export interface FormTable {
  form: string
  /** the attachment label printed above the title (附件1), if any */
  attachment?: string
  /** the title as printed; a line break splits a two-line title */
  title: string
  /** 填报单位; null where the form prints none */
  filler: string | null
  /** 截止时间 (YYYY-MM-DD); null where the form prints none */
  asOf: string | null
  org: { id: number; code: string; name: string }
  /** header of the caption column, as printed (类    型) */
  captionHeader: string
  columns: FormColumn[]
  rows: FormRow[]
  total: { caption: string; cells: FormCell[] }
  notes: string[]
  /** the rounds may change the cells (figures entered by the town) or only confirm them */
  editable: boolean
  /**
   * The paper it is printed on: A4 portrait (the default) or A3 landscape for a wide form (the
   * monitoring table), which is also split across sheets, the caption column repeated on each.
   */
  paper?: 'a4-portrait' | 'a3-landscape'
  /** a header row above the columns: each group's label over `span` columns (the spans add up to the columns) */
  groups?: { label: string; span: number }[]
}

/** How many column groups one printed A3 landscape sheet holds beside the caption column. */
export const GROUPS_PER_SHEET = 6

/** The column groups of a wide form split into printed sheets: each sheet's groups, with the index of its first column. */
export function sheetsOf(
  t: Pick<FormTable, 'columns' | 'groups' | 'paper'>,
): { groups: { label: string; span: number; from: number }[] }[] {
  const groups = t.groups ?? [{ label: '', span: t.columns.length }]
  let from = 0
  const placed = groups.map((g) => {
    const x = { ...g, from }
    from += g.span
    return x
  })
  if (t.paper !== 'a3-landscape' || !t.groups) return [{ groups: placed }]
  const sheets: { groups: typeof placed }[] = []
  for (let i = 0; i < placed.length; i += GROUPS_PER_SHEET) sheets.push({ groups: placed.slice(i, i + GROUPS_PER_SHEET) })
  return sheets
}

export interface FormInfo {
  code: string
  label: string
  editable: boolean
}

/** '2017-06-30' → '2017年6月30日' (as the seed prints 截止时间) */
export function chineseDate(d: string): string {
  const [y, m, day] = d.split('-').map(Number)
  return `${y}年${m}月${day}日`
}

/** The six figures of 附件1 and 附件2, in the printed order. */
export const jointFormColumns: FormColumn[] = [
  { key: 'committees', label: '联合工会数', kind: 'count', width: 12 },
  { key: 'federations', label: '工会联合会数', kind: 'count', width: 14 },
  { key: 'members', label: '会员数', kind: 'count', width: 12 },
  { key: 'employees', label: '涵盖职工数', kind: 'count', width: 12 },
  { key: 'enterprises', label: '涵盖企业数', kind: 'count', width: 12 },
  { key: 'workers', label: '工会工作者数', kind: 'count', width: 14 },
]
export const jointFormCaptionHeader = '类    型'

// ── cross-checks ─────────────────────────────────────────────────────────────

export interface CellProblem {
  /** row key, or '_total' for the total row */
  row: string
  rowCaption: string
  column: string
  columnLabel: string
  message: string
}
export const TOTAL_ROW = '_total'

/** Where a problem sits, as a person reads it: '村（社区）类 · 会员数' */
export const cellName = (p: Pick<CellProblem, 'rowCaption' | 'columnLabel'>) => `${p.rowCaption.replace(/\s+/g, '')} · ${p.columnLabel}`

/**
 * The checks a form must pass before it is submitted: whole non-negative numbers, 会员数 ≤
 * 涵盖职工数 where a form has both, and the total row equal to the sum of the rows.
 */
export function crossCheck(t: Pick<FormTable, 'columns' | 'rows' | 'total'>): CellProblem[] {
  const out: CellProblem[] = []
  const at = (key: string) => t.columns.findIndex((c) => c.key === key)
  const num = (v: FormCell) => (typeof v === 'number' ? v : v === null || v === '' ? 0 : Number.NaN)
  const all = [
    ...t.rows.map((r) => ({ key: r.key, caption: r.caption, cells: r.cells })),
    { key: TOTAL_ROW, caption: t.total.caption, cells: t.total.cells },
  ]
  for (const r of all) {
    t.columns.forEach((c, i) => {
      if (c.kind !== 'count') return
      const v = num(r.cells[i] ?? null)
      const where = { row: r.key, rowCaption: r.caption, column: c.key, columnLabel: c.label }
      if (!Number.isFinite(v) || !Number.isInteger(v)) out.push({ ...where, message: `${cellName(where)}：应为整数` })
      else if (v < 0) out.push({ ...where, message: `${cellName(where)}：不能为负数（${v}）` })
    })
    const m = at('members')
    const e = at('employees')
    if (m >= 0 && e >= 0) {
      const mv = num(r.cells[m] ?? null)
      const ev = num(r.cells[e] ?? null)
      if (mv > ev) {
        const where = { row: r.key, rowCaption: r.caption, column: 'members', columnLabel: t.columns[m]!.label }
        out.push({ ...where, message: `${cellName(where)}：会员数（${mv}）不能大于涵盖职工数（${ev}）` })
      }
    }
  }
  t.columns.forEach((c, i) => {
    if (c.kind !== 'count') return
    const sum = t.rows.reduce((s, r) => s + (Number.isFinite(num(r.cells[i] ?? null)) ? num(r.cells[i] ?? null) : 0), 0)
    const total = num(t.total.cells[i] ?? null)
    if (Number.isFinite(total) && total !== sum) {
      const where = { row: TOTAL_ROW, rowCaption: t.total.caption, column: c.key, columnLabel: c.label }
      out.push({ ...where, message: `${cellName(where)}：合计（${total}）不等于各行之和（${sum}）` })
    }
  })
  return out
}

/** The total row of count columns as the sum of the rows (text columns left blank). */
export function sumRows(columns: FormColumn[], rows: FormRow[]): FormCell[] {
  return columns.map((c, i) =>
    c.kind === 'count' ? rows.reduce((s, r) => s + (typeof r.cells[i] === 'number' ? (r.cells[i] as number) : 0), 0) : null,
  )
}

// ── API ──────────────────────────────────────────────────────────────────────

export const zFormCode = z
  .string()
  .trim()
  .max(40, '报表代码格式不正确')
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, '报表代码格式不正确')
export const formQuery = z.object({
  org: zId.optional(),
  asOf: zAsOf.optional(),
})

export const jointForms = [
  { code: 'joint_committee', label: '联合工会' },
  { code: 'joint_federation', label: '工会联合会' },
] as const

const zCount = z.coerce.number().int('应为整数').min(0, '不能为负数').max(10_000_000, '数值过大')
const plannedFields = {
  name: z.string().trim().min(1, '不能为空').max(200, '不能超过200个字'),
  category: zJointCategory,
  jointForm: z.enum(['joint_committee', 'joint_federation'], { error: () => '组建形式应为联合工会或工会联合会' }),
  members: zCount,
  employees: zCount,
  enterprises: zCount,
  workers: zCount,
  plannedOn: dateField('2000-01-01').nullish(),
  declaredOn: dateField('2000-01-01').optional(),
  note: z.string().trim().max(500, '不能超过500个字').nullish(),
}
const membersWithinEmployees = (b: { members?: number; employees?: number }) =>
  b.members === undefined || b.employees === undefined || b.members <= b.employees
export const plannedUnionBody = z
  .object({ orgId: zRef, ...plannedFields })
  .refine(membersWithinEmployees, { path: ['members'], message: '拟发展会员数不能大于涵盖职工数' })
export const plannedUnionPatch = z.object(plannedFields).partial()
export const plannedUnionListQuery = z.object({
  org: zId.optional(),
  category: zJointCategory.optional(),
  q: z.string().trim().max(100).optional(),
  ...zPage,
})
export interface PlannedUnionView {
  id: number
  orgId: number
  orgName: string
  name: string
  category: string
  jointForm: 'joint_committee' | 'joint_federation'
  members: number
  employees: number
  enterprises: number
  workers: number
  plannedOn: string | null
  declaredOn: string
  note: string | null
  updatedAt: string
}

export const roundStatuses = [
  { code: 'draft', label: '填报中', color: 'default' },
  { code: 'submitted', label: '待审核', color: 'processing' },
  { code: 'returned', label: '已退回', color: 'warning' },
  { code: 'approved', label: '已通过', color: 'success' },
] as const
export type RoundStatus = (typeof roundStatuses)[number]['code']
export const roundActions = [
  { code: 'open', label: '发起填报' },
  { code: 'save', label: '保存' },
  { code: 'submit', label: '提交' },
  { code: 'approve', label: '审核通过' },
  { code: 'return', label: '退回' },
  { code: 'deadline', label: '调整报送截止日期' },
  { code: 'remind', label: '催报' },
] as const

/**
 * Where a unit stands in a round, at a glance (the board): 未填 (opened, nothing submitted yet),
 * 已提交 (waiting for the review), 已通过, 已退回 (to correct), and 逾期 — not submitted (still open
 * or returned) after the 报送截止日期. Each unit is in exactly one of them.
 */
export const roundStates = [
  { code: 'open', label: '未填', color: 'default', chart: '#bfbfbf' },
  { code: 'submitted', label: '已提交', color: 'processing', chart: '#1677ff' },
  { code: 'approved', label: '已通过', color: 'success', chart: '#52c41a' },
  { code: 'returned', label: '已退回', color: 'warning', chart: '#faad14' },
  { code: 'overdue', label: '逾期', color: 'error', chart: '#ff4d4f' },
] as const
export type RoundState = (typeof roundStates)[number]['code']

/** The state of a unit on the board: overdue wins over 未填 and 已退回 once the deadline has passed. */
export function roundState(status: string, deadline: string | null, today: string): RoundState {
  if (status === 'submitted' || status === 'approved') return status
  if (deadline !== null && deadline < today) return 'overdue'
  return status === 'returned' ? 'returned' : 'open'
}

export const roundCreateBody = z.object({
  form: zFormCode,
  asOf: dateField(ACFTU_FOUNDED),
  orgIds: z.array(zRef).min(1, '请选择填报单位').max(500, '一次最多500个单位'),
  /** 报送截止日期: by when the units are to submit */
  deadline: zDate.optional(),
})
/** One batch of rounds: a form and its 截止时间 (as_of), below the organization chosen. */
const zBatch = { org: zRef.optional(), form: zFormCode, asOf: zAsOf }
export const roundDeadlineBody = z.object({ ...zBatch, deadline: zDate })
export const roundRemindBody = z.object({ ...zBatch, ids: z.array(zRef).min(1, '请选择催报单位').max(500, '一次最多500个单位').optional() })
export const roundBoardQuery = z.object({ org: zId.optional(), form: zFormCode.optional(), asOf: zAsOf.optional() })
const zCells = z
  .array(z.union([z.number().int('应为整数').max(10_000_000, '数值过大').min(-10_000_000), z.string().max(500), z.null()]))
  .max(200, '列数过多')
export const roundCellsBody = z.object({
  rows: z.array(z.object({ key: z.string().max(60), cells: zCells })).max(200),
  total: zCells,
})
export const roundSubmitBody = z.object({ cells: roundCellsBody.optional() })
export const roundReturnBody = z.object({ comment: z.string().trim().min(1, '退回须说明理由').max(500, '不能超过500个字') })
export const roundListQuery = z.object({
  org: zId.optional(),
  form: zFormCode.optional(),
  status: z.enum(['draft', 'submitted', 'returned', 'approved'], { error: () => '状态不正确' }).optional(),
  asOf: zDate.optional(),
  ...zPage,
})

export interface RoundSummary {
  id: number
  form: string
  formLabel: string
  orgId: number
  orgName: string
  asOf: string
  status: RoundStatus
  comment: string | null
  submittedAt: string | null
  decidedAt: string | null
  updatedAt: string
  /** 报送截止日期, if one was set */
  deadline: string | null
  state: RoundState
  canEdit: boolean
  canSubmit: boolean
  canDecide: boolean
}
export interface RoundEvent {
  action: string
  actorName: string | null
  comment: string | null
  at: string
}
export interface RoundView extends RoundSummary {
  editable: boolean
  /** the submitted snapshot; for a form that only confirms live figures, the live figures until it is submitted */
  table: FormTable
  /** what the cross-checks find in `table` now */
  problems: CellProblem[]
  history: RoundEvent[]
}
export interface RoundCreateResult {
  created: number
  skipped: string[]
  ids: number[]
}

/** A batch of rounds the caller can see: one form, one 截止时间. */
export interface RoundBatch {
  form: string
  formLabel: string
  asOf: string
  units: number
  /** its units past their 报送截止日期 that have not submitted (逾期) */
  overdue: number
  /** the earliest and latest 报送截止日期 of its units (the same, unless moved for some) */
  deadline: string | null
  lastDeadline: string | null
}
export interface RoundBoardItem {
  id: number
  orgId: number
  orgName: string
  status: RoundStatus
  state: RoundState
  deadline: string | null
  submittedAt: string | null
  decidedAt: string | null
  comment: string | null
  remindedOn: string | null
  reminders: number
  /** the caller may send this unit a 催报 now (a union above it, the unit lagging, not yet reminded today) */
  canRemind: boolean
}
/** Every unit of a batch and its state: counts, the units in order of urgency, what the caller may do. */
export interface RoundBoard {
  batches: RoundBatch[]
  batch: RoundBatch | null
  today: string
  counts: Record<RoundState, number>
  items: RoundBoardItem[]
  /** the caller may move the deadline (a writing union above the units) */
  canSetDeadline: boolean
}
export interface RoundRemindResult {
  sent: string[]
  /** units left out: already reminded today, or not lagging */
  skipped: string[]
}
