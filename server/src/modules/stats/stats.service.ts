import { jointCategories } from '../../../../common/codes.js'
import {
  memberRateBases,
  rateOf,
  unitCategories,
  type MemberRateBasis,
  type PeriodFigure,
  type PeriodKind,
  type RankingRow,
  type SeriesPoint,
  type StatsPeriod,
  type StatsRanking,
  type StatsSeries,
  type WorkforceView,
} from '../../../../common/stats.js'
import { hasRole, type Ctx } from '../../http/context.js'
import { fieldError, forbidden, notFound } from '../../http/errors.js'
import * as repo from './stats.repository.js'
import { requireWriter } from '../../policies/policy.js'
import { checkAsOf, hOf, indicatorsOf, memberRateBasis, ref, resolveOrg, type Hierarchy } from './indicators.js'

// read by other modules from indicators.ts; kept here for the routes and the bench
export { checkAsOf, indicatorsOf, memberRateBasis, panel, resolveOrg } from './indicators.js'

/** The metrics an indicator reads (for rankings: only these are fetched per sub-unit). */
function metricsOf(key: string, basis: MemberRateBasis, asOf: string): { num: string; den: string | null } | undefined {
  // members who took part in an activity in the year of the date ÷ members (0024)
  if (key === 'participation_rate') return { num: `act.participants.${asOf.slice(0, 4)}`, den: 'members' }
  if (key === 'member_rate') return { num: 'members', den: basis === 'covered' ? 'emp.all.covered' : 'emp.all' }
  if (key === 'realname_rate') return { num: 'members.ok', den: 'members' }
  if (key === 'members' || key === 'unions' || key === 'unions.joint' || key === 'unions.own') return { num: key, den: null }
  if (key === 'covered_enterprises') return { num: 'ent.all.covered', den: null }
  const ur = /^union_rate\.(\w+)$/.exec(key)
  if (ur) {
    const c = unitCategories.find((x) => x.code === ur[1])
    return c ? { num: `ent.${c.code}.${c.rateBasis}`, den: `ent.${c.code}` } : undefined
  }
  const mr = /^member_rate\.(\w+)$/.exec(key)
  if (mr) {
    const c = unitCategories.find((x) => x.code === mr[1])
    return c ? { num: `mem.${c.code}`, den: basis === 'covered' ? `emp.${c.code}.covered` : `emp.${c.code}` } : undefined
  }
  return undefined
}

/** The indicators a ranking can order by. */
export const rankable = [
  'member_rate',
  'realname_rate',
  'members',
  'unions',
  'unions.joint',
  'covered_enterprises',
  'participation_rate',
  ...unitCategories.map((c) => `union_rate.${c.code}`),
  ...unitCategories.filter((c) => c.code !== 'all').map((c) => `member_rate.${c.code}`),
]

/**
 * Sub-units (towns of a city, unions of a town …) ranked by one indicator; the last fifth of
 * those with a denominator (at least one) are flagged as lagging (末位).
 */
