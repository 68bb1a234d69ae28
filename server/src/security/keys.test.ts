import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { fixture, scratchDatabase, testKeyRing, type Fixture } from '../test/harness.js'
import { runCli } from '../cli.js'
import { openDatabase } from '../db/client.js'
import { migrate } from '../db/migrate.js'
import { bootstrap } from '../bootstrap.js'
import { verifyAuditChains } from '../modules/audit/audit.service.js'
import { KeyRingMismatch, openKeyRing, writeKeyFile } from './keys.js'
import { createPii, type KeyRing } from './pii.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

/** A ring that does not belong to the database is refused; the right one (also after a rotation) is taken. */
describe('key ring against the database', () => {
  let f: Fixture
  let dir: string
  before(async () => {
    f = await fixture()
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-keycheck-'))
  })
  after(async () => {
    await f.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const open = (ring: KeyRing | null, file = path.join(dir, 'absent.json')) =>
    openKeyRing(f.database.db, { key: ring ? JSON.stringify(ring) : null, keyFile: file }, { create: true })
  const refused = async (ring: KeyRing | null, message: RegExp) => {
    await assert.rejects(open(ring), (e: Error) => {
      assert.ok(e instanceof KeyRingMismatch, String(e))
      assert.match(e.message, message)
      assert.match(e.message, /请恢复密钥文件（见 README 备份与恢复）/)
      return true
    })
  }

  it('refuses a missing ring, another key, another hash key; makes no key for a database with data', async () => {
    await refused(null, /^个人信息密钥与数据库不匹配：找不到密钥文件 .*absent\.json，而数据库中的数据使用密钥 k1；不会生成新密钥/)
    assert.equal(fs.existsSync(path.join(dir, 'absent.json')), false)
    await refused(testKeyRing(), /^个人信息密钥与数据库不匹配：密钥 k1、查重哈希密钥 hashKey 与数据库不符/)
    await refused({ ...f.ring, hashKey: crypto.randomBytes(32).toString('base64') }, /查重哈希密钥 hashKey 与数据库不符/)
    await refused({ current: 'k2', keys: { k2: f.ring.keys.k1! }, hashKey: f.ring.hashKey }, /缺少密钥 k1/)
    const ok = await open(f.ring)
    assert.deepEqual([ok.created, ok.resealed], [false, 0])
  })

  it('checks a database from before the key checks against its data, then records them', async () => {
    await f.database.db.deleteFrom('key_check').execute()
    await refused(testKeyRing(), /密钥 k1 与数据库不符/) // the sample ciphertext does not open
    await refused({ ...f.ring, hashKey: crypto.randomBytes(32).toString('base64') }, /查重哈希密钥 hashKey 与数据库不符/) // a document's lookup hash differs
    await refused(null, /找不到密钥文件.*而数据库中已有加密的个人信息（密钥 k1）/)
    assert.equal((await f.database.db.selectFrom('key_check').select('key_id').execute()).length, 0, 'nothing recorded for a refused ring')
    await open(f.ring)
    assert.deepEqual(
      (await f.database.db.selectFrom('key_check').select(['kind', 'key_id']).orderBy('kind').orderBy('key_id').execute()).map(
        (c) => `${c.kind}:${c.key_id}`,
      ),
      ['hash:', 'pii:k1'],
    )
  })

  it('after keys rotate: the new ring is taken, the old one lacks the new key, old rows stay readable', async () => {
    const file = path.join(dir, 'pii-keys.json')
    writeKeyFile(file, f.ring)
    const lines: string[] = []
    const code = await runCli(['keys', 'rotate'], {
      database: f.database,
      env: { DATA_DIR: dir, GONGHUI_PII_KEY: '', GONGHUI_PII_KEY_FILE: file },
      out: (l) => lines.push(l),
      err: (l) => lines.push(l),
    })
    assert.equal(code, 0, lines.join('\n'))
    const next = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyRing
    assert.equal(next.current, 'k2')
    const opened = await openKeyRing(f.database.db, { key: null, keyFile: file }, { create: false })
    assert.equal(opened.ring.current, 'k2')
    await refused(f.ring, /缺少密钥 k2/)
    // old rows: readable with the new ring; the audit chain (k1 entries, then k2) verifies
    const m = await f.database.db.selectFrom('member').select('document_enc').where('id', '=', f.ids.ganlinMember).executeTakeFirstOrThrow()
    assert.ok(m.document_enc.includes(':k1:'))
    assert.match(createPii(next).decrypt(m.document_enc), /^330683/)
    await openKeyRing(f.database.db, { key: null, keyFile: file }, { create: false }) // audit keys of the new ring
    const after = await f.as('ganlin', async (ctx) => {
      ctx.audit({ action: 'test.after-rotation' })
      return 1
    })
    assert.equal(after, 1)
    const keyIds = await f.database.db.selectFrom('audit_log').select('key_id').distinct().orderBy('key_id').execute()
    assert.deepEqual(
      keyIds.map((r) => r.key_id),
      ['k1', 'k2'],
    )
    assert.ok((await verifyAuditChains(f.database.db)).every((c) => c.ok))
  })
})

/** The server process itself: refuses to start with a missing key ring, starts with the right one. */
describe('server start with the key ring', () => {
  let dir: string
  let url: string | null = null
  let scratch: Awaited<ReturnType<typeof scratchDatabase>> = null
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-start-'))
    scratch = await scratchDatabase('gh_start')
    url = scratch?.url ?? null
  })
  after(async () => {
    fs.rmSync(dir, { recursive: true, force: true })
    await scratch?.drop()
  })

  /** Runs main.ts until it has started (then stops it) or exits. */
  function start(keyFile: string): Promise<{ started: boolean; code: number | null; output: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/main.ts')], {
        cwd: root,
        env: {
          ...process.env,
          DATA_DIR: dir,
          DATABASE_URL: url ?? '',
          GONGHUI_PII_KEY: '',
          GONGHUI_PII_KEY_FILE: keyFile,
          GONGHUI_DEMO: '0',
          GONGHUI_ADMIN_PASSWORD: 'Start-Pass-2026!',
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
        },
      })
      let output = ''
      let started = false
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error(`server neither started nor exited:\n${output}`))
      }, 180_000)
      const seen = (chunk: Buffer) => {
        output += chunk.toString()
        if (!started && output.includes('已启动')) {
          started = true
          child.kill('SIGTERM')
        }
      }
      child.stdout.on('data', seen)
      child.stderr.on('data', seen)
      child.on('exit', (code) => {
        clearTimeout(timer)
        resolve({ started, code, output })
      })
    })
  }

  it('refuses to start when the key file is missing for a database with data, and starts with it', async () => {
    // a database as a first start leaves it: migrated, key ring made and recorded, the root union
    const keyFile = path.join(dir, 'keys', 'pii-keys.json')
    const d = await openDatabase({ url, dataDir: dir })
    try {
      await migrate(d)
      const k = await openKeyRing(d.db, { key: null, keyFile }, { create: true })
      assert.equal(k.created, true)
      await bootstrap(d.db, { countyCode: '330683', adminPassword: 'Start-Pass-2026!' })
    } finally {
      await d.close()
    }
    const missing = path.join(dir, 'lost', 'pii-keys.json')
    const r = await start(missing)
    assert.equal(r.started, false, r.output)
    assert.equal(r.code, 1)
    assert.match(r.output, /启动失败： 个人信息密钥与数据库不匹配：找不到密钥文件 .*lost\/pii-keys\.json，而数据库中的数据使用密钥 k1/)
    assert.match(r.output, /请恢复密钥文件（见 README 备份与恢复）/)
    assert.equal(fs.existsSync(missing), false, 'no new key was made')

    const ok = await start(keyFile)
    assert.equal(ok.started, true, ok.output)
  })
})
