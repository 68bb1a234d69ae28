import crypto from 'node:crypto'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { AuditEntry } from '../../http/context.js'
import { maskPersonalData } from '../../../../common/id-card.js'

type Q = Kysely<DB> | Transaction<DB>

export interface AuditActor {
  id: number | null
  name: string | null
  ip: string | null
}

const GENESIS = '0'.repeat(64)

/** JSON with sorted keys, so a jsonb round trip (which reorders keys) hashes the same. */
export function canonical(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']'
  if (v instanceof Date) return JSON.stringify(v.toISOString())
  if (typeof v === 'object') {
    return (
      '{' +
      Object.keys(v as object)
        .sort()
        .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .map((k) => JSON.stringify(k) + ':' + canonical((v as Record<string, unknown>)[k]))
        .join(',') +
      '}'
    )
  }
  return JSON.stringify(v)
}

export interface HashedFields {
  chain_id: string
  at: Date
  actor_id: number | null
  actor_name: string | null
  ip: string | null
  action: string
  target_type: string | null
  target_id: string | null
  target_name: string | null
  scope_path: string | null
  detail: unknown
}

export function entryHash(prev: string, f: HashedFields): string {
  return crypto
    .createHash('sha256')
    .update(prev)
    .update(canonical({ ...f, at: f.at.toISOString() }))
    .digest('hex')
}

/**
 * Appends entries to a chain. The chain head row is locked for the rest of the transaction, so
 * appends to one chain are serialized; chains are per top-level organization, so no single lock
 * spans the whole country.
 */
export async function appendAudit(db: Q, chainId: string, actor: AuditActor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return
  await db
    .insertInto('audit_chain')
    .values({ chain_id: chainId, last_id: null, last_hash: GENESIS })
    .onConflict((oc) => oc.column('chain_id').doNothing())
    .execute()
  const head = await db
    .selectFrom('audit_chain')
    .select(['last_hash'])
    .where('chain_id', '=', chainId)
    .forUpdate()
    .executeTakeFirstOrThrow()
  let prev = head.last_hash
  let lastId: number | null = null
  const at = new Date()
  for (const e of entries) {
    const f: HashedFields = {
      chain_id: chainId,
      at,
      actor_id: actor.id,
      actor_name: actor.name,
      ip: actor.ip,
      action: e.action,
      target_type: e.targetType ?? null,
      target_id: e.targetId === undefined ? null : String(e.targetId),
      target_name: e.targetName ?? null,
      scope_path: e.scopePath ?? null,
      // personal data masked once more, whatever the caller passed: no number or birth date in clear
      detail: e.detail == null ? null : (maskPersonalData(e.detail) as AuditEntry['detail']),
    }
    const hash = entryHash(prev, f)
    // the id is taken first: the appending role may not read the log back (no RETURNING)
    const id = Number((await sql<{ id: number }>`select nextval(pg_get_serial_sequence('audit_log', 'id')) as id`.execute(db)).rows[0]!.id)
    await db
      .insertInto('audit_log')
      .values({ id, ...f, detail: f.detail === null ? null : JSON.stringify(f.detail), prev_hash: prev, hash })
      .execute()
    prev = hash
    lastId = id
  }
  await db.updateTable('audit_chain').set({ last_hash: prev, last_id: lastId }).where('chain_id', '=', chainId).execute()
}

export interface AuditFilter {
  q?: string
  action?: string
  actor?: string
  from?: string
  to?: string
  page: number
  pageSize: number
}

export async function listAudit(db: Q, f: AuditFilter) {
  let query = db.selectFrom('audit_log')
  if (f.action) query = query.where('action', '=', f.action)
  if (f.actor) query = query.where('actor_name', '=', f.actor)
  if (f.from) query = query.where('at', '>=', new Date(f.from))
  if (f.to) query = query.where('at', '<', sql<Date>`(${f.to}::date + 1)`)
  if (f.q) {
    const like = `%${f.q}%`
    query = query.where((eb) => eb.or([eb('target_name', 'like', like), eb('target_id', '=', f.q!), eb('actor_name', 'like', like)]))
  }
  const [items, total] = await Promise.all([
    query
      .selectAll()
      .orderBy('id', 'desc')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { items, total: Number(total.n) }
}

/** Streams a chain in id order, in batches, for verification. */
export async function* readChain(db: Q, chainId: string, batch = 5000) {
  let after = 0
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('chain_id', '=', chainId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(batch)
      .execute()
    if (rows.length === 0) return
    for (const r of rows) yield r
    after = rows[rows.length - 1]!.id
  }
}

export async function chains(db: Q) {
  return db.selectFrom('audit_chain').selectAll().orderBy('chain_id').execute()
}
