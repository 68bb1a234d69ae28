import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import type { Pii } from '../security/pii.js'
import type { Role } from '../../../common/codes.js'

export type Tx = Transaction<DB>

/** Who is calling. Business roles see the subtree at scopePath; the 三员 have no business scope. */
export interface Actor {
  id: number
  username: string
  displayName: string
  roles: Role[]
  orgId: number | null
  orgName: string | null
  scopePath: string | null
  csrfToken: string
  viaCookie: boolean
  /** the password was set by someone else (or is the first one): nothing but changing it is allowed */
  mustChangePassword?: boolean
}

export interface AuditEntry {
  action: string
  targetType?: string
  targetId?: string | number
  targetName?: string
  scopePath?: string | null
  detail?: Record<string, unknown>
}

/**
 * What a service gets: a transaction already restricted to the caller's jurisdiction,
 * the caller, and a place to record what it changed (written to the audit chain on commit).
 */
export interface Ctx {
  db: Tx
  actor: Actor
  pii: Pii
  ip: string
  audit(entry: AuditEntry): void
  /**
   * Recorded whatever becomes of the request: appended to the audit chain in a transaction of its
   * own after the request's has committed or rolled back (a refused lookup is still a lookup).
   */
  auditAlways(entry: AuditEntry): void
  /** A write that must hold whatever becomes of the request (a wrong one-time code counts as a try), run with the audit above. */
  always(write: (db: Tx) => Promise<unknown>): void
  today: string
}

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r))
}
