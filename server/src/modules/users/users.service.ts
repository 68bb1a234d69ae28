import type { z } from 'zod'
import type { Page, PasswordResetResponse, UserView, userCreateBody, userRolesBody, userUpdateBody } from '../../../../common/api.js'
import { isAdminRole, isBusinessRole } from '../../../../common/codes.js'
import { hasRole, type Ctx } from '../../http/context.js'
import { badRequest, fieldError, forbidden, notFound } from '../../http/errors.js'
import { generatePassword, hashPassword, passwordProblem } from '../auth/passwords.js'
import * as repo from './users.repository.js'

type Row = NonNullable<Awaited<ReturnType<typeof repo.findById>>>

async function present(ctx: Ctx, rows: Row[]): Promise<UserView[]> {
  const names = await repo.orgNames(
    ctx.db,
    rows.map((r) => r.org_id).filter((x): x is number => x !== null),
  )
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    roles: r.roles,
    orgId: r.org_id,
    orgName: r.org_id ? (names.get(r.org_id) ?? null) : null,
    active: r.active,
    lockedUntil: r.locked_until && r.locked_until > new Date() ? r.locked_until.toISOString() : null,
    lastLoginAt: r.last_login_at ? r.last_login_at.toISOString() : null,
    mustChangePassword: r.must_change_password,
  }))
}

export async function me(ctx: Ctx): Promise<UserView> {
  const r = await repo.findById(ctx.db, ctx.actor.id)
  if (!r) throw notFound('账号')
  return (await present(ctx, [r]))[0]!
}

export async function list(ctx: Ctx, q: { q?: string; page: number; pageSize: number }): Promise<Page<UserView>> {
  const r = await repo.list(ctx.db, q)
  return { items: await present(ctx, r.items), total: r.total }
}

/**
 * 系统管理员 creates accounts; they start without roles until the 安全管理员 grants them, and
 * with the administrator's password, which the user must change at first login.
 */
export async function create(ctx: Ctx, b: z.output<typeof userCreateBody>): Promise<UserView> {
  const problem = passwordProblem(b.password, { username: b.username, displayName: b.displayName })
  if (problem) throw fieldError('password', problem)
  const { id } = await repo.insert(ctx.db, {
    username: b.username,
    display_name: b.displayName,
    password_hash: await hashPassword(b.password),
  })
  ctx.audit({
    action: 'user.create',
    targetType: 'user',
    targetId: id,
    targetName: b.username,
    detail: { after: { username: b.username, displayName: b.displayName, mustChangePassword: true } },
  })
  return (await present(ctx, [(await repo.findById(ctx.db, id))!]))[0]!
}

/** Account fields belong to the 系统管理员: name and active. Disabling ends the account's sessions. */
export async function update(ctx: Ctx, id: number, b: z.output<typeof userUpdateBody>): Promise<UserView> {
  const before = await repo.findById(ctx.db, id)
  if (!before) throw notFound('账号')
  if (id === ctx.actor.id && b.active === false) throw badRequest('不能停用自己的账号')
  // a 三员 account is never taken over by another: its password and state change only by the CLI
  if (id !== ctx.actor.id && before.roles.some(isAdminRole)) throw forbidden('三员账号的密码和状态只能由运维人员通过命令行修改')
  const patch: Parameters<typeof repo.update>[2] = {}
  if (b.displayName !== undefined) patch.display_name = b.displayName
  if (b.active !== undefined) patch.active = b.active
  await repo.update(ctx.db, id, patch)
  const sessionsEnded = b.active === false ? await repo.endSessions(ctx.db, id) : 0
  ctx.audit({
    action: 'user.update',
    targetType: 'user',
    targetId: id,
    targetName: before.username,
    detail: {
      before: { displayName: before.display_name, active: before.active },
      after: { displayName: b.displayName, active: b.active },
      ...(b.active === false ? { sessionsEnded } : {}),
    },
  })
  return (await present(ctx, [(await repo.findById(ctx.db, id))!]))[0]!
}

/**
 * The 系统管理员 resets a password: the server makes a one-time password, shown once to the
 * administrator, that the user must change at first login; every session of the account ends.
 * The administrator never chooses the password, and using it to enter the account would force a
 * change the owner notices (the old password stops working) — recorded in the audit log as the
 * reset by this administrator followed by a login and a password change.
 */
export async function resetPassword(ctx: Ctx, id: number): Promise<PasswordResetResponse> {
  const before = await repo.findById(ctx.db, id)
  if (!before) throw notFound('账号')
  if (id === ctx.actor.id) throw badRequest('本人密码请在右上角菜单「修改密码」中修改')
  if (before.roles.some(isAdminRole)) throw forbidden('三员账号的密码和状态只能由运维人员通过命令行修改')
  const temporaryPassword = generatePassword()
  await repo.update(ctx.db, id, {
    password_hash: await hashPassword(temporaryPassword),
    must_change_password: true,
    failed_logins: 0,
    locked_until: null,
  })
  const sessionsEnded = await repo.endSessions(ctx.db, id)
  ctx.audit({
    action: 'user.password.reset',
    targetType: 'user',
    targetId: id,
    targetName: before.username,
    detail: { oneTimePassword: true, mustChangePassword: true, sessionsEnded },
  })
  return { user: (await present(ctx, [(await repo.findById(ctx.db, id))!]))[0]!, temporaryPassword }
}

/**
 * Roles belong to the 安全管理员. The 三员 are kept apart: a system role is never combined with
 * another role, and business roles always come with the organization whose subtree they see.
 */
export async function setRoles(ctx: Ctx, id: number, b: z.output<typeof userRolesBody>): Promise<UserView> {
  if (!hasRole(ctx.actor, 'secadmin')) throw forbidden()
  if (id === ctx.actor.id) throw badRequest('不能修改自己的角色')
  const before = await repo.findById(ctx.db, id)
  if (!before) throw notFound('账号')
  // 三员 are appointed by operators (CLI), so no API account can grant or take away a system role
  if (before.roles.some(isAdminRole) || b.roles.some(isAdminRole)) throw fieldError('roles', '三员角色只能由运维人员通过命令行设置')
  const system = b.roles.filter(isAdminRole)
  const business = b.roles.filter(isBusinessRole)
  if (system.length > 1 || (system.length === 1 && business.length > 0)) {
    throw fieldError('roles', '系统管理员、安全管理员、审计管理员三员分立，不能兼任其他角色')
  }
  if (business.length > 0 && !b.orgId) throw fieldError('orgId', '业务角色须指定所属组织')
  if (system.length > 0 && b.orgId) throw fieldError('orgId', '三员角色不属于任何组织')
  if (b.orgId) {
    const names = await repo.orgNames(ctx.db, [b.orgId])
    if (!names.has(b.orgId)) throw fieldError('orgId', '组织不存在或已注销')
  }
  await repo.update(ctx.db, id, { roles: [...new Set(b.roles)], org_id: b.orgId })
  ctx.audit({
    action: 'user.roles',
    targetType: 'user',
    targetId: id,
    targetName: before.username,
    detail: { before: { roles: before.roles, orgId: before.org_id }, after: { roles: b.roles, orgId: b.orgId } },
  })
  return (await present(ctx, [(await repo.findById(ctx.db, id))!]))[0]!
}

export const orgOptions = (ctx: Ctx, q: string) => repo.orgDirectory(ctx.db, q)
