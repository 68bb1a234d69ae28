import { sql, type Insertable } from 'kysely'
import type { PlatformWorkforceTable } from '../../db/schema.js'
import type { Tx } from '../../http/context.js'
import { under } from '../../db/paths.js'
import { TIME_ZONE } from '../../config.js'

/** 'g' the geographic tree, 'i' the industry hierarchy (stat_total.h). */
export type H = 'g' | 'i'

/**
 * Every metric of a node's subtree now, or on `asOf`. A past value is the total less what changed
 * after the date, or — when the date lies nearer the node's first change than today — the sum of
 * what changed up to it: both are exact, the shorter sum is read.
 */
export async function totals(db: Tx, nodeId: number, h: H, asOf?: string): Promise<Map<string, number>> {
  return (await totalsOf(db, [nodeId], h, null, asOf)).get(nodeId)!
}

/** The same for several nodes at once (children of a node, for rankings); `metrics` null = all. */
export async function totalsOf(
  db: Tx,
  nodeIds: number[],
  h: H,
  metrics: string[] | null,
  asOf?: string,
): Promise<Map<number, Map<string, number>>> {
  const out = new Map<number, Map<string, number>>(nodeIds.map((id) => [id, new Map()]))
  if (nodeIds.length === 0 || metrics?.length === 0) return out
  const put = (rows: { node_id: number; metric: string; v: string | number }[], sign: 1 | -1 = 1) => {
    for (const r of rows) {
      const x = out.get(Number(r.node_id))!
      x.set(r.metric, (x.get(r.metric) ?? 0) + sign * Number(r.v))
    }
  }
  const days = (q: { before?: string; after?: string; afterToday?: true }) => {
    let s = db
      .selectFrom('stat_day')
      .select(['node_id', 'metric', sql<string>`sum(delta)`.as('v')])
      .where('node_id', 'in', nodeIds)
      .where('h', '=', h)
    if (metrics) s = s.where('metric', 'in', metrics)
    if (q.before) s = s.where('day', '<=', q.before)
    if (q.after) s = s.where('day', '>', q.after)
    if (q.afterToday) s = s.where('day', '>', sql<string>`current_date`)
    return s.groupBy(['node_id', 'metric']).execute()
  }
  if (asOf) {
    const first = await db
      .selectFrom('stat_day')
      .select(sql<string | null>`min(day)`.as('d'))
      .where('node_id', 'in', nodeIds)
      .where('h', '=', h)
      .executeTakeFirst()
    const start = first?.d ? Date.parse(first.d) : Date.parse(asOf)
    if (Date.parse(asOf) - start < Date.now() - Date.parse(asOf)) {
      put(await days({ before: asOf }))
      return out
    }
  }
  let now = db.selectFrom('stat_total').select(['node_id', 'metric', 'value as v']).where('node_id', 'in', nodeIds).where('h', '=', h)
  if (metrics) now = now.where('metric', 'in', metrics)
  put(await now.execute())
  // without a date: today's value. Facts dated after today (an activity still to come, 0024) are
  // in the total already and are not counted yet.
  if (asOf) put(await days({ after: asOf }), -1)
  else put(await days({ afterToday: true }), -1)
  return out
}

/** Changes per metric in [from, to] (flows: who joined, left, moved in or out). */
export async function changes(db: Tx, nodeId: number, h: H, from: string, to: string, metrics: string[]) {
  const rows = await db
    .selectFrom('stat_day')
    .select(['metric', sql<string>`sum(delta)`.as('d')])
    .where('node_id', '=', nodeId)
    .where('h', '=', h)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .where('metric', 'in', metrics)
    .groupBy('metric')
    .execute()
  return new Map(rows.map((r) => [r.metric, Number(r.d)]))
}

/** Changes per bucket (month, quarter, year) after `after`, for a time series read backwards from the total. */
export async function changesByBucket(
  db: Tx,
  nodeId: number,
  h: H,
  after: string,
  upTo: string,
  grain: 'month' | 'quarter' | 'year',
  metrics: string[],
) {
  const rows = await db
    .selectFrom('stat_day')
    .select([sql<string>`to_char(date_trunc(${grain}, day), 'YYYY-MM-DD')`.as('bucket'), 'metric', sql<string>`sum(delta)`.as('d')])
    .where('node_id', '=', nodeId)
    .where('h', '=', h)
    .where('day', '>', after)
    .where('day', '<=', upTo)
    .where('metric', 'in', metrics)
    .groupBy(['bucket', 'metric'])
    .execute()
  return rows.map((r) => ({ bucket: r.bucket, metric: r.metric, delta: Number(r.d) }))
}

