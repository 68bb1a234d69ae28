import { sql, type Kysely, type Selectable } from 'kysely'
import { windowed } from '../../db/count.js'
import type { DB, PlannedJointUnionTable, ReportRoundTable } from '../../db/schema.js'
import type { FormTable } from '../../../../common/forms.js'
import type { Tx } from '../../http/context.js'
import { under } from '../../db/paths.js'

const json = (v: unknown) => sql`${JSON.stringify(v)}::jsonb`
/** PostgreSQL answers jsonb parsed; keep working if a driver hands back the text */
const parsed = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T

// ── organizations ────────────────────────────────────────────────────────────

export type FormOrg = {
  id: number
  code: string
  name: string
  path: string
  parent_id: number | null
  founded_on: string | null
  region_code: string
  region_name: string | null
}

const orgColumns = ['o.id', 'o.code', 'o.name', 'o.path', 'o.parent_id', 'o.founded_on', 'o.region_code', 'r.name as region_name'] as const

export async function org(db: Tx, id: number): Promise<FormOrg | undefined> {
  const o = await db
    .selectFrom('org as o')
    .leftJoin('region as r', 'r.code', 'o.region_code')
    .select([...orgColumns])
    .where('o.id', '=', id)
    .executeTakeFirst()
  return o && { ...o, id: Number(o.id), parent_id: o.parent_id === null ? null : Number(o.parent_id) }
}

export async function orgByCode(db: Tx, code: string): Promise<FormOrg | undefined> {
  const o = await db
    .selectFrom('org as o')
    .leftJoin('region as r', 'r.code', 'o.region_code')
    .select([...orgColumns])
    .where('o.code', '=', code)
    .executeTakeFirst()
  return o && { ...o, id: Number(o.id), parent_id: o.parent_id === null ? null : Number(o.parent_id) }
}

/** The command line (forms.cli.ts): an organization by its code, as the owner connection before any scope. */
export const orgIdByCode = (db: Kysely<DB>, code: string) =>
  db.selectFrom('org').select(['id', 'name', 'path']).where('code', '=', code).executeTakeFirst()

// ── planned joint unions (附件2) ──────────────────────────────────────────────

export type PlannedRow = Selectable<PlannedJointUnionTable> & { org_name: string }

const plannedColumns = [
  'p.id',
  'p.org_id',
  'p.org_path',
  'p.name',
  'p.category',
  'p.joint_form',
  'p.members',
  'p.employees',
  'p.enterprises',
  'p.workers',
  'p.planned_on',
  'p.declared_on',
  'p.note',
  'p.created_by',
  'p.created_at',
  'p.updated_at',
  'o.name as org_name',
] as const

export async function plannedList(db: Tx, q: { path: string; category?: string; q?: string; page: number; pageSize: number }) {
  let base = db.selectFrom('planned_joint_union as p').innerJoin('org as o', 'o.id', 'p.org_id').where(under('p.org_path', q.path))
  if (q.category) base = base.where('p.category', '=', q.category)
  if (q.q) base = base.where('p.name', 'like', `%${q.q.replace(/[\\%_]/g, (c) => '\\' + c)}%`)
  const [items, count] = await Promise.all([
    base
      .select([...plannedColumns])
      .orderBy('p.declared_on', 'desc')
      .orderBy('p.id', 'desc')
      .$call((x) => windowed(x, q, true))
      .execute(),
    base.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ])
  return { items: items as PlannedRow[], total: Number(count.n) }
}

export async function plannedGet(db: Tx, id: number) {
  return (await db
    .selectFrom('planned_joint_union as p')
    .innerJoin('org as o', 'o.id', 'p.org_id')
    .select([...plannedColumns])
    .where('p.id', '=', id)
    .executeTakeFirst()) as PlannedRow | undefined
}

export type PlannedValues = Omit<Selectable<PlannedJointUnionTable>, 'id' | 'created_at' | 'updated_at'>

