import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Database } from '../db/client.js'
import { testDatabase } from '../test/harness.js'
import { runCli } from '../cli.js'
import { createPii, loadKeyRing, type KeyRing } from './pii.js'
import { openKeyRing } from './keys.js'

/** `npm run cli -- keys rotate` against a key file in a temporary directory. */
describe('command line: keys rotate', () => {
  let database: Database
  let dir: string
  let file: string
  before(async () => {
    database = await testDatabase()
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-keys-'))
    file = path.join(dir, 'pii-keys.json')
  })
  after(async () => {
    await database.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  async function cli(env: Record<string, string>, ...argv: string[]) {
    const out: string[] = []
    const err: string[] = []
    const code = await runCli(argv, { database, env: { DATA_DIR: dir, ...env }, out: (l) => out.push(l), err: (l) => err.push(l) })
    return { code, out: out.join('\n'), err: err.join('\n') }
  }
  const read = () => JSON.parse(fs.readFileSync(file, 'utf8')) as KeyRing

  it('refuses when there is no key file, and creates none', async () => {
    const r = await cli({}, 'keys', 'rotate')
    assert.equal(r.code, 1)
    assert.match(r.err, /密钥文件 .*pii-keys\.json 不存在/)
    assert.equal(fs.existsSync(file), false)
  })

  it('adds a new current key, keeps the old ones, and old ciphertexts stay readable', async () => {
    const { ring, created } = await openKeyRing(database.db, { key: null, keyFile: file }, { create: true }) // as the server does on first start
    assert.equal(created, true)
    const old = createPii(ring).encrypt('13905751234')
    const r = await cli({}, 'keys', 'rotate')
    assert.equal(r.code, 0, r.err)
    assert.match(r.out, /新增密钥 k2 并设为当前密钥/)
    const next = read()
    assert.equal(next.current, 'k2')
    assert.equal(next.keys.k1, ring.keys.k1)
    assert.equal(next.hashKey, ring.hashKey)
    assert.equal(Buffer.from(next.keys.k2!, 'base64').length, 32)
    if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o600)
    const pii = createPii(loadKeyRing({ key: null, keyFile: file }))
    assert.equal(pii.decrypt(old), '13905751234')
    assert.ok(pii.encrypt('x').startsWith('aes:k2:'))
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')),
      [],
      'no temporary file left behind',
    )
    // recorded in the audit log
    const log = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'keys.rotate').execute()
    assert.equal(log.length, 1)
    assert.equal(log[0]!.actor_name, 'cli')
    assert.equal(log[0]!.target_id, 'k2')
    assert.ok(!JSON.stringify(log).includes(next.keys.k2!), 'the key itself is not logged')
    // again
    assert.equal((await cli({}, 'keys', 'rotate')).code, 0)
    assert.deepEqual(Object.keys(read().keys), ['k1', 'k2', 'k3'])
    assert.equal(createPii(read()).decrypt(old), '13905751234')
    // each new key's check value is recorded with it
    const checks = await database.db.selectFrom('key_check').select(['kind', 'key_id']).orderBy('kind').orderBy('key_id').execute()
    assert.deepEqual(
      checks.map((c) => `${c.kind}:${c.key_id}`),
      ['hash:', 'pii:k1', 'pii:k2', 'pii:k3'],
    )
    // the audit log, sealed with k1 before the rotations and k2 between them, still verifies
    const verify = await cli({}, 'audit', 'verify')
    assert.equal(verify.code, 0, verify.out + verify.err)
  })

  it('honours GONGHUI_PII_KEY_FILE, and refuses a key given in GONGHUI_PII_KEY', async () => {
    const other = path.join(dir, 'elsewhere.json')
    fs.copyFileSync(file, other)
    const r0 = await cli({ GONGHUI_PII_KEY_FILE: other }, 'keys', 'rotate')
    assert.equal(r0.code, 0, r0.err)
    assert.equal((JSON.parse(fs.readFileSync(other, 'utf8')) as KeyRing).current, 'k4')
    // a ring that is not this database's is refused before anything is rotated
    const stranger = path.join(dir, 'stranger.json')
    fs.writeFileSync(stranger, JSON.stringify({ ...read(), keys: { ...read().keys, k1: Buffer.alloc(32, 7).toString('base64') } }))
    const refused = await cli({ GONGHUI_PII_KEY_FILE: stranger }, 'keys', 'rotate')
    assert.equal(refused.code, 1)
    assert.match(refused.err, /个人信息密钥与数据库不匹配：缺少密钥 k4.*；密钥 k1 与数据库不符/)
    assert.equal((JSON.parse(fs.readFileSync(stranger, 'utf8')) as KeyRing).current, 'k3')
    const before = fs.readFileSync(file, 'utf8')
    const r = await cli({ GONGHUI_PII_KEY: Buffer.alloc(32, 1).toString('base64') }, 'keys', 'rotate')
    assert.equal(r.code, 1)
    assert.match(r.err, /GONGHUI_PII_KEY/)
    assert.equal(fs.readFileSync(file, 'utf8'), before)
  })

  it('refuses a damaged key file and leaves it as it was', async () => {
    const bad = path.join(dir, 'bad.json')
    fs.writeFileSync(bad, '{"current":"k1","keys":{}}')
    const r = await cli({ GONGHUI_PII_KEY_FILE: bad }, 'keys', 'rotate')
    assert.equal(r.code, 1)
    assert.match(r.err, /格式不正确/)
    assert.equal(fs.readFileSync(bad, 'utf8'), '{"current":"k1","keys":{}}')
  })
})
