import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { zId } from '../../../../common/api.js'
import * as A from '../../../../common/activities-responses.js'
import * as R from '../../../../common/responses.js'
import {
  activityCancelBody,
  activityCreateBody,
  activityListQuery,
  activityUpdateBody,
  checkInBody,
  ratingBody,
  registrationListQuery,
} from '../../../../common/activities.js'
import * as service from './activities.service.js'

const tags = ['活动']
const business = ['org_admin', 'org_viewer'] as const
const params = z.object({ id: zId })

/** Activities: the organizers' routes (cadres) and the member's (会员端, /api/my/activities). */
export const activityRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/activities',
    {
      config: { access: [...business] },
      schema: { tags, summary: '活动列表（本级及下级工会主办）', querystring: activityListQuery, response: { 200: A.activityPage } },
    },
    (req) => service.list(req.ctx, req.query),
  )
  app.post(
    '/api/activities',
    { config: { access: ['org_admin'] }, schema: { tags, summary: '新建活动（草稿）', body: activityCreateBody } },
    async (req, reply) => {
      reply.status(201)
      return service.create(req.ctx, req.body)
    },
  )
  app.get(
    '/api/activities/:id',
    {
      config: { access: [...business] },
      schema: { tags, summary: '活动详情：报名、候补、签到、评分', params, response: { 200: A.activityDetail } },
    },
    (req) => service.get(req.ctx, req.params.id),
  )
  app.patch(
    '/api/activities/:id',
    {
      config: { access: ['org_admin'] },
      schema: { tags, summary: '修改活动（已报名的会员收到变更通知）', params, body: activityUpdateBody },
    },
    (req) => service.update(req.ctx, req.params.id, req.body),
  )
  app.post('/api/activities/:id/publish', { config: { access: ['org_admin'] }, schema: { tags, summary: '发布活动', params } }, (req) =>
    service.publish(req.ctx, req.params.id),
  )
  app.post(
    '/api/activities/:id/cancel',
    { config: { access: ['org_admin'] }, schema: { tags, summary: '取消活动（通知已报名的会员）', params, body: activityCancelBody } },
    (req) => service.cancel(req.ctx, req.params.id, req.body.cancelReason),
  )
  app.get(
    '/api/activities/:id/registrations',
    {
      config: { access: [...business] },
      schema: {
        tags,
        summary: '活动报名名单（已报名、候补、已取消、已签到）',
        params,
        querystring: registrationListQuery,
        response: { 200: A.registrationPage },
      },
    },
    (req) => service.registrations(req.ctx, req.params.id, req.query),
  )
  app.get(
    '/api/activities/:id/export',
    {
      config: { access: [...business] },
      schema: { tags, summary: '导出报名、签到与评价（xlsx；导出留痕）', params, response: { 200: R.fileAnswer } },
    },
    async (req, reply) => {
      const f = await service.exportXlsx(req.ctx, req.params.id)
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
      return f.buffer
    },
  )
  app.post(
    '/api/activities/:id/check-in',
    {
      config: { access: ['org_admin'] },
      schema: { tags, summary: '扫码或输入签到码签到（主办工会的工作人员）', params, body: checkInBody },
    },
    (req) => service.checkIn(req.ctx, req.params.id, req.body.checkInCode),
  )

  const member = { access: 'member' as const }
  app.get(
    '/api/my/activities',
    { config: member, schema: { tags, summary: '我的活动：可报名的活动与我报名的活动', response: { 200: A.myActivities } } },
    (req) => service.myList(req.ctx),
  )
  app.get(
    '/api/my/activities/:id',
    { config: member, schema: { tags, summary: '活动详情与我的报名（签到码）', params, response: { 200: A.myActivity } } },
    (req) => service.myGet(req.ctx, req.params.id),
  )
  app.post('/api/my/activities/:id/sign-up', { config: member, schema: { tags, summary: '报名活动（满员进入候补）', params } }, (req) =>
    service.signUp(req.ctx, req.params.id),
  )
  app.post(
    '/api/my/activities/:id/cancel',
    { config: member, schema: { tags, summary: '取消报名（候补第一位自动递补）', params } },
    (req) => service.cancelSignUp(req.ctx, req.params.id),
  )
  app.post(
    '/api/my/activities/:id/rating',
    { config: member, schema: { tags, summary: '评价参加过的活动（1–5分，一次）', params, body: ratingBody } },
    (req) => service.rate(req.ctx, req.params.id, req.body),
  )
}
