import crypto from 'node:crypto'
import type { z } from 'zod'
import ExcelJS from 'exceljs'
import type { Ctx } from '../../http/context.js'
import { AppError, conflict, fieldError, forbidden, notFound } from '../../http/errors.js'
import { inScope, mayCheckIn, mayWriteAt, requireMember, requireWriter } from '../../policies/policy.js'
import type { Page } from '../../../../common/api.js'
import {
  activityStatuses,
  audiences,
  origins,
  registrationStatuses,
  timeProblems,
  type ActivityDetail,
  type ActivityView,
  type CheckInAnswer,
  type MyActivities,
  type MyActivity,
  type RegistrationView,
  type SignUpAnswer,
  type activityCreateBody,
  type activityListQuery,
  type activityUpdateBody,
  type registrationListQuery,
} from '../../../../common/activities.js'
import { notify } from '../messages/notify.js'
import * as repo from './activities.repository.js'
import { localDateTime } from '../../local-time.js'

/**
 * Activities (活动): a union publishes, its members sign up on the phone (capacity and waitlist
 * under the activity row's lock, in the database: 0021), the organizing union's cadres check them
 * in by the code on their phone, the members rate what they attended.
 */

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString())
const isoOf = (d: Date | string) => new Date(d).toISOString()

function view(a: repo.ActivityRow): ActivityView {
  return {
    id: Number(a.id),
    orgId: Number(a.org_id),
    orgName: a.org_name,
    title: a.title,
    body: a.body,
    place: a.place,
    startsAt: isoOf(a.starts_at),
    endsAt: isoOf(a.ends_at),
    capacity: a.capacity,
    signupOpens: isoOf(a.signup_opens),
    signupCloses: isoOf(a.signup_closes),
    cancelDeadline: isoOf(a.cancel_deadline),
    audience: a.audience as ActivityView['audience'],
    origin: a.origin as ActivityView['origin'],
    proposalId: a.proposal_id === null ? null : Number(a.proposal_id),
    status: a.status as ActivityView['status'],
    cancelReason: a.cancel_reason,
    registered: a.registered_count,
    waiting: a.waiting_count,
    publishedAt: iso(a.published_at),
  }
}

async function load(ctx: Ctx, id: number): Promise<repo.ActivityRow> {
  const a = await repo.get(ctx.db, id)
  if (!a) throw notFound('活动')
  return a
}

function checkTimes(t: Parameters<typeof timeProblems>[0]) {
  const p = timeProblems(t)
  const [field] = Object.keys(p)
  if (field) throw new AppError(400, 'invalid', Object.values(p).join('；'), p)
}

/** An activity from a member's proposal names one the organizer can read (the database refuses any other: 0024). */
async function checkOrigin(ctx: Ctx, origin: string, proposalId: number | null | undefined) {
  if (origin !== 'proposal') return
  if (!proposalId) throw fieldError('proposalId', '来自会员建议的活动请填写建议编号')
  if (!(await repo.proposalById(ctx.db, proposalId)))
    throw fieldError('proposalId', '未找到该编号的会员建议（须为本级或下级工会收到的建议）')
}

// ── the organizers (cadres) ───────────────────────────────────────────────────

export async function list(ctx: Ctx, q: z.output<typeof activityListQuery>): Promise<Page<ActivityView>> {
  let path = ctx.actor.scopePath ?? ''
  if (q.org) {
    const o = await repo.orgById(ctx.db, q.org)
    if (!o || !inScope(ctx.actor, o.path)) throw notFound('工会')
    path = o.path
  }
  if (!path) return { items: [], total: 0 }
  const r = await repo.list(ctx.db, {
    path,
    status: q.status,
    q: q.q || undefined,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  })
  return { items: r.rows.map(view), total: r.total }
}

export async function get(ctx: Ctx, id: number): Promise<ActivityDetail> {
  const a = await load(ctx, id)
  const t = await repo.tallies(ctx.db, id)
  const count = t.byScore.reduce((s, n) => s + n, 0)
  const sum = t.byScore.reduce((s, n, i) => s + n * (i + 1), 0)
  return {
    ...view(a),
    attended: t.attended,
    ratings: { count, average: count ? Math.round((sum / count) * 100) / 100 : null, byScore: t.byScore },
    mayCheckIn: mayCheckIn(ctx.actor, a) && a.status === 'published',
    mayEdit: mayWriteAt(ctx.actor, a.org_path) && a.status !== 'cancelled',
  }
}

