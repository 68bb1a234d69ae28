import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { transferCreateBody, transferDecisionBody, transferFromImportBody, transferListQuery } from '../../../../common/api-members.js'
import * as service from './transfers.service.js'
import * as R from '../../../../common/responses.js'
import { declareRoutes, idParams } from '../../http/routes.js'

export const transferRoutes: FastifyPluginAsyncZod = async (app) => {
  const route = declareRoutes(app, { tags: ['会员接转'] })
  route.get(
    '/api/transfers',
    { summary: '接转记录（direction=in 转入 / out 转出）', querystring: transferListQuery, response: R.page(R.transferView) },
    (req) => service.list(req.ctx, req.query),
  )
  route.get('/api/transfers/:id', { summary: '接转详情', params: idParams, response: R.transferView }, (req) =>
    service.get(req.ctx, req.params.id),
  )
  route.post('/api/transfers', { summary: '发起接转（转出方按会员，转入方按证件号码）', body: transferCreateBody, status: 201 }, (req) =>
    service.request(req.ctx, req.body),
  )
  route.post(
    '/api/transfers/from-import',
    { summary: '名册导入中「已是他处会员」的一行：申请将其会籍转入导入的工会', body: transferFromImportBody, status: 201 },
    (req) => service.requestFromImport(req.ctx, req.body),
  )
  route.post('/api/transfers/:id/accept', { summary: '转入工会接收', params: idParams, body: transferDecisionBody }, (req) =>
    service.accept(req.ctx, req.params.id, req.body.note ?? null),
  )
  route.post('/api/transfers/:id/decline', { summary: '转入工会退回，或转出方撤销', params: idParams, body: transferDecisionBody }, (req) =>
    service.decline(req.ctx, req.params.id, req.body.note ?? null),
  )
}
