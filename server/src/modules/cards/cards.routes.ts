import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import * as service from './cards.service.js'
import * as R from '../../../../common/responses.js'
import { declareRoutes, idParams } from '../../http/routes.js'

export const cardRoutes: FastifyPluginAsyncZod = async (app) => {
  const route = declareRoutes(app, { tags: ['会员卡'] })
  route.get(
    '/api/members/:id/card',
    {
      summary: '电子会员卡（姓名、工会、会员号、入会日期、二维码令牌），供打印或出示',
      params: idParams,
      response: R.cardView,
    },
    (req) => service.card(req.ctx, req.params.id),
  )
  route.get(
    '/api/cards/verify',
    {
      summary: '核验会员卡二维码（公开；只答是否有效、脱敏会员号与所在工会）',
      querystring: z.object({ token: z.string().trim().min(1, '请扫描会员卡二维码').max(200) }),
      response: R.cardVerification,
      access: 'public',
    },
    (req) => service.verify(req.ctx, req.query.token),
  )
}
