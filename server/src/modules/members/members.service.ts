import type { z } from 'zod'
import type {
  MemberDetail,
  MemberSummary,
  MemberView,
  memberCreateBody,
  memberListQuery,
  memberSummaryQuery,
  memberStatusBody,
  memberUpdateBody,
} from '../../../../common/api-members.js'
import type { Page } from '../../../../common/api.js'
import { memberStatuses } from '../../../../common/member-codes.js'
import { validateMobile } from '../../../../common/id-card.js'
import type { Ctx } from '../../http/context.js'
import { conflict, fieldError, notFound } from '../../http/errors.js'
import * as repo from './members.repository.js'
import { locatePeople } from './locate.js'
import * as orgs from '../orgs/orgs.repository.js'
import * as enterprises from '../enterprises/enterprises.repository.js'
import { requireRevealer, requireWriter } from '../../policies/policy.js'
import { elsewhereError, enroll, qualityOf } from './enroll.js'
import { birthInDocument, documentHash, hasBirth, identityColumns, revealBirth, sealBirth, sealIdentity } from './identity.js'
import * as transfers from '../transfers/transfers.repository.js'
import { presentTransfer } from '../transfers/transfers.presenter.js'

type Row = NonNullable<Awaited<ReturnType<typeof repo.findById>>>
/** A row of a page of the register (repo.list): what present reads */
type Listed = Awaited<ReturnType<typeof repo.list>>['items'][number]
type CreateBody = z.output<typeof memberCreateBody>
type UpdateBody = z.output<typeof memberUpdateBody>

/** Unions that can hold members: any that is not dissolved. */
const JOINABLE = (o: { status: string }) => o.status !== 'dissolved'

export function present(r: Listed): MemberView {
  return {
    id: r.id,
    memberNo: r.member_no,
    name: r.name,
    gender: r.gender,
    ethnicity: r.ethnicity,
    birthDateKnown: hasBirth(r),
    documentType: r.document_type,
    documentNumber: r.document_masked,
    phone: r.phone_masked,
    education: r.education,
    politicalStatus: r.political_status,
    employmentStatus: r.employment_status,
    skillLevel: r.skill_level,
    householdType: r.household_type,
    householdPlace: r.household_place,
    isMigrant: r.is_migrant,
    enterpriseId: r.enterprise_id,
    workplace: r.workplace,
    jobTitle: r.job_title,
    isModelWorker: r.is_model_worker,
    occupation: r.occupation,
    unionId: r.union_id,
    unionName: r.union_name,
    status: r.status,
    joinedOn: r.joined_on,
    leftOn: r.left_on,
    quality: r.quality,
  }
}

/** What the audit log keeps of a member: no clear personal data (and no birth date: it would unmask the number). */
function auditView(r: Partial<Row>) {
  const { document_enc, phone_enc, document_hash, phone_hash, birth_date, birth_enc, created_at, updated_at, ...rest } = r as Row
  return { ...rest, birth_date_known: hasBirth(r as Row) }
}

async function orgOf(ctx: Ctx, org: number | undefined) {
  if (!org) return undefined
  // the cadre's own union: its place is the scope the session was read with
  if (org === ctx.actor.orgId && ctx.actor.scopePath) return { id: org, path: ctx.actor.scopePath }
  const o = await orgs.placeOf(ctx.db, org)
  if (!o) throw notFound('组织')
  return o
}

/**
 * The members page's cards, in one request, from the kept tallies of the organization (the caller's
 * own without one), like the dashboard: by status; 新就业形态 and the 合格 records of 实名制录入率
 * among the members in good standing, as the indicators count them (0032).
 */
