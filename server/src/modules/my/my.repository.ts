import { sql } from 'kysely'
import type { Tx } from '../../http/context.js'

/*
 * The member's own rows, read under row-level security as the member (0019: member_self_read,
 * org_member_read, application_phone_read, transfer_self_read): nothing here filters by who asks
 * beyond naming the member; the policies are the jurisdiction.
 */

export function memberSelf(db: Tx, memberId: number) {
  return db
    .selectFrom('member')
    .select(['id', 'name', 'member_no', 'status', 'joined_on', 'union_id', 'org_path', 'sms_opt_out'])
    .where('id', '=', memberId)
    .executeTakeFirst()
}

/** The member's union and its ancestors, top first (the policy lets a member read exactly these). */
export function unionChain(db: Tx, orgPath: string) {
  const ids = orgPath.split('/').filter(Boolean).map(Number)
  return db
    .selectFrom('org')
    .select(['id', 'name', 'path', 'chair_name', 'contact_name', 'contact_phone_enc'])
    .where('id', 'in', ids.length > 0 ? ids : [0])
    .orderBy(sql`length(path)`)
    .execute()
}

/** Applications made with the proven phone, newest first, with the receiving union's name. */
export function applicationsByPhone(db: Tx) {
  return db
    .selectFrom('application as a')
    .select([
      'a.id',
      'a.status',
      'a.workplace',
      'a.created_at',
      'a.due_on',
      'a.review_note',
      sql<string | null>`(select b.name from org_brief(array[a.union_id]) b)`.as('union_name'),
    ])
    .where('a.phone_hash', '=', sql<string>`app_phone_hash()`)
    .orderBy('a.id', 'desc')
    .limit(20)
    .execute()
}

/** The member's transfers (接转), newest first, with both unions' names. */
export function transfersOf(db: Tx, memberId: number) {
  return db
    .selectFrom('transfer as t')
    .select([
      't.id',
      't.status',
      't.requested_at',
      't.decision_note',
      sql<string | null>`(select b.name from org_brief(array[t.from_union_id]) b)`.as('from_name'),
      sql<string | null>`(select b.name from org_brief(array[t.to_union_id]) b)`.as('to_name'),
    ])
    .where('t.member_id', '=', memberId)
    .orderBy('t.id', 'desc')
    .limit(20)
    .execute()
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
