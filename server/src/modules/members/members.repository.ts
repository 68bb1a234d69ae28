import { COUNT_CAP, cappedCount, windowed } from '../../db/count.js'
import { sql, type Insertable, type Kysely, type Updateable } from 'kysely'
import type { DB, MemberTable } from '../../db/schema.js'
import type { Tx } from '../../http/context.js'
import { under } from '../../db/paths.js'
import { prefixRange } from '../../db/like.js'
import { newEmploymentOccupations } from '../../../../common/codes.js'

export type MemberInsert = Insertable<MemberTable>
export type MemberPatch = Updateable<MemberTable>

export interface MemberFilter {
  orgPath?: string
  /** the organization at orgPath: its kept tallies (stat_total, 0006) give the total when the filter allows */
  orgId?: number
  name?: string
  documentHash?: string
  phoneHash?: string
  memberNo?: string
  status?: string
  quality?: string
  occupation?: string
  sort: string
  page: number
  pageSize: number
}

const sorts = {
  name: ['m.name', 'asc'],
  '-joinedOn': ['m.joined_on', 'desc'],
  joinedOn: ['m.joined_on', 'asc'],
  memberNo: ['m.member_no', 'asc'],
} as const

/** The columns a page of the register shows (members.service present): no document or phone ciphertext or hash (the birth date's is read only to say whether one is known). */
const LISTED = [
  'm.id',
  'm.member_no',
  'm.name',
  'm.gender',
  'm.ethnicity',
  'm.birth_enc',
  'm.document_type',
  'm.document_masked',
  'm.phone_masked',
  'm.education',
  'm.political_status',
  'm.employment_status',
  'm.skill_level',
  'm.household_type',
  'm.household_place',
  'm.is_migrant',
  'm.enterprise_id',
  'm.workplace',
  'm.job_title',
  'm.is_model_worker',
  'm.occupation',
  'm.union_id',
  'm.status',
  'm.joined_on',
  'm.left_on',
  'm.quality',
] as const

export async function list(db: Tx, f: MemberFilter, cap = COUNT_CAP) {
  let q = db.selectFrom('member as m')
  if (f.orgPath) q = q.where(under('m.org_path', f.orgPath))
  // over a subtree, the codes a filter chooses are written into the statement as its bounds are
  // (db/count.ts windowed): its kept plan is made for them (a plan for "any record problem" read
  // the demo's problems 3–4× slower than one for 信息不全); what a user typed stays a parameter
  const code = (c: string) => (f.orgPath ? sql.lit(c) : c)
  if (f.name) q = q.where(prefixRange('m.name', f.name))
  if (f.documentHash) q = q.where('m.document_hash', '=', f.documentHash)
  if (f.phoneHash) q = q.where('m.phone_hash', '=', f.phoneHash)
  if (f.memberNo) q = q.where('m.member_no', '=', f.memberNo)
  if (f.status) q = q.where('m.status', '=', code(f.status))
  else q = q.where('m.status', '<>', code('left'))
  if (f.quality) q = q.where('m.quality', '=', code(f.quality))
  if (f.occupation) q = q.where('m.occupation', '=', code(f.occupation))
  const [col, dir] = sorts[f.sort as keyof typeof sorts] ?? sorts['-joinedOn']
  const offset = (f.page - 1) * f.pageSize
  // past the first page of the order by joining date, unfiltered: the page's ids first, from that
  // index alone (member_joined carries org_path and status, 0037), then its rows, so that a deep
  // page no longer reads every member it skips (paired at 3M, the 50th page +18 %). A search or a
  // filter reads rows the index does not carry: there the ids first cost 18–24 %, the first page 4–8 %.
  const idsFirst = offset > 0 && col === 'm.joined_on' && !f.name && !f.quality && !f.occupation
  const subtree = Boolean(f.orgPath)
  const from = idsFirst
    ? db.selectFrom('member as m').where('m.id', 'in', windowed(q.select('m.id').orderBy(col, dir).orderBy('m.id', dir), f, subtree))
    : q
  const page = from
    .select(LISTED)
    .leftJoin('org as o', 'o.id', 'm.union_id')
    .select('o.name as union_name')
    .orderBy(col, dir)
    .orderBy('m.id', dir)
  const items = await (idsFirst ? page : windowed(page, f, subtree)).execute()
  // a short page is the last one: its rows are the rest of the total (a lookup by document number
  // is one row, and needs no count); otherwise counted up to a cap
  if (items.length > 0 && items.length < f.pageSize) return { items, total: offset + items.length, totalCapped: false }
  const metrics = talliedAs(f)
  if (f.orgId !== undefined && metrics) return { items, total: await tallied(db, f.orgId, metrics), totalCapped: false }
  return { items, ...(await cappedCount(db, q, cap)) }
}

