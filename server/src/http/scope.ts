import type { Kysely } from 'kysely'
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import type { DB } from '../db/schema.js'
import { TIME_ZONE } from '../config.js'
import { localDate } from '../local-time.js'
import { enterPhoneScope, enterScope } from '../db/scope.js'
import type { Actor, AuditEntry, Ctx, Tx } from './context.js'
import { AppError, forbidden, unauthorized } from './errors.js'

export const passwordChangeRequired = () => new AppError(403, 'password_change_required', '初始密码或重置后的密码须先修改，请设置新密码')
import { appendAudit } from '../modules/audit/audit.repository.js'
import { memberTokenHash, phoneSession, type AuthService } from '../modules/auth/auth.service.js'
import type { MemberSessionRow } from '../modules/auth/auth.repository.js'
import { MEMBER_TOKEN_PREFIX } from '../modules/auth/tokens.js'
import type { Pii } from '../security/pii.js'
import { businessRoles, type Role } from '../../../common/codes.js'

/**
 * Who may call a route. Default (no config) is any business role; 'public' needs no login;
 * 'authenticated' any logged-in account; a list names the roles. On the phone (会员端): 'member'
 * a worker signed in by phone whose membership is on record, 'phone' anyone signed in by phone
 * (an applicant too). A phone route reads the phone's session (cookie gh_member or a bearer
 * token 'm.…'), every other route the account's: a cadre who is also a member has both, apart.
 */
export type Access = 'public' | 'authenticated' | 'member' | 'phone' | Role[]

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
    /** false for the few routes that manage sessions themselves (login, logout, health) */
    scoped?: boolean
    /** the database role an anonymous caller of a public route acts in, e.g. 'applicant' (may only add an application) */
    anonymousRole?: string
    /** callable while the account must still change its password (me, logout, the change itself) */
    beforePasswordChange?: boolean
  }
  interface FastifyRequest {
    actor: Actor | null
    /** a phone's token on a scoped phone route: its session is read with the scope (runInScope), not before */
    phoneToken: { token: string; viaCookie: boolean } | null
    ctx: Ctx
  }
}

export const SESSION_COOKIE = 'gh_session'
export const MEMBER_COOKIE = 'gh_member'
const isPhoneAccess = (a: Access | undefined) => a === 'member' || a === 'phone'

/** Dates ('today', a founding date in the future) are those of the users' day, not UTC's (config.ts reads it). */
export { TIME_ZONE }
export const todayIn = (tz: string) => localDate(new Date(), tz)
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

function tokenOf(req: FastifyRequest, phone: boolean): { token: string; viaCookie: boolean } | null {
  const h = req.headers.authorization
  if (h && /^Bearer\s+/i.test(h)) {
    const token = h.replace(/^Bearer\s+/i, '').trim()
    // a bearer token answers for the kind of session it is, never for the other
    return token.startsWith(MEMBER_TOKEN_PREFIX) === phone ? { token, viaCookie: false } : null
  }
  const c = req.cookies?.[phone ? MEMBER_COOKIE : SESSION_COOKIE]
  return c ? { token: c, viaCookie: true } : null
}

/** A write through a cookie must carry the session's CSRF token (public routes act on no session). */
function refuseForgery(req: FastifyRequest, actor: Actor | null) {
  const isPublic = req.routeOptions.config?.access === 'public'
  if (!isPublic && actor?.viaCookie && !SAFE_METHODS.has(req.method) && req.headers['x-csrf-token'] !== actor.csrfToken) {
    throw new AppError(403, 'csrf', '页面已过期，请刷新后重试（CSRF 校验失败）')
  }
}

function allowed(access: Access, actor: Actor | null): boolean {
  if (access === 'public') return true
  if (!actor) return false
  if (access === 'phone') return actor.member !== undefined
  if (access === 'member') return actor.member?.memberId != null
  if (actor.member) return false
  if (access === 'authenticated') return true
  return actor.roles.some((r) => (access as readonly string[]).includes(r))
}

/**
 * The one place jurisdiction is applied. Every /api route's handler is wrapped at registration:
 * it runs inside a transaction as the restricted role gonghui_app, with the caller's subtree in
 * app.scope, so row-level security filters every query the handler makes.
 * What the handler recorded with ctx.audit is appended to the audit chain before commit.
 */
