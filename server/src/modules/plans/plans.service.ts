import {
  targetDef,
  type AllocationInput,
  type AllocationLevel,
  type AllocationRowView,
  type PlanDetail,
  type PlanInput,
  type PlanMilestoneView,
  type PlanProgress,
  type PlanSummary,
  type PlanTargetView,
  type ProgressRow,
  type TargetProgress,
  type TargetStatus,
} from '../../../../common/plans.js'
import type { Page } from '../../../../common/api.js'
import type { OrgRef } from '../../../../common/stats.js'
import type { Ctx } from '../../http/context.js'
import { inScope, isWithin, mayWriteAt, requireWriter } from '../../policies/policy.js'
import { AppError, fieldError, forbidden, notFound } from '../../http/errors.js'
import * as statsRepo from '../stats/stats.repository.js'
import { checkAsOf, indicatorsOf, memberRateBasis, resolveOrg } from '../stats/indicators.js'
import * as repo from './plans.repository.js'

type OrgRow = NonNullable<Awaited<ReturnType<typeof statsRepo.org>>>
const ref = (o: { id: number | string; code: string; name: string }): OrgRef => ({ id: Number(o.id), code: o.code, name: o.name })

async function loadPlan(ctx: Ctx, id: number) {
  const p = await repo.plan(ctx.db, id)
  if (!p) throw notFound('计划')
  return p
}
type Plan = NonNullable<Awaited<ReturnType<typeof repo.plan>>>

function summary(ctx: Ctx, p: Plan, counts?: { targets: number; milestones: number }): PlanSummary {
  return {
    id: Number(p.id),
    org: { id: Number(p.org_id), code: p.org_code, name: p.org_name },
    name: p.name,
    docNo: p.doc_no,
    startOn: p.start_on,
    endOn: p.end_on,
    targetCount: counts?.targets ?? 0,
    milestoneCount: counts?.milestones ?? 0,
    editable: mayWriteAt(ctx.actor, p.org_path),
    updatedAt: new Date(p.updated_at).toISOString(),
  }
}

async function targetsOf(ctx: Ctx, planId: number): Promise<PlanTargetView[]> {
  return (await repo.targets(ctx.db, planId)).map((r) => {
    const d = targetDef(r.key)
    return {
      key: r.key,
      kind: r.kind as 'count' | 'rate',
      label: d?.label ?? r.key,
      unit: d?.unit ?? '',
      value: Number(r.value),
      note: r.note,
    }
  })
}
async function milestonesOf(ctx: Ctx, planId: number): Promise<PlanMilestoneView[]> {
  return (await repo.milestones(ctx.db, planId)).map((m) => ({ dueOn: m.due_on, share: Number(m.share), label: m.label }))
}

export async function list(ctx: Ctx, q: { org?: number; page: number; pageSize: number }): Promise<Page<PlanSummary>> {
  const o = await resolveOrg(ctx, q.org)
  const { rows, total } = await repo.list(ctx.db, o.path, q.page, q.pageSize)
  return { items: rows.map((r) => summary(ctx, r, { targets: Number(r.targets), milestones: Number(r.milestones) })), total }
}

export async function get(ctx: Ctx, id: number): Promise<PlanDetail> {
  const p = await loadPlan(ctx, id)
  const [targets, milestones] = await Promise.all([targetsOf(ctx, id), milestonesOf(ctx, id)])
  return { ...summary(ctx, p, { targets: targets.length, milestones: milestones.length }), note: p.note, targets, milestones }
}

async function write(ctx: Ctx, planId: number, orgPath: string, b: PlanInput) {
  await repo.replaceTargets(
    ctx.db,
    planId,
    orgPath,
    b.targets.map((x) => ({ key: x.key, kind: targetDef(x.key)!.kind, value: x.value, note: x.note ?? null })),
  )
  await repo.replaceMilestones(
    ctx.db,
    planId,
    orgPath,
    [...b.milestones]
      .sort((x, y) => x.dueOn.localeCompare(y.dueOn))
      .map((m) => ({ due_on: m.dueOn, share: m.share, label: m.label ?? null })),
  )
}

