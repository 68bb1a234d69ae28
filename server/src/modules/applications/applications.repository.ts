import { sql, type Insertable } from 'kysely'
import type { ApplicationTable } from '../../db/schema.js'
import type { Tx } from '../../http/context.js'
import { paged } from '../../db/count.js'
import { under } from '../../db/paths.js'

export type ApplicationInsert = Insertable<ApplicationTable> & { id: number }

// ── the anonymous side: security-definer functions only (RLS shows an applicant nothing) ─────

export interface DirectoryRow {
  id: number
  name: string
  town_code: string
  town_name: string | null
  has_union: boolean
}

/** Workplaces by name for the joining page (enterprise_directory), with the town's name. */
export async function directory(db: Tx, q: string, limit: number): Promise<DirectoryRow[]> {
  const r = await sql<DirectoryRow>`
    select d.id, d.name, d.town_code, r.name as town_name, d.has_union
    from enterprise_directory(${q}, ${limit}) d left join region r on r.code = d.town_code
    order by d.name, d.id`.execute(db)
  return r.rows.map((x) => ({ ...x, id: Number(x.id) }))
}

export interface WorkplaceFacts {
  id: number
  name: string
  town_code: string
  is_platform: boolean
  has_own_union: boolean
}

export async function workplace(db: Tx, enterpriseId: number): Promise<WorkplaceFacts | undefined> {
  const r = await sql<WorkplaceFacts>`select * from joining_workplace(${enterpriseId}::bigint)`.execute(db)
  const x = r.rows[0]
  return x ? { ...x, id: Number(x.id) } : undefined
}

export interface Target {
  route: string
  union_id: number
  union_name: string
  org_path: string
}

/** joining_targets: the unit's own union, its joint union, and the town's union (for the pool). */
export async function targets(db: Tx, enterpriseId: number | null, town: string | null): Promise<Target[]> {
  const r = await sql<Target>`select * from joining_targets(${enterpriseId}::bigint, ${town}::text)`.execute(db)
  return r.rows.map((x) => ({ ...x, union_id: Number(x.union_id) }))
}

/** The town's joint unions for flexible workers (see 0003_joining.sql for the rule). */
export async function flexibleTargets(db: Tx, town: string): Promise<Target[]> {
  const r = await sql<Omit<Target, 'route'>>`select * from flexible_joint_targets(${town})`.execute(db)
  return r.rows.map((x) => ({ route: 'flexible_joint', ...x, union_id: Number(x.union_id) }))
}

/** The id of the next application, taken before the insert: the role 'applicant' may not read rows back (no RETURNING). */
export async function nextId(db: Tx): Promise<number> {
  const r = await sql<{ n: number }>`select nextval(pg_get_serial_sequence('application', 'id'))::bigint as n`.execute(db)
  return Number(r.rows[0]!.n)
}

export async function insert(db: Tx, row: ApplicationInsert) {
  await db.insertInto('application').values(row).execute()
}

export interface StatusRow {
  id: number
  status: string
  union_name: string
  route: string
  due_on: string
  review_note: string | null
  member_no: string | null
  created_at: Date
  info_answer: string | null
  info_answered_at: Date | null
  joined_on: string | null
}

export async function statusByToken(db: Tx, tokenHash: string): Promise<StatusRow | undefined> {
  const r = await sql<StatusRow>`select * from application_status(${tokenHash})`.execute(db)
  const x = r.rows[0]
  return x ? { ...x, id: Number(x.id) } : undefined
}

/** The applicant withdraws an open application (application_withdraw); undefined when none is open. */
export async function withdrawByToken(db: Tx, tokenHash: string) {
  const r = await sql<{ id: number; before_status: string; org_path: string }>`select * from application_withdraw(${tokenHash})`.execute(db)
  const x = r.rows[0]
  return x ? { ...x, id: Number(x.id) } : undefined
}

export interface AnswerPatch {
  answer: string
  workplace: string | null
  phone_enc: string | null
  phone_hash: string | null
  phone_masked: string | null
}

