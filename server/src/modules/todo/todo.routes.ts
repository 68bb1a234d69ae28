import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import * as service from './todo.service.js'
import * as R from '../../../../common/responses.js'
import { declareRoutes } from '../../http/routes.js'

export const todoRoutes: FastifyPluginAsyncZod = async (app) => {
  const route = declareRoutes(app, { tags: ['待办'] })
  route.get(
    '/api/todo',
    { summary: '本工会的待办（待审核的申请、待处理的接转、待报送与待审核的报表、未读消息）', response: R.todoCounts },
    (req) => service.counts(req.ctx),
  )
}
