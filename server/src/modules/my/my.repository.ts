import { sql } from 'kysely'
import type { Insertable } from 'kysely'
import type { Tx } from '../../http/context.js'
import type { TransferTable } from '../../db/schema.js'

/*
 * The member's own rows, read under row-level security as the member (0019: member_self_read,
 * org_member_read, application_phone_read, transfer_self_read): nothing here filters by who asks
 * beyond naming the member; the policies are the jurisdiction.
 */

/** What the member sees of a transfer (`transfer as t`), with both unions' names. */
const transferSeen = sql`t.id, t.status, t.requested_by, t.requested_at, t.decision_note,
  (select b.name from org_brief(array[t.from_union_id]) b) as from_name,
  (select b.name from org_brief(array[t.to_union_id]) b) as to_name`
export interface TransferSeen {
  id: number
  status: string
  requested_by: string
  /** a Date from a row, text from JSON */
  requested_at: Date | string
  decision_note: string | null
  from_name: string | null
  to_name: string | null
}

/**
 * Everything 我的 shows, in one statement (one round trip instead of five): the member's own row,
 * their union chain (orgPath: the session's), applications by the proven phone, transfers and the
 * unread count. JSON brings dates and times back as text, as the separate queries' callers take them.
 */
export async function home(db: Tx, memberId: number | null, orgPath: string) {
  const id = memberId ?? 0
  const chainIds = orgPath.split('/').filter(Boolean).map(Number)
  // written out rather than built: 我的 is the phones' most frequent read, and building and compiling
  // it with Kysely's query builder took a tenth of the server's time under its load (bench:http, a CPU
  // profile); the JSON as kysely/helpers/postgres writes it. The chain's ids are a list of parameters,
  // not an array: an array of unknown length made PostgreSQL plan the statement anew every time.
  const r = await sql<HomeRow>`select
      (select to_json(x) from (select id, name, member_no, status, joined_on, union_id, sms_opt_out
         from member where id = ${id}) x) as self,
      (select coalesce(json_agg(x), '[]') from (select id, name, chair_name, contact_name, contact_phone_enc
         from org where id in (${sql.join(chainIds.length > 0 ? chainIds : [0])}) order by length(path)) x) as chain,
      (select coalesce(json_agg(x), '[]') from (select a.id, a.status, a.workplace, a.created_at, a.due_on, a.review_note,
           (select b.name from org_brief(array[a.union_id]) b) as union_name
         from application a where a.phone_hash = app_phone_hash() order by a.id desc limit 20) x) as applications,
      (select coalesce(json_agg(x), '[]') from (select ${transferSeen}
         from transfer t where t.member_id = ${id} order by t.id desc limit 20) x) as transfers,
      (select count(*) from message where member_id = ${id} and read_at is null) as unread`.execute(db)
  const row = r.rows[0]!
  return { ...row, unread: Number(row.unread ?? 0) }
}

/** 我的's statement's row: JSON brings dates and times back as text. */
interface HomeRow {
  self: {
    id: number
    name: string
    member_no: string
    status: string
    joined_on: string
    union_id: number
    sms_opt_out: boolean
  } | null
  chain: { id: number; name: string; chair_name: string | null; contact_name: string | null; contact_phone_enc: string | null }[]
  applications: {
    id: number
    status: string
    workplace: string
    created_at: string
    due_on: string
    review_note: string | null
    union_name: string | null
  }[]
  transfers: TransferSeen[]
  unread: string | number | null
}

