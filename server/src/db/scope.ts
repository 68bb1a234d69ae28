import { sql, type Transaction } from 'kysely'
import type { DB } from './schema.js'

/**
 * Makes the transaction act in a caller's jurisdiction (http/scope.ts), in one round trip: the
 * scope and roles every row-level policy reads (0001_foundation.sql), the user, the calendar, and
 * the role every policy applies to (SET LOCAL ROLE gonghui_app). Until the transaction ends.
 */
export async function enterScope(
  tx: Transaction<DB>,
  s: { scope: string; roles: string; userId: string; timeZone: string; memberId?: string; memberPath?: string; phoneHash?: string },
) {
  // literals, not parameters: a statement without parameters carries the transaction's begin along
  // (db/client.ts), so the request starts in one round trip; the values are the server's own
  // (paths, role names, ids, a hash, the configured zone), and sql.lit quotes them
  const v = (x: string | undefined) => sql.lit(x ?? '')
  await sql`select set_config('app.scope', ${v(s.scope)}, true), set_config('app.roles', ${v(s.roles)}, true),
                   set_config('app.user_id', ${v(s.userId)}, true), set_config('timezone', ${v(s.timeZone)}, true),
                   set_config('app.member_id', ${v(s.memberId)}, true), set_config('app.member_path', ${v(s.memberPath)}, true),
                   set_config('app.phone_hash', ${v(s.phoneHash)}, true),
                   set_config('role', 'gonghui_app', true)`.execute(tx)
}

/**
 * Opens a phone's request: enterScope's settings, with the phone's session read by the same
 * statement (member_session_of, 0029), so the begin, the session and the scope are one round trip.
 * The scope is the session's: a member's (roles 'member') or a phone's alone ('phone'); without a
 * live session, nobody's (no roles). The role is taken either way. Returns the session's row
 * (member_session_of's columns), undefined when there is none.
 */
export async function enterPhoneScope<Row extends { phone_hash: string | null }>(
  tx: Transaction<DB>,
  tokenHash: string,
  timeZone: string,
): Promise<Row | undefined> {
  // the session is read (FROM: member_session_of returns one row, of nulls when there is no live
  // session) before the settings are made (the select list), the role last
  const r = await sql<Row>`select s.*, set_config('app.scope', '', true),
                   set_config('app.roles', case when s.phone_hash is null then '' when s.member_id is null then 'phone' else 'member' end, true),
                   set_config('app.user_id', '', true), set_config('timezone', ${sql.lit(timeZone)}, true),
                   set_config('app.member_id', coalesce(s.member_id::text, ''), true),
                   set_config('app.member_path', coalesce(s.org_path, ''), true),
                   set_config('app.phone_hash', coalesce(s.phone_hash, ''), true),
                   set_config('role', 'gonghui_app', true)
              from member_session_of(${sql.lit(tokenHash)}) s`.execute(tx)
  if (r.rows.length !== 1) throw new Error('enterPhoneScope: member_session_of must return one row')
  const row = r.rows[0]
  return row?.phone_hash ? row : undefined
}
