import { sql } from 'kysely'
import { windowed } from '../../db/count.js'
import type { Tx } from '../../http/context.js'
import type { ActivityTable } from '../../db/schema.js'
import type { Insertable, Updateable } from 'kysely'
import { under } from '../../db/paths.js'
import { contains } from '../../db/like.js'

const columns = [
  'a.id',
  'a.org_id',
  'a.org_path',
  'a.title',
  'a.body',
  'a.place',
  'a.starts_at',
  'a.ends_at',
  'a.capacity',
  'a.signup_opens',
  'a.signup_closes',
  'a.cancel_deadline',
  'a.audience',
  'a.origin',
  'a.proposal_id',
  'a.status',
  'a.cancel_reason',
  'a.registered_count',
  'a.waiting_count',
  'a.published_at',
] as const

/** A union the caller may read (its id, name and path). */
export async function orgById(db: Tx, id: number) {
  return db.selectFrom('org').select(['id', 'name', 'path']).where('id', '=', id).executeTakeFirst()
}

/** A member's proposal the caller may read (RLS: the cadre's jurisdiction), for an activity that comes from it. */
export async function proposalById(db: Tx, id: number) {
  return db.selectFrom('proposal').select(['id', 'title', 'org_path']).where('id', '=', id).executeTakeFirst()
}

export async function insert(db: Tx, row: Insertable<ActivityTable>): Promise<number> {
  const r = await db.insertInto('activity').values(row).returning('id').executeTakeFirstOrThrow()
  return Number(r.id)
}

