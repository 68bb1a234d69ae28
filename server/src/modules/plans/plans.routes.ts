import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { allocationBody, planCreateBody, planListQuery, planUpdateBody, progressQuery } from '../../../../common/plans.js'
import * as service from './plans.service.js'
import { bulletinXlsx } from './plans.report.js'
import { zId } from '../../../../common/api.js'
import * as R from '../../../../common/responses.js'

const tags = ['计划与目标']
const business = ['org_admin', 'org_viewer'] as const
const params = z.object({ id: zId })

export const planRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/plans',
    {
      config: { access: [...business] },
      schema: {
        tags,
        summary: '计划列表：本单位及上级制定的计划、下级制定的计划',
        querystring: planListQuery,
        response: { 200: R.page(R.planSummary) },
      },
    },
    (req) => service.list(req.ctx, req.query),
  )
  app.post(
    '/api/plans',
    { config: { access: ['org_admin'] }, schema: { tags, summary: '新建计划（期间、目标、年度节点）', body: planCreateBody } },
    async (req, reply) => {
      reply.status(201)
      return service.create(req.ctx, req.body)
    },
  )
  app.get(
    '/api/plans/:id',
    { config: { access: [...business] }, schema: { tags, summary: '计划详情', params, response: { 200: R.planDetail } } },
    (req) => service.get(req.ctx, req.params.id),
  )
  app.put(
    '/api/plans/:id',
    { config: { access: ['org_admin'] }, schema: { tags, summary: '修改计划（整体替换目标与节点）', params, body: planUpdateBody } },
    (req) => service.update(req.ctx, req.params.id, req.body),
  )
  app.delete('/api/plans/:id', { config: { access: ['org_admin'] }, schema: { tags, summary: '删除计划', params } }, async (req, reply) => {
    await service.remove(req.ctx, req.params.id)
    reply.status(204)
  })
  app.get(
    '/api/plans/:id/allocations',
    {
      config: { access: [...business] },
      schema: {
        tags,
        summary: '目标分解：一个单位的目标在下级单位间的分解',
        params,
        querystring: z.object({ org: zId.optional() }),
        response: { 200: R.allocationLevel },
      },
    },
    (req) => service.allocations(req.ctx, req.params.id, req.query.org),
  )
  app.put(
    '/api/plans/:id/allocations',
    { config: { access: ['org_admin'] }, schema: { tags, summary: '保存目标分解（合计须等于本单位目标）', params, body: allocationBody } },
    (req) => service.putAllocations(req.ctx, req.params.id, req.body),
  )
  app.get(
    '/api/plans/:id/progress',
    {
      config: { access: [...business] },
      schema: {
        tags,
        summary: '计划进度：目标完成情况、下级排名、末位与进度滞后',
        params,
        querystring: progressQuery,
        response: { 200: R.planProgress },
      },
    },
    (req) => service.progress(req.ctx, req.params.id, req.query),
  )
  app.get(
    '/api/plans/:id/export',
    {
      config: { access: [...business] },
      schema: { tags, summary: '导出进度通报（xlsx）', params, querystring: progressQuery, response: { 200: R.fileAnswer } },
    },
    async (req, reply) => {
      const { buffer, fileName } = await bulletinXlsx(req.ctx, req.params.id, req.query)
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`)
      return buffer
    },
  )
}
