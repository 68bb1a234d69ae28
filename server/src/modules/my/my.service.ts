import type { z } from 'zod'
import type { Ctx } from '../../http/context.js'
import { AppError, conflict, fieldError, notFound, violates } from '../../http/errors.js'
import { requireMember, transferable } from '../../policies/policy.js'
import { notify } from '../messages/notify.js'
import * as members from '../members/members.repository.js'
import { maskPhone, validateMobile } from '../../../../common/id-card.js'
import type {
  MyHome,
  MySession,
  MyTransfer,
  MyTransferTarget,
  SignInAnswer,
  myTransferBody,
  signInBody,
  signInCodeBody,
} from '../../../../common/api-my.js'
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
    transfers: self ? h.transfers.map(transferView) : [],
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

// ── 申请转会: the member's own transfer request, signed in ──────────────────────────────────

function transferView(t: repo.TransferSeen): MyTransfer {
  const byMe = t.requested_by === 'member'
  return {
    id: Number(t.id),
    status: t.status,
    fromName: t.from_name,
    toName: t.to_name,
    requestedAt: new Date(t.requested_at).toISOString(),
    decisionNote: t.decision_note,
    byMe,
    canCancel: byMe && t.status === 'pending',
  }
}

/**
 * The union that receives a worker of the unit, as the joining page routes an application: the
 * unit's own union, else the joint union covering it, else the town's union (the county's when
 * the town has none).
 */
function receiving(rows: repo.TransferTargetRow[]) {
  const pick = (route: string, county: boolean) => rows.find((r) => r.route === route && r.county === county && r.union_id !== null)
  return pick('own_union', false) ?? pick('joint_union', false) ?? pick('town_pool', false) ?? pick('town_pool', true)
}

const byUnit = (rows: repo.TransferTargetRow[]) => {
  const units = new Map<number, repo.TransferTargetRow[]>()
  for (const r of rows) units.set(r.enterprise_id, [...(units.get(r.enterprise_id) ?? []), r])
  return [...units.values()]
}

/** Units of the directory by name, each with the union a transfer there would go to. */
export async function transferTargets(ctx: Ctx, q: string): Promise<MyTransferTarget[]> {
  const me = requireMember(ctx)
  return byUnit(await repo.transferTargets(ctx.db, q, 10)).map((rows) => {
    const unit = rows[0]!
    const to = receiving(rows)
    return {
      enterpriseId: unit.enterprise_id,
      enterpriseName: unit.enterprise_name,
      townName: unit.town_name,
      unionId: to?.union_id ?? null,
      unionName: to?.union_name ?? null,
      route: to?.route ?? null,
      current: to?.union_id === me.unionId,
    }
  })
}

/**
 * 申请转会: the member asks to move their membership to the union of the unit they now work at.
 * As a member, under row-level security (transfer_member_insert, 0024): their own row, from their
 * own union. The receiving union accepts or declines it (transfers.service), and is told now.
 */
export async function requestTransfer(ctx: Ctx, b: z.output<typeof myTransferBody>): Promise<MyTransfer> {
  const me = requireMember(ctx)
  const m = await members.findById(ctx.db, me.memberId)
  if (!m) throw notFound('会员')
  if (!transferable(m.status)) throw conflict('您的会籍目前不能网上转会，请联系所在工会')
  const rows = await repo.transferTargetsOf(ctx.db, b.enterpriseId)
  if (rows.length === 0) throw fieldError('enterpriseId', '所选单位不存在，请重新搜索选择')
  const to = receiving(rows)
  if (!to) throw fieldError('enterpriseId', '该单位所在地区暂无可受理转会的工会，请联系当地总工会')
  if (to.union_id === m.union_id) throw fieldError('enterpriseId', `您的会籍已在「${to.union_name}」，无需转会`)
  const inFlight = () => conflict('您已有一笔正在办理的转会，请等待办结或先撤回')
  if (await repo.openTransferOf(ctx.db, me.memberId)) throw inFlight()
  const unit = rows[0]!.enterprise_name
  // a second request at the same moment (two taps) is refused by the unique index transfer_open
  const id = await repo
    .insertTransfer(ctx.db, {
      member_id: me.memberId,
      member_name: m.name,
      document_masked: m.document_masked,
      from_union_id: m.union_id,
      from_path: m.org_path,
      to_union_id: to.union_id!,
      to_path: to.org_path!,
      reason: '1',
      note: `会员本人在会员端申请转入（新单位：${unit}）；理由：${b.transferReason}`,
    })
    .catch((e: unknown) => {
      throw violates(e, 'transfer_open') ? inFlight() : e
    })
  ctx.audit({
    action: 'transfer.request',
    targetType: 'transfer',
    targetId: id,
    targetName: m.name,
    scopePath: to.org_path!,
    detail: {
      after: { memberId: me.memberId, from: m.union_id, to: to.union_id, requestedBy: 'member', route: to.route, workplace: unit },
    },
  })
  await notify(
    ctx,
    { orgId: to.union_id!, orgPath: to.org_path! },
    {
      kind: 'transfer',
      title: '会员申请转入',
      body: `${m.name}（现为「${m.union_name ?? '其他工会'}」会员）申请将会籍转入本工会，新单位：${unit}。请在“会员接转”中接收或退回。`,
      link: '/transfers',
    },
  )
  return (await myTransfer(ctx, me.memberId, id))!
}

/** The member withdraws their own request while it is pending (transfer_member_cancel, 0024). */
export async function cancelTransfer(ctx: Ctx, id: number): Promise<MyTransfer> {
  const me = requireMember(ctx)
  const t = await repo.transferOf(ctx.db, me.memberId, id)
  if (!t) throw notFound('转会申请')
  if (t.requested_by !== 'member') throw conflict('这笔接转由工会发起，如需撤销请联系工会')
  if (t.status !== 'pending' || !(await repo.cancelTransfer(ctx.db, me.memberId, id, '会员本人撤回')))
    throw conflict('该转会申请已办结，不能撤回')
  ctx.audit({
    action: 'transfer.cancel',
    targetType: 'transfer',
    targetId: id,
    targetName: t.member_name,
    scopePath: t.to_path,
    detail: { after: { status: 'cancelled' }, by: 'member' },
  })
  return (await myTransfer(ctx, me.memberId, id))!
}

async function myTransfer(ctx: Ctx, memberId: number, id: number) {
  const t = await repo.transferOf(ctx.db, memberId, id)
  return t ? transferView(t) : undefined
}
