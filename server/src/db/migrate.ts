import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import type { Database } from './client.js'

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')

/**
 * No 0010 was ever written (0011 was numbered past it, see git history), so the numbering skips it;
 * any other gap is a migration lost in a merge and is refused before anything is applied.
 */
const NEVER_RELEASED = new Set([10])

/** The migration files in order; throws when the numbering has a gap or a number twice. */
export function migrationFiles(names: readonly string[] = fs.readdirSync(dir)): string[] {
  const files = names.filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort()
  let expected = 1
  for (const f of files) {
    while (NEVER_RELEASED.has(expected)) expected++
    const n = Number(f.slice(0, 4))
    if (n !== expected) throw new Error(`迁移文件编号不连续：应为 ${String(expected).padStart(4, '0')}，实际为 ${f}`)
    expected++
  }
  return files
}

/** Forward-only: applies every NNNN_name.sql not yet recorded, each in its own transaction. */
export async function migrate({ db, runScript }: Database): Promise<string[]> {
  await sql`create table if not exists schema_migration (name text primary key, applied_at timestamptz not null default now())`.execute(db)
  const done = new Set((await sql<{ name: string }>`select name from schema_migration`.execute(db)).rows.map((r) => r.name))
  const files = migrationFiles()
  const applied: string[] = []
  for (const file of files) {
    if (done.has(file)) continue
    const text = fs.readFileSync(path.join(dir, file), 'utf8')
    await runScript(text, { sql: 'insert into schema_migration (name) values ($1)', params: [file] })
    applied.push(file)
  }
  return applied
}
