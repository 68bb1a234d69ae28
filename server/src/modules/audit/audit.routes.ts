import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { auditListQuery } from '../../../../common/api.js'
import * as service from './audit.service.js'
import * as R from '../../../../common/responses.js'
import { declareRoutes } from '../../http/routes.js'

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  const route = declareRoutes(app, { tags: ['审计'] })
  route.get(
    '/api/audit',
    { summary: '审计日志（审计管理员）', querystring: auditListQuery, response: R.page(R.auditView), access: ['auditadmin'] },
    (req) => service.list(req.ctx.db, req.query),
  )
  route.get(
    '/api/audit/export',
    {
      summary: '按筛选条件导出审计日志 xlsx（审计管理员；最新的 2 万条；导出本身留痕）',
      querystring: auditListQuery,
      response: R.fileAnswer,
      access: ['auditadmin'],
    },
    async (req, reply) => {
      const { page: _page, pageSize: _size, ...filters } = req.query
      const buf = await service.exportXlsx(req.ctx, filters)
      // returned, not sent: the reply leaves only after the transaction (and the export's own entry) committed
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('审计日志.xlsx')}`)
      return buf
    },
  )
  route.get('/api/audit/verify', { summary: '校验审计日志哈希链', response: R.auditChainReports, access: ['auditadmin'] }, (req) =>
    service.verifyAuditChains(req.ctx.db),
  )
}
