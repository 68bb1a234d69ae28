import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { auditListQuery, type AuditView, type Page } from '../../../../common/api.js'
import { listAudit } from './audit.repository.js'
import { maskPersonalData } from '../../../../common/id-card.js'
import { verifyAuditChains } from './audit.service.js'

const tags = ['审计']

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/audit',
    { config: { access: ['auditadmin'] }, schema: { tags, summary: '审计日志（审计管理员）', querystring: auditListQuery } },
    async (req): Promise<Page<AuditView>> => {
      const r = await listAudit(req.ctx.db, req.query)
      return {
        total: r.total,
        items: r.items.map((x) => ({
          id: x.id,
          chainId: x.chain_id,
          at: x.at.toISOString(),
          actorName: x.actor_name,
          ip: x.ip,
          action: x.action,
          targetType: x.target_type,
          targetId: x.target_id,
          targetName: x.target_name,
          // as written, or narrowed: entries from before the masks were narrowed are shown masked as now
          detail: maskPersonalData(x.detail) as AuditView['detail'],
        })),
      }
    },
  )
  app.get('/api/audit/verify', { config: { access: ['auditadmin'] }, schema: { tags, summary: '校验审计日志哈希链' } }, (req) =>
    verifyAuditChains(req.ctx.db),
  )
}
