import { COUNT_CAP, cappedCount, windowed } from '../../db/count.js'
import { sql, type Insertable, type OrderByItemBuilder, type SelectQueryBuilder, type Updateable } from 'kysely'
import type { EnterpriseStatusEventTable, EnterpriseTable } from '../../db/schema.js'
import type { Tx } from '../../http/context.js'
import { under } from '../../db/paths.js'
import { sizeBands } from '../../../../common/codes.js'
import { prefixRange } from '../../db/like.js'

export type EnterpriseInsert = Insertable<EnterpriseTable>
export type EnterprisePatch = Updateable<EnterpriseTable>

export interface EnterpriseFilter {
  orgPath?: string
  /** the organization whose subtree orgPath is (or the caller's own, whose subtree the policy allows): its kept tally gives the total */
  orgId?: number
  q?: string
  nature?: string
  sizeBand?: string
  coverage?: string
  regionCode?: string
  shouldHaveUnion?: boolean
  jointUnionId?: number
  status?: string
  sort: string
  page: number
  pageSize: number
}

const sortColumns: Record<string, 'e.name' | 'e.employees' | 'e.founded_on' | 'e.created_at'> = {
  name: 'e.name',
  employees: 'e.employees',
  foundedOn: 'e.founded_on',
  createdAt: 'e.created_at',
}

function base(db: Tx, f: Omit<EnterpriseFilter, 'sort' | 'page' | 'pageSize'>) {
  let q = db.selectFrom('enterprise_register as e')
  if (f.orgPath) q = q.where(under('e.org_path', f.orgPath))
  if (f.q) {
    const t = f.q
    // by name or exact credit code, through an index even under row-level security (see 0005)
    q = q.where(sql<boolean>`e.id in (select enterprise_search_ids(${t}))`)
  }
  if (f.nature) q = q.where('e.nature', '=', f.nature)
  if (f.coverage) q = q.where('e.coverage', '=', f.coverage as 'own')
  if (f.regionCode) q = q.where(prefixRange('e.region_code', f.regionCode))
  if (f.jointUnionId) q = q.where('e.joint_union_id', '=', f.jointUnionId)
  if (f.sizeBand) {
    const band = sizeBands.find((b) => b.code === f.sizeBand)!
    q = q.where('e.employees', '>=', band.min)
    if (band.max !== null) q = q.where('e.employees', '<=', band.max)
  }
  if (f.shouldHaveUnion) q = q.where(sql<boolean>`cardinality(e.due_reasons) > 0`)
  if (f.status === 'closed') q = q.where('e.status', '<>', 'active')
  else if (f.status) q = q.where('e.status', '=', f.status)
  return q
}

const columns = [
  'e.id',
  'e.credit_code',
  'e.name',
  'e.address',
  'e.region_code',
  'e.town_code',
  'e.nature',
  'e.economic_type',
  'e.industry',
  'e.employees',
  'e.migrant_workers',
  'e.dispatched_workers',
  'e.above_scale',
  'e.zone_name',
  'e.is_platform',
  'e.founded_on',
  'e.coverage',
  'e.own_union_id',
  'e.joint_union_id',
  'e.org_id',
  'e.org_path',
  'e.due_reasons',
  'e.own_union_min_employees',
  'e.large_min_employees',
  'e.zone_min_employees',
  'e.grace_months',
  'e.legal_rep_enc',
  'e.contact_name_enc',
  'e.contact_phone_enc',
  'e.status',
  'e.closed_on',
] as const

/**
 * A unit's columns with the names of its region, its town and its unions, in the same statement
 * (a union the caller may not see has no name here, as in every read under the policies).
 */
function named(q: ReturnType<typeof base>) {
  return q
    .leftJoin('region as r', 'r.code', 'e.region_code')
    .leftJoin('region as tr', 'tr.code', 'e.town_code')
    .leftJoin('org as ou', 'ou.id', 'e.own_union_id')
    .leftJoin('org as ju', 'ju.id', 'e.joint_union_id')
    .select([...columns])
    .select(['r.name as region_name', 'tr.name as town_name', 'ou.name as own_union_name', 'ju.name as joint_union_name'])
}

