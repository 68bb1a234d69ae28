import crypto from 'node:crypto'
import fs from 'node:fs'

/**
 * Personal data at rest: document and phone numbers are encrypted (AES-256-GCM, or SM4 for
 * 国密 deployments) and looked up by a keyed hash. Each ciphertext names its key id so keys
 * can rotate: old rows stay readable while new rows use the newest key.
 *
 * Ciphertext format: `<cipher>:<keyId>:<base64(iv | tag | data)>`.
 * Node's OpenSSL has no SM4-GCM, so SM4 runs in CTR mode with an HMAC-SM3 tag (encrypt-then-MAC).
 */
export interface KeyRing {
  current: string
  keys: Record<string, string> // id → base64 of 32 random bytes
  hashKey: string // base64; the lookup hash key never rotates silently (it would break uniqueness)
}

export type CipherName = 'aes-256-gcm' | 'sm4-gcm'

export interface Pii {
  encrypt(plain: string): string
  /**
   * Encrypts many values at once (bulk imports): the same format as `encrypt`, with one random
   * draw for all the IVs instead of one per value; null stays null.
   */
  encryptMany(plains: readonly (string | null)[]): (string | null)[]
  decrypt(stored: string): string
  /** Keyed hash of a normalized value, for unique indexes and lookups. */
  hash(normalized: string): string
  keyId: string
}

/**
 * The key ring from GONGHUI_PII_KEY or the key file. Never makes one: a new ring is made only for
 * an empty database, by `openKeyRing` (keys.ts), which also checks the ring against the data.
 */
export function loadKeyRing(opts: { key: string | null; keyFile: string }): KeyRing {
  if (opts.key) {
    // GONGHUI_PII_KEY: JSON key ring, or one base64 key (hash key derived from it)
    const trimmed = opts.key.trim()
    if (trimmed.startsWith('{')) return JSON.parse(trimmed) as KeyRing
    const hashKey = crypto.createHmac('sha256', Buffer.from(trimmed, 'base64')).update('gonghui-lookup-hash').digest('base64')
    return { current: 'k1', keys: { k1: trimmed }, hashKey }
  }
  if (!fs.existsSync(opts.keyFile)) throw new Error(`找不到密钥文件 ${opts.keyFile}（见 README 备份与恢复）`)
  return JSON.parse(fs.readFileSync(opts.keyFile, 'utf8')) as KeyRing
}

/** Adds a fresh key and makes it current; existing ciphertexts keep their key id. */
export function rotateKeyRing(ring: KeyRing): KeyRing {
  // the next unused id: counting the keys would reuse an id (and overwrite its key) once one was removed
  let n = Object.keys(ring.keys).length + 1
  while (`k${n}` in ring.keys) n++
  const id = `k${n}`
  return { ...ring, current: id, keys: { ...ring.keys, [id]: crypto.randomBytes(32).toString('base64') } }
}

/** What a worker thread needs to build the same Pii (see `piiSpec`). */
export interface PiiSpec {
  ring: KeyRing
  cipher: CipherName
}
const specs = new WeakMap<Pii, PiiSpec>()

/**
 * The key ring and cipher a Pii was made from, for handing to a worker thread (bulk imports seal
 * in worker_threads). Kept off the Pii object itself, so that it never ends up in a log or a reply.
 */
export function piiSpec(pii: Pii): PiiSpec {
  const s = specs.get(pii)
  if (!s) throw new Error('not a Pii made by createPii')
  return s
}

export function createPii(ring: KeyRing, cipher: CipherName = 'aes-256-gcm'): Pii {
  const keys = new Map(Object.entries(ring.keys).map(([id, k]) => [id, Buffer.from(k, 'base64')]))
  const hashKey = Buffer.from(ring.hashKey, 'base64')
  const current = keys.get(ring.current)
  if (!current || current.length !== 32) throw new Error('PII key ring: current key must be 32 bytes (base64)')

  const encAes = (key: Buffer, plain: string, iv = crypto.randomBytes(12)) => {
    const c = crypto.createCipheriv('aes-256-gcm', key, iv)
    const data = Buffer.concat([c.update(plain, 'utf8'), c.final()])
    return Buffer.concat([iv, c.getAuthTag(), data]).toString('base64')
  }
  const decAes = (key: Buffer, blob: Buffer) => {
    const d = crypto.createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12))
    d.setAuthTag(blob.subarray(12, 28))
    return Buffer.concat([d.update(blob.subarray(28)), d.final()]).toString('utf8')
  }
  // SM4 takes a 128-bit key: first half encrypts, second half authenticates
  const encSm4 = (key: Buffer, plain: string, iv = crypto.randomBytes(16)) => {
    const c = crypto.createCipheriv('sm4-ctr', key.subarray(0, 16), iv)
    const data = Buffer.concat([c.update(plain, 'utf8'), c.final()])
    const tag = crypto.createHmac('sm3', key.subarray(16)).update(iv).update(data).digest().subarray(0, 16)
    return Buffer.concat([iv, tag, data]).toString('base64')
  }
  const decSm4 = (key: Buffer, blob: Buffer) => {
    const iv = blob.subarray(0, 16)
    const tag = blob.subarray(16, 32)
    const data = blob.subarray(32)
    const expect = crypto.createHmac('sm3', key.subarray(16)).update(iv).update(data).digest().subarray(0, 16)
    if (!crypto.timingSafeEqual(tag, expect)) throw new Error('PII ciphertext failed authentication')
    const d = crypto.createDecipheriv('sm4-ctr', key.subarray(0, 16), iv)
    return Buffer.concat([d.update(data), d.final()]).toString('utf8')
  }
  const tagOf = cipher === 'sm4-gcm' ? 'sm4' : 'aes'
  const ivLength = cipher === 'sm4-gcm' ? 16 : 12
  const prefix = `${tagOf}:${ring.current}:`

  const pii: Pii = {
    keyId: ring.current,
    encrypt(plain) {
      const body = cipher === 'sm4-gcm' ? encSm4(current, plain) : encAes(current, plain)
      return prefix + body
    },
    encryptMany(plains) {
      const ivs = crypto.randomBytes(ivLength * plains.length)
      const out: (string | null)[] = new Array(plains.length)
      for (let i = 0; i < plains.length; i++) {
        const plain = plains[i]
        if (plain == null) {
          out[i] = null
          continue
        }
        // a copy: the IV ends up in the ciphertext, and a view would keep the whole draw alive
        const iv = Buffer.from(ivs.subarray(i * ivLength, (i + 1) * ivLength))
        out[i] = prefix + (cipher === 'sm4-gcm' ? encSm4(current, plain, iv) : encAes(current, plain, iv))
      }
      return out
    },
    decrypt(stored) {
      const [tag, id, body] = stored.split(':')
      const key = keys.get(id ?? '')
      if (!key || !body) throw new Error(`PII key ${id} is not in the key ring`)
      const blob = Buffer.from(body, 'base64')
      return tag === 'sm4' ? decSm4(key, blob) : decAes(key, blob)
    },
    hash(normalized) {
      return crypto.createHmac('sha256', hashKey).update(normalized).digest('base64url')
    },
  }
  specs.set(pii, { ring, cipher })
  return pii
}
