import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import {
  enterpriseCreateBody,
  enterpriseListQuery,
  enterpriseRevealBody,
  enterpriseStatusBody,
  enterpriseUpdateBody,
  zId,
} from '../../../../common/api.js'
import * as service from './enterprises.service.js'
import * as R from '../../../../common/responses.js'

const params = z.object({ id: zId })
const tags = ['用人单位']

export const enterpriseRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/enterprises',
    {
      schema: {
        tags,
        summary: '用人单位名录；shouldHaveUnion=true 为应建未建清单',
        querystring: enterpriseListQuery,
        response: { 200: R.page(R.enterpriseView) },
      },
    },
    (req) => service.list(req.ctx, req.query),
  )
  app.get(
    '/api/enterprises/due-summary',
    {
      schema: {
        tags,
        summary: '应建未建汇总：按原因、按规模、按乡镇（街道）计数',
        querystring: z.object({ org: zId.optional() }),
        response: { 200: R.dueSummary },
      },
    },
    (req) => service.dueSummary(req.ctx, req.query.org),
  )
  app.get(
    '/api/enterprises/export',
    { schema: { tags, summary: '按筛选条件导出 xlsx', querystring: enterpriseListQuery, response: { 200: R.fileAnswer } } },
    async (req, reply) => {
      const buf = await service.exportXlsx(req.ctx, req.query)
      const name = encodeURIComponent(req.query.shouldHaveUnion ? '应建未建清单.xlsx' : '用人单位名录.xlsx')
      // returned, not sent: the reply must leave only after the transaction (and its audit entry) committed
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename*=UTF-8''${name}`)
      return buf
    },
  )
  app.get('/api/enterprises/:id', { schema: { tags, summary: '单位详情', params, response: { 200: R.enterpriseView } } }, (req) =>
    service.get(req.ctx, req.params.id),
  )
  app.post('/api/enterprises', { schema: { tags, summary: '登记单位', body: enterpriseCreateBody } }, async (req, reply) => {
    reply.status(201)
    return service.create(req.ctx, req.body)
  })
  app.patch('/api/enterprises/:id', { schema: { tags, summary: '修改单位', params, body: enterpriseUpdateBody } }, (req) =>
    service.update(req.ctx, req.params.id, req.body),
  )
  app.post(
    '/api/enterprises/:id/status',
    { schema: { tags, summary: '注销 / 停业 / 迁出（自某日起），或恢复正常', params, body: enterpriseStatusBody } },
    (req) => service.setStatus(req.ctx, req.params.id, req.body),
  )
  app.get(
    '/api/enterprises/:id/status-history',
    { schema: { tags, summary: '单位状态变更记录', params, response: { 200: z.array(R.enterpriseStatusEvent) } } },
    (req) => service.statusHistory(req.ctx, req.params.id),
  )
  app.post(
    '/api/enterprises/:id/reveal',
    { schema: { tags, summary: '查看完整的法定代表人、联系人或电话（记录查看原因）', params, body: enterpriseRevealBody } },
    (req) => service.reveal(req.ctx, req.params.id, req.body.field, req.body.reason),
  )
}