export async function org(db: Tx, id: number) {
  return db
    .selectFrom('org')
    .select(['id', 'code', 'name', 'path', 'parent_id', 'founded_on', 'status', 'is_regional', 'is_industry_union', 'region_code'])
    .where('id', '=', id)
    .executeTakeFirst()
}

/** The organization of a path's first segment the caller can see: the top of their jurisdiction. */
export async function scopeRoot(db: Tx, scopePath: string) {
  const id = Number(scopePath.split('/').filter(Boolean).at(-1))
  return org(db, id)
}

/**
 * The sub-units to rank under a node: in the geographic tree its children (as they stood on
 * `asOf`, from the effective-dated history), the regional ones (towns, streets) when it has any;
 * in the industry hierarchy the unions that belong to it.
 */
export async function subUnits(db: Tx, parentId: number, h: H, asOf?: string) {
  type R = { id: number; code: string; name: string; path: string; is_regional: boolean; is_industry_union: boolean }
  // the units of today's tree that are not dissolved, in code order
  const live = () =>
    db
      .selectFrom('org')
      .select(['id', 'code', 'name', 'path', 'is_regional', 'is_industry_union'])
      .where('status', '<>', 'dissolved')
      .orderBy('code')
  let rows: R[]
  if (h === 'i') {
    rows = await live().where('industry_union_id', '=', parentId).execute()
    if (rows.length === 0) {
      // a regional union (the city) leads no industry itself: its sub-units are the industry unions
      // at the top of that hierarchy within its subtree
      const parent = await db.selectFrom('org').select(['path', 'is_industry_union']).where('id', '=', parentId).executeTakeFirst()
      if (parent && !parent.is_industry_union) {
        rows = await live()
          .where(under('path', parent.path))
          .where('is_industry_union', '=', true)
          .where('industry_union_id', 'is', null)
          .execute()
      }
    }
  } else if (asOf) {
    rows = (
      await sql<R>`
      select o.id, hv.code, hv.name, hv.path, o.is_regional, o.is_industry_union
        from org_history hv join org o on o.id = hv.org_id
       where hv.parent_id = ${parentId} and hv.valid_from <= ${asOf} and (hv.valid_to is null or hv.valid_to > ${asOf})
         and hv.status <> 'dissolved'
       order by hv.code`.execute(db)
    ).rows
  } else {
    rows = await live().where('parent_id', '=', parentId).execute()
  }
  const regional = rows.filter((r) => r.is_regional)
  return (regional.length > 0 ? regional : rows).map((r) => ({ ...r, id: Number(r.id) }))
}

/** Base unions founded in [from, to] in a subtree (as the tree stands now), own and joint. */
export async function unionsFounded(db: Tx, path: string, h: H, from: string, to: string) {
  const r = await db
    .selectFrom('org')
    .select([
      sql<string>`count(*)`.as('all'),
      sql<string>`count(*) filter (where org_form in ('joint_committee', 'joint_federation'))`.as('joint'),
    ])
    .where(h === 'g' ? under('path', path) : under('industry_path', path))
    .where('org_form', 'in', ['committee', 'joint_committee', 'joint_federation'])
    .where('status', '<>', 'preparing')
    .where('founded_on', '>=', from)
    .where('founded_on', '<=', to)
    .executeTakeFirstOrThrow()
  return { all: Number(r.all), joint: Number(r.joint) }
}

/** The joint unions (联合工会委员会, 工会联合会) of a subtree, optionally of one category: the list behind 附件1's rows. */
export async function jointUnions(db: Tx, path: string, h: H, category?: string) {
  let q = db
    .selectFrom('org as o')
    .select([
      'o.id',
      'o.code',
      'o.name',
      'o.org_form',
      'o.joint_scope',
      'o.joint_category',
      'o.founded_on',
      'o.member_count',
      'o.covered_enterprises',
      'o.covered_employees',
      sql<number>`o.fulltime_workers + o.parttime_workers`.as('union_workers'),
      sql<string | null>`(select p.name from org p where p.id = o.parent_id)`.as('parent_name'),
    ])
    .where(h === 'g' ? under('o.path', path) : under('o.industry_path', path))
    .where('o.org_form', 'in', ['joint_committee', 'joint_federation'])
    .where('o.status', '=', 'active')
  if (category) q = q.where('o.joint_category', '=', category)
  return q.orderBy('o.path').limit(2000).execute()
}