export async function create(ctx: Ctx, b: PlanInput & { orgId: number }): Promise<PlanDetail> {
  requireWriter(ctx)
  const o = await statsRepo.org(ctx.db, b.orgId)
  if (!o) throw fieldError('orgId', '组织不存在或不在您的管辖范围内')
  const r = await repo.insert(ctx.db, {
    org_id: Number(o.id),
    org_path: o.path,
    name: b.name,
    doc_no: b.docNo ?? null,
    start_on: b.startOn,
    end_on: b.endOn,
    note: b.note ?? null,
    created_by: ctx.actor.id,
  })
  const id = Number(r.id)
  await write(ctx, id, o.path, b)
  ctx.audit({ action: 'plan.create', targetType: 'plan', targetId: id, targetName: b.name, scopePath: o.path, detail: { after: b } })
  return get(ctx, id)
}

export async function update(ctx: Ctx, id: number, b: PlanInput): Promise<PlanDetail> {
  requireWriter(ctx)
  const p = await loadPlan(ctx, id)
  if (!mayWriteAt(ctx.actor, p.org_path)) throw forbidden(`“${p.name}”由${p.org_name}制定，只能查看，不能修改`)
  const before = await get(ctx, id)
  await repo.update(ctx.db, id, { name: b.name, doc_no: b.docNo ?? null, start_on: b.startOn, end_on: b.endOn, note: b.note ?? null })
  await write(ctx, id, p.org_path, b)
  ctx.audit({
    action: 'plan.update',
    targetType: 'plan',
    targetId: id,
    targetName: b.name,
    scopePath: p.org_path,
    detail: { before, after: b },
  })
  return get(ctx, id)
}

export async function remove(ctx: Ctx, id: number) {
  requireWriter(ctx)
  const p = await loadPlan(ctx, id)
  if (!mayWriteAt(ctx.actor, p.org_path)) throw forbidden(`“${p.name}”由${p.org_name}制定，只能查看，不能删除`)
  await repo.remove(ctx.db, id)
  ctx.audit({ action: 'plan.delete', targetType: 'plan', targetId: id, targetName: p.name, scopePath: p.org_path })
}

// ── allocation (分解) ─────────────────────────────────────────────────────────

/**
 * The share of the count targets a union holds in a plan: the plan's targets at the plan's union,
 * else what its parent allocated to it (null per target not allocated). Undefined when the union is
 * outside the plan's region.
 */
async function shareOf(ctx: Ctx, p: Plan, o: OrgRow, targets: PlanTargetView[]): Promise<Record<string, number | null> | undefined> {
  const counts = targets.filter((x) => x.kind === 'count')
  if (Number(o.id) === Number(p.org_id)) return Object.fromEntries(counts.map((x) => [x.key, x.value]))
  if (!isWithin(o.path, p.org_path)) return undefined
  const a = await repo.allocation(ctx.db, Number(p.id), Number(o.id))
  return Object.fromEntries(counts.map((x) => [x.key, a?.vals?.[x.key] ?? null]))
}

/** The org whose split to show: asked for, else the plan's union when visible, else the caller's own union. */
async function levelOrg(ctx: Ctx, p: Plan, orgId?: number) {
  if (orgId !== undefined) return resolveOrg(ctx, orgId)
  const top = await statsRepo.org(ctx.db, Number(p.org_id))
  if (top && inScope(ctx.actor, top.path)) return top
  return resolveOrg(ctx)
}