export async function create(ctx: Ctx, b: z.output<typeof activityCreateBody>): Promise<ActivityDetail> {
  requireWriter(ctx)
  const orgId = b.orgId ?? ctx.actor.orgId
  if (!orgId) throw fieldError('orgId', '请选择主办工会')
  const o = await repo.orgById(ctx.db, orgId)
  if (!o || !mayWriteAt(ctx.actor, o.path)) throw notFound('工会')
  checkTimes(b)
  await checkOrigin(ctx, b.origin, b.proposalId)
  const id = await repo.insert(ctx.db, {
    org_id: Number(o.id),
    org_path: o.path,
    title: b.title,
    body: b.body,
    place: b.place,
    starts_at: b.startsAt,
    ends_at: b.endsAt,
    capacity: b.capacity,
    signup_opens: b.signupOpens,
    signup_closes: b.signupCloses,
    cancel_deadline: b.cancelDeadline,
    audience: b.audience,
    origin: b.origin,
    proposal_id: b.origin === 'proposal' ? (b.proposalId ?? null) : null,
    created_by: ctx.actor.id,
  })
  ctx.audit({
    action: 'activity.create',
    targetType: 'activity',
    targetId: id,
    targetName: b.title,
    scopePath: o.path,
    detail: { after: b },
  })
  return get(ctx, id)
}

export async function update(ctx: Ctx, id: number, b: z.output<typeof activityUpdateBody>): Promise<ActivityDetail> {
  requireWriter(ctx)
  await repo.lock(ctx.db, id)
  const a = await load(ctx, id)
  if (!mayWriteAt(ctx.actor, a.org_path)) throw forbidden(`“${a.title}”由${a.org_name}主办，只能查看`)
  if (a.status === 'cancelled') throw conflict('活动已取消，不能再修改')
  const before = view(a)
  const next = { ...before, ...Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)) }
  checkTimes(next)
  await checkOrigin(ctx, next.origin, next.proposalId)
  if (next.capacity < a.registered_count)
    throw fieldError('capacity', `已有${a.registered_count}人报名，名额不能少于${a.registered_count}（可先请会员取消报名）`)
  await repo.update(ctx.db, id, {
    title: next.title,
    body: next.body,
    place: next.place,
    starts_at: next.startsAt,
    ends_at: next.endsAt,
    capacity: next.capacity,
    signup_opens: next.signupOpens,
    signup_closes: next.signupCloses,
    cancel_deadline: next.cancelDeadline,
    audience: next.audience,
    origin: next.origin,
    proposal_id: next.origin === 'proposal' ? (next.proposalId ?? null) : null,
  })
  ctx.audit({
    action: 'activity.update',
    targetType: 'activity',
    targetId: id,
    targetName: next.title,
    scopePath: a.org_path,
    detail: { before, after: b },
  })
  if (a.status === 'published') {
    const promoted = next.capacity > a.capacity ? await repo.fillSeats(ctx.db, id) : []
    await tellPromoted(ctx, promoted, next.title, id)
    // a time sent in another offset is the same moment
    const same = (x: unknown, y: unknown) => x === y || (typeof x === 'string' && typeof y === 'string' && Date.parse(x) === Date.parse(y))
    const given = b as Record<string, unknown>
    const changed = ['title', 'place', 'startsAt', 'endsAt'].filter(
      (k) => given[k] !== undefined && !same(given[k], (before as unknown as Record<string, unknown>)[k]),
    )
    if (changed.length > 0) {
      const others = (await repo.liveMembers(ctx.db, id)).filter((m) => !promoted.includes(m))
      await notify(
        ctx,
        { members: others },
        {
          kind: 'activity_changed',
          title: `活动“${next.title}”有变更`,
          body: `时间：${localDateTime(next.startsAt)}；地点：${next.place}。请留意。`,
          link: `/m/activities/${id}`,
        },
      )
    }
  }
  return get(ctx, id)
}

export async function publish(ctx: Ctx, id: number): Promise<ActivityDetail> {
  requireWriter(ctx)
  await repo.lock(ctx.db, id)
  const a = await load(ctx, id)
  if (!mayWriteAt(ctx.actor, a.org_path)) throw forbidden(`“${a.title}”由${a.org_name}主办，只能查看`)
  if (a.status !== 'draft') throw conflict(`活动${activityStatuses[a.status as 'draft']}，不能再发布`)
  await repo.update(ctx.db, id, { status: 'published', published_at: new Date() })
  ctx.audit({ action: 'activity.publish', targetType: 'activity', targetId: id, targetName: a.title, scopePath: a.org_path })
  return get(ctx, id)
}

