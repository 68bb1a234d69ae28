import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { allocationBody, planCreateBody, planListQuery, planUpdateBody, progressQuery } from '../../../../common/plans.js'
import * as service from './plans.service.js'
import { bulletinXlsx } from './plans.report.js'
import { zId } from '../../../../common/api.js'
import * as R from '../../../../common/responses.js'
import { declareRoutes, idParams } from '../../http/routes.js'

const business = ['org_admin', 'org_viewer'] as const

export const planRoutes: FastifyPluginAsyncZod = async (app) => {
  const route = declareRoutes(app, { tags: ['计划与目标'] })
  route.get(
    '/api/plans',
    {
      summary: '计划列表：本单位及上级制定的计划、下级制定的计划',
      querystring: planListQuery,
      response: R.page(R.planSummary),
      access: [...business],
    },
    (req) => service.list(req.ctx, req.query),
  )
  route.post(
    '/api/plans',
    { summary: '新建计划（期间、目标、年度节点）', body: planCreateBody, access: ['org_admin'], status: 201 },
    (req) => service.create(req.ctx, req.body),
  )
  route.get('/api/plans/:id', { summary: '计划详情', params: idParams, response: R.planDetail, access: [...business] }, (req) =>
    service.get(req.ctx, req.params.id),
  )
  route.put(
    '/api/plans/:id',
    { summary: '修改计划（整体替换目标与节点）', params: idParams, body: planUpdateBody, access: ['org_admin'] },
    (req) => service.update(req.ctx, req.params.id, req.body),
  )
  route.delete('/api/plans/:id', { summary: '删除计划', params: idParams, access: ['org_admin'], status: 204 }, async (req) => {
    await service.remove(req.ctx, req.params.id)
  })
  route.get(
    '/api/plans/:id/allocations',
    {
      summary: '目标分解：一个单位的目标在下级单位间的分解',
      params: idParams,
      querystring: z.object({ org: zId.optional() }),
      response: R.allocationLevel,
      access: [...business],
    },
    (req) => service.allocations(req.ctx, req.params.id, req.query.org),
  )
  route.put(
    '/api/plans/:id/allocations',
    { summary: '保存目标分解（合计须等于本单位目标）', params: idParams, body: allocationBody, access: ['org_admin'] },
    (req) => service.putAllocations(req.ctx, req.params.id, req.body),
  )
  route.get(
    '/api/plans/:id/progress',
    {
      summary: '计划进度：目标完成情况、下级排名、末位与进度滞后',
      params: idParams,
      querystring: progressQuery,
      response: R.planProgress,
      access: [...business],
    },
    (req) => service.progress(req.ctx, req.params.id, req.query),
  )
  route.get(
    '/api/plans/:id/export',
    { summary: '导出进度通报（xlsx）', params: idParams, querystring: progressQuery, response: R.fileAnswer, access: [...business] },
    async (req, reply) => {
      const { buffer, fileName } = await bulletinXlsx(req.ctx, req.params.id, req.query)
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`)
      return buffer
    },
  )
}
