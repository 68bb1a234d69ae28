import { sql, type Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { Tx } from '../../http/context.js'
import { paged } from '../../db/count.js'
import { contains } from '../../db/like.js'

/** An account's identity and standing (`app_user as u`): what a session and the accounts list both show. */
export const accountColumns = ['u.id', 'u.username', 'u.display_name', 'u.roles', 'u.org_id', 'u.active', 'u.must_change_password'] as const

const columns = [...accountColumns, 'u.locked_until', 'u.last_login_at', 'u.created_at'] as const

export async function list(db: Tx, f: { q?: string; page: number; pageSize: number }) {
  let q = db.selectFrom('app_user as u')
  const term = f.q
  if (term) q = q.where((eb) => eb.or([eb('u.username', 'like', contains(term)), eb('u.display_name', 'like', contains(term))]))
  return paged(q, q.select([...columns]).orderBy('u.id'), f)
}

export const findById = (db: Tx, id: number) =>
  db
    .selectFrom('app_user as u')
    .select([...columns])
    .where('u.id', '=', id)
    .executeTakeFirst()

/** A new account's password is the administrator's choice: the user must change it at first use. */
export const insert = (db: Tx, u: { username: string; display_name: string; password_hash: string }) =>
  db
    .insertInto('app_user')
    .values({ ...u, must_change_password: true })
    .returning('id')
    .executeTakeFirstOrThrow()

/** Ends every session of the account (reset, disable); the number ended. */
export async function endSessions(db: Tx, id: number) {
  const r = await sql<{ n: number }>`select end_user_sessions(${id}) as n`.execute(db)
  return Number(r.rows[0]?.n ?? 0)
}

export const update = (
  db: Tx,
  id: number,
  patch: {
    display_name?: string
    active?: boolean
    password_hash?: string
    roles?: string[]
    org_id?: number | null
    failed_logins?: number
    locked_until?: null
    must_change_password?: boolean
  },
) =>
  db
    .updateTable('app_user')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst()

/** Names and codes of organizations, for attaching roles; the security administrator sees nothing else of them. */
export async function orgDirectory(db: Tx, q: string, limit = 20) {
  const r = await sql<{ id: number; code: string; name: string; region_code: string }>`select * from org_directory(${q}, ${limit})`.execute(
    db,
  )
  return r.rows.map((x) => ({ ...x, id: Number(x.id) }))
}

export async function orgNames(db: Tx, ids: number[]) {
  if (ids.length === 0) return new Map<number, string>()
  const r = await sql<{
    id: number
    name: string
  }>`select id, name from org_directory('', 100000) where id = any(${ids}::bigint[])`.execute(db)
  return new Map(r.rows.map((x) => [Number(x.id), x.name]))
}

// ── the operators' command line (cli.ts): as the owner connection, every account ──

/** Every account with its organization's name, for `users list`. */
export const listAll = (db: Kysely<DB>) =>
  db
    .selectFrom('app_user as u')
    .leftJoin('org as o', 'o.id', 'u.org_id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.roles', 'u.active', 'u.locked_until', 'u.last_login_at', 'o.name as org_name'])
    .orderBy('u.id')
    .execute()

/** Whether the database holds any account at all (the server creates the first administrator). */
export const anyAccount = async (db: Kysely<DB>) => !!(await db.selectFrom('app_user').select('id').limit(1).executeTakeFirst())

export const findIdByUsername = (db: Kysely<DB>, username: string) =>
  db.selectFrom('app_user').select('id').where('username', '=', username).executeTakeFirst()

/** An account's login failures and lock, by its name. */
export const findLoginState = (db: Kysely<DB>, username: string) =>
  db.selectFrom('app_user').select(['id', 'failed_logins', 'locked_until']).where('username', '=', username).executeTakeFirst()

/** Deletes every session of the account as the owner; the number deleted. */
export async function deleteSessions(db: Kysely<DB>, userId: number) {
  const r = await db.deleteFrom('app_session').where('user_id', '=', userId).executeTakeFirst()
  return Number(r.numDeletedRows)
}