export async function plannedInsert(db: Tx, v: PlannedValues) {
  return (await db.insertInto('planned_joint_union').values(v).returning('id').executeTakeFirstOrThrow()).id
}

export async function plannedUpdate(db: Tx, id: number, v: Partial<PlannedValues>) {
  await db
    .updateTable('planned_joint_union')
    .set({ ...v, updated_at: new Date() })
    .where('id', '=', id)
    .execute()
}

export async function plannedDelete(db: Tx, id: number) {
  return db.deleteFrom('planned_joint_union').where('id', '=', id).returning(['id', 'name']).executeTakeFirst()
}

/** Planned joint unions of a subtree declared on or before `asOf`, summed per category and form. */
export async function plannedTotals(db: Tx, path: string, asOf: string) {
  const rows = await db
    .selectFrom('planned_joint_union')
    .select([
      'category',
      sql<string>`count(*) filter (where joint_form = 'joint_committee')`.as('committees'),
      sql<string>`count(*) filter (where joint_form = 'joint_federation')`.as('federations'),
      sql<string>`sum(members)`.as('members'),
      sql<string>`sum(employees)`.as('employees'),
      sql<string>`sum(enterprises)`.as('enterprises'),
      sql<string>`sum(workers)`.as('workers'),
    ])
    .where(under('org_path', path))
    .where('declared_on', '<=', asOf)
    .groupBy('category')
    .execute()
  return new Map(
    rows.map((r) => [
      r.category,
      {
        committees: Number(r.committees),
        federations: Number(r.federations),
        members: Number(r.members),
        employees: Number(r.employees),
        enterprises: Number(r.enterprises),
        workers: Number(r.workers),
      },
    ]),
  )
}

// ── reporting rounds ─────────────────────────────────────────────────────────

export type RoundRow = Omit<Selectable<ReportRoundTable>, 'snapshot'> & { snapshot: FormTable; org_name: string }

const roundColumns = [
  'r.id',
  'r.form',
  'r.org_id',
  'r.org_path',
  'r.as_of',
  'r.status',
  'r.comment',
  'r.created_by',
  'r.created_at',
  'r.updated_at',
  'r.submitted_by',
  'r.submitted_at',
  'r.decided_by',
  'r.decided_at',
  'r.deadline',
  'r.reminded_on',
  'r.reminders',
  'o.name as org_name',
] as const

export async function roundList(
  db: Tx,
  q: { path: string; form?: string; status?: string; asOf?: string; page: number; pageSize: number },
) {
  let base = db.selectFrom('report_round as r').innerJoin('org as o', 'o.id', 'r.org_id').where(under('r.org_path', q.path))
  if (q.form) base = base.where('r.form', '=', q.form)
  if (q.status) base = base.where('r.status', '=', q.status)
  if (q.asOf) base = base.where('r.as_of', '=', q.asOf)
  const [items, count] = await Promise.all([
    base
      .select([...roundColumns])
      // what waits for someone first: submitted, returned, drafts, then the approved
      .orderBy(sql`case r.status when 'submitted' then 0 when 'returned' then 1 when 'draft' then 2 else 3 end`)
      .orderBy('r.as_of', 'desc')
      .orderBy('o.code')
      .orderBy('r.id', 'desc')
      .$call((x) => windowed(x, q, true))
      .execute(),
    base.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ])
  return { items: items.map((r) => ({ ...r, id: Number(r.id) })), total: Number(count.n) }
}

export async function roundGet(db: Tx, id: number, lock = false): Promise<RoundRow | undefined> {
  let q = db
    .selectFrom('report_round as r')
    .innerJoin('org as o', 'o.id', 'r.org_id')
    .select([...roundColumns, 'r.snapshot'])
    .where('r.id', '=', id)
  if (lock) q = q.forUpdate('r')
  const r = await q.executeTakeFirst()
  return r && { ...r, id: Number(r.id), snapshot: parsed<FormTable>(r.snapshot) }
}

