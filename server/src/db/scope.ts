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
  await sql`select set_config('app.scope', ${s.scope}, true), set_config('app.roles', ${s.roles}, true),
                   set_config('app.user_id', ${s.userId}, true), set_config('timezone', ${s.timeZone}, true),
                   set_config('app.member_id', ${s.memberId ?? ''}, true), set_config('app.member_path', ${s.memberPath ?? ''}, true),
                   set_config('app.phone_hash', ${s.phoneHash ?? ''}, true),
                   set_config('role', 'gonghui_app', true)`.execute(tx)
}
