import crypto from 'node:crypto'
import type { z } from 'zod'
import type {
  ApplicationReceipt,
  ApplicationStatusView,
  ApplicationView,
  JoiningWorkplace,
  applicationAnswerBody,
  applicationCreateBody,
  applicationDecisionBody,
  applicationListQuery,
  JoiningCodeAnswer,
  joiningCodeBody,
} from '../../../../common/api-members.js'
import { checkCode, issueCode, spendCode } from '../sms/one-time-code.js'
import { maskName, maskPhone, validateMobile } from '../../../../common/id-card.js'
import { localDate } from '../../local-time.js'
import * as transfers from '../transfers/transfers.repository.js'
import type { Page, RegionView } from '../../../../common/api.js'
import type { Ctx } from '../../http/context.js'
import { AppError, conflict, notFound } from '../../http/errors.js'
import * as repo from './applications.repository.js'
import * as orgs from '../orgs/orgs.repository.js'
import * as regions from '../regions/regions.repository.js'
import { requireWriter } from '../../policies/policy.js'
import { enroll } from '../members/enroll.js'
import { hasBirth, identityColumns, sealIdentity, withPhone } from '../members/identity.js'
import { signCard } from '../cards/card-token.js'
import { REVIEW_WORKING_DAYS, addWorkingDays } from './working-days.js'
import { notify } from '../messages/notify.js'

type CreateBody = z.output<typeof applicationCreateBody>

/** A refusal naming its field in Chinese (common/labels has no labels for the joining form's fields). */
const invalid = (field: string, label: string, message: string) =>
  new AppError(400, 'invalid', `${label}：${message}`, { [field]: message })

export const tokenHash = (token: string) => crypto.createHash('sha256').update(token).digest('hex')
const townOf = (region: string) => region.slice(0, 9)

// ── public: the joining page ───────────────────────────────────────────────────────

export async function searchWorkplaces(ctx: Ctx, q: string): Promise<JoiningWorkplace[]> {
  const rows = await repo.directory(ctx.db, q, 20)
  return rows.map((r) => ({ id: r.id, name: r.name, townCode: r.town_code, townName: r.town_name, hasUnion: r.has_union }))
}

/** Regions are public reference data (GB/T 2260): the residence picker of the joining page. */
export async function regionChildren(ctx: Ctx, parent: string): Promise<RegionView[]> {
  return (await regions.children(ctx.db, parent)).map((r) => ({ code: r.code, name: r.name, parentCode: r.parent_code, level: r.level }))
}

/**
 * Where an application goes (PRODUCT.md, Members → online joining):
 * - 新就业形态 workers (occupation set) who ask for it: their platform company's own union
 *   ('platform'), or the joint union for flexible workers of their town ('flexible_joint');
 * - otherwise the unit's own union, else the joint union covering it;
 * - otherwise the pool of 预备会员 of the town union: the town of residence or household
 *   registration when given, else the unit's town. A unit typed in (not in the register) needs it.
 *   A town without a union of its own falls back to the county's union.
 */
async function route(ctx: Ctx, b: CreateBody): Promise<repo.Target> {
  const unit = b.enterpriseId ? await repo.workplace(ctx.db, b.enterpriseId) : undefined
  if (b.enterpriseId && !unit) throw invalid('enterpriseId', '工作单位', '所选单位不存在，请重新搜索选择，或直接填写单位名称')
  if (b.residenceRegion && !(await regions.findByCode(ctx.db, b.residenceRegion)))
    throw invalid('residenceRegion', '居住地或户籍所在地', '所选地区不存在，请重新选择')

  if (b.preferredRoute && !b.occupation)
    throw invalid('occupation', '新就业形态职业', '选择平台工会或新就业形态联合工会入会时，请先选择您的职业')
  if (b.preferredRoute === 'platform') {
    if (!b.platformEnterpriseId) throw invalid('platformEnterpriseId', '平台企业', '请选择您所服务的平台企业')
    const platform = await repo.workplace(ctx.db, b.platformEnterpriseId)
    if (!platform?.is_platform) throw invalid('platformEnterpriseId', '平台企业', '所选单位不是登记的新就业形态平台企业')
    const own = (await repo.targets(ctx.db, platform.id, null)).find((t) => t.route === 'own_union')
    if (!own) throw invalid('platformEnterpriseId', '平台企业', '该平台企业尚未建立工会，请选择其他入会途径')
    return { ...own, route: 'platform' }
  }
  if (b.preferredRoute === 'flexible_joint') {
    const town = b.residenceRegion ? townOf(b.residenceRegion) : unit?.town_code
    if (!town) throw invalid('residenceRegion', '居住地或户籍所在地', '请选择您居住或户籍所在的乡镇（街道）')
    const [joint] = await repo.flexibleTargets(ctx.db, town)
    if (!joint) throw invalid('preferredRoute', '入会途径', '您所在乡镇（街道）暂无新就业形态联合工会，请选择其他入会途径')
    return joint
  }

  if (unit) {
    const t = await repo.targets(ctx.db, unit.id, null)
    const hit = t.find((x) => x.route === 'own_union') ?? t.find((x) => x.route === 'joint_union')
    if (hit) return hit
  }
  if (!unit && !b.residenceRegion)
    throw invalid('residenceRegion', '居住地或户籍所在地', '您的单位不在登记名录中，请选择居住地或户籍所在的乡镇（街道），由当地工会受理')
  const town = b.residenceRegion ? townOf(b.residenceRegion) : unit!.town_code
  const pool =
    (await repo.targets(ctx.db, null, town)).find((x) => x.route === 'town_pool') ??
    (await repo.targets(ctx.db, null, town.slice(0, 6))).find((x) => x.route === 'town_pool')
  if (!pool) throw invalid('residenceRegion', '居住地或户籍所在地', '该地区暂无可受理入会申请的工会，请联系当地总工会')
  return pool
}

