import type { z } from 'zod'
import type { Kysely } from 'kysely'
import type { Ctx, Tx } from '../../http/context.js'
import type { DB } from '../../db/schema.js'
import { conflict, fieldError, forbidden, notFound } from '../../http/errors.js'
import { mayWriteAt, memberSees, requireMember, requireWriter } from '../../policies/policy.js'
import { appendAudit } from '../audit/audit.repository.js'
import { runAsSystem } from '../../http/scope.js'
import type { Pii } from '../../security/pii.js'
import { notify } from '../messages/notify.js'
import type { MessageKind } from '../../../../common/messages.js'
import {
  categoryLabel,
  DEFAULT_PROPOSAL_RULE,
  proposalLevels,
  proposalStatusLabel,
  type MyProposal,
  type MyProposalDetail,
  type MyProposalPage,
  type ProposalCadreDetail,
  type ProposalDetail,
  type ProposalLevel,
  type ProposalRow,
  type ProposalRules,
  type ProposalStatus,
  type ProposalSummary,
  type SupportAnswer,
  type WorkPlanItem,
  type myProposalListQuery,
  type proposalAnswerBody,
  type proposalCreateBody,
  type proposalEditBody,
  type proposalHideBody,
  type proposalListQuery,
  type proposalProgressBody,
  type proposalRuleBody,
  type workPlanQuery,
} from '../../../../common/proposals.js'
import type { Page } from '../../../../common/api.js'
import * as repo from './proposals.repository.js'

/**
 * Proposals (建议 · 打call). A member posts to their union or one above it; the threshold, the
 * answer period (working days: Saturdays and Sundays skipped, public holidays not known) and the
 * support period are pinned from the rule in force at publishing (the nearest union at or above
 * that sets one for the union's level, else 200 / 10 / 90). The support itself is one locked
 * transition in the database (proposal_support_add); the union answers, tracks progress to done,
 * and every supporter is told at each step.
 */

const iso = (d: Date | string | null | undefined) => (d == null ? null : new Date(d).toISOString())
const day = (d: Date | string | null | undefined) => (d == null ? null : String(d).slice(0, 10))
const link = (id: number) => `/m/proposals/${id}`
const cadreLink = (id: number) => `/proposals/${id}`

type SummaryRow = {
  id: number | string
  org_id: number | string
  title: string
  category: string
  status: string
  threshold: number
  supports_count: number
  created_at: Date | string
  closes_on: string
  reached_at: Date | string | null
  answer_due_on: string | null
  answered_at: Date | string | null
  progress: number
  union_name: string
}
type DetailRow = SummaryRow & {
  body: string
  frozen_at: Date | string | null
  answer: string | null
  done_at: Date | string | null
  hidden_reason: string | null
}

const overdue = (r: { status: string; answer_due_on: string | null }, today: string) =>
  r.status === 'reached' && r.answer_due_on !== null && day(r.answer_due_on)! < today

function summary(r: SummaryRow, today: string): ProposalSummary {
  return {
    id: Number(r.id),
    title: r.title,
    category: r.category,
    categoryLabel: categoryLabel(r.category),
    status: r.status as ProposalStatus,
    statusLabel: proposalStatusLabel(r.status),
    unionId: Number(r.org_id),
    unionName: r.union_name,
    supportsCount: Number(r.supports_count),
    threshold: Number(r.threshold),
    createdAt: iso(r.created_at)!,
    closesOn: day(r.closes_on)!,
    reachedAt: iso(r.reached_at),
    answerDueOn: day(r.answer_due_on),
    answeredAt: iso(r.answered_at),
    progress: Number(r.progress),
    overdue: overdue(r, today),
  }
}

