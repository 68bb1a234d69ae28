import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { transferCreateBody, transferDecisionBody, transferFromImportBody, transferListQuery } from '../../../../common/api-members.js'
import * as service from './transfers.service.js'
import { zId } from '../../../../common/api.js'
import * as R from '../../../../common/responses.js'

const params = z.object({ id: zId })
const tags = ['会员接转']

export const transferRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/transfers',
    {
      schema: {
        tags,
        summary: '接转记录（direction=in 转入 / out 转出）',
        querystring: transferListQuery,
        response: { 200: R.page(R.transferView) },
      },
    },
    (req) => service.list(req.ctx, req.query),
  )
  app.get('/api/transfers/:id', { schema: { tags, summary: '接转详情', params, response: { 200: R.transferView } } }, (req) =>
    service.get(req.ctx, req.params.id),
  )
  app.post(
    '/api/transfers',
    { schema: { tags, summary: '发起接转（转出方按会员，转入方按证件号码）', body: transferCreateBody } },
    async (req, reply) => {
      reply.status(201)
      return service.request(req.ctx, req.body)
    },
  )
  app.post(
    '/api/transfers/from-import',
    { schema: { tags, summary: '名册导入中「已是他处会员」的一行：申请将其会籍转入导入的工会', body: transferFromImportBody } },
    async (req, reply) => {
      reply.status(201)
      return service.requestFromImport(req.ctx, req.body)
    },
  )
  app.post('/api/transfers/:id/accept', { schema: { tags, summary: '转入工会接收', params, body: transferDecisionBody } }, (req) =>
    service.accept(req.ctx, req.params.id, req.body.note ?? null),
  )
  app.post(
    '/api/transfers/:id/decline',
    { schema: { tags, summary: '转入工会退回，或转出方撤销', params, body: transferDecisionBody } },
    (req) => service.decline(req.ctx, req.params.id, req.body.note ?? null),
  )
}
