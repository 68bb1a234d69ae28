import fs from 'node:fs'
import path from 'node:path'
import { once } from 'node:events'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { PGlite, parse as liteParse, protocol as liteProtocol } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { PGliteDialect } from 'kysely-pglite-dialect'
import type { DB } from './schema.js'
import { PER_SUBTREE } from './paths.js'

export type Db = Kysely<DB>

export interface Database {
  db: Db
  kind: 'pglite' | 'postgres'
  /** Runs a multi-statement SQL script in one transaction (migrations). */
  runScript(text: string, after?: { sql: string; params: unknown[] }): Promise<void>
  /** PGlite only: its data directory as a gzipped tarball (backup; `loadDataDir` opens one) */
  dumpDataDir?: () => Promise<Blob>
  /**
   * Calls onNotify with the payload of every notification on the channel (NOTIFY / pg_notify,
   * delivered when the transaction that raised it commits). On PostgreSQL a connection of its own
   * listens, and listens again after it is lost; what was raised meanwhile is not delivered, so
   * then onNotify('') is called once: the listener looks for its work itself. Returns the stop.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>
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
export async function openDatabase(opts: { url: string | null; dataDir?: string | null; loadDataDir?: Blob }): Promise<Database> {
  if (opts.url) {
    pg.types.setTypeParser(DATE_OID, (v) => v)
    pg.types.setTypeParser(INT8_OID, (v) => Number(v))
    pg.types.setTypeParser(NUMERIC_OID, (v) => Number(v))
    const pool = new pg.Pool({ connectionString: opts.url, max: 10 })
    // an idle connection the server closes (a restart, a dropped database) is discarded by the
    // pool; without a listener its error would crash the process
    pool.on('error', (e) => {
      if ((e as { code?: string }).code !== '57P01') console.warn(`数据库连接中断：${e.message}`)
    })
    // the raw client behind a Kysely transaction is found by its backend pid (see copyIn)
    pool.on('connect', (c) => {
      const pid = (c as unknown as { processID: number | null }).processID
      if (pid) pgClients.set(pid, c)
    })
    pool.on('remove', (c) => {
      const pid = (c as unknown as { processID: number | null }).processID
      if (pid && pgClients.get(pid) === c) pgClients.delete(pid)
    })
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pgBeginWithFirstStatement(pool) }) })
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
    const listeners: (() => Promise<void>)[] = []
    const listen = async (channel: string, onNotify: (payload: string) => void) => {
      let client: pg.Client | null = null
      let stopped = false
      let retry: NodeJS.Timeout | undefined
      const connect = async () => {
        const c = new pg.Client({ connectionString: opts.url! })
        c.on('notification', (n) => {
          if (n.channel === channel) onNotify(n.payload ?? '')
        })
        c.on('error', (e) => {
          void c.end().catch(() => {})
          if (stopped) return
          console.warn(`数据库通知连接中断，5 秒后重连：${e.message}`)
          retry = setTimeout(again, 5000)
        })
        await c.connect()
        await c.query(`listen ${pg.Client.prototype.escapeIdentifier(channel)}`)
        client = c
        // what was raised while no one listened is not delivered: say so, with an empty payload
        if (listened) onNotify('')
        listened = true
      }
      let listened = false
      const again = () =>
        void connect().catch((e: Error) => {
          if (stopped) return
          console.warn(`数据库通知连接失败，5 秒后重试：${e.message}`)
          retry = setTimeout(again, 5000)
        })
      await connect()
      const stop = async () => {
        stopped = true
        clearTimeout(retry)
        await client?.end().catch(() => {})
      }
      listeners.push(stop)
      return stop
    }
    const close = async () => {
      for (const stop of listeners) await stop()
      await db.destroy()
    }
    return { db, kind: 'postgres', runScript, listen, close }
  }
  let dataDir: string | undefined
  let unlock = () => {}
  if (opts.dataDir) {
    fs.mkdirSync(opts.dataDir, { recursive: true })
    dataDir = path.join(opts.dataDir, 'pgdata')
    unlock = lockDataDir(opts.dataDir)
  }
  const client = await PGlite.create({
    dataDir,
    loadDataDir: opts.loadDataDir,
    extensions: { pg_trgm },
    parsers: { [DATE_OID]: (v: string) => v, [INT8_OID]: (v: string) => Number(v), [NUMERIC_OID]: (v: string) => Number(v) },
  })
  const db = new Kysely<DB>({ dialect: new PGliteDialect(liteBeginWithFirstStatement(client)) })
  // the instance behind a Kysely transaction is found by a session setting (see copyIn)
  const session = `pglite-${++liteCount}-${process.pid}`
  await client.query(`select set_config('gonghui.session', $1, false)`, [session])
  liteClients.set(session, client)
  return {
    db,
    kind: 'pglite',
    runScript: async (text, after) => {
      await client.transaction(async (tx) => {
        await tx.exec(text)
        if (after) await tx.query(after.sql, after.params)
      })
    },
    dumpDataDir: () => client.dumpDataDir('gzip'),
    listen: async (channel, onNotify) => {
      const stop = await client.listen(channel, onNotify)
      return async () => {
        if (!client.closed) await stop()
      }
    },
    close: async () => {
      liteClients.delete(session)
      await db.destroy()
      if (!client.closed) await client.close()
      unlock()
    },
  }
}

type Query<R> = (text: unknown, values?: unknown[]) => Promise<R>

/**
 * A transaction's `begin` travels with its first statement, one round trip instead of two: Kysely
 * sends 'begin' on its own; here it waits and goes ahead of the next statement when that statement
 * has no parameters (the simple protocol allows several statements in one message, and a scoped
 * request's first statement, db/scope.ts, has none); before any other statement it goes alone, as
 * it would have. A transaction that ends before any statement sent nothing and ends nothing.
 * `run` sends one statement; `runMany` several in one message and answers with the last one's result.
 * One per connection: a connection serves one transaction at a time.
 */
function beginWithFirstStatement<R>(run: Query<R>, runMany: (text: string) => Promise<R>, none: (command: string) => R) {
  let pending = false
  const query: Query<R> = async (text, values) => {
    // a subtree's statement is prepared even without parameters, so it never rides with the begin
    const bare = typeof text === 'string' && (values === undefined || values.length === 0) && !text.includes(PER_SUBTREE)
    if (bare && /^\s*begin\s*$/i.test(text)) {
      pending = true
      return none('BEGIN')
    }
    if (!pending) return run(text, values)
    pending = false
    if (bare && /^\s*(commit|rollback)\s*$/i.test(text)) return none(text.trim().toUpperCase())
    if (!bare) {
      await run('begin')
      return run(text, values)
    }
    return runMany(`begin;\n${text}`)
  }
  return { query, reset: () => void (pending = false) }
}

/**
 * Statements over one subtree (db/paths.ts PER_SUBTREE: the bounds are in the text) are prepared
 * per connection, the most recently used this many kept (twice as many on the embedded database,
 * which has one connection); the least recently used is closed. A kept plan of the members list
 * under the row-level policies holds about 200 KB of the server's memory (CachedPlan 132 KB and
 * CachedPlanQuery 64 KB, measured on PostgreSQL 15): at most ≈ 6.5 MB a connection.
 */
export const SUBTREE_STATEMENTS = 32

/** The pool's connections, each beginning its transactions with their first statement. */
function pgBeginWithFirstStatement(pool: pg.Pool, max = 2_000, perSubtree = SUBTREE_STATEMENTS): pg.Pool {
  const wrapped = new WeakMap<pg.PoolClient, { client: pg.PoolClient; reset: () => void }>()
  const none = (command: string) => ({ command, rowCount: null, rows: [], fields: [], oid: 0 }) as unknown as pg.QueryResult
  // statements with parameters are named prepared statements, one name per text for every
  // connection (node-postgres parses a name once per connection): see litePrepared for why
  const names = new Map<string, string>()
  let named = 0
  const nameOf = (text: string) => {
    let name = names.get(text)
    if (!name && names.size < max) names.set(text, (name = `gh_${++named}`))
    return name
  }
  const wrap = (client: pg.PoolClient) => {
    const raw = client.query.bind(client) as unknown as Query<pg.QueryResult>
    // node-postgres's record of the names this connection has parsed (a name it knows is not parsed again)
    const parsed = (client as unknown as { connection: { parsedStatements: Record<string, string> } }).connection.parsedStatements
    const subtrees = new LeastRecentlyUsed(perSubtree, 'gs')
    const send: Query<pg.QueryResult> = async (text, values) => {
      const subtree = typeof text === 'string' && text.includes(PER_SUBTREE)
      let name: string | undefined
      if (subtree) {
        const { name: n, closed } = subtrees.use(text)
        if (closed) {
          await raw(`deallocate ${closed.name}`)
          delete parsed[closed.name]
        }
        name = n
      } else if (typeof text === 'string' && values && values.length > 0) name = nameOf(text)
      if (!name) return raw(text, values)
      try {
        return await raw({ name, text, values: values ?? [] })
      } catch (e) {
        if (['0A000', '26000'].includes((e as { code?: string }).code ?? '')) {
          if (subtree) {
            subtrees.forget(text as string)
            delete parsed[name]
          } else names.delete(text as string)
        }
        throw e
      }
    }
    const { query, reset } = beginWithFirstStatement(
      send,
      async (text) => {
        const results = (await send(text)) as unknown as pg.QueryResult[]
        return results[results.length - 1]!
      },
      none,
    )
    const proxy = new Proxy(client, {
      get(target, prop) {
        if (prop === 'query') return query
        if (prop === 'release')
          return (err?: Error | boolean) => {
            reset()
            return target.release(err)
          }
        const v = Reflect.get(target, prop, target) as unknown
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
      },
    })
    return { client: proxy, reset }
  }
  return new Proxy(pool, {
    get(target, prop) {
      if (prop === 'connect')
        return async () => {
          const client = await target.connect()
          let w = wrapped.get(client)
          if (!w) wrapped.set(client, (w = wrap(client)))
          return w.client
        }
      const v = Reflect.get(target, prop, target) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    },
  })
}

/**
 * The embedded database as Kysely's dialect sees it: a statement without parameters goes by the
 * simple protocol (`exec`: one call into the database, where `query`'s extended protocol makes
 * six), a statement with parameters or over a subtree runs as a named prepared statement (litePrepared), and a
 * transaction begins with its first statement as on PostgreSQL.
 */
function liteBeginWithFirstStatement(client: PGlite): PGlite {
  type R = Awaited<ReturnType<PGlite['query']>>
  const last = async (text: string) => {
    const results = await client.exec(text)
    return results[results.length - 1] as R
  }
  const prepared = litePrepared(client)
  const send: Query<R> = (text, values) =>
    (values === undefined || values.length === 0) && !(text as string).includes(PER_SUBTREE)
      ? last(text as string)
      : (prepared(text as string, values ?? []) as Promise<R>)
  const { query } = beginWithFirstStatement(send, last, () => ({ rows: [], fields: [] }) as R)
  return new Proxy(client, {
    get(target, prop) {
      if (prop === 'query') return query
      const v = Reflect.get(target, prop, target) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    },
  })
}

/**
 * Statements with parameters as named prepared statements on the embedded database: each text is
 * parsed and described once, then bound and executed in one call into the database. Planning a
 * statement under the row-level policies costs more than running it (1.4–1.6 ms against 0.3–0.5 ms
 * for a page of the register), and a prepared statement's plan is kept once PostgreSQL finds its
 * generic plan no worse than the custom ones (its plan cache; a plan made for another role, before
 * a schema change or with other settings is made again). A statement over a subtree (db/paths.ts
 * PER_SUBTREE, its bounds in its text) is prepared too, with or without parameters, the most recent
 * `perSubtree` of them kept: the least recently used is closed in the same call that prepares the
 * next. At most `max` other texts are kept; others run as PGlite's own `query` runs them.
 */
function litePrepared(client: PGlite, max = 2_000, perSubtree = SUBTREE_STATEMENTS * 2) {
  const { serialize } = liteProtocol
  const statements = new Map<string, { name: string; types: number[] }>()
  const subtrees = new LeastRecentlyUsed(perSubtree, 'gs')
  let named = 0
  const call = async (parts: Uint8Array[]) => {
    const message = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
    let at = 0
    for (const p of parts) {
      message.set(p, at)
      at += p.length
    }
    return (await client.execProtocol(message, { syncToFs: false })).messages
  }
  const run = async (text: string, values: unknown[]) => {
    const subtree = text.includes(PER_SUBTREE)
    let statement = statements.get(text)
    if (subtree) {
      const { name, closed } = subtrees.use(text)
      if (closed) statements.delete(closed.text)
      if (!statement || statement.name !== name) {
        const close = closed ? [serialize.close({ type: 'S', name: closed.name })] : []
        const described = await call([...close, serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()])
        statement = { name, types: liteParse.parseDescribeStatementResults(described) }
        statements.set(text, statement)
      }
    } else if (!statement) {
      const name = `gh_${++named}`
      const described = await call([serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()])
      statement = { name, types: liteParse.parseDescribeStatementResults(described) }
      statements.set(text, statement)
    }
    const { name, types } = statement
    const bound = values.map((v, i) => (v === null || v === undefined ? null : (client.serializers[types[i]!] ?? String)(v)))
    try {
      const messages = await call([
        serialize.bind({ statement: name, values: bound }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ])
      if (!client.isInTransaction()) await client.syncToFs()
      return liteParse.parseResults(messages, client.parsers)[0]!
    } catch (e) {
      // a table's columns changed under `select *` (cached plan must not change result type), or
      // the statement is gone: it is prepared again next time
      if (['0A000', '26000'].includes((e as { code?: string }).code ?? '')) {
        statements.delete(text)
        if (subtree) subtrees.forget(text)
      }
      throw e
    }
  }
  return (text: string, values: unknown[]) =>
    statements.size >= max && !statements.has(text) && !text.includes(PER_SUBTREE)
      ? client.query(text, values)
      : client.runExclusive(() => run(text, values))
}

/**
 * The names of a connection's prepared statements over subtrees, at most `size`, in order of use:
 * `use` names a text (a new name for a new text) and says which statement to close to make room.
 */
class LeastRecentlyUsed {
  private readonly names = new Map<string, string>()
  private count = 0
  constructor(
    private readonly size: number,
    private readonly prefix: string,
  ) {}
  use(text: string): { name: string; closed?: { name: string; text: string } } {
    const known = this.names.get(text)
    if (known) {
      this.names.delete(text)
      this.names.set(text, known)
      return { name: known }
    }
    let closed: { name: string; text: string } | undefined
    if (this.names.size >= this.size) {
      const [oldest, name] = this.names.entries().next().value as [string, string]
      this.names.delete(oldest)
      closed = { name, text: oldest }
    }
    const name = `${this.prefix}_${++this.count}`
    this.names.set(text, name)
    return { name, closed }
  }
  forget(text: string) {
    this.names.delete(text)
  }
}

/** Thrown when another process has the embedded database open. */
export class DataDirBusy extends Error {}

/**
 * The embedded database may be opened by one process at a time (two would corrupt it): a lock
 * file with the owner's pid, taken over when that process is gone. Returns the release.
 */
function lockDataDir(dir: string): () => void {
  const file = path.join(dir, 'gonghui.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' })
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.unlinkSync(file)
        } catch {
          /* gone already */
        }
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const pid = Number(fs.readFileSync(file, 'utf8'))
      if (pid === process.pid) throw new DataDirBusy(`内置数据库 ${dir} 已在本进程中打开`)
      if (pid > 0 && alive(pid)) throw new DataDirBusy(`内置数据库 ${dir} 正被另一个进程（pid ${pid}）使用：请先停止服务器，再运行命令行`)
      fs.unlinkSync(file) // left by a process that is gone
    }
  }
  throw new DataDirBusy(`无法锁定内置数据库 ${dir}`)
}

