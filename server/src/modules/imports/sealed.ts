/**
 * Uploaded rosters at rest: the file waiting between the dry run and the commit (DATA_DIR/imports)
 * holds a whole roster of names and ID numbers, so it is written encrypted with the current PII key
 * (security/pii.ts) and read back as a stream — a 150 MB file is never held in memory.
 *
 * Format (streaming AEAD in segments, after Tink's AES-GCM-HKDF streaming): a header
 *   "GHUP" | version 1 | cipher (1 = aes-256-gcm, 2 = sm4) | key id length | key id | salt (16) | nonce prefix (7)
 * then segments of SEGMENT bytes of plain text (the last one shorter, possibly empty), each
 * followed by its 16-byte tag. The file key is derived from the ring's key and the salt (HKDF), so
 * the counter nonces never meet the random IVs of the column encryption. Every segment is
 * authenticated before any of its bytes are handed on, with the header as associated data and
 * its number and a "last" flag in the nonce: a changed, reordered, truncated or extended file fails.
 * SM4 (国密): SM4-CTR with an HMAC-SM3 tag over header, segment number, flag and cipher text, as
 * pii.ts does for a column (Node's OpenSSL has no SM4-GCM); its keys are derived with HKDF-SM3.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import { Transform, pipeline, type Readable, type TransformCallback } from 'node:stream'
import { piiSpec, type Pii } from '../../security/pii.js'

const MAGIC = Buffer.from('GHUP')
const VERSION = 1
const SEGMENT = 64 * 1024
const TAG = 16
const SALT = 16
const PREFIX = 7
const INFO = 'gonghui upload v1'
const CIPHERS = { 'aes-256-gcm': 1, 'sm4-gcm': 2 } as const

/** The stored upload cannot be read back: changed, cut short, or sealed with a key no longer in the ring. */
export class SealedFileError extends Error {}

const tampered = () => new SealedFileError('上传的文件已损坏或被改动（加密校验未通过），未使用其中任何数据；请重新上传原文件')

interface SegmentCipher {
  seal(plain: Buffer, n: number, last: boolean): Buffer[]
  /** throws SealedFileError when the segment does not authenticate */
  open(sealed: Buffer, n: number, last: boolean): Buffer
}

function segmentCipher(cipher: number, master: Buffer, salt: Buffer, prefix: Buffer, header: Buffer): SegmentCipher {
  const position = (n: number, last: boolean) => {
    const b = Buffer.alloc(5)
    b.writeUInt32BE(n, 0)
    b[4] = last ? 1 : 0
    return b
  }
  if (cipher === CIPHERS['aes-256-gcm']) {
    const key = Buffer.from(crypto.hkdfSync('sha256', master, salt, INFO, 32))
    const nonce = (n: number, last: boolean) => Buffer.concat([prefix, position(n, last)])
    return {
      seal(plain, n, last) {
        const c = crypto.createCipheriv('aes-256-gcm', key, nonce(n, last))
        c.setAAD(header)
        const data = c.update(plain)
        c.final()
        return [data, c.getAuthTag()]
      },
      open(sealed, n, last) {
        if (sealed.length < TAG) throw tampered()
        const d = crypto.createDecipheriv('aes-256-gcm', key, nonce(n, last))
        d.setAAD(header)
        d.setAuthTag(sealed.subarray(sealed.length - TAG))
        const data = d.update(sealed.subarray(0, sealed.length - TAG))
        try {
          d.final()
        } catch {
          throw tampered()
        }
        return data
      },
    }
  }
  const keys = Buffer.from(crypto.hkdfSync('sm3', master, salt, INFO, 32))
  const encKey = keys.subarray(0, 16)
  const macKey = keys.subarray(16)
  // the low 32 bits count the blocks within a segment (4096 of them), the rest never repeats
  const iv = (n: number, last: boolean) => Buffer.concat([prefix, position(n, last), Buffer.alloc(4)])
  const mac = (data: Buffer, n: number, last: boolean) =>
    crypto.createHmac('sm3', macKey).update(header).update(position(n, last)).update(data).digest().subarray(0, TAG)
  return {
    seal(plain, n, last) {
      const c = crypto.createCipheriv('sm4-ctr', encKey, iv(n, last))
      const data = Buffer.concat([c.update(plain), c.final()])
      return [data, mac(data, n, last)]
    },
    open(sealed, n, last) {
      if (sealed.length < TAG) throw tampered()
      const data = sealed.subarray(0, sealed.length - TAG)
      if (!crypto.timingSafeEqual(sealed.subarray(sealed.length - TAG), mac(data, n, last))) throw tampered()
      const d = crypto.createDecipheriv('sm4-ctr', encKey, iv(n, last))
      return Buffer.concat([d.update(data), d.final()])
    },
  }
}

