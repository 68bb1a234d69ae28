/**
 * The official forms and their reporting rounds.
 *
 * A form is a generator `(ctx, org, asOf) => FormTable` in a FormRegistry (registry.ts), built by
 * app.ts and cli.ts and passed to the functions here that draw up forms. This module offers
 * form1 (附件1, from the live statistics) and form2 (附件2, from the planned joint unions the towns
 * entered) as `jointForms`; another module offers its own list (plans.forms `planForms`):
 *
 *     new FormRegistry([...jointForms, ...planForms])
 */
import { jointCategories } from '../../../../common/codes.js'
import {
  TOTAL_ROW,
  crossCheck,
  jointFormCaptionHeader,
  jointFormColumns,
  roundActions,
  roundState,
  roundStates,
  sumRows,
  type CellProblem,
  type FormCell,
  type FormTable,
  type PlannedUnionView,
  type RoundBoard,
  type RoundBoardItem,
  type RoundCreateResult,
  type RoundRemindResult,
  type RoundState,
  type RoundStatus,
  type RoundSummary,
  type RoundView,
} from '../../../../common/forms.js'
import { jointFormTotalLabel } from '../../../../common/codes.js'
import type { Ctx } from '../../http/context.js'
import { isBelow, isOwn as isOwnOrg, mayWrite, requireWriter } from '../../policies/policy.js'
import { AppError, badRequest, conflict, fieldError, forbidden, notFound } from '../../http/errors.js'
import * as stats from '../stats/indicators.js'
import { notify } from '../messages/notify.js'
import * as repo from './forms.repository.js'
import type { FormOrg } from './forms.repository.js'
import { formXlsx } from './forms.xlsx.js'
import type { FormDef, FormGenerator, FormRegistry } from './registry.js'

export type { FormOrg }
export type { FormDef, FormGenerator }

/** The place a form is titled by: 嵊州市 for 嵊州市总工会, else the organization's division. */
export function placeOf(o: Pick<FormOrg, 'name' | 'region_name'>): string {
  if (o.name.endsWith('总工会') && o.name.length > 3) return o.name.slice(0, -3)
  return o.region_name ?? o.name
}

/** A 截止时间 a form can be drawn up for: not after today, not before the organization existed. */
export function checkFormDate(ctx: Ctx, o: Pick<FormOrg, 'name' | 'founded_on'>, asOf: string | undefined): string {
  const d = asOf ?? ctx.today
  if (d > ctx.today) throw badRequest(`截止时间 ${d} 晚于今天（${ctx.today}），报表只能统计到今天为止`, { asOf: '截止时间不能晚于今天' })
  if (o.founded_on && d < o.founded_on) {
    throw badRequest(`${o.name}成立于${o.founded_on}，截止时间 ${d} 时尚未成立，不能生成该日期的报表`, {
      asOf: `不能早于${o.name}的成立日期 ${o.founded_on}`,
    })
  }
  return d
}

/** The organization asked for (in the caller's jurisdiction), or the top of the jurisdiction. */
export async function resolveFormOrg(ctx: Ctx, id?: number): Promise<FormOrg> {
  const top = await stats.resolveOrg(ctx, id)
  const o = await repo.org(ctx.db, Number(top.id))
  if (!o) throw fieldError('org', '组织不存在或不在您的管辖范围内')
  return o
}

const ref = (o: FormOrg) => ({ id: o.id, code: o.code, name: o.name })
const countRow = (key: string, caption: string, v: object): { key: string; caption: string; cells: FormCell[] } => ({
  key,
  caption,
  cells: jointFormColumns.map((c) => Number((v as Record<string, unknown>)[c.key] ?? 0)),
})

// ── form1 附件1 已建联合工会基本情况登记表 ─────────────────────────────────────

/** The joint unions of the subtree by category, as the statistics stood on `asOf`. */
export const form1: FormGenerator = async (ctx, o, asOf) => {
  const panel = await stats.panel(ctx, { org: o.id, asOf, hierarchy: 'geo' })
  const rows = jointCategories.map((c) => {
    const x = panel.jointByCategory.find((j) => j.category === c.code)
    return countRow(c.code, c.form1Label, x ?? {})
  })
  return jointForm(o, asOf, rows, { form: 'form1', attachment: '附件1', title: '已建联合工会基本情况登记表', editable: false })
}

