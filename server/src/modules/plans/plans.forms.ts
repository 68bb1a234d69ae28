/**
 * The forms of the plans, in the FormTable shape of the forms module (common/forms.ts):
 *   form3       附件3 组建数和会员发展数参考目标 — one row per sub-region: 名称, 联合工会数, 会员发展数, 备注, 合计
 *   monitoring  a Hangzhou-style monitoring table — every target of a plan, per sub-region its value and status
 * Both read the plan that covers the organization on the date: one set by it or an ancestor and
 * running on that date (else the latest one started before it), or the plan asked for.
 */
import { chineseDate, sumRows, type FormCell, type FormColumn, type FormRow, type FormTable } from '../../../../common/forms.js'
import { statusLabel, targetDef } from '../../../../common/plans.js'
import type { Ctx } from '../../http/context.js'
import { fieldError, notFound } from '../../http/errors.js'
import { checkAsOf, resolveOrg } from '../stats/indicators.js'
import type { FormDef } from '../forms/registry.js'
import * as repo from './plans.repository.js'
import * as service from './plans.service.js'

export interface PlanFormQuery {
  org?: number
  asOf?: string
  plan?: number
}

/** The plan a form is drawn from; `keys` narrows to plans with one of those targets. */
async function choosePlan(ctx: Ctx, path: string, asOf: string, planId: number | undefined, keys?: string[]) {
  if (planId !== undefined) {
    const p = await repo.plan(ctx.db, planId)
    if (!p) throw notFound('计划')
    return Number(p.id)
  }
  const all = await repo.covering(ctx.db, path, asOf)
  const fit = all.find((p) => !keys || (p.keys ?? '').split(',').some((k) => keys.includes(k)))
  if (!fit) throw fieldError('asOf', `${asOf}时本单位及上级没有${keys ? '含“联合工会数”或“会员发展数”目标的' : ''}计划`)
  return Number(fit.id)
}

/** '2017－2018': from the plan's start to the year its count targets are due in full (the first 100% milestone), else its end. */
export function planYears(p: { startOn: string; endOn: string; milestones: { dueOn: string; share: number }[] }) {
  const full = [...p.milestones].sort((a, b) => a.dueOn.localeCompare(b.dueOn)).find((m) => m.share >= 100)
  const from = p.startOn.slice(0, 4)
  const to = (full?.dueOn ?? p.endOn).slice(0, 4)
  return from === to ? from : `${from}－${to}`
}

const FORM3_KEYS = ['new.unions.joint', 'new.members']

