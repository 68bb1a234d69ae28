import ExcelJS from 'exceljs'
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { AuditView, Page } from '../../../../common/api.js'
import { maskPersonalData } from '../../../../common/id-card.js'
import { auditActionLabel, auditChainLabel, auditTarget } from '../../../../common/audit-labels.js'
import { localDateTime } from '../../local-time.js'
import type { Ctx } from '../../http/context.js'
import {
  GENESIS,
  auditKeysInUse,
  chains,
  chainsWithUnsealed,
  findEntry,
  legacyEntryHash,
  listAudit,
  readChain,
  sealEntry,
  sealedFields,
  setChainHead,
  writeReseals,
  type AuditFilter,
  type AuditKeys,
  type Reseal,
} from './audit.repository.js'

type Q = Kysely<DB> | Transaction<DB>

/** A page of the audit log as the audit administrator reads it. */
export async function list(db: Q, f: AuditFilter): Promise<Page<AuditView>> {
  const r = await listAudit(db, f)
  return {
    total: r.total,
    items: r.items.map((x) => ({
      id: x.id,
      chainId: x.chain_id,
      at: x.at.toISOString(),
      actorName: x.actor_name,
      ip: x.ip,
      action: x.action,
      targetType: x.target_type,
      targetId: x.target_id,
      targetName: x.target_name,
      // as written, or narrowed: entries from before the masks were narrowed are shown masked as now
      detail: maskPersonalData(x.detail) as AuditView['detail'],
    })),
  }
}

/** At most this many entries in one export (the newest); a longer period is exported in parts. */
export const AUDIT_EXPORT_LIMIT = 20_000

/**
 * The audit log as the 审计管理员 files it: the entries the filters select, newest first, in words
 * (labels, not codes), with the details as JSON. The export is itself an entry of the log.
 */
export async function exportXlsx(ctx: Ctx, f: Omit<AuditFilter, 'page' | 'pageSize'>): Promise<Buffer> {
  const r = await listAudit(ctx.db, { ...f, page: 1, pageSize: AUDIT_EXPORT_LIMIT })
  const wb = new ExcelJS.Workbook()
  wb.creator = ctx.actor.displayName
  wb.created = new Date()
  const ws = wb.addWorksheet('审计日志')
  ws.columns = [
    { header: '序号', width: 8 },
    { header: '时间', width: 20 },
    { header: '操作人', width: 16 },
    { header: 'IP', width: 16 },
    { header: '操作', width: 24 },
    { header: '对象', width: 36 },
    { header: '日志链', width: 14 },
    { header: '记录编号', width: 10 },
    { header: '详情', width: 80 },
  ]
  ws.getRow(1).font = { bold: true }
  ws.views = [{ state: 'frozen', ySplit: 1 }]
  r.items.forEach((x, i) =>
    ws.addRow([
      i + 1,
      localDateTime(x.at, { seconds: true }),
      x.actor_name ?? '',
      x.ip ?? '',
      auditActionLabel(x.action),
      auditTarget({ targetType: x.target_type, targetId: x.target_id, targetName: x.target_name }),
      auditChainLabel(x.chain_id),
      x.id,
      x.detail == null ? '' : JSON.stringify(maskPersonalData(x.detail)),
    ]),
  )
  ws.addRow([])
  ws.addRow([
    `导出人：${ctx.actor.displayName}（${ctx.actor.username}）  导出时间：${localDateTime(new Date(), { seconds: true })}  共 ${r.items.length} 条` +
      (r.total > r.items.length ? `（符合条件的共 ${r.total} 条，只导出了最新的 ${r.items.length} 条，请缩小时间范围分次导出）` : ''),
  ])
  ctx.audit({
    action: 'audit.export',
    targetType: 'audit_log',
    targetName: '审计日志',
    detail: { filter: f, rows: r.items.length, total: r.total },
  })
  return Buffer.from(await wb.xlsx.writeBuffer())
}

export interface ChainProblem {
  /** the entry concerned (for a gap: the entry after it; for the tail: the head's last entry) */
  id: number
  seq: number | null
  at?: string
  action?: string
  problem: string
}

export interface ChainReport {
  chainId: string
  entries: number
  ok: boolean
  /** every entry that does not match its seal or its chain, every gap in the numbering, and a cut tail */
  problems: ChainProblem[]
  /** the first of them (kept for the web page) */
  firstBad?: { id: number; problem: string }
}

const ALTERED = '内容与签封不符（记录被篡改，或以错误的密钥重新计算）'
const UNSEALED = '没有密钥签封（不是本系统写入的记录，或被改写成旧格式）'
const UNLINKED = '与前一条记录的链接不符（前一条记录被改写）'

/**
 * Checks every chain, entry by entry, and reports every problem, not only the first: an entry
 * whose content does not match its seal (an HMAC under a key the database does not hold, so a
 * rewrite of an entry and all its successors is found too), a link to the previous entry that
 * does not hold, a gap in the numbering (deleted entries), a repeated number (an inserted one),
 * an entry sealed without a key, one whose key is not in the ring, and a head that points before
 * the last entry.
 */