export async function summary(ctx: Ctx, q: z.output<typeof memberSummaryQuery>): Promise<MemberSummary> {
  const orgId = (await orgOf(ctx, q.org))?.id ?? ctx.actor.orgId
  const byStatus = { active: 'members', retained: 'members.retained', reserve: 'members.reserve', left: 'members.left' } as const
  const t = orgId === null ? null : await repo.talliesOf(ctx.db, orgId, [...Object.values(byStatus), 'members.ok', 'members.ne'])
  const of = (metric: keyof NonNullable<typeof t>) => t?.[metric] ?? 0
  return {
    byStatus: Object.fromEntries(memberStatuses.map((s) => [s.code, of(byStatus[s.code])])),
    ok: of('members.ok'),
    reported: of('members'),
    newEmployment: of('members.ne'),
  }
}

export async function list(ctx: Ctx, q: z.output<typeof memberListQuery>): Promise<Page<MemberView>> {
  const o = await orgOf(ctx, q.org)
  // one search box: a document number, a mobile number, a member number, or the start of a name
  const f: repo.MemberFilter = {
    orgPath: o?.path,
    // the rows a cadre sees without a union chosen are those of their own union's subtree: its tallies
    orgId: o?.id ?? (ctx.actor.scopePath ? (ctx.actor.orgId ?? undefined) : undefined),
    status: q.status,
    quality: q.quality,
    occupation: q.occupation,
    sort: q.sort,
    page: q.page,
    pageSize: q.pageSize,
  }
  const term = q.q?.trim()
  if (term) {
    if (/^\d{15}$|^\d{17}[\dXx]$/.test(term)) f.documentHash = documentHash(ctx.pii, 'resident_id', term.toUpperCase())
    else if (validateMobile(term).ok && /^\+?\d[\d\s-]{9,}$/.test(term))
      f.phoneHash = ctx.pii.hash(`phone:${(validateMobile(term) as { value: string }).value}`)
    else if (/^\d{14}$/.test(term)) f.memberNo = term
    else f.name = term
  }
  const r = await repo.list(ctx.db, f)
  return { items: r.items.map(present), total: r.total, totalCapped: r.totalCapped }
}

export async function get(ctx: Ctx, id: number): Promise<MemberDetail> {
  const r = await repo.findById(ctx.db, id)
  if (!r) throw notFound('会员')
  const [events, open] = await Promise.all([repo.events(ctx.db, id), transfers.openFor(ctx.db, id)])
  return {
    ...present(r),
    events: events.map((e) => ({
      id: e.id,
      eventType: e.event_type,
      reason: e.reason,
      occurredOn: e.occurred_on,
      unionId: e.union_id,
      unionName: e.union_name,
      transferId: e.transfer_id,
    })),
    openTransfer: open ? presentTransfer(ctx, open) : null,
  }
}

/** A member's workplace must lie in the caller's jurisdiction (the database refuses it too: 0017). */
async function ownWorkplace(ctx: Ctx, enterpriseId: number | null | undefined) {
  if (!enterpriseId) return
  const [e] = await enterprises.findRawByIds(ctx.db, [enterpriseId])
  if (!e) throw fieldError('enterpriseId', '工作单位不存在或不在您的管辖范围内')
}

async function joinableUnion(ctx: Ctx, unionId: number) {
  const u = await orgs.findById(ctx.db, unionId)
  if (!u) throw fieldError('unionId', '工会不存在或不在您的管辖范围内')
  if (!JOINABLE(u)) throw fieldError('unionId', '该工会已注销，不能接收会员')
  return u
}

