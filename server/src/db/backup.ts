import crypto from 'node:crypto'
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { sql, type Kysely } from 'kysely'
import pg from 'pg'
import { openDatabase, type Database } from './client.js'
import type { DB } from './schema.js'

/**
 * `backup --out DIR` and `restore --from DIR`: the database only, never the key ring (README
 * 备份与恢复). The built-in database is saved as PGlite's data directory (a gzipped tarball,
 * `dumpDataDir`), a PostgreSQL database with pg_dump's custom format; beside it a manifest with
 * the file's SHA-256, the migrations, the row counts and the key ids the data needs (ids only).
 */

/** A failure the operator can act on (the CLI prints it as it is). */
export class BackupError extends Error {}

export const MANIFEST = 'manifest.json'
const FORMAT = 'gonghui-backup-1'

export interface Manifest {
  format: typeof FORMAT
  engine: 'pglite' | 'postgres'
  file: string
  sha256: string
  createdAt: string
  migrations: string[]
  counts: Record<string, number>
  /** the key ids of the key ring this database needs (no key material: the ring is kept apart) */
  keyIds: string[]
  note: string
}

/** The tables whose row counts a restore compares. */
const COUNTED = [
  'org',
  'org_history',
  'enterprise',
  'member',
  'membership_event',
  'application',
  'transfer',
  'app_user',
  'audit_log',
  'audit_chain',
  'key_check',
] as const

export async function tableCounts(db: Kysely<DB>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const t of COUNTED) {
    const r = await sql<{ n: string | number }>`select count(*) as n from ${sql.table(t)}`.execute(db)
    counts[t] = Number(r.rows[0]!.n)
  }
  return counts
}

const sha256 = (file: string) =>
  new Promise<string>((resolve, reject) => {
    const h = crypto.createHash('sha256')
    fs.createReadStream(file)
      .on('data', (c) => h.update(c))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject)
  })

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024 }, (err, _stdout, stderr) => {
      if (!err) return resolve()
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        reject(new BackupError(`找不到 ${cmd}：请安装与服务器版本一致的 PostgreSQL 客户端工具`))
      else reject(new BackupError(`${cmd} 失败：${(stderr || err.message).trim()}`))
    })
  })
}

/** The URL of the very database `d` is connected to (the configured one, with its name). */
async function urlOf(d: Database, configured: string): Promise<string> {
  const r = await sql<{ name: string }>`select current_database() as name`.execute(d.db)
  const u = new URL(configured)
  u.pathname = `/${r.rows[0]!.name}`
  return u.toString()
}

/** Saves the database into a new (or empty) directory `out`; returns the manifest written there. */
export async function backup(d: Database, opts: { out: string; url: string | null; keyFile: string }): Promise<Manifest> {
  const out = path.resolve(opts.out)
  if (path.resolve(path.dirname(opts.keyFile)) === out || fs.existsSync(path.join(out, path.basename(opts.keyFile))))
    throw new BackupError(`备份目录 ${out} 是密钥文件所在的目录：数据库备份与密钥环须分开保存（见 README 备份与恢复）`)
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0) throw new BackupError(`备份目录 ${out} 不是空目录：请指定一个新目录`)
  fs.mkdirSync(out, { recursive: true, mode: 0o700 })
  const migrations = (await sql<{ name: string }>`select name from schema_migration order by name`.execute(d.db)).rows.map((r) => r.name)
  const keyIds = (await d.db.selectFrom('key_check').select('key_id').where('kind', '=', 'pii').orderBy('key_id').execute()).map(
    (r) => r.key_id,
  )
  let file: string
  let counts: Record<string, number>
  if (d.kind === 'pglite') {
    if (!d.dumpDataDir) throw new BackupError('内置数据库无法导出')
    counts = await tableCounts(d.db)
    file = 'database.tar.gz'
    const blob = await d.dumpDataDir()
    fs.writeFileSync(path.join(out, file), Buffer.from(await blob.arrayBuffer()), { mode: 0o600 })
  } else {
    if (!opts.url) throw new BackupError('未配置 DATABASE_URL')
    file = 'database.pgdump'
    // counted in pg_dump's snapshot would be exact; counted just before, they match unless the server is writing
    counts = await tableCounts(d.db)
    await run('pg_dump', ['--format=custom', '--file', path.join(out, file), '--dbname', await urlOf(d, opts.url)])
    fs.chmodSync(path.join(out, file), 0o600)
  }
  const manifest: Manifest = {
    format: FORMAT,
    engine: d.kind,
    file,
    sha256: await sha256(path.join(out, file)),
    createdAt: new Date().toISOString(),
    migrations,
    counts,
    keyIds,
    note: `本备份不含个人信息密钥环。恢复时需要另行保存的密钥环（密钥 ${keyIds.join('、') || '—'}），见 README 备份与恢复。`,
  }
  fs.writeFileSync(path.join(out, MANIFEST), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 })
  return manifest
}

