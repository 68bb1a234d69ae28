import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { ruleBody, defaultRules, type RegionView } from '../../../../common/api.js'
import { hasRole } from '../../http/context.js'
import { fieldError, forbidden } from '../../http/errors.js'
import * as repo from './regions.repository.js'

const tags = ['政区与规则']
const view = (r: { code: string; name: string; parent_code: string | null; level: number }): RegionView => ({
  code: r.code,
  name: r.name,
  parentCode: r.parent_code,
  level: r.level,
})

export const regionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/public/config',
    { config: { access: 'public' }, schema: { tags, summary: '本系统所在市县（公开，供会员端选择居住地）' } },
    async (req) => {
      const county = await repo.county(req.ctx.db)
      return { cityCode: county?.code ?? null, cityName: county?.name ?? null }
    },
  )
  app.get(
    '/api/regions',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        summary: '行政区划（GB/T 2260）的下级',
        querystring: z.object({
          parent: z
            .string()
            .max(12, '应为行政区划代码')
            .regex(/^\d{2,12}$/, '应为行政区划代码'),
        }),
      },
    },
    async (req) => (await repo.children(req.ctx.db, req.query.parent)).map(view),
  )

  app.get(
    '/api/rules/:regionCode',
    {
      config: { access: ['sysadmin', 'org_admin', 'org_viewer'] },
      schema: {
        tags,
        summary: '应建未建规则（本级设置，或继承的默认值）',
        params: z.object({
          regionCode: z
            .string()
            .max(9, '应为6位或9位行政区划代码')
            .regex(/^\d{6,9}$/, '应为6位或9位行政区划代码'),
        }),
      },
    },
    async (req) => {
      const own = await repo.ruleOf(req.ctx.db, req.params.regionCode)
      const town = req.params.regionCode.length === 9 ? await repo.townRule(req.ctx.db, req.params.regionCode) : undefined
      const r = own ?? town
      return {
        regionCode: req.params.regionCode,
        own: own !== undefined,
        rule: r
          ? {
              ownUnionMinEmployees: r.own_union_min_employees,
              graceMonths: r.grace_months,
              largeMinEmployees: r.large_min_employees,
              zoneMinEmployees: r.zone_min_employees,
            }
          : defaultRules,
      }
    },
  )

  app.put(
    '/api/rules/:regionCode',
    {
      config: { access: ['sysadmin'] },
      schema: {
        tags,
        summary: '设置政区的应建未建规则（系统管理员）',
        params: z.object({
          regionCode: z
            .string()
            .max(9, '应为6位或9位行政区划代码')
            .regex(/^\d{6,9}$/, '应为6位或9位行政区划代码'),
        }),
        body: ruleBody,
      },
    },
    async (req) => {
      if (!hasRole(req.ctx.actor, 'sysadmin')) throw forbidden()
      if (!(await repo.findByCode(req.ctx.db, req.params.regionCode))) throw fieldError('regionCode', '行政区划代码不存在')
      const before = await repo.ruleOf(req.ctx.db, req.params.regionCode)
      const b = req.body
      const r = await repo.upsertRule(req.ctx.db, {
        region_code: req.params.regionCode,
        own_union_min_employees: b.ownUnionMinEmployees,
        grace_months: b.graceMonths,
        large_min_employees: b.largeMinEmployees,
        zone_min_employees: b.zoneMinEmployees,
      })
      req.ctx.audit({
        action: 'rule.update',
        targetType: 'region',
        targetId: req.params.regionCode,
        detail: { before: before ?? null, after: b },
      })
      return { regionCode: r.region_code, own: true, rule: b }
    },
  )
}
