import type { Ctx } from '../../http/context.js'
import type { MessageKind } from '../../../../common/messages.js'
import * as repo from './messages.repository.js'
import { sendSms } from '../sms/sms.js'

export type To = { members: number[] } | { orgId: number; orgPath: string }

/**
 * Tells someone, in the request's transaction: members (by id, wherever their unions are) or a
 * union's cadres. `sms: true` also sends a text to members who did not opt out; an SMS that
 * fails does not undo the act (the in-app message is the record). Any service may call this;
 * it imports repositories only.
 */
export async function notify(
  ctx: Ctx,
  to: To,
  m: { kind: MessageKind; title: string; body: string; link?: string; sms?: boolean },
): Promise<void> {
  const link = m.link ?? null
  if ('orgId' in to) {
    await repo.addForOrg(ctx.db, { orgId: to.orgId, orgPath: to.orgPath, kind: m.kind, title: m.title, body: m.body, link })
    return
  }
  const ids = [...new Set(to.members)]
  if (ids.length === 0) return
  const phones = await repo.addForMembers(ctx.db, ids, { kind: m.kind, title: m.title, body: m.body, link, sms: m.sms === true })
  for (const p of phones) {
    try {
      await sendSms(ctx, ctx.pii.decrypt(p.phone_enc), `${m.title}：${m.body}`)
    } catch {
      // the gateway's failure is not the member's act's: the message stays in the app
    }
  }
}
