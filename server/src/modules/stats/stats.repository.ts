import { sql, type Insertable } from 'kysely'
import type { PlatformWorkforceTable } from '../../db/schema.js'
import type { Tx } from '../../http/context.js'
import { under } from '../../db/paths.js'
import { TIME_ZONE } from '../../config.js'

/** 'g' the geographic tree, 'i' the industry hierarchy (stat_total.h). */
export type H = 'g' | 'i'

/**
 * Every metric of a node's subtree now, or on `asOf`: the total less every change after the date
 * (exact; at most a few dozen rows per metric however far back, see `changesAfter`).
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
  const put = (rows: { node_id: number | string; metric: string; v: string | number }[], sign: 1 | -1) => {
    for (const r of rows) {
      const x = out.get(Number(r.node_id))!
      x.set(r.metric, (x.get(r.metric) ?? 0) + sign * Number(r.v))
    }
  }
  let now = db.selectFrom('stat_total').select(['node_id', 'metric', 'value as v']).where('node_id', 'in', nodeIds).where('h', '=', h)
  if (metrics) now = now.where('metric', 'in', metrics)
  put(await now.execute(), 1)
  if (asOf) put(await changesAfter(db, nodeIds, h, metrics, [asOf]), -1)
  else {
    // today's value: facts dated after today (an activity still to come, 0024) are in the total
    // already and are not counted yet
    let later = db
      .selectFrom('stat_day')
      .select(['node_id', 'metric', sql<string>`sum(delta)`.as('v')])
      .where('node_id', 'in', nodeIds)
      .where('h', '=', h)
      .where('day', '>', sql<string>`current_date`)
    if (metrics) later = later.where('metric', 'in', metrics)
    put(await later.groupBy(['node_id', 'metric']).execute(), -1)
  }
  return out
}

/** Changes per metric in [from, to] (flows: who joined, left, moved in or out). */
export async function changes(db: Tx, nodeId: number, h: H, from: string, to: string, metrics: string[]) {
  // what changed after the day before `from`, less what changed after `to`
  const rows = await changesAfter(db, [nodeId], h, metrics, [addDays(from, -1)], [to])
  return new Map(rows.map((r) => [r.metric, Number(r.v)]))
}

/**
 * Σ of the changes dated after each day of `plus` less those after each day of `minus`, per node
 * and metric. The changes after a day are the rest of its month by day (stat_day), the rest of
 * its year by month and the later years whole (stat_period, 0028): at most 30 + 11 + a row per
 * later year, per metric; read by stat_changes_after (0034), whose plan is made once.
 */
async function changesAfter(db: Tx, nodeIds: number[], h: H, metrics: string[] | null, plus: string[], minus: string[] = []) {
  return (
    await sql<{ node_id: string; metric: string; v: string }>`select node_id, metric, sum(v) as v
      from stat_changes_after(${nodeIds}::bigint[], ${h}::"char", ${metrics}::text[], ${plus}::date[], ${minus}::date[])
     group by node_id, metric`.execute(db)
  ).rows
}

/**
 * Changes per bucket (month, quarter, year) in (after, upTo], for a time series read backwards
 * from the total: whole months from stat_period, the days of a month not over by `upTo` from
 * stat_day. `after` is the last day of a month (the day before a bucket begins).
 */
export async function changesByBucket(
  db: Tx,
  nodeId: number,
  h: H,
  after: string,
  upTo: string,
  grain: 'month' | 'quarter' | 'year',
  metrics: string[],
) {
  if (firstOfNextMonth(after) !== addDays(after, 1)) throw new Error(`changesByBucket: ${after} is not the last day of a month`)
  // the first day after the whole months: the days from it to `upTo` are read one by one
  const daysFrom = firstOfNextMonth(upTo) === addDays(upTo, 1) ? firstOfNextMonth(upTo) : upTo.slice(0, 8) + '01'
  const rows = await sql<{ bucket: string; metric: string; d: string }>`
    select to_char(date_trunc(${grain}, c.start), 'YYYY-MM-DD') as bucket, c.metric, sum(c.delta) as d from (
      select start, metric, delta from stat_period
       where node_id = ${nodeId} and h = ${h} and grain = 'm' and start > ${after} and start < ${daysFrom} and metric = any(${metrics}::text[])
      union all
      select day, metric, delta from stat_day
       where node_id = ${nodeId} and h = ${h} and day >= ${daysFrom} and day > ${after} and day <= ${upTo} and metric = any(${metrics}::text[])
    ) c group by 1, 2`.execute(db)
  return rows.rows.map((r) => ({ bucket: r.bucket, metric: r.metric, delta: Number(r.d) }))
}

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10)
const addDays = (d: string, n: number) => isoDay(Date.parse(d + 'T00:00:00Z') + n * 86_400_000)
/** The first day of the month after the one `d` lies in. */
const firstOfNextMonth = (d: string) => isoDay(Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)), 1))

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
 * (empty when all is right); also checks that each total, and the changes kept per month and per
 * year, are the sums of the daily changes.
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
  // every kept sum against the sum of its days: the total, and each month's and year's (0028)
  const ledger = (
    await sql<{ node_id: string; h: string; metric: string; period: string | null; total: string; days: string }>`
    select t.node_id, t.h, t.metric, null as period, t.value as total, coalesce(d.s, 0) as days
      from stat_total t
      left join (select node_id, h, metric, sum(delta) as s from stat_day group by 1, 2, 3) d using (node_id, h, metric)
     where t.value <> coalesce(d.s, 0)
    union all
    select node_id, h, metric, to_char(start, case grain when 'm' then 'YYYY-MM' else 'YYYY' end), coalesce(p.delta, 0), coalesce(d.s, 0)
      from stat_period p
      full join (select node_id, h, g.grain, g.start, metric, sum(delta) as s
                   from stat_day cross join lateral (values ('m'::"char", date_trunc('month', day)::date),
                                                            ('y'::"char", date_trunc('year', day)::date)) g (grain, start)
                  group by 1, 2, 3, 4, 5) d using (node_id, h, grain, start, metric)
     where coalesce(p.delta, 0) <> coalesce(d.s, 0)
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
      /** the month (YYYY-MM) or year (YYYY) whose kept sum differs; null: the total */
      period: d.period,
      total: Number(d.total),
      sumOfDays: Number(d.days),
    })),
  }
}
