/**
 * The indicator panel and what every reader of the statistics needs first: the organization asked
 * for (in the caller's jurisdiction), a date the figures can be read for, the member-rate basis and
 * the indicators computed from a subtree's tallies. Used by stats.service, the plans and the forms.
 */
import { jointCategories, jointScopes } from '../../../../common/codes.js'
import {
  activityIndicators as ai,
  activityMetrics,
  memberRateBases,
  newEmploymentGroups,
  unitCategories,
  type MemberRateBasis,
  type OrgRef,
  type Ratio,
  type StatsPanel,
} from '../../../../common/stats.js'
import type { Ctx } from '../../http/context.js'
import { fieldError, forbidden, notFound } from '../../http/errors.js'
import * as repo from './stats.repository.js'

export type Hierarchy = 'geo' | 'industry'
export const hOf = (h: Hierarchy): repo.H => (h === 'industry' ? 'i' : 'g')

/** The organization asked for, in the caller's jurisdiction (RLS), or the top of it. */
export async function resolveOrg(ctx: Ctx, id?: number) {
  if (id === undefined) {
    if (!ctx.actor.scopePath) throw forbidden('您的账号没有管辖范围')
    const root = await repo.scopeRoot(ctx.db, ctx.actor.scopePath)
    if (!root) throw notFound('组织')
    return root
  }
  const o = await repo.org(ctx.db, id)
  if (!o) throw fieldError('org', '组织不存在或不在您的管辖范围内')
  return o
}

/** A date the figures can be read for: not in the future, not before the organization was founded. */
export function checkAsOf(ctx: Ctx, o: { name: string; founded_on: string | null }, asOf: string | undefined, field = 'asOf') {
  const d = asOf ?? ctx.today
  if (d > ctx.today) throw fieldError(field, '截止日期不能晚于今天')
  if (o.founded_on && d < o.founded_on) throw fieldError(field, `${o.name}成立于${o.founded_on}，该日期时尚未成立`)
  return d
}

export async function memberRateBasis(ctx: Ctx): Promise<MemberRateBasis> {
  const v = await repo.setting(ctx.db, 'member_rate_basis')
  return v === 'all' ? 'all' : 'covered'
}

export const ref = (o: { id: number; code: string; name: string }): OrgRef => ({ id: Number(o.id), code: o.code, name: o.name })

/**
 * The indicators of a subtree from its tallies: every figure a numerator and (for rates) a
 * denominator. `workforce` is the 新就业形态 workforce entered per platform.
 */
export function indicatorsOf(t: Map<string, number>, workforce: Map<string, number>, basis: MemberRateBasis, year?: YearStart): Ratio[] {
  const v = (k: string) => t.get(k) ?? 0
  const basisNote = memberRateBases.find((b) => b.code === basis)!.note
  const out: Ratio[] = [
    {
      key: 'unions',
      label: '基层工会数',
      group: 'org',
      numerator: v('unions'),
      denominator: null,
      note: '状态正常的工会委员会、联合工会委员会、工会联合会',
    },
    { key: 'unions.own', label: '单独建会的基层工会', group: 'org', numerator: v('unions.own'), denominator: null },
    {
      key: 'unions.joint',
      label: '联合工会',
      group: 'org',
      numerator: v('unions.joint'),
      denominator: null,
      note: '联合工会委员会与工会联合会',
    },
    {
      key: 'members',
      label: '会员数',
      group: 'member',
      numerator: v('members'),
      denominator: null,
      note: '在册会员（不含保留会籍、预备会员）',
    },
    { key: 'members.retained', label: '保留会籍', group: 'member', numerator: v('members.retained'), denominator: null },
    { key: 'members.reserve', label: '预备会员', group: 'member', numerator: v('members.reserve'), denominator: null },
    {
      key: 'covered_enterprises',
      label: '涵盖企业数',
      group: 'org',
      numerator: v('ent.all.covered'),
      denominator: null,
      note: '单独建会或联合建会的用人单位',
    },
    {
      key: 'covered_employees',
      label: '涵盖职工数',
      group: 'org',
      numerator: v('emp.all.covered'),
      denominator: null,
      note: '已建会（含联合建会）单位的职工人数',
    },
    {
      key: 'union_workers',
      label: '工会工作者数',
      group: 'org',
      numerator: v('union_workers'),
      denominator: null,
      note: '基层工会专职与兼职工会工作者',
    },
    {
      key: 'member_rate',
      label: '职工入会率',
      group: 'member_rate',
      numerator: v('members'),
      denominator: basis === 'covered' ? v('emp.all.covered') : v('emp.all'),
      note: basisNote,
    },
  ]
  for (const c of unitCategories) {
    out.push({
      key: `union_rate.${c.code}`,
      label: `建会率：${c.label}`,
      group: 'union_rate',
      numerator: v(`ent.${c.code}.${c.rateBasis}`),
      denominator: v(`ent.${c.code}`),
      note: `${c.note}。${c.rateBasis === 'own' ? '分子为单独建会的单位' : '分子为单独建会或联合建会的单位'}`,
    })
  }
  for (const c of unitCategories) {
    if (c.code === 'all') continue
    out.push({
      key: `member_rate.${c.code}`,
      label: `职工入会率：${c.label}`,
      group: 'member_rate',
      numerator: v(`mem.${c.code}`),
      denominator: basis === 'covered' ? v(`emp.${c.code}.covered`) : v(`emp.${c.code}`),
      note: `分子为登记在该类单位工作的会员；${basisNote}`,
    })
  }
  let wf = 0
  for (const g of newEmploymentGroups) {
    const w = workforce.get(g.code) ?? 0
    wf += w
    out.push({
      key: `ne_rate.${g.code}`,
      label: `入会率：${g.label}`,
      group: 'new_employment',
      numerator: v(`members.ne.${g.code}`),
      denominator: w,
      note: `分母为各平台填报的${g.workforce}`,
    })
  }
  out.push({
    key: 'ne_rate',
    label: '入会率：新就业形态四类群体',
    group: 'new_employment',
    numerator: v('members.ne'),
    denominator: wf,
    note: '四类重点群体合计',
  })
  out.push({
    key: 'realname_rate',
    label: '实名制录入率',
    group: 'quality',
    numerator: v('members.ok'),
    denominator: v('members'),
    note: '合格记录（证件有效、无重复、必填项齐全）÷ 在册会员',
  })
  if (year) out.push(...activityIndicatorsOf(t, year))
  return out
}