async function detailOf(db: Tx, r: DetailRow, today: string): Promise<ProposalDetail> {
  const entries = await repo.progressOf(db, Number(r.id))
  const answeredOn = r.answered_at ? new Date(r.answered_at).toISOString().slice(0, 10) : null
  return {
    ...summary(r, today),
    body: r.body,
    frozen: r.frozen_at !== null,
    answer: r.answer,
    answeredLate: answeredOn !== null && r.answer_due_on !== null && answeredOn > day(r.answer_due_on)!,
    doneAt: iso(r.done_at),
    hiddenReason: r.hidden_reason,
    progressEntries: entries.map((e) => ({ id: Number(e.id), onDate: day(e.on_date)!, percent: e.percent, note: e.note })),
  }
}

/** The rule in force for a union: its own or the nearest union's above it for its level, else the default. */
async function ruleFor(db: Tx, org: { path: string; is_regional: boolean }) {
  const level: ProposalLevel = org.is_regional ? 'regional' : 'grassroots'
  const r = (await repo.rulesAbove(db, org.path)).find((x) => x.level === level)
  return r ? { threshold: r.threshold, answerDays: r.answer_days, periodDays: r.period_days } : { ...DEFAULT_PROPOSAL_RULE }
}

// ── the member's side ─────────────────────────────────────────────────────────────
export async function myList(ctx: Ctx, q: z.output<typeof myProposalListQuery>): Promise<MyProposalPage> {
  const me = requireMember(ctx)
  const [page, chain] = await Promise.all([
    repo.memberPage(ctx.db, me.memberId, { tab: q.tab, limit: q.pageSize, offset: (q.page - 1) * q.pageSize }),
    repo.chainOf(ctx.db, me.orgPath),
  ])
  return {
    items: page.items.map((r): MyProposal => ({
      ...summary(r, ctx.today),
      mine: Number(r.author_id) === me.memberId,
      supported: r.supported,
    })),
    total: page.total,
    unions: chain.map((o) => ({ id: Number(o.id), name: o.name })),
  }
}

export async function myGet(ctx: Ctx, id: number): Promise<MyProposalDetail> {
  const me = requireMember(ctx)
  const r = await repo.detail(ctx.db, id)
  if (!r) throw notFound('建议')
  const [d, supported] = await Promise.all([detailOf(ctx.db, r, ctx.today), repo.supportedBy(ctx.db, id, me.memberId)])
  const mine = Number(r.author_id) === me.memberId
  const taking =
    ['open', 'reached', 'accepted', 'in_progress'].includes(r.status) && !(r.status === 'open' && day(r.closes_on)! < ctx.today)
  return {
    ...d,
    // a hidden proposal's reason is its author's to read
    hiddenReason: mine ? d.hiddenReason : null,
    mine,
    supported,
    canSupport: !mine && !supported && taking,
    editable: mine && r.status === 'open' && r.frozen_at === null && day(r.closes_on)! >= ctx.today,
  }
}

export async function create(ctx: Ctx, b: z.output<typeof proposalCreateBody>): Promise<MyProposalDetail> {
  const me = requireMember(ctx)
  const org = await repo.orgBrief(ctx.db, b.unionId ?? me.unionId)
  if (!org || !memberSees(me, org.path)) throw fieldError('unionId', '只能向本人所在工会或其上级工会提出建议')
  const rule = await ruleFor(ctx.db, org)
  const p = await repo.insert(ctx.db, {
    orgId: Number(org.id),
    orgPath: org.path,
    authorId: me.memberId,
    title: b.title,
    body: b.body,
    category: b.category,
    ...rule,
  })
  ctx.audit({
    action: 'proposal.create',
    targetType: 'proposal',
    targetId: p.id,
    targetName: b.title,
    scopePath: org.path,
    detail: { union: org.name, threshold: rule.threshold, answerDays: rule.answerDays, closesOn: p.closesOn },
  })
  return myGet(ctx, p.id)
}

