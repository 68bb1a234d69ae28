import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { userCreateBody, userListQuery, userRolesBody, userUpdateBody } from '../../../../common/api.js'
import * as service from './users.service.js'
import * as R from '../../../../common/responses.js'
import { declareRoutes, idParams } from '../../http/routes.js'

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const route = declareRoutes(app, { tags: ['账号'] })
  route.get(
    '/api/users',
    { summary: '账号列表', querystring: userListQuery, response: R.page(R.userView), access: ['sysadmin', 'secadmin'] },
    (req) => service.list(req.ctx, req.query),
  )
  route.post('/api/users', { summary: '新建账号（系统管理员）', body: userCreateBody, access: ['sysadmin'], status: 201 }, (req) =>
    service.create(req.ctx, req.body),
  )
  route.patch(
    '/api/users/:id',
    { summary: '修改账号、启停（系统管理员）；停用即结束其全部会话', params: idParams, body: userUpdateBody, access: ['sysadmin'] },
    (req) => service.update(req.ctx, req.params.id, req.body),
  )
  route.post(
    '/api/users/:id/password-reset',
    {
      summary: '重置密码（系统管理员）：生成一次性密码，只显示这一次，用户首次登录须修改；其全部会话结束',
      params: idParams,
      access: ['sysadmin'],
    },
    (req) => service.resetPassword(req.ctx, req.params.id),
  )
  route.put(
    '/api/users/:id/roles',
    { summary: '分配角色与所属组织（安全管理员）', params: idParams, body: userRolesBody, access: ['secadmin'] },
    (req) => service.setRoles(req.ctx, req.params.id, req.body),
  )
  route.get(
    '/api/users/org-options',
    {
      summary: '选择组织（仅名称与代码）',
      querystring: z.object({ q: z.string().trim().max(50).default('') }),
      response: R.userOrgOptions,
      access: ['secadmin'],
    },
    (req) => service.orgOptions(req.ctx, req.query.q),
  )
}