export async function allocations(ctx: Ctx, id: number, orgId?: number): Promise<AllocationLevel> {
  const p = await loadPlan(ctx, id)
  const o = await levelOrg(ctx, p, orgId)
  const targets = await targetsOf(ctx, id)
  const totals = await shareOf(ctx, p, o, targets)
  if (!totals) throw fieldError('org', `${o.name}不在“${p.name}”的范围（${p.org_name}）内`)
  const [units, rows] = await Promise.all([statsRepo.subUnits(ctx.db, Number(o.id), 'g'), repo.allocationsOf(ctx.db, id, Number(o.id))])
  const byOrg = new Map(rows.map((r) => [Number(r.org_id), r]))
  const ids = [...new Set([...units.map((u) => u.id), ...byOrg.keys()])]
  const sums = await repo.splitSums(ctx.db, id, ids)
  const counts = targets.filter((x) => x.kind === 'count')
  // the weights of a proportional split (自动分解), today's: 应建未建 units, workers, members
  const paths = [...units.map((u) => ({ id: u.id, path: u.path })), ...rows.map((r) => ({ id: Number(r.org_id), path: r.org_path }))]
  const [due, tallies] = await Promise.all([
    repo.dueUnitsOf(
      ctx.db,
      paths.filter((p, i) => paths.findIndex((q) => q.id === p.id) === i),
    ),
    statsRepo.totalsOf(ctx.db, ids, 'g', ['emp.all', 'members']),
  ])
  const basisOf = (orgId: number) => ({
    due: due.get(orgId) ?? 0,
    workers: tallies.get(orgId)?.get('emp.all') ?? 0,
    members: tallies.get(orgId)?.get('members') ?? 0,
  })
  const view = (org: OrgRef, r: (typeof rows)[number] | undefined): AllocationRowView => {
    const values = Object.fromEntries(counts.map((x) => [x.key, r?.vals?.[x.key] ?? null]))
    const below = sums.get(org.id)
    const childMismatch = below
      ? counts.filter((x) => (below[x.key] ?? 0) !== (values[x.key] ?? 0) && below[x.key] !== undefined).map((x) => x.label)
      : []
    return { org, values, note: r?.note ?? null, childMismatch, basis: basisOf(org.id) }
  }
  const out: AllocationRowView[] = units.map((u) => view(ref(u), byOrg.get(u.id)))
  for (const r of rows)
    if (!units.some((u) => u.id === Number(r.org_id))) out.push(view(ref({ id: r.org_id, code: r.code, name: r.name }), r))
  return {
    parent: ref(o),
    totals,
    rows: out,
    editable: mayWriteAt(ctx.actor, o.path),
  }
}

const fmt = (n: number) => n.toLocaleString('zh-CN')

/**
 * Splits a union's share among its sub-regions. Every count target that is split must add up to
 * the share exactly; a target left blank in every row stays unsplit. The cell at fault is named.
 */