export async function update(db: Tx, id: number, set: Updateable<ActivityTable>) {
  await db
    .updateTable('activity')
    .set({ ...set, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute()
}

/** One activity with its union's name (rows of the caller's reach: RLS decides). */
export async function get(db: Tx, id: number) {
  return db
    .selectFrom('activity as a')
    .leftJoin('org as o', 'o.id', 'a.org_id')
    .select([...columns, sql<string>`coalesce(o.name, '')`.as('org_name')])
    .where('a.id', '=', id)
    .executeTakeFirst()
}
export type ActivityRow = NonNullable<Awaited<ReturnType<typeof get>>>

/** The same row locked, before a change of its status. */
export async function lock(db: Tx, id: number) {
  return db.selectFrom('activity').select(['id', 'status', 'org_path']).where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function list(db: Tx, o: { path: string; status?: string; q?: string; limit: number; offset: number }) {
  let base = db.selectFrom('activity as a').where(under('a.org_path', o.path))
  if (o.status) base = base.where('a.status', '=', o.status)
  if (o.q) base = base.where('a.title', 'ilike', contains(o.q))
  const [rows, count] = await Promise.all([
    windowed(
      base
        .leftJoin('org as o', 'o.id', 'a.org_id')
        .select([...columns, sql<string>`coalesce(o.name, '')`.as('org_name')])
        .orderBy('a.starts_at', 'desc')
        .orderBy('a.id', 'desc'),
      o,
      true,
    ).execute(),
    base.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(count.n) }
}

/** Attendance and the ratings of an activity: how many checked in, and the count per score 1–5. */
export async function tallies(db: Tx, id: number) {
  const r = await db
    .selectFrom('activity_registration')
    .where('activity_id', '=', id)
    .select([
      sql<string>`count(*) filter (where checked_in_at is not null)`.as('attended'),
      sql<string>`count(*) filter (where rating = 1)`.as('r1'),
      sql<string>`count(*) filter (where rating = 2)`.as('r2'),
      sql<string>`count(*) filter (where rating = 3)`.as('r3'),
      sql<string>`count(*) filter (where rating = 4)`.as('r4'),
      sql<string>`count(*) filter (where rating = 5)`.as('r5'),
    ])
    .executeTakeFirstOrThrow()
  return { attended: Number(r.attended), byScore: [r.r1, r.r2, r.r3, r.r4, r.r5].map(Number) }
}

const regColumns = [
  'r.id',
  'r.activity_id',
  'r.member_id',
  'r.member_name',
  'r.union_name',
  'r.status',
  'r.position',
  'r.created_at',
  'r.checked_in_at',
  'r.rating',
  'r.comment',
  sql<number | null>`activity_waitlist_place(r.id)`.as('waitlist_place'),
] as const

/** The sign-ups of an activity: the registered and waiting first (in their order), then the cancelled. */
export async function registrations(db: Tx, id: number, o: { status?: string; limit?: number; offset?: number }) {
  let base = db.selectFrom('activity_registration as r').where('r.activity_id', '=', id)
  if (o.status === 'attended') base = base.where('r.checked_in_at', 'is not', null)
  else if (o.status) base = base.where('r.status', '=', o.status)
  let q = base
    .select([...regColumns])
    .orderBy(sql`case r.status when 'registered' then 0 when 'waiting' then 1 else 2 end`)
    .orderBy('r.position')
  if (o.limit !== undefined) q = q.limit(o.limit).offset(o.offset ?? 0)
  const [rows, count] = await Promise.all([q.execute(), base.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()])
  return { rows, total: Number(count.n) }
}

export async function registration(db: Tx, id: number) {
  return db
    .selectFrom('activity_registration as r')
    .select([...regColumns])
    .where('r.id', '=', id)
    .executeTakeFirst()
}

/** The member's registration for an activity. */
export async function mine(db: Tx, activityId: number, memberId: number) {
  return db
    .selectFrom('activity_registration as r')
    .select([...regColumns])
    .where('r.activity_id', '=', activityId)
    .where('r.member_id', '=', memberId)
    .executeTakeFirst()
}

/** The members with a live registration (to tell them of a change or a cancellation). */
export async function liveMembers(db: Tx, activityId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('activity_registration')
    .select('member_id')
    .where('activity_id', '=', activityId)
    .where('status', '<>', 'cancelled')
    .execute()
  return rows.map((r) => Number(r.member_id))
}

export async function signUp(db: Tx, activityId: number, name: string, unionName: string) {
  const r = await sql<{
    outcome: 'registered' | 'waiting' | 'already' | 'not_found' | 'not_open' | 'closed'
    registration_id: string | null
    reg_status: string | null
    reg_position: number | null
    warn: '80' | '100' | null
  }>`select * from activity_sign_up(${activityId}, ${name}, ${unionName})`.execute(db)
  return r.rows[0]!
}

export async function cancelSignUp(db: Tx, activityId: number) {
  const r = await sql<{
    outcome: 'cancelled' | 'not_found' | 'too_late'
    was: string | null
    promoted_member: string | null
    promoted_registration: string | null
  }>`select * from activity_cancel_sign_up(${activityId})`.execute(db)
  return r.rows[0]!
}

/** Marks a registered member attended; answers the time, or nothing when they were already (or are not registered). */
export async function checkIn(db: Tx, registrationId: number, by: number) {
  return db
    .updateTable('activity_registration')
    .set({ checked_in_at: sql`now()`, checked_in_by: by, updated_at: sql`now()` })
    .where('id', '=', registrationId)
    .where('status', '=', 'registered')
    .where('checked_in_at', 'is', null)
    .returning('checked_in_at')
    .executeTakeFirst()
}

export async function rate(db: Tx, registrationId: number, rating: number, comment: string | null) {
  const r = await db
    .updateTable('activity_registration')
    .set({ rating, comment, rated_at: sql`now()`, updated_at: sql`now()` })
    .where('id', '=', registrationId)
    .where('rating', 'is', null)
    .where('checked_in_at', 'is not', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** The published and cancelled activities open to a member (RLS: open to them, or signed up), with the member's registration. */
function memberActivities(db: Tx, memberId: number) {
  return db
    .selectFrom('activity as a')
    .leftJoin('activity_registration as r', (j) => j.onRef('r.activity_id', '=', 'a.id').on('r.member_id', '=', memberId))
    .select([
      ...columns,
      sql<string>`(select o.name from org o where o.id = a.org_id)`.as('org_name'),
      'r.id as reg_id',
      'r.status as reg_status',
      'r.checked_in_at as reg_checked_in_at',
      'r.rating as reg_rating',
      'r.comment as reg_comment',
      sql<number | null>`activity_waitlist_place(r.id)`.as('reg_waitlist_place'),
    ])
    .where('a.status', '<>', 'draft')
}

/** The published and cancelled activities a member sees, soonest first. */
export async function forMember(db: Tx, memberId: number, o: { limit: number }) {
  return memberActivities(db, memberId)
    .where((eb) => eb.or([eb('a.ends_at', '>', sql<Date>`now() - interval '30 days'`), eb('r.id', 'is not', null)]))
    .orderBy('a.starts_at')
    .orderBy('a.id')
    .limit(o.limit)
    .execute()
}

export async function oneForMember(db: Tx, memberId: number, activityId: number) {
  return memberActivities(db, memberId).where('a.id', '=', activityId).executeTakeFirst()
}
export type MemberActivityRow = NonNullable<Awaited<ReturnType<typeof oneForMember>>>

/** After a capacity was raised: the oldest waiting members take the new seats; answers who. */
export async function fillSeats(db: Tx, activityId: number): Promise<number[]> {
  const r = await sql<{ member_id: string }>`select member_id from activity_fill_seats(${activityId})`.execute(db)
  return r.rows.map((x) => Number(x.member_id))
}
