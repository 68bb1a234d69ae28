import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { Tx } from '../../http/context.js'

export async function outboxAdd(db: Tx, row: { phone_enc: string; phone_masked: string; body_enc: string }) {
  await db.insertInto('sms_outbox').values(row).execute()
}

/** The operator's view (owner connection): messages not yet marked sent, oldest first. */
export async function outboxPending(db: Kysely<DB>) {
  return db.selectFrom('sms_outbox').selectAll().where('sent_at', 'is', null).orderBy('id').execute()
}

export async function outboxMarkSent(db: Kysely<DB>, ids: number[]) {
  if (ids.length === 0) return
  await db.updateTable('sms_outbox').set({ sent_at: new Date() }).where('id', 'in', ids).execute()
}

/**
 * Codes issued lately, for the throttles: to this phone (in the last minute: those not used yet —
 * a code used for an act does not hold the next one back), from this address, for this subject.
 */
export async function recentCounts(db: Tx, q: { purpose: string; subject: string; phoneHash: string | null; ip: string }) {
  const r = await sql<{ phone_minute: number; phone_hour: number; ip_hour: number; subject_hour: number }>`
    select
      (select count(*) from one_time_code where ${q.phoneHash}::text is not null and phone_hash = ${q.phoneHash} and used_at is null and created_at > now() - interval '1 minute')::int as phone_minute,
      (select count(*) from one_time_code where ${q.phoneHash}::text is not null and phone_hash = ${q.phoneHash} and created_at > now() - interval '1 hour')::int as phone_hour,
      (select count(*) from one_time_code where ip = ${q.ip} and created_at > now() - interval '1 hour')::int as ip_hour,
      (select count(*) from one_time_code where purpose = ${q.purpose} and subject = ${q.subject} and created_at > now() - interval '1 hour')::int as subject_hour`.execute(
    db,
  )
  return r.rows[0]!
}

export async function codeAdd(
  db: Tx,
  row: { purpose: string; subject: string; code_hash: string; phone_hash: string | null; ip: string; expires_at: Date },
) {
  await db.insertInto('one_time_code').values(row).execute()
}

/** The subject's newest code for the purpose, if still usable. */
export async function codeCurrent(db: Tx, purpose: string, subject: string, maxTries: number) {
  return db
    .selectFrom('one_time_code')
    .select(['id', 'code_hash'])
    .where('purpose', '=', purpose)
    .where('subject', '=', subject)
    .where('used_at', 'is', null)
    .where('tries', '<', maxTries)
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
}

export async function codeTried(db: Tx, id: number) {
  await db
    .updateTable('one_time_code')
    .set({ tries: sql`tries + 1` })
    .where('id', '=', id)
    .execute()
}

export async function codeUsed(db: Tx, id: number) {
  await db.updateTable('one_time_code').set({ used_at: new Date() }).where('id', '=', id).execute()
}