export async function putAllocations(ctx: Ctx, id: number, b: AllocationInput): Promise<AllocationLevel> {
  requireWriter(ctx)
  const p = await loadPlan(ctx, id)
  const o = await statsRepo.org(ctx.db, b.parentOrgId)
  if (!o) throw fieldError('parentOrgId', '组织不存在或不在您的管辖范围内')
  if (!inScope(ctx.actor, o.path)) throw forbidden(`只能分解本单位及下级的目标，${o.name}的目标由其上级分解`)
  const targets = await targetsOf(ctx, id)
  const share = await shareOf(ctx, p, o, targets)
  if (!share) throw fieldError('parentOrgId', `${o.name}不在“${p.name}”的范围（${p.org_name}）内`)
  const units = await statsRepo.subUnits(ctx.db, Number(o.id), 'g')
  const unitById = new Map(units.map((u) => [u.id, u]))
  const existing = new Map((await repo.allocationsOf(ctx.db, id, Number(o.id))).map((r) => [Number(r.org_id), r]))
  const counts = targets.filter((x) => x.kind === 'count')
  const seen = new Set<number>()
  const rows: { org_id: number; org_path: string; name: string; vals: Record<string, number>; note: string | null }[] = []
  for (const [i, r] of b.rows.entries()) {
    const u =
      unitById.get(r.orgId) ??
      (existing.has(r.orgId) ? { id: r.orgId, path: existing.get(r.orgId)!.org_path, name: existing.get(r.orgId)!.name } : undefined)
    if (!u)
      throw new AppError(400, 'invalid', `第${i + 1}行：该组织不是${o.name}的下级单位，不能分解给它`, {
        [`rows.${i}.orgId`]: '不是下级单位',
      })
    if (seen.has(r.orgId)) throw new AppError(400, 'invalid', `第${i + 1}行：${u.name}重复`, { [`rows.${i}.orgId`]: '重复' })
    seen.add(r.orgId)
    const vals: Record<string, number> = {}
    for (const [k, v] of Object.entries(r.values)) {
      const def = counts.find((x) => x.key === k)
      if (!def)
        throw new AppError(400, 'invalid', `第${i + 1}行（${u.name}）：“${targetDef(k)?.label ?? k}”不是本计划可分解的数量目标`, {
          [`rows.${i}.values.${k}`]: '不可分解',
        })
      if (v !== null) vals[k] = v
    }
    rows.push({ org_id: r.orgId, org_path: u.path, name: u.name, vals, note: r.note ?? null })
  }
  for (const x of counts) {
    const given = rows.filter((r) => r.vals[x.key] !== undefined)
    if (given.length === 0) continue
    const total = share[x.key]
    const shortName = targetDef(x.key)!.short
    if (total === null || total === undefined) {
      throw new AppError(400, 'invalid', `${shortName}：上级尚未向${o.name}分解该目标，不能再往下分解`, {
        [`total.${x.key}`]: '上级未分解',
      })
    }
    const sum = given.reduce((s, r) => s + r.vals[x.key]!, 0)
    if (sum !== total) {
      const diff = sum - total
      throw new AppError(
        400,
        'invalid',
        `${shortName}：分解合计为${fmt(sum)}${x.unit}，应等于${o.name}的目标${fmt(total)}${x.unit}（${diff > 0 ? '多' : '少'}${fmt(Math.abs(diff))}${x.unit}）`,
        { [`total.${x.key}`]: `合计${fmt(sum)}，应为${fmt(total)}` },
      )
    }
  }
  const before = [...existing.values()].map((r) => ({ orgId: Number(r.org_id), values: r.vals, note: r.note }))
  await repo.replaceAllocations(ctx.db, id, { id: Number(o.id), path: o.path }, rows)
  ctx.audit({
    action: 'plan.allocate',
    targetType: 'plan',
    targetId: id,
    targetName: `${p.name}：${o.name}`,
    scopePath: o.path,
    detail: { before, after: b.rows },
  })
  return allocations(ctx, id, Number(o.id))
}

// ── progress (进度) ───────────────────────────────────────────────────────────

const iso = (d: Date) => d.toISOString().slice(0, 10)
const yearBefore = (s: string) => {
  const d = new Date(s + 'T00:00:00Z')
  d.setUTCFullYear(d.getUTCFullYear() - 1)
  return iso(d)
}

/** The milestone passed by `asOf` (its share is what is due now) and the next one. */
export function milestoneAt(ms: PlanMilestoneView[], asOf: string, endOn: string) {
  const sorted = [...ms].sort((a, b) => a.dueOn.localeCompare(b.dueOn))
  const passed = sorted.filter((m) => m.dueOn <= asOf).at(-1) ?? null
  const next = sorted.find((m) => m.dueOn > asOf) ?? null
  const expectedShare = asOf >= endOn ? 100 : (passed?.share ?? 0)
  return { passed, next, expectedShare }
}

/** Status of a count against its target and what is due now; of a rate against its threshold. */
export function statusOf(
  kind: 'count' | 'rate',
  actual: number,
  target: number | null,
  expected: number | null,
  rate: number | null,
): TargetStatus {
  if (kind === 'count') {
    if (target === null) return 'none'
    if (actual >= target) return 'met'
    if (expected !== null && actual < expected) return 'behind'
    return 'unmet'
  }
  if (rate === null || target === null) return 'nodata'
  return rate * 100 + 1e-9 >= target ? 'met' : 'unmet'
}