export async function list(db: Tx, f: EnterpriseFilter, cap = COUNT_CAP) {
  const desc = f.sort.startsWith('-')
  const col = sortColumns[f.sort.replace(/^-/, '')] ?? 'e.employees'
  const q = base(db, f)
  // only founded_on may be null; the other sort columns read straight off their (col, id) index
  const sortBy = (ob: OrderByItemBuilder) => {
    const o = desc ? ob.desc() : ob.asc()
    return col === 'e.founded_on' ? o.nullsLast() : o
  }
  const idOrder = desc ? 'desc' : 'asc'
  // the page's ids first, from the sort index alone where it can (it carries org_path and town_code),
  // then the 20 rows with every column and their region names
  const pageIds = windowed(q.select('e.id').orderBy(col, sortBy).orderBy('e.id', idOrder), f, Boolean(f.orgPath))
  const [items, total] = await Promise.all([
    named(db.selectFrom('enterprise_register as e')).where('e.id', 'in', pageIds).orderBy(col, sortBy).orderBy('e.id', idOrder).execute(),
    registerTotal(db, f, q, cap),
  ])
  return { items, ...total }
}

/**
 * How many units a filter selects in all. The register of a subtree, whole, its active units or its
 * closed ones: the kept tallies (ent.all, 0006; ent.closed, 0035); any other filter is counted up
 * to the cap.
 */
async function registerTotal(
  db: Tx,
  f: EnterpriseFilter,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the filtered register (base)
  q: SelectQueryBuilder<any, any, any>,
  cap: number,
) {
  // every field but the subtree, the status and the page is a filter the tallies do not keep
  const { orgPath: _path, orgId, status, sort: _sort, page: _page, pageSize: _size, ...others } = f
  const filtered = Object.values(others).some((v) => v !== undefined && v !== false && v !== '')
  const metrics = ({ '': ['ent.all', 'ent.closed'], active: ['ent.all'], closed: ['ent.closed'] } as Record<string, string[]>)[status ?? '']
  if (orgId === undefined || filtered || !metrics) return cappedCount(db, q, cap)
  const kept = await db
    .selectFrom('stat_total')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('value'), sql<number>`0`).as('n'))
    .where('node_id', '=', orgId)
    .where('h', '=', 'g')
    .where('metric', 'in', metrics)
    .executeTakeFirstOrThrow()
  return { total: Number(kept.n), totalCapped: false }
}

/** Every row of a filter in the list's order (the chosen sort, then id), in batches (for export); no page limit. */
export async function* iterate(db: Tx, f: Omit<EnterpriseFilter, 'page' | 'pageSize'>, batch = 2000) {
  const desc = f.sort.startsWith('-')
  const col = sortColumns[f.sort.replace(/^-/, '')] ?? 'e.employees'
  const sortBy = (ob: OrderByItemBuilder) => {
    const o = desc ? ob.desc() : ob.asc()
    return col === 'e.founded_on' ? o.nullsLast() : o
  }
  for (let offset = 0; ; offset += batch) {
    const rows = await named(base(db, f))
      .orderBy(col, sortBy)
      .orderBy('e.id', desc ? 'desc' : 'asc')
      .limit(batch)
      .offset(offset)
      .execute()
    if (rows.length === 0) return
    yield rows
    if (rows.length < batch) return
  }
}

export async function findById(db: Tx, id: number) {
  return named(db.selectFrom('enterprise_register as e')).where('e.id', '=', id).executeTakeFirst()
}

export async function findRawByIds(db: Tx, ids: number[]) {
  if (ids.length === 0) return []
  return db.selectFrom('enterprise').selectAll().where('id', 'in', ids).execute()
}

export async function insert(db: Tx, row: EnterpriseInsert) {
  return db.insertInto('enterprise').values(row).returning('id').executeTakeFirstOrThrow()
}

