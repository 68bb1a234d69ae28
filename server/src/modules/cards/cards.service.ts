import crypto from 'node:crypto'
import type { CardVerification, CardView } from '../../../../common/api-members.js'
import type { Ctx } from '../../http/context.js'
import { conflict, notFound } from '../../http/errors.js'
import * as repo from './cards.repository.js'
import * as members from '../members/members.repository.js'
import { compact, signCard, signature } from './card-token.js'

// the token is made in card-token.ts (an approval shows it too); kept here for the tests
export { CARD_DAYS, signCard } from './card-token.js'

/** 33068300000012 → 330683****0012 */
export const maskMemberNo = (no: string) =>
  no.length > 8 ? no.slice(0, 6) + '*'.repeat(no.length - 10) + no.slice(-4) : '*'.repeat(no.length)

const STATUS_OK = new Set(['active', 'retained', 'reserve'])

export async function verify(ctx: Ctx, token: string): Promise<CardVerification> {
  const refuse = (reason: string, more: Partial<CardVerification> = {}): CardVerification => ({
    valid: false,
    reason,
    memberNo: null,
    unionName: null,
    status: null,
    ...more,
  })
  const m = /^([0-9A-Za-z_-]{1,40})\.(\d{8})\.([A-Za-z0-9_-]{22})$/.exec(token.trim())
  if (!m) return refuse('会员卡二维码无法识别，请重新扫描')
  const [, memberNo, until, sig] = m as unknown as [string, string, string, string]
  const expect = signature(ctx.pii, `${memberNo}.${until}`)
  if (!crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(expect))) return refuse('会员卡校验失败，该二维码不是本平台签发的或已被篡改')
  if (until < compact(ctx.today)) return refuse('会员卡二维码已过期，请会员在手机上重新打开电子会员卡')
  const r = await repo.cardStatus(ctx.db, memberNo)
  if (!r) return refuse('查无此会员卡，会员可能已转会或重新入会，请出示最新的电子会员卡')
  const seen = { memberNo: maskMemberNo(r.member_no), unionName: r.union_name, status: r.status }
  if (!STATUS_OK.has(r.status)) return refuse('该会员已离会，会员卡已失效', seen)
  return { valid: true, reason: null, ...seen }
}

/** The card as a cadre shows or prints it for a member of their jurisdiction. */
export async function card(ctx: Ctx, memberId: number): Promise<CardView> {
  const m = await members.findById(ctx.db, memberId)
  if (!m) throw notFound('会员')
  if (m.status === 'left') throw conflict('该会员已离会，不能出具会员卡')
  return {
    memberNo: m.member_no,
    name: m.name,
    unionName: m.union_name ?? '',
    joinedOn: m.joined_on,
    status: m.status,
    token: signCard(ctx.pii, m.member_no, ctx.today),
  }
}