export function installScope(app: FastifyInstance, deps: { db: Kysely<DB>; auth: AuthService; pii: Pii }) {
  app.decorateRequest('actor', null)
  app.decorateRequest('phoneToken', null)

  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api')) return
    const config = req.routeOptions.config
    const phone = isPhoneAccess(config?.access)
    const t = tokenOf(req, phone)
    if (t && phone && config?.scoped !== false) {
      // a phone's request: its session is read by the statement that opens the scope (runInScope),
      // one round trip fewer; who may call is decided there
      req.phoneToken = t
      return
    }
    req.actor = !t
      ? null
      : phone
        ? await deps.auth.authenticateMember(t.token, t.viaCookie)
        : await deps.auth.authenticate(t.token, t.viaCookie)
    refuseForgery(req, req.actor)
  })

  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith('/api')) return
    const access: Access = route.config?.access ?? [...businessRoles]
    const handler = route.handler
    // who may call is decided before the body is validated: a stranger learns nothing of the schema
    // (a phone's token is the exception: it is read with the scope, so a token that opens no session
    // is refused after the body's check; the schemas are public at /api/openapi.json anyway)
    const beforePasswordChange = route.config?.beforePasswordChange === true
    const guard = async (req: FastifyRequest) => {
      if (req.phoneToken) return // decided once the session is read (admit, below)
      if (!allowed(access, req.actor)) throw req.actor ? forbidden() : unauthorized()
      // a password set by someone else is good for one thing only: choosing one's own
      if (req.actor?.mustChangePassword && access !== 'public' && !beforePasswordChange) throw passwordChangeRequired()
    }
    route.onRequest = [...[route.onRequest ?? []].flat(), guard] as RouteOptions['onRequest']
    if (route.config?.scoped === false) {
      if (access !== 'public' && access !== 'authenticated' && access !== 'phone')
        throw new Error(`${route.url}: an unscoped route may only be public, authenticated or phone`)
      route.handler = async function unscoped(this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) {
        if (!allowed(access, req.actor)) throw unauthorized()
        return handler.call(this, req, reply)
      }
      return
    }
    route.handler = async function scoped(this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) {
      // a public route that acts for the anonymous (an applicant) does so even in a cadre's browser
      const anonymousRole = route.config?.anonymousRole
      const actor = anonymousRole ? null : req.actor
      const t = anonymousRole ? null : req.phoneToken
      const tokenHash = t ? memberTokenHash(t.token) : null
      const phone: PhoneCaller | undefined = t
        ? {
            tokenHash,
            viaCookie: t.viaCookie,
            admit: (a) => {
              req.actor = a
              refuseForgery(req, a)
              if (!allowed(access, a)) throw a ? forbidden() : unauthorized()
            },
            touch: () => deps.auth.touchMemberSession(tokenHash!),
          }
        : undefined
      return runInScope(
        deps.db,
        deps.pii,
        actor,
        req.ip,
        async (ctx) => {
          req.ctx = ctx
          const result = await handler.call(this, req, reply)
          // the reply goes out after the commit: a handler that sent it itself would answer before
          // knowing whether its writes hold
          if (reply.sent) throw new Error(`${route.method} ${route.url}: return the result instead of calling reply.send()`)
          return result
        },
        anonymousRole,
        phone,
      )
    }
  })
}

/**
 * A phone's caller whose session is read by the statement that opens the scope (db/scope.ts
 * enterPhoneScope): its token's key (null: not a phone's token, no session); `admit` is told the
 * actor the session stands for (null: none) and throws when that caller may not call; `touch`
 * slides the session's expiry, after the request, when it is due.
 */
export interface PhoneCaller {
  tokenHash: string | null
  viaCookie: boolean
  admit(actor: Actor | null): void
  touch(): Promise<void>
}

/**
 * Runs fn inside a transaction restricted to the actor's jurisdiction (see installScope);
 * also used by the command line and the demo loader, so they obey the same rules as the API.
 */
