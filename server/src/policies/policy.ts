/**
 * Who may do what, in one place (after Outline's server/policies): plain functions of the caller
 * and of materialized paths ('/1/5/23/'). Services ask these instead of re-deriving a role check
 * or a path comparison; the database's row-level security stays the final word on what is seen.
 */
import { roles as roleTable } from '../../../common/codes.js'
import { hasRole, type Actor, type Ctx } from '../http/context.js'
import { forbidden, unauthorized } from '../http/errors.js'

/** `path` lies in the subtree at `scopePath` (the node itself included); no scope holds nothing. Its SQL twin is `under` (db/paths.ts). */
export function isWithin(path: string, scopePath: string | null | undefined): boolean {
  return !!scopePath && path.startsWith(scopePath)
}

/** `path` lies strictly below `scopePath` (a descendant, not the node itself). */
export function isBelow(path: string, scopePath: string | null | undefined): boolean {
  return isWithin(path, scopePath) && path !== scopePath
}

/** `path` lies in the caller's jurisdiction. */
export function inScope(actor: Actor, path: string): boolean {
  return isWithin(path, actor.scopePath)
}

/** The caller's own organization is the one at `path` (not one above or below it). */
export function isOwn(actor: Actor, path: string): boolean {
  return !!actor.scopePath && actor.scopePath === path
}

/** The caller may change business data (an 管理员 of an organization; a viewer only reads). */
export function mayWrite(actor: Actor): boolean {
  return hasRole(actor, 'org_admin')
}

/** The caller may change what belongs to the organization at `path`: a writer whose jurisdiction holds it. */
export function mayWriteAt(actor: Actor, path: string): boolean {
  return mayWrite(actor) && inScope(actor, path)
}

export function requireWriter(ctx: Ctx) {
  if (!mayWrite(ctx.actor)) throw forbidden('您的角色只能查看，不能修改')
}

/** The caller's role may see personal data in full (through an audited reveal with a reason). */
export function mayReveal(actor: Actor): boolean {
  return roleTable.some((r) => actor.roles.includes(r.code) && 'canRevealPersonalData' in r && r.canRevealPersonalData)
}

export function requireRevealer(ctx: Ctx) {
  if (!mayReveal(ctx.actor)) throw forbidden('您的角色无权查看完整的个人信息')
}

/** The signed-in member behind a phone route (access 'member'): their row, union and its path. */
export function requireMember(ctx: Ctx): { memberId: number; unionId: number; orgPath: string; name: string; phoneHash: string } {
  const m = ctx.actor?.member
  if (!m) throw unauthorized('请先用手机号登录')
  if (m.memberId == null || m.unionId == null || !m.orgPath) throw forbidden('您还不是工会会员，入会申请通过后即可使用')
  return { memberId: m.memberId, unionId: m.unionId, orgPath: m.orgPath, name: m.name ?? '', phoneHash: m.phoneHash }
}

/** The path `p` is the member's own union or one of its ancestors (the SQL twin is member_sees, 0019). */
export function memberSees(member: { orgPath: string }, p: string): boolean {
  return p !== '' && member.orgPath.startsWith(p)
}

/**
 * A membership that may move to another union by 接转: 在册, 保留会籍, or a 预备会员 (who becomes 在册
 * at the union taking them over, as when their unit gets a union). Not a person who left. The one
 * rule for a cadre's transfer (transfers.service) and a member's own request (the joining page).
 */
export function transferable(status: string): boolean {
  return status === 'active' || status === 'retained' || status === 'reserve'
}