/** 附件3: the split of the organization's share among its sub-regions, as the seed prints it. */
export async function form3(ctx: Ctx, q: PlanFormQuery): Promise<FormTable> {
  const o = await resolveOrg(ctx, q.org)
  const asOf = checkAsOf(ctx, o, q.asOf)
  const planId = await choosePlan(ctx, o.path, asOf, q.plan, FORM3_KEYS)
  const plan = await service.get(ctx, planId)
  const level = await service.allocations(ctx, planId, Number(o.id))
  const columns: FormColumn[] = [
    { key: 'new.unions.joint', label: '联合工会数', kind: 'count', width: 14 },
    { key: 'new.members', label: '会员发展数', kind: 'count', width: 14 },
    { key: 'note', label: '备注', kind: 'text', width: 20 },
  ]
  const allocated = level.rows.filter((r) => FORM3_KEYS.some((k) => r.values[k] !== null && r.values[k] !== undefined))
  const rows: FormRow[] = (allocated.length ? allocated : level.rows).map((r) => ({
    key: r.org.code,
    caption: r.org.name,
    cells: [r.values['new.unions.joint'] ?? null, r.values['new.members'] ?? null, r.note ?? null],
  }))
  const regional = level.rows.length > 0
  return {
    form: 'form3',
    attachment: '附件3',
    title: `${planYears(plan)}${regional ? '各镇（街道、开发区）总工会' : '各下级工会'}联合工会组建数和会员发展数参考目标`,
    filler: null,
    asOf: null,
    org: { id: Number(o.id), code: o.code, name: o.name },
    captionHeader: '名     称',
    columns,
    rows,
    total: { caption: '合　　计', cells: sumRows(columns, rows) },
    notes: [`依据：${plan.name}${plan.docNo ? `（${plan.docNo}）` : ''}，计划期 ${chineseDate(plan.startOn)}至${chineseDate(plan.endOn)}`],
    editable: false,
  }
}

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`)

/**
 * The monitoring table: one row per sub-region and a total row for the organization itself; per
 * target of the plan a value column and a status column (达标 / 未达标 / 进度滞后).
 */
export async function monitoring(ctx: Ctx, q: PlanFormQuery): Promise<FormTable> {
  const o = await resolveOrg(ctx, q.org)
  const asOf = checkAsOf(ctx, o, q.asOf)
  const planId = await choosePlan(ctx, o.path, asOf, q.plan)
  const pr = await service.progress(ctx, planId, { org: Number(o.id), asOf, rankBy: 'overall' })
  // per target a group of two columns under its name: the value and the status
  const columns: FormColumn[] = []
  const groups: { label: string; span: number }[] = []
  for (const t of pr.own) {
    const def = targetDef(t.key)
    groups.push({ label: t.kind === 'rate' ? `${def?.short ?? t.label}（≥${t.target}%）` : (def?.short ?? t.label), span: 2 })
    columns.push({
      key: t.key,
      label: t.kind === 'rate' ? '比率（分子/分母）' : '完成/目标',
      kind: 'text',
      width: t.kind === 'rate' ? 20 : 12,
    })
    columns.push({ key: `${t.key}:status`, label: '状态', kind: 'text', width: 9 })
  }
  const cellsOf = (tp: typeof pr.own): FormCell[] =>
    tp.flatMap((t) => {
      const value =
        t.kind === 'count'
          ? `${t.numerator}${t.target === null ? '' : `/${t.target}`}`
          : t.denominator
            ? `${pct(t.rate)}（${t.numerator}/${t.denominator}）`
            : '—'
      return [value, statusLabel(t.status)]
    })
  const rows: FormRow[] = pr.rows.map((r) => ({ key: r.org.code, caption: r.org.name, cells: cellsOf(r.targets) }))
  const notes = [
    `计划：${pr.plan.name}（${pr.plan.startOn} 至 ${pr.plan.endOn}）；数量目标统计 ${pr.window.from} 至 ${pr.window.to} 的新增数`,
    `当前应完成进度：${pr.milestone.expectedShare}%${pr.milestone.passed ? `（${pr.milestone.passed.label ?? pr.milestone.passed.dueOn}节点）` : ''}${pr.milestone.next ? `；下一节点 ${pr.milestone.next.dueOn} 应完成 ${pr.milestone.next.share}%` : ''}`,
    '状态：达标＝已完成目标；进度滞后＝低于当前节点应完成数；未达标＝比率低于目标，或数量尚未完成但未滞后；未分解＝未向该单位分解数量目标',
  ]
  return {
    form: 'monitoring',
    title: `${pr.plan.name}目标监测表`,
    filler: o.name,
    asOf,
    org: { id: Number(o.id), code: o.code, name: o.name },
    captionHeader: '地    区',
    columns,
    rows,
    total: { caption: `${o.name}（合计）`, cells: cellsOf(pr.own) },
    notes,
    editable: false,
    // 17 targets × 2 columns do not fit A4: A3 landscape, split across sheets with the region column repeated
    paper: 'a3-landscape',
    groups,
  }
}

/** The forms of the plans, for the forms registry (forms/registry.ts, built in app.ts and cli.ts), so the API, the
 * reporting rounds and `npm run cli -- report form3|monitoring` know both. */
export const planForms: FormDef[] = [
  {
    code: 'form3',
    label: '附件3 组建数和会员发展数参考目标',
    editable: false,
    generate: (ctx, o, asOf) => form3(ctx, { org: o.id, asOf }),
  },
  {
    code: 'monitoring',
    label: '计划目标监测表',
    editable: false,
    generate: (ctx, o, asOf) => monitoring(ctx, { org: o.id, asOf }),
  },
]
