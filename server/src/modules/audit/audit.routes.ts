import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { auditListQuery } from '../../../../common/api.js'
import * as service from './audit.service.js'

const tags = ['审计']

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/audit',
    { config: { access: ['auditadmin'] }, schema: { tags, summary: '审计日志（审计管理员）', querystring: auditListQuery } },
    (req) => service.list(req.ctx.db, req.query),
  )
  app.get('/api/audit/verify', { config: { access: ['auditadmin'] }, schema: { tags, summary: '校验审计日志哈希链' } }, (req) =>
    service.verifyAuditChains(req.ctx.db),
  )
}
