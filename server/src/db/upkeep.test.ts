import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import type { Database } from './client.js'
import { testDatabase } from '../test/harness.js'
import { analyze, vacuumEmbedded } from './upkeep.js'

/** The planner's statistics after a bulk load, and the embedded database's stand-in for autovacuum. */
describe('database upkeep', () => {
  let d: Database
  const lastAnalyzed = async () =>
    (
      await sql<{ at: Date | null }>`select coalesce(last_analyze, last_autoanalyze) as at from pg_stat_user_tables
        where relname = 'member'`.execute(d.db)
    ).rows[0]!.at
  before(async () => {
    d = await testDatabase()
  })
  after(() => d?.close())

  it('analyze gives the member table its statistics', async () => {
    await analyze(d)
    assert.ok(await lastAnalyzed())
  })

  it('vacuums only the embedded database (a PostgreSQL server runs its own autovacuum)', async () => {
    const ran = await vacuumEmbedded(d)
    assert.equal(ran, d.kind === 'pglite')
    if (ran) {
      const v = await sql<{ at: Date | null }>`select last_vacuum as at from pg_stat_user_tables where relname = 'member'`.execute(d.db)
      assert.ok(v.rows[0]!.at)
    }
  })
})
