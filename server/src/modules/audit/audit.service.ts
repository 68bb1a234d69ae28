import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import { chains, entryHash, readChain, type HashedFields } from './audit.repository.js'

/** Exactly the fields appendAudit hashed: the row's id, prev_hash and hash are not part of its content. */
function hashedFields(r: HashedFields): HashedFields {
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
  }
}

export interface ChainReport {
  chainId: string
  entries: number
  ok: boolean
  /** the first entry that does not match its chain, with what is wrong */
  firstBad?: { id: number; problem: string }
}

/** Recomputes every chain; names the first entry that was altered, removed or inserted. */
export async function verifyAuditChains(db: Kysely<DB> | Transaction<DB>): Promise<ChainReport[]> {
  const reports: ChainReport[] = []
  for (const head of await chains(db)) {
    let prev = '0'.repeat(64)
    let n = 0
    let lastId: number | null = null
    let firstBad: ChainReport['firstBad']
    for await (const r of readChain(db, head.chain_id)) {
      n++
      if (!firstBad) {
        if (r.prev_hash !== prev) firstBad = { id: r.id, problem: '与前一条记录的链接不符（前面的记录被删除或篡改）' }
        else if (entryHash(prev, hashedFields(r)) !== r.hash) firstBad = { id: r.id, problem: '内容与哈希不符（记录被篡改）' }
      }
      prev = r.hash
      lastId = r.id
    }
    if (!firstBad && (head.last_hash !== prev || head.last_id !== lastId)) {
      firstBad = { id: head.last_id ?? 0, problem: '链尾与记录不符（末尾的记录被删除）' }
    }
    reports.push({ chainId: head.chain_id, entries: n, ok: !firstBad, firstBad })
  }
  return reports
}
