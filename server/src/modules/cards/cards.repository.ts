import { sql } from 'kysely'
import type { Tx } from '../../http/context.js'

/** Whether a member number is a current membership (card_status: number, status and union name only). */
export async function cardStatus(db: Tx, memberNo: string) {
  const r = await sql<{ member_no: string; status: string; union_name: string }>`select * from card_status(${memberNo})`.execute(db)
  return r.rows[0]
}
