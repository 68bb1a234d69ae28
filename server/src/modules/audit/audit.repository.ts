import { contains } from '../../db/like.js'
import { paged } from '../../db/count.js'
import crypto from 'node:crypto'
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import type { AuditLogTable, DB } from '../../db/schema.js'
import type { AuditEntry } from '../../http/context.js'
import { maskPersonalData } from '../../../../common/id-card.js'

type Q = Kysely<DB> | Transaction<DB>

export interface AuditActor {
  id: number | null
  name: string | null
  ip: string | null
}

export const GENESIS = '0'.repeat(64)

// ── the audit keys ───────────────────────────────────────────────────────────

/**
 * The keys that seal the chain (HMAC-SHA256), by key id; `current` seals new entries. They come
 * from the key ring (security/keys.ts `auditKeysOf`), never from the database, so whoever can
 * write the database cannot re-seal a rewritten entry. Set once per process, before the first
 * entry is appended (main.ts, cli.ts, the test harness), like the time zone: one process, one ring.
 */
export interface AuditKeys {
  current: string
  keys: ReadonlyMap<string, Buffer>
}
let auditKeys: AuditKeys | null = null

export function useAuditKeys(keys: AuditKeys): void {
  if (!keys.keys.has(keys.current)) throw new Error(`audit key ${keys.current} is not in the key ring`)
  auditKeys = keys
}

export function auditKeysInUse(): AuditKeys {
  if (!auditKeys) throw new Error('审计日志密钥未加载：进程启动时须先加载个人信息密钥环（useAuditKeys）')
  return auditKeys
}

// ── the hashed form ──────────────────────────────────────────────────────────

/**
 * A string as both engines store it: a lone surrogate (not UTF-8) becomes U+FFFD, as the drivers
 * would turn it silently, and NUL, which PostgreSQL's text and jsonb refuse, becomes U+FFFD too.
 * Applied before hashing and storing, so that what is stored is exactly what was hashed.
 */
export function storableText(s: string): string {
  return s.replace(LONE_SURROGATE_OR_NUL, '\ufffd')
}
const LONE_SURROGATE_OR_NUL = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\u0000/g

/**
 * A detail value as jsonb gives it back: JSON's own conversion (dates to strings, undefined
 * dropped, NaN to null), then every string and key made storable.
 */
export function storableJson(v: unknown): unknown {
  if (v === undefined) return null
  const walk = (x: unknown): unknown => {
    if (typeof x === 'string') return storableText(x)
    if (Array.isArray(x)) return x.map(walk)
    if (x !== null && typeof x === 'object') {
      const o: Record<string, unknown> = {}
      for (const [k, val] of Object.entries(x)) o[storableText(k)] = walk(val)
      return o
    }
    return x
  }
  const json = JSON.stringify(v)
  return json === undefined ? null : walk(JSON.parse(json))
}

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

/** The content of an entry that its seal covers: every column but the entry's id, seals and place (db/schema.ts). */
export type HashedFields = Omit<
  Selectable<AuditLogTable>,
  'id' | 'prev_hash' | 'hash' | 'seq' | 'key_id' | 'legacy_hash' | 'legacy_problem'
>

/** What a version-2 seal covers besides the content: the entry's place, its key and its past. */
export interface SealedFields extends HashedFields {
  seq: number
  key_id: string
  legacy_hash: string | null
  legacy_problem: string | null
}

/** Exactly the fields that are sealed, from a stored row (its id, prev_hash and hash are not content). */
export function sealedFields(r: SealedFields): SealedFields {
  return {
    chain_id: r.chain_id,
    at: r.at,
    actor_id: r.actor_id,
    actor_name: r.actor_name,
    ip: r.ip,
    action: r.action,
    target_type: r.target_type,
    target_id: r.target_id,
    target_name: r.target_name,
    scope_path: r.scope_path,
    detail: r.detail ?? null,
    seq: Number(r.seq),
    key_id: r.key_id,
    legacy_hash: r.legacy_hash ?? null,
    legacy_problem: r.legacy_problem ?? null,
  }
}

/** The unkeyed hash of entries written before 0015 (checked once, when they are re-sealed). */
export function legacyEntryHash(prev: string, f: HashedFields): string {
  const content: HashedFields = {
    chain_id: f.chain_id,
    at: f.at,
    actor_id: f.actor_id,
    actor_name: f.actor_name,
    ip: f.ip,
    action: f.action,
    target_type: f.target_type,
    target_id: f.target_id,
    target_name: f.target_name,
    scope_path: f.scope_path,
    detail: f.detail ?? null,
  }
  return crypto
    .createHash('sha256')
    .update(prev)
    .update(canonical({ ...content, at: f.at.toISOString() }))
    .digest('hex')
}

/** The seal of a version-2 entry: HMAC-SHA256 under its key of the previous seal and the canonical content. */
export function sealEntry(key: Buffer, prev: string, f: SealedFields): string {
  return crypto
    .createHmac('sha256', key)
    .update(`gonghui-audit-v2\n${prev}\n`)
    .update(canonical({ ...f, at: f.at.toISOString() }))
    .digest('hex')
}

/**
 * Appends entries to a chain. The chain head row is locked for the rest of the transaction, so
 * appends to one chain are serialized; chains are per top-level organization, so no single lock
 * spans the whole country. Text is made storable first (storableText), then sealed and stored.
 */
