import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { Actor } from '../../http/context.js'
import { AppError } from '../../http/errors.js'
import { hashToken, MEMBER_TOKEN_PREFIX, newSecret } from './tokens.js'
import { appendAudit } from '../audit/audit.repository.js'
import { authRepository, type AuthRepository, type MemberSessionRow } from './auth.repository.js'
import { hashPassword, passwordProblem, verifyPassword } from './passwords.js'
import type { Role } from '../../../../common/codes.js'

/** The key a phone's token is kept under, or null when the token is not a phone's. */
export const memberTokenHash = (token: string) => (token.startsWith(MEMBER_TOKEN_PREFIX) ? hashToken(token) : null)

/**
 * The caller a live phone session stands for (found by authenticateMember, or by the statement that
 * opens a request's scope, db/scope.ts): a member when one is on record, a phone alone otherwise;
 * `stale` when it was last seen over a minute ago (the sliding expiry skips the write within the minute).
 */
export function phoneSession(s: MemberSessionRow, viaCookie: boolean): { actor: Actor; stale: boolean } {
  const memberId = s.member_id === null ? null : Number(s.member_id)
  const actor: Actor = {
    id: 0,
    username: memberId ? `会员#${memberId}` : '手机用户',
    displayName: s.name ?? '',
    roles: [memberId ? 'member' : 'phone'],
    orgId: s.union_id === null ? null : Number(s.union_id),
    orgName: s.org_name,
    scopePath: null,
    csrfToken: s.csrf_token,
    viaCookie,
    member: {
      phoneHash: s.phone_hash,
      memberId,
      unionId: s.union_id === null ? null : Number(s.union_id),
      orgPath: s.org_path ?? '',
      name: s.name,
    },
  }
  return { actor, stale: Date.now() - new Date(s.last_seen_at).getTime() > 60_000 }
}

/**
 * Login throttling. Nothing here locks an account for everyone, so a stranger cannot lock anyone
 * out (the 三员 included); guessing is slowed where it comes from instead:
 *
 * - per address (the route's @fastify/rate-limit, keyed by IP): at most LOGIN_PER_ADDRESS login
 *   requests a minute, whatever the outcome — 200 guesses from one address are answered 429 and
 *   cost no argon2 time, so they do not slow everyone else down;
 * - per address, failures: after ADDRESS_FAILURES failed logins from one address (any names,
 *   known or not) within THROTTLE_MINUTES, that address is refused until the window ends;
 * - per account, strangers: attempts on a user name from addresses the account has never logged
 *   in from are counted together, STRANGER_ATTEMPTS per THROTTLE_MINUTES; beyond that strangers
 *   are refused (429) — the correct password too, so a distributed guesser gets at most that many
 *   tries per window. The owner, from an address the account has logged in from, does not count
 *   against it and is not refused: the guesses cannot lock the owner out.
 * - per account and familiar address, failures: FAMILIAR_FAILURES wrong passwords from such an
 *   address within the window refuse further tries from it (someone at the owner's own desk).
 *
 * The throttles key on the user name as typed, never on whether it exists, and an unknown name
 * runs argon2 against a dummy hash of the same cost: known and unknown names answer the same, in
 * the same time. Counters live in the process (@fastify/rate-limit's store) and lift themselves at
 * the end of the window. An owner who is away from every familiar address while the account is
 * attacked waits for the window to end (or asks an operator to reset the password).
 */
export const THROTTLE_MINUTES = 15
export const LOGIN_PER_ADDRESS = 30
export const ADDRESS_FAILURES = 20
export const STRANGER_ATTEMPTS = 5
export const FAMILIAR_FAILURES = 5

// the passwords themselves (hashing, generating, the policy) are in passwords.ts, also used by the users module
export { generatePassword, hashPassword, passwordProblem, verifyPassword } from './passwords.js'
export { hashToken, newSecret, MEMBER_SESSION_DAYS } from './tokens.js'

/** A real argon2id hash of a random secret, same parameters as every account's, for unknown names. */
let dummy: Promise<string> | null = null
export const dummyHash = () => (dummy ??= hashPassword(newSecret()))