/** Collects chunks and hands out whole segments, keeping back what may be the last one. */
class Segments {
  private parts: Buffer[] = []
  private length = 0
  push(chunk: Buffer) {
    this.parts.push(chunk)
    this.length += chunk.length
  }
  get size() {
    return this.length
  }
  /** the first `n` bytes, removed */
  take(n: number): Buffer {
    const all = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.length)
    const out = all.subarray(0, n)
    const rest = all.subarray(n)
    this.parts = rest.length ? [rest] : []
    this.length = rest.length
    return out
  }
  rest(): Buffer {
    return this.take(this.length)
  }
}

/** A stream that encrypts what is written to it with the PII ring's current key. */
export function sealStream(pii: Pii): Transform {
  const { ring, cipher } = piiSpec(pii)
  const master = Buffer.from(ring.keys[ring.current]!, 'base64')
  const keyId = Buffer.from(ring.current, 'utf8')
  if (keyId.length > 255) throw new Error('PII key id too long')
  const salt = crypto.randomBytes(SALT)
  const prefix = crypto.randomBytes(PREFIX)
  const header = Buffer.concat([MAGIC, Buffer.from([VERSION, CIPHERS[cipher], keyId.length]), keyId, salt, prefix])
  const seg = segmentCipher(CIPHERS[cipher], master, salt, prefix, header)
  const buf = new Segments()
  let n = 0
  return new Transform({
    construct(cb) {
      this.push(header)
      cb()
    },
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      buf.push(chunk)
      // a segment goes out only once a byte after it is known: the last one is sealed as such
      while (buf.size > SEGMENT) for (const b of seg.seal(buf.take(SEGMENT), n++, false)) this.push(b)
      cb()
    },
    flush(cb) {
      for (const b of seg.seal(buf.rest(), n++, true)) this.push(b)
      cb()
    },
  })
}

/** A stream that decrypts a sealed file; fails with SealedFileError if any of it does not authenticate. */
export function openStream(pii: Pii): Transform {
  const { ring } = piiSpec(pii)
  const buf = new Segments()
  let seg: SegmentCipher | null = null
  let n = 0
  const readHeader = (): boolean => {
    const fixed = MAGIC.length + 3
    if (buf.size < fixed) return false
    const head = buf.take(buf.size)
    if (!head.subarray(0, MAGIC.length).equals(MAGIC) || head[MAGIC.length] !== VERSION)
      throw new SealedFileError('保存的上传文件不是加密格式（可能是系统升级前上传的，或已被替换），未使用其中任何数据；请重新上传')
    const cipher = head[MAGIC.length + 1]!
    const idLength = head[MAGIC.length + 2]!
    const total = fixed + idLength + SALT + PREFIX
    if (head.length < total) {
      buf.push(head)
      return false
    }
    const keyId = head.subarray(fixed, fixed + idLength).toString('utf8')
    const key = Object.hasOwn(ring.keys, keyId) ? ring.keys[keyId] : undefined
    if (!key) throw new SealedFileError(`上传的文件所用的密钥（${keyId}）已不在密钥环中，无法读取；请重新上传`)
    if (cipher !== CIPHERS['aes-256-gcm'] && cipher !== CIPHERS['sm4-gcm']) throw tampered()
    const salt = head.subarray(fixed + idLength, fixed + idLength + SALT)
    const prefix = head.subarray(fixed + idLength + SALT, total)
    seg = segmentCipher(cipher, Buffer.from(key, 'base64'), salt, prefix, Buffer.from(head.subarray(0, total)))
    const rest = head.subarray(total)
    if (rest.length) buf.push(rest)
    return true
  }
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      try {
        buf.push(chunk)
        if (!seg && !readHeader()) return cb()
        while (buf.size > SEGMENT + TAG) this.push(seg!.open(buf.take(SEGMENT + TAG), n++, false))
        cb()
      } catch (e) {
        cb(e as Error)
      }
    },
    flush(cb) {
      try {
        if (!seg && !readHeader()) throw tampered()
        this.push(seg!.open(buf.rest(), n++, true))
        cb()
      } catch (e) {
        cb(e as Error)
      }
    },
  })
}

/** The plain content of a sealed file, as a stream (errors of the file or the decryption end it). */
export function readSealed(file: string, pii: Pii, highWaterMark = 1 << 20): Readable {
  const out = openStream(pii)
  pipeline(fs.createReadStream(file, { highWaterMark }), out, () => undefined)
  return out
}

/**
 * The upload directory, created if need be and made 0700 every time (mkdir's mode is filtered by
 * the umask, and an older directory may have other modes).
 */
export function ensureUploadDir(dir: string) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  fs.chmodSync(dir, 0o700)
}

/** A new file for an upload, 0600 whatever the umask, failing if the name exists. */
export function createPrivateFile(file: string): fs.WriteStream {
  const fd = fs.openSync(file, 'wx', 0o600)
  try {
    fs.fchmodSync(fd, 0o600)
  } catch (e) {
    fs.closeSync(fd)
    throw e
  }
  return fs.createWriteStream(file, { fd })
}
