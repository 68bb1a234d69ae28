import type { TransferView } from '../../../../common/api-members.js'
import type { Ctx } from '../../http/context.js'
import { inScope } from '../../policies/policy.js'
import type { TransferRow } from './transfers.repository.js'

/**
 * Who decides: the side that did not ask. A request of the sending union (or of the member) is
 * accepted or declined by the receiving union; a request of the receiving union is confirmed or
 * declined by the member's current union. The side that asked may withdraw.
 */
export function decider(t: { requested_by: string }) {
  return t.requested_by === 'to' ? 'from' : 'to'
}

export function presentTransfer(ctx: Ctx, t: TransferRow): TransferView {
  const pending = t.status === 'pending'
  // a member's own request (会员申请转入) is withdrawn by the member alone, on the phone
  const asker =
    t.requested_by === 'member' ? false : t.requested_by === 'to' ? inScope(ctx.actor, t.to_path) : inScope(ctx.actor, t.from_path)
  const decides = decider(t) === 'to' ? inScope(ctx.actor, t.to_path) : inScope(ctx.actor, t.from_path)
  return {
    id: t.id,
    memberId: t.member_id,
    memberName: t.member_name,
    documentNumber: t.document_masked,
    fromUnionId: t.from_union_id,
    fromUnionName: t.from_union_name,
    toUnionId: t.to_union_id,
    toUnionName: t.to_union_name,
    requestedBy: t.requested_by,
    status: t.status,
    reason: t.reason,
    note: t.note,
    decisionNote: t.decision_note,
    requestedAt: new Date(t.requested_at).toISOString(),
    decidedAt: t.decided_at ? t.decided_at.toISOString() : null,
    canAccept: pending && decides,
    canReject: pending && decides && !asker,
    canCancel: pending && asker,
  }
}
