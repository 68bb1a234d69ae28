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
import { declareRoutes, idParams } from '../../http/routes.js'

const business = ['org_admin', 'org_viewer'] as const

export const statsRoutes: FastifyPluginAsyncZod = async (app) => {
  const route = declareRoutes(app, { tags: ['统计'] })
  route.get(
    '/api/stats/panel',
    {
      summary: '指标面板：一个组织及其下级的全部指标（分子、分母），可指定截止日期',
      querystring: statsPanelQuery,
      response: R.statsPanel,
      access: [...business],
    },
    (req) => service.panel(req.ctx, req.query),
  )
  route.get(
    '/api/stats/ranking',
    { summary: '下级单位按一项指标排名，标注末位', querystring: statsRankingQuery, response: R.statsRanking, access: [...business] },
    (req) => service.ranking(req.ctx, req.query),
  )
  route.get(
    '/api/stats/series',
    { summary: '会员数随时间变化（按月、季、年）', querystring: statsSeriesQuery, response: R.statsSeries, access: [...business] },
    (req) => service.series(req.ctx, req.query),
  )
  route.get(
    '/api/stats/period',
    {
      summary: '本期与上期对比（年、季、月）：新入会、新建会、转入转出',
      querystring: statsPeriodQuery,
      response: R.statsPeriod,
      access: [...business],
    },
    (req) => service.period(req.ctx, req.query),
  )
  route.get(
    '/api/stats/joint-unions',
    {
      summary: '联合工会名单（按类型，附件1各行背后的工会）',
      querystring: z.object({
        org: zId.optional(),
        hierarchy: zHierarchy,
        category: z.string().trim().max(40).optional(),
      }),
      response: R.jointUnions,
      access: [...business],
    },
    (req) => service.jointUnions(req.ctx, req.query),
  )
  route.get('/api/stats/settings', { summary: '统计口径设置', response: R.statsSettings, access: ['sysadmin', ...business] }, (req) =>
    service.settings(req.ctx),
  )
  route.put('/api/stats/settings', { summary: '修改统计口径（系统管理员）', body: statsSettingsBody, access: ['sysadmin'] }, (req) =>
    service.putSettings(req.ctx, req.body),
  )
  route.get(
    '/api/stats/workforce',
    {
      summary: '新就业形态平台从业（日活跃）人数',
      querystring: workforceListQuery,
      response: z.array(R.workforceView),
      access: [...business],
    },
    (req) => service.workforce(req.ctx, req.query.org),
  )
  route.post(
    '/api/stats/workforce',
    { summary: '填报平台从业（日活跃）人数', body: workforceBody, access: ['org_admin'], status: 201 },
    (req) => service.putWorkforce(req.ctx, req.body),
  )
  route.delete(
    '/api/stats/workforce/:id',
    { summary: '删除一条平台人数记录', params: idParams, access: ['org_admin'], status: 204 },
    async (req) => {
      await service.deleteWorkforce(req.ctx, req.params.id)
    },
  )
}