interface Figures {
  counts: Record<string, number>
  rates: Map<string, { numerator: number; denominator: number | null }>
}

/** The live figures of one region for the plan window: flows since the start, rates on asOf. */
async function figuresOf(
  ctx: Ctx,
  o: { id: number; path: string },
  from: string,
  to: string,
  asOf: string,
  wanted: PlanTargetView[],
  basis: Awaited<ReturnType<typeof memberRateBasis>>,
): Promise<Figures> {
  const counts: Record<string, number> = {}
  const keys = new Set(wanted.map((x) => x.key))
  const past = asOf < ctx.today ? asOf : undefined
  const [flows, founded, totals, wf] = await Promise.all([
    keys.has('new.members') ? statsRepo.changes(ctx.db, o.id, 'g', from, to, ['new.members']) : Promise.resolve(new Map<string, number>()),
    keys.has('new.unions') || keys.has('new.unions.joint')
      ? statsRepo.unionsFounded(ctx.db, o.path, 'g', from, to)
      : Promise.resolve({ all: 0, joint: 0 }),
    wanted.some((x) => x.kind === 'rate') ? statsRepo.totals(ctx.db, o.id, 'g', past) : Promise.resolve(new Map<string, number>()),
    wanted.some((x) => x.key.startsWith('ne_rate'))
      ? statsRepo.workforceTotals(ctx.db, o.path, asOf)
      : Promise.resolve(new Map<string, number>()),
  ])
  counts['new.members'] = flows.get('new.members') ?? 0
  counts['new.unions'] = founded.all
  counts['new.unions.joint'] = founded.joint
  const rates = new Map(indicatorsOf(totals, wf, basis).map((r) => [r.key, { numerator: r.numerator, denominator: r.denominator }]))
  if (keys.has('growth.members.ne')) {
    const then = await statsRepo.totals(ctx.db, o.id, 'g', yearBefore(asOf))
    const a = then.get('members.ne') ?? 0
    rates.set('growth.members.ne', { numerator: (totals.get('members.ne') ?? 0) - a, denominator: a })
  }
  return { counts, rates }
}

function progressOf(
  targets: PlanTargetView[],
  share: Record<string, number | null>,
  fig: Figures,
  expectedShare: number,
): TargetProgress[] {
  return targets.map((x) => {
    if (x.kind === 'count') {
      const target = share[x.key] ?? null
      const actual = fig.counts[x.key] ?? 0
      const expected = target === null ? null : (target * expectedShare) / 100
      return {
        key: x.key,
        kind: x.kind,
        label: x.label,
        unit: x.unit,
        target,
        expected,
        numerator: actual,
        denominator: null,
        rate: target ? actual / target : null,
        status: statusOf('count', actual, target, expected, null),
      }
    }
    const r = fig.rates.get(x.key) ?? { numerator: 0, denominator: 0 }
    const rate = r.denominator ? r.numerator / r.denominator : null
    return {
      key: x.key,
      kind: x.kind,
      label: x.label,
      unit: x.unit,
      target: x.value,
      expected: null,
      numerator: r.numerator,
      denominator: r.denominator,
      rate,
      status: statusOf('rate', r.numerator, x.value, null, rate),
    }
  })
}

/** Completion for the ranking: one target's, or the mean over the allocated count targets (each capped at 100%). */
function completionOf(tp: TargetProgress[], rankBy: string): number | null {
  if (rankBy !== 'overall') {
    const x = tp.find((t) => t.key === rankBy)
    if (!x) return null
    if (x.kind === 'count') return x.target ? x.numerator / x.target : null
    return x.rate === null || !x.target ? null : x.rate / (x.target / 100)
  }
  const xs = tp.filter((t) => t.kind === 'count' && t.target)
  if (xs.length === 0) return null
  return xs.reduce((s, t) => s + Math.min(1, t.numerator / t.target!), 0) / xs.length
}

