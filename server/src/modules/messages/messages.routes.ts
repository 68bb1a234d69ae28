import type { FastifyContextConfig } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { messageListQuery, messageReadBody } from '../../../../common/messages.js'
import * as service from './messages.service.js'
import * as R from '../../../../common/responses.js'

const tags = ['消息']

/** The same mailbox on both sides: a cadre's union's (/api/messages), a member's own (/api/my/messages). */
export const messageRoutes: FastifyPluginAsyncZod = async (app) => {
  for (const [prefix, access] of [
    ['/api/messages', undefined],
    ['/api/my/messages', 'member'],
  ] as const) {
    const config: FastifyContextConfig = access ? { access } : {}
    const who = access ? '我的' : '本工会的'
    app.get(
      prefix,
      { config, schema: { tags, summary: `${who}消息（新的在前）`, querystring: messageListQuery, response: { 200: R.messagePage } } },
      (req) => service.list(req.ctx, req.query),
    )
    app.get(`${prefix}/unread`, { config, schema: { tags, summary: `${who}未读消息数`, response: { 200: R.unreadCount } } }, (req) =>
      service.unread(req.ctx),
    )
    app.post(
      `${prefix}/read`,
      { config, schema: { tags, summary: `将${who}消息标为已读（不指定则全部）`, body: messageReadBody } },
      (req) => service.markRead(req.ctx, req.body.ids),
    )
  }
}
