import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql, type Kysely } from 'kysely'
import { DataDirBusy, openDatabase, SUBTREE_STATEMENTS } from './client.js'
import { under } from './paths.js'
import { windowed } from './count.js'

describe('the embedded database directory', () => {
  it('is opened by one process at a time; a lock left by a process that is gone is taken over', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-lock-'))
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
    const lock = path.join(dir, 'gonghui.lock')
    // a server that is running (this process stands in for it) keeps others out
    const first = await openDatabase({ url: null, dataDir: dir })
    assert.equal(fs.readFileSync(lock, 'utf8'), String(process.pid))
    await assert.rejects(openDatabase({ url: null, dataDir: dir }), (e: Error) => e instanceof DataDirBusy)
    await first.close()
    assert.equal(fs.existsSync(lock), false, 'closing releases the lock')
    // a live process other than this one: refused, naming it
    fs.writeFileSync(lock, String(process.ppid))
    await assert.rejects(
      openDatabase({ url: null, dataDir: dir }),
      (e: Error) => e instanceof DataDirBusy && e.message.includes(`pid ${process.ppid}`) && /请先停止服务器/.test(e.message),
    )
    // a crashed process: its pid is not running any more
    fs.writeFileSync(lock, '999999999')
    const again = await openDatabase({ url: null, dataDir: dir })
    assert.equal(fs.readFileSync(lock, 'utf8'), String(process.pid))
    await again.close()
  })
})

describe('a transaction on either engine', () => {
  const open = () => openDatabase({ url: process.env.DATABASE_URL ?? null, dataDir: null })
  const txid = sql<{
    id: string
    now: string
    stmt: string
  }>`select txid_current()::text as id, now()::text as now, statement_timestamp()::text as stmt`

  it('is one transaction from its first statement to its commit, whatever the first statement is', async (t) => {
    const d = await open()
    t.after(() => d.close())
    for (const first of [sql`select set_config('gh.probe', 'x', true) as v`, sql`select set_config('gh.probe', ${'x'}, true) as v`]) {
      const seen = await d.db.transaction().execute(async (tx) => {
        await first.execute(tx)
        const a = (await txid.execute(tx)).rows[0]!
        const b = (await txid.execute(tx)).rows[0]!
        const probe = (await sql<{ v: string }>`select current_setting('gh.probe', true) as v`.execute(tx)).rows[0]!.v
        return { a, b, probe }
      })
      assert.equal(seen.a.id, seen.b.id, 'the statements share one transaction')
      assert.equal(seen.probe, 'x', 'a local setting lasts to the end of the transaction')
      const after = (await sql<{ v: string | null }>`select current_setting('gh.probe', true) as v`.execute(d.db)).rows[0]!.v
      assert.ok(after === null || after === '', `the setting ended with the transaction (${after})`)
    }
  })

  it('rolls back what its first statement did when that statement fails, and the connection serves the next one', async (t) => {
    const d = await open()
    t.after(() => d.close())
    await assert.rejects(
      d.db.transaction().execute(async (tx) => {
        await sql`select set_config('gh.probe', 'y', true), 1 / 0`.execute(tx)
      }),
      /division by zero/,
    )
    await assert.rejects(
      d.db.transaction().execute(async (tx) => {
        await sql`create temporary table gh_probe (x int)`.execute(tx)
        throw new Error('a handler fails after the first statement')
      }),
      /handler fails/,
    )
    const left = await sql<{ n: number }>`select count(*)::int as n from pg_class where relname = 'gh_probe'`.execute(d.db)
    assert.equal(left.rows[0]!.n, 0, 'the table made in the rolled-back transaction is gone')
    const empty = await d.db.transaction().execute(async () => 'nothing ran')
    assert.equal(empty, 'nothing ran')
    const r = await sql<{ one: number }>`select 1 as one`.execute(d.db)
    assert.equal(r.rows[0]!.one, 1)
  })

  it('begins with its first statement when that has no parameters (one round trip, or call into PGlite, not two)', async (t) => {
    const d = await open()
    t.after(() => d.close())
    // the statements of one message share its arrival time, so the transaction began with the statement
    const bare = await d.db.transaction().execute(async (tx) => (await txid.execute(tx)).rows[0]!)
    assert.equal(bare.now, bare.stmt, 'begin and the first statement arrived together')
    const withParameter = await d.db.transaction().execute(async (tx) => {
      await sql`select ${1}::int`.execute(tx)
      return (await txid.execute(tx)).rows[0]!
    })
    assert.notEqual(withParameter.now, withParameter.stmt, 'a first statement with parameters goes after a begin of its own')
  })
})