export async function cancel(ctx: Ctx, id: number, reason: string): Promise<ActivityDetail> {
  requireWriter(ctx)
  await repo.lock(ctx.db, id)
  const a = await load(ctx, id)
  if (!mayWriteAt(ctx.actor, a.org_path)) throw forbidden(`“${a.title}”由${a.org_name}主办，只能查看`)
  if (a.status === 'cancelled') throw conflict('活动已取消')
  await repo.update(ctx.db, id, { status: 'cancelled', cancel_reason: reason })
  ctx.audit({
    action: 'activity.cancel',
    targetType: 'activity',
    targetId: id,
    targetName: a.title,
    scopePath: a.org_path,
    detail: { reason },
  })
  if (a.status === 'published')
    await notify(
      ctx,
      { members: await repo.liveMembers(ctx.db, id) },
      {
        kind: 'activity_changed',
        title: `活动“${a.title}”已取消`,
        body: `原定${localDateTime(a.starts_at)}的活动取消，原因：${reason}`,
        link: `/m/activities/${id}`,
        sms: true,
      },
    )
  return get(ctx, id)
}

function regView(r: Awaited<ReturnType<typeof repo.registrations>>['rows'][number]): RegistrationView {
  return {
    id: Number(r.id),
    memberName: r.member_name,
    unionName: r.union_name,
    status: r.status as RegistrationView['status'],
    position: r.position,
    waitlistPlace: r.waitlist_place === null ? null : Number(r.waitlist_place),
    createdAt: isoOf(r.created_at),
    checkedInAt: iso(r.checked_in_at),
    rating: r.rating,
    comment: r.comment,
  }
}

export async function registrations(ctx: Ctx, id: number, q: z.output<typeof registrationListQuery>): Promise<Page<RegistrationView>> {
  await load(ctx, id)
  const r = await repo.registrations(ctx.db, id, { status: q.status, limit: q.pageSize, offset: (q.page - 1) * q.pageSize })
  return { items: r.rows.map(regView), total: r.total }
}

/** The sign-ups (registered, waiting, cancelled), attendance and ratings as xlsx; recorded. */
export async function exportXlsx(ctx: Ctx, id: number): Promise<{ buffer: Buffer; fileName: string }> {
  const a = await load(ctx, id)
  const { rows } = await repo.registrations(ctx.db, id, {})
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('报名与签到')
  ws.addRow([`${a.title}（${a.org_name}，${localDateTime(a.starts_at)}，${a.place}）`])
  ws.addRow([
    `名额 ${a.capacity}，已报名 ${a.registered_count}，候补 ${a.waiting_count}，来源：${origins[a.origin as 'plan']}，范围：${audiences[a.audience as 'own']}`,
  ])
  ws.addRow([])
  const head = ws.addRow(['序号', '姓名', '所在工会', '状态', '候补位次', '报名时间', '签到时间', '评分', '评价'])
  head.font = { bold: true }
  // text cells that start like a formula are stored as text, never read as one
  const safe = (s: string | null) => (s && /^[=+\-@\t\r]/.test(s) ? `'${s}` : (s ?? ''))
  rows.forEach((r, i) => {
    ws.addRow([
      i + 1,
      safe(r.member_name),
      safe(r.union_name),
      registrationStatuses[r.status as 'registered'] ?? r.status,
      r.waitlist_place === null ? '' : Number(r.waitlist_place),
      localDateTime(r.created_at),
      localDateTime(r.checked_in_at),
      r.rating ?? '',
      safe(r.comment),
    ])
  })
  ws.columns.forEach((c, i) => (c.width = [6, 12, 24, 8, 10, 18, 18, 6, 40][i]))
  ctx.audit({
    action: 'activity.export',
    targetType: 'activity',
    targetId: id,
    targetName: a.title,
    scopePath: a.org_path,
    detail: { rows: rows.length },
  })
  return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), fileName: `${a.title}-报名签到.xlsx` }
}

// ── the check-in code ─────────────────────────────────────────────────────────

