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
