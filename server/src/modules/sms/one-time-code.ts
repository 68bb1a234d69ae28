import crypto from 'node:crypto'
import type { Ctx } from '../../http/context.js'
import { AppError } from '../../http/errors.js'
import * as repo from './sms.repository.js'
import { sendSms, smsSettings } from './sms.js'

/**
 * One-time codes (短信验证码) for acts that need more than what anyone may know of a person:
 * 6 digits, valid 5 minutes, at most 5 tries, kept only as a keyed hash (never logged). A code is
 * for a purpose and a subject (e.g. 'joining' and the keyed hash of the phone number it went to),
 * so member sign-in and the like use the same mechanism.
 *
 * Throttles: a phone gets one code a minute (unless the last one was used) and 5 an hour; an address asks for 10 an hour; a
 * subject gets 5 an hour (also when there is no phone to send to, so the answer is the same).
 */
export const CODE_DIGITS = 6
export const CODE_MINUTES = 5
export const CODE_TRIES = 5
export const PER_PHONE_HOUR = 5
export const PER_ADDRESS_HOUR = 10
export const PER_SUBJECT_HOUR = 5

const codeHash = (ctx: Ctx, purpose: string, subject: string, code: string) => ctx.pii.hash(`otp:${purpose}:${subject}:${code}`)
const throttled = () => new AppError(429, 'rate_limited', '验证码获取过于频繁，请稍后再试')

export interface Issued {
  /** only in the demo without a gateway: the code, for the page to show marked 演示 */
  demoCode?: string
}

/**
 * Issues a code for (purpose, subject) and sends it to phone; with phone null (nobody to send to)
 * a code is recorded all the same, so that the caller's answer and throttles do not differ.
 */
export async function issueCode(
  ctx: Ctx,
  o: { purpose: string; subject: string; phone: string | null; text: (code: string) => string },
): Promise<Issued> {
  const phoneHash = o.phone ? ctx.pii.hash(`phone:${o.phone}`) : null
  const n = await repo.recentCounts(ctx.db, { purpose: o.purpose, subject: o.subject, phoneHash, ip: ctx.ip })
  if (n.ip_hour >= PER_ADDRESS_HOUR || n.subject_hour >= PER_SUBJECT_HOUR || n.phone_minute >= 1 || n.phone_hour >= PER_PHONE_HOUR)
    throw throttled()
  const code = String(crypto.randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0')
  await repo.codeAdd(ctx.db, {
    purpose: o.purpose,
    subject: o.subject,
    code_hash: codeHash(ctx, o.purpose, o.subject, code),
    phone_hash: phoneHash,
    ip: ctx.ip,
    expires_at: new Date(Date.now() + CODE_MINUTES * 60_000),
  })
  if (o.phone) await sendSms(ctx, o.phone, o.text(code))
  const s = smsSettings()
  return s.demo && !s.gatewayUrl ? { demoCode: code } : {}
}

/**
 * Checks a code. Every check counts as a try, right or wrong, also when the request is then
 * refused (ctx.always): a code serves at most CODE_TRIES requests. A right one is used up by the
 * act it proves, in the request's transaction: a request refused afterwards (a field to correct)
 * leaves it for the next try within its minutes — unless the caller spends it (spendCode).
 * Answers the code's id.
 */
export async function checkCode(ctx: Ctx, o: { purpose: string; subject: string; code: string | undefined }): Promise<number> {
  const wrong = () => new AppError(400, 'invalid_code', '短信验证码：不正确或已过期，请重新获取', { smsCode: '验证码不正确或已过期' })
  if (!o.code) throw new AppError(400, 'invalid_code', '短信验证码：请填写发送到手机的6位验证码', { smsCode: '请填写短信验证码' })
  if (!/^\d{6}$/.test(o.code)) throw wrong()
  const current = await repo.codeCurrent(ctx.db, o.purpose, o.subject, CODE_TRIES)
  if (!current) throw wrong()
  ctx.always((db) => repo.codeTried(db, current.id))
  const given = Buffer.from(codeHash(ctx, o.purpose, o.subject, o.code))
  const kept = Buffer.from(current.code_hash)
  if (given.length !== kept.length || !crypto.timingSafeEqual(given, kept)) throw wrong()
  await repo.codeUsed(ctx.db, current.id)
  return Number(current.id)
}

/**
 * A right code whose request is refused all the same, for good (a member sent to sign in instead):
 * used up although the refusal undoes the request, so that it neither serves again nor holds up
 * the next code to the phone (one a minute).
 */
export function spendCode(ctx: Ctx, id: number): void {
  ctx.always((db) => repo.codeUsed(db, id))
}
