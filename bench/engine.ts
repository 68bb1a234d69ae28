import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { openDatabase, type Database } from '../server/src/db/client.js'

/** A fresh database for one benchmark run, on either engine, dropped again by `drop`. */
export interface Engine {
  name: 'postgres' | 'pglite'
  /** the open database; replaced by `reopen` */
  database: Database
  /** PostgreSQL: the database's connection string (DATABASE_URL for another process) */
  url?: string
  dbName?: string
  /** PostgreSQL with `keep`: the database was there from an earlier run (and is not dropped by `drop`) */
  kept?: boolean
  /** PGlite on disk: the data directory as DATA_DIR takes it (the files are in `<dir>/pgdata`, the lock in `<dir>/gonghui.lock`) */
  dir?: string | null
  /** Closes `database`: on PGlite this releases the data directory, so that another process can open it. */
  close(): Promise<void>
  /** Opens the database again after `close` (and sets `database`). */
  reopen(): Promise<void>
  /** Closes the database if open and removes it. */
  drop(): Promise<void>
}

/**
 * PGlite in memory (or on disk under BENCH_PGLITE_DIR, as production keeps it; `onDisk` puts it on
 * disk in any case, under os.tmpdir() without BENCH_PGLITE_DIR), or a new database
 * `gh_bench_<label>_<pid>` on the PostgreSQL server at `pgUrl`.
 */
export async function openEngine(
  name: 'postgres' | 'pglite',
  label: string,
  pgUrl: string,
  opts: { onDisk?: boolean; keep?: boolean } = {},
): Promise<Engine> {
  if (name === 'pglite') {
    const base = process.env.BENCH_PGLITE_DIR ?? (opts.onDisk ? os.tmpdir() : null)
    const dir = base ? fs.mkdtempSync(path.join(base, process.env.BENCH_PGLITE_DIR ? `${label}-` : `gh-bench-${label}-`)) : null
    const open = () => openDatabase({ url: null, dataDir: dir })
    return withLifecycle({ name, dir, database: await open() }, open, async () => {
      if (dir) fs.rmSync(dir, { recursive: true, force: true })
    })
  }
  // keep: one database by the label's name, opened again by the next run and never dropped
  const dbName = opts.keep ? `gh_bench_${label}_kept` : `gh_bench_${label}_${process.pid}`
  const admin = new pg.Client({ connectionString: pgUrl })
  await admin.connect()
  const kept = opts.keep ? (await admin.query('select 1 from pg_database where datname = $1', [dbName])).rowCount === 1 : false
  if (!kept) {
    await admin.query(`drop database if exists ${dbName} with (force)`)
    await admin.query(`create database ${dbName}`)
  }
  await admin.end()
  const u = new URL(pgUrl)
  u.pathname = `/${dbName}`
  const url = u.toString()
  const open = () => openDatabase({ url })
  return withLifecycle({ name, url, dbName, kept, database: await open() }, open, async () => {
    if (opts.keep) return
    const c = new pg.Client({ connectionString: pgUrl })
    await c.connect()
    await c.query(`drop database if exists ${dbName} with (force)`)
    await c.end()
  })
}

function withLifecycle(e: Omit<Engine, 'close' | 'reopen' | 'drop'>, open: () => Promise<Database>, remove: () => Promise<void>): Engine {
  let closed = false
  const engine: Engine = {
    ...e,
    close: async () => {
      if (closed) return
      closed = true
      await engine.database.close()
    },
    reopen: async () => {
      if (!closed) throw new Error('reopen: the database is open')
      engine.database = await open()
      closed = false
    },
    drop: async () => {
      await engine.close()
      await remove()
    },
  }
  return engine
}
