import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { openDatabase, type Database } from '../server/src/db/client.js'

/** A fresh database for one benchmark run, on either engine, dropped again by `drop`. */
export interface Engine { name: 'postgres' | 'pglite'; database: Database; url?: string; dbName?: string; drop(): Promise<void> }

/**
 * PGlite in memory (or on disk under BENCH_PGLITE_DIR, as production keeps it), or a new database
 * `gh_bench_<label>_<pid>` on the PostgreSQL server at `pgUrl`.
 */
export async function openEngine(name: 'postgres' | 'pglite', label: string, pgUrl: string): Promise<Engine> {
  if (name === 'pglite') {
    const dir = process.env.BENCH_PGLITE_DIR ? fs.mkdtempSync(path.join(process.env.BENCH_PGLITE_DIR, `${label}-`)) : null
    const database = await openDatabase({ url: null, dataDir: dir })
    return { name, database, drop: async () => { await database.close(); if (dir) fs.rmSync(dir, { recursive: true, force: true }) } }
  }
  const dbName = `gh_bench_${label}_${process.pid}`
  const admin = new pg.Client({ connectionString: pgUrl })
  await admin.connect()
  await admin.query(`drop database if exists ${dbName} with (force)`)
  await admin.query(`create database ${dbName}`)
  await admin.end()
  const u = new URL(pgUrl)
  u.pathname = `/${dbName}`
  const database = await openDatabase({ url: u.toString() })
  return {
    name, database, url: u.toString(), dbName,
    drop: async () => {
      await database.close()
      const c = new pg.Client({ connectionString: pgUrl })
      await c.connect()
      await c.query(`drop database if exists ${dbName} with (force)`)
      await c.end()
    },
  }
}