/**
 * Whoever applies online proves first that the mobile number they give is theirs: a one-time code
 * sent to it. The number then counts for something — the member's sign-in, their contact on record —
 * and no anonymous caller can learn anything about a stranger's document number (see apply).
 */
export const JOINING_CODE_PURPOSE = 'joining'
/** Where a member is sent to ask for a transfer: the member's side, signed in (我的 → 申请转会). */
export const TRANSFER_SIGN_IN = '/m/transfer'

export async function requestCode(ctx: Ctx, b: z.output<typeof joiningCodeBody>): Promise<JoiningCodeAnswer> {
  const m = validateMobile(b.phone)
  if (!m.ok) throw invalid('phone', '手机号码', m.message)
  const issued = await issueCode(ctx, {
    purpose: JOINING_CODE_PURPOSE,
    subject: phoneSubject(ctx, m.value),
    phone: m.value,
    text: (code) => `您正在网上申请入会，验证码 ${code}，5分钟内有效。如非本人操作，请勿告知他人。`,
  })
  return { message: `验证码已发送至 ${maskPhone(m.value)}，5分钟内有效`, ...issued }
}

const phoneSubject = (ctx: Ctx, phone: string) => ctx.pii.hash(`phone:${phone}`)

export async function apply(ctx: Ctx, b: CreateBody): Promise<ApplicationReceipt> {
  // the schema requires both consents to be true; the timestamps are when they were given
  const consentAt = new Date()
  const sealed = sealIdentity(ctx.pii, b.documentType, b.documentNumber, b.phone)
  if (!sealed.ok) throw invalid(sealed.field, sealed.field === 'phone' ? '手机号码' : '证件号码', sealed.message)
  const person = withPhone(sealed.value)
  if (!person) throw invalid('phone', '手机号码', '请填写手机号码')
  if (b.gender && person.gender && b.gender !== person.gender) throw invalid('gender', '性别', '性别与身份证号码不符')
  const gender = b.gender ?? person.gender
  if (!gender) throw invalid('gender', '性别', '请选择性别')

  // the code sent to the phone given, before anything is looked up or said
  const codeId = await checkCode(ctx, { purpose: JOINING_CODE_PURPOSE, subject: person.phone_hash, code: b.smsCode ?? undefined })
  const target = await route(ctx, b)

  // 一人一籍: a member does not apply again, but may ask, with consent, to move their membership to
  // the union the routing picks (转会申请). Only a person who has just proven the phone on record of
  // the member with this name and number is told so. Anybody else — a stranger typing someone's
  // number, or a member whose number on record has changed — gets the same receipt as every
  // applicant; the reviewer's approval finds the membership (and says where, to the cadre).
  // 一人一籍: a member does not apply again. Only a person who has just proven the phone on record
  // of the member with this name and number is told so, and sent to sign in on the member's side
  // (会员端), where a member asks for a transfer (我的 → 申请转会). Anybody else — a stranger typing
  // someone's number, or a member whose number on record has changed — gets the same receipt as
  // every applicant; the reviewer's approval finds the membership (and says where, to the cadre).
  const onRecord = await repo.memberContact(ctx.db, person.document_hash, b.name)
  const proven = onRecord !== null && phoneSubject(ctx, ctx.pii.decrypt(onRecord)) === person.phone_hash
  if (proven) {
    // the code did its work: the member signs in next, with a code of its own (one a minute to a phone)
    spendCode(ctx, codeId)
    throw Object.assign(
      new AppError(
        409,
        'already_member',
        `您已是工会会员，一人只能有一个会籍。如您已到新单位工作，请用登记的手机号登录会员端，在“我的 → 申请转会”中将会籍转入「${target.union_name}」；也可以联系所在工会办理`,
        { documentNumber: '已是工会会员' },
      ),
      { detail: { signIn: TRANSFER_SIGN_IN, unionName: target.union_name } },
    )
  }

  const id = await repo.nextId(ctx.db)
  const token = crypto.randomBytes(24).toString('base64url')
  const dueOn = addWorkingDays(ctx.today, REVIEW_WORKING_DAYS)
  // a second open application of the same person violates the unique index application_open,
  // which the error handler answers with '您已有一份正在办理的入会申请，请勿重复提交'
  await repo.insert(ctx.db, {
    id,
    token_hash: tokenHash(token),
    name: b.name,
    gender,
    ...identityColumns(person),
    enterprise_id: b.enterpriseId ?? null,
    workplace: b.workplace,
    residence_region: b.residenceRegion ?? null,
    occupation: b.occupation ?? null,
    route: target.route,
    union_id: target.union_id,
    org_path: target.org_path,
    due_on: dueOn,
    consent_privacy_at: consentAt,
    consent_sensitive_at: consentAt,
    applicant_note: b.note ?? null,
  })
  ctx.audit({
    action: 'application.create',
    targetType: 'application',
    targetId: id,
    targetName: maskName(b.name),
    scopePath: target.org_path,
    detail: {
      after: {
        name: maskName(b.name),
        documentType: person.document_type,
        documentNumber: person.document_masked,
        phone: person.phone_masked,
        enterpriseId: b.enterpriseId ?? null,
        workplace: b.workplace,
        residenceRegion: b.residenceRegion ?? null,
        occupation: b.occupation ?? null,
        route: target.route,
        unionId: target.union_id,
        unionName: target.union_name,
        dueOn,
        consentPrivacyAt: consentAt,
        consentSensitiveAt: consentAt,
      },
    },
  })
  return { kind: 'application', id, token, status: 'pending', route: target.route, unionName: target.union_name, dueOn }
}