export async function runInScope<T>(
  db: Kysely<DB>,
  pii: Pii,
  actor: Actor | null,
  ip: string,
  fn: (ctx: Ctx) => Promise<T>,
  anonymousRole?: string,
  phone?: PhoneCaller,
): Promise<T> {
  const entries: AuditEntry[] = []
  const always: AuditEntry[] = []
  const writes: ((db: Tx) => Promise<unknown>)[] = []
  // a phone's actor is known once its session is read, in the transaction
  let stale = false
  // a member's acts go to the chain of the member's city
  const chain = () => {
    const root = (actor?.scopePath ?? actor?.member?.orgPath)?.split('/')[1]
    return root ? `org:${root}` : 'system'
  }
  const who = () => ({ id: actor?.member ? null : (actor?.id ?? null), name: actor?.username ?? null, ip })
  let result: T
  try {
    result = await inTransaction()
  } finally {
    // after the request's transaction, committed or rolled back: what must be known either way
    if (always.length > 0 || writes.length > 0)
      await db.transaction().execute(async (tx) => {
        for (const w of writes) await w(tx)
        if (always.length > 0) await appendAudit(tx, chain(), who(), always)
      })
    if (stale) await phone!.touch()
  }
  return result

  function inTransaction() {
    return db.transaction().execute(async (tx) => {
      // one round trip with the begin (db/client.ts): the scope, the calendar, and the role every
      // policy applies to (SET LOCAL ROLE); for a phone, its session read by the same statement
      if (phone) {
        // a token that is not a phone's finds no session ('' is no token's key): the scope is nobody's
        const row = await enterPhoneScope<MemberSessionRow>(tx, phone.tokenHash ?? '', TIME_ZONE)
        const s = row ? phoneSession(row, phone.viaCookie) : null
        actor = s?.actor ?? null
        stale = s?.stale ?? false
        phone.admit(actor)
      } else {
        const business = actor && actor.roles.some((r) => (businessRoles as readonly string[]).includes(r))
        const member = actor?.member
        await enterScope(tx, {
          scope: business && actor!.scopePath ? actor!.scopePath : '',
          roles: actor?.roles.join(',') ?? anonymousRole ?? '',
          userId: actor && !member ? String(actor.id) : '',
          timeZone: TIME_ZONE,
          memberId: member?.memberId != null ? String(member.memberId) : '',
          memberPath: member?.orgPath ?? '',
          phoneHash: member?.phoneHash ?? '',
        })
      }
      const ctx: Ctx = {
        db: tx,
        actor: actor as Actor,
        pii,
        ip,
        today: todayIn(TIME_ZONE),
        audit: (e) => entries.push(e),
        auditAlways: (e) => always.push(e),
        always: (w) => writes.push(w),
      }
      const result = await fn(ctx)
      if (entries.length > 0) await appendAudit(tx, chain(), who(), entries)
      return result
    })
  }
}

/** Who acts when the server acts on its own (no request): recorded on the chain as 'system'. */
const SYSTEM: Actor = {
  id: 0,
  username: 'system',
  displayName: '系统',
  roles: [],
  orgId: null,
  orgName: null,
  scopePath: null,
  csrfToken: '',
  viaCookie: false,
}

/**
 * What the server does on its own, not for a caller (telling what a notification it listens for
 * announces, main.ts): one transaction as the owner, past row-level security as the command line
 * is; what it records goes to the chain of the city each entry concerns, as 'system'.
 */
export async function runAsSystem<T>(db: Kysely<DB>, pii: Pii, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (tx) => {
    const entries: AuditEntry[] = []
    const ctx: Ctx = {
      db: tx,
      actor: SYSTEM,
      pii,
      ip: '',
      today: todayIn(TIME_ZONE),
      audit: (e) => entries.push(e),
      auditAlways: (e) => entries.push(e),
      always: () => {
        throw new Error('runAsSystem: nothing outlives its own transaction here')
      },
    }
    const result = await fn(ctx)
    const byChain = new Map<string, AuditEntry[]>()
    for (const e of entries) {
      const chain = e.scopePath ? `org:${e.scopePath.split('/')[1]}` : 'system'
      byChain.set(chain, [...(byChain.get(chain) ?? []), e])
    }
    for (const [chain, list] of byChain) await appendAudit(tx, chain, { id: null, name: 'system', ip: null }, list)
    return result
  })
}
