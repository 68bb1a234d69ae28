import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../db/schema.js'

type Q = Kysely<DB> | Transaction<DB>

/** Every column that holds a ciphertext `<cipher>:<keyId>:<data>`. */
const SEALED_COLUMNS = [
  ['member', 'document_enc'],
  ['member', 'phone_enc'],
  ['application', 'document_enc'],
  ['application', 'phone_enc'],
  ['org', 'chair_phone_enc'],
  ['org', 'contact_phone_enc'],
] as const

/** Held for the transaction: two processes starting at once record the checks once. */
export async function lockKeyChecks(tx: Transaction<DB>): Promise<void> {
  await sql`lock table key_check in exclusive mode`.execute(tx)
}

export async function keyChecks(db: Q) {
  // the personal-data keys first, the hash key last (the order of a refusal's message)
  return db.selectFrom('key_check').select(['kind', 'key_id', 'check_value']).orderBy('kind', 'desc').orderBy('key_id').execute()
}

export async function addKeyChecks(db: Q, rows: { kind: 'pii' | 'hash'; key_id: string; check_value: string }[]): Promise<void> {
  if (rows.length === 0) return
  await db
    .insertInto('key_check')
    .values(rows)
    .onConflict((oc) => oc.columns(['kind', 'key_id']).doNothing())
    .execute()
}

/**
 * The key ids the data uses, each with one ciphertext to try: every sealed column and the audit
 * log's seals. One pass over the tables, run once, when a database without key checks (one from
 * before 0015) is first opened with a key ring.
 */
export async function keyIdsInUse(db: Q): Promise<{ keyId: string; sample: string | null }[]> {
  const found = new Map<string, string | null>()
  for (const [table, column] of SEALED_COLUMNS) {
    const rows = await sql<{ key_id: string; sample: string }>`
      select split_part(${sql.ref(column)}, ':', 2) as key_id, min(${sql.ref(column)}) as sample
      from ${sql.table(table)} where ${sql.ref(column)} is not null and ${sql.ref(column)} <> ''
      group by 1`.execute(db)
    for (const r of rows.rows) if (!found.has(r.key_id) || found.get(r.key_id) === null) found.set(r.key_id, r.sample)
  }
  const audit = await db.selectFrom('audit_log').select('key_id').distinct().where('key_id', 'is not', null).execute()
  for (const r of audit) if (!found.has(r.key_id!)) found.set(r.key_id!, null)
  return [...found].map(([keyId, sample]) => ({ keyId, sample })).sort((a, b) => a.keyId.localeCompare(b.keyId))
}

/** One registered person (member, else application) with a sealed document and its lookup hash. */
export async function oneDocument(db: Q): Promise<{ document_type: string; document_enc: string; document_hash: string } | null> {
  for (const table of ['member', 'application'] as const) {
    const r = await db
      .selectFrom(table)
      .select(['document_type', 'document_enc', 'document_hash'])
      .where('document_enc', '<>', '')
      .limit(1)
      .executeTakeFirst()
    if (r) return r
  }
  return null
}

/** Whether the database holds anything that depends on the lookup-hash key. */
export async function hasLookupHashes(db: Q): Promise<boolean> {
  const r = await sql<{ any: boolean }>`select exists (select 1 from member) or exists (select 1 from application) as any`.execute(db)
  return Boolean(r.rows[0]?.any)
}
