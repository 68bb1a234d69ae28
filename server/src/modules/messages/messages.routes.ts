import type { FastifyContextConfig } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { messageListQuery, messageReadBody } from '../../../../common/messages.js'
import * as service from './messages.service.js'
import * as R from '../../../../common/responses.js'
import { declareRoutes } from '../../http/routes.js'

/** The same mailbox on both sides: a cadre's union's (/api/messages), a member's own (/api/my/messages). */
export const messageRoutes: FastifyPluginAsyncZod = async (app) => {
  const route = declareRoutes(app, { tags: ['消息'] })
  for (const [prefix, access] of [
    ['/api/messages', undefined],
    ['/api/my/messages', 'member'],
  ] as const) {
    const config: FastifyContextConfig = access ? { access } : {}
    const who = access ? '我的' : '本工会的'
    route.get(prefix, { summary: `${who}消息（新的在前）`, querystring: messageListQuery, response: R.messagePage, config }, (req) =>
      service.list(req.ctx, req.query),
    )
    route.get(`${prefix}/unread`, { summary: `${who}未读消息数`, response: R.unreadCount, config }, (req) => service.unread(req.ctx))
    route.post(`${prefix}/read`, { summary: `将${who}消息标为已读（不指定则全部）`, body: messageReadBody, config }, (req) =>
      service.markRead(req.ctx, req.body.ids),
    )
  }
}
