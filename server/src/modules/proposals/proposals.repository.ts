import { sql, type Kysely } from 'kysely'
import type { Tx } from '../../http/context.js'
import { paged } from '../../db/count.js'
import type { DB } from '../../db/schema.js'
import { under } from '../../db/paths.js'
import { contains } from '../../db/like.js'

/*
 * Proposals (0022_proposals.sql). Read under row-level security: a cadre sees the subtree of the
 * caller's union, a member what is published to them (their union and its ancestors). The support
 * goes through proposal_support_add, the one locked transition.
 */

const summaryColumns = [
  'p.id',
  'p.org_id',
  'p.org_path',
  'p.author_id',
  'p.title',
  'p.category',
  'p.status',
  'p.threshold',
  'p.supports_count',
  'p.created_at',
  'p.closes_on',
  'p.reached_at',
  'p.answer_due_on',
  'p.answered_at',
  'p.progress',
  'o.name as union_name',
] as const

const detailColumns = [...summaryColumns, 'p.body', 'p.frozen_at', 'p.answer', 'p.done_at', 'p.hidden_reason', 'p.answer_days'] as const

// ── the union a proposal goes to, and the rule in force ─────────────────────────
export function orgBrief(db: Tx, id: number) {
  return db.selectFrom('org').select(['id', 'name', 'path', 'is_regional']).where('id', '=', id).executeTakeFirst()
}

/** The member's union chain, top first (a member reads exactly these: org_member_read). */
export function chainOf(db: Tx, orgPath: string) {
  const ids = orgPath.split('/').filter(Boolean).map(Number)
  return db
    .selectFrom('org')
    .select(['id', 'name', 'path'])
    .where('id', 'in', ids.length > 0 ? ids : [0])
    .orderBy(sql`length(path)`)
    .execute()
}

/** The rules set at `orgPath` and above it, nearest first, with the setting union's name. */
export function rulesAbove(db: Tx, orgPath: string) {
  return db
    .selectFrom('proposal_rule as r')
    .leftJoin('org as o', 'o.id', 'r.org_id')
    .select(['r.org_id', 'r.org_path', 'r.level', 'r.threshold', 'r.answer_days', 'r.period_days', 'o.name'])
    .where(sql<boolean>`${orgPath} >= r.org_path and ${orgPath} < r.org_path || '~'`)
    .orderBy(sql`length(r.org_path)`, 'desc')
    .execute()
}

export async function upsertRule(
  db: Tx,
  r: { orgId: number; orgPath: string; level: string; threshold: number; answerDays: number; periodDays: number },
) {
  await db
    .insertInto('proposal_rule')
    .values({
      org_id: r.orgId,
      org_path: r.orgPath,
      level: r.level,
      threshold: r.threshold,
      answer_days: r.answerDays,
      period_days: r.periodDays,
    })
    .onConflict((oc) =>
      oc.columns(['org_id', 'level']).doUpdateSet({
        threshold: r.threshold,
        answer_days: r.answerDays,
        period_days: r.periodDays,
        updated_at: sql`now()`,
      }),
    )
    .execute()
}

// ── writing ─────────────────────────────────────────────────────────────────────
export async function insert(
  db: Tx,
  p: {
    orgId: number
    orgPath: string
    authorId: number
    title: string
    body: string
    category: string
    threshold: number
    answerDays: number
    periodDays: number
  },
) {
  const r = await db
    .insertInto('proposal')
    .values({
      org_id: p.orgId,
      org_path: p.orgPath,
      author_id: p.authorId,
      title: p.title,
      body: p.body,
      category: p.category,
      threshold: p.threshold,
      answer_days: p.answerDays,
      closes_on: sql<string>`current_date + ${p.periodDays}::integer`,
    })
    .returning(['id', 'closes_on'])
    .executeTakeFirstOrThrow()
  return { id: Number(r.id), closesOn: String(r.closes_on) }
}

