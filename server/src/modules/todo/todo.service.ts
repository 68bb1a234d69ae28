import type { TodoCounts } from '../../../../common/todo.js'
import type { Ctx } from '../../http/context.js'
import { mayWrite } from '../../policies/policy.js'
import * as repo from './todo.repository.js'

const none: Omit<TodoCounts, 'menu'> = {
  applications: 0,
  overdueApplications: 0,
  transfers: 0,
  roundsToSubmit: 0,
  overdueRoundsToSubmit: 0,
  roundsToApprove: 0,
  overdueRoundsBelow: 0,
  unreadMessages: 0,
}

/**
 * What waits for the caller's union: applications to review (and the overdue ones), transfers to
 * answer, report rounds to submit or approve, the rounds past their 报送截止日期 (its own, and the
 * units' below it that have not submitted: theirs to 催报), unread messages. The menu's badges count
 * only what the caller may act on (a reader sees the panel's counts, no badges); an overdue round of
 * its own is already among those to submit, the units' below are added.
 */
export async function counts(ctx: Ctx): Promise<TodoCounts> {
  const path = ctx.actor.scopePath
  const c = path ? await repo.counts(ctx.db, { path, orgId: ctx.actor.orgId, today: ctx.today }) : undefined
  const n = (v: string | undefined) => Number(v ?? 0)
  const counts = c
    ? {
        applications: n(c.applications),
        overdueApplications: n(c.overdue_applications),
        transfers: n(c.transfers),
        roundsToSubmit: n(c.rounds_to_submit),
        overdueRoundsToSubmit: n(c.overdue_rounds_to_submit),
        roundsToApprove: n(c.rounds_to_approve),
        overdueRoundsBelow: n(c.overdue_rounds_below),
        unreadMessages: n(c.unread_messages),
      }
    : none
  const acts = mayWrite(ctx.actor)
  const rounds = acts ? counts.roundsToSubmit + counts.roundsToApprove + counts.overdueRoundsBelow : 0
  const applications = acts ? counts.applications : 0
  const transfers = acts ? counts.transfers : 0
  return {
    ...counts,
    menu: { applications, transfers, rounds, total: applications + transfers + rounds + counts.unreadMessages },
  }
}