/** Sets the member's SMS choice; answers whether it changed (the same choice again writes nothing). */
export async function setSmsOptOut(db: Tx, memberId: number, optOut: boolean): Promise<boolean> {
  const r = await db
    .updateTable('member')
    .set({ sms_opt_out: optOut, updated_at: new Date() })
    .where('id', '=', memberId)
    .where('sms_opt_out', '!=', optOut)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/** Opens a phone session for a phone proven in this transaction (member_sign_in, 0019): the member on record with it, if any. */
export async function openSession(db: Tx, s: { tokenHash: string; phoneHash: string; csrfToken: string; ip: string; days: number }) {
  const r = await sql<{ member_id: string | null; org_path: string | null }>`
    select * from member_sign_in(${s.tokenHash}, ${s.phoneHash}, ${s.csrfToken}, ${s.ip}, ${s.days}::integer)`.execute(db)
  const row = r.rows[0]!
  return { member_id: row.member_id === null ? null : Number(row.member_id), org_path: row.org_path }
}

// ── the member's own transfer request (申请转会) ─────────────────────────────────────────────

/** A unit of the directory with every union that could receive a worker of it (joining_targets, 0002). */
export interface TransferTargetRow {
  enterprise_id: number
  enterprise_name: string
  town_code: string
  town_name: string | null
  route: string | null
  union_id: number | null
  union_name: string | null
  org_path: string | null
  /** the town pool is the county's (no town union) */
  county: boolean | null
}

const targetsOf = (units: ReturnType<typeof sql>) => sql<TransferTargetRow>`
  select d.id as enterprise_id, d.name as enterprise_name, d.town_code, r.name as town_name,
         x.route, x.union_id, x.union_name, x.org_path, x.county
    from ${units} d
    left join region r on r.code = d.town_code
    left join lateral (
      select t.route, t.union_id, t.union_name, t.org_path, false as county from joining_targets(d.id, d.town_code) t
      union all
      select t.route, t.union_id, t.union_name, t.org_path, true from joining_targets(null, left(d.town_code, 6)) t
    ) x on true
   order by d.name, d.id`

const numbers = (rows: TransferTargetRow[]) =>
  rows.map((r) => ({ ...r, enterprise_id: Number(r.enterprise_id), union_id: r.union_id === null ? null : Number(r.union_id) }))

/** Units of the directory by name (enterprise_directory: at least 2 characters, literal, at most `limit`), with their candidate unions. */
export async function transferTargets(db: Tx, q: string, limit: number) {
  return numbers((await targetsOf(sql`enterprise_directory(${q}, ${limit}::integer)`).execute(db)).rows)
}

/** One unit (joining_workplace) with its candidate unions; none when there is no such unit. */
export async function transferTargetsOf(db: Tx, enterpriseId: number) {
  return numbers((await targetsOf(sql`joining_workplace(${enterpriseId}::bigint)`).execute(db)).rows)
}

/** One of the member's transfers, with both unions' names (transfer_self_read). */
export async function transferOf(db: Tx, memberId: number, id: number) {
  const r = await sql<TransferSeen & { to_path: string; member_name: string }>`
    select ${transferSeen}, t.to_path, t.member_name from transfer t where t.member_id = ${memberId} and t.id = ${id}`.execute(db)
  return r.rows[0]
}

/** The member's transfer in flight, if any (the unique index transfer_open says there is at most one). */
export async function openTransferOf(db: Tx, memberId: number) {
  return db.selectFrom('transfer').select('id').where('member_id', '=', memberId).where('status', '=', 'pending').executeTakeFirst()
}

/** The member's own request (transfer_member_insert, 0024: their row, their union, pending). */
export async function insertTransfer(
  db: Tx,
  t: Omit<Insertable<TransferTable>, 'requested_by' | 'status' | 'decision_note' | 'decided_at' | 'decided_by'>,
) {
  const r = await db
    .insertInto('transfer')
    .values({ ...t, requested_by: 'member' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return Number(r.id)
}

/** The member withdraws their own pending request (transfer_member_cancel, 0024); answers whether it did. */
export async function cancelTransfer(db: Tx, memberId: number, id: number, note: string) {
  const r = await db
    .updateTable('transfer')
    .set({ status: 'cancelled', decided_at: new Date(), decision_note: note })
    .where('id', '=', id)
    .where('member_id', '=', memberId)
    .where('requested_by', '=', 'member')
    .where('status', '=', 'pending')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}
