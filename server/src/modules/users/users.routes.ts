import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { userCreateBody, userListQuery, userRolesBody, userUpdateBody, zId } from '../../../../common/api.js'
import * as service from './users.service.js'
import * as R from '../../../../common/responses.js'

const params = z.object({ id: zId })
const tags = ['账号']

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/users',
    {
      config: { access: ['sysadmin', 'secadmin'] },
      schema: { tags, summary: '账号列表', querystring: userListQuery, response: { 200: R.page(R.userView) } },
    },
    (req) => service.list(req.ctx, req.query),
  )
  app.post(
    '/api/users',
    { config: { access: ['sysadmin'] }, schema: { tags, summary: '新建账号（系统管理员）', body: userCreateBody } },
    async (req, reply) => {
      reply.status(201)
      return service.create(req.ctx, req.body)
    },
  )
  app.patch(
    '/api/users/:id',
    {
      config: { access: ['sysadmin'] },
      schema: { tags, summary: '修改账号、启停（系统管理员）；停用即结束其全部会话', params, body: userUpdateBody },
    },
    (req) => service.update(req.ctx, req.params.id, req.body),
  )
  app.post(
    '/api/users/:id/password-reset',
    {
      config: { access: ['sysadmin'] },
      schema: { tags, summary: '重置密码（系统管理员）：生成一次性密码，只显示这一次，用户首次登录须修改；其全部会话结束', params },
    },
    (req) => service.resetPassword(req.ctx, req.params.id),
  )
  app.put(
    '/api/users/:id/roles',
    { config: { access: ['secadmin'] }, schema: { tags, summary: '分配角色与所属组织（安全管理员）', params, body: userRolesBody } },
    (req) => service.setRoles(req.ctx, req.params.id, req.body),
  )
  app.get(
    '/api/users/org-options',
    {
      config: { access: ['secadmin'] },
      schema: {
        tags,
        summary: '选择组织（仅名称与代码）',
        querystring: z.object({ q: z.string().trim().max(50).default('') }),
        response: { 200: R.userOrgOptions },
      },
    },
    (req) => service.orgOptions(req.ctx, req.query.q),
  )
}
