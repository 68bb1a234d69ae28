import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createPii, loadKeyRing, rotateKeyRing, type CipherName, type KeyRing } from './pii.js'
import { newKeyRing, writeKeyFile } from './keys.js'

const ring = (): KeyRing => ({
  current: 'k1',
  keys: { k1: crypto.randomBytes(32).toString('base64') },
  hashKey: crypto.randomBytes(32).toString('base64'),
})

/** Flips one bit of the decoded body of a stored ciphertext, at byte `at` from the end. */
function flip(stored: string, at: number): string {
  const [tag, id, body] = stored.split(':')
  const blob = Buffer.from(body!, 'base64')
  blob[blob.length - at]! ^= 0x01
  return `${tag}:${id}:${blob.toString('base64')}`
}

describe('personal data encryption', () => {
  for (const cipher of ['aes-256-gcm', 'sm4-gcm'] as CipherName[]) {
    describe(cipher, () => {
      const pii = createPii(ring(), cipher)
      const prefix = cipher === 'sm4-gcm' ? 'sm4' : 'aes'

      it('round-trips, names cipher and key, never contains the clear text', () => {
        for (const plain of ['13905751234', '330683199001011234', '张三 · 身份证', '']) {
          const c = pii.encrypt(plain)
          assert.ok(c.startsWith(`${prefix}:k1:`), c)
          if (plain) assert.ok(!c.includes(plain))
          assert.equal(pii.decrypt(c), plain)
        }
      })

      it('uses a fresh IV: the same value encrypts differently each time', () => {
        const a = pii.encrypt('13905751234')
        const b = pii.encrypt('13905751234')
        assert.notEqual(a, b)
        assert.equal(pii.decrypt(a), pii.decrypt(b))
      })

      it('detects tampering with the data, the tag and the IV', () => {
        const c = pii.encrypt('13905751234')
        assert.throws(() => pii.decrypt(flip(c, 1))) // last byte of the data
        const ivLen = cipher === 'sm4-gcm' ? 16 : 12
        const blobLen = Buffer.from(c.split(':')[2]!, 'base64').length
        assert.throws(() => pii.decrypt(flip(c, blobLen - ivLen))) // first byte of the tag
        assert.throws(() => pii.decrypt(flip(c, blobLen))) // first byte of the IV
      })

      it('refuses a ciphertext made with another key ring', () => {
        const other = createPii(ring(), cipher)
        assert.throws(() => pii.decrypt(other.encrypt('13905751234')))
      })
    })
  }

  it('reads either cipher whatever the configured one is (switching to SM4 keeps AES rows readable)', () => {
    const r = ring()
    const aes = createPii(r, 'aes-256-gcm')
    const sm4 = createPii(r, 'sm4-gcm')
    assert.equal(sm4.decrypt(aes.encrypt('13905751234')), '13905751234')
    assert.equal(aes.decrypt(sm4.encrypt('13905751234')), '13905751234')
  })

  it('keeps old ciphertexts readable after a key rotation, and encrypts new ones with the new key', () => {
    const r1 = ring()
    const before = createPii(r1).encrypt('13905751234')
    const r2 = rotateKeyRing(r1)
    assert.equal(r2.current, 'k2')
    assert.equal(r2.keys.k1, r1.keys.k1)
    assert.equal(r2.hashKey, r1.hashKey, 'the lookup hash key must not change on rotation')
    const pii2 = createPii(r2)
    assert.equal(pii2.keyId, 'k2')
    assert.equal(pii2.decrypt(before), '13905751234')
    const after = pii2.encrypt('13800001111')
    assert.ok(after.startsWith('aes:k2:'))
    assert.equal(pii2.decrypt(after), '13800001111')
    // a ring without the new key cannot read it
    assert.throws(() => createPii(r1).decrypt(after), /k2/)
  })

  it('never reuses a key id when rotating a ring from which a key was removed', () => {
    const r = rotateKeyRing(rotateKeyRing(ring())) // k1, k2, k3
    const { k2: _removed, ...rest } = r.keys
    const pruned: KeyRing = { ...r, keys: rest } // k1, k3
    const old = createPii(pruned).encrypt('13905751234') // under k3
    const next = rotateKeyRing(pruned)
    assert.equal(next.keys.k3, pruned.keys.k3, 'k3 must not be overwritten')
    assert.notEqual(next.current, 'k3')
    assert.equal(createPii(next).decrypt(old), '13905751234')
  })

  it('hashes stably with the key, differently without it', () => {
    const r = ring()
    const a = createPii(r)
    const b = createPii({ ...r, current: r.current }) // same keys, another instance
    assert.equal(a.hash('330683199001011234'), b.hash('330683199001011234'))
    assert.notEqual(a.hash('330683199001011234'), a.hash('330683199001011235'))
    assert.notEqual(a.hash('330683199001011234'), createPii(ring()).hash('330683199001011234'), 'another hash key gives another hash')
    // keyed: not a plain digest of the value
    assert.notEqual(a.hash('13905751234'), crypto.createHash('sha256').update('13905751234').digest('base64url'))
    // survives rotation
    assert.equal(createPii(rotateKeyRing(r)).hash('13905751234'), a.hash('13905751234'))
  })

  it('rejects a current key that is not 32 bytes', () => {
    assert.throws(() => createPii({ current: 'k1', keys: { k1: crypto.randomBytes(16).toString('base64') }, hashKey: 'x' }), /32 bytes/)
    assert.throws(() => createPii({ current: 'k9', keys: { k1: crypto.randomBytes(32).toString('base64') }, hashKey: 'x' }))
  })

  it('never makes a key file: a missing one is an error (a new ring is made only for an empty database, keys.ts)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-pii-'))
    try {
      const file = path.join(dir, 'sub', 'pii-keys.json')
      assert.throws(() => loadKeyRing({ key: null, keyFile: file }), /找不到密钥文件/)
      assert.equal(fs.existsSync(file), false)
      const r1 = newKeyRing()
      writeKeyFile(file, r1)
      if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o600)
      const r2 = loadKeyRing({ key: null, keyFile: file })
      assert.deepEqual(r2, r1)
      const c = createPii(r1).encrypt('13905751234')
      assert.equal(createPii(r2).decrypt(c), '13905751234')
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('derives the hash key from a single GONGHUI_PII_KEY, stably', () => {
    const key = crypto.randomBytes(32).toString('base64')
    const a = loadKeyRing({ key, keyFile: '/nonexistent/never-written.json' })
    const b = loadKeyRing({ key, keyFile: '/nonexistent/never-written.json' })
    assert.deepEqual(a, b)
    assert.notEqual(a.hashKey, key)
    assert.equal(createPii(b).decrypt(createPii(a).encrypt('x1')), 'x1')
  })
})