/** The author's edit: only while no support has counted (the policy says so too). Answers whether it changed a row. */
export async function editText(db: Tx, id: number, authorId: number, t: { title: string; body: string; category: string }) {
  const r = await db
    .updateTable('proposal')
    .set({ title: t.title, body: t.body, category: t.category, updated_at: sql`now()` })
    .where('id', '=', id)
    .where('author_id', '=', authorId)
    .where('frozen_at', 'is', null)
    .where('status', '=', 'open')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/**
 * The member's support (proposal_support_add, 0026): added once; counted, and the threshold
 * transition made, when the request commits (the deferred trigger proposal_support_count).
 */
export async function supportAdd(db: Tx, id: number) {
  const r = await sql<{ outcome: string; supports_count: number; threshold: number; status: string }>`
    select * from proposal_support_add(${id}::bigint)`.execute(db)
  return r.rows[0]!
}

/** Locks the proposal row for a cadre's act (answer, progress, hide). */
export function lockForCadre(db: Tx, id: number) {
  return db
    .selectFrom('proposal as p')
    .select(['p.id', 'p.org_id', 'p.org_path', 'p.author_id', 'p.title', 'p.status', 'p.progress', 'p.answer_due_on', 'p.reached_at'])
    .where('p.id', '=', id)
    .forUpdate()
    .executeTakeFirst()
}

export async function setAnswer(db: Tx, id: number, status: 'accepted' | 'declined', answer: string) {
  await db
    .updateTable('proposal')
    .set({ status, answer, answered_at: sql`now()`, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute()
}

export async function addProgress(db: Tx, p: { proposalId: number; orgPath: string; percent: number; note: string; userId: number }) {
  await db
    .insertInto('proposal_progress')
    .values({
      proposal_id: p.proposalId,
      org_path: p.orgPath,
      on_date: sql<string>`current_date`,
      percent: p.percent,
      note: p.note,
      created_by: p.userId,
    })
    .execute()
  const done = p.percent === 100
  await db
    .updateTable('proposal')
    .set({
      progress: p.percent,
      status: done ? 'done' : 'in_progress',
      done_at: done ? sql`now()` : null,
      updated_at: sql`now()`,
    })
    .where('id', '=', p.proposalId)
    .execute()
}

export async function hide(db: Tx, id: number, reason: string, from: string) {
  await db
    .updateTable('proposal')
    .set({ status: 'hidden', hidden_at: sql`now()`, hidden_reason: reason, hidden_from: from, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute()
}

/** Who supported a proposal (a cadre reads them to tell them). */
export async function supporterIds(db: Tx | Kysely<DB>, id: number): Promise<number[]> {
  const rows = await db.selectFrom('proposal_support').select('member_id').where('proposal_id', '=', id).execute()
  return rows.map((r) => Number(r.member_id))
}

// ── reading ───────────────────────────────────────────────────────────────────
const base = (db: Tx) => db.selectFrom('proposal as p').innerJoin('org as o', 'o.id', 'p.org_id')

/** A member's list: what is published to them (RLS), by tab; with whether they support each. */
export async function memberPage(db: Tx, memberId: number, o: { tab: string; limit: number; offset: number }) {
  let q = base(db)
  if (o.tab === 'open') q = q.where('p.status', 'in', ['open', 'reached', 'accepted', 'in_progress'])
  else if (o.tab === 'mine') q = q.where('p.author_id', '=', memberId)
  else if (o.tab === 'supported')
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('proposal_support as s')
          .select(sql`1`.as('one'))
          .whereRef('s.proposal_id', '=', 'p.id')
          .where('s.member_id', '=', memberId),
      ),
    )
  if (o.tab !== 'mine') q = q.where('p.status', '!=', 'hidden')
  const [items, total] = await Promise.all([
    q
      .select([
        ...summaryColumns,
        sql<boolean>`exists (select 1 from proposal_support s where s.proposal_id = p.id and s.member_id = ${memberId})`.as('supported'),
      ])
      .orderBy('p.id', 'desc')
      .limit(o.limit)
      .offset(o.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { items, total: Number(total.n) }
}

export function detail(db: Tx, id: number) {
  return base(db).select(detailColumns).where('p.id', '=', id).executeTakeFirst()
}

export async function supportedBy(db: Tx, id: number, memberId: number): Promise<boolean> {
  const r = await db
    .selectFrom('proposal_support')
    .select('member_id')
    .where('proposal_id', '=', id)
    .where('member_id', '=', memberId)
    .executeTakeFirst()
  return r !== undefined
}

export function progressOf(db: Tx, id: number) {
  return db
    .selectFrom('proposal_progress')
    .select(['id', 'on_date', 'percent', 'note'])
    .where('proposal_id', '=', id)
    .orderBy('id')
    .execute()
}

/** The cadres' queue: overdue answers first, then the ones awaiting an answer, then the newest. */
export async function cadrePage(
  db: Tx,
  o: { orgPath: string; status?: string; overdue?: boolean; q?: string; limit: number; offset: number },
) {
  let q = base(db).leftJoin('member as m', 'm.id', 'p.author_id').where(under('p.org_path', o.orgPath))
  if (o.status) q = q.where('p.status', '=', o.status)
  if (o.overdue) q = q.where('p.status', '=', 'reached').where('p.answer_due_on', '<', sql<string>`current_date`)
  if (o.q) q = q.where('p.title', 'like', contains(o.q))
  return paged(
    q,
    q
      .select([...summaryColumns, 'm.name as author_name'])
      .orderBy(sql`(p.status = 'reached' and p.answer_due_on < current_date)`, 'desc')
      .orderBy(sql`(p.status = 'reached')`, 'desc')
      .orderBy('p.id', 'desc'),
    o,
    { subtree: true },
  )
}

export function cadreDetail(db: Tx, id: number) {
  return base(db)
    .leftJoin('member as m', 'm.id', 'p.author_id')
    .leftJoin('work_plan_item as w', 'w.proposal_id', 'p.id')
    .select([...detailColumns, 'm.name as author_name', 'w.id as work_plan_item_id'])
    .where('p.id', '=', id)
    .executeTakeFirst()
}

export async function workPlanPage(db: Tx, o: { orgPath: string; limit: number; offset: number }) {
  const q = db
    .selectFrom('work_plan_item as w')
    .innerJoin('proposal as p', 'p.id', 'w.proposal_id')
    .innerJoin('org as o', 'o.id', 'w.org_id')
    .where(under('w.org_path', o.orgPath))
  return paged(
    q,
    q
      .select(['w.id', 'w.proposal_id', 'w.title', 'w.created_at', 'o.name as union_name', 'p.status', 'p.progress', 'p.answer_due_on'])
      .orderBy('w.id', 'desc'),
    o,
    { subtree: true },
  )
}

// ── the hourly sweep (the owner: every city at once) ──────────────────────────────────
/** Closes the open proposals whose period has passed without reaching the threshold; answers them. */
export async function closeExpired(db: Kysely<DB> | Tx, today: string) {
  return db
    .updateTable('proposal')
    .set({ status: 'closed', closed_at: sql`now()`, updated_at: sql`now()` })
    .where('status', '=', 'open')
    .where('closes_on', '<', today)
    .returning(['id', 'org_id', 'org_path', 'author_id', 'title', 'supports_count', 'threshold'])
    .execute()
}

/**
 * The proposals that reached their threshold and whose reaching is not yet told, claimed: each
 * row is returned to one caller only (the update waits for another's claim and then finds it
 * told). With what the message needs: the union's name, the answer's due date.
 */
export async function claimReachedUntold(db: Kysely<DB> | Tx) {
  return db
    .updateTable('proposal as p')
    .set({ reached_told_at: sql`now()` })
    .from('org as o')
    .whereRef('o.id', '=', 'p.org_id')
    .where('p.reached_at', 'is not', null)
    .where('p.reached_told_at', 'is', null)
    .returning([
      'p.id',
      'p.org_id',
      'p.org_path',
      'p.author_id',
      'p.title',
      'p.supports_count',
      'p.threshold',
      'p.answer_due_on',
      'o.name as union_name',
    ])
    .execute()
}

/** Marks the proposals whose answer is overdue and not yet reminded; answers them. */
export async function markDueReminded(db: Kysely<DB> | Tx, today: string) {
  return db
    .updateTable('proposal')
    .set({ due_notified_at: sql`now()` })
    .where('status', '=', 'reached')
    .where('answer_due_on', '<', today)
    .where('due_notified_at', 'is', null)
    .returning(['id', 'org_id', 'org_path', 'title', 'answer_due_on'])
    .execute()
}

/** Messages written by the sweep (no request, no SMS): to members by id, or to a union's cadres. */
export async function sweepMessageMembers(
  db: Kysely<DB> | Tx,
  ids: number[],
  m: { kind: string; title: string; body: string; link: string },
) {
  if (ids.length === 0) return
  await sql`select * from message_to_members(${ids}::bigint[], ${m.kind}, ${m.title}, ${m.body}, ${m.link}, false)`.execute(db)
}
export async function sweepMessageOrg(
  db: Kysely<DB> | Tx,
  m: { orgId: number; orgPath: string; kind: string; title: string; body: string; link: string },
) {
  await db
    .insertInto('message')
    .values({ org_id: m.orgId, org_path: m.orgPath, kind: m.kind, title: m.title, body: m.body, link: m.link })
    .execute()
}
