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
import { declareRoutes, idParams } from '../../http/routes.js'

export const enterpriseRoutes: FastifyPluginAsyncZod = async (app) => {
  const route = declareRoutes(app, { tags: ['用人单位'] })
  route.get(
    '/api/enterprises',
    { summary: '用人单位名录；shouldHaveUnion=true 为应建未建清单', querystring: enterpriseListQuery, response: R.page(R.enterpriseView) },
    (req) => service.list(req.ctx, req.query),
  )
  route.get(
    '/api/enterprises/due-summary',
    { summary: '应建未建汇总：按原因、按规模、按乡镇（街道）计数', querystring: z.object({ org: zId.optional() }), response: R.dueSummary },
    (req) => service.dueSummary(req.ctx, req.query.org),
  )
  route.get(
    '/api/enterprises/export',
    { summary: '按筛选条件导出 xlsx', querystring: enterpriseListQuery, response: R.fileAnswer },
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
  route.get('/api/enterprises/:id', { summary: '单位详情', params: idParams, response: R.enterpriseView }, (req) =>
    service.get(req.ctx, req.params.id),
  )
  route.post('/api/enterprises', { summary: '登记单位', body: enterpriseCreateBody, status: 201 }, (req) =>
    service.create(req.ctx, req.body),
  )
  route.patch('/api/enterprises/:id', { summary: '修改单位', params: idParams, body: enterpriseUpdateBody }, (req) =>
    service.update(req.ctx, req.params.id, req.body),
  )
  route.post(
    '/api/enterprises/:id/status',
    { summary: '注销 / 停业 / 迁出（自某日起），或恢复正常', params: idParams, body: enterpriseStatusBody },
    (req) => service.setStatus(req.ctx, req.params.id, req.body),
  )
  route.get(
    '/api/enterprises/:id/status-history',
    { summary: '单位状态变更记录', params: idParams, response: z.array(R.enterpriseStatusEvent) },
    (req) => service.statusHistory(req.ctx, req.params.id),
  )
  route.post(
    '/api/enterprises/:id/reveal',
    { summary: '查看完整的法定代表人、联系人或电话（记录查看原因）', params: idParams, body: enterpriseRevealBody },
    (req) => service.reveal(req.ctx, req.params.id, req.body.field, req.body.reason),
  )
}
