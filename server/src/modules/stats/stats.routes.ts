import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import {
  statsPanelQuery,
  statsPeriodQuery,
  statsRankingQuery,
  statsSeriesQuery,
  statsSettingsBody,
  workforceBody,
  workforceListQuery,
  zHierarchy,
} from '../../../../common/stats.js'
import * as service from './stats.service.js'
import { zId } from '../../../../common/api.js'
import * as R from '../../../../common/responses.js'

const tags = ['统计']
const business = ['org_admin', 'org_viewer'] as const

export const statsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/stats/panel',
    {
      config: { access: [...business] },
      schema: {
        tags,
        summary: '指标面板：一个组织及其下级的全部指标（分子、分母），可指定截止日期',
        querystring: statsPanelQuery,
        response: { 200: R.statsPanel },
      },
    },
    (req) => service.panel(req.ctx, req.query),
  )
  app.get(
    '/api/stats/ranking',
    {
      config: { access: [...business] },
      schema: { tags, summary: '下级单位按一项指标排名，标注末位', querystring: statsRankingQuery, response: { 200: R.statsRanking } },
    },
    (req) => service.ranking(req.ctx, req.query),
  )
  app.get(
    '/api/stats/series',
    {
      config: { access: [...business] },
      schema: { tags, summary: '会员数随时间变化（按月、季、年）', querystring: statsSeriesQuery, response: { 200: R.statsSeries } },
    },
    (req) => service.series(req.ctx, req.query),
  )
  app.get(
    '/api/stats/period',
    {
      config: { access: [...business] },
      schema: {
        tags,
        summary: '本期与上期对比（年、季、月）：新入会、新建会、转入转出',
        querystring: statsPeriodQuery,
        response: { 200: R.statsPeriod },
      },
    },
    (req) => service.period(req.ctx, req.query),
  )
  app.get(
    '/api/stats/joint-unions',
    {
      config: { access: [...business] },
      schema: {
        tags,
        summary: '联合工会名单（按类型，附件1各行背后的工会）',
        querystring: z.object({
          org: zId.optional(),
          hierarchy: zHierarchy,
          category: z.string().trim().max(40).optional(),
        }),
        response: { 200: R.jointUnions },
      },
    },
    (req) => service.jointUnions(req.ctx, req.query),
  )
  app.get(
    '/api/stats/settings',
    { config: { access: ['sysadmin', ...business] }, schema: { tags, summary: '统计口径设置', response: { 200: R.statsSettings } } },
    (req) => service.settings(req.ctx),
  )
  app.put(
    '/api/stats/settings',
    { config: { access: ['sysadmin'] }, schema: { tags, summary: '修改统计口径（系统管理员）', body: statsSettingsBody } },
    (req) => service.putSettings(req.ctx, req.body),
  )
  app.get(
    '/api/stats/workforce',
    {
      config: { access: [...business] },
      schema: {
        tags,
        summary: '新就业形态平台从业（日活跃）人数',
        querystring: workforceListQuery,
        response: { 200: z.array(R.workforceView) },
      },
    },
    (req) => service.workforce(req.ctx, req.query.org),
  )
  app.post(
    '/api/stats/workforce',
    { config: { access: ['org_admin'] }, schema: { tags, summary: '填报平台从业（日活跃）人数', body: workforceBody } },
    async (req, reply) => {
      reply.status(201)
      return service.putWorkforce(req.ctx, req.body)
    },
  )
  app.delete(
    '/api/stats/workforce/:id',
    {
      config: { access: ['org_admin'] },
      schema: { tags, summary: '删除一条平台人数记录', params: z.object({ id: zId }) },
    },
    async (req, reply) => {
      await service.deleteWorkforce(req.ctx, req.params.id)
      reply.status(204)
    },
  )
}