export async function create(ctx: Ctx, b: CreateBody): Promise<MemberDetail> {
  requireWriter(ctx)
  const union = await joinableUnion(ctx, b.unionId)
  await ownWorkplace(ctx, b.enterpriseId)
  const id = sealIdentity(ctx.pii, b.documentType, b.documentNumber, b.phone)
  if (!id.ok) throw fieldError(id.field, id.message)
  const person = id.value
  if (b.gender && person.gender && b.gender !== person.gender) throw fieldError('gender', '性别与身份证号码不符')
  if (b.birthDate && person.birthDate && b.birthDate !== person.birthDate) throw fieldError('birthDate', '出生日期与身份证号码不符')
  const joinedOn = b.joinedOn ?? ctx.today
  if (joinedOn > ctx.today) throw fieldError('joinedOn', '入会日期不能晚于今天')

  const { memberId } = await enroll(ctx, union, {
    documentHash: person.document_hash,
    status: 'active',
    joinedOn,
    purpose: 'member.create',
    row: () => {
      const gender = b.gender ?? person.gender
      if (!gender) throw fieldError('gender', '请选择性别')
      return {
        name: b.name,
        gender,
        ethnicity: b.ethnicity ?? null,
        birth_enc: sealBirth(ctx.pii, person.document_type, b.birthDate),
        ...identityColumns(person),
        education: b.education ?? null,
        political_status: b.politicalStatus ?? null,
        employment_status: b.employmentStatus ?? '1',
        skill_level: b.skillLevel ?? null,
        household_type: b.householdType ?? null,
        household_place: b.householdPlace ?? null,
        is_migrant: b.isMigrant ?? false,
        enterprise_id: b.enterpriseId ?? null,
        workplace: b.workplace ?? null,
        job_title: b.jobTitle ?? null,
        is_model_worker: b.isModelWorker ?? false,
        occupation: b.occupation ?? null,
      }
    },
  })
  const view = await get(ctx, memberId)
  ctx.audit({
    action: 'member.create',
    targetType: 'member',
    targetId: memberId,
    targetName: b.name,
    scopePath: union.path,
    detail: { after: { ...view, events: undefined } },
  })
  return view
}

export async function update(ctx: Ctx, id: number, b: UpdateBody): Promise<MemberDetail> {
  requireWriter(ctx)
  const before = await repo.findById(ctx.db, id)
  if (!before) throw notFound('会员')
  if (before.status === 'left') throw conflict('已离会的会员不能修改')
  if (b.enterpriseId !== before.enterprise_id) await ownWorkplace(ctx, b.enterpriseId)
  const patch: repo.MemberPatch = {
    name: b.name,
    gender: b.gender,
    ethnicity: b.ethnicity,
    education: b.education,
    political_status: b.politicalStatus,
    employment_status: b.employmentStatus,
    skill_level: b.skillLevel,
    household_type: b.householdType,
    household_place: b.householdPlace,
    is_migrant: b.isMigrant,
    enterprise_id: b.enterpriseId,
    workplace: b.workplace,
    job_title: b.jobTitle,
    is_model_worker: b.isModelWorker,
    occupation: b.occupation,
  }
  if (b.documentNumber !== undefined || b.phone !== undefined) {
    const docType = b.documentType ?? before.document_type
    const docNumber = b.documentNumber ?? ctx.pii.decrypt(before.document_enc)
    const phone = b.phone === undefined ? (before.phone_enc ? ctx.pii.decrypt(before.phone_enc) : null) : b.phone
    const sealed = sealIdentity(ctx.pii, docType, docNumber, phone)
    if (!sealed.ok) throw fieldError(sealed.field, sealed.message)
    const { birthDate, gender, ...columns } = sealed.value
    if (columns.document_hash !== before.document_hash) {
      const [found] = await locatePeople(ctx, [columns.document_hash], 'member.update')
      if (found) throw elsewhereError(found, before.union_id)
    }
    if (gender && (b.gender ?? before.gender) !== gender) throw fieldError('gender', '性别与身份证号码不符')
    if (b.birthDate && birthDate && b.birthDate !== birthDate) throw fieldError('birthDate', '出生日期与身份证号码不符')
    Object.assign(patch, columns)
    // a number that encodes the birth date replaces a kept one; another keeps it unless a new one is given
    if (birthDate) patch.birth_enc = null
  }
  const docType = patch.document_type ?? before.document_type
  if (b.birthDate !== undefined && !birthInDocument(docType)) patch.birth_enc = sealBirth(ctx.pii, docType, b.birthDate)
  else if (b.birthDate && patch.document_type === undefined && b.birthDate !== revealBirth(ctx.pii, before))
    throw fieldError('birthDate', '出生日期与身份证号码不符')
  const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as repo.MemberPatch
  const merged = { ...before, ...clean } as Row
  clean.quality = qualityOf(merged)
  await repo.update(ctx.db, id, clean)
  const after = (await repo.findById(ctx.db, id))!
  const diffB: Record<string, unknown> = {}
  const diffA: Record<string, unknown> = {}
  const a = auditView(after) as Record<string, unknown>
  const bv = auditView(before) as Record<string, unknown>
  for (const k of Object.keys(a))
    if (JSON.stringify(a[k]) !== JSON.stringify(bv[k])) {
      diffB[k] = bv[k]
      diffA[k] = a[k]
    }
  ctx.audit({
    action: 'member.update',
    targetType: 'member',
    targetId: id,
    targetName: after.name,
    scopePath: after.org_path,
    detail: { before: diffB, after: diffA },
  })
  return get(ctx, id)
}

