/**
 * The indicator panel and what every reader of the statistics needs first: the organization asked
 * for (in the caller's jurisdiction), a date the figures can be read for, the member-rate basis and
 * the indicators computed from a subtree's tallies. Used by stats.service, the plans and the forms.
 */
import { jointCategories, jointScopes } from '../../../../common/codes.js'
import {
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
export function indicatorsOf(t: Map<string, number>, workforce: Map<string, number>, basis: MemberRateBasis): Ratio[] {
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
  return out
}

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
  const [t, wf, basis] = await Promise.all([
    repo.totals(ctx.db, Number(o.id), hOf(q.hierarchy), asOf < ctx.today ? asOf : undefined),
    repo.workforceTotals(ctx.db, o.path, asOf),
    memberRateBasis(ctx),
  ])
  return { org: ref(o), asOf, hierarchy: q.hierarchy, memberRateBasis: basis, indicators: indicatorsOf(t, wf, basis), ...jointRows(t) }
}
