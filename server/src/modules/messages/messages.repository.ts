import { sql } from 'kysely'
import type { Tx } from '../../http/context.js'

/** Messages to members (by id, wherever their unions are: message_to_members, 0019); the sealed phones of those who take SMS. */
export async function addForMembers(
  db: Tx,
  ids: number[],
  m: { kind: string; title: string; body: string; link: string | null; sms: boolean },
): Promise<{ member_id: number; phone_enc: string }[]> {
  const r = await sql<{ member_id: number; phone_enc: string }>`
    select * from message_to_members(${ids}::bigint[], ${m.kind}, ${m.title}, ${m.body}, ${m.link}, ${m.sms})`.execute(db)
  return r.rows
}

/** A message to the cadres of a union. */
export async function addForOrg(
  db: Tx,
  m: { orgId: number; orgPath: string; kind: string; title: string; body: string; link: string | null },
) {
  await db
    .insertInto('message')
    .values({ org_id: m.orgId, org_path: m.orgPath, kind: m.kind, title: m.title, body: m.body, link: m.link })
    .execute()
}

export type Recipient = { memberId: number } | { orgId: number }

const mine = (r: Recipient) => ('memberId' in r ? (['member_id', r.memberId] as const) : (['org_id', r.orgId] as const))

/** A page of a recipient's messages, newest first, with the total and the unread count. */
export async function page(db: Tx, r: Recipient, o: { unreadOnly: boolean; limit: number; offset: number }) {
  const [col, id] = mine(r)
  let q = db.selectFrom('message').where(col, '=', id)
  if (o.unreadOnly) q = q.where('read_at', 'is', null)
  const [items, counts] = await Promise.all([
    q
      .select(['id', 'kind', 'title', 'body', 'link', 'created_at', 'read_at'])
      .orderBy('id', 'desc')
      .limit(o.limit)
      .offset(o.offset)
      .execute(),
    db
      .selectFrom('message')
      .where(col, '=', id)
      .select([
        (eb) => eb.fn.countAll<string>().as('total'),
        (eb) => eb.fn.count<string>('id').filterWhere('read_at', 'is', null).as('unread'),
      ])
      .executeTakeFirstOrThrow(),
  ])
  return { items, total: Number(o.unreadOnly ? counts.unread : counts.total), unread: Number(counts.unread) }
}

export async function unreadCount(db: Tx, r: Recipient): Promise<number> {
  const [col, id] = mine(r)
  const row = await db
    .selectFrom('message')
    .where(col, '=', id)
    .where('read_at', 'is', null)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** How many of the given messages are in the mailbox. */
export async function countIn(db: Tx, r: Recipient, ids: number[]): Promise<number> {
  const [col, id] = mine(r)
  const row = await db
    .selectFrom('message')
    .where(col, '=', id)
    .where('id', 'in', ids)
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Marks messages read (the given ones, or all); answers how many changed. */
export async function markRead(db: Tx, r: Recipient, ids: number[] | undefined): Promise<number> {
  const [col, id] = mine(r)
  let q = db
    .updateTable('message')
    .set({ read_at: sql`now()` })
    .where(col, '=', id)
    .where('read_at', 'is', null)
  if (ids) q = q.where('id', 'in', ids.length > 0 ? ids : [0])
  const res = await q.executeTakeFirst()
  return Number(res.numUpdatedRows)
}
