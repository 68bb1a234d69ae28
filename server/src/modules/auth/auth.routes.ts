import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { loginBody, passwordChangeBody, type LoginResponse } from '../../../../common/api.js'
import { SESSION_COOKIE } from '../../http/scope.js'
import { AppError } from '../../http/errors.js'
import { LOGIN_PER_ADDRESS, type AuthService } from './auth.service.js'
import * as users from '../users/users.service.js'
import * as R from '../../../../common/responses.js'

const tags = ['登录']

const bearerOrCookie = (authorization: string | undefined, cookie: string | undefined) =>
  authorization && /^Bearer\s+/i.test(authorization) ? authorization.replace(/^Bearer\s+/i, '').trim() : cookie

export function authRoutes(auth: AuthService, opts: { secureCookie: boolean }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/auth/login',
      {
        config: {
          access: 'public',
          scoped: false,
          // every login request of one address counts, whatever its outcome (see auth.service.ts)
          rateLimit: {
            max: LOGIN_PER_ADDRESS,
            timeWindow: 60_000,
            keyGenerator: (req) => req.ip,
            errorResponseBuilder: (_req, c) =>
              new AppError(429, 'throttled', `登录请求过于频繁，请${Math.max(1, Math.ceil(c.ttl / 1000))}秒后再试`),
          },
        },
        schema: { tags, summary: '登录：返回 bearer token，并为浏览器设置会话 cookie', body: loginBody },
      },
      async (req, reply) => {
        const { token, csrfToken, mustChangePassword } = await auth.login(req.body.username, req.body.password, req.ip)
        const actor = await auth.authenticate(token, false)
        reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/api', secure: opts.secureCookie })
        const body: LoginResponse = {
          token,
          csrfToken,
          mustChangePassword,
          user: {
            id: actor!.id,
            username: actor!.username,
            displayName: actor!.displayName,
            roles: actor!.roles,
            orgId: actor!.orgId,
            orgName: actor!.orgName,
            active: true,
            lockedUntil: null,
            lastLoginAt: new Date().toISOString(),
            mustChangePassword,
          },
        }
        return body
      },
    )
    app.post(
      '/api/auth/logout',
      { config: { access: 'authenticated', scoped: false, beforePasswordChange: true }, schema: { tags, summary: '退出登录' } },
      async (req, reply) => {
        const token = bearerOrCookie(req.headers.authorization, req.cookies[SESSION_COOKIE])
        if (token) await auth.logout(token, req.ip)
        reply.clearCookie(SESSION_COOKIE, { path: '/api' })
        return { ok: true }
      },
    )
    app.post(
      '/api/auth/password',
      {
        config: {
          access: 'authenticated',
          scoped: false,
          beforePasswordChange: true,
          rateLimit: { max: 10, timeWindow: 60_000, keyGenerator: (req) => req.ip },
        },
        schema: { tags, summary: '修改本人密码（首次登录或重置后必须先修改）；本账号的其他会话随之结束', body: passwordChangeBody },
      },
      async (req) => {
        const token = bearerOrCookie(req.headers.authorization, req.cookies[SESSION_COOKIE])!
        await auth.changePassword({ id: req.actor!.id, token }, req.body.currentPassword, req.body.newPassword, req.ip)
        return { ok: true }
      },
    )
    app.get(
      '/api/auth/me',
      {
        config: { access: 'authenticated', beforePasswordChange: true },
        schema: { tags, summary: '当前账号与 CSRF 令牌', response: { 200: R.authMe } },
      },
      async (req) => ({
        user: await users.me(req.ctx),
        csrfToken: req.ctx.actor.csrfToken,
        scope: req.ctx.actor.orgId ? { orgId: req.ctx.actor.orgId, orgName: req.ctx.actor.orgName } : null,
      }),
    )
  }
}
