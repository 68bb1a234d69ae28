import crypto from 'node:crypto'
import argon2 from 'argon2'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import type { Actor } from '../../http/context.js'
import { AppError } from '../../http/errors.js'
import { appendAudit } from '../audit/audit.repository.js'
import type { AuthRepository } from './auth.repository.js'
import type { Role } from '../../../../common/codes.js'

export const MAX_FAILURES = 5
export const LOCK_MINUTES = 15

export const hashPassword = (password: string) => argon2.hash(password, { type: argon2.argon2id })
export const verifyPassword = (hash: string, password: string) => argon2.verify(hash, password).catch(() => false)
export const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('base64url')
export const newSecret = () => crypto.randomBytes(32).toString('base64url')

/** Passwords the system accepts: long enough and not all one kind of character. */
export function passwordProblem(pw: string): string | null {
  if (pw.length < 10) return '密码至少10位'
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(pw)).length
  if (kinds < 3) return '密码需包含大写字母、小写字母、数字、符号中的至少三类'
  return null
}

/** A password that satisfies passwordProblem, for the first administrator when none is given. */
export function generatePassword(): string {
  const raw = crypto.randomBytes(12).toString('base64url').replace(/[-_]/g, '')
  return `Gh-${raw.slice(0, 6)}${raw.slice(6, 12).toUpperCase()}7`
}

export function authService(deps: { repo: AuthRepository; owner: Kysely<DB>; idleMinutes: number }) {
  const { repo } = deps

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
      const user = await repo.findUserByName(username)
      // one message for unknown user and wrong password, so names cannot be probed
      const wrong = new AppError(401, 'bad_credentials', '用户名或密码错误')
      if (!user || !user.active) {
        await verifyPassword('$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG', password)
        await auditLogin({ id: user?.id ?? null, name: username }, ip, 'login.failed', { reason: user ? 'inactive' : 'unknown_user' })
        throw wrong
      }
      const refuseLocked = async (until: Date | null) => {
        await auditLogin({ id: user.id, name: username }, ip, 'login.locked', {})
        const minutes = until ? Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60000)) : LOCK_MINUTES
        return new AppError(423, 'locked', `连续登录失败次数过多，账号已锁定，请${minutes}分钟后再试`)
      }
      if (user.locked_until && user.locked_until > new Date()) throw await refuseLocked(user.locked_until)
      if (!(await verifyPassword(user.password_hash, password))) {
        const r = await repo.recordFailure(user.id, LOCK_MINUTES, MAX_FAILURES)
        await auditLogin({ id: user.id, name: username }, ip, 'login.failed', { reason: 'bad_password', failures: r.failed_logins })
        if (r.just_locked) {
          await auditLogin({ id: user.id, name: username }, ip, 'user.lock', {
            failures: r.failed_logins,
            lockedUntil: r.locked_until!.toISOString(),
          })
        }
        if (r.locked_until && r.locked_until > new Date()) {
          throw new AppError(423, 'locked', `连续${MAX_FAILURES}次登录失败，账号已锁定${LOCK_MINUTES}分钟`)
        }
        throw wrong
      }
      // the account may have been locked by guesses checked at the same time as this one
      if (!(await repo.recordSuccess(user.id))) throw await refuseLocked(null)
      const token = newSecret()
      const csrfToken = newSecret()
      await repo.createSession({ token_hash: hashToken(token), user_id: user.id, csrf_token: csrfToken, ip })
      await auditLogin({ id: user.id, name: username }, ip, 'login', {})
      return { token, csrfToken, userId: user.id }
    },

    async logout(token: string, ip: string) {
      const s = await repo.findSession(hashToken(token), deps.idleMinutes)
      await repo.deleteSession(hashToken(token))
      if (s) await auditLogin({ id: s.id, name: s.username }, ip, 'logout', {})
    },

    /** Deletes the sessions idle longer than the limit (they can no longer be used anyway). */
    async purgeIdle() {
      const r = await repo.purgeIdle(deps.idleMinutes)
      return Number(r[0]?.numDeletedRows ?? 0)
    },

    /** The actor behind a token, or null when the token is unknown, idle too long, or the account is off. */
    async authenticate(token: string, viaCookie: boolean): Promise<Actor | null> {
      const tokenHash = hashToken(token)
      const s = await repo.findSession(tokenHash, deps.idleMinutes)
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
      }
    },
  }
}
export type AuthService = ReturnType<typeof authService>