export async function verifyAuditChains(db: Q, keys: AuditKeys = auditKeysInUse()): Promise<ChainReport[]> {
  const reports: ChainReport[] = []
  for (const head of await chains(db)) {
    const problems: ChainProblem[] = []
    let prevHash = GENESIS
    let prevSeq = 0
    let n = 0
    let last: { id: number; seq: number; hash: string } | null = null
    for await (const r of readChain(db, head.chain_id)) {
      n++
      const seq = Number(r.seq)
      const found: string[] = []
      let gap = false
      if (seq > prevSeq + 1) {
        gap = true
        const missing = seq - prevSeq - 1
        found.push(
          missing === 1
            ? `此前缺少第 ${prevSeq + 1} 条记录（被删除）`
            : `此前缺少第 ${prevSeq + 1}–${seq - 1} 条记录，共 ${missing} 条（被删除）`,
        )
      } else if (seq <= prevSeq) {
        found.push(`序号 ${seq} 重复（插入的记录）`)
      }
      if (!gap && r.prev_hash !== prevHash) found.push(UNLINKED)
      if (r.key_id === null) found.push(UNSEALED)
      else {
        const key = keys.keys.get(r.key_id)
        if (!key) found.push(`签封密钥 ${r.key_id} 不在密钥环中，无法校验`)
        else if (sealEntry(key, r.prev_hash, sealedFields({ ...r, key_id: r.key_id })) !== r.hash) found.push(ALTERED)
      }
      if (r.legacy_problem) found.push(`升级前已发现：${r.legacy_problem}`)
      if (found.length) problems.push({ id: r.id, seq, at: r.at.toISOString(), action: r.action, problem: found.join('；') })
      prevHash = r.hash
      prevSeq = Math.max(prevSeq, seq)
      last = { id: r.id, seq, hash: r.hash }
    }
    const headSeq = Number(head.last_seq)
    if (!last ? head.last_id !== null : head.last_hash !== last.hash || head.last_id !== last.id || headSeq !== last.seq) {
      const cut =
        headSeq > (last?.seq ?? 0) ? `，缺少第 ${(last?.seq ?? 0) + 1}${headSeq > (last?.seq ?? 0) + 1 ? `–${headSeq}` : ''} 条` : ''
      problems.push({ id: head.last_id ?? 0, seq: headSeq, problem: `链尾与记录不符（末尾的记录被删除${cut}）` })
    }
    reports.push({
      chainId: head.chain_id,
      entries: n,
      ok: problems.length === 0,
      problems,
      firstBad: problems[0] ? { id: problems[0].id, problem: problems[0].problem } : undefined,
    })
  }
  return reports
}

/**
 * Entries written before 0015 carry an unkeyed hash, which anyone who can write the database can
 * recompute. The migration cannot seal them (the key is not in the database), so the first start
 * with the key ring does, once (security/keys.ts calls this when it first records the key
 * checks): each entry is checked by the old rule (its link and its unkeyed hash), then sealed
 * with the current key together with its old hash and what that check found. Nothing is
 * laundered: an entry that was already broken stays reported by every later `audit verify`.
 * Returns the number of entries sealed.
 */
export async function sealLegacyEntries(tx: Transaction<DB>, keys: AuditKeys): Promise<number> {
  const key = keys.keys.get(keys.current)!
  let sealed = 0
  for (const head of await chainsWithUnsealed(tx)) {
    let oldPrev = GENESIS
    let newPrev = GENESIS
    let seq = 0
    let lastId: number | null = null
    let pending: Reseal[] = []
    for await (const r of readChain(tx, head.chain_id)) {
      seq = Number(r.seq)
      lastId = r.id
      if (r.key_id !== null) {
        // sealed already: left as it is (its link to the re-sealed entries before it no longer holds, and is reported)
        oldPrev = newPrev = r.hash
        continue
      }
      const found: string[] = []
      if (r.prev_hash !== oldPrev) found.push('与前一条记录的链接不符')
      if (legacyEntryHash(r.prev_hash, r) !== r.hash) {
        const mangled = [r.actor_name, r.target_name, JSON.stringify(r.detail)].some((t) => t?.includes('\ufffd'))
        found.push(`内容与旧哈希不符${mangled ? '（含无效字符 U+FFFD，可能是旧版本存储孤立代理项所致，也可能被篡改）' : '（被篡改）'}`)
      }
      oldPrev = r.hash
      const fields = sealedFields({ ...r, key_id: keys.current, legacy_hash: r.hash, legacy_problem: found.join('；') || null })
      const hash = sealEntry(key, newPrev, fields)
      pending.push({ id: r.id, prev_hash: newPrev, hash, key_id: keys.current, legacy_hash: r.hash, legacy_problem: fields.legacy_problem })
      newPrev = hash
      sealed++
      if (pending.length > 2000) {
        // the last one stays pending: the tail check below may still amend it
        await writeReseals(tx, pending.slice(0, -1))
        pending = pending.slice(-1)
      }
    }
    // a head that pointed past the last entry: the tail had been cut before the upgrade; note it on the last entry
    if (pending.length && (head.last_hash !== oldPrev || head.last_id !== lastId)) {
      const p = pending[pending.length - 1]!
      const r = await findEntry(tx, p.id)
      p.legacy_problem = [p.legacy_problem, '链尾与记录不符（末尾的记录被删除）'].filter(Boolean).join('；')
      p.hash = sealEntry(
        key,
        p.prev_hash,
        sealedFields({ ...r, key_id: keys.current, legacy_hash: p.legacy_hash, legacy_problem: p.legacy_problem }),
      )
      newPrev = p.hash
    }
    await writeReseals(tx, pending)
    await setChainHead(tx, head.chain_id, { last_id: lastId, last_hash: newPrev, last_seq: seq })
  }
  return sealed
}