export async function edit(ctx: Ctx, id: number, b: z.output<typeof proposalEditBody>): Promise<MyProposalDetail> {
  const me = requireMember(ctx)
  const r = await repo.detail(ctx.db, id)
  if (!r) throw notFound('建议')
  if (Number(r.author_id) !== me.memberId) throw forbidden('只能修改自己的建议')
  // the text freezes with the first support: refused then, also when a support arrives meanwhile
  // (the update waits for the support's lock on the row and finds frozen_at set)
  const frozen = () => conflict('已有会员支持这条建议，内容已冻结，不能再修改')
  if (r.frozen_at !== null) throw frozen()
  if (r.status !== 'open' || day(r.closes_on)! < ctx.today) throw conflict('这条建议已不再征集支持，不能再修改')
  if (!(await repo.editText(ctx.db, id, me.memberId, b))) throw frozen()
  ctx.audit({
    action: 'proposal.edit',
    targetType: 'proposal',
    targetId: id,
    targetName: b.title,
    scopePath: r.org_path,
    detail: {
      before: { title: r.title, body: r.body, category: r.category },
      after: { title: b.title, body: b.body, category: b.category },
    },
  })
  return myGet(ctx, id)
}

/**
 * 打call: one support per member (the unique index; a second tap answers 'already' and writes
 * nothing). The support is counted when the request commits (0026); the commit that reaches the
 * threshold puts the proposal into the union's work plan, and the server tells of it
 * (announceReached) once it holds.
 */
export async function support(ctx: Ctx, id: number): Promise<SupportAnswer> {
  requireMember(ctx)
  const r = await repo.supportAdd(ctx.db, id)
  switch (r.outcome) {
    case 'not_found':
      throw notFound('建议')
    case 'own':
      throw forbidden('不能支持自己提出的建议')
    case 'not_member':
      throw forbidden('只有该工会（含下属工会）的在册会员可以支持这条建议')
    case 'not_open':
      throw conflict('这条建议已不再征集支持')
  }
  // A support is recorded by its own row (proposal_support: the member, the moment; once by the
  // unique index), not on the audit chain: an entry per support would queue every support of the
  // city behind the chain's head. The transition is audited when it is told.
  return {
    outcome: r.outcome as SupportAnswer['outcome'],
    supportsCount: Number(r.supports_count),
    threshold: Number(r.threshold),
    status: r.status as ProposalStatus,
  }
}

/**
 * Tells of the proposals that reached their threshold and are not yet told of, each exactly once
 * (claimed by reached_told_at): the union's cadres (answer by the due date), the author (also by
 * SMS) and every supporter; audited as the system's act. Run by the server when the database
 * announces a transition ('proposal_reached', 0026), at its start and hourly for what a server
 * that was down missed. Answers the ids told of.
 */
export async function announceReached(owner: Kysely<DB>, pii: Pii): Promise<number[]> {
  return runAsSystem(owner, pii, async (ctx) => {
    const reached = await repo.claimReachedUntold(ctx.db)
    for (const p of reached) {
      const id = Number(p.id)
      ctx.audit({
        action: 'proposal.reached',
        targetType: 'proposal',
        targetId: id,
        targetName: p.title,
        scopePath: p.org_path,
        detail: { supports: p.supports_count, threshold: p.threshold, answerDueOn: day(p.answer_due_on) },
      })
      const title = `建议「${p.title}」已达到${p.threshold}人支持`
      await notify(
        ctx,
        { orgId: Number(p.org_id), orgPath: p.org_path },
        {
          kind: 'threshold_reached',
          title,
          body: `已纳入${p.union_name}工作计划，请在${day(p.answer_due_on)}前答复（纳入工作计划或说明不予采纳的理由）`,
          link: cadreLink(id),
        },
      )
      const author = Number(p.author_id)
      const body = `已纳入${p.union_name}工作计划，工会将在${day(p.answer_due_on)}前答复`
      await notify(ctx, { members: [author] }, { kind: 'threshold_reached', title, body, link: link(id), sms: true })
      const supporters = (await repo.supporterIds(ctx.db, id)).filter((m) => m !== author)
      await notify(ctx, { members: supporters }, { kind: 'threshold_reached', title, body, link: link(id) })
    }
    return reached.map((p) => Number(p.id))
  })
}