export function readManifest(from: string): Manifest {
  const file = path.join(path.resolve(from), MANIFEST)
  if (!fs.existsSync(file)) throw new BackupError(`${from} 中没有 ${MANIFEST}：不是本系统的备份目录`)
  let m: Manifest
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest
  } catch (e) {
    throw new BackupError(`${file} 格式不正确：${(e as Error).message}`)
  }
  if (m.format !== FORMAT || !m.file || !m.sha256) throw new BackupError(`${file} 不是可识别的备份清单`)
  return m
}

/**
 * Restores a backup into a fresh place: the built-in database into DATA_DIR (which must not
 * hold one), a PostgreSQL dump into DATABASE_URL (which must be an empty database). Returns the
 * opened database; the caller migrates it and checks the key ring.
 */
export async function restore(opts: {
  from: string
  url: string | null
  dataDir: string
}): Promise<{ database: Database; manifest: Manifest }> {
  const manifest = readManifest(opts.from)
  const file = path.join(path.resolve(opts.from), manifest.file)
  if (!fs.existsSync(file)) throw new BackupError(`备份文件 ${file} 不存在`)
  if ((await sha256(file)) !== manifest.sha256) throw new BackupError(`备份文件 ${file} 与清单中的校验值不符（文件损坏或被改动），未恢复`)
  const engine = opts.url ? 'postgres' : 'pglite'
  if (manifest.engine !== engine)
    throw new BackupError(
      manifest.engine === 'pglite'
        ? '这是内置数据库的备份：请不设置 DATABASE_URL，用 DATA_DIR 指定恢复到的目录'
        : '这是 PostgreSQL 数据库的备份：请用 DATABASE_URL 指定一个新建的空数据库',
    )
  if (!opts.url) {
    const pgdata = path.join(opts.dataDir, 'pgdata')
    if (fs.existsSync(pgdata) && fs.readdirSync(pgdata).length > 0)
      throw new BackupError(`${opts.dataDir} 中已有数据库：请用 DATA_DIR 指定一个新目录，或先把现有的移走（恢复不会覆盖现有数据）`)
    const blob = new Blob([fs.readFileSync(file)])
    return { database: await openDatabase({ url: null, dataDir: opts.dataDir, loadDataDir: blob }), manifest }
  }
  const c = new pg.Client({ connectionString: opts.url })
  await c.connect()
  try {
    const r = await c.query(`select count(*)::int as n from pg_tables where schemaname = 'public'`)
    if (r.rows[0].n > 0) throw new BackupError('DATABASE_URL 指向的数据库不是空的：请新建一个空数据库再恢复（恢复不会覆盖现有数据）')
    // the application role is per cluster: a new server does not have it yet
    await c.query(`do $$ begin
      if not exists (select 1 from pg_roles where rolname = 'gonghui_app') then create role gonghui_app nologin; end if;
    end $$`)
  } finally {
    await c.end()
  }
  await run('pg_restore', ['--no-owner', '--exit-on-error', '--single-transaction', '--dbname', opts.url, file])
  return { database: await openDatabase({ url: opts.url }), manifest }
}
