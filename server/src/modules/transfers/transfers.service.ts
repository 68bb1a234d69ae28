import type { z } from 'zod'
import type { TransferView, transferCreateBody, transferFromImportBody, transferListQuery } from '../../../../common/api-members.js'
import type { Page } from '../../../../common/api.js'
import type { Ctx } from '../../http/context.js'
import { conflict, fieldError, forbidden, notFound } from '../../http/errors.js'
import { inScope, requireWriter, transferable } from '../../policies/policy.js'
import { decider, presentTransfer } from './transfers.presenter.js'
import * as repo from './transfers.repository.js'
import * as members from '../members/members.repository.js'
import * as imports from '../imports/imports.repository.js'
import { documentHash } from '../members/identity.js'
import { locatePeople } from '../members/locate.js'
import { validateDocument } from '../../../../common/documents.js'
import { notify } from '../messages/notify.js'

/** Name, path and status of unions in any jurisdiction (a transfer crosses them). */
async function orgBrief(ctx: Ctx, id: number) {
  const o = (await repo.orgBriefs(ctx.db, [id]))[0]
  return o ? { ...o, id: Number(o.id) } : undefined
}

/** The other side's union lies outside the caller's jurisdiction: its name comes from org_brief. */
async function withUnionNames(ctx: Ctx, rows: repo.TransferRow[]) {
  const missing = [
    ...new Set(
      rows
        .flatMap((t) => [t.from_union_name ? null : t.from_union_id, t.to_union_name ? null : t.to_union_id])
        .filter((x): x is number => x !== null),
    ),
  ]
  if (missing.length === 0) return rows
  const names = new Map((await repo.orgBriefNames(ctx.db, missing)).map((x) => [Number(x.id), x.name]))
  return rows.map((t) => ({
    ...t,
    from_union_name: t.from_union_name ?? names.get(t.from_union_id) ?? null,
    to_union_name: t.to_union_name ?? names.get(t.to_union_id) ?? null,
  }))
}

export async function list(ctx: Ctx, q: z.output<typeof transferListQuery>): Promise<Page<TransferView>> {
  const r = await repo.list(ctx.db, {
    scopePath: ctx.actor.scopePath ?? '',
    direction: q.direction,
    status: q.status,
    requestedBy: q.requestedBy,
    page: q.page,
    pageSize: q.pageSize,
  })
  return { items: (await withUnionNames(ctx, r.items)).map((t) => presentTransfer(ctx, t)), total: r.total }
}

export async function get(ctx: Ctx, id: number) {
  const t = await repo.findById(ctx.db, id)
  if (!t) throw notFound('接转记录')
  return presentTransfer(ctx, (await withUnionNames(ctx, [t]))[0]!)
}

/**
 * Either side may ask: the member's union (转出) or the union the member goes to (转入). The member
 * stays where they are until the receiving union accepts, so they are never counted twice or lost.
 */
export async function request(ctx: Ctx, b: z.output<typeof transferCreateBody>): Promise<TransferView> {
  requireWriter(ctx)
  // the sending side names a member it sees; the receiving side names the person by document number
  let who: { memberId: number; unionId: number; name: string; masked: string; status: string }
  if (b.memberId) {
    const m = await members.findById(ctx.db, b.memberId)
    if (!m) throw notFound('会员')
    who = { memberId: m.id, unionId: m.union_id, name: m.name, masked: m.document_masked, status: m.status }
  } else {
    const type = (b.documentType ?? 'resident_id') as Parameters<typeof validateDocument>[0]
    const doc = validateDocument(type, b.documentNumber ?? '')
    if (!doc.ok) throw fieldError('documentNumber', doc.message)
    const [found] = await locatePeople(ctx, [documentHash(ctx.pii, type, doc.value)], 'transfer.request')
    if (!found) throw fieldError('documentNumber', '未找到该证件号码的会员')
    who = {
      memberId: found.member_id,
      unionId: found.union_id,
      name: found.name_masked,
      masked: found.document_masked,
      status: found.status,
    }
  }
  return open(ctx, who, b.toUnionId, b.reason ?? '1', b.note ?? null)
}

/**
 * From a roster import (名册导入): the person of a row who is a member elsewhere is asked over to the
 * union the roster was imported into (转入), decided by the member's union. The number is not shown
 * or sent: the row keeps its keyed hash (import_problem.document_hash).
 */
export async function requestFromImport(ctx: Ctx, b: z.output<typeof transferFromImportBody>): Promise<TransferView> {
  requireWriter(ctx)
  const row = await imports.problemPerson(ctx.db, b.jobId, b.rowNo)
  if (!row?.document_hash) throw notFound('可接转的导入行')
  const [found] = await locatePeople(ctx, [row.document_hash], 'transfer.request')
  if (!found || found.status === 'left') throw conflict('该行的人员已不是他处会员，无需接转')
  const who = {
    memberId: found.member_id,
    unionId: found.union_id,
    name: found.name_masked,
    masked: found.document_masked,
    status: found.status,
  }
  return open(ctx, who, row.union_id, '1', b.note ?? `名册导入（${row.file_name} 第${b.rowNo}行）`)
}

