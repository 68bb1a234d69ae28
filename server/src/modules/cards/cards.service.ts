import crypto from 'node:crypto'
import type { CardVerification, CardView } from '../../../../common/api-members.js'
import type { Ctx } from '../../http/context.js'
import { conflict, notFound } from '../../http/errors.js'
import type { Pii } from '../../security/pii.js'
import * as repo from './cards.repository.js'
import * as members from '../members/members.repository.js'

/**
 * The electronic membership card (电子会员卡) carries a token for its QR code:
 * `<member number>.<valid until YYYYMMDD>.<signature>`, the signature an HMAC-SHA256 (first 128
 * bits, base64url) under a card key derived from the PII key ring's lookup-hash key
 * (HMAC(hashKey, 'card'), via pii.hash). The token holds nothing but the member number printed
 * on the card; a scanner learns validity, the masked number and the union, never name, ID or
 * phone. A token is valid for CARD_DAYS days and re-issued every time the card is shown; the
 * membership's current status decides validity in any case.
 */
export const CARD_DAYS = 365

const cardKey = (pii: Pii) => Buffer.from(pii.hash('card'), 'base64url')
const signature = (pii: Pii, payload: string) =>
  crypto.createHmac('sha256', cardKey(pii)).update(`gonghui-card-v1:${payload}`).digest().subarray(0, 16).toString('base64url')

const compact = (date: string) => date.replaceAll('-', '')

export function signCard(pii: Pii, memberNo: string, today: string): string {
  const until = new Date(`${today}T00:00:00Z`)
  until.setUTCDate(until.getUTCDate() + CARD_DAYS)
  const payload = `${memberNo}.${compact(until.toISOString().slice(0, 10))}`
  return `${payload}.${signature(pii, payload)}`
}

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