/** 附件1 and 附件2 share their layout: a row per joint-union category and the total. */
function jointForm(
  o: Parameters<FormGenerator>[1],
  asOf: string,
  rows: ReturnType<typeof countRow>[],
  f: { form: string; attachment: string; title: string; editable: boolean },
) {
  return {
    form: f.form,
    attachment: f.attachment,
    title: `${placeOf(o)}${f.title}`,
    filler: o.name,
    asOf,
    org: ref(o),
    captionHeader: jointFormCaptionHeader,
    columns: jointFormColumns,
    rows,
    total: { caption: jointFormTotalLabel, cells: sumRows(jointFormColumns, rows) },
    notes: [],
    editable: f.editable,
  }
}

// ── form2 附件2 拟建联合工会规划申报表 ────────────────────────────────────────

/** The planned joint unions declared in the subtree on or before `asOf`, by category. */
export const form2: FormGenerator = async (ctx, o, asOf) => {
  const totals = await repo.plannedTotals(ctx.db, o.path, asOf)
  const rows = jointCategories.map((c) => countRow(c.code, c.form2Label, totals.get(c.code) ?? {}))
  return jointForm(o, asOf, rows, { form: 'form2', attachment: '附件2', title: '拟建联合工会规划申报表', editable: true })
}

/** The forms of this module, for the registry (registry.ts). */
export const jointForms: FormDef[] = [
  { code: 'form1', label: '附件1 已建联合工会基本情况登记表', editable: false, generate: form1 },
  { code: 'form2', label: '附件2 拟建联合工会规划申报表', editable: true, generate: form2 },
]

// ── generating and exporting ─────────────────────────────────────────────────

export async function generate(ctx: Ctx, forms: FormRegistry, code: string, q: { org?: number; asOf?: string }): Promise<FormTable> {
  const def = forms.get(code)
  const o = await resolveFormOrg(ctx, q.org)
  const asOf = checkFormDate(ctx, o, q.asOf)
  return def.generate(ctx, o, asOf)
}

export const fileNameOf = (t: FormTable) => `${t.title.replace(/\s+/g, '')}（${t.filler ?? t.org.name}${t.asOf ? '，' + t.asOf : ''}）.xlsx`

export async function exportXlsx(ctx: Ctx, forms: FormRegistry, code: string, q: { org?: number; asOf?: string }) {
  const table = await generate(ctx, forms, code, q)
  return { buffer: await formXlsx(table), fileName: fileNameOf(table) }
}

// ── planned joint unions ─────────────────────────────────────────────────────

const canWrite = requireWriter

const plannedView = (r: repo.PlannedRow): PlannedUnionView => ({
  id: Number(r.id),
  orgId: Number(r.org_id),
  orgName: r.org_name,
  name: r.name,
  category: r.category,
  jointForm: r.joint_form as PlannedUnionView['jointForm'],
  members: r.members,
  employees: r.employees,
  enterprises: r.enterprises,
  workers: r.workers,
  plannedOn: r.planned_on,
  declaredOn: r.declared_on,
  note: r.note,
  updatedAt: new Date(r.updated_at).toISOString(),
})

export async function plannedList(ctx: Ctx, q: { org?: number; category?: string; q?: string; page: number; pageSize: number }) {
  const o = await resolveFormOrg(ctx, q.org)
  const r = await repo.plannedList(ctx.db, { path: o.path, category: q.category, q: q.q, page: q.page, pageSize: q.pageSize })
  return { items: r.items.map(plannedView), total: r.total }
}

type PlannedInput = {
  name: string
  category: string
  jointForm: string
  members: number
  employees: number
  enterprises: number
  workers: number
  plannedOn?: string | null
  declaredOn?: string
  note?: string | null
}

export async function plannedCreate(ctx: Ctx, b: PlannedInput & { orgId: number }) {
  canWrite(ctx)
  const o = await repo.org(ctx.db, b.orgId)
  if (!o) throw fieldError('orgId', '组织不存在或不在您的管辖范围内')
  const declaredOn = b.declaredOn ?? ctx.today
  if (declaredOn > ctx.today) throw fieldError('declaredOn', '申报日期不能晚于今天')
  const id = await repo.plannedInsert(ctx.db, {
    org_id: o.id,
    org_path: o.path,
    name: b.name,
    category: b.category,
    joint_form: b.jointForm,
    members: b.members,
    employees: b.employees,
    enterprises: b.enterprises,
    workers: b.workers,
    planned_on: b.plannedOn ?? null,
    declared_on: declaredOn,
    note: b.note ?? null,
    created_by: ctx.actor.id,
  })
  ctx.audit({
    action: 'form.planned.create',
    targetType: 'planned_joint_union',
    targetId: id,
    targetName: b.name,
    scopePath: o.path,
    detail: { after: b },
  })
  return plannedView((await repo.plannedGet(ctx.db, id))!)
}