const TRANSFER_STATUS: Record<string, string> = { pending: 'pending', accepted: 'approved', rejected: 'rejected', cancelled: 'withdrawn' }

export async function status(ctx: Ctx, token: string): Promise<ApplicationStatusView> {
  const hash = tokenHash(token)
  const r = await repo.statusByToken(ctx.db, hash)
  if (!r) {
    const t = await transfers.memberStatus(ctx.db, hash)
    if (!t) throw new AppError(404, 'not_found', '未找到该入会申请，请核对查询码')
    const status = TRANSFER_STATUS[t.status] ?? t.status
    const requested = new Date(t.requested_at)
    return {
      kind: 'transfer',
      id: t.id,
      status,
      route: 'transfer',
      unionName: t.union_name,
      dueOn: addWorkingDays(todayOf(requested), REVIEW_WORKING_DAYS),
      reviewNote: t.decision_note && status !== 'withdrawn' ? t.decision_note : null,
      memberNo: status === 'approved' ? t.member_no : null,
      createdAt: requested.toISOString(),
      cardToken: status === 'approved' && t.member_no ? signCard(ctx.pii, t.member_no, ctx.today) : null,
      infoAnswer: null,
      infoAnsweredAt: null,
      // a request made here before it moved to the member's phone: withdrawn there, signed in
      canWithdraw: false,
      canAnswer: false,
      joinedOn: status === 'approved' ? t.joined_on : null,
    }
  }
  return {
    kind: 'application',
    id: r.id,
    status: r.status,
    route: r.route,
    unionName: r.union_name,
    dueOn: r.due_on,
    reviewNote: r.review_note,
    memberNo: r.status === 'approved' ? r.member_no : null,
    createdAt: new Date(r.created_at).toISOString(),
    cardToken: r.status === 'approved' && r.member_no ? signCard(ctx.pii, r.member_no, ctx.today) : null,
    infoAnswer: r.info_answer,
    infoAnsweredAt: r.info_answered_at ? new Date(r.info_answered_at).toISOString() : null,
    canWithdraw: OPEN.has(r.status),
    canAnswer: r.status === 'need_info',
    joinedOn: r.joined_on,
  }
}

