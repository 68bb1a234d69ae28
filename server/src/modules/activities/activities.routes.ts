import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
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
import { declareRoutes, idParams } from '../../http/routes.js'

const business = ['org_admin', 'org_viewer'] as const

/** Activities: the organizers' routes (cadres) and the member's (会员端, /api/my/activities). */
export const activityRoutes: FastifyPluginAsyncZod = async (app) => {
  const route = declareRoutes(app, { tags: ['活动'] })
  route.get(
    '/api/activities',
    { summary: '活动列表（本级及下级工会主办）', querystring: activityListQuery, response: A.activityPage, access: [...business] },
    (req) => service.list(req.ctx, req.query),
  )
  route.post('/api/activities', { summary: '新建活动（草稿）', body: activityCreateBody, access: ['org_admin'], status: 201 }, (req) =>
    service.create(req.ctx, req.body),
  )
  route.get(
    '/api/activities/:id',
    { summary: '活动详情：报名、候补、签到、评分', params: idParams, response: A.activityDetail, access: [...business] },
    (req) => service.get(req.ctx, req.params.id),
  )
  route.patch(
    '/api/activities/:id',
    { summary: '修改活动（已报名的会员收到变更通知）', params: idParams, body: activityUpdateBody, access: ['org_admin'] },
    (req) => service.update(req.ctx, req.params.id, req.body),
  )
  route.post('/api/activities/:id/publish', { summary: '发布活动', params: idParams, access: ['org_admin'] }, (req) =>
    service.publish(req.ctx, req.params.id),
  )
  route.post(
    '/api/activities/:id/cancel',
    { summary: '取消活动（通知已报名的会员）', params: idParams, body: activityCancelBody, access: ['org_admin'] },
    (req) => service.cancel(req.ctx, req.params.id, req.body.cancelReason),
  )
  route.get(
    '/api/activities/:id/registrations',
    {
      summary: '活动报名名单（已报名、候补、已取消、已签到）',
      params: idParams,
      querystring: registrationListQuery,
      response: A.registrationPage,
      access: [...business],
    },
    (req) => service.registrations(req.ctx, req.params.id, req.query),
  )
  route.get(
    '/api/activities/:id/export',
    { summary: '导出报名、签到与评价（xlsx；导出留痕）', params: idParams, response: R.fileAnswer, access: [...business] },
    async (req, reply) => {
      const f = await service.exportXlsx(req.ctx, req.params.id)
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
      return f.buffer
    },
  )
  route.post(
    '/api/activities/:id/check-in',
    { summary: '扫码或输入签到码签到（主办工会的工作人员）', params: idParams, body: checkInBody, access: ['org_admin'] },
    (req) => service.checkIn(req.ctx, req.params.id, req.body.checkInCode),
  )

  const member = { access: 'member' as const }
  route.get('/api/my/activities', { summary: '我的活动：可报名的活动与我报名的活动', response: A.myActivities, config: member }, (req) =>
    service.myList(req.ctx),
  )
  route.get(
    '/api/my/activities/:id',
    { summary: '活动详情与我的报名（签到码）', params: idParams, response: A.myActivity, config: member },
    (req) => service.myGet(req.ctx, req.params.id),
  )
  route.post('/api/my/activities/:id/sign-up', { summary: '报名活动（满员进入候补）', params: idParams, config: member }, (req) =>
    service.signUp(req.ctx, req.params.id),
  )
  route.post('/api/my/activities/:id/cancel', { summary: '取消报名（候补第一位自动递补）', params: idParams, config: member }, (req) =>
    service.cancelSignUp(req.ctx, req.params.id),
  )
  route.post(
    '/api/my/activities/:id/rating',
    { summary: '评价参加过的活动（1–5分，一次）', params: idParams, body: ratingBody, config: member },
    (req) => service.rate(req.ctx, req.params.id, req.body),
  )
}