export async function plannedUpdate(ctx: Ctx, id: number, b: Partial<PlannedInput>) {
  canWrite(ctx)
  const before = await repo.plannedGet(ctx.db, id)
  if (!before) throw notFound('拟建联合工会')
  const members = b.members ?? before.members
  const employees = b.employees ?? before.employees
  if (members > employees) throw fieldError('members', `拟发展会员数（${members}）不能大于涵盖职工数（${employees}）`)
  if (b.declaredOn && b.declaredOn > ctx.today) throw fieldError('declaredOn', '申报日期不能晚于今天')
  const set: Partial<repo.PlannedValues> = {}
  if (b.name !== undefined) set.name = b.name
  if (b.category !== undefined) set.category = b.category
  if (b.jointForm !== undefined) set.joint_form = b.jointForm
  if (b.members !== undefined) set.members = b.members
  if (b.employees !== undefined) set.employees = b.employees
  if (b.enterprises !== undefined) set.enterprises = b.enterprises
  if (b.workers !== undefined) set.workers = b.workers
  if (b.plannedOn !== undefined) set.planned_on = b.plannedOn
  if (b.declaredOn !== undefined) set.declared_on = b.declaredOn
  if (b.note !== undefined) set.note = b.note
  await repo.plannedUpdate(ctx.db, id, set)
  const after = (await repo.plannedGet(ctx.db, id))!
  ctx.audit({
    action: 'form.planned.update',
    targetType: 'planned_joint_union',
    targetId: id,
    targetName: after.name,
    scopePath: before.org_path,
    detail: { before: plannedView(before), after: b },
  })
  return plannedView(after)
}

export async function plannedDelete(ctx: Ctx, id: number) {
  canWrite(ctx)
  const before = await repo.plannedGet(ctx.db, id)
  if (!before) throw notFound('拟建联合工会')
  await repo.plannedDelete(ctx.db, id)
  ctx.audit({
    action: 'form.planned.delete',
    targetType: 'planned_joint_union',
    targetId: id,
    targetName: before.name,
    scopePath: before.org_path,
    detail: { before: plannedView(before) },
  })
}

// ── reporting rounds ─────────────────────────────────────────────────────────

const statusLabel: Record<RoundStatus, string> = { draft: '填报中', submitted: '待审核', returned: '已退回', approved: '已通过' }
const labelOfForm = (forms: FormRegistry, code: string) => forms.find(code)?.label ?? code
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString())

/** A union strictly above the round's organization (its district or city) decides on it. */
const isAbove = (ctx: Ctx, orgPath: string) => isBelow(orgPath, ctx.actor.scopePath)
/** The organization of the round fills and submits it itself; the unions above only decide. */
const isOwn = (ctx: Ctx, orgPath: string) => isOwnOrg(ctx.actor, orgPath)

function summary(ctx: Ctx, forms: FormRegistry, r: Omit<repo.RoundRow, 'snapshot'>): RoundSummary {
  const admin = mayWrite(ctx.actor)
  const open = r.status === 'draft' || r.status === 'returned'
  return {
    id: r.id,
    form: r.form,
    formLabel: labelOfForm(forms, r.form),
    orgId: Number(r.org_id),
    orgName: r.org_name,
    asOf: r.as_of,
    status: r.status as RoundStatus,
    comment: r.comment,
    submittedAt: iso(r.submitted_at),
    decidedAt: iso(r.decided_at),
    updatedAt: iso(r.updated_at)!,
    deadline: r.deadline,
    state: roundState(r.status, r.deadline, ctx.today),
    canEdit: admin && open && isOwn(ctx, r.org_path) && (forms.find(r.form)?.editable ?? false),
    canSubmit: admin && open && isOwn(ctx, r.org_path),
    canDecide: admin && r.status === 'submitted' && isAbove(ctx, r.org_path) && r.submitted_by !== ctx.actor.id,
  }
}