/**
 * The tallies (stat_member_row, 0006) whose sum is the number of members a filter selects in a
 * subtree, or null when none is: a subtree, a status, a record's problem (信息质量, 0036), and the
 * active members' 实名制合格 or 新就业形态 occupation are kept; a search and other combinations are counted.
 */
function talliedAs(f: MemberFilter): string[] | null {
  if (f.name || f.documentHash || f.phoneHash || f.memberNo) return null
  const byStatus: Record<string, string[]> = {
    '': ['members', 'members.retained', 'members.reserve'],
    active: ['members'],
    retained: ['members.retained'],
    reserve: ['members.reserve'],
    left: ['members.left'],
  }
  const base = byStatus[f.status ?? '']
  if (!base) return null
  if (!f.quality && !f.occupation) return base
  if (f.quality && f.occupation) return null
  // a record with a problem, in any status (0036); 合格 and the occupations: the active members'
  if (f.quality && f.quality !== 'ok') return base.map((m) => `${m}.q.${f.quality}`)
  if (f.status !== 'active') return null
  if (f.quality) return ['members.ok']
  return NEW_EMPLOYMENT.includes(f.occupation!) ? [`members.ne.${f.occupation}`] : null
}
const NEW_EMPLOYMENT: readonly string[] = newEmploymentOccupations.map((o) => o.code)

/** The sum of kept tallies of an organization's subtree (what stats verify holds against the rows). */
async function tallied(db: Tx, orgId: number, metrics: string[]): Promise<number> {
  return Object.values(await talliesOf(db, orgId, metrics)).reduce((a, n) => a + n, 0)
}

/** Kept tallies of an organization's subtree (stat_total, 0006), by metric: 0 where none is kept. */
export async function talliesOf<M extends string>(db: Tx, orgId: number, metrics: readonly M[]): Promise<Record<M, number>> {
  const rows = await db
    .selectFrom('stat_total')
    .select(['metric', 'value'])
    .where('node_id', '=', orgId)
    .where('h', '=', 'g')
    .where('metric', 'in', metrics)
    .execute()
  return Object.fromEntries(metrics.map((m) => [m, Number(rows.find((r) => r.metric === m)?.value ?? 0)])) as Record<M, number>
}

export async function findById(db: Tx, id: number) {
  return db
    .selectFrom('member as m')
    .selectAll('m')
    .leftJoin('org as o', 'o.id', 'm.union_id')
    .select('o.name as union_name')
    .where('m.id', '=', id)
    .executeTakeFirst()
}

/** Where these people are members, across every jurisdiction (masked; see member_locate). */
export async function locate(db: Tx, hashes: string[]) {
  if (hashes.length === 0) return []
  const r = await sql<{
    document_hash: string
    member_id: number
    union_id: number
    union_name: string
    status: string
    document_masked: string
    name_masked: string
    in_scope: boolean
  }>`
    select * from member_locate(${hashes}::text[])`.execute(db)
  return r.rows.map((x) => ({ ...x, member_id: Number(x.member_id), union_id: Number(x.union_id) }))
}

export async function nextMemberNo(db: Tx, regionCode: string) {
  const r = await sql<{ n: number }>`select nextval('member_no_seq')::bigint as n`.execute(db)
  return `${regionCode.slice(0, 6)}${String(r.rows[0]!.n).padStart(8, '0')}`
}

/** n member numbers at once */
export async function nextMemberNos(db: Tx, regionCode: string, n: number) {
  const r = await sql<{ n: number }>`select nextval('member_no_seq')::bigint as n from generate_series(1, ${n}::int)`.execute(db)
  return r.rows.map((x) => `${regionCode.slice(0, 6)}${String(x.n).padStart(8, '0')}`)
}

export async function insert(db: Tx, row: MemberInsert) {
  return db.insertInto('member').values(row).returning('id').executeTakeFirstOrThrow()
}

/** Many members at once, each with its 入会 entry in the ledger (the demo city; one statement each). */
export async function insertMany(db: Tx, rows: MemberInsert[]) {
  if (rows.length === 0) return []
  const ids = await db.insertInto('member').values(rows).returning(['id', 'union_id', 'org_path', 'joined_on']).execute()
  await db
    .insertInto('membership_event')
    .values(
      ids.map((r) => ({
        member_id: r.id,
        union_id: r.union_id,
        org_path: r.org_path,
        event_type: '1',
        occurred_on: r.joined_on,
        reason: null,
        transfer_id: null,
        actor_id: null,
      })),
    )
    .execute()
  return ids.map((r) => r.id)
}

