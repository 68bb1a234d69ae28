import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { loginBody, type LoginResponse } from '../../../../common/api.js'
import { SESSION_COOKIE } from '../../http/scope.js'
import type { AuthService } from './auth.service.js'
import * as users from '../users/users.service.js'

const tags = ['登录']

export function authRoutes(auth: AuthService, opts: { secureCookie: boolean }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/api/auth/login',
      {
        config: { access: 'public', scoped: false },
        schema: { tags, summary: '登录：返回 bearer token，并为浏览器设置会话 cookie', body: loginBody },
      },
      async (req, reply) => {
        const { token, csrfToken } = await auth.login(req.body.username, req.body.password, req.ip)
        const actor = await auth.authenticate(token, false)
        reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/api', secure: opts.secureCookie })
        const body: LoginResponse = {
          token,
          csrfToken,
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
          },
        }
        return body
      },
    )
    app.post(
      '/api/auth/logout',
      { config: { access: 'authenticated', scoped: false }, schema: { tags, summary: '退出登录' } },
      async (req, reply) => {
        const h = req.headers.authorization
        const token = h && /^Bearer\s+/i.test(h) ? h.replace(/^Bearer\s+/i, '') : req.cookies[SESSION_COOKIE]
        if (token) await auth.logout(token, req.ip)
        reply.clearCookie(SESSION_COOKIE, { path: '/api' })
        return { ok: true }
      },
    )
    app.get('/api/auth/me', { config: { access: 'authenticated' }, schema: { tags, summary: '当前账号与 CSRF 令牌' } }, async (req) => ({
      user: await users.me(req.ctx),
      csrfToken: req.ctx.actor.csrfToken,
      scope: req.ctx.actor.orgId ? { orgId: req.ctx.actor.orgId, orgName: req.ctx.actor.orgName } : null,
    }))
  }
}