// ── the cadres' side ──────────────────────────────────────────────────────────────
async function scopeOf(ctx: Ctx, org: number | undefined): Promise<string> {
  if (!ctx.actor.scopePath) throw forbidden('您的账号不属于任何工会')
  if (org === undefined) return ctx.actor.scopePath
  const o = await repo.orgBrief(ctx.db, org)
  if (!o) throw notFound('组织')
  return o.path
}

export async function list(ctx: Ctx, q: z.output<typeof proposalListQuery>): Promise<Page<ProposalRow>> {
  const orgPath = await scopeOf(ctx, q.org)
  const page = await repo.cadrePage(ctx.db, {
    orgPath,
    status: q.status,
    overdue: q.overdue,
    q: q.q || undefined,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  })
  return { items: page.items.map((r) => ({ ...summary(r, ctx.today), authorName: r.author_name ?? '会员' })), total: page.total }
}

export async function get(ctx: Ctx, id: number): Promise<ProposalCadreDetail> {
  const r = await repo.cadreDetail(ctx.db, id)
  if (!r) throw notFound('建议')
  return {
    ...(await detailOf(ctx.db, r, ctx.today)),
    authorName: r.author_name ?? '会员',
    workPlanItemId: r.work_plan_item_id === null ? null : Number(r.work_plan_item_id),
    canWrite: mayWriteAt(ctx.actor, r.org_path),
  }
}

async function lockWritable(ctx: Ctx, id: number) {
  requireWriter(ctx)
  const p = await repo.lockForCadre(ctx.db, id)
  if (!p) throw notFound('建议')
  if (!mayWriteAt(ctx.actor, p.org_path)) throw forbidden()
  return p
}

/** Everyone to tell about a step: the author and every supporter. */
const everyone = async (ctx: Ctx, p: { id: number | string; author_id: number | string }) => [
  Number(p.author_id),
  ...(await repo.supporterIds(ctx.db, Number(p.id))),
]

/**
 * A cadre's step on a proposal (held by lockWritable), written down: its audit entry, then the
 * message to the author alone or to everyone (the author and every supporter), linking to it.
 */
async function stepTaken(
  ctx: Ctx,
  id: number,
  p: Awaited<ReturnType<typeof lockWritable>>,
  step: { action: string; detail: Record<string, unknown>; tell: 'author' | 'everyone' },
  message: { kind: MessageKind; title: string; body: string; sms: boolean },
) {
  ctx.audit({ action: step.action, targetType: 'proposal', targetId: id, targetName: p.title, scopePath: p.org_path, detail: step.detail })
  const members = step.tell === 'everyone' ? await everyone(ctx, p) : [Number(p.author_id)]
  await notify(ctx, { members }, { ...message, link: link(id) })
}

export async function answer(ctx: Ctx, id: number, b: z.output<typeof proposalAnswerBody>): Promise<ProposalCadreDetail> {
  const p = await lockWritable(ctx, id)
  if (p.status !== 'reached') throw conflict('只有已达到支持数、尚未答复的建议可以答复')
  const status = b.verdict === 'accept' ? 'accepted' : 'declined'
  await repo.setAnswer(ctx.db, id, status, b.reply)
  const late = p.answer_due_on !== null && day(p.answer_due_on)! < ctx.today
  await stepTaken(
    ctx,
    id,
    p,
    {
      action: b.verdict === 'accept' ? 'proposal.accept' : 'proposal.decline',
      detail: { reply: b.reply, answerDueOn: day(p.answer_due_on), late },
      tell: 'everyone',
    },
    {
      kind: 'proposal_answered',
      title: b.verdict === 'accept' ? `建议「${p.title}」已纳入工作计划` : `建议「${p.title}」不予采纳`,
      body: b.reply,
      sms: true,
    },
  )
  return get(ctx, id)
}