function alive(pid: number) {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export async function ping(db: Db): Promise<boolean> {
  const r = await sql<{ ok: number }>`select 1 as ok`.execute(db)
  return r.rows[0]?.ok === 1
}

// ── COPY FROM STDIN inside a Kysely transaction ─────────────────────────────────
const pgClients = new Map<number, pg.PoolClient>()
const liteClients = new Map<string, PGlite>()
let liteCount = 0

/**
 * Runs `COPY … FROM STDIN` (text format) in the transaction `tx`, on its own connection, feeding it
 * `data`; returns the number of rows copied. Kysely has no COPY, so this reaches the driver's
 * client behind the transaction: the pg PoolClient by backend pid, the PGlite instance by a session
 * setting. PGlite reads COPY data from a blob (`FROM '/dev/blob'`): `data` is gathered into one
 * blob per call, so callers keep each call to a bounded size.
 * If `data` throws, the COPY is abandoned (CopyFail) and the error rethrown; the transaction is
 * then aborted, as after any failed statement.
 */
export async function copyIn(tx: Kysely<DB>, statement: string, data: AsyncIterable<Buffer | string>): Promise<number> {
  if (!/\bfrom\s+stdin\b/i.test(statement)) throw new Error('copyIn: the statement must read FROM STDIN')
  const who = await sql<{
    pid: number
    session: string | null
  }>`select pg_backend_pid() as pid, current_setting('gonghui.session', true) as session`.execute(tx)
  const { pid, session } = who.rows[0]!
  const lite = session ? liteClients.get(session) : undefined
  if (lite) {
    const parts: (Buffer | string)[] = []
    for await (const d of data) parts.push(d)
    const blob = new Blob(parts as BlobPart[])
    parts.length = 0
    // PGlite reads COPY data through its virtual file /dev/blob, which PostgreSQL reserves to
    // superusers: the COPY runs as the session user and the role is restored after it. Only into a
    // temporary table of this session (no row-level security to bypass there).
    const target = /^\s*copy\s+([\w.]+)/i.exec(statement)?.[1] ?? ''
    const chk = await lite.query<{ temp: boolean; role: string }>(
      `select coalesce((select relpersistence = 't' from pg_class where oid = to_regclass($1)), false) as temp, current_user as role`,
      [target],
    )
    const { temp, role } = chk.rows[0]!
    if (!temp) throw new Error(`copyIn on PGlite: ${target} is not a temporary table`)
    await lite.query('set local role none')
    try {
      const r = await lite.query(statement.replace(/\bfrom\s+stdin\b/i, `from '/dev/blob'`), [], { blob })
      return r.affectedRows ?? 0
    } finally {
      await lite.query(`set local role ${JSON.stringify(role)}`)
    }
  }
  const client = pgClients.get(Number(pid))
  if (!client) throw new Error('copyIn: the connection of this transaction is unknown')
  return new Promise<number>((resolve, reject) => {
    let rows = 0
    let stopped = false
    let sourceError: unknown = null
    const copy = {
      submit(con: PgConnection) {
        con.query(statement)
      },
      handleCopyInResponse(con: PgConnection) {
        void (async () => {
          try {
            for await (const d of data) {
              if (stopped) return
              con.sendCopyFromChunk(typeof d === 'string' ? Buffer.from(d) : d)
              if (con.stream.writableNeedDrain) await once(con.stream, 'drain')
            }
            if (!stopped) con.endCopyFrom()
          } catch (e) {
            sourceError = e
            if (!stopped) con.sendCopyFail(`aborted by the client: ${String((e as Error)?.message ?? e)}`.slice(0, 200))
          }
        })()
      },
      handleCommandComplete(msg: { text?: string }) {
        rows = Number(/(\d+)$/.exec(msg.text ?? '')?.[1] ?? 0)
      },
      // the server answers an error (its own, or our CopyFail) with ErrorResponse, then
      // ReadyForQuery, which pg no longer routes to this query; CopyData sent after it is ignored
      handleError(err: unknown) {
        stopped = true
        reject(sourceError ?? err)
      },
      handleReadyForQuery() {
        stopped = true
        resolve(rows)
      },
      // not sent for COPY FROM; present so that an unexpected message does not crash the client
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      handlePortalSuspended() {},
    }
    ;(client as unknown as { query(q: unknown): void }).query(copy)
  })
}

interface PgConnection {
  query(text: string): void
  sendCopyFromChunk(chunk: Buffer): void
  endCopyFrom(): void
  sendCopyFail(message: string): void
  stream: NodeJS.WritableStream & { writableNeedDrain: boolean }
}
