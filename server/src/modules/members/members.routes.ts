import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import {
  memberCreateBody,
  memberListQuery,
  memberRevealBody,
  memberStatusBody,
  memberSummaryQuery,
  memberUpdateBody,
} from '../../../../common/api-members.js'
import * as service from './members.service.js'
import { zId } from '../../../../common/api.js'
import * as R from '../../../../common/responses.js'

const params = z.object({ id: zId })
const tags = ['会员']

export const memberRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/members',
    {
      schema: {
        tags,
        summary: '会员名册（org 为子树；q 可为姓名、证件号、手机号、会员号）',
        querystring: memberListQuery,
        response: { 200: R.page(R.memberView) },
      },
    },
    (req) => service.list(req.ctx, req.query),
  )
  app.get(
    '/api/members/summary',
    {
      schema: {
        tags,
        summary: '会员名册的汇总：各会籍状态人数、实名制合格人数、新就业形态人数（org 为子树）',
        querystring: memberSummaryQuery,
        response: { 200: R.memberSummary },
      },
    },
    (req) => service.summary(req.ctx, req.query),
  )
  app.get('/api/members/:id', { schema: { tags, summary: '会员详情与会籍变化记录', params, response: { 200: R.memberDetail } } }, (req) =>
    service.get(req.ctx, req.params.id),
  )
  app.post(
    '/api/members',
    { schema: { tags, summary: '登记会员（已是他处会员时返回 409 member_elsewhere 与所在工会）', body: memberCreateBody } },
    async (req, reply) => {
      reply.status(201)
      return service.create(req.ctx, req.body)
    },
  )
  app.patch('/api/members/:id', { schema: { tags, summary: '修改会员信息', params, body: memberUpdateBody } }, (req) =>
    service.update(req.ctx, req.params.id, req.body),
  )
  app.post('/api/members/:id/status', { schema: { tags, summary: '保留、除名、退会或恢复会籍', params, body: memberStatusBody } }, (req) =>
    service.changeStatus(req.ctx, req.params.id, req.body),
  )
  app.post(
    '/api/members/:id/reveal',
    { schema: { tags, summary: '查看完整证件号码或手机号（留痕）', params, body: memberRevealBody } },
    (req) => service.reveal(req.ctx, req.params.id, req.body.field, req.body.reason),
  )
}