/** The year of the date read, and the year-flows as they stood on 31 December before it. */
export interface YearStart {
  year: string
  start: Map<string, number>
}

/**
 * 活动与建议: activities and proposals over the calendar year of the date read, each a numerator
 * and (for shares) a denominator of the tallies kept by 0024_participation_stats.sql.
 */
function activityIndicatorsOf(t: Map<string, number>, { year, start }: YearStart): Ratio[] {
  // what happened this year: the value on the date read less the value on 31 December before
  const y = (k: string) => (t.get(k) ?? 0) - (start.get(k) ?? 0)
  const a = (key: keyof typeof ai, numerator: number, denominator: number | null, note: string): Ratio => ({
    key,
    label: ai[key].label,
    group: 'activity',
    numerator,
    denominator,
    note,
  })
  const years = `${year}年1月1日至统计日期`
  return [
    a('activities', y('act.held'), null, `${years}开展的活动：已发布、未取消、开始日期不晚于统计日期，计入主办工会（及其上级）`),
    a('attendances', y('act.attended'), null, `${years}开展的活动中签到的人次`),
    a(
      'participation_rate',
      t.get(`act.participants.${year}`) ?? 0,
      t.get('members') ?? 0,
      `${years}至少签到参加过一次活动的会员（每人只计一次，计入其报名时所在工会）÷ 在册会员`,
    ),
    a(
      'member_origin_rate',
      y('act.member_origin'),
      y('act.held'),
      `来自会员建议（打call）或会员提议的活动 ÷ 开展的活动（${years}）；目标不低于${ai.member_origin_rate.goal}%`,
    ),
    a('rating', y('act.rating.sum'), y('act.rating.count'), `评分之和 ÷ 评分人次（1–5分，${years}开展的活动）`),
    a('proposals.received', y('prop.received'), null, `${years}会员提出的建议（不含被隐藏的）`),
    a(
      'proposals.planned',
      y('prop.planned'),
      y('prop.received'),
      `${years}支持数达到门槛、进入工作计划的建议 ÷ 同期收到的建议（按发生日期计，跨年的建议可使比例超过100%）`,
    ),
    a('proposals.done', y('prop.done'), y('prop.accepted'), `${years}办结的建议 ÷ 同期采纳（纳入工作计划办理）的建议`),
    a('proposals.late', y('prop.late'), y('prop.answered'), `${years}在答复期限之后才答复的建议 ÷ 同期答复的建议`),
  ]
}

/** The year-flows a panel subtracts (their value on 31 December before the date read). */
export const yearFlowMetrics: string[] = [...activityMetrics]
export const yearOf = (asOf: string) => ({ year: asOf.slice(0, 4), before: `${Number(asOf.slice(0, 4)) - 1}-12-31` })

function jointRows(t: Map<string, number>) {
  const v = (k: string) => t.get(k) ?? 0
  return {
    jointByCategory: jointCategories.map((c) => ({
      category: c.code,
      label: c.label,
      committees: v(`joint.${c.code}.committees`),
      federations: v(`joint.${c.code}.federations`),
      members: v(`joint.${c.code}.members`),
      employees: v(`joint.${c.code}.employees`),
      enterprises: v(`joint.${c.code}.enterprises`),
      workers: v(`joint.${c.code}.workers`),
    })),
    jointByScope: jointScopes.map((s) => ({ scope: s.code, label: s.label, count: v(`joint.${s.code}`) })),
  }
}

/** The full indicator panel of a subtree, now or on a past date. */
export async function panel(ctx: Ctx, q: { org?: number; asOf?: string; hierarchy: Hierarchy }): Promise<StatsPanel> {
  const o = await resolveOrg(ctx, q.org)
  const asOf = checkAsOf(ctx, o, q.asOf)
  const yr = yearOf(asOf)
  const [t, start, wf, basis] = await Promise.all([
    repo.totals(ctx.db, Number(o.id), hOf(q.hierarchy), asOf < ctx.today ? asOf : undefined),
    repo.totalsOf(ctx.db, [Number(o.id)], hOf(q.hierarchy), yearFlowMetrics, yr.before),
    repo.workforceTotals(ctx.db, o.path, asOf),
    memberRateBasis(ctx),
  ])
  const indicators = indicatorsOf(t, wf, basis, { year: yr.year, start: start.get(Number(o.id))! })
  return { org: ref(o), asOf, hierarchy: q.hierarchy, memberRateBasis: basis, indicators, ...jointRows(t) }
}
