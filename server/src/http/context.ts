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

/** An account as an actor outside any session (the command line, the demo, the tests): no CSRF token, no cookie. */
export function accountActor(u: {
  id: number
  username: string
  display_name: string
  roles: string[]
  org_id: number | null
  name: string | null
  path: string | null
}): Actor {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    roles: u.roles as Actor['roles'],
    orgId: u.org_id,
    orgName: u.name,
    scopePath: u.path,
    csrfToken: '',
    viaCookie: false,
  }
}

/** The command line acting as an organization's own cadre with these roles: its subtree, nothing else. */
export const cliActor = (roles: Role[], org: { id: number; name: string; path: string }): Actor =>
  accountActor({ id: 0, username: 'cli', display_name: '命令行', roles, org_id: org.id, name: org.name, path: org.path })
