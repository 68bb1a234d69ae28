import { sql } from 'kysely'
import type { Database } from './client.js'

/**
 * The planner's statistics after a bulk load (the demo): without them the first plans
 * of a fresh database are the worst ones (the city's member list: 95 ms a page before, 22 ms after,
 * measured on the demo). PostgreSQL's autovacuum would get there within minutes; PGlite has none.
 */
export async function analyze(database: Database): Promise<void> {
  await sql`analyze`.execute(database.db)
}

/**
 * The embedded database's stand-in for autovacuum (PGlite runs none): dead rows removed, the
 * visibility map kept for the index-only reads, the statistics current. Hourly, from main.ts; a
 * PostgreSQL server does this itself.
 */
export async function vacuumEmbedded(database: Database): Promise<boolean> {
  if (database.kind !== 'pglite') return false
  await sql`vacuum (analyze)`.execute(database.db)
  return true
}
