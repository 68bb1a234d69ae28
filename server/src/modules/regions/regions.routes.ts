import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { ruleBody } from '../../../../common/api.js'
import * as service from './regions.service.js'
import * as R from '../../../../common/responses.js'

const tags = ['政区与规则']

export const regionRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/public/config',
    {
      config: { access: 'public' },
      schema: { tags, summary: '本系统所在市县（公开，供会员端选择居住地）', response: { 200: R.publicConfig } },
    },
    (req) => service.publicConfig(req.ctx),
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
        response: { 200: z.array(R.regionView) },
      },
    },
    (req) => service.children(req.ctx, req.query.parent),
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
        response: { 200: R.regionRule },
      },
    },
    (req) => service.rule(req.ctx, req.params.regionCode),
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
    (req) => service.setRule(req.ctx, req.params.regionCode, req.body),
  )
}