export async function roundList(
  ctx: Ctx,
  forms: FormRegistry,
  q: { org?: number; form?: string; status?: string; asOf?: string; page: number; pageSize: number },
) {
  const o = await resolveFormOrg(ctx, q.org)
  const r = await repo.roundList(ctx.db, { path: o.path, form: q.form, status: q.status, asOf: q.asOf, page: q.page, pageSize: q.pageSize })
  return { items: r.items.map((x) => summary(ctx, forms, x)), total: r.total }
}

async function loadRound(ctx: Ctx, id: number, lock = false) {
  // FOR UPDATE sees only rows the update policy lets through: an approved (locked) round is read plainly, and refused by its status
  const r = (await repo.roundGet(ctx.db, id, lock)) ?? (lock ? await repo.roundGet(ctx.db, id) : undefined)
  if (!r) throw notFound('填报轮次')
  return r
}

/** The round's form as it stands: the snapshot, or for a confirm-only form not yet submitted, the live figures. */
async function currentTable(ctx: Ctx, forms: FormRegistry, r: repo.RoundRow): Promise<FormTable> {
  const def = forms.find(r.form)
  if (!def || def.editable || r.status === 'submitted' || r.status === 'approved') return r.snapshot
  const o = await repo.org(ctx.db, Number(r.org_id))
  return o ? def.generate(ctx, o, r.as_of) : r.snapshot
}

export async function roundGet(ctx: Ctx, forms: FormRegistry, id: number): Promise<RoundView> {
  const r = await loadRound(ctx, id)
  const table = await currentTable(ctx, forms, r)
  const history = (await repo.events(ctx.db, id)).map((e) => ({
    action: e.action,
    actorName: e.actor_name,
    comment: e.comment,
    at: new Date(e.at).toISOString(),
  }))
  return { ...summary(ctx, forms, r), editable: forms.find(r.form)?.editable ?? false, table, problems: crossCheck(table), history }
}

export async function roundCreate(
  ctx: Ctx,
  forms: FormRegistry,
  b: { form: string; asOf: string; orgIds: number[]; deadline?: string },
): Promise<RoundCreateResult> {
  canWrite(ctx)
  const def = forms.get(b.form)
  const deadline = b.deadline ?? null
  if (deadline !== null && deadline < ctx.today) throw fieldError('deadline', `报送截止日期不能早于今天（${ctx.today}）`)
  const out: RoundCreateResult = { created: 0, skipped: [], ids: [] }
  for (const orgId of [...new Set(b.orgIds)]) {
    const o = await repo.org(ctx.db, orgId)
    if (!o) throw fieldError('orgIds', '组织不存在或不在您的管辖范围内')
    if (o.parent_id === null) throw fieldError('orgIds', `${o.name}没有上级工会审核，不能发起填报`)
    const asOf = checkFormDate(ctx, o, b.asOf)
    if (await repo.roundFind(ctx.db, def.code, o.id, asOf)) {
      out.skipped.push(o.name)
      continue
    }
    const snapshot = await def.generate(ctx, o, asOf)
    const id = await repo.roundInsert(ctx.db, {
      form: def.code,
      org_id: o.id,
      org_path: o.path,
      as_of: asOf,
      snapshot,
      created_by: ctx.actor.id,
      deadline,
    })
    await event(ctx, id, o.path, 'open', deadline ? `报送截止日期 ${deadline}` : null)
    ctx.audit({
      action: 'form.round.open',
      targetType: 'report_round',
      targetId: id,
      targetName: `${o.name} ${def.label} ${asOf}`,
      scopePath: o.path,
      detail: { form: def.code, asOf, deadline },
    })
    out.created++
    out.ids.push(id)
  }
  return out
}

async function event(ctx: Ctx, roundId: number, orgPath: string, action: (typeof roundActions)[number]['code'], comment: string | null) {
  await repo.eventInsert(ctx.db, {
    round_id: roundId,
    org_path: orgPath,
    action,
    actor_id: ctx.actor.id || null,
    actor_name: ctx.actor.displayName,
    comment,
  })
}

type Cells = { rows: { key: string; cells: FormCell[] }[]; total: FormCell[] }