export async function appendAudit(db: Q, chainId: string, actor: AuditActor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return
  const keys = auditKeysInUse()
  const key = keys.keys.get(keys.current)!
  await db
    .insertInto('audit_chain')
    .values({ chain_id: chainId, last_id: null, last_hash: GENESIS })
    .onConflict((oc) => oc.column('chain_id').doNothing())
    .execute()
  const head = await db
    .selectFrom('audit_chain')
    .select(['last_hash', 'last_seq'])
    .where('chain_id', '=', chainId)
    .forUpdate()
    .executeTakeFirstOrThrow()
  let prev = head.last_hash
  let seq = Number(head.last_seq)
  let lastId: number | null = null
  const at = new Date()
  const text = (s: string | null | undefined) => (s == null ? null : storableText(s))
  for (const e of entries) {
    const f: SealedFields = {
      chain_id: storableText(chainId),
      at,
      actor_id: actor.id,
      actor_name: text(actor.name),
      ip: text(actor.ip),
      action: storableText(e.action),
      target_type: text(e.targetType),
      target_id: e.targetId === undefined ? null : storableText(String(e.targetId)),
      target_name: text(e.targetName),
      scope_path: text(e.scopePath),
      // personal data masked once more, whatever the caller passed: no number or birth date in clear
      detail: storableJson(e.detail == null ? null : (maskPersonalData(e.detail) as AuditEntry['detail'])),
      seq: ++seq,
      key_id: keys.current,
      legacy_hash: null,
      legacy_problem: null,
    }
    const hash = sealEntry(key, prev, f)
    // the id is taken first: the appending role may not read the log back (no RETURNING)
    const id = Number((await sql<{ id: number }>`select nextval(pg_get_serial_sequence('audit_log', 'id')) as id`.execute(db)).rows[0]!.id)
    await db
      .insertInto('audit_log')
      .values({ id, ...f, detail: f.detail === null ? null : JSON.stringify(f.detail), prev_hash: prev, hash })
      .execute()
    prev = hash
    lastId = id
  }
  await db.updateTable('audit_chain').set({ last_hash: prev, last_id: lastId, last_seq: seq }).where('chain_id', '=', chainId).execute()
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
    const like = contains(f.q)
    query = query.where((eb) => eb.or([eb('target_name', 'like', like), eb('target_id', '=', f.q!), eb('actor_name', 'like', like)]))
  }
  return paged(query, query.selectAll().orderBy('id', 'desc'), f)
}

/** Streams a chain in its order (seq, then id for a duplicated seq), in batches, for verification. */
/** One entry, every column (resealing amends the last entry of a chain). */
export const findEntry = (db: Q, id: number) => db.selectFrom('audit_log').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

export async function* readChain(db: Q, chainId: string, batch = 5000) {
  let after: { seq: number; id: number } | null = null
  for (;;) {
    let q = db.selectFrom('audit_log').selectAll().where('chain_id', '=', chainId)
    if (after) q = q.where(sql<boolean>`(seq, id) > (${after.seq}, ${after.id})`)
    const rows = await q.orderBy('seq').orderBy('id').limit(batch).execute()
    if (rows.length === 0) return
    for (const r of rows) yield r
    const last = rows[rows.length - 1]!
    after = { seq: Number(last.seq), id: last.id }
  }
}

export async function chains(db: Q) {
  return db.selectFrom('audit_chain').selectAll().orderBy('chain_id').execute()
}

/** The chains that still hold entries written before 0015 (not sealed with a key), each head locked. */
export async function chainsWithUnsealed(db: Q) {
  const ids = await db.selectFrom('audit_log').select('chain_id').distinct().where('key_id', 'is', null).orderBy('chain_id').execute()
  if (ids.length === 0) return []
  return db
    .selectFrom('audit_chain')
    .selectAll()
    .where(
      'chain_id',
      'in',
      ids.map((r) => r.chain_id),
    )
    .orderBy('chain_id')
    .forUpdate()
    .execute()
}

export interface Reseal {
  id: number
  prev_hash: string
  hash: string
  key_id: string
  legacy_hash: string
  legacy_problem: string | null
}

/** Writes re-sealed entries (one statement per batch). */
export async function writeReseals(db: Q, rows: Reseal[]): Promise<void> {
  if (rows.length === 0) return
  await sql`update audit_log l
            set prev_hash = v.prev_hash, hash = v.hash, key_id = v.key_id, legacy_hash = v.legacy_hash, legacy_problem = v.legacy_problem
            from unnest(${rows.map((r) => r.id)}::bigint[], ${rows.map((r) => r.prev_hash)}::text[], ${rows.map((r) => r.hash)}::text[],
                        ${rows.map((r) => r.key_id)}::text[], ${rows.map((r) => r.legacy_hash)}::text[], ${rows.map((r) => r.legacy_problem)}::text[])
                 as v(id, prev_hash, hash, key_id, legacy_hash, legacy_problem)
            where l.id = v.id`.execute(db)
}

export async function setChainHead(db: Q, chainId: string, head: { last_id: number | null; last_hash: string; last_seq: number }) {
  await db.updateTable('audit_chain').set(head).where('chain_id', '=', chainId).execute()
}