/** Opens a transfer of `who` to union `toUnionId`, asked by whichever side the caller is. */
async function open(
  ctx: Ctx,
  who: { memberId: number; unionId: number; name: string; masked: string; status: string },
  toUnionId: number,
  reason: string,
  note: string | null,
): Promise<TransferView> {
  if (!transferable(who.status)) throw conflict('只有在册、保留会籍或预备会员可以办理接转')
  const from = await orgBrief(ctx, who.unionId)
  const to = await orgBrief(ctx, toUnionId)
  if (!from) throw notFound('会员')
  if (!to || to.status === 'dissolved') throw fieldError('toUnionId', '转入工会不存在或已注销')
  if (to.id === from.id) throw fieldError('toUnionId', '转入工会与会员当前所在工会相同')
  const requestedBy = inScope(ctx.actor, from.path) ? 'from' : inScope(ctx.actor, to.path) ? 'to' : null
  if (!requestedBy) throw forbidden('只有转出或转入工会可以发起接转')
  // a transfer in flight that the caller cannot see is caught by the unique index transfer_open
  if (await repo.openFor(ctx.db, who.memberId)) throw conflict('该会员已有一笔正在办理的接转')
  const { id } = await repo.insert(ctx.db, {
    member_id: who.memberId,
    member_name: who.name,
    document_masked: who.masked,
    from_union_id: from.id,
    from_path: from.path,
    to_union_id: to.id,
    to_path: to.path,
    requested_by: requestedBy,
    reason,
    note,
  })
  ctx.audit({
    action: 'transfer.request',
    targetType: 'transfer',
    targetId: id,
    targetName: who.name,
    scopePath: requestedBy === 'from' ? from.path : to.path,
    detail: { after: { memberId: who.memberId, from: from.id, to: to.id, requestedBy } },
  })
  return get(ctx, id)
}

/** The receiving union takes the member over: 转出 at the old union and 转入 at the new one, the same day. */
export async function accept(ctx: Ctx, id: number, note: string | null): Promise<TransferView> {
  requireWriter(ctx)
  const t = await repo.findById(ctx.db, id)
  if (!t) throw notFound('接转记录')
  if (t.status !== 'pending') throw conflict('该接转已办结')
  if (decider(t) === 'to' && !inScope(ctx.actor, t.to_path)) throw forbidden('只有转入工会可以接收')
  if (decider(t) === 'from' && !inScope(ctx.actor, t.from_path)) throw forbidden('转入工会发起的接转，由会员所在工会确认')
  const m = await members.findById(ctx.db, t.member_id)
  if (!m) throw notFound('会员')
  const on = ctx.today
  const last = await members.lastEventDate(ctx.db, m.id)
  if (last && on < last) throw conflict(`该会员最近一次会籍变化在 ${last}，今天不能办理`)
  await members.update(ctx.db, m.id, { union_id: t.to_union_id, org_path: t.to_path, status: 'active', left_on: null })
  await members.addMoves(
    ctx.db,
    [{ memberId: m.id, from: { id: t.from_union_id, path: t.from_path }, to: { id: t.to_union_id, path: t.to_path } }],
    { occurredOn: on, reason: t.reason, transferId: id, actorId: ctx.actor.id },
  )
  if (!(await repo.decide(ctx.db, id, 'accepted', ctx.actor.id, note))) throw conflict('该接转已办结')
  ctx.audit({
    action: 'transfer.accept',
    targetType: 'transfer',
    targetId: id,
    targetName: m.name,
    scopePath: t.to_path,
    detail: { before: { unionId: t.from_union_id }, after: { unionId: t.to_union_id }, note },
  })
  const to = (await repo.orgBriefs(ctx.db, [t.to_union_id]))[0]
  await notify(
    ctx,
    { members: [m.id] },
    { kind: 'transfer', title: '会籍已转入新工会', body: `您的会籍已转入「${to?.name ?? '新工会'}」。`, link: '/m', sms: true },
  )
  return get(ctx, id)
}

/** The receiving union declines (退回), or the sending side withdraws its request (撤销). */
export async function decline(ctx: Ctx, id: number, note: string | null): Promise<TransferView> {
  requireWriter(ctx)
  const t = await repo.findById(ctx.db, id)
  if (!t) throw notFound('接转记录')
  if (t.status !== 'pending') throw conflict('该接转已办结')
  // a member's own request: the receiving union declines it; only the member withdraws it
  const askerPath = t.requested_by === 'member' ? null : t.requested_by === 'to' ? t.to_path : t.from_path
  const deciderPath = t.requested_by === 'to' ? t.from_path : t.to_path
  const status = askerPath && inScope(ctx.actor, askerPath) ? 'cancelled' : inScope(ctx.actor, deciderPath) ? 'rejected' : null
  if (!status && t.requested_by === 'member') throw forbidden('会员本人申请的转会，由转入工会接收或退回；撤回须由会员本人办理')
  if (!status) throw forbidden()
  if (status === 'rejected' && !note) throw fieldError('note', '退回时请说明原因')
  await repo.decide(ctx.db, id, status, ctx.actor.id, note)
  ctx.audit({
    action: `transfer.${status === 'cancelled' ? 'cancel' : 'reject'}`,
    targetType: 'transfer',
    targetId: id,
    targetName: t.member_name,
    scopePath: status === 'cancelled' ? askerPath! : deciderPath,
    detail: { after: { status }, note },
  })
  // a member's own request that the receiving union sends back: they are told why
  if (t.requested_by === 'member' && status === 'rejected')
    await notify(
      ctx,
      { members: [t.member_id] },
      { kind: 'transfer', title: '转会申请被退回', body: `退回原因：${note}`, link: '/m', sms: true },
    )
  return get(ctx, id)
}