/** The cells a town entered, laid over the round's form: same rows, same columns, numbers where counts go. */
function withCells(t: FormTable, c: Cells): FormTable {
  const shape = (where: string, cells: FormCell[]): FormCell[] => {
    if (cells.length !== t.columns.length) throw badRequest(`${where}：应有 ${t.columns.length} 列，收到 ${cells.length} 列`)
    return cells.map((v, i) => {
      const col = t.columns[i]!
      if (col.kind === 'count') {
        if (v === null || v === '') return 0
        if (typeof v !== 'number') throw badRequest(`${where} · ${col.label}：应为整数`, { [`cells.${col.key}`]: '应为整数' })
        return v
      }
      return v === null ? null : String(v)
    })
  }
  const keys = t.rows.map((r) => r.key)
  const given = new Map(c.rows.map((r) => [r.key, r.cells]))
  for (const k of given.keys()) if (!keys.includes(k)) throw badRequest(`报表没有“${k}”这一行`)
  return {
    ...t,
    rows: t.rows.map((r) => ({ ...r, cells: given.has(r.key) ? shape(r.caption.replace(/\s+/g, ''), given.get(r.key)!) : r.cells })),
    total: { ...t.total, cells: shape(t.total.caption.replace(/\s+/g, ''), c.total) },
  }
}

function requireOpen(ctx: Ctx, r: repo.RoundRow) {
  if (r.status === 'approved') throw conflict('该报表已审核通过并锁定，不能再修改或提交')
  if (r.status === 'submitted') throw conflict('该报表已提交，正在等待审核；如需修改，请由审核单位退回')
  if (!isOwn(ctx, r.org_path)) throw forbidden(`该报表由${r.org_name}填报和提交，上级工会负责审核`)
}

/** A refusal naming every cell that fails the cross-checks; nothing of the request is saved. */
function checksFailed(problems: CellProblem[]) {
  const e = new AppError(
    400,
    'cross_check',
    `报表未通过校验，共 ${problems.length} 处：${problems
      .slice(0, 3)
      .map((p) => p.message)
      .join('；')}${problems.length > 3 ? '……' : ''}`,
    Object.fromEntries(problems.map((p) => [`${p.row === TOTAL_ROW ? 'total' : p.row}.${p.column}`, p.message])),
  )
  e.detail = { problems }
  return e
}

export async function roundSave(ctx: Ctx, forms: FormRegistry, id: number, cells: Cells): Promise<RoundView> {
  canWrite(ctx)
  const r = await loadRound(ctx, id, true)
  requireOpen(ctx, r)
  if (!forms.find(r.form)?.editable) throw badRequest(`${labelOfForm(forms, r.form)}的数字来自平台实时统计，不能手工修改，请核对后直接提交`)
  const table = withCells(r.snapshot, cells)
  await repo.roundUpdate(ctx.db, id, { snapshot: table })
  await event(ctx, id, r.org_path, 'save', null)
  ctx.audit({
    action: 'form.round.save',
    targetType: 'report_round',
    targetId: id,
    targetName: `${r.org_name} ${labelOfForm(forms, r.form)} ${r.as_of}`,
    scopePath: r.org_path,
    detail: { before: { rows: r.snapshot.rows, total: r.snapshot.total }, after: { rows: table.rows, total: table.total } },
  })
  return roundGet(ctx, forms, id)
}

export async function roundSubmit(ctx: Ctx, forms: FormRegistry, id: number, b: { cells?: Cells }): Promise<RoundView> {
  canWrite(ctx)
  const r = await loadRound(ctx, id, true)
  requireOpen(ctx, r)
  const def = forms.find(r.form)
  if (!def) throw badRequest(`报表“${r.form}”已不再提供，不能提交`)
  let table: FormTable
  if (def.editable) {
    table = b.cells ? withCells(r.snapshot, b.cells) : r.snapshot
  } else {
    if (b.cells) throw badRequest(`${def.label}的数字来自平台实时统计，不能手工修改，请核对后直接提交`)
    const o = await repo.org(ctx.db, Number(r.org_id))
    if (!o) throw notFound('组织')
    // the live figures on the round's 截止时间, confirmed as they stand now
    table = await def.generate(ctx, o, r.as_of)
  }
  const problems = crossCheck(table)
  if (problems.length) throw checksFailed(problems)
  await repo.roundUpdate(ctx.db, id, {
    status: 'submitted',
    snapshot: table,
    comment: null,
    submitted_by: ctx.actor.id || null,
    submitted_at: new Date(),
    decided_by: null,
    decided_at: null,
  })
  await event(ctx, id, r.org_path, 'submit', null)
  ctx.audit({
    action: 'form.round.submit',
    targetType: 'report_round',
    targetId: id,
    targetName: `${r.org_name} ${def.label} ${r.as_of}`,
    scopePath: r.org_path,
    detail: { before: { status: r.status }, after: { status: 'submitted', rows: table.rows, total: table.total } },
  })
  return roundGet(ctx, forms, id)
}