describe('prepared statements on either engine', () => {
  const open = () => openDatabase({ url: process.env.DATABASE_URL ?? null, dataDir: null })
  const preparedTexts = sql<{ statement: string }>`select statement from pg_prepared_statements`

  it('prepare a statement with parameters once per connection, and one over a subtree once per subtree', async (t) => {
    const d = await open()
    t.after(() => d.close())
    const seen = await d.db.transaction().execute(async (tx) => {
      await sql`select ${'/1/'}::text as p, 'gh-probe-point' as tag`.execute(tx)
      await sql`select 'gh-probe-subtree' as tag from pg_class where ${under('relname', 'pg_')}`.execute(tx)
      await sql`select 'gh-probe-subtree' as tag from pg_class where ${under('relname', 'pg_')}`.execute(tx)
      await sql`select 'gh-probe-subtree' as tag from pg_class where ${under('relname', 'pg_c')} and relkind = ${'r'}`.execute(tx)
      await sql`select ${'/1/'}::text as p, 'gh-probe-point' as tag`.execute(tx)
      return (await preparedTexts.execute(tx)).rows.map((r) => r.statement)
    })
    assert.equal(seen.filter((s) => s.includes('gh-probe-point')).length, 1, 'the statement with a parameter is prepared, once')
    const subtrees = seen.filter((s) => s.includes('gh-probe-subtree'))
    assert.equal(subtrees.length, 2, 'a statement over a subtree is prepared once for each subtree')
    assert.ok(subtrees.some((s) => s.includes("'pg_c'")) && subtrees.some((s) => s.includes("'pg_'")), 'with its bounds in its text')
  })

  it("write a subtree's bounds into the text as quoted literals: a quote in a path is data", async (t) => {
    const d = await open()
    t.after(() => d.close())
    const within = async (path: string, row: string) =>
      (await sql<{ p: string }>`select p from (values (${row}::text)) v (p) where ${under('p', path)}`.execute(d.db)).rows.length
    assert.equal(await within("/1'/", "/1'/2/"), 1)
    assert.equal(await within("/1'; select 1; --/", "/1'; select 1; --/5/"), 1)
    assert.equal(await within("/1'; select 1; --/", '/1/'), 0)
    assert.equal(await within('/1\\/', '/1\\/2/'), 1, 'a backslash is a character (standard_conforming_strings)')
  })

  it('keep a bounded number of statements over subtrees, closing the least recently used', async (t) => {
    const d = await open()
    t.after(() => d.close())
    const bound = d.kind === 'postgres' ? SUBTREE_STATEMENTS : SUBTREE_STATEMENTS * 2
    const probe = (i: number) =>
      sql<{ n: number }>`select ${i}::int as n, 'gh-probe-lru' as tag from (values ('/z/')) v (p) where ${under('p', `/${i}/`)}`
    const kept = await d.db.transaction().execute(async (tx) => {
      for (let i = 0; i < bound + 5; i++) assert.deepEqual((await probe(i).execute(tx)).rows, [])
      // the oldest were closed: asked again, it is prepared again and answers as before
      assert.deepEqual((await probe(0).execute(tx)).rows, [])
      return (await preparedTexts.execute(tx)).rows.filter((r) => r.statement.includes('gh-probe-lru')).map((r) => r.statement)
    })
    assert.equal(kept.length, bound, 'the most recently used subtrees stay prepared, up to the bound')
    assert.ok(
      kept.some((s) => s.includes("'/0/'")),
      'the subtree asked for again is prepared again',
    )
    assert.ok(!kept.some((s) => s.includes("'/1/'")), 'the least recently used is closed')
  })

  it("keep one plan for a subtree's page, its window written in the text", async (t) => {
    const d = await open()
    t.after(() => d.close())
    const page = (db: Kysely<{ pg_class: { relname: string } }>, subtree: boolean) =>
      windowed(
        db
          .selectFrom('pg_class')
          .select(['relname', sql.lit(subtree ? 'gh-probe-window-in-text' : 'gh-probe-window-parameters').as('tag')])
          .where(under('relname', 'pg_'))
          .orderBy('relname'),
        { page: 2, pageSize: 5 },
        subtree,
      )
    const plans = await d.db.transaction().execute(async (tx) => {
      for (let i = 0; i < 8; i++) {
        const db = tx as unknown as Kysely<{ pg_class: { relname: string } }>
        const inText = (await page(db, true).execute()).map((r) => r.relname)
        const asParameters = (await page(db, false).execute()).map((r) => r.relname)
        assert.equal(inText.length, 5)
        assert.deepEqual(inText, asParameters, 'the same page either way')
      }
      return (
        await sql<{ statement: string; generic_plans: number; custom_plans: number }>`
          select statement, generic_plans::int, custom_plans::int from pg_prepared_statements where statement like '%gh-probe-window%'`.execute(
          tx,
        )
      ).rows
    })
    const inText = plans.find((p) => p.statement.includes('gh-probe-window-in-text'))!
    assert.match(inText.statement, /limit 5 offset 5/, 'the window is in the text')
    assert.equal(inText.custom_plans, 0, 'nothing is left to plan anew: one plan serves every request')
  })

  it('prepare a statement again when a table it reads changed its columns', async (t) => {
    const d = await open()
    t.after(async () => {
      await sql`drop table if exists gh_probe_cols`.execute(d.db)
      await d.close()
    })
    await sql`create table gh_probe_cols (id int)`.execute(d.db)
    await sql`insert into gh_probe_cols values (1)`.execute(d.db)
    const read = () => sql<Record<string, unknown>>`select * from gh_probe_cols where id = ${1}`.execute(d.db)
    assert.deepEqual((await read()).rows, [{ id: 1 }])
    await sql`alter table gh_probe_cols add column note text default 'x'`.execute(d.db)
    // the connection that prepared it may answer once that the cached plan's columns changed ...
    await read().catch((e: { code?: string }) => assert.equal(e.code, '0A000'))
    // ... and then prepares it again
    assert.deepEqual((await read()).rows, [{ id: 1, note: 'x' }])
  })
})
