import { sql } from 'kysely'
import type { Tx } from '../../http/context.js'
import { under } from '../../db/paths.js'

export interface TodoRow {
  applications: string
  overdue_applications: string
  transfers: string
  rounds_to_submit: string
  overdue_rounds_to_submit: string
  rounds_to_approve: string
  overdue_rounds_below: string
  unread_messages: string
}

/** The counts of the 待办 panel in one round trip, each an indexed count under row-level security. */
export async function counts(db: Tx, q: { path: string; orgId: number | null; today: string }): Promise<TodoRow> {
  const r = await sql<TodoRow>`
    with a as (
      select count(*) filter (where status = 'pending') as pending,
             count(*) filter (where due_on < ${q.today}::date) as overdue
        from application
       where ${under('org_path', q.path)} and status in ('pending', 'need_info')
    ), r as (
      -- 逾期: not submitted (填报中, 已退回) and past its 报送截止日期, the caller's own or a unit's below
      select count(*) filter (where org_path = ${q.path} and status in ('draft', 'returned')) as submit,
             count(*) filter (where org_path = ${q.path} and status in ('draft', 'returned') and deadline < ${q.today}::date) as submit_overdue,
             count(*) filter (where org_path <> ${q.path} and status = 'submitted') as approve,
             count(*) filter (where org_path <> ${q.path} and status in ('draft', 'returned') and deadline < ${q.today}::date) as overdue_below
        from report_round
       where ${under('org_path', q.path)} and status in ('draft', 'returned', 'submitted')
    )
    select a.pending as applications,
           a.overdue as overdue_applications,
           -- the side that did not ask decides: a request of the receiving union waits for the sending one, any other for the receiving one
           (select count(*) from transfer
             where status = 'pending'
               and ((requested_by = 'to' and ${under('from_path', q.path)})
                 or (requested_by <> 'to' and ${under('to_path', q.path)}))) as transfers,
           r.submit as rounds_to_submit,
           r.submit_overdue as overdue_rounds_to_submit,
           r.approve as rounds_to_approve,
           r.overdue_below as overdue_rounds_below,
           (select count(*) from message
             where org_id = ${q.orgId ?? -1} and member_id is null and read_at is null) as unread_messages
      from a, r`.execute(db)
  return r.rows[0]!
}
