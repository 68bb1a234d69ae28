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
} from '../../../../common/api.js'
import * as service from './orgs.service.js'
import * as R from '../../../../common/responses.js'
import { declareRoutes, idParams } from '../../http/routes.js'

export const orgRoutes: FastifyPluginAsyncZod = async (app) => {
  const route = declareRoutes(app, { tags: ['组织'] })
  route.get(
    '/api/orgs',
    { summary: '组织列表：下级（parent）、搜索（q）、历史（asOf）', querystring: orgListQuery, response: R.page(R.orgSummary) },
    (req) => service.list(req.ctx, req.query),
  )
  route.get(
    '/api/orgs/directory',
    {
      summary: '全部工会的名称与代码（跨辖区选择接转的转入工会用）',
      querystring: z.object({ q: z.string().trim().min(2, '请至少输入2个字').max(40) }),
      response: R.orgDirectory,
    },
    (req) => service.directory(req.ctx, req.query.q),
  )
  route.get('/api/orgs/:id', { summary: '组织详情', params: idParams, response: R.orgDetail }, (req) => service.get(req.ctx, req.params.id))
  route.post('/api/orgs', { summary: '新建组织（联合工会可同时选择涵盖企业）', body: orgCreateBody, status: 201 }, (req) =>
    service.create(req.ctx, req.body),
  )
  route.patch('/api/orgs/:id', { summary: '修改组织', params: idParams, body: orgUpdateBody }, (req) =>
    service.update(req.ctx, req.params.id, req.body),
  )
  route.post('/api/orgs/:id/move', { summary: '移动组织及其下级', params: idParams, body: orgMoveBody }, (req) =>
    service.move(req.ctx, req.params.id, req.body.parentId, req.body.effectiveDate),
  )
  route.post('/api/orgs/:id/dissolve', { summary: '注销组织', params: idParams, body: orgDissolveBody }, (req) =>
    service.dissolve(req.ctx, req.params.id, req.body.effectiveDate, req.body.reason),
  )
  route.put('/api/orgs/:id/enterprises', { summary: '设置联合工会涵盖的企业', params: idParams, body: orgCoverageBody }, (req) =>
    service.setCoverage(req.ctx, req.params.id, req.body.enterpriseIds),
  )
  route.post('/api/orgs/:id/reveal', { summary: '查看完整联系电话（留痕）', params: idParams, body: revealBody }, (req) =>
    service.reveal(req.ctx, req.params.id, req.body.field, req.body.reason),
  )
}
