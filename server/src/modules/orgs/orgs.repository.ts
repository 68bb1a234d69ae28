import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely'
import type { DB, OrgTable } from '../../db/schema.js'
import type { Tx } from '../../http/context.js'
import { under } from '../../db/paths.js'

export type OrgRow = Selectable<OrgTable>
export type OrgInsert = Insertable<OrgTable>
export type OrgPatch = Updateable<OrgTable>

const summaryColumns = [
  'o.id',
  'o.code',
  'o.name',
  'o.short_name',
  'o.parent_id',
  'o.org_type',
  'o.org_form',
  'o.status',
  'o.region_code',
  'o.is_regional',
  'o.is_industry_union',
  'o.joint_scope',
  'o.joint_category',
  'o.founded_on',
  'o.member_count',
] as const

export async function findById(db: Tx, id: number) {
  return db.selectFrom('org').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Where an organization stands in the tree (its subtree is what a list of it shows), without the rest of its row. */
export async function placeOf(db: Tx, id: number) {
  return db.selectFrom('org').select(['id', 'path']).where('id', '=', id).executeTakeFirst()
}

interface ListOptions {
  parentId?: number
  hierarchy: 'geo' | 'industry'
  q?: string
  includeDissolved?: boolean
  orgType?: string
  joint?: boolean
  /** the 产业工会 themselves: the roots of the second hierarchy */
  industryRoots?: boolean
  page: number
  pageSize: number
}

/**
 * A search counts its matches up to this many; past it the answer says "1,000+" (totalCapped). The
 * tree's search box shows the first 20 and asks for a narrower term; counting all 27,000 unions
 * of a town's code prefix would cost more than finding the page (see docs/BENCHMARKS.md).
 */
export const SEARCH_COUNT_CAP = 1_000

/**
 * The children a node shows (not dissolved). In the geographic tree, when the caller sees the node
 * through its path, every child lies in the same subtree and is visible too: the counter kept on
 * the row (0009) is the answer. Otherwise (a node seen through an industry link, or the industry
 * hierarchy) the visible children are counted.
 */
const childCount = (hierarchy: 'geo' | 'industry') =>
  hierarchy === 'geo'
    ? sql<number>`case when in_scope(o.path) then o.child_count else (select count(*) from org c where c.parent_id = o.id and c.status <> 'dissolved') end`.as(
        'child_count',
      )
    : sql<number>`(select count(*) from org c where c.industry_union_id = o.id and c.status <> 'dissolved')`.as('child_count')

/** Children of a node (either hierarchy) or a search by name or code, one page, with child counts. */
export async function list(db: Tx, o: ListOptions): Promise<{ items: OrgSummaryRow[]; total: number; totalCapped?: boolean }> {
  if (o.q && o.parentId === undefined && !o.orgType && !o.joint && !o.industryRoots) return search(db, o.q, o)
  let q = db.selectFrom('org as o')
  if (o.parentId !== undefined) {
    q = o.hierarchy === 'industry' ? q.where('o.industry_union_id', '=', o.parentId) : q.where('o.parent_id', '=', o.parentId)
  }
  if (o.q) {
    const term = o.q
    // LIKE cannot use an index under row-level security: org_search_ids matches names and code
    // prefixes as the owner, with indexes, and applies the caller's scope itself
    q = q.where(sql<boolean>`o.id in (select org_search_ids(${term}))`)
  }
  if (!o.includeDissolved) q = q.where('o.status', '<>', 'dissolved')
  if (o.orgType) q = q.where('o.org_type', '=', o.orgType)
  if (o.industryRoots) q = q.where('o.is_industry_union', '=', true)
  if (o.joint) q = q.where('o.org_form', 'in', ['joint_committee', 'joint_federation'])
  const items = q
    .select([...summaryColumns])
    .select(childCount(o.hierarchy))
    .orderBy('o.is_regional', 'desc')
    .orderBy('o.name')
    .orderBy('o.id')
    .limit(o.pageSize)
    .offset((o.page - 1) * o.pageSize)
    .execute()
  // all the children of a node seen through its path: its counter, not a count
  const plainChildren =
    o.parentId !== undefined && o.hierarchy === 'geo' && !o.q && !o.includeDissolved && !o.orgType && !o.joint && !o.industryRoots
  const total = plainChildren
    ? db
        .selectNoFrom(
          sql<number>`coalesce(
        (select p.child_count from org p where p.id = ${o.parentId} and in_scope(p.path)),
        (select count(*) from org c where c.parent_id = ${o.parentId} and c.status <> 'dissolved'))`.as('n'),
        )
        .executeTakeFirstOrThrow()
    : q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const [rows, n] = await Promise.all([items, total])
  return { items: rows, total: Number(n.n) }
}

/** The columns of an organization's summary (OrgSummary in common/api.ts). */
export type OrgSummaryFields = Pick<
  OrgRow,
  | 'id'
  | 'code'
  | 'name'
  | 'short_name'
  | 'parent_id'
  | 'org_type'
  | 'org_form'
  | 'status'
  | 'region_code'
  | 'is_regional'
  | 'is_industry_union'
  | 'joint_scope'
  | 'joint_category'
  | 'founded_on'
  | 'member_count'
>
type OrgSummaryRow = OrgSummaryFields & { child_count: number }

/**
 * A search by name or code: org_search_page (0009) counts the matches up to the cap and picks the
 * page's ids as the owner, applying the caller's scope itself; the rows are then read by id under
 * row-level security (int8eq is leakproof, so that is a primary-key lookup).
 */
async function search(db: Tx, term: string, o: ListOptions) {
  const r = await sql<{ ids: (string | number)[]; total: number }>`
    select ids, total from org_search_page(${term}, ${o.includeDissolved ?? false}, ${o.pageSize}, ${(o.page - 1) * o.pageSize}, ${SEARCH_COUNT_CAP})`.execute(
    db,
  )
  const ids = (r.rows[0]?.ids ?? []).map(Number)
  const n = Number(r.rows[0]?.total ?? 0)
  let items: OrgSummaryRow[] = []
  if (ids.length > 0) {
    let q = db
      .selectFrom('org as o')
      .select([...summaryColumns])
      .select(childCount(o.hierarchy))
      .where(sql<boolean>`o.id = any(${ids}::bigint[])`)
    if (!o.includeDissolved) q = q.where('o.status', '<>', 'dissolved')
    items = await q.orderBy('o.is_regional', 'desc').orderBy('o.name').orderBy('o.id').execute()
  }
  return { items, total: Math.min(n, SEARCH_COUNT_CAP), totalCapped: n > SEARCH_COUNT_CAP }
}

/** One node with its child count (the root of a caller's tree). */
export async function summaryById(db: Tx, id: number) {
  return db
    .selectFrom('org as o')
    .select([...summaryColumns])
    .select(childCount('geo'))
    .where('o.id', '=', id)
    .executeTakeFirst()
}

/** Children of a node as the tree stood on a date, from the effective-dated history. */
export async function listAsOf(db: Tx, parentId: number | null, date: string, hierarchy: 'geo' | 'industry') {
  const key = hierarchy === 'industry' ? 'h.industry_union_id' : 'h.parent_id'
  const childKey = hierarchy === 'industry' ? 'c.industry_union_id' : 'c.parent_id'
  let q = db
    .selectFrom('org_history as h')
    .where('h.valid_from', '<=', date)
    .where((eb) => eb.or([eb('h.valid_to', 'is', null), eb('h.valid_to', '>', date)]))
  q = parentId === null ? q.where(key as 'h.parent_id', 'is', null) : q.where(key as 'h.parent_id', '=', parentId)
  return q
    .select([
      'h.org_id as id',
      'h.code',
      'h.name',
      'h.parent_id',
      'h.org_type',
      'h.org_form',
      'h.status',
      'h.region_code',
      'h.joint_category',
      'h.valid_from',
      'h.valid_to',
    ])
    .select((eb) =>
      eb
        .selectFrom('org_history as c')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef(childKey as 'c.parent_id', '=', 'h.org_id')
        .where('c.valid_from', '<=', date)
        .where((e) => e.or([e('c.valid_to', 'is', null), e('c.valid_to', '>', date)]))
        .as('child_count'),
    )
    .orderBy('h.name')
    .execute()
}

export async function countChildren(db: Tx, id: number) {
  const r = await db
    .selectFrom('org')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parent_id', '=', id)
    .where('status', '<>', 'dissolved')
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

/** Enterprises and workers covered in a subtree, and how many there still should have a union. */
export async function subtreeCounts(db: Tx, path: string) {
  const r = await db
    .selectFrom('enterprise_register as e')
    .select((eb) => [
      eb.fn.countAll<number>().as('enterprises'),
      sql<number>`count(*) filter (where e.coverage <> 'none')`.as('covered'),
      sql<number>`coalesce(sum(e.employees) filter (where e.coverage <> 'none'), 0)`.as('covered_workers'),
      sql<number>`count(*) filter (where cardinality(e.due_reasons) > 0)`.as('due'),
    ])
    .where(under('e.org_path', path))
    .executeTakeFirstOrThrow()
  return { enterprises: Number(r.enterprises), covered: Number(r.covered), coveredWorkers: Number(r.covered_workers), due: Number(r.due) }
}

export async function namesOf(db: Tx, ids: number[]) {
  if (ids.length === 0) return new Map<number, string>()
  const rows = await db.selectFrom('org').select(['id', 'name']).where('id', 'in', ids).execute()
  return new Map(rows.map((r) => [r.id, r.name]))
}

export async function nextId(db: Tx): Promise<number> {
  const r = await sql<{ id: number }>`select nextval('org_id_seq')::bigint as id`.execute(db)
  return Number(r.rows[0]!.id)
}

/** The next generated code in a region: <region>-<5 digits>. */
export async function nextCode(db: Tx, regionCode: string): Promise<string> {
  const r = await db
    .insertInto('org_code_seq')
    .values({ region_code: regionCode, last_value: 1 })
    .onConflict((oc) => oc.column('region_code').doUpdateSet((eb) => ({ last_value: eb('org_code_seq.last_value', '+', 1) })))
    .returning('last_value')
    .executeTakeFirstOrThrow()
  return `${regionCode}-${String(r.last_value).padStart(5, '0')}`
}

export async function insert(db: Tx, row: OrgInsert) {
  return db.insertInto('org').values(row).returningAll().executeTakeFirstOrThrow()
}

export async function update(db: Tx, id: number, patch: OrgPatch) {
  return db
    .updateTable('org')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The regional union (总工会 or 工作委员会) of the nearest region at or above a code. */
export async function regionalUnionFor(db: Tx, regionCode: string) {
  return db
    .selectFrom('org')
    .select(['id', 'path', 'name'])
    .where('is_regional', '=', true)
    .where('status', '<>', 'dissolved')
    .where(sql<boolean>`${regionCode} like region_code || '%'`)
    .orderBy(sql`length(region_code)`, 'desc')
    .limit(1)
    .executeTakeFirst()
}

export async function regionalUnionExists(db: Tx, regionCode: string) {
  const r = await db
    .selectFrom('org')
    .select('id')
    .where('is_regional', '=', true)
    .where('region_code', '=', regionCode)
    .where('status', '<>', 'dissolved')
    .executeTakeFirst()
  return r !== undefined
}

// ── history ───────────────────────────────────────────────────────────────────

export async function latestVersionDate(db: Tx, path: string, whole: 'node' | 'subtree'): Promise<string | null> {
  const r = await db
    .selectFrom('org_history')
    .select((eb) => eb.fn.max('valid_from').as('d'))
    .where(whole === 'subtree' ? under('path', path) : sql<boolean>`path = ${path}`)
    .where('valid_to', 'is', null)
    .executeTakeFirst()
  return (r?.d as string | null) ?? null
}

/**
 * Records the current state of every node in a subtree as a version effective from `date`:
 * closes the open versions before that date, rewrites versions opened that same day.
 * The caller has checked that no open version starts after `date`.
 */
/** The columns of a union that its history keeps, version by version. */
const versioned = [
  'parent_id',
  'path',
  'industry_union_id',
  'industry_path',
  'code',
  'name',
  'org_type',
  'org_form',
  'region_code',
  'joint_category',
  'status',
] as const

export async function snapshot(db: Tx, path: string, date: string, whole: 'node' | 'subtree') {
  const which = whole === 'subtree' ? under('path', path) : sql<boolean>`path = ${path}`
  const ids = db.selectFrom('org').select('id').where(which)
  await db.deleteFrom('org_history').where('org_id', 'in', ids).where('valid_from', '=', date).where('valid_to', 'is', null).execute()
  await db.updateTable('org_history').set({ valid_to: date }).where('org_id', 'in', ids).where('valid_to', 'is', null).execute()
  await db
    .insertInto('org_history')
    .columns(['org_id', 'valid_from', 'valid_to', ...versioned])
    .expression(
      db
        .selectFrom('org')
        .select(() => ['id', sql.lit(date).as('valid_from'), sql.lit(null).as('valid_to'), ...versioned] as const)
        .where(which),
    )
    .execute()
}

/** Moves a subtree: rewrites the path prefix of every node, of enterprises held there, and of industry links. */
export async function rewritePaths(db: Tx, oldPath: string, newPath: string) {
  const cut = oldPath.length + 1
  await db
    .updateTable('org')
    .set({ path: sql`${newPath} || substr(path, ${cut})`, updated_at: new Date() })
    .where(under('path', oldPath))
    .execute()
  await db
    .updateTable('org')
    .set({ industry_path: sql`${newPath} || substr(industry_path, ${cut})` })
    .where(under('industry_path', oldPath))
    .execute()
  await db
    .updateTable('enterprise')
    .set({ org_path: sql`${newPath} || substr(org_path, ${cut})` })
    .where(under('org_path', oldPath))
    .execute()
  // the rows that carry their union's path (register, applications, transfers, plans, forms; not the ledger's history)
  await sql`select org_paths_rewrite(${oldPath}, ${newPath})`.execute(db)
}

export async function directory(db: Tx, q: string, limit = 20) {
  const r = await sql<{ id: number; code: string; name: string; region_code: string }>`select * from org_directory(${q}, ${limit})`.execute(
    db,
  )
  return r.rows.map((x) => ({ id: Number(x.id), code: x.code, name: x.name, regionCode: x.region_code }))
}

// ── an empty database (bootstrap.ts), as the owner before any scope ──────────

/** The root of the tree (the county's 总工会), if there is one yet. */
export const findRoot = (db: Kysely<DB>) => db.selectFrom('org').select('id').where('parent_id', 'is', null).executeTakeFirst()

/** Creates the root: the county's 总工会, founded 1950-01-01, with its first version in org_history. Returns its id. */
export async function insertRoot(db: Kysely<DB>, county: { code: string; name: string }) {
  const id = Number((await sql<{ id: number }>`select nextval('org_id_seq')::bigint as id`.execute(db)).rows[0]!.id)
  await db
    .insertInto('org')
    .values({
      id,
      code: county.code,
      name: `${county.name}总工会`,
      path: `/${id}/`,
      org_type: '9',
      org_form: 'federation',
      is_regional: true,
      region_code: county.code,
      status: 'active',
      founded_on: '1950-01-01',
    })
    .execute()
  await db
    .insertInto('org_history')
    .values({
      org_id: id,
      valid_from: '1950-01-01',
      parent_id: null,
      path: `/${id}/`,
      code: county.code,
      name: `${county.name}总工会`,
      org_type: '9',
      org_form: 'federation',
      region_code: county.code,
      status: 'active',
      valid_to: null,
      industry_union_id: null,
      industry_path: null,
      joint_category: null,
    })
    .execute()
  return id
}
