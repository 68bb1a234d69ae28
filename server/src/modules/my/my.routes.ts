import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { myTransferBody, myTransferTargetsQuery, signInBody, signInCodeBody, type SignInAnswer } from '../../../../common/api-my.js'
import { memberSettingsBody } from '../../../../common/messages.js'
import { MEMBER_COOKIE } from '../../http/scope.js'
import type { AuthService } from '../auth/auth.service.js'
import * as service from './my.service.js'
import * as R from '../../../../common/responses.js'
import { declareRoutes, idParams, perAddress, publicConfig, smsCodeLimit } from '../../http/routes.js'

const MEMBER_SESSION_SECONDS = 30 * 24 * 3600

const bearerOrCookie = (authorization: string | undefined, cookie: string | undefined) =>
  authorization && /^Bearer\s+/i.test(authorization) ? authorization.replace(/^Bearer\s+/i, '').trim() : cookie

/** 会员端: sign-in on the phone (public), then the member's own pages (access 'phone' / 'member'). */
export function myRoutes(auth: AuthService, opts: { secureCookie: boolean }): FastifyPluginAsyncZod {
  return async (app) => {
    const route = declareRoutes(app, { tags: ['会员端'] })
    route.post(
      '/api/public/sign-in/code',
      {
        summary: '会员登录：获取短信验证码（发送至所填手机号；不透露该号码是否登记）',
        body: signInCodeBody,
        config: {
          ...publicConfig,
          rateLimit: smsCodeLimit(),
        },
      },
      (req) => service.requestCode(req.ctx, req.body),
    )
    route.post(
      '/api/public/sign-in',
      {
        summary: '会员登录：手机号与短信验证码；会话30天，可随时退出',
        body: signInBody,
        config: { ...publicConfig, rateLimit: { max: 30, timeWindow: 60_000, keyGenerator: (req) => req.ip } },
      },
      async (req, reply) => {
        const s = await service.signIn(req.ctx, req.body)
        reply.setCookie(MEMBER_COOKIE, s.token, {
          httpOnly: true,
          sameSite: 'strict',
          path: '/api',
          secure: opts.secureCookie,
          maxAge: MEMBER_SESSION_SECONDS,
        })
        const body: SignInAnswer = s
        return body
      },
    )
    route.post(
      '/api/my/sign-out',
      { summary: '退出会员登录（本设备）', access: 'phone', config: { scoped: false } },
      async (req, reply) => {
        const token = bearerOrCookie(req.headers.authorization, req.cookies[MEMBER_COOKIE])
        if (token) await auth.endMemberSession(token, req.ip)
        reply.clearCookie(MEMBER_COOKIE, { path: '/api' })
        return { ok: true }
      },
    )
    route.get('/api/my/session', { summary: '当前会员登录与 CSRF 令牌、未读消息数', response: R.mySession, access: 'phone' }, (req) =>
      service.session(req.ctx),
    )
    route.get(
      '/api/my/home',
      { summary: '我的：电子会员卡、所在工会与联系人、我的入会申请与接转、未读消息数', response: R.myHome, access: 'phone' },
      (req) => service.home(req.ctx),
    )
    // ── 申请转会: the member's own transfer request ──
    route.get(
      '/api/my/transfer-targets',
      {
        summary: '申请转会：按名称查找新的工作单位（至少2个字，最多10家），及转会将转入的工会',
        querystring: myTransferTargetsQuery,
        response: z.array(R.myTransferTarget),
        access: 'member',
        config: {
          // the register is not to be listed: as the public workplace search, per address
          rateLimit: perAddress(30, 60_000, '查询过于频繁，请稍后再试'),
        },
      },
      (req) => service.transferTargets(req.ctx, req.query.q),
    )
    route.post(
      '/api/my/transfers',
      { summary: '申请转会：将本人会籍转入新工作单位的工会（由转入工会接收或退回）', body: myTransferBody, access: 'member', status: 201 },
      (req) => service.requestTransfer(req.ctx, req.body),
    )
    route.post('/api/my/transfers/:id/cancel', { summary: '撤回本人尚未办结的转会申请', params: idParams, access: 'member' }, (req) =>
      service.cancelTransfer(req.ctx, req.params.id),
    )
    route.patch('/api/my/settings', { summary: '我的设置：是否接收短信通知', body: memberSettingsBody, access: 'member' }, (req) =>
      service.settings(req.ctx, req.body),
    )
  }
}
