import type { Ctx } from '../../http/context.js'
import { AppError } from '../../http/errors.js'
import { rateLimiter } from '../applications/rate-limit.js'
import * as repo from './members.repository.js'

/**
 * Where a person is a member, across jurisdictions (member_locate), is the one answer a cadre can
 * get about people outside its own: by registering a made-up member with a real ID number, or by
 * importing a roster of them. Every lookup that finds people outside the caller's jurisdiction is
 * audited — also when the request is then refused and rolls back (ctx.auditAlways) — and limited:
 * at most LOCATE_ELSEWHERE_PER_HOUR such people per user (or anonymous address) and hour.
 */
export const LOCATE_ELSEWHERE_PER_HOUR = 30
const limiter = rateLimiter(LOCATE_ELSEWHERE_PER_HOUR, 60 * 60 * 1000)
export const resetLocateLimits = () => limiter.reset()

export type Located = Awaited<ReturnType<typeof repo.locate>>[number] & {
  /** over the caller's allowance: where the person is a member is not to be said */
  withheld?: boolean
}

export type LocatePurpose = 'member.create' | 'member.update' | 'transfer.request' | 'application.approve' | 'import'

export const rateLimited = () => new AppError(429, 'rate_limited', '查询他处会籍过于频繁，请一小时后再试；如确需办理，请联系上级工会')

/**
 * Looks people up. soft: over the allowance, the people found elsewhere come back marked
 * withheld (a roster import goes on without saying where they are); otherwise it answers 429.
 */
export async function locatePeople(ctx: Ctx, hashes: string[], purpose: LocatePurpose, opts: { soft?: boolean } = {}): Promise<Located[]> {
  const found: Located[] = await repo.locate(ctx.db, hashes)
  const beyond = found.filter((f) => !f.in_scope)
  if (beyond.length === 0) return found
  const key = ctx.actor ? `user:${ctx.actor.id}` : `ip:${ctx.ip}`
  let over = 0
  for (const f of beyond) if (!limiter.hit(key)) ((f.withheld = true), over++)
  ctx.auditAlways({
    action: 'member.locate',
    targetType: 'member',
    targetId: beyond.length === 1 ? beyond[0]!.member_id : undefined,
    targetName: beyond.length === 1 ? beyond[0]!.name_masked : `${beyond.length}人`,
    detail: {
      purpose,
      asked: hashes.length,
      found: beyond.map((f) => ({ memberId: f.member_id, unionId: f.union_id, status: f.status, withheld: f.withheld ?? false })),
      ...(over > 0 ? { refused: !opts.soft, overLimit: over } : {}),
    },
  })
  if (over > 0 && !opts.soft) throw rateLimited()
  return found
}