/** '<registration>-<10 digits>': the digits are a keyed HMAC of the registration (the PII lookup key), unguessable without it. */
export function checkInCode(ctx: Pick<Ctx, 'pii'>, registrationId: number): string {
  const mac = Buffer.from(ctx.pii.hash(`activity-check-in:${registrationId}`), 'base64url')
  const digits = (mac.readUIntBE(0, 6) % 10_000_000_000).toString().padStart(10, '0')
  return `${registrationId}-${digits}`
}

function parseCode(ctx: Ctx, raw: string): number | null {
  const m = /^(\d{1,12})-?(\d{10})$/.exec(raw.replace(/\s+/g, '').replace(/[－—–]/g, '-'))
  if (!m) return null
  const id = Number(m[1])
  const expected = Buffer.from(checkInCode(ctx, id))
  const given = Buffer.from(`${id}-${m[2]}`)
  return expected.length === given.length && crypto.timingSafeEqual(expected, given) ? id : null
}

export async function checkIn(ctx: Ctx, activityId: number, code: string): Promise<CheckInAnswer> {
  const a = await load(ctx, activityId)
  if (!mayCheckIn(ctx.actor, a)) throw forbidden(`只有${a.org_name}的工作人员可以为本活动签到`)
  if (a.status !== 'published') throw conflict(`活动${activityStatuses[a.status as 'draft']}，不能签到`)
  const regId = parseCode(ctx, code)
  const r = regId === null ? undefined : await repo.registration(ctx.db, regId)
  if (!r || Number(r.activity_id) !== activityId)
    throw new AppError(404, 'not_found', '签到码无效：不是本活动的报名', { checkInCode: '不是本活动的签到码' })
  if (r.checked_in_at)
    return {
      checkedIn: false,
      message: `已签到（${localDateTime(r.checked_in_at)}），无需重复签到`,
      memberName: r.member_name,
      checkedInAt: isoOf(r.checked_in_at),
    }
  if (r.status === 'cancelled') throw conflict(`${r.member_name}已取消报名，签到码作废`, { checkInCode: '报名已取消' })
  if (r.status === 'waiting') throw conflict(`${r.member_name}仍在候补，未获得名额`, { checkInCode: '候补中' })
  const done = await repo.checkIn(ctx.db, Number(r.id), ctx.actor.id)
  if (!done) throw conflict('签到未成功，请重试')
  ctx.audit({
    action: 'activity.check_in',
    targetType: 'activity_registration',
    targetId: Number(r.id),
    targetName: `${a.title} · ${r.member_name}`,
    scopePath: a.org_path,
  })
  return { checkedIn: true, message: `${r.member_name} 签到成功`, memberName: r.member_name, checkedInAt: isoOf(done.checked_in_at!) }
}

// ── the member (会员端) ───────────────────────────────────────────────────────

function myView(ctx: Ctx, a: repo.MemberActivityRow): MyActivity {
  return {
    id: Number(a.id),
    title: a.title,
    body: a.body,
    place: a.place,
    orgName: a.org_name ?? '',
    startsAt: isoOf(a.starts_at),
    endsAt: isoOf(a.ends_at),
    signupOpens: isoOf(a.signup_opens),
    signupCloses: isoOf(a.signup_closes),
    cancelDeadline: isoOf(a.cancel_deadline),
    capacity: a.capacity,
    registered: a.registered_count,
    waiting: a.waiting_count,
    status: a.status as MyActivity['status'],
    cancelReason: a.cancel_reason,
    origin: a.origin as MyActivity['origin'],
    mine:
      a.reg_id === null
        ? null
        : {
            status: a.reg_status as RegistrationView['status'],
            waitlistPlace: a.reg_waitlist_place === null ? null : Number(a.reg_waitlist_place),
            code: a.reg_status === 'registered' && a.status === 'published' ? checkInCode(ctx, Number(a.reg_id)) : null,
            checkedInAt: iso(a.reg_checked_in_at),
            rating: a.reg_rating,
            comment: a.reg_comment,
          },
  }
}

export async function myList(ctx: Ctx): Promise<MyActivities> {
  const me = requireMember(ctx)
  const rows = (await repo.forMember(ctx.db, me.memberId, { limit: 200 })).map((r) => myView(ctx, r))
  const now = Date.now()
  const live = (m: MyActivity['mine']) => m !== null && (m.status !== 'cancelled' || m.checkedInAt !== null)
  return {
    open: rows.filter(
      (a) => a.status === 'published' && !live(a.mine) && Date.parse(a.signupCloses) >= now && Date.parse(a.startsAt) > now,
    ),
    mine: rows.filter((a) => live(a.mine)).reverse(),
  }
}

