import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { ruleBody } from '../../../../common/api.js'
import * as service from './regions.service.js'
import * as R from '../../../../common/responses.js'
import { declareRoutes } from '../../http/routes.js'

export const regionRoutes: FastifyPluginAsyncZod = async (app) => {
  const route = declareRoutes(app, { tags: ['政区与规则'] })
  route.get(
    '/api/public/config',
    { summary: '本系统所在市县（公开，供会员端选择居住地）', response: R.publicConfig, access: 'public' },
    (req) => service.publicConfig(req.ctx),
  )
  route.get(
    '/api/regions',
    {
      summary: '行政区划（GB/T 2260）的下级',
      querystring: z.object({
        parent: z
          .string()
          .max(12, '应为行政区划代码')
          .regex(/^\d{2,12}$/, '应为行政区划代码'),
      }),
      response: z.array(R.regionView),
      access: 'authenticated',
    },
    (req) => service.children(req.ctx, req.query.parent),
  )

  route.get(
    '/api/rules/:regionCode',
    {
      summary: '应建未建规则（本级设置，或继承的默认值）',
      params: z.object({
        regionCode: z
          .string()
          .max(9, '应为6位或9位行政区划代码')
          .regex(/^\d{6,9}$/, '应为6位或9位行政区划代码'),
      }),
      response: R.regionRule,
      access: ['sysadmin', 'org_admin', 'org_viewer'],
    },
    (req) => service.rule(req.ctx, req.params.regionCode),
  )

  route.put(
    '/api/rules/:regionCode',
    {
      summary: '设置政区的应建未建规则（系统管理员）',
      params: z.object({
        regionCode: z
          .string()
          .max(9, '应为6位或9位行政区划代码')
          .regex(/^\d{6,9}$/, '应为6位或9位行政区划代码'),
      }),
      body: ruleBody,
      access: ['sysadmin'],
    },
    (req) => service.setRule(req.ctx, req.params.regionCode, req.body),
  )
}