export async function progress(ctx: Ctx, id: number, b: z.output<typeof proposalProgressBody>): Promise<ProposalCadreDetail> {
  const p = await lockWritable(ctx, id)
  if (p.status !== 'accepted' && p.status !== 'in_progress') throw conflict('只有已纳入工作计划、尚未办结的建议可以登记办理进度')
  if (b.percent < p.progress) throw fieldError('percent', `不能低于当前进度 ${p.progress}%`)
  await repo.addProgress(ctx.db, { proposalId: id, orgPath: p.org_path, percent: b.percent, note: b.note, userId: ctx.actor.id })
  const done = b.percent === 100
  await stepTaken(
    ctx,
    id,
    p,
    {
      action: 'proposal.progress',
      detail: { before: { progress: p.progress }, after: { progress: b.percent }, note: b.note },
      tell: 'everyone',
    },
    {
      kind: 'proposal_progress',
      title: done ? `建议「${p.title}」已办结` : `建议「${p.title}」办理进度 ${b.percent}%`,
      body: b.note,
      sms: done,
    },
  )
  return get(ctx, id)
}

export async function hide(ctx: Ctx, id: number, b: z.output<typeof proposalHideBody>): Promise<ProposalCadreDetail> {
  const p = await lockWritable(ctx, id)
  if (p.status === 'hidden') throw conflict('这条建议已隐藏')
  await repo.hide(ctx.db, id, b.hiddenReason, p.status)
  await stepTaken(
    ctx,
    id,
    p,
    { action: 'proposal.hide', detail: { reason: b.hiddenReason, before: { status: p.status } }, tell: 'author' },
    { kind: 'proposal_hidden', title: `您的建议「${p.title}」已被隐藏`, body: `原因：${b.hiddenReason}`, sms: true },
  )
  return get(ctx, id)
}

export async function workPlan(ctx: Ctx, q: z.output<typeof workPlanQuery>): Promise<Page<WorkPlanItem>> {
  const orgPath = await scopeOf(ctx, q.org)
  const page = await repo.workPlanPage(ctx.db, { orgPath, limit: q.pageSize, offset: (q.page - 1) * q.pageSize })
  return {
    items: page.items.map((w) => ({
      id: Number(w.id),
      proposalId: Number(w.proposal_id),
      title: w.title,
      unionName: w.union_name,
      createdAt: iso(w.created_at)!,
      status: w.status as ProposalStatus,
      statusLabel: proposalStatusLabel(w.status),
      progress: Number(w.progress),
      answerDueOn: day(w.answer_due_on),
      overdue: overdue(w, ctx.today),
    })),
    total: page.total,
  }
}

/** The rules in force at a union (default the caller's) for each level, and where they come from. */
export async function rules(ctx: Ctx, orgId?: number): Promise<ProposalRules> {
  if (!ctx.actor.scopePath || !ctx.actor.orgId) throw forbidden('您的账号不属于任何工会')
  const org = orgId === undefined ? null : await repo.orgBrief(ctx.db, orgId)
  if (orgId !== undefined && !org) throw notFound('组织')
  const here = org?.path ?? ctx.actor.scopePath
  const set = await repo.rulesAbove(ctx.db, here)
  return {
    unionId: org ? Number(org.id) : ctx.actor.orgId,
    unionName: org?.name ?? ctx.actor.orgName ?? '',
    canWrite: mayWriteAt(ctx.actor, here),
    rules: (Object.keys(proposalLevels) as ProposalLevel[]).map((level) => {
      const r = set.find((x) => x.level === level)
      return {
        level,
        levelLabel: proposalLevels[level],
        threshold: r?.threshold ?? DEFAULT_PROPOSAL_RULE.threshold,
        answerDays: r?.answer_days ?? DEFAULT_PROPOSAL_RULE.answerDays,
        periodDays: r?.period_days ?? DEFAULT_PROPOSAL_RULE.periodDays,
        source: !r ? 'default' : r.org_path === here ? 'own' : 'inherited',
        sourceName: r?.name ?? null,
      }
    }),
  }
}

