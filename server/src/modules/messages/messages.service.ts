import type { z } from 'zod'
import type { Ctx } from '../../http/context.js'
import { requireMember } from '../../policies/policy.js'
import { forbidden, notFound } from '../../http/errors.js'
import { messageKindLabel, type MessagePage, type messageListQuery } from '../../../../common/messages.js'
import * as repo from './messages.repository.js'

type ListQuery = z.output<typeof messageListQuery>

/** The caller's mailbox: a member's own, or a cadre's union's (the union the account belongs to). */
function recipientOf(ctx: Ctx): repo.Recipient {
  if (ctx.actor.member) return { memberId: requireMember(ctx).memberId }
  if (!ctx.actor.orgId) throw forbidden('您的账号不属于任何工会，没有消息')
  return { orgId: ctx.actor.orgId }
}

export async function list(ctx: Ctx, q: ListQuery): Promise<MessagePage> {
  const r = await repo.page(ctx.db, recipientOf(ctx), {
    unreadOnly: q.unread === 'true',
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  })
  return {
    items: r.items.map((m) => ({
      id: Number(m.id),
      kind: m.kind,
      kindLabel: messageKindLabel(m.kind),
      title: m.title,
      body: m.body,
      link: m.link,
      createdAt: new Date(m.created_at).toISOString(),
      read: m.read_at !== null,
    })),
    total: r.total,
    unread: r.unread,
  }
}

export async function unread(ctx: Ctx): Promise<{ unread: number }> {
  return { unread: await repo.unreadCount(ctx.db, recipientOf(ctx)) }
}

/** Reading one's messages is no business act: not audited. A message named that is not in the mailbox is refused. */
export async function markRead(ctx: Ctx, ids: number[] | undefined): Promise<{ changed: number }> {
  const to = recipientOf(ctx)
  if (ids && ids.length > 0 && (await repo.countIn(ctx.db, to, ids)) < new Set(ids).size) throw notFound('消息')
  return { changed: await repo.markRead(ctx.db, to, ids) }
}
