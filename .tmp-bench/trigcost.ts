import { sql } from 'kysely'
import { fixture } from '../server/src/test/harness.js'

const N = 5000
const f = await fixture()
const db = f.database.db
const o = await db.selectFrom('org').select(['id', 'path']).where('id', '=', f.ids.ganlinJoint).executeTakeFirstOrThrow()
const p = await db.insertInto('proposal').values({ org_id: o.id, org_path: o.path, author_id: f.ids.ganlinMember, title: 't', body: 'b', category: 'welfare', threshold: 1000000, answer_days: 10, closes_on: '2099-12-31' }).returning('id').executeTakeFirstOrThrow()
const a = await db.insertInto('activity').values({ org_id: o.id, org_path: o.path, title: 't', place: 'p', starts_at: sql`now() + interval '7 days'`, ends_at: sql`now() + interval '8 days'`, capacity: 10, signup_opens: sql`now()`, signup_closes: sql`now() + interval '6 days'`, cancel_deadline: sql`now() + interval '6 days'`, audience: 'own', origin: 'plan', status: 'published' }).returning('id').executeTakeFirstOrThrow()
const r = await db.insertInto('activity_registration').values({ activity_id: a.id, member_id: f.ids.ganlinMember, org_path: o.path, member_name: 'x', status: 'registered', position: 1 }).returning('id').executeTakeFirstOrThrow()

const cases: [string, string, string][] = [
  ['proposal support (supports_count +1)', 'proposal:stat_proposal_update', `update proposal set supports_count = supports_count + 1 where id = ${p.id}`],
  ['activity sign-up counters (signup_seq +1)', 'activity:stat_activity_update', `update activity set signup_seq = signup_seq + 1 where id = ${a.id}`],
  ['registration status change (updated_at)', 'activity_registration:stat_registration_update', `update activity_registration set updated_at = now() where id = ${r.id}`],
]
const time = async (stmt: string) => {
  const t = performance.now()
  await sql.raw(`do $$ begin for i in 1..${N} loop ${stmt}; end loop; end $$`).execute(db)
  return ((performance.now() - t) * 1000) / N
}
for (const [label, table, stmt] of cases) {
  const on: number[] = []
  const off: number[] = []
  for (let k = 0; k < 3; k++) {
    on.push(await time(stmt))
    const [t, trg] = table.split(':')
    await sql.raw(`alter table ${t} disable trigger ${trg}`).execute(db)
    off.push(await time(stmt))
    await sql.raw(`alter table ${t} enable trigger ${trg}`).execute(db)
  }
  const med = (x: number[]) => x.sort((a, b) => a - b)[1]!.toFixed(1)
  console.log(`${label}: with the triggers ${med(on)} µs/statement, without ${table.split(':')[1]} ${med(off)} µs`)
}
await f.close()