export async function ranking(
  ctx: Ctx,
  q: { org?: number; asOf?: string; hierarchy: Hierarchy; indicator: string },
): Promise<StatsRanking> {
  const o = await resolveOrg(ctx, q.org)
  const asOf = checkAsOf(ctx, o, q.asOf)
  const basis = await memberRateBasis(ctx)
  const m = metricsOf(q.indicator, basis, asOf)
  if (!m) throw fieldError('indicator', `不能按“${q.indicator}”排名，可选：${rankable.join('、')}`)
  const h = hOf(q.hierarchy)
  const units = await repo.subUnits(ctx.db, Number(o.id), h, asOf < ctx.today ? asOf : undefined)
  const metrics = m.den ? [m.num, m.den] : [m.num]
  const past = asOf < ctx.today ? asOf : undefined
  // in the industry hierarchy a union that belongs to an industry union brings its own (geographic)
  // subtree; an industry union below brings its industry total
  const byTree = h === 'i' ? units.filter((u) => !u.is_industry_union) : []
  const t = await repo.totalsOf(
    ctx.db,
    units.filter((u) => !byTree.includes(u)).map((u) => u.id),
    h,
    metrics,
    past,
  )
  for (const [id, x] of await repo.totalsOf(
    ctx.db,
    byTree.map((u) => u.id),
    'g',
    metrics,
    past,
  ))
    t.set(id, x)
  const rows = units.map((u) => {
    const x = t.get(u.id)!
    const numerator = x.get(m.num) ?? 0
    const denominator = m.den ? (x.get(m.den) ?? 0) : null
    return { org: ref(u), numerator, denominator, rate: m.den ? rateOf({ numerator, denominator }) : null }
  })
  const score = (r: (typeof rows)[number]) => (m.den ? (r.rate ?? -1) : r.numerator)
  rows.sort((a, b) => score(b) - score(a) || a.org.code.localeCompare(b.org.code))
  const scored = rows.filter((r) => !m.den || r.denominator)
  const lagCount = scored.length >= 3 ? Math.max(1, Math.floor(scored.length / 5)) : 0
  const lagging = new Set(scored.slice(scored.length - lagCount).map((r) => r.org.id))
  const label =
    indicatorsOf(new Map(), new Map(), basis, { year: asOf.slice(0, 4), start: new Map() }).find((i) => i.key === q.indicator)?.label ??
    q.indicator
  return {
    org: ref(o),
    asOf,
    indicator: { key: q.indicator, label },
    rows: rows.map((r, i): RankingRow => ({ ...r, rank: i + 1, lagging: lagging.has(r.org.id) })),
    laggingRule: '参与排名单位数的后20%（至少1个，少于3个单位时不标注）',
  }
}

const iso = (d: Date) => d.toISOString().slice(0, 10)
const day = (s: string) => new Date(s + 'T00:00:00Z')
const addDays = (s: string, n: number) => {
  const d = day(s)
  d.setUTCDate(d.getUTCDate() + n)
  return iso(d)
}

/** The period of a kind that contains `date`, and the one before it. */
export function periodOf(kind: PeriodKind, date: string) {
  const d = day(date)
  const y = d.getUTCFullYear()
  const months = kind === 'year' ? 12 : kind === 'quarter' ? 3 : 1
  const startMonth = kind === 'year' ? 0 : kind === 'quarter' ? Math.floor(d.getUTCMonth() / 3) * 3 : d.getUTCMonth()
  const from = new Date(Date.UTC(y, startMonth, 1))
  const to = new Date(Date.UTC(y, startMonth + months, 0))
  const pFrom = new Date(Date.UTC(y, startMonth - months, 1))
  const pTo = new Date(Date.UTC(y, startMonth, 0))
  return { current: { from: iso(from), to: iso(to) }, previous: { from: iso(pFrom), to: iso(pTo) } }
}

const FLOWS = ['new.members', 'new.transfers_in', 'new.transfers_out', 'new.left', 'new.retained']

