import { sql, type Selectable } from 'kysely'
import type { TransferTable } from '../../db/schema.js'
import type { Tx } from '../../http/context.js'
import { under } from '../../db/paths.js'
import { paged } from '../../db/count.js'

export type TransferRow = Selectable<TransferTable> & { from_union_name: string | null; to_union_name: string | null }

function withNames(db: Tx) {
  return db
    .selectFrom('transfer as t')
    .leftJoin('org as f', 'f.id', 't.from_union_id')
    .leftJoin('org as d', 'd.id', 't.to_union_id')
    .selectAll('t')
    .select(['f.name as from_union_name', 'd.name as to_union_name'])
}

export const findById = (db: Tx, id: number) => withNames(db).where('t.id', '=', id).executeTakeFirst() as Promise<TransferRow | undefined>

export const openFor = (db: Tx, memberId: number) =>
  withNames(db).where('t.member_id', '=', memberId).where('t.status', '=', 'pending').executeTakeFirst() as Promise<TransferRow | undefined>

export async function list(
  db: Tx,
  f: { scopePath: string; direction: 'in' | 'out' | 'all'; status?: string; requestedBy?: string; page: number; pageSize: number },
) {
  let q = db.selectFrom('transfer as t')
  if (f.requestedBy) q = q.where('t.requested_by', '=', f.requestedBy)
  if (f.direction === 'in') q = q.where(under('t.to_path', f.scopePath))
  if (f.direction === 'out') q = q.where(under('t.from_path', f.scopePath))
  if (f.status) q = q.where('t.status', '=', f.status)
  const page = await paged(
    q,
    q
      .leftJoin('org as f', 'f.id', 't.from_union_id')
      .leftJoin('org as d', 'd.id', 't.to_union_id')
      .selectAll('t')
      .select(['f.name as from_union_name', 'd.name as to_union_name'])
      .orderBy('t.requested_at', 'desc')
      .orderBy('t.id', 'desc'),
    f,
    { subtree: f.direction !== 'all' },
  )
  return { items: page.items as TransferRow[], total: page.total }
}

export const insert = (
  db: Tx,
  t: Omit<Selectable<TransferTable>, 'id' | 'status' | 'requested_at' | 'decided_at' | 'decided_by' | 'decision_note'>,
) => db.insertInto('transfer').values(t).returning('id').executeTakeFirstOrThrow()

export const decide = (db: Tx, id: number, status: 'accepted' | 'rejected' | 'cancelled', by: number, note: string | null) =>
  db
    .updateTable('transfer')
    .set({ status, decided_at: new Date(), decided_by: by, decision_note: note })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirst()

// ── a member's own request made on the joining page before it moved to the member's phone ──────
// (security-definer function: the anonymous status page follows it by its token, read-only)

export interface MemberStatusRow {
  id: number
  status: string
  union_name: string
  requested_at: Date
  decided_at: Date | null
  decision_note: string | null
  member_no: string | null
  joined_on: string | null
}

export async function memberStatus(db: Tx, tokenHash: string): Promise<MemberStatusRow | undefined> {
  const x = (await sql<MemberStatusRow>`select * from member_transfer_status(${tokenHash})`.execute(db)).rows[0]
  return x ? { ...x, id: Number(x.id) } : undefined
}

/** Name, path, status and region of unions in any jurisdiction (org_brief: a transfer crosses them). */
export async function orgBriefs(db: Tx, ids: number[]) {
  const r = await sql<{
    id: number
    name: string
    path: string
    status: string
    region_code: string
  }>`select * from org_brief(${ids}::bigint[])`.execute(db)
  return r.rows
}

/** Only the names of unions in any jurisdiction (org_brief). */
export async function orgBriefNames(db: Tx, ids: number[]) {
  const r = await sql<{ id: number; name: string }>`select id, name from org_brief(${ids}::bigint[])`.execute(db)
  return r.rows
}
