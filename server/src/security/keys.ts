import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { normalizeDocumentKey } from '../../../common/documents.js'
import type { DocumentType } from '../../../common/codes.js'
import { useAuditKeys, type AuditKeys } from '../modules/audit/audit.repository.js'
import { sealLegacyEntries } from '../modules/audit/audit.service.js'
import { createPii, type KeyRing } from './pii.js'
import * as repo from './keys.repository.js'

/**
 * The key ring and the database belong together: ciphertexts name the key id they were sealed
 * with, the one-membership index holds HMACs under the lookup-hash key, and the audit chain is
 * sealed with keys derived from the ring. A server started with another ring (a lost key file
 * and a silently made new one) would find nobody by ID number, fail every reveal and let the same
 * person register twice. So the database keeps a check value per key (key_check: an HMAC of a
 * fixed label under the key, which says nothing about the key), and `openKeyRing` refuses a ring
 * that does not match. A new ring is made only for an empty database.
 */

/** Refused: the key ring does not belong to this database. The message is for the operator. */
export class KeyRingMismatch extends Error {}

export interface KeySource {
  /** GONGHUI_PII_KEY: a JSON key ring, or one base64 key */
  key: string | null
  /** GONGHUI_PII_KEY_FILE */
  keyFile: string
}

const RESTORE = '请恢复密钥文件（见 README 备份与恢复），或用 GONGHUI_PII_KEY_FILE / GONGHUI_PII_KEY 指定与数据库配套的密钥环'

export const checkValue = (key: string, label: string) =>
  crypto.createHmac('sha256', Buffer.from(key, 'base64')).update(`gonghui-key-check-v1:${label}`).digest('base64url')

/** The check rows of a ring: one per personal-data key, one for the lookup-hash key. */
export function checksOf(ring: KeyRing): { kind: 'pii' | 'hash'; key_id: string; check_value: string }[] {
  return [
    ...Object.entries(ring.keys).map(([id, k]) => ({ kind: 'pii' as const, key_id: id, check_value: checkValue(k, `pii:${id}`) })),
    { kind: 'hash' as const, key_id: '', check_value: checkValue(ring.hashKey, 'hash') },
  ]
}

/**
 * The audit chain's keys: for each key id, HKDF-SHA256 of that personal-data key (another
 * purpose, another key). They rotate with the ring, the id is recorded per entry, and there is
 * nothing more to keep safe than the key ring itself.
 */
export function auditKeysOf(ring: KeyRing): AuditKeys {
  const keys = new Map<string, Buffer>()
  for (const [id, k] of Object.entries(ring.keys)) {
    keys.set(id, Buffer.from(crypto.hkdfSync('sha256', Buffer.from(k, 'base64'), Buffer.alloc(0), `gonghui-audit-chain:${id}`, 32)))
  }
  return { current: ring.current, keys }
}

export function newKeyRing(): KeyRing {
  return { current: 'k1', keys: { k1: crypto.randomBytes(32).toString('base64') }, hashKey: crypto.randomBytes(32).toString('base64') }
}

/** Reads the ring from GONGHUI_PII_KEY or the key file; null when neither exists. Makes nothing. */
export function readKeyRing(src: KeySource): KeyRing | null {
  let ring: KeyRing
  let where: string
  if (src.key) {
    where = 'GONGHUI_PII_KEY'
    const trimmed = src.key.trim()
    if (trimmed.startsWith('{')) ring = parse(trimmed, where)
    else {
      // one base64 key: the hash key derived from it
      const hashKey = crypto.createHmac('sha256', Buffer.from(trimmed, 'base64')).update('gonghui-lookup-hash').digest('base64')
      ring = { current: 'k1', keys: { k1: trimmed }, hashKey }
    }
  } else {
    if (!fs.existsSync(src.keyFile)) return null
    where = `密钥文件 ${src.keyFile}`
    ring = parse(fs.readFileSync(src.keyFile, 'utf8'), where)
  }
  const bad = (why: string) => new KeyRingMismatch(`${where} 格式不正确：${why}`)
  if (!ring || typeof ring !== 'object' || !ring.keys || typeof ring.keys !== 'object') throw bad('缺少 keys')
  if (!ring.current || !ring.keys[ring.current]) throw bad('current 不是 keys 中的密钥')
  if (!ring.hashKey) throw bad('缺少 hashKey')
  for (const [id, k] of Object.entries(ring.keys))
    if (Buffer.from(k, 'base64').length !== 32) throw bad(`密钥 ${id} 不是 32 字节（base64）`)
  return ring
}

function parse(text: string, where: string): KeyRing {
  try {
    return JSON.parse(text) as KeyRing
  } catch (e) {
    throw new KeyRingMismatch(`${where} 格式不正确：${(e as Error).message}`)
  }
}