/** A period (year, quarter, month) against the one before: who joined, left, moved, new unions, and the stocks at the ends. */
export async function period(ctx: Ctx, q: { org?: number; hierarchy: Hierarchy; kind: PeriodKind; date?: string }): Promise<StatsPeriod> {
  const o = await resolveOrg(ctx, q.org)
  const date = q.date ?? ctx.today
  if (date > ctx.today) throw fieldError('date', '日期不能晚于今天')
  const p = periodOf(q.kind, date)
  const h = hOf(q.hierarchy)
  const id = Number(o.id)
  const endOf = (to: string) => (to >= ctx.today ? undefined : to)
  const [fc, fp, uc, up, sc, sp] = await Promise.all([
    repo.changes(ctx.db, id, h, p.current.from, p.current.to, FLOWS),
    repo.changes(ctx.db, id, h, p.previous.from, p.previous.to, FLOWS),
    repo.unionsFounded(ctx.db, o.path, h, p.current.from, p.current.to),
    repo.unionsFounded(ctx.db, o.path, h, p.previous.from, p.previous.to),
    repo.totals(ctx.db, id, h, endOf(p.current.to)),
    repo.totals(ctx.db, id, h, endOf(p.previous.to)),
  ])
  const fig = (key: string, label: string, current: number, previous: number): PeriodFigure => ({
    key,
    label,
    current,
    previous,
    change: current - previous,
    changeRate: previous ? (current - previous) / previous : null,
  })
  return {
    org: ref(o),
    kind: q.kind,
    current: p.current,
    previous: p.previous,
    figures: [
      fig('new.members', '新入会会员', fc.get('new.members') ?? 0, fp.get('new.members') ?? 0),
      fig('new.unions', '新建基层工会', uc.all, up.all),
      fig('new.unions.joint', '新建联合工会', uc.joint, up.joint),
      fig('new.transfers_in', '转入', fc.get('new.transfers_in') ?? 0, fp.get('new.transfers_in') ?? 0),
      fig('new.transfers_out', '转出', fc.get('new.transfers_out') ?? 0, fp.get('new.transfers_out') ?? 0),
      fig('new.left', '退会、除名', fc.get('new.left') ?? 0, fp.get('new.left') ?? 0),
      fig('members', '期末会员数', sc.get('members') ?? 0, sp.get('members') ?? 0),
      fig('members.ne', '期末新就业形态会员', sc.get('members.ne') ?? 0, sp.get('members.ne') ?? 0),
      fig('unions', '期末基层工会数', sc.get('unions') ?? 0, sp.get('unions') ?? 0),
    ],
  }
}

/** Members (and who joined and left) per month, quarter or year, read backwards from the total. */
export async function series(
  ctx: Ctx,
  q: { org?: number; hierarchy: Hierarchy; from?: string; to?: string; grain: 'month' | 'quarter' | 'year' },
): Promise<StatsSeries> {
  const o = await resolveOrg(ctx, q.org)
  const to = q.to ?? ctx.today
  if (to > ctx.today) throw fieldError('to', '截止日期不能晚于今天')
  const span = q.grain === 'year' ? -3650 : q.grain === 'quarter' ? -1095 : -365
  const from = q.from ?? addDays(to, span)
  if (from > to) throw fieldError('from', '开始日期不能晚于截止日期')
  const h = hOf(q.hierarchy)
  const id = Number(o.id)
  const buckets: string[] = []
  const first = periodOf(q.grain, from).current.from
  for (let b = first; b <= to; b = addDays(periodOf(q.grain, b).current.to, 1)) buckets.push(b)
  const [t, ch] = await Promise.all([
    repo.totals(ctx.db, id, h, to < ctx.today ? to : undefined),
    repo.changesByBucket(ctx.db, id, h, addDays(first, -1), to, q.grain, [
      'members',
      'unions',
      'new.members',
      'new.left',
      'new.transfers_out',
    ]),
  ])
  const by = new Map<string, Map<string, number>>()
  for (const c of ch) {
    if (!by.has(c.bucket)) by.set(c.bucket, new Map())
    by.get(c.bucket)!.set(c.metric, c.delta)
  }
  // walk back from `to`: the value at the end of a bucket is the value at `to` less every later change
  let members = t.get('members') ?? 0
  let unions = t.get('unions') ?? 0
  const points: SeriesPoint[] = []
  for (let i = buckets.length - 1; i >= 0; i--) {
    const b = buckets[i]!
    const x = by.get(b)
    const end = periodOf(q.grain, b).current.to
    points.push({
      date: end > to ? to : end,
      members,
      unions,
      joined: x?.get('new.members') ?? 0,
      left: (x?.get('new.left') ?? 0) + (x?.get('new.transfers_out') ?? 0),
    })
    members -= x?.get('members') ?? 0
    unions -= x?.get('unions') ?? 0
  }
  return { org: ref(o), grain: q.grain, points: points.reverse() }
}

