import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { openDatabase } from '../../db/client.js'
import { appendAudit } from './audit.repository.js'
import { openKeyRing } from '../../security/keys.js'
import { scratchDatabase } from '../../test/harness.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..')
const cliPath = path.join(root, 'server/src/cli.ts')

/**
 * The real command line, as a separate process: `audit verify` against the built-in database in a
 * data directory (or, when DATABASE_URL is set, a fresh database on that server).
 */
describe('command line process: migrate and audit verify', () => {
  let dataDir: string
  let url: string | null = null
  let scratch: Awaited<ReturnType<typeof scratchDatabase>> = null

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-cli-'))
    scratch = await scratchDatabase('gh_cli')
    url = scratch?.url ?? null
  })
  after(async () => {
    fs.rmSync(dataDir, { recursive: true, force: true })
    await scratch?.drop()
  })

  function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', cliPath, ...args],
        {
          cwd: root,
          env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: url ?? '', GONGHUI_PII_KEY: '' },
          timeout: 120_000,
        },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
      )
    })
  }
  /** the same database, opened in this process while no command runs (the built-in one takes one process at a time) */
  async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
    const d = await openDatabase({ url, dataDir })
    try {
      return await fn(d.db)
    } finally {
      await d.close()
    }
  }

  it('migrates, verifies an intact log (exit 0) and a tampered one (exit 1, naming the entry)', async () => {
    const m = await run('migrate')
    assert.equal(m.code, 0, m.stderr)
    assert.match(m.stdout, /已执行数据库迁移：0001_foundation\.sql/)

    const ids = await withDb(async (db) => {
      // as the server's first start does: a key ring for the empty database, its checks recorded
      await openKeyRing(db, { key: null, keyFile: path.join(dataDir, 'pii-keys.json') }, { create: true })
      for (let i = 1; i <= 4; i++) {
        await db
          .transaction()
          .execute((tx) =>
            appendAudit(tx, 'system', { id: null, name: 'tester', ip: null }, [
              { action: 'test.step', targetType: 'test', targetId: i, detail: { step: i } },
            ]),
          )
      }
      return (await db.selectFrom('audit_log').select('id').orderBy('id').execute()).map((r) => r.id)
    })
    const ok = await run('audit', 'verify')
    assert.equal(ok.code, 0, ok.stdout + ok.stderr)
    assert.match(ok.stdout, /链 system：4 条记录，完好/)

    // two entries altered, one deleted between them: every one is listed
    await withDb(async (db) => {
      await sql`update audit_log set detail = '{"step": 20}'::jsonb where id = ${ids[0]}`.execute(db)
      await sql`delete from audit_log where id = ${ids[1]}`.execute(db)
      await sql`update audit_log set target_id = '30' where id = ${ids[2]}`.execute(db)
    })
    const bad = await run('audit', 'verify')
    assert.equal(bad.code, 1, bad.stdout + bad.stderr)
    const lines = bad.stdout.split('\n')
    const at = lines.indexOf('链 system：3 条记录，已被篡改！共 2 处异常：')
    assert.ok(at >= 0, bad.stdout)
    assert.match(lines[at + 1]!, new RegExp(`^  编号 ${ids[0]}，第 1 条，时间 .+，操作 test\\.step：内容与签封不符`))
    assert.match(
      lines[at + 2]!,
      new RegExp(`^  编号 ${ids[2]}，第 3 条，时间 .+，操作 test\\.step：此前缺少第 2 条记录（被删除）；内容与签封不符`),
    )
    assert.match(bad.stdout, /1 条校验失败/)

    // without the key file the log cannot be checked, and no new key is made
    fs.renameSync(path.join(dataDir, 'pii-keys.json'), path.join(dataDir, 'elsewhere.json'))
    const nokey = await run('audit', 'verify')
    assert.equal(nokey.code, 1)
    assert.match(nokey.stderr, /个人信息密钥与数据库不匹配：找不到密钥文件 .*pii-keys\.json，而数据库中的数据使用密钥 k1/)
    assert.equal(fs.existsSync(path.join(dataDir, 'pii-keys.json')), false)
    fs.renameSync(path.join(dataDir, 'elsewhere.json'), path.join(dataDir, 'pii-keys.json'))

    // before the server made the first administrator, no account may be made from here
    const early = await run('users', 'create', 'zhangsan', '--name', '张三')
    assert.equal(early.code, 1)
    assert.match(early.stderr, /还没有任何账号：请先启动一次服务/)

    const again = await run('migrate')
    assert.equal(again.code, 0)
    assert.match(again.stdout, /数据库已是最新/)
  })

  it('fails in Chinese with a non-zero exit code', async () => {
    const r = await run('users', 'unlock')
    assert.equal(r.code, 2)
    assert.match(r.stderr, /错误：缺少用户名/)
  })
})