async function decide(
  ctx: Ctx,
  forms: FormRegistry,
  id: number,
  decision: 'approve' | 'return',
  comment: string | null,
): Promise<RoundView> {
  canWrite(ctx)
  const r = await loadRound(ctx, id, true)
  if (r.status !== 'submitted')
    throw conflict(
      `该报表${statusLabel[r.status as RoundStatus] ?? r.status}，只有待审核的报表可以${decision === 'approve' ? '审核通过' : '退回'}`,
    )
  if (!isAbove(ctx, r.org_path)) throw forbidden('报表由上级工会审核，不能审核本单位的报表')
  if (r.submitted_by !== null && r.submitted_by === ctx.actor.id) throw forbidden('不能审核自己提交的报表')
  const status = decision === 'approve' ? 'approved' : 'returned'
  await repo.roundUpdate(ctx.db, id, { status, comment, decided_by: ctx.actor.id || null, decided_at: new Date() })
  await event(ctx, id, r.org_path, decision, comment)
  ctx.audit({
    action: decision === 'approve' ? 'form.round.approve' : 'form.round.return',
    targetType: 'report_round',
    targetId: id,
    targetName: `${r.org_name} ${labelOfForm(forms, r.form)} ${r.as_of}`,
    scopePath: r.org_path,
    detail: { before: { status: r.status }, after: { status, comment } },
  })
  return roundGet(ctx, forms, id)
}

export const roundApprove = (ctx: Ctx, forms: FormRegistry, id: number) => decide(ctx, forms, id, 'approve', null)
export const roundReturn = (ctx: Ctx, forms: FormRegistry, id: number, comment: string) => decide(ctx, forms, id, 'return', comment)

/** The round's form as xlsx: the approved (or submitted) snapshot, else the form as it stands. */
export async function roundExport(ctx: Ctx, forms: FormRegistry, id: number) {
  const r = await loadRound(ctx, id)
  const table = await currentTable(ctx, forms, r)
  return { buffer: await formXlsx(table), fileName: fileNameOf(table) }
}

// ── the board of a batch: deadline, 逾期, 催报 ────────────────────────────────

const stateOrder: RoundState[] = ['overdue', 'returned', 'open', 'submitted', 'approved']
const lagging = (s: RoundState) => s === 'overdue' || s === 'returned' || s === 'open'

/**
 * A batch (one form, one 截止时间) below the organization asked for: every unit's state, the
 * counts, and what the caller may do. Without a form and date, the latest batch.
 */
export async function roundBoard(ctx: Ctx, forms: FormRegistry, q: { org?: number; form?: string; asOf?: string }): Promise<RoundBoard> {
  const o = await resolveFormOrg(ctx, q.org)
  const all = (await repo.batches(ctx.db, o.path, ctx.today)).map((b) => ({
    form: b.form,
    formLabel: labelOfForm(forms, b.form),
    asOf: b.as_of,
    units: b.units,
    overdue: b.overdue,
    deadline: b.deadline,
    lastDeadline: b.last_deadline,
  }))
  const batch = q.form || q.asOf ? all.find((b) => b.form === q.form && b.asOf === q.asOf) : all[0]
  const counts = Object.fromEntries(roundStates.map((s) => [s.code, 0])) as Record<RoundState, number>
  if (!batch) return { batches: all, batch: null, today: ctx.today, counts, items: [], canSetDeadline: false }
  const rows = await repo.batchRounds(ctx.db, { path: o.path, form: batch.form, asOf: batch.asOf })
  const admin = mayWrite(ctx.actor)
  const items: RoundBoardItem[] = rows.map((r) => {
    const state = roundState(r.status, r.deadline, ctx.today)
    counts[state]++
    return {
      id: r.id,
      orgId: Number(r.org_id),
      orgName: r.org_name,
      status: r.status as RoundStatus,
      state,
      deadline: r.deadline,
      submittedAt: iso(r.submitted_at),
      decidedAt: iso(r.decided_at),
      comment: r.comment,
      remindedOn: r.reminded_on,
      reminders: r.reminders,
      canRemind: admin && lagging(state) && isAbove(ctx, r.org_path) && r.reminded_on !== ctx.today,
    }
  })
  items.sort((a, b) => stateOrder.indexOf(a.state) - stateOrder.indexOf(b.state))
  return {
    batches: all,
    batch,
    today: ctx.today,
    counts,
    items,
    canSetDeadline: admin && rows.some((r) => r.status !== 'approved' && isAbove(ctx, r.org_path)),
  }
}