const todayOf = (d: Date) => localDate(d)

/** The applicant withdraws an open application by its token alone (a member's transfer request: signed in, on the phone). */
export async function withdraw(ctx: Ctx, token: string): Promise<ApplicationStatusView> {
  const hash = tokenHash(token)
  const a = await repo.withdrawByToken(ctx.db, hash)
  if (a) {
    ctx.audit({
      action: 'application.withdraw',
      targetType: 'application',
      targetId: a.id,
      scopePath: a.org_path,
      detail: { before: { status: a.before_status }, after: { status: 'withdrawn' }, by: 'applicant' },
    })
    return status(ctx, token)
  }
  const s = await status(ctx, token) // 404 for an unknown token
  if (s.kind === 'transfer' && s.status === 'pending') throw conflict('转会申请请用登记的手机号登录会员端，在“我的 → 申请转会”中撤回')
  throw conflict('该申请已办结，不能撤回')
}

/**
 * The applicant answers 需补充材料 from the phone: a text, and optionally a corrected workplace
 * name or mobile number; the application goes back to the reviewer as pending, the answer beside it.
 */
export async function answer(ctx: Ctx, b: z.output<typeof applicationAnswerBody>): Promise<ApplicationStatusView> {
  const text = b.answer.trim()
  if (!text) throw invalid('answer', '补充说明', '请填写补充说明')
  if ([...text].length > 500) throw invalid('answer', '补充说明', '不能超过500字')
  let phone: { phone_enc: string | null; phone_hash: string | null; phone_masked: string | null } = {
    phone_enc: null,
    phone_hash: null,
    phone_masked: null,
  }
  if (b.phone) {
    const m = validateMobile(b.phone)
    if (!m.ok) throw invalid('phone', '手机号码', m.message)
    phone = { phone_enc: ctx.pii.encrypt(m.value), phone_hash: phoneSubject(ctx, m.value), phone_masked: maskPhone(m.value) }
    // the new number is proven like the first one (it becomes the contact on record)
    await checkCode(ctx, { purpose: JOINING_CODE_PURPOSE, subject: phone.phone_hash!, code: b.smsCode ?? undefined })
  }
  const workplace = b.workplace?.trim() || null
  const r = await repo.answerByToken(ctx.db, tokenHash(b.token), { answer: text, workplace, ...phone })
  if (!r) {
    const s = await status(ctx, b.token) // 404 for an unknown token
    throw conflict(s.status === 'pending' ? '工会尚未要求补充材料，或您已补充过，请等待审核' : '该申请已办结，不能再补充')
  }
  ctx.audit({
    action: 'application.answer',
    targetType: 'application',
    targetId: r.id,
    scopePath: r.org_path,
    detail: {
      before: {
        status: 'need_info',
        ...(workplace ? { workplace: r.workplace_before } : {}),
        ...(phone.phone_masked ? { phone: r.phone_before } : {}),
      },
      after: {
        status: 'pending',
        answer: text,
        ...(workplace ? { workplace } : {}),
        ...(phone.phone_masked ? { phone: phone.phone_masked } : {}),
      },
      by: 'applicant',
    },
  })
  return status(ctx, b.token)
}

// ── reviewers ──────────────────────────────────────────────────────────────────────

const OPEN = new Set(['pending', 'need_info'])

function present(
  ctx: Ctx,
  r: Omit<
    repo.ApplicationRow,
    'document_enc' | 'document_hash' | 'phone_enc' | 'phone_hash' | 'consent_sensitive_at' | 'consent_privacy_at'
  >,
): ApplicationView {
  return {
    id: r.id,
    name: r.name,
    gender: r.gender,
    birthDateKnown: hasBirth(r),
    documentType: r.document_type,
    documentNumber: r.document_masked,
    phone: r.phone_masked,
    enterpriseId: r.enterprise_id,
    workplace: r.workplace,
    residenceRegion: r.residence_region,
    occupation: r.occupation,
    route: r.route,
    unionId: r.union_id,
    unionName: r.union_name,
    status: r.status,
    dueOn: r.due_on,
    overdue: OPEN.has(r.status) && r.due_on < ctx.today,
    applicantNote: r.applicant_note,
    reviewNote: r.review_note,
    infoAnswer: r.info_answer,
    infoAnsweredAt: r.info_answered_at ? new Date(r.info_answered_at).toISOString() : null,
    createdAt: new Date(r.created_at).toISOString(),
    memberId: r.member_id,
  }
}