/** The applicant answers 需补充材料 (application_answer): back to pending; undefined when it was not waiting for an answer. */
export async function answerByToken(db: Tx, tokenHash: string, p: AnswerPatch) {
  const r = await sql<{ id: number; org_path: string; workplace_before: string; phone_before: string }>`
    select * from application_answer(${tokenHash}, ${p.answer}, ${p.workplace}, ${p.phone_enc}, ${p.phone_hash}, ${p.phone_masked})`.execute(
    db,
  )
  const x = r.rows[0]
  return x ? { ...x, id: Number(x.id) } : undefined
}

// ── the reviewers' side: plain queries under row-level security ─────────────────────────

export interface ApplicationFilter {
  orgPath?: string
  status?: string
  overdue?: boolean
  today: string
  page: number
  pageSize: number
}

const OPEN = ['pending', 'need_info']

const base = (db: Tx) => db.selectFrom('application as a').leftJoin('org as o', 'o.id', 'a.union_id')

const columns = [
  'a.id',
  'a.name',
  'a.gender',
  'a.birth_enc',
  'a.document_type',
  'a.document_masked',
  'a.phone_masked',
  'a.enterprise_id',
  'a.workplace',
  'a.residence_region',
  'a.occupation',
  'a.route',
  'a.union_id',
  'o.name as union_name',
  'a.status',
  'a.due_on',
  'a.applicant_note',
  'a.review_note',
  'a.info_answer',
  'a.info_answered_at',
  'a.created_at',
  'a.member_id',
  'a.org_path',
] as const

export async function list(db: Tx, f: ApplicationFilter) {
  let q = base(db)
  if (f.orgPath) q = q.where(under('a.org_path', f.orgPath))
  if (f.status) q = q.where('a.status', '=', f.status)
  if (f.overdue !== undefined) {
    const overdue = sql<boolean>`(a.due_on < ${f.today}::date and a.status in ('pending', 'need_info'))`
    q = q.where(f.overdue ? overdue : sql<boolean>`not ${overdue}`)
  }
  const overdueFirst = sql`case when a.due_on < ${f.today}::date and a.status in ('pending', 'need_info') then 0 else 1 end`
  return paged(q, q.select(columns).orderBy(overdueFirst).orderBy('a.due_on').orderBy('a.id'), f, { subtree: Boolean(f.orgPath) })
}

export type ApplicationRow = NonNullable<Awaited<ReturnType<typeof findById>>>

/** One application with what approving it needs (the encrypted numbers stay encrypted; they are copied, not read). */
export async function findById(db: Tx, id: number) {
  return base(db)
    .select(columns)
    .select(['a.document_enc', 'a.document_hash', 'a.phone_enc', 'a.phone_hash', 'a.consent_sensitive_at', 'a.consent_privacy_at'])
    .where('a.id', '=', id)
    .executeTakeFirst()
}

/** Locks the row for a decision, so that two reviewers cannot decide it twice. */
export async function lockOpen(db: Tx, id: number) {
  return db
    .selectFrom('application')
    .select(['id', 'status'])
    .where('id', '=', id)
    .where('status', 'in', OPEN)
    .forUpdate()
    .executeTakeFirst()
}

export async function decide(
  db: Tx,
  id: number,
  patch: { status: string; review_note: string | null; reviewed_by: number; member_id?: number | null },
) {
  await db
    .updateTable('application')
    .set({ ...patch, reviewed_at: new Date(), updated_at: new Date() })
    .where('id', '=', id)
    .execute()
}

/** Open applications parked for these units' pool go to the union the units now have (pool_applications_reroute). */
export async function rerouteFromPool(db: Tx, enterpriseIds: number[], unionId: number) {
  if (enterpriseIds.length === 0) return []
  const r = await sql<{
    application_id: number
    from_union_id: number
  }>`select * from pool_applications_reroute(${enterpriseIds}::bigint[], ${unionId}::bigint)`.execute(db)
  return r.rows.map((x) => ({ applicationId: Number(x.application_id), fromUnionId: Number(x.from_union_id) }))
}

/** The sealed phone on record of a member named by document hash and name (member_contact). */
export async function memberContact(db: Tx, documentHash: string, name: string): Promise<string | null> {
  const r = await sql<{ phone_enc: string }>`select phone_enc from member_contact(${documentHash}, ${name})`.execute(db)
  return r.rows[0]?.phone_enc ?? null
}