/** The 新就业形态 workforce entered per platform in a subtree: the latest figure on or before `asOf` of each platform. */
export async function workforceTotals(db: Tx, path: string, asOf: string) {
  const rows = (
    await sql<{ occupation: string; workers: string }>`
    select occupation, sum(workers) as workers from (
      select distinct on (org_id, platform_name, occupation) occupation, workers
        from platform_workforce
       where ${under('org_path', path)} and as_of <= ${asOf}
       order by org_id, platform_name, occupation, as_of desc) x
    group by occupation`.execute(db)
  ).rows
  return new Map(rows.map((r) => [r.occupation, Number(r.workers)]))
}

export async function workforceList(db: Tx, path: string) {
  return db
    .selectFrom('platform_workforce as w')
    .innerJoin('org as o', 'o.id', 'w.org_id')
    .select(['w.id', 'w.org_id', 'o.name as org_name', 'w.platform_name', 'w.occupation', 'w.workers', 'w.as_of', 'w.note'])
    .where(under('w.org_path', path))
    .orderBy('w.as_of', 'desc')
    .orderBy('w.id', 'desc')
    .limit(500)
    .execute()
}

export async function workforceUpsert(db: Tx, r: Insertable<PlatformWorkforceTable> & { created_by: number }) {
  return db
    .insertInto('platform_workforce')
    .values(r)
    .onConflict((oc) => oc.columns(['org_id', 'platform_name', 'occupation', 'as_of']).doUpdateSet({ workers: r.workers, note: r.note }))
    .returning(['id'])
    .executeTakeFirstOrThrow()
}

export async function workforceDelete(db: Tx, id: number) {
  return db
    .deleteFrom('platform_workforce')
    .where('id', '=', id)
    .returning(['id', 'org_id', 'platform_name', 'occupation', 'workers', 'as_of'])
    .executeTakeFirst()
}

export async function setting(db: Tx, key: string) {
  return (await db.selectFrom('stat_setting').select('value').where('key', '=', key).executeTakeFirst())?.value
}

export async function putSetting(db: Tx, key: string, value: string) {
  await db
    .insertInto('stat_setting')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: new Date() }))
    .execute()
}

/** The effective day of the changes that follow in this transaction (a move dated in the past). */
export async function setEffectiveDay(db: Tx, day: string | null) {
  await sql`select set_config('app.stat_day', ${day ?? ''}, true)`.execute(db)
}

/**
 * Recomputes every tally from the base tables and returns where they differ from the kept ones
 * (empty when all is right); also checks that each total is the sum of its daily changes.
 * Industry flows are not compared: they stay with the industry union they were counted under.
 */
export async function verify(db: Tx, timeZone: string = TIME_ZONE) {
  // the local day of a timestamp (an activity's, a proposal's) as the requests that wrote the tallies saw it
  await sql`select set_config('timezone', ${timeZone}, true)`.execute(db)
  const diff = (
    await sql<{ node_id: string; h: string; metric: string; kept: string | null; recomputed: string | null }>`
    with r as (select * from stat_recompute()),
         k as (select node_id, h, metric, value from stat_total where value <> 0)
    select coalesce(k.node_id, r.node_id) as node_id, coalesce(k.h, r.h) as h, coalesce(k.metric, r.metric) as metric,
           k.value as kept, r.value as recomputed
      from k full join r on r.node_id = k.node_id and r.h = k.h and r.metric = k.metric
     where k.value is distinct from r.value and not (coalesce(k.h, r.h) = 'i' and coalesce(k.metric, r.metric) like 'new.%')
     order by 1, 2, 3
     limit 1000`.execute(db)
  ).rows
  const ledger = (
    await sql<{ node_id: string; h: string; metric: string; total: string; days: string }>`
    select t.node_id, t.h, t.metric, t.value as total, coalesce(d.s, 0) as days
      from stat_total t
      left join (select node_id, h, metric, sum(delta) as s from stat_day group by 1, 2, 3) d using (node_id, h, metric)
     where t.value <> coalesce(d.s, 0)
     limit 1000`.execute(db)
  ).rows
  const counted = await sql<{ n: string }>`select count(*) as n from stat_total`.execute(db)
  return {
    compared: Number(counted.rows[0]!.n),
    differences: diff.map((d) => ({
      nodeId: Number(d.node_id),
      h: d.h,
      metric: d.metric,
      kept: d.kept === null ? 0 : Number(d.kept),
      recomputed: d.recomputed === null ? 0 : Number(d.recomputed),
    })),
    ledgerMismatches: ledger.map((d) => ({
      nodeId: Number(d.node_id),
      h: d.h,
      metric: d.metric,
      total: Number(d.total),
      sumOfDays: Number(d.days),
    })),
  }
}
