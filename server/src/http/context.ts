import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import type { Pii } from '../security/pii.js'
import type { Role } from '../../../common/codes.js'

export type Tx = Transaction<DB>

/** A worker signed in on the phone (会员端): by a proven mobile number, a member when one is on record. */
export interface PhoneActor {
  /** keyed hash of the proven mobile number (an applicant's own applications are found by it) */
  phoneHash: string
  memberId: number | null
  unionId: number | null
  /** path of the member's union ('' for an applicant without membership) */
  orgPath: string
  name: string | null
}

/** The roles of a caller: an account's (三员, business) or a phone sign-in's. */
export type ActorRole = Role | 'member' | 'phone'

/**
 * Who is calling. Business roles see the subtree at scopePath; the 三员 have no business scope;
 * a member (roles ['member'], or ['phone'] without membership) has no scope either and reads
 * what is published to them (member_sees, 0019). `member` is set for phone sign-ins only.
 */
export interface Actor {
  id: number
  username: string
  displayName: string
  roles: ActorRole[]
  orgId: number | null
  orgName: string | null
  scopePath: string | null
  csrfToken: string
  viaCookie: boolean
  /** the password was set by someone else (or is the first one): nothing but changing it is allowed */
  mustChangePassword?: boolean
  member?: PhoneActor
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

export function hasRole(actor: Actor, ...roles: ActorRole[]): boolean {
  return actor.roles.some((r) => roles.includes(r))
}
