import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { loginBody, passwordChangeBody, type LoginResponse } from '../../../../common/api.js'
import { SESSION_COOKIE } from '../../http/scope.js'
import { AppError } from '../../http/errors.js'
import { LOGIN_PER_ADDRESS, type AuthService } from './auth.service.js'
import * as users from '../users/users.service.js'
import * as R from '../../../../common/responses.js'
import { declareRoutes } from '../../http/routes.js'

const bearerOrCookie = (authorization: string | undefined, cookie: string | undefined) =>
  authorization && /^Bearer\s+/i.test(authorization) ? authorization.replace(/^Bearer\s+/i, '').trim() : cookie

export function authRoutes(auth: AuthService, opts: { secureCookie: boolean }): FastifyPluginAsyncZod {
  return async (app) => {
    const route = declareRoutes(app, { tags: ['登录'] })
    route.post(
      '/api/auth/login',
      {
        summary: '登录：返回 bearer token，并为浏览器设置会话 cookie',
        body: loginBody,
        access: 'public',
        config: {
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
    route.post(
      '/api/auth/logout',
      { summary: '退出登录', access: 'authenticated', config: { scoped: false, beforePasswordChange: true } },
      async (req, reply) => {
        const token = bearerOrCookie(req.headers.authorization, req.cookies[SESSION_COOKIE])
        if (token) await auth.logout(token, req.ip)
        reply.clearCookie(SESSION_COOKIE, { path: '/api' })
        return { ok: true }
      },
    )
    route.post(
      '/api/auth/password',
      {
        summary: '修改本人密码（首次登录或重置后必须先修改）；本账号的其他会话随之结束',
        body: passwordChangeBody,
        access: 'authenticated',
        config: { scoped: false, beforePasswordChange: true, rateLimit: { max: 10, timeWindow: 60_000, keyGenerator: (req) => req.ip } },
      },
      async (req) => {
        const token = bearerOrCookie(req.headers.authorization, req.cookies[SESSION_COOKIE])!
        await auth.changePassword({ id: req.actor!.id, token }, req.body.currentPassword, req.body.newPassword, req.ip)
        return { ok: true }
      },
    )
    route.get(
      '/api/auth/me',
      { summary: '当前账号与 CSRF 令牌', response: R.authMe, access: 'authenticated', config: { beforePasswordChange: true } },
      async (req) => ({
        user: await users.me(req.ctx),
        csrfToken: req.ctx.actor.csrfToken,
        scope: req.ctx.actor.orgId ? { orgId: req.ctx.actor.orgId, orgName: req.ctx.actor.orgName } : null,
      }),
    )
  }
}