/** Writes a key file beside and renames it, so a crash never leaves half a key file. */
export function writeKeyFile(file: string, ring: KeyRing): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`)
  fs.writeFileSync(tmp, JSON.stringify(ring, null, 2), { mode: 0o600 })
  fs.renameSync(tmp, file)
}

export interface OpenedKeys {
  ring: KeyRing
  /** a new ring was made (and written to the key file) for an empty database */
  created: boolean
  /** audit entries from before 0015 sealed with the key on this start */
  resealed: number
}

/**
 * Checks the ring against the database and loads the audit keys; in one transaction:
 * - with key checks recorded: every recorded key id must be in the ring with the same check
 *   value, and the hash key too; keys of the ring not yet recorded (a rotation) are added;
 * - without (an empty database, or one from before 0015): the ring is tried on the data itself
 *   (a ciphertext per key id, the lookup hash of one registered document), then the checks are
 *   recorded and the audit entries from before 0015 are sealed.
 * Without a ring, one is made (`create`) only when the database holds nothing sealed.
 */
export async function openKeyRing(db: Kysely<DB>, src: KeySource, opts: { create: boolean }): Promise<OpenedKeys> {
  const given = readKeyRing(src)
  const opened = await db.transaction().execute(async (tx) => {
    await repo.lockKeyChecks(tx)
    const checks = await repo.keyChecks(tx)
    let ring = given
    let created = false
    let resealed = 0
    if (checks.length > 0) {
      if (!ring) {
        const ids = checks.filter((c) => c.kind === 'pii').map((c) => c.key_id)
        throw new KeyRingMismatch(
          `个人信息密钥与数据库不匹配：找不到${src.key ? '密钥' : `密钥文件 ${src.keyFile}`}，而数据库中的数据使用密钥 ${ids.join('、')}；` +
            `不会生成新密钥（新密钥会使身份证号查询失效、无法查看证件号、同一人可重复登记）。${RESTORE}`,
        )
      }
      const missing: string[] = []
      const wrong: string[] = []
      for (const c of checks) {
        if (c.kind === 'hash') {
          if (checkValue(ring.hashKey, 'hash') !== c.check_value) wrong.push('查重哈希密钥 hashKey')
        } else if (!ring.keys[c.key_id]) missing.push(c.key_id)
        else if (checkValue(ring.keys[c.key_id]!, `pii:${c.key_id}`) !== c.check_value) wrong.push(`密钥 ${c.key_id}`)
      }
      if (missing.length || wrong.length) throw mismatch(missing, wrong)
      await repo.addKeyChecks(
        tx,
        checksOf(ring).filter((c) => !checks.some((x) => x.kind === c.kind && x.key_id === c.key_id)),
      )
    } else {
      const used = await repo.keyIdsInUse(tx)
      const hashed = await repo.hasLookupHashes(tx)
      if (!ring) {
        if (used.length > 0 || hashed)
          throw new KeyRingMismatch(
            `个人信息密钥与数据库不匹配：找不到${src.key ? '密钥' : `密钥文件 ${src.keyFile}`}，而数据库中已有加密的个人信息${
              used.length ? `（密钥 ${used.map((u) => u.keyId).join('、')}）` : ''
            }；不会生成新密钥。${RESTORE}`,
          )
        if (!opts.create || src.key) throw new KeyRingMismatch(`找不到密钥文件 ${src.keyFile}：请先启动一次服务，由它为空数据库生成密钥环`)
        ring = newKeyRing()
        writeKeyFile(src.keyFile, ring)
        created = true
      } else {
        const pii = createPii(ring)
        const missing = used.filter((u) => !ring!.keys[u.keyId]).map((u) => u.keyId)
        const wrong: string[] = []
        for (const u of used) {
          if (!u.sample || !ring.keys[u.keyId]) continue
          try {
            pii.decrypt(u.sample)
          } catch {
            wrong.push(`密钥 ${u.keyId}`)
          }
        }
        const doc = await repo.oneDocument(tx)
        if (doc && ring.keys[doc.document_enc.split(':')[1] ?? ''] && !wrong.length) {
          const plain = pii.decrypt(doc.document_enc)
          if (pii.hash(normalizeDocumentKey(doc.document_type as DocumentType, plain)) !== doc.document_hash)
            wrong.push('查重哈希密钥 hashKey')
        }
        if (missing.length || wrong.length) throw mismatch(missing, wrong)
      }
      await repo.addKeyChecks(tx, checksOf(ring))
      resealed = await sealLegacyEntries(tx, auditKeysOf(ring))
    }
    return { ring, created, resealed }
  })
  useAuditKeys(auditKeysOf(opened.ring))
  return opened
}

function mismatch(missing: string[], wrong: string[]): KeyRingMismatch {
  const parts: string[] = []
  if (missing.length) parts.push(`缺少密钥 ${missing.join('、')}（数据库中的数据用它加密）`)
  if (wrong.length) parts.push(`${wrong.join('、')} 与数据库不符（不是加密这些数据的那一把）`)
  return new KeyRingMismatch(`个人信息密钥与数据库不匹配：${parts.join('；')}。${RESTORE}`)
}

/**
 * `keys rotate`: a new key becomes current and its check value is recorded in the same
 * transaction as `record` (the audit entry), the key file replaced before commit.
 */
export async function recordRotation(tx: Kysely<DB>, next: KeyRing): Promise<void> {
  await repo.addKeyChecks(tx, checksOf(next))
}
