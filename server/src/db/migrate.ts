import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import type { Database } from './client.js'

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')

/** Forward-only: applies every NNNN_name.sql not yet recorded, each in its own transaction. */
export async function migrate({ db, runScript }: Database): Promise<string[]> {
  await sql`create table if not exists schema_migration (name text primary key, applied_at timestamptz not null default now())`.execute(db)
  const done = new Set((await sql<{ name: string }>`select name from schema_migration`.execute(db)).rows.map((r) => r.name))
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_.*\.sql$/.test(f))
    .sort()
  const applied: string[] = []
  for (const file of files) {
    if (done.has(file)) continue
    const text = fs.readFileSync(path.join(dir, file), 'utf8')
    await runScript(text, { sql: 'insert into schema_migration (name) values ($1)', params: [file] })
    applied.push(file)
  }
  return applied
}