/** Sets a union's rule for one level (the caller's own, or one in its jurisdiction): its subtree's proposals published from now on. */
export async function setRule(ctx: Ctx, b: z.output<typeof proposalRuleBody>): Promise<ProposalRules> {
  requireWriter(ctx)
  const current = await rules(ctx, b.orgId)
  const org = {
    id: current.unionId,
    name: current.unionName,
    path: b.orgId === undefined ? ctx.actor.scopePath! : (await repo.orgBrief(ctx.db, b.orgId))!.path,
  }
  if (!mayWriteAt(ctx.actor, org.path)) throw forbidden()
  const before = current.rules.find((r) => r.level === b.level)
  await repo.upsertRule(ctx.db, {
    orgId: org.id,
    orgPath: org.path,
    level: b.level,
    threshold: b.threshold,
    answerDays: b.answerDays,
    periodDays: b.periodDays,
  })
  ctx.audit({
    action: 'proposal.rule',
    targetType: 'org',
    targetId: org.id,
    targetName: org.name,
    scopePath: org.path,
    detail: {
      level: proposalLevels[b.level],
      before: before && {
        threshold: before.threshold,
        answerDays: before.answerDays,
        periodDays: before.periodDays,
        source: before.source,
      },
      after: { threshold: b.threshold, answerDays: b.answerDays, periodDays: b.periodDays },
    },
  })
  return rules(ctx, b.orgId)
}

// ── the hourly sweep (main.ts; tests call it) ────────────────────────────────────────
/**
 * As the owner, for every city: open proposals whose period ended before `today` without reaching
 * the threshold close (the author and the supporters are told, in the app); proposals whose
 * answer is overdue are named once to their union's cadres. Audited on each city's chain.
 */
export async function sweep(owner: Kysely<DB>, today: string): Promise<{ closed: number; reminded: number }> {
  return owner.transaction().execute(async (tx) => {
    const closed = await repo.closeExpired(tx, today)
    const byChain = new Map<string, Parameters<typeof appendAudit>[3]>()
    for (const p of closed) {
      const ids = [Number(p.author_id), ...(await repo.supporterIds(tx, Number(p.id)))]
      await repo.sweepMessageMembers(tx, ids, {
        kind: 'proposal_closed',
        title: `建议「${p.title}」未达到支持数，已关闭`,
        body: `征集期内获得 ${p.supports_count} 人支持（需 ${p.threshold} 人）`,
        link: link(Number(p.id)),
      })
      const chain = `org:${p.org_path.split('/')[1]}`
      byChain.set(chain, [
        ...(byChain.get(chain) ?? []),
        {
          action: 'proposal.close',
          targetType: 'proposal',
          targetId: Number(p.id),
          targetName: p.title,
          scopePath: p.org_path,
          detail: { supports: p.supports_count, threshold: p.threshold },
        },
      ])
    }
    for (const [chain, entries] of byChain) await appendAudit(tx, chain, { id: null, name: 'system', ip: null }, entries)
    const due = await markDueReminded(tx, today)
    return { closed: closed.length, reminded: due }
  })
}

async function markDueReminded(tx: Kysely<DB>, today: string): Promise<number> {
  const due = await repo.markDueReminded(tx, today)
  for (const p of due)
    await repo.sweepMessageOrg(tx, {
      orgId: Number(p.org_id),
      orgPath: p.org_path,
      kind: 'answer_due',
      title: `建议「${p.title}」答复已超期`,
      body: `答复期限为${day(p.answer_due_on)}，请尽快答复（纳入工作计划或说明不予采纳的理由）`,
      link: cadreLink(Number(p.id)),
    })
  return due.length
}
