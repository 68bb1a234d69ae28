import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { sql } from 'kysely'
import { fixture, memberDocument, scratchDatabase, type Fixture } from '../test/harness.js'
import { runCli } from '../cli.js'
import { buildApp } from '../app.js'
import { createPii } from '../security/pii.js'
import { writeKeyFile } from '../security/keys.js'
import { openDatabase } from './client.js'
import { tableCounts, type Manifest } from './backup.js'

/**
 * `backup --out` and `restore --from` on the engine under test (PGlite, or PostgreSQL with
 * DATABASE_URL): a round trip into a fresh place keeps every row, the statistics, the audit
 * chain, the reveal of a document and the one-membership index; the database backup never holds
 * the key ring, which is restored apart.
 */
describe('backup and restore', () => {
  const baseUrl = process.env.DATABASE_URL?.trim() || null
  let f: Fixture
  let dir: string
  let keyFile: string
  let restoredUrl: string | null = null
  let scratch: Awaited<ReturnType<typeof scratchDatabase>> = null
  const restoredDir = () => path.join(dir, 'restored')

  before(async () => {
    f = await fixture()
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-backup-'))
    keyFile = path.join(dir, 'keys', 'pii-keys.json')
    writeKeyFile(keyFile, f.ring)
    scratch = await scratchDatabase('gh_restore')
    restoredUrl = scratch?.url ?? null
  })
  after(async () => {
    await f.close()
    fs.rmSync(dir, { recursive: true, force: true })
    await scratch?.drop()
  })

  async function cli(argv: string[], env: Record<string, string>, database?: Fixture['database']) {
    const lines: string[] = []
    const code = await runCli(argv, { database, env, out: (l) => lines.push(l), err: (l) => lines.push(l) })
    return { code, text: lines.join('\n') }
  }
  /** the configuration of the restored place */
  const restoredEnv = (keys = keyFile) => ({
    DATA_DIR: restoredDir(),
    DATABASE_URL: restoredUrl ?? '',
    GONGHUI_PII_KEY: '',
    GONGHUI_PII_KEY_FILE: keys,
  })

  it('backs up, restores into a fresh place, and everything still holds', async () => {
    const out = path.join(dir, 'backup')
    const sourceEnv = {
      DATA_DIR: path.join(dir, 'source'),
      DATABASE_URL: baseUrl ?? '',
      GONGHUI_PII_KEY: '',
      GONGHUI_PII_KEY_FILE: keyFile,
    }

    // never beside the key ring
    const beside = await cli(['backup', '--out', path.dirname(keyFile)], sourceEnv, f.database)
    assert.equal(beside.code, 1)
    assert.match(beside.text, /密钥文件所在的目录：数据库备份与密钥环须分开保存/)

    const b = await cli(['backup', '--out', out], sourceEnv, f.database)
    assert.equal(b.code, 0, b.text)
    assert.match(b.text, /备份中不含个人信息密钥环：恢复时还需要密钥环（密钥 k1/)
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest
    assert.deepEqual(fs.readdirSync(out).sort(), [manifest.file, 'manifest.json'].sort())
    assert.equal(manifest.engine, baseUrl ? 'postgres' : 'pglite')
    assert.deepEqual(manifest.keyIds, ['k1'])
    const before = await tableCounts(f.database.db)
    assert.deepEqual(manifest.counts, before)
    assert.ok(before.member! >= 2 && before.audit_log! > 0)
    // no key material anywhere in the backup (the tarball unpacked)
    let bytes = fs.readFileSync(path.join(out, manifest.file))
    if (manifest.file.endsWith('.gz')) bytes = zlib.gunzipSync(bytes)
    const all = Buffer.concat([bytes, fs.readFileSync(path.join(out, 'manifest.json'))])
    for (const secret of [f.ring.keys.k1!, f.ring.hashKey]) {
      assert.equal(all.includes(secret), false)
      assert.equal(all.includes(Buffer.from(secret, 'base64')), false)
    }

    // the database first, the key ring not yet back: restored, but refused for use, and no new key made
    const missing = path.join(dir, 'not-yet', 'pii-keys.json')
    const early = await cli(['restore', '--from', out], restoredEnv(missing))
    assert.equal(early.code, 1, early.text)
    assert.match(early.text, /各表行数与备份一致/)
    assert.match(early.text, /数据库已恢复，但不能使用：个人信息密钥与数据库不匹配：找不到密钥文件/)
    assert.equal(fs.existsSync(missing), false)
    // a second restore does not overwrite
    const again = await cli(['restore', '--from', out], restoredEnv())
    assert.equal(again.code, 1)
    assert.match(again.text, /已有数据库|不是空的/)

    // with the key ring restored (here: the one kept apart) every check passes
    const stats = await cli(['stats', 'verify'], restoredEnv())
    assert.equal(stats.code, 0, stats.text)
    const audit = await cli(['audit', 'verify'], restoredEnv())
    assert.equal(audit.code, 0, audit.text)
    assert.match(audit.text, /全部完好/)

    const restored = await openDatabase({ url: restoredUrl, dataDir: restoredUrl ? null : restoredDir() })
    try {
      assert.deepEqual(await tableCounts(restored.db), before)
      const app = await buildApp({ db: restored.db, pii: createPii(f.ring), sessionIdleMinutes: 30, webDir: null })
      try {
        const login = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: 'ganlin', password: 'Test-Pass-2026!' },
        })
        assert.equal(login.statusCode, 200, login.body)
        const reveal = await app.inject({
          method: 'POST',
          url: `/api/members/${f.ids.ganlinMember}/reveal`,
          headers: { authorization: `Bearer ${login.json().token}` },
          payload: { field: 'documentNumber', reason: '恢复后核对' },
        })
        assert.equal(reveal.statusCode, 200, reveal.body)
        assert.equal(reveal.json().value, await memberDocument(f, f.ids.ganlinMember))
      } finally {
        await app.close()
      }
      // one person, one membership: the unique index came back with the data
      await assert.rejects(
        sql`update member set document_hash = (select document_hash from member where id = ${f.ids.ganlinMember}) where id = ${f.ids.chongrenMember}`.execute(
          restored.db,
        ),
        (e: { code?: string }) => e.code === '23505',
      )
    } finally {
      await restored.close()
    }
  })
})
