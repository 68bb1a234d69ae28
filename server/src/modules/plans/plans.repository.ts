import { sql, type Insertable } from 'kysely'
import { windowed } from '../../db/count.js'
import type { PlanTable } from '../../db/schema.js'
import type { Tx } from '../../http/context.js'
import { encloses, under } from '../../db/paths.js'

/**
 * The union that set a plan: a town reads its city's plan but not the city's row in org, so the
 * name comes from org_brief (names only) and the code is blank outside the caller's subtree.
 */
const setter = [
  sql<string>`coalesce(o.code, '')`.as('org_code'),
  sql<string>`coalesce(o.name, (select b.name from org_brief(array[p.org_id]) b))`.as('org_name'),
] as const

export type PlanRow = Awaited<ReturnType<typeof plan>> & {}

export async function plan(db: Tx, id: number) {
  return db
    .selectFrom('plan as p')
    .leftJoin('org as o', 'o.id', 'p.org_id')
    .select(['p.id', 'p.org_id', 'p.org_path', 'p.name', 'p.doc_no', 'p.start_on', 'p.end_on', 'p.note', 'p.updated_at', ...setter])
    .where('p.id', '=', id)
    .executeTakeFirst()
}

/** Plans that concern an organization: set by it or an ancestor, or by a union below it (RLS limits the rest). */
export async function list(db: Tx, path: string, page: number, pageSize: number) {
  const base = db.selectFrom('plan as p').where((eb) => eb.or([under('p.org_path', path), encloses('p.org_path', path)]))
  const [rows, count] = await Promise.all([
    base
      .leftJoin('org as o', 'o.id', 'p.org_id')
      .select([
        'p.id',
        'p.org_id',
        'p.org_path',
        'p.name',
        'p.doc_no',
        'p.start_on',
        'p.end_on',
        'p.note',
        'p.updated_at',
        ...setter,
        sql<string>`(select count(*) from plan_target x where x.plan_id = p.id)`.as('targets'),
        sql<string>`(select count(*) from plan_milestone x where x.plan_id = p.id)`.as('milestones'),
      ])
      .orderBy('p.end_on', 'desc')
      .orderBy('p.id', 'desc')
      .$call((q) => windowed(q, { page, pageSize }, true))
      .execute(),
    base.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: Number(count.n) }
}

export async function insert(db: Tx, r: Insertable<PlanTable> & { created_by: number }) {
  return db.insertInto('plan').values(r).returning('id').executeTakeFirstOrThrow()
}

export async function update(
  db: Tx,
  id: number,
  r: { name: string; doc_no: string | null; start_on: string; end_on: string; note: string | null },
) {
  return db
    .updateTable('plan')
    .set({ ...r, updated_at: new Date() })
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst()
}

export async function remove(db: Tx, id: number) {
  return db.deleteFrom('plan').where('id', '=', id).returning(['id', 'name']).executeTakeFirst()
}

export async function targets(db: Tx, planId: number) {
  return db
    .selectFrom('plan_target')
    .select(['key', 'kind', 'value', 'note', 'position'])
    .where('plan_id', '=', planId)
    .orderBy('position')
    .execute()
}

export async function milestones(db: Tx, planId: number) {
  return db.selectFrom('plan_milestone').select(['due_on', 'share', 'label']).where('plan_id', '=', planId).orderBy('due_on').execute()
}

export async function replaceTargets(
  db: Tx,
  planId: number,
  orgPath: string,
  rows: { key: string; kind: string; value: number; note: string | null }[],
) {
  await db.deleteFrom('plan_target').where('plan_id', '=', planId).execute()
  if (rows.length)
    await db
      .insertInto('plan_target')
      .values(rows.map((r, i) => ({ plan_id: planId, org_path: orgPath, position: i, ...r })))
      .execute()
}

export async function replaceMilestones(
  db: Tx,
  planId: number,
  orgPath: string,
  rows: { due_on: string; share: number; label: string | null }[],
) {
  await db.deleteFrom('plan_milestone').where('plan_id', '=', planId).execute()
  if (rows.length)
    await db
      .insertInto('plan_milestone')
      .values(rows.map((r) => ({ plan_id: planId, org_path: orgPath, ...r })))
      .execute()
}

const allocationColumns = [
  'a.org_id',
  'a.org_path',
  'a.parent_org_id',
  'a.parent_path',
  'a.vals',
  'a.note',
  'a.position',
  'o.code',
  'o.name',
] as const

/** The split of one union's share among its sub-regions. */
export async function allocationsOf(db: Tx, planId: number, parentOrgId: number) {
  return db
    .selectFrom('plan_allocation as a')
    .innerJoin('org as o', 'o.id', 'a.org_id')
    .select([...allocationColumns])
    .where('a.plan_id', '=', planId)
    .where('a.parent_org_id', '=', parentOrgId)
    .orderBy('a.position')
    .orderBy('o.code')
    .execute()
}

/** One sub-region's share (null when none, or not visible). */
export async function allocation(db: Tx, planId: number, orgId: number) {
  return db
    .selectFrom('plan_allocation as a')
    .innerJoin('org as o', 'o.id', 'a.org_id')
    .select([...allocationColumns])
    .where('a.plan_id', '=', planId)
    .where('a.org_id', '=', orgId)
    .executeTakeFirst()
}

/** The sums of the splits made by the given unions (to show where a split below no longer adds up). */
export async function splitSums(db: Tx, planId: number, parentOrgIds: number[]) {
  if (parentOrgIds.length === 0) return new Map<number, Record<string, number>>()
  const rows = await db
    .selectFrom('plan_allocation')
    .select(['parent_org_id', 'vals'])
    .where('plan_id', '=', planId)
    .where('parent_org_id', 'in', parentOrgIds)
    .execute()
  const out = new Map<number, Record<string, number>>()
  for (const r of rows) {
    const s = out.get(Number(r.parent_org_id)) ?? {}
    for (const [k, v] of Object.entries(r.vals ?? {})) if (typeof v === 'number') s[k] = (s[k] ?? 0) + v
    out.set(Number(r.parent_org_id), s)
  }
  return out
}

export async function replaceAllocations(
  db: Tx,
  planId: number,
  parent: { id: number; path: string },
  rows: { org_id: number; org_path: string; vals: Record<string, number>; note: string | null }[],
) {
  await db.deleteFrom('plan_allocation').where('plan_id', '=', planId).where('parent_org_id', '=', parent.id).execute()
  if (rows.length) {
    await db
      .insertInto('plan_allocation')
      .values(
        rows.map((r, i) => ({
          plan_id: planId,
          org_id: r.org_id,
          org_path: r.org_path,
          parent_org_id: parent.id,
          parent_path: parent.path,
          vals: JSON.stringify(r.vals),
          note: r.note,
          position: i,
        })),
      )
      .execute()
  }
}

/** Plans set by an organization or its ancestors that had started by `asOf`: those running on it first, then the latest. */
export async function covering(db: Tx, path: string, asOf: string) {
  return db
    .selectFrom('plan as p')
    .select([
      'p.id',
      'p.start_on',
      'p.end_on',
      'p.name',
      sql<string>`(select string_agg(key, ',') from plan_target x where x.plan_id = p.id)`.as('keys'),
    ])
    .where(encloses('p.org_path', path))
    .where('p.start_on', '<=', asOf)
    .orderBy(sql`case when p.end_on >= ${asOf} then 0 else 1 end`)
    .orderBy('p.start_on', 'desc')
    .orderBy('p.id', 'desc')
    .execute()
}

// ── the demo city's plans (plans.demo.ts) ────────────────────────────────────

/** The regional unions (towns) directly below an organization, by code. */
export const regionalChildren = (db: Tx, parentId: number) =>
  db.selectFrom('org').select(['id', 'code']).where('parent_id', '=', parentId).where('is_regional', '=', true).orderBy('code').execute()

/** How many enterprises lie anywhere below a union (its id in their org_path). */
export async function enterprisesUnder(db: Tx, orgId: number) {
  const r = await db
    .selectFrom('enterprise')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('org_path', 'like', `%/${orgId}/%`)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

/**
 * What a proportional split weighs, for each sub-region: its 应建未建 units (registered units the
 * rules say must still organize: enterprise_register.due_reasons), in one grouped read.
 */
export async function dueUnitsOf(db: Tx, units: { id: number; path: string }[]): Promise<Map<number, number>> {
  const out = new Map(units.map((u) => [u.id, 0]))
  if (units.length === 0) return out
  const values = sql.join(units.map((u) => sql`(${u.id}::bigint, ${u.path}::text)`))
  const r = await sql<{ id: string; n: string }>`
    select u.id, count(e.id) as n
      from (values ${values}) as u(id, path)
      join enterprise_register e on e.org_path >= u.path and e.org_path < u.path || '~'
     where cardinality(e.due_reasons) > 0
     group by u.id`.execute(db)
  for (const row of r.rows) out.set(Number(row.id), Number(row.n))
  return out
}
