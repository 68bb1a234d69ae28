import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import * as service from './todo.service.js'
import * as R from '../../../../common/responses.js'

const tags = ['待办']

export const todoRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/todo',
    {
      schema: {
        tags,
        summary: '本工会的待办（待审核的申请、待处理的接转、待报送与待审核的报表、未读消息）',
        response: { 200: R.todoCounts },
      },
    },
    (req) => service.counts(req.ctx),
  )
}