export async function list(ctx: Ctx, q: z.output<typeof applicationListQuery>): Promise<Page<ApplicationView>> {
  let orgPath: string | undefined
  if (q.org) {
    const o = await orgs.findById(ctx.db, q.org)
    if (!o) throw notFound('组织')
    orgPath = o.path
  }
  const r = await repo.list(ctx.db, {
    orgPath,
    status: q.status,
    overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
    today: ctx.today,
    page: q.page,
    pageSize: q.pageSize,
  })
  return { items: r.items.map((x) => present(ctx, x)), total: r.total }
}

export async function get(ctx: Ctx, id: number): Promise<ApplicationView> {
  const r = await repo.findById(ctx.db, id)
  if (!r) throw notFound('入会申请')
  return present(ctx, r)
}

/**
 * 通过, 退回 or 要求补充材料. Approval makes the applicant a member of the application's union
 * (a 预备会员, status 'reserve', when it went to the town's pool), with the 入会 entry of the
 * ledger, in this transaction; if the person has meanwhile become a member elsewhere, nothing is
 * written and the answer says where (masked), as adding a member does.
 */
export async function decide(ctx: Ctx, id: number, b: z.output<typeof applicationDecisionBody>): Promise<ApplicationView> {
  requireWriter(ctx)
  const a = await repo.findById(ctx.db, id)
  if (!a) throw notFound('入会申请')
  if (!OPEN.has(a.status) || !(await repo.lockOpen(ctx.db, id))) throw conflict('该申请已办结，不能再次审核')
  const note = b.note?.trim() || null
  if (b.decision !== 'approve' && !note) {
    throw invalid('note', '审核意见', b.decision === 'reject' ? '不予通过时请说明理由' : '请说明需要补充的材料或信息')
  }

  let memberId: number | null = null
  if (b.decision === 'approve') {
    const union = await orgs.findById(ctx.db, a.union_id)
    if (!union) throw notFound('受理工会')
    if (union.status === 'dissolved') throw conflict('受理工会已注销，请将申请转交其他工会后再审核')
    const status = a.route === 'town_pool' ? 'reserve' : 'active'
    const contact = {
      enterprise_id: a.enterprise_id,
      workplace: a.workplace,
      occupation: a.occupation,
      phone_enc: a.phone_enc,
      phone_hash: a.phone_hash,
      phone_masked: a.phone_masked,
    }
    const enrolled = await enroll(ctx, union, {
      documentHash: a.document_hash,
      status,
      joinedOn: ctx.today,
      purpose: 'application.approve',
      // the person's row is theirs for life: a person who left takes it back (see member_readmit)
      readmitWith: { status, consent_at: a.consent_sensitive_at, ...contact },
      row: () => ({
        name: a.name,
        gender: a.gender,
        birth_enc: a.birth_enc,
        document_type: a.document_type,
        document_enc: a.document_enc,
        document_hash: a.document_hash,
        document_masked: a.document_masked,
        ...contact,
        consent_at: a.consent_sensitive_at,
      }),
    })
    memberId = enrolled.memberId
  }

  const next = { approve: 'approved', reject: 'rejected', need_info: 'need_info' }[b.decision]
  await repo.decide(ctx.db, id, {
    status: next,
    review_note: note,
    reviewed_by: ctx.actor.id,
    ...(memberId ? { member_id: memberId } : {}),
  })
  ctx.audit({
    action: `application.${b.decision}`,
    targetType: 'application',
    targetId: id,
    targetName: a.name,
    scopePath: a.org_path,
    detail: { before: { status: a.status }, after: { status: next, note, memberId, route: a.route, unionId: a.union_id } },
  })
  if (memberId) {
    ctx.audit({
      action: 'member.create',
      targetType: 'member',
      targetId: memberId,
      targetName: a.name,
      scopePath: a.org_path,
      detail: {
        after: {
          applicationId: id,
          unionId: a.union_id,
          status: a.route === 'town_pool' ? 'reserve' : 'active',
          documentNumber: a.document_masked,
        },
      },
    })
    // the new member hears of it at once, on the phone (SMS unless they opt out) and in the app
    const union = await orgs.findById(ctx.db, a.union_id)
    await notify(
      ctx,
      { members: [memberId] },
      {
        kind: 'application',
        title: '入会申请已通过',
        body: `您已成为「${union?.name ?? '工会'}」会员。登录会员端（手机号验证码）可查看电子会员卡、报名活动、提出建议。`,
        link: '/m',
        sms: true,
      },
    )
  }
  return get(ctx, id)
}