export async function roundFind(db: Tx, form: string, orgId: number, asOf: string) {
  return db
    .selectFrom('report_round')
    .select(['id', 'status'])
    .where('form', '=', form)
    .where('org_id', '=', orgId)
    .where('as_of', '=', asOf)
    .executeTakeFirst()
}

export async function roundInsert(
  db: Tx,
  v: {
    form: string
    org_id: number
    org_path: string
    as_of: string
    snapshot: FormTable
    created_by: number | null
    deadline: string | null
  },
) {
  return Number(
    (
      await db
        .insertInto('report_round')
        .values({ ...v, snapshot: json(v.snapshot) })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id,
  )
}

export async function roundUpdate(
  db: Tx,
  id: number,
  v: {
    status?: string
    snapshot?: FormTable
    comment?: string | null
    submitted_by?: number | null
    submitted_at?: Date
    decided_by?: number | null
    decided_at?: Date | null
  },
) {
  const { snapshot, ...rest } = v
  const r = await db
    .updateTable('report_round')
    .set({ ...rest, ...(snapshot ? { snapshot: json(snapshot) } : {}), updated_at: new Date() })
    .where('id', '=', id)
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}

export async function eventInsert(
  db: Tx,
  v: { round_id: number; org_path: string; action: string; actor_id: number | null; actor_name: string | null; comment: string | null },
) {
  await db.insertInto('report_round_event').values(v).execute()
}

export async function events(db: Tx, roundId: number) {
  return db
    .selectFrom('report_round_event')
    .select(['action', 'actor_name', 'comment', 'at'])
    .where('round_id', '=', roundId)
    .orderBy('id')
    .execute()
}

// ── the board of a batch (one form, one 截止时间) ──────────────────────────────

/** The batches of rounds in a subtree, the latest 截止时间 first. */
export async function batches(db: Tx, path: string, today: string) {
  const rows = await db
    .selectFrom('report_round')
    .where(under('org_path', path))
    .select([
      'form',
      'as_of',
      sql<string>`count(*)`.as('units'),
      sql<string>`count(*) filter (where status in ('draft', 'returned') and deadline < ${today}::date)`.as('overdue'),
      sql<string | null>`min(deadline)::text`.as('deadline'),
      sql<string | null>`max(deadline)::text`.as('last_deadline'),
    ])
    .groupBy(['form', 'as_of'])
    .orderBy('as_of', 'desc')
    .orderBy('form')
    .limit(100)
    .execute()
  return rows.map((r) => ({ ...r, units: Number(r.units), overdue: Number(r.overdue) }))
}

/** Every unit's round of a batch in a subtree, in the tree's order. */
export async function batchRounds(db: Tx, q: { path: string; form: string; asOf: string }) {
  const items = await db
    .selectFrom('report_round as r')
    .innerJoin('org as o', 'o.id', 'r.org_id')
    .where(under('r.org_path', q.path))
    .where('r.form', '=', q.form)
    .where('r.as_of', '=', q.asOf)
    .select([...roundColumns])
    .orderBy('o.code')
    .orderBy('r.id')
    .limit(5000)
    .execute()
  return items.map((r) => ({ ...r, id: Number(r.id) }))
}

export async function setDeadline(db: Tx, id: number, deadline: string) {
  await db.updateTable('report_round').set({ deadline, updated_at: new Date() }).where('id', '=', id).execute()
}

/** Marks a 催报 to the round's unit for `today`; false when it had one today already (at most one a day, even when two ask at once). */
export async function markReminded(db: Tx, id: number, today: string) {
  const r = await db
    .updateTable('report_round')
    .set({ reminded_on: today, reminders: sql`reminders + 1` })
    .where('id', '=', id)
    .where((w) => w.or([w('reminded_on', 'is', null), w('reminded_on', '<>', today)]))
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
