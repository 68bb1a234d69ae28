import { sql } from 'kysely'
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres'
import type { Tx } from '../../http/context.js'

/*
 * The member's own rows, read under row-level security as the member (0019: member_self_read,
 * org_member_read, application_phone_read, transfer_self_read): nothing here filters by who asks
 * beyond naming the member; the policies are the jurisdiction.
 */

/**
 * Everything 我的 shows, in one statement (one round trip instead of five): the member's own row,
 * their union chain (orgPath: the session's), applications by the proven phone, transfers and the
 * unread count. JSON brings dates and times back as text, as the separate queries' callers take them.
 */
export async function home(db: Tx, memberId: number | null, orgPath: string) {
  const id = memberId ?? 0
  const chainIds = orgPath.split('/').filter(Boolean).map(Number)
  const r = await db
    .selectNoFrom((eb) => [
      jsonObjectFrom(
        eb.selectFrom('member').select(['id', 'name', 'member_no', 'status', 'joined_on', 'union_id', 'sms_opt_out']).where('id', '=', id),
      ).as('self'),
      jsonArrayFrom(
        eb
          .selectFrom('org')
          .select(['id', 'name', 'chair_name', 'contact_name', 'contact_phone_enc'])
          .where('id', 'in', chainIds.length > 0 ? chainIds : [0])
          .orderBy(sql`length(path)`),
      ).as('chain'),
      jsonArrayFrom(
        eb
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
          .limit(20),
      ).as('applications'),
      jsonArrayFrom(
        eb
          .selectFrom('transfer as t')
          .select([
            't.id',
            't.status',
            't.requested_at',
            't.decision_note',
            sql<string | null>`(select b.name from org_brief(array[t.from_union_id]) b)`.as('from_name'),
            sql<string | null>`(select b.name from org_brief(array[t.to_union_id]) b)`.as('to_name'),
          ])
          .where('t.member_id', '=', id)
          .orderBy('t.id', 'desc')
          .limit(20),
      ).as('transfers'),
      eb
        .selectFrom('message')
        .where('member_id', '=', id)
        .where('read_at', 'is', null)
        .select((e) => e.fn.countAll<string>().as('n'))
        .as('unread'),
    ])
    .executeTakeFirstOrThrow()
  return { ...r, unread: Number(r.unread ?? 0) }
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