/** No RETURNING: a member moved out of the caller's jurisdiction may not be read back by them. */
export async function update(db: Tx, id: number, patch: MemberPatch) {
  const r = await db
    .updateTable('member')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

export async function addEvent(
  db: Tx,
  e: {
    member_id: number
    union_id: number
    org_path: string
    event_type: string
    reason?: string | null
    occurred_on: string
    transfer_id?: number | null
    actor_id?: number | null
  },
) {
  await db
    .insertInto('membership_event')
    .values({ reason: null, transfer_id: null, actor_id: null, ...e })
    .execute()
}

/**
 * The ledger of members moving between unions, the one way it is written: 转出 (4) at the union
 * each leaves, then 转入 (2) at the union each joins, on one day — a transfer accepted
 * (transfers.service), 预备会员 taken over by their unit's new union (members/reserve.ts).
 */
export async function addMoves(
  db: Tx,
  moves: { memberId: number; from: { id: number; path: string }; to: { id: number; path: string } }[],
  e: { occurredOn: string; reason: string | null; transferId: number | null; actorId: number | null },
) {
  if (moves.length === 0) return
  const row = (memberId: number, at: { id: number; path: string }, eventType: string) => ({
    member_id: memberId,
    union_id: at.id,
    org_path: at.path,
    event_type: eventType,
    reason: e.reason,
    occurred_on: e.occurredOn,
    transfer_id: e.transferId,
    actor_id: e.actorId,
  })
  await db
    .insertInto('membership_event')
    .values(moves.map((m) => row(m.memberId, m.from, '4')))
    .execute()
  await db
    .insertInto('membership_event')
    .values(moves.map((m) => row(m.memberId, m.to, '2')))
    .execute()
}

export async function events(db: Tx, memberId: number) {
  return db
    .selectFrom('membership_event as e')
    .leftJoin('org as o', 'o.id', 'e.union_id')
    .select(['e.id', 'e.event_type', 'e.reason', 'e.occurred_on', 'e.union_id', 'e.transfer_id', 'o.name as union_name'])
    .where('e.member_id', '=', memberId)
    .orderBy('e.occurred_on')
    .orderBy('e.id')
    .execute()
}

export async function lastEventDate(db: Tx, memberId: number): Promise<string | null> {
  const r = await db
    .selectFrom('membership_event')
    .select((eb) => eb.fn.max('occurred_on').as('d'))
    .where('member_id', '=', memberId)
    .executeTakeFirst()
  return (r?.d as string | null) ?? null
}

/**
 * A person who left (退会/除名) joins again, possibly elsewhere: the row is theirs for life, so it
 * is taken over. Security definer, because the old union may lie outside the caller's scope.
 */
export async function readmit(db: Tx, memberId: number, union: { id: number; path: string }, memberNo: string, joinedOn: string) {
  const r = await sql<{ ok: boolean }>`
    select member_readmit(${memberId}, ${union.id}, ${union.path}, ${memberNo}, ${joinedOn}::date) as ok`.execute(db)
  return r.rows[0]?.ok === true
}

/**
 * 预备会员 of these units leave the town union's pool for the union as 在册 members (reserve_admit:
 * the member rows only, the pool may lie in another town; the ledger is the caller's, addMoves).
 * Returns who moved, as they were.
 */
export async function reserveAdmit(db: Tx, enterpriseIds: number[], unionId: number) {
  if (enterpriseIds.length === 0) return []
  const r = await sql<{ member_id: number; name: string; from_union_id: number; from_path: string; from_union_name: string }>`
    select * from reserve_admit(${enterpriseIds}::bigint[], ${unionId}::bigint)`.execute(db)
  return r.rows.map((x) => ({ ...x, member_id: Number(x.member_id), from_union_id: Number(x.from_union_id) }))
}

/**
 * Birth dates still in clear (rows from before 0013 whose document does not encode the date):
 * sealed into birth_enc, the clear column emptied. Run once by the server as it starts, before it
 * serves (as the owner, beneath no scope); returns how many rows were sealed.
 */
export async function sealBirthDates(db: Kysely<DB>, encrypt: (plain: string) => string): Promise<number> {
  let sealed = 0
  for (const table of ['member', 'application'] as const) {
    while (true) {
      const rows = await db
        .selectFrom(table)
        .select(['id', 'birth_date'])
        .where('birth_date', 'is not', null)
        .orderBy('id')
        .limit(1000)
        .execute()
      if (rows.length === 0) break
      await db.transaction().execute(async (tx) => {
        for (const r of rows)
          await tx
            .updateTable(table)
            .set({ birth_enc: encrypt(r.birth_date!), birth_date: null })
            .where('id', '=', r.id)
            .execute()
      })
      sealed += rows.length
    }
  }
  return sealed
}