/** The joint unions behind the 联合工会 by type chart (附件1), current, of one category or all. */
export async function jointUnions(ctx: Ctx, q: { org?: number; hierarchy: Hierarchy; category?: string }) {
  const o = await resolveOrg(ctx, q.org)
  if (q.category && !jointCategories.some((c) => c.code === q.category)) throw fieldError('category', `没有“${q.category}”这一联合工会类型`)
  const rows = await repo.jointUnions(ctx.db, o.path, hOf(q.hierarchy), q.category)
  return {
    org: ref(o),
    category: q.category ?? null,
    items: rows.map((r) => ({
      id: Number(r.id),
      code: r.code,
      name: r.name,
      parentName: r.parent_name,
      orgForm: r.org_form,
      jointScope: r.joint_scope,
      jointCategory: r.joint_category,
      foundedOn: r.founded_on,
      members: Number(r.member_count),
      enterprises: Number(r.covered_enterprises),
      employees: Number(r.covered_employees),
      unionWorkers: Number(r.union_workers),
    })),
  }
}

export async function settings(ctx: Ctx) {
  const basis = await memberRateBasis(ctx)
  return { memberRateBasis: basis, bases: memberRateBases }
}

export async function putSettings(ctx: Ctx, b: { memberRateBasis: MemberRateBasis }) {
  if (!hasRole(ctx.actor, 'sysadmin')) throw forbidden('只有系统管理员可以修改统计口径')
  const before = await memberRateBasis(ctx)
  await repo.putSetting(ctx.db, 'member_rate_basis', b.memberRateBasis)
  ctx.audit({
    action: 'stats.settings',
    targetType: 'stat_setting',
    targetId: 'member_rate_basis',
    detail: { before: { memberRateBasis: before }, after: b },
  })
  return settings(ctx)
}

export async function workforce(ctx: Ctx, orgId?: number): Promise<WorkforceView[]> {
  const o = await resolveOrg(ctx, orgId)
  return (await repo.workforceList(ctx.db, o.path)).map((r) => ({
    id: Number(r.id),
    orgId: Number(r.org_id),
    orgName: r.org_name,
    platformName: r.platform_name,
    occupation: r.occupation,
    workers: r.workers,
    asOf: r.as_of,
    note: r.note,
  }))
}

export async function putWorkforce(
  ctx: Ctx,
  b: { orgId: number; platformName: string; occupation: string; workers: number; asOf: string; note?: string },
) {
  requireWriter(ctx)
  const o = await repo.org(ctx.db, b.orgId)
  if (!o) throw fieldError('orgId', '组织不存在或不在您的管辖范围内')
  if (b.asOf > ctx.today) throw fieldError('asOf', '统计日期不能晚于今天')
  const r = await repo.workforceUpsert(ctx.db, {
    org_id: Number(o.id),
    org_path: o.path,
    platform_name: b.platformName,
    occupation: b.occupation,
    workers: b.workers,
    as_of: b.asOf,
    note: b.note ?? null,
    created_by: ctx.actor.id,
  })
  ctx.audit({
    action: 'stats.workforce',
    targetType: 'platform_workforce',
    targetId: Number(r.id),
    targetName: b.platformName,
    scopePath: o.path,
    detail: { after: b },
  })
  return { id: Number(r.id) }
}

export async function deleteWorkforce(ctx: Ctx, id: number) {
  requireWriter(ctx)
  const r = await repo.workforceDelete(ctx.db, id)
  if (!r) throw notFound('平台从业人数记录')
  ctx.audit({
    action: 'stats.workforce.delete',
    targetType: 'platform_workforce',
    targetId: id,
    targetName: r.platform_name,
    detail: { before: r },
  })
}
