import type { z } from 'zod'
import type { Ctx } from '../../http/context.js'
import { AppError } from '../../http/errors.js'
import { requireMember } from '../../policies/policy.js'
import { maskPhone, validateMobile } from '../../../../common/id-card.js'
import type { MyHome, MySession, SignInAnswer, signInBody, signInCodeBody } from '../../../../common/api-my.js'
import { issueCode, checkCode } from '../sms/one-time-code.js'
import { signCard, CARD_DAYS } from '../cards/card-token.js'
import * as messages from '../messages/messages.repository.js'
import * as repo from './my.repository.js'
import { hashToken, MEMBER_SESSION_DAYS, MEMBER_TOKEN_PREFIX, newSecret } from '../auth/tokens.js'

/**
 * The member's side (会员端): a worker signs in on the phone with the mobile number on record and
 * a one-time code (purpose 'sign_in', the same codes as the joining page's: 6 digits, 5 minutes,
 * 5 tries, throttled). A code goes to any valid number, so the answer never tells whether the
 * number belongs to a member; after the code, the session is a member's when a membership is on
 * record with that phone, else the phone's alone (an applicant sees their applications).
 */
export const SIGN_IN_PURPOSE = 'sign_in'

const phoneHashOf = (ctx: Ctx, phone: string) => ctx.pii.hash(`phone:${phone}`)
const mobile = (raw: string) => {
  const m = validateMobile(raw)
  if (!m.ok) throw new AppError(400, 'invalid', `手机号码：${m.message}`, { phone: m.message })
  return m.value
}

export async function requestCode(ctx: Ctx, b: z.output<typeof signInCodeBody>) {
  const phone = mobile(b.phone)
  const issued = await issueCode(ctx, {
    purpose: SIGN_IN_PURPOSE,
    subject: phoneHashOf(ctx, phone),
    phone,
    text: (code) => `您正在登录工会会员服务，验证码 ${code}，5分钟内有效。如非本人操作，请勿告知他人。`,
  })
  return { message: `验证码已发送至 ${maskPhone(phone)}，5分钟内有效`, ...issued }
}

/**
 * Proves the phone with its code and opens the session, in one transaction: the code is used up
 * only when the session exists. Recorded on the member's city's chain (or the system's).
 */
export async function signIn(ctx: Ctx, b: z.output<typeof signInBody>): Promise<SignInAnswer> {
  const phone = mobile(b.phone)
  const phoneHash = phoneHashOf(ctx, phone)
  await checkCode(ctx, { purpose: SIGN_IN_PURPOSE, subject: phoneHash, code: b.smsCode })
  const token = MEMBER_TOKEN_PREFIX + newSecret()
  const csrfToken = newSecret()
  const s = await repo.openSession(ctx.db, { tokenHash: hashToken(token), phoneHash, csrfToken, ip: ctx.ip, days: MEMBER_SESSION_DAYS })
  ctx.audit({
    action: 'member.sign_in',
    targetType: s.member_id ? 'member' : undefined,
    targetId: s.member_id ?? undefined,
    scopePath: s.org_path,
    detail: { member: s.member_id !== null, phone: maskPhone(phone) },
  })
  return { token, csrfToken, member: s.member_id !== null }
}

export async function session(ctx: Ctx): Promise<MySession> {
  const m = ctx.actor.member!
  return {
    csrfToken: ctx.actor.csrfToken,
    member:
      m.memberId != null && m.unionId != null
        ? { id: m.memberId, name: m.name ?? '', unionId: m.unionId, unionName: ctx.actor.orgName }
        : null,
    unread: m.memberId != null ? await messages.unreadCount(ctx.db, { memberId: m.memberId }) : 0,
  }
}

export async function home(ctx: Ctx): Promise<MyHome> {
  const m = ctx.actor.member!
  const h = await repo.home(ctx.db, m.memberId, m.orgPath)
  const self = h.self
  const own = h.chain[h.chain.length - 1]
  return {
    member: self
      ? {
          id: Number(self.id),
          name: self.name,
          memberNo: self.member_no,
          status: self.status,
          joinedOn: String(self.joined_on),
          unionId: Number(self.union_id),
          unionName: own?.name ?? '',
          unionChain: h.chain.map((o) => o.name),
          chairName: own?.chair_name ?? null,
          contactName: own?.contact_name ?? null,
          contactPhone: own?.contact_phone_enc ? ctx.pii.decrypt(own.contact_phone_enc) : null,
          card: { token: signCard(ctx.pii, self.member_no, ctx.today), validUntil: validUntil(ctx.today) },
          smsOptOut: self.sms_opt_out,
        }
      : null,
    applications: h.applications.map((a) => ({
      id: Number(a.id),
      status: a.status,
      unionName: a.union_name,
      workplace: a.workplace,
      createdAt: new Date(a.created_at).toISOString(),
      dueOn: String(a.due_on),
      reviewNote: a.review_note,
    })),
    transfers: self
      ? h.transfers.map((t) => ({
          id: Number(t.id),
          status: t.status,
          fromName: t.from_name,
          toName: t.to_name,
          requestedAt: new Date(t.requested_at).toISOString(),
          decisionNote: t.decision_note,
        }))
      : [],
    unread: self ? h.unread : 0,
  }
}

const validUntil = (today: string) => {
  const d = new Date(`${today}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + CARD_DAYS)
  return d.toISOString().slice(0, 10)
}

export async function settings(ctx: Ctx, b: { smsOptOut: boolean }) {
  const me = requireMember(ctx)
  const changed = await repo.setSmsOptOut(ctx.db, me.memberId, b.smsOptOut)
  if (changed)
    ctx.audit({
      action: 'member.settings',
      targetType: 'member',
      targetId: me.memberId,
      scopePath: me.orgPath,
      detail: { after: { smsOptOut: b.smsOptOut } },
    })
  return { smsOptOut: b.smsOptOut }
}
