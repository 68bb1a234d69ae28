import type { Ctx } from '../../http/context.js'
import { maskName } from '../../../../common/id-card.js'
import * as repo from './members.repository.js'
import * as applications from '../applications/applications.repository.js'

/**
 * A unit got a union (its own, or a joint union now covers it): its workers parked as 预备会员 in
 * a town union's pool become 在册 members of that union in the same transaction — 转出 at the
 * pool union, 转入 at the new one (the ledger, hence the statistics, follow). The pool may lie in
 * another town (the residence decided it). Called by orgs.create and orgs.setCoverage; audited.
 */
export async function admitReserve(ctx: Ctx, union: { id: number; name: string; path: string }, enterpriseIds: number[]) {
  const ids = [...new Set(enterpriseIds)]
  const rows = await repo.reserveAdmit(ctx.db, ids, union.id)
  await repo.addMoves(
    ctx.db,
    rows.map((m) => ({ memberId: m.member_id, from: { id: m.from_union_id, path: m.from_path }, to: union })),
    { occurredOn: ctx.today, reason: null, transferId: null, actorId: ctx.actor.id },
  )
  const moved = rows.map((m) => ({ ...m, name_masked: maskName(m.name) }))
  // open applications parked for the pool follow, so that approving them makes 在册 members here
  const rerouted = await applications.rerouteFromPool(ctx.db, ids, union.id)
  if (moved.length > 0 || rerouted.length > 0) {
    ctx.audit({
      action: 'member.reserve_admit',
      targetType: 'org',
      targetId: union.id,
      targetName: union.name,
      scopePath: union.path,
      detail: {
        after: {
          unionId: union.id,
          status: 'active',
          enterpriseIds: ids,
          members: moved.map((m) => ({
            memberId: m.member_id,
            name: m.name_masked,
            fromUnionId: m.from_union_id,
            fromUnionName: m.from_union_name,
          })),
          applications: rerouted,
        },
      },
    })
  }
  return moved.map((m) => ({ memberId: m.member_id, name: m.name_masked, fromUnionId: m.from_union_id, fromUnionName: m.from_union_name }))
}