export async function myGet(ctx: Ctx, id: number): Promise<MyActivity> {
  const me = requireMember(ctx)
  const a = await repo.oneForMember(ctx.db, me.memberId, id)
  if (!a) throw notFound('活动')
  return myView(ctx, a)
}

export async function signUp(ctx: Ctx, id: number): Promise<SignUpAnswer> {
  const me = requireMember(ctx)
  const r = await repo.signUp(ctx.db, id, me.name, ctx.actor.orgName ?? '')
  switch (r.outcome) {
    case 'not_found':
      throw notFound('活动')
    case 'not_open':
      throw conflict('报名尚未开始')
    case 'closed':
      throw conflict('报名已截止')
  }
  const a = await load(ctx, id)
  if (r.outcome !== 'already')
    ctx.audit({
      action: 'activity.sign_up',
      targetType: 'activity_registration',
      targetId: Number(r.registration_id),
      targetName: `${a.title} · ${me.name}`,
      scopePath: a.org_path,
      detail: { status: r.reg_status },
    })
  if (r.warn)
    await notify(
      ctx,
      { orgId: Number(a.org_id), orgPath: a.org_path },
      {
        kind: 'activity_full',
        title: r.warn === '100' ? `活动“${a.title}”名额已满` : `活动“${a.title}”报名已达80%`,
        body: `名额${a.capacity}人，已报名${a.registered_count}人${r.warn === '100' ? '，此后报名的会员进入候补' : ''}。`,
        link: `/activities/${id}`,
      },
    )
  const mine = await repo.mine(ctx.db, id, me.memberId)
  const place = mine?.waitlist_place == null ? null : Number(mine.waitlist_place)
  const status = (mine?.status ?? r.reg_status) as SignUpAnswer['status']
  return {
    status,
    waitlistPlace: place,
    message:
      r.outcome === 'already'
        ? status === 'waiting'
          ? `您已在候补名单中（第${place}位）`
          : '您已报名'
        : status === 'registered'
          ? '报名成功'
          : `名额已满，您已进入候补（第${place}位），有人取消时将自动递补并通知您`,
  }
}

async function tellPromoted(ctx: Ctx, members: number[], title: string, id: number) {
  if (members.length === 0) return
  await notify(
    ctx,
    { members },
    {
      kind: 'waitlist_promoted',
      title: `候补转正：${title}`,
      body: `您已从候补转为正式报名，请按时参加，签到码见活动页面。`,
      link: `/m/activities/${id}`,
      sms: true,
    },
  )
}

export async function cancelSignUp(ctx: Ctx, id: number): Promise<{ message: string }> {
  const me = requireMember(ctx)
  const r = await repo.cancelSignUp(ctx.db, id)
  if (r.outcome === 'not_found') throw notFound('报名')
  if (r.outcome === 'too_late') throw conflict('已过取消报名截止时间（或已签到），不能取消')
  const a = await load(ctx, id)
  ctx.audit({
    action: 'activity.sign_up_cancel',
    targetType: 'activity',
    targetId: id,
    targetName: `${a.title} · ${me.name}`,
    scopePath: a.org_path,
    detail: { was: r.was, promoted: r.promoted_registration === null ? null : Number(r.promoted_registration) },
  })
  if (r.promoted_member !== null) await tellPromoted(ctx, [Number(r.promoted_member)], a.title, id)
  return { message: '已取消报名' }
}

export async function rate(ctx: Ctx, id: number, b: { rating: number; ratingComment: string }): Promise<MyActivity> {
  const me = requireMember(ctx)
  const mine = await repo.mine(ctx.db, id, me.memberId)
  if (!mine) throw notFound('报名')
  if (!mine.checked_in_at) throw conflict('签到参加活动后才能评价')
  if (mine.rating !== null) throw conflict('您已评价过本活动')
  if (!(await repo.rate(ctx.db, Number(mine.id), b.rating, b.ratingComment || null))) throw conflict('您已评价过本活动')
  const a = await load(ctx, id)
  ctx.audit({
    action: 'activity.rate',
    targetType: 'activity_registration',
    targetId: Number(mine.id),
    targetName: `${a.title} · ${me.name}`,
    scopePath: a.org_path,
    detail: { rating: b.rating },
  })
  return myGet(ctx, id)
}
