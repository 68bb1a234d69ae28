import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import {
  orgCoverageBody,
  orgCreateBody,
  orgDissolveBody,
  orgListQuery,
  orgMoveBody,
  orgUpdateBody,
  revealBody,
  zId,
} from '../../../../common/api.js'
import * as service from './orgs.service.js'
import * as R from '../../../../common/responses.js'

const params = z.object({ id: zId })
const tags = ['组织']

export const orgRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/orgs',
    {
      schema: {
        tags,
        summary: '组织列表：下级（parent）、搜索（q）、历史（asOf）',
        querystring: orgListQuery,
        response: { 200: R.page(R.orgSummary) },
      },
    },
    (req) => service.list(req.ctx, req.query),
  )
  app.get(
    '/api/orgs/directory',
    {
      schema: {
        tags,
        summary: '全部工会的名称与代码（跨辖区选择接转的转入工会用）',
        querystring: z.object({ q: z.string().trim().min(2, '请至少输入2个字').max(40) }),
        response: { 200: R.orgDirectory },
      },
    },
    (req) => service.directory(req.ctx, req.query.q),
  )
  app.get('/api/orgs/:id', { schema: { tags, summary: '组织详情', params, response: { 200: R.orgDetail } } }, (req) =>
    service.get(req.ctx, req.params.id),
  )
  app.post(
    '/api/orgs',
    { schema: { tags, summary: '新建组织（联合工会可同时选择涵盖企业）', body: orgCreateBody } },
    async (req, reply) => {
      reply.status(201)
      return service.create(req.ctx, req.body)
    },
  )
  app.patch('/api/orgs/:id', { schema: { tags, summary: '修改组织', params, body: orgUpdateBody } }, (req) =>
    service.update(req.ctx, req.params.id, req.body),
  )
  app.post('/api/orgs/:id/move', { schema: { tags, summary: '移动组织及其下级', params, body: orgMoveBody } }, (req) =>
    service.move(req.ctx, req.params.id, req.body.parentId, req.body.effectiveDate),
  )
  app.post('/api/orgs/:id/dissolve', { schema: { tags, summary: '注销组织', params, body: orgDissolveBody } }, (req) =>
    service.dissolve(req.ctx, req.params.id, req.body.effectiveDate, req.body.reason),
  )
  app.put('/api/orgs/:id/enterprises', { schema: { tags, summary: '设置联合工会涵盖的企业', params, body: orgCoverageBody } }, (req) =>
    service.setCoverage(req.ctx, req.params.id, req.body.enterpriseIds),
  )
  app.post('/api/orgs/:id/reveal', { schema: { tags, summary: '查看完整联系电话（留痕）', params, body: revealBody } }, (req) =>
    service.reveal(req.ctx, req.params.id, req.body.field, req.body.reason),
  )
}