export async function update(db: Tx, id: number, patch: EnterprisePatch) {
  return db
    .updateTable('enterprise')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

/** Covered by a joint union, in the joint union's jurisdiction. */
export async function setJointUnion(db: Tx, ids: number[], union: { id: number; path: string }) {
  if (ids.length === 0) return
  await db
    .updateTable('enterprise')
    .set({ joint_union_id: union.id, org_id: union.id, org_path: union.path, updated_at: new Date() })
    .where('id', 'in', ids)
    .execute()
}

/** Enterprises a joint union covers that are no longer in the list, back to their town's union. */
export async function releaseFromUnion(
  db: Tx,
  unionId: number,
  keep: number[],
  fallback: (townCode: string) => Promise<{ id: number; path: string }>,
) {
  let q = db
    .selectFrom('enterprise')
    .select(['id', 'town_code', 'own_union_id', 'joint_union_id'])
    .where((eb) => eb.or([eb('joint_union_id', '=', unionId), eb('own_union_id', '=', unionId)]))
  if (keep.length > 0) q = q.where('id', 'not in', keep)
  const rows = await q.execute()
  for (const r of rows) {
    const home = await fallback(r.town_code)
    await db
      .updateTable('enterprise')
      .set({
        joint_union_id: r.joint_union_id === unionId ? null : r.joint_union_id,
        own_union_id: r.own_union_id === unionId ? null : r.own_union_id,
        org_id: home.id,
        org_path: home.path,
        updated_at: new Date(),
      })
      .where('id', '=', r.id)
      .execute()
  }
  return rows.map((r) => r.id)
}

export async function setOwnUnion(db: Tx, id: number, union: { id: number; path: string }) {
  await db
    .updateTable('enterprise')
    .set({ own_union_id: union.id, joint_union_id: null, org_id: union.id, org_path: union.path, updated_at: new Date() })
    .where('id', '=', id)
    .execute()
}

/** The unit holding a credit code, if it is in the caller's jurisdiction (row-level security hides the others). */
export async function findByCreditCode(db: Tx, creditCode: string) {
  return db
    .selectFrom('enterprise as e')
    .leftJoin('region as tr', 'tr.code', 'e.town_code')
    .select(['e.id', 'e.name', 'e.status', 'tr.name as town_name'])
    .where('e.credit_code', '=', creditCode)
    .executeTakeFirst()
}

export async function statusEventInsert(db: Tx, v: Insertable<EnterpriseStatusEventTable>) {
  await db.insertInto('enterprise_status_event').values(v).execute()
}

export async function statusEvents(db: Tx, enterpriseId: number) {
  return db
    .selectFrom('enterprise_status_event')
    .select(['status', 'effective_on', 'note', 'actor_name', 'at'])
    .where('enterprise_id', '=', enterpriseId)
    .orderBy('id')
    .execute()
}

/** 应建未建 of a subtree by town (the town's division and its union's name), the most first. */
export async function dueByTown(db: Tx, orgPath: string | undefined) {
  let q = db
    .selectFrom('enterprise_register as e')
    .leftJoin('region as tr', 'tr.code', 'e.town_code')
    .where(sql<boolean>`cardinality(e.due_reasons) > 0`)
  if (orgPath) q = q.where(under('e.org_path', orgPath))
  return q
    .select([
      'e.town_code',
      'tr.name as town_name',
      (eb) => eb.fn.countAll<string>().as('n'),
      sql<string>`coalesce(sum(e.employees), 0)`.as('workers'),
    ])
    .groupBy(['e.town_code', 'tr.name'])
    .orderBy(sql`count(*)`, 'desc')
    .orderBy('e.town_code')
    .execute()
}

/** 应建未建 in a subtree, counted by reason and by size band. */
export async function dueSummary(db: Tx, orgPath: string | undefined) {
  let q = db.selectFrom('enterprise_register as e').where(sql<boolean>`cardinality(e.due_reasons) > 0`)
  if (orgPath) q = q.where(under('e.org_path', orgPath))
  const bands = sizeBands.map((b) =>
    sql<number>`count(*) filter (where e.employees >= ${b.min}${b.max === null ? sql`` : sql` and e.employees <= ${b.max}`})`.as(
      `band_${b.code}`,
    ),
  )
  const totals = await q
    .select((eb) => [eb.fn.countAll<number>().as('total'), sql<number>`coalesce(sum(e.employees), 0)`.as('workers'), ...bands])
    .executeTakeFirstOrThrow()
  const reasons = await q
    .innerJoin(sql<{ reason: string }>`unnest(e.due_reasons)`.as('r'), (j) => j.onTrue())
    .select([sql<string>`r`.as('reason'), (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(sql`r`)
    .execute()
  return { totals: totals as Record<string, unknown>, reasons }
}

/** The units of the caller's jurisdiction holding any of these credit codes (a bulk import's check). */
export async function findByCreditCodes(db: Tx, codes: string[]) {
  if (codes.length === 0) return []
  return db
    .selectFrom('enterprise as e')
    .leftJoin('region as tr', 'tr.code', 'e.town_code')
    .select(['e.id', 'e.credit_code', 'e.name', 'e.status', 'tr.name as town_name'])
    .where('e.credit_code', 'in', codes)
    .execute()
}

/** Which of these credit codes the register holds anywhere, inside the jurisdiction or not (a definer function: nothing else is read). */
export async function creditCodesTaken(db: Tx, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set()
  const r = await sql<{ code: string }>`select c as code from enterprise_credit_codes_taken(${codes}::text[]) as c`.execute(db)
  return new Set(r.rows.map((x) => x.code))
}