async function batchOf(ctx: Ctx, forms: FormRegistry, b: { org?: number; form: string; asOf: string }) {
  const o = await resolveFormOrg(ctx, b.org)
  const def = forms.get(b.form)
  const rows = await repo.batchRounds(ctx.db, { path: o.path, form: def.code, asOf: b.asOf })
  if (!rows.length) throw notFound('填报轮次')
  return { def, rows }
}

/** Moves the 报送截止日期 of a batch's units below the caller (approved ones stay as they were). */
export async function roundDeadline(
  ctx: Ctx,
  forms: FormRegistry,
  b: { org?: number; form: string; asOf: string; deadline: string },
): Promise<{ changed: number }> {
  canWrite(ctx)
  if (b.deadline < ctx.today) throw fieldError('deadline', `报送截止日期不能早于今天（${ctx.today}）`)
  const { def, rows } = await batchOf(ctx, forms, b)
  const mine = rows.filter((r) => isAbove(ctx, r.org_path))
  if (!mine.length) throw forbidden('报送截止日期由上级工会确定，本单位不能调整自己的期限')
  let changed = 0
  for (const r of mine) {
    if (r.status === 'approved' || r.deadline === b.deadline) continue
    await repo.setDeadline(ctx.db, r.id, b.deadline)
    await event(ctx, r.id, r.org_path, 'deadline', `${r.deadline ?? '未设'} → ${b.deadline}`)
    ctx.audit({
      action: 'form.round.deadline',
      targetType: 'report_round',
      targetId: r.id,
      targetName: `${r.org_name} ${def.label} ${r.as_of}`,
      scopePath: r.org_path,
      detail: { before: { deadline: r.deadline }, after: { deadline: b.deadline } },
    })
    changed++
  }
  return { changed }
}

/**
 * 催报: a message to the cadres of each lagging unit of the batch (all of them, or those chosen),
 * at most one a day per unit; recorded in the round's history and the audit log.
 */
export async function roundRemind(
  ctx: Ctx,
  forms: FormRegistry,
  b: { org?: number; form: string; asOf: string; ids?: number[] },
): Promise<RoundRemindResult> {
  canWrite(ctx)
  const { def, rows } = await batchOf(ctx, forms, b)
  let chosen = rows
  if (b.ids) {
    const want = new Set(b.ids)
    chosen = rows.filter((r) => want.has(r.id))
    if (chosen.length !== want.size) throw fieldError('ids', '所选单位不在该批填报中，或不在您的管辖范围内')
  }
  const above = chosen.filter((r) => isAbove(ctx, r.org_path))
  if (!above.length) throw forbidden('催报由上级工会向下级单位发出')
  const out: RoundRemindResult = { sent: [], skipped: [] }
  for (const r of above) {
    const state = roundState(r.status, r.deadline, ctx.today)
    if (!lagging(state) || !(await repo.markReminded(ctx.db, r.id, ctx.today))) {
      out.skipped.push(r.org_name)
      continue
    }
    const due = r.deadline ? (state === 'overdue' ? `报送截止日期 ${r.deadline} 已过，请尽快` : `请于 ${r.deadline} 前`) : '请尽快'
    await notify(
      ctx,
      { orgId: Number(r.org_id), orgPath: r.org_path },
      {
        kind: 'round_reminder',
        title: `催报：${def.label}`,
        body: `${r.org_name}：${due}${r.status === 'returned' ? '按审核意见修改后重新提交' : '填报并提交'}${def.label}（截止时间 ${r.as_of}）。`,
        link: `/forms?tab=rounds&round=${r.id}`,
      },
    )
    await event(ctx, r.id, r.org_path, 'remind', state === 'overdue' ? '逾期催报' : null)
    ctx.audit({
      action: 'form.round.remind',
      targetType: 'report_round',
      targetId: r.id,
      targetName: `${r.org_name} ${def.label} ${r.as_of}`,
      scopePath: r.org_path,
      detail: { state, deadline: r.deadline, reminders: r.reminders + 1 },
    })
    out.sent.push(r.org_name)
  }
  return out
}
