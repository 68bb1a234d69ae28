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
import * as R from '../../../../common/responses.js'
import { declareRoutes, idParams } from '../../http/routes.js'

export const memberRoutes: FastifyPluginAsyncZod = async (app) => {
  const route = declareRoutes(app, { tags: ['会员'] })
  route.get(
    '/api/members',
    { summary: '会员名册（org 为子树；q 可为姓名、证件号、手机号、会员号）', querystring: memberListQuery, response: R.page(R.memberView) },
    (req) => service.list(req.ctx, req.query),
  )
  route.get(
    '/api/members/summary',
    {
      summary: '会员名册的汇总（取自统计台账，与指标看板一致）：各会籍状态人数；在册会员中实名制合格人数、新就业形态人数（org 为子树）',
      querystring: memberSummaryQuery,
      response: R.memberSummary,
    },
    (req) => service.summary(req.ctx, req.query),
  )
  route.get('/api/members/:id', { summary: '会员详情与会籍变化记录', params: idParams, response: R.memberDetail }, (req) =>
    service.get(req.ctx, req.params.id),
  )
  route.post(
    '/api/members',
    { summary: '登记会员（已是他处会员时返回 409 member_elsewhere 与所在工会）', body: memberCreateBody, status: 201 },
    (req) => service.create(req.ctx, req.body),
  )
  route.patch('/api/members/:id', { summary: '修改会员信息', params: idParams, body: memberUpdateBody }, (req) =>
    service.update(req.ctx, req.params.id, req.body),
  )
  route.post('/api/members/:id/status', { summary: '保留、除名、退会或恢复会籍', params: idParams, body: memberStatusBody }, (req) =>
    service.changeStatus(req.ctx, req.params.id, req.body),
  )
  route.post('/api/members/:id/reveal', { summary: '查看完整证件号码或手机号（留痕）', params: idParams, body: memberRevealBody }, (req) =>
    service.reveal(req.ctx, req.params.id, req.body.field, req.body.reason),
  )
}
