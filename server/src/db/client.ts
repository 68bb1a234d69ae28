import fs from 'node:fs'
import path from 'node:path'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { PGliteDialect } from 'kysely-pglite-dialect'
import type { DB } from './schema.js'

export type Db = Kysely<DB>

export interface Database {
  db: Db
  kind: 'pglite' | 'postgres'
  /** Runs a multi-statement SQL script in one transaction (migrations). */
  runScript(text: string, after?: { sql: string; params: unknown[] }): Promise<void>
  close(): Promise<void>
}

const DATE_OID = 1082
const INT8_OID = 20
const NUMERIC_OID = 1700

/**
 * The same SQL runs on both engines; only the driver differs.
 * Dates stay 'YYYY-MM-DD' strings (a JS Date would shift them by the time zone) and
 * bigint ids come back as numbers (ids stay far below 2^53).
 */
export async function openDatabase(opts: { url: string | null; dataDir?: string | null }): Promise<Database> {
  if (opts.url) {
    pg.types.setTypeParser(DATE_OID, (v) => v)
    pg.types.setTypeParser(INT8_OID, (v) => Number(v))
    pg.types.setTypeParser(NUMERIC_OID, (v) => Number(v))
    const pool = new pg.Pool({ connectionString: opts.url, max: 10 })
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
    const runScript = async (text: string, after?: { sql: string; params: unknown[] }) => {
      const c = await pool.connect()
      try {
        await c.query('begin')
        await c.query(text)
        if (after) await c.query(after.sql, after.params)
        await c.query('commit')
      } catch (e) {
        await c.query('rollback')
        throw e
      } finally {
        c.release()
      }
    }
    return { db, kind: 'postgres', runScript, close: () => db.destroy() }
  }
  let dataDir: string | undefined
  if (opts.dataDir) {
    fs.mkdirSync(opts.dataDir, { recursive: true })
    dataDir = path.join(opts.dataDir, 'pgdata')
  }
  const client = await PGlite.create({
    dataDir,
    extensions: { pg_trgm },
    parsers: { [DATE_OID]: (v: string) => v, [INT8_OID]: (v: string) => Number(v), [NUMERIC_OID]: (v: string) => Number(v) },
  })
  const db = new Kysely<DB>({ dialect: new PGliteDialect(client) })
  return {
    db,
    kind: 'pglite',
    runScript: async (text, after) => {
      await client.transaction(async (tx) => {
        await tx.exec(text)
        if (after) await tx.query(after.sql, after.params)
      })
    },
    close: async () => {
      await db.destroy()
      if (!client.closed) await client.close()
    },
  }
}

export async function ping(db: Db): Promise<boolean> {
  const r = await sql<{ ok: number }>`select 1 as ok`.execute(db)
  return r.rows[0]?.ok === 1
}