export interface ThrottleVerdict {
  /** at or over the limit (peek), or over it with this attempt counted (hit) */
  refused: boolean
  retryAfterSeconds: number
}
/** A counter per key over a window (the server builds them with @fastify/rate-limit). */
export interface Throttle {
  /** counts one and answers whether that one went over the limit */
  hit(key: string): Promise<ThrottleVerdict>
  /** answers whether the limit is reached, counting nothing */
  peek(key: string): Promise<ThrottleVerdict>
}
export interface LoginThrottles {
  addressFailures: Throttle
  strangers: Throttle
  familiarFailures: Throttle
}

/** Throttles that never refuse (command line, scripts). */
const open: Throttle = {
  hit: async () => ({ refused: false, retryAfterSeconds: 0 }),
  peek: async () => ({ refused: false, retryAfterSeconds: 0 }),
}
export const noThrottles: LoginThrottles = { addressFailures: open, strangers: open, familiarFailures: open }

const throttled = (seconds: number) =>
  new AppError(429, 'throttled', `登录尝试过于频繁，请${Math.max(1, Math.ceil(seconds / 60))}分钟后再试`)

export function authService(deps: {
  repo: AuthRepository
  owner: Kysely<DB>
  idleMinutes: number
  maxHours: number
  throttles?: LoginThrottles
}) {
  const { repo } = deps
  const t = deps.throttles ?? noThrottles

  async function auditLogin(user: { id: number | null; name: string }, ip: string, action: string, detail: Record<string, unknown>) {
    await deps.owner
      .transaction()
      .execute((tx) =>
        appendAudit(tx, 'system', { id: user.id, name: user.name, ip }, [
          { action, targetType: 'user', targetId: user.id ?? undefined, targetName: user.name, detail },
        ]),
      )
  }

  return {
    async login(username: string, password: string, ip: string) {
      const name = username.trim().toLowerCase()
      const user = await repo.findUserByName(username)
      // the same query for an unknown name (id 0 has no addresses)
      const familiar = await repo.isFamiliarAddress(user?.id ?? 0, ip)
      const who = { id: user?.id ?? null, name: username }
      const refuse = async (reason: string, v: ThrottleVerdict) => {
        await auditLogin(who, ip, 'login.throttled', { reason })
        return throttled(v.retryAfterSeconds)
      }
      const byAddress = await t.addressFailures.peek(ip)
      if (byAddress.refused) throw await refuse('address', byAddress)
      const pairKey = `${name}\u0000${ip}`
      if (familiar) {
        const v = await t.familiarFailures.peek(pairKey)
        if (v.refused) throw await refuse('familiar_address', v)
      } else {
        // counted before the password is checked, so concurrent guesses cannot slip past the limit
        const v = await t.strangers.hit(name)
        if (v.refused) throw await refuse('account', v)
      }
      // one answer for unknown user, switched-off account and wrong password, in the same time
      const ok = (await verifyPassword(user?.password_hash ?? (await dummyHash()), password)) && user !== undefined && user.active
      if (!ok) {
        await t.addressFailures.hit(ip)
        if (familiar) await t.familiarFailures.hit(pairKey)
        await auditLogin(who, ip, 'login.failed', { reason: !user ? 'unknown_user' : !user.active ? 'inactive' : 'bad_password' })
        throw new AppError(401, 'bad_credentials', '用户名或密码错误')
      }
      await repo.recordSuccess(user.id)
      await repo.rememberAddress(user.id, ip)
      const token = newSecret()
      const csrfToken = newSecret()
      await repo.createSession({ token_hash: hashToken(token), user_id: user.id, csrf_token: csrfToken, ip })
      await auditLogin({ id: user.id, name: user.username }, ip, 'login', user.must_change_password ? { mustChangePassword: true } : {})
      return { token, csrfToken, userId: user.id, mustChangePassword: user.must_change_password }
    },

    /**
     * The owner changes the password: the current one is checked, the new one must satisfy the
     * policy and differ from it. The must-change mark goes, the owner's other sessions end.
     */
    async changePassword(actor: { id: number; token: string }, current: string, next: string, ip: string) {
      const user = await repo.findUserById(actor.id)
      if (!user) throw new AppError(401, 'unauthorized', '请先登录')
      const pairKey = `${user.username.toLowerCase()}\u0000password-change`
      const v = await t.familiarFailures.peek(pairKey)
      if (v.refused)
        throw new AppError(429, 'throttled', `原密码错误次数过多，请${Math.max(1, Math.ceil(v.retryAfterSeconds / 60))}分钟后再试`)
      if (!(await verifyPassword(user.password_hash, current))) {
        await t.familiarFailures.hit(pairKey)
        await auditLogin({ id: user.id, name: user.username }, ip, 'user.password.failed', {})
        throw new AppError(400, 'invalid', '原密码：原密码不正确', { currentPassword: '原密码不正确' })
      }
      const problem = passwordProblem(next, { username: user.username, displayName: user.display_name })
      if (problem) throw new AppError(400, 'invalid', `新密码：${problem}`, { newPassword: problem })
      if (next === current) throw new AppError(400, 'invalid', '新密码：不能与原密码相同', { newPassword: '不能与原密码相同' })
      const hash = await hashPassword(next)
      await deps.owner.transaction().execute(async (tx) => {
        const r = authRepository(tx)
        await r.setOwnPassword(user.id, hash)
        const ended = await r.deleteOtherSessions(user.id, hashToken(actor.token))
        await appendAudit(tx, 'system', { id: user.id, name: user.username, ip }, [
          {
            action: 'user.password',
            targetType: 'user',
            targetId: user.id,
            targetName: user.username,
            detail: { wasRequired: user.must_change_password, otherSessionsEnded: Number(ended[0]?.numDeletedRows ?? 0) },
          },
        ])
      })
    },

    async logout(token: string, ip: string) {
      const s = await repo.findSession(hashToken(token), deps.idleMinutes, deps.maxHours)
      await repo.deleteSession(hashToken(token))
      if (s) await auditLogin({ id: s.id, name: s.username }, ip, 'logout', {})
    },

    /** Deletes the sessions idle longer than the limit or older than the absolute one (they can no longer be used anyway). */
    async purgeIdle() {
      const r = await repo.purgeIdle(deps.idleMinutes, deps.maxHours)
      await repo.purgeMemberSessions()
      return Number(r[0]?.numDeletedRows ?? 0)
    },

    async endMemberSession(token: string, ip: string) {
      const ended = await repo.revokeMemberSession(hashToken(token))
      if (ended?.member_id) await auditLogin({ id: null, name: `会员#${ended.member_id}` }, ip, 'member.sign_out', {})
    },

    /** Ends every phone session of a member (a cadre's act, e.g. a lost phone). */
    endMemberSessions: (memberId: number) => repo.revokeMemberSessions(memberId),

    /** The signed-in phone behind a token: a member (roles ['member']) or a phone alone (['phone']); null when unknown, expired or revoked. */
    async authenticateMember(token: string, viaCookie: boolean): Promise<Actor | null> {
      const tokenHash = memberTokenHash(token)
      const s = tokenHash ? await repo.findMemberSession(tokenHash) : undefined
      if (!s) return null
      const { actor, stale } = phoneSession(s, viaCookie)
      if (stale) await repo.touchMemberSession(tokenHash!)
      return actor
    },

    /** Sliding expiry of a phone session read with a request's scope (http/scope.ts), when phoneSession says it is due. */
    touchMemberSession: (tokenHash: string) => repo.touchMemberSession(tokenHash).then(() => undefined),

    /** The actor behind a token, or null when the token is unknown, idle or old too long, or the account is off. */
    async authenticate(token: string, viaCookie: boolean): Promise<Actor | null> {
      const tokenHash = hashToken(token)
      const s = await repo.findSession(tokenHash, deps.idleMinutes, deps.maxHours)
      if (!s || !s.active) return null
      // sliding expiry; skip the write when the session was touched within the last minute
      if (Date.now() - new Date(s.last_seen_at).getTime() > 60_000) await repo.touchSession(tokenHash)
      return {
        id: s.id,
        username: s.username,
        displayName: s.display_name,
        roles: s.roles as Role[],
        orgId: s.org_id,
        orgName: s.org_name,
        scopePath: s.org_path,
        csrfToken: s.csrf_token,
        viaCookie,
        mustChangePassword: s.must_change_password,
      }
    },
  }
}
export type AuthService = ReturnType<typeof authService>