/**
 * 保留 (retirement, unemployment: the last union keeps the membership), 除名, 退会, or 恢复 a
 * retained membership; each is an entry of the ledger.
 */
export async function changeStatus(ctx: Ctx, id: number, b: z.output<typeof memberStatusBody>): Promise<MemberDetail> {
  requireWriter(ctx)
  const m = await repo.findById(ctx.db, id)
  if (!m) throw notFound('会员')
  const on = b.occurredOn ?? ctx.today
  if (on > ctx.today) throw fieldError('occurredOn', '日期不能晚于今天')
  const last = await repo.lastEventDate(ctx.db, id)
  if (last && on < last) throw fieldError('occurredOn', `不能早于该会员最近一次会籍变化（${last}）`)
  if (await transfers.openFor(ctx.db, id)) throw conflict('该会员有正在办理的接转，请先处理接转')
  const next = { '3': 'retained', '5': 'left', '6': 'left', restore: 'active' }[b.event]
  const allowed: Record<string, string[]> = {
    '3': ['active'],
    '5': ['active', 'retained'],
    '6': ['active', 'retained'],
    restore: ['retained'],
  }
  if (!allowed[b.event]!.includes(m.status)) throw conflict(`会员当前状态不能办理此项（当前：${m.status}）`)
  if ((b.event === '5' || b.event === '6') && !b.reason) throw fieldError('reason', '请选择原因')
  await repo.update(ctx.db, id, { status: next, left_on: next === 'left' ? on : null })
  // 恢复 is recorded as 入会 again at the same union
  await repo.addEvent(ctx.db, {
    member_id: id,
    union_id: m.union_id,
    org_path: m.org_path,
    event_type: b.event === 'restore' ? '1' : b.event,
    reason: b.reason ?? null,
    occurred_on: on,
    actor_id: ctx.actor.id,
  })
  ctx.audit({
    action: 'member.status',
    targetType: 'member',
    targetId: id,
    targetName: m.name,
    scopePath: m.org_path,
    detail: { before: { status: m.status }, after: { status: next, event: b.event, reason: b.reason, occurredOn: on } },
  })
  return get(ctx, id)
}

export async function reveal(ctx: Ctx, id: number, field: 'documentNumber' | 'phone' | 'birthDate', reason: string) {
  requireRevealer(ctx)
  const m = await repo.findById(ctx.db, id)
  if (!m) throw notFound('会员')
  ctx.audit({
    action: 'pii.reveal',
    targetType: 'member',
    targetId: id,
    targetName: m.name,
    scopePath: m.org_path,
    detail: { field, reason },
  })
  if (field === 'birthDate') return { value: revealBirth(ctx.pii, m) }
  const enc = field === 'documentNumber' ? m.document_enc : m.phone_enc
  return { value: enc ? ctx.pii.decrypt(enc) : null }
}