export const laggingRule = '按完成率排名，参与排名单位数的后20%（至少1个，少于3个单位时不标注）为末位'

/**
 * Progress of a plan in a region on a date: its own figures against its share, and each sub-region
 * ranked by completion, the bottom fifth flagged 末位 and those behind the milestone 进度滞后.
 */
export async function progress(ctx: Ctx, id: number, q: { org?: number; asOf?: string; rankBy: string }): Promise<PlanProgress> {
  const p = await loadPlan(ctx, id)
  const o = await levelOrg(ctx, p, q.org)
  const asOf = checkAsOf(ctx, o, q.asOf)
  if (asOf < p.start_on) throw fieldError('asOf', `截止日期（${asOf}）早于计划开始日期（${p.start_on}）`)
  const [targets, milestones, basis] = await Promise.all([targetsOf(ctx, id), milestonesOf(ctx, id), memberRateBasis(ctx)])
  if (q.rankBy !== 'overall' && !targets.some((x) => x.key === q.rankBy))
    throw fieldError('rankBy', `本计划没有“${targetDef(q.rankBy)?.label ?? q.rankBy}”这项目标`)
  const share = await shareOf(ctx, p, o, targets)
  if (!share) throw fieldError('org', `${o.name}不在“${p.name}”的范围（${p.org_name}）内`)
  const ms = milestoneAt(milestones, asOf, p.end_on)
  const to = asOf < p.end_on ? asOf : p.end_on
  const own = progressOf(
    targets,
    share,
    await figuresOf(ctx, { id: Number(o.id), path: o.path }, p.start_on, to, asOf, targets, basis),
    ms.expectedShare,
  )

  const units = await statsRepo.subUnits(ctx.db, Number(o.id), 'g', asOf < ctx.today ? asOf : undefined)
  const allocated = new Map((await repo.allocationsOf(ctx.db, id, Number(o.id))).map((r) => [Number(r.org_id), r]))
  const list: { id: number; code: string; name: string; path: string }[] = [...units]
  for (const r of allocated.values())
    if (!units.some((u) => u.id === Number(r.org_id))) list.push({ id: Number(r.org_id), code: r.code, name: r.name, path: r.org_path })
  const counts = targets.filter((x) => x.kind === 'count')
  const rows: ProgressRow[] = []
  for (const u of list) {
    const a = allocated.get(u.id)
    const s = Object.fromEntries(counts.map((x) => [x.key, a?.vals?.[x.key] ?? null]))
    const tp = progressOf(targets, s, await figuresOf(ctx, u, p.start_on, to, asOf, targets, basis), ms.expectedShare)
    rows.push({
      org: ref(u),
      targets: tp,
      completion: completionOf(tp, q.rankBy),
      rank: null,
      lagging: false,
      behind: tp.some((x) => x.status === 'behind'),
    })
  }
  rows.sort((a, b) => (b.completion ?? -1) - (a.completion ?? -1) || a.org.code.localeCompare(b.org.code))
  const ranked = rows.filter((r) => r.completion !== null)
  ranked.forEach((r, i) => {
    r.rank = i + 1
  })
  const lagCount = ranked.length >= 3 ? Math.max(1, Math.floor(ranked.length / 5)) : 0
  for (const r of ranked.slice(ranked.length - lagCount)) r.lagging = true
  const rankByLabel = q.rankBy === 'overall' ? '综合完成率（数量目标平均，单项封顶100%）' : `${targetDef(q.rankBy)!.label}完成率`
  const summaryView = summary(ctx, p, { targets: targets.length, milestones: milestones.length })
  return {
    plan: summaryView,
    org: ref(o),
    asOf,
    window: { from: p.start_on, to },
    milestone: ms,
    own,
    rows,
    rankBy: { key: q.rankBy, label: rankByLabel },
    laggingRule,
  }
}
