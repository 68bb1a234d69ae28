/**
 * `npm run bench:stats` (npx tsx bench/stats.ts): the indicator panel at the size of a city.
 *
 * For each engine: a migrated database with a generated city (bench/generate.ts: STATS_ORGS unions,
 * STATS_ENTERPRISES enterprises), then STATS_MEMBERS members with their 入会 entries inserted as
 * the owner in statements of 200,000 rows — the statistics triggers keep the tallies as they go,
 * exactly as for any write. Then, in the same run, as a cadre in scope (row-level security on):
 *   - the full indicator panel (stats.service panel) of the city, the largest and a median town,
 *     a joint union and a base union, now and on past dates; a ranking; a time series; a period;
 *   - the same panel computed with plain GROUP BY over the base tables (member, enterprise, org),
 *     and a check that both give the same numbers;
 *   - one member written through the service (the triggers' cost on a single write);
 *   - `stats verify` (everything recomputed from the base tables) once.
 * Targets (issue 4): any subtree's panel ≤ 20 ms median, ≥ 100× faster than the GROUP BY.
 *
 * Env: STATS_ORGS (20000), STATS_ENTERPRISES (300000), STATS_MEMBERS (3000000), BENCH_ENGINES
 * (postgres,pglite), BENCH_DATABASE_URL, BENCH_RUNS (30), BENCH_NAIVE_RUNS (5), BENCH_OUT
 * (docs/BENCHMARKS.md; '-' prints only).
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../server/src/db/schema.js'
import { migrate } from '../server/src/db/migrate.js'
import { bootstrap } from '../server/src/bootstrap.js'
import { runInScope } from '../server/src/http/scope.js'
import type { Actor, Ctx, Tx } from '../server/src/http/context.js'
import { createPii } from '../server/src/security/pii.js'
import { auditKeysOf } from '../server/src/security/keys.js'
import { useAuditKeys } from '../server/src/modules/audit/audit.repository.js'
import { makeResidentId } from '../common/id-card.js'
import type { StatsPanel } from '../common/stats.js'
import * as stats from '../server/src/modules/stats/stats.service.js'
import * as statsRepo from '../server/src/modules/stats/stats.repository.js'
import * as members from '../server/src/modules/members/members.service.js'
import { generateCity, generateMembers } from './generate.js'
import { openEngine } from './engine.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const env = process.env
const ORGS = Number(env.STATS_ORGS ?? 20_000)
const ENTERPRISES = Number(env.STATS_ENTERPRISES ?? 300_000)
const MEMBERS = Number(env.STATS_MEMBERS ?? 3_000_000)
const ENGINES = (env.BENCH_ENGINES ?? 'postgres,pglite')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean) as ('postgres' | 'pglite')[]
const PG_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const RUNS = Number(env.BENCH_RUNS ?? 30)
const NAIVE_RUNS = Number(env.BENCH_NAIVE_RUNS ?? 5)
const OUT = env.BENCH_OUT ?? path.join(root, 'docs', 'BENCHMARKS.md')
const SEED = 20260101
const ring = {
  current: 'k1',
  keys: { k1: crypto.randomBytes(32).toString('base64') },
  hashKey: crypto.randomBytes(32).toString('base64'),
}
const pii = createPii(ring)
// the audit chain is sealed with keys of the ring (as main.ts loads them)
useAuditKeys(auditKeysOf(ring))
const log = (l: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${l}`)

/** The same panel as plain GROUP BY over the base tables, in scope: what the tallies replace. */
async function naivePanel(db: Tx, path: string): Promise<Map<string, number>> {
  const hi = path + '~'
  const m = new Map<string, number>()
  const add = (k: string, v: unknown) => {
    if (Number(v)) m.set(k, (m.get(k) ?? 0) + Number(v))
  }
  const mem = await sql<Record<string, string>>`
    select count(*) filter (where status = 'active') as members,
           count(*) filter (where status = 'retained') as retained,
           count(*) filter (where status = 'reserve') as reserve,
           count(*) filter (where status = 'active' and quality = 'ok') as ok,
           count(*) filter (where status = 'active' and occupation in ('truck_driver', 'courier', 'ride_hailing', 'food_delivery')) as ne,
           count(*) filter (where status = 'active' and occupation = 'truck_driver') as ne_truck_driver,
           count(*) filter (where status = 'active' and occupation = 'courier') as ne_courier,
           count(*) filter (where status = 'active' and occupation = 'ride_hailing') as ne_ride_hailing,
           count(*) filter (where status = 'active' and occupation = 'food_delivery') as ne_food_delivery
      from member where org_path >= ${path} and org_path < ${hi}`.execute(db)
  const r = mem.rows[0]!
  add('members', r.members)
  add('members.retained', r.retained)
  add('members.reserve', r.reserve)
  add('members.ok', r.ok)
  add('members.ne', r.ne)
  for (const g of ['truck_driver', 'courier', 'ride_hailing', 'food_delivery']) add(`members.ne.${g}`, r[`ne_${g}`])
  // units by category, their coverage, workers, and the members who work there
  const ent = await sql<{ cat: string; n: string; own: string; covered: string; emp: string; emp_covered: string; mem: string }>`
    with working as (
      select m.enterprise_id, count(*) as members
        from member m join enterprise x on x.id = m.enterprise_id
       where x.org_path >= ${path} and x.org_path < ${hi} and m.status = 'active' group by 1
    ), e as (
      select e.*, coalesce(w.members, 0) as members
        from enterprise e left join working w on w.enterprise_id = e.id
       where e.org_path >= ${path} and e.org_path < ${hi})
    select c as cat, count(*) as n, count(*) filter (where own_union_id is not null) as own,
           count(*) filter (where own_union_id is not null or joint_union_id is not null) as covered,
           sum(employees) as emp, sum(employees) filter (where own_union_id is not null or joint_union_id is not null) as emp_covered,
           sum(members) as mem
      from e cross join lateral unnest(array_remove(array['all',
             case when nature in ('private', 'foreign', 'individual') and employees >= 25 then 'np25' end,
             case when nature in ('private', 'foreign', 'individual') and employees < 25 then 'npsmall' end,
             case when nature in ('organ', 'institution', 'state_owned') then 'public' end,
             case when above_scale then 'abovescale' end,
             case when nature = 'social_org' then 'social' end], null)) c
     group by c`.execute(db)
  for (const x of ent.rows) {
    add(`ent.${x.cat}`, x.n)
    add(`ent.${x.cat}.own`, x.own)
    add(`ent.${x.cat}.covered`, x.covered)
    add(`emp.${x.cat}`, x.emp)
    add(`emp.${x.cat}.covered`, x.emp_covered)
    add(`mem.${x.cat}`, x.mem)
  }
  // base unions, joint unions by category and scope, with their members and the units they cover
  const orgs = await sql<{
    org_form: string
    joint_scope: string | null
    cat: string
    n: string
    workers: string
    members: string
    enterprises: string
    employees: string
  }>`
    with held as (
      select union_id, count(*) as members from member
       where org_path >= ${path} and org_path < ${hi} and status in ('active', 'retained') group by 1
    ), covers as (
      select coalesce(own_union_id, joint_union_id) as union_id, count(*) as enterprises, sum(employees) as employees
        from enterprise where org_path >= ${path} and org_path < ${hi} and coalesce(own_union_id, joint_union_id) is not null group by 1
    )
    select o.org_form, o.joint_scope, coalesce(o.joint_category, 'other') as cat, count(*) as n,
           sum(o.fulltime_workers + o.parttime_workers) as workers, coalesce(sum(h.members), 0) as members,
           coalesce(sum(c.enterprises), 0) as enterprises, coalesce(sum(c.employees), 0) as employees
      from org o left join held h on h.union_id = o.id left join covers c on c.union_id = o.id
     where o.path >= ${path} and o.path < ${hi} and o.status = 'active' and o.org_form in ('committee', 'joint_committee', 'joint_federation')
     group by 1, 2, 3`.execute(db)
  for (const x of orgs.rows) {
    add('unions', x.n)
    add('union_workers', x.workers)
    if (x.org_form === 'committee') {
      add('unions.own', x.n)
      continue
    }
    add('unions.joint', x.n)
    add(`joint.${x.joint_scope ?? 'regional'}`, x.n)
    add(`joint.${x.cat}.${x.org_form === 'joint_committee' ? 'committees' : 'federations'}`, x.n)
    add(`joint.${x.cat}.members`, x.members)
    add(`joint.${x.cat}.enterprises`, x.enterprises)
    add(`joint.${x.cat}.employees`, x.employees)
    add(`joint.${x.cat}.workers`, x.workers)
  }
  return m
}

interface Timing {
  median: number
  p95: number
  runs: number
}
function timing(xs: number[]): Timing {
  const s = [...xs].sort((a, b) => a - b)
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!
  return { median: at(0.5), p95: at(0.95), runs: s.length }
}
async function measure(runs: number, f: () => Promise<unknown>): Promise<Timing> {
  await f()
  const xs: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await f()
    xs.push(performance.now() - t)
  }
  return timing(xs)
}

interface Row {
  name: string
  scope: string
  size: string
  panel: Timing
  naive?: Timing
  equal?: boolean
  target: number
}

async function runEngine(name: 'postgres' | 'pglite') {
  const e = await openEngine(name, 'stats', PG_URL)
  const { db } = e.database
  try {
    const version = (await sql<{ v: string }>`select version() as v`.execute(db)).rows[0]!.v
    log(`══ ${name}: ${version}`)
    await migrate(e.database)
    const boot = await bootstrap(db, { countyCode: '330683', adminPassword: 'Bench-Pass-2026!' })
    const t0 = performance.now()
    const city = await generateCity(db, { seed: SEED, orgs: ORGS, enterprises: ENTERPRISES, log: (l) => log(`  ${l}`) })
    const genSeconds = (performance.now() - t0) / 1000
    const memberSeconds = await generateMembers(db, MEMBERS, (l) => log(`  ${l}`))
    await sql`vacuum analyze`.execute(db)
    const size = Number((await sql<{ b: string }>`select pg_database_size(current_database()) as b`.execute(db)).rows[0]!.b) / 2 ** 20
    const tallies = (
      await sql<{ t: string; d: string; p: string }>`select (select count(*) from stat_total) as t, (select count(*) from stat_day) as d,
        (select count(*) from stat_period) as p`.execute(db)
    ).rows[0]!
    log(`  database ${size.toFixed(0)} MB; stat_total ${tallies.t} rows, stat_day ${tallies.d} rows, stat_period ${tallies.p} rows`)

    const rootOrg = await db.selectFrom('org').select(['id', 'path', 'name']).where('id', '=', boot.rootId).executeTakeFirstOrThrow()
    const actorFor = (o: { id: number; path: string; name: string }): Actor => ({
      id: 0,
      username: 'bench',
      displayName: 'bench',
      roles: ['org_admin'],
      orgId: o.id,
      orgName: o.name,
      scopePath: o.path,
      csrfToken: '',
      viaCookie: false,
    })
    const big = city.towns[0]!
    const median = city.towns[Math.floor(city.towns.length / 2)]!
    const townOrg = async (code: string) =>
      db.selectFrom('org').select(['id', 'path', 'name']).where('code', '=', code).executeTakeFirstOrThrow()
    const bigOrg = await townOrg(big.code)
    const medOrg = await townOrg(median.code)
    // (member_count counts 在册 and 保留; the generator's own figures are part of it)
    const joint = await db
      .selectFrom('org')
      .select(['id', 'path', 'name'])
      .where('org_form', '=', 'joint_committee')
      .orderBy('member_count', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    const base = await db
      .selectFrom('org')
      .select(['id', 'path', 'name'])
      .where('org_form', '=', 'committee')
      .orderBy('member_count', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    const counts = async (p: string) => {
      const r = (
        await sql<{
          m: string
          e: string
          o: string
        }>`select (select count(*) from member where org_path >= ${p} and org_path < ${p + '~'}) as m,
        (select count(*) from enterprise where org_path >= ${p} and org_path < ${p + '~'}) as e, (select count(*) from org where path >= ${p} and path < ${p + '~'}) as o`.execute(
          db,
        )
      ).rows[0]!
      return `${Number(r.m).toLocaleString('en')} members, ${Number(r.e).toLocaleString('en')} units, ${Number(r.o).toLocaleString('en')} unions`
    }
    const today = new Date().toISOString().slice(0, 10)
    const yearAgo = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`
    const rows: Row[] = []
    const inScope = <T>(o: { id: number; path: string; name: string }, f: (ctx: Ctx) => Promise<T>) =>
      runInScope(db, pii, actorFor(o), '127.0.0.1', f)
    const flatten = (p: StatsPanel) =>
      p.indicators.map((i) => `${i.key}=${i.numerator}/${i.denominator}`).join(' ') +
      JSON.stringify(p.jointByCategory) +
      JSON.stringify(p.jointByScope)

    for (const [label, o, scope] of [
      ['city 总工会', rootOrg, 'city'],
      [`largest town ${big.name}`, bigOrg, 'town'],
      [`median town ${median.name}`, medOrg, 'town'],
      ['the largest joint union', joint, 'city'],
      ['the largest base union', base, 'city'],
    ] as const) {
      const actor = scope === 'town' ? o : rootOrg
      const panel = await measure(RUNS, () => inScope(actor, (ctx) => stats.panel(ctx, { org: o.id, hierarchy: 'geo' })))
      const fast = await inScope(actor, (ctx) => stats.panel(ctx, { org: o.id, hierarchy: 'geo' }))
      let naivePanelResult: StatsPanel | undefined
      const naive = await measure(NAIVE_RUNS, async () => {
        naivePanelResult = await inScope(actor, async (ctx) => {
          const [t, wf, basis] = await Promise.all([
            naivePanel(ctx.db, o.path),
            statsRepo.workforceTotals(ctx.db, o.path, today),
            stats.memberRateBasis(ctx),
          ])
          return {
            ...fast,
            // (the generated city has no activities or proposals: their figures are zero on both sides)
            indicators: stats.indicatorsOf(t, wf, basis, { year: today.slice(0, 4), start: new Map() }),
            jointByCategory: fast.jointByCategory.map((r) => ({
              ...r,
              committees: t.get(`joint.${r.category}.committees`) ?? 0,
              federations: t.get(`joint.${r.category}.federations`) ?? 0,
              members: t.get(`joint.${r.category}.members`) ?? 0,
              employees: t.get(`joint.${r.category}.employees`) ?? 0,
              enterprises: t.get(`joint.${r.category}.enterprises`) ?? 0,
              workers: t.get(`joint.${r.category}.workers`) ?? 0,
            })),
            jointByScope: fast.jointByScope.map((r) => ({ ...r, count: t.get(`joint.${r.scope}`) ?? 0 })),
          }
        })
      })
      const equal = flatten(fast) === flatten(naivePanelResult!)
      if (!equal) log(`  MISMATCH ${label}:\n    tallies ${flatten(fast)}\n    GROUP BY ${flatten(naivePanelResult!)}`)
      rows.push({ name: `panel: ${label}`, scope, size: await counts(o.path), panel, naive, equal, target: 20 })
      log(
        `  panel ${label}: ${panel.median.toFixed(1)} ms (GROUP BY ${naive.median.toFixed(0)} ms, ${(naive.median / panel.median).toFixed(0)}×) ${equal ? 'same numbers' : 'DIFFERENT NUMBERS'}`,
      )
    }
    const cases: [string, (ctx: Ctx) => Promise<unknown>, string][] = [
      [`panel: city on ${yearAgo} (a year ago)`, (ctx: Ctx) => stats.panel(ctx, { asOf: yearAgo, hierarchy: 'geo' }), 'city'],
      ['panel: city on 2018-06-30', (ctx: Ctx) => stats.panel(ctx, { asOf: '2018-06-30', hierarchy: 'geo' }), 'city'],
      [
        `panel: ${big.name} on 2018-06-30`,
        (ctx: Ctx) => stats.panel(ctx, { org: bigOrg.id, asOf: '2018-06-30', hierarchy: 'geo' }),
        'town',
      ],
      ['ranking of the towns by 职工入会率', (ctx: Ctx) => stats.ranking(ctx, { hierarchy: 'geo', indicator: 'member_rate' }), 'city'],
      [
        'ranking of the towns by 职工入会率 on 2018-06-30',
        (ctx: Ctx) => stats.ranking(ctx, { hierarchy: 'geo', indicator: 'member_rate', asOf: '2018-06-30' }),
        'city',
      ],
      [
        'members per month, 24 months',
        (ctx: Ctx) => stats.series(ctx, { hierarchy: 'geo', grain: 'month', from: `${Number(today.slice(0, 4)) - 2}${today.slice(4)}` }),
        'city',
      ],
      ['this year against last year', (ctx: Ctx) => stats.period(ctx, { hierarchy: 'geo', kind: 'year' }), 'city'],
    ]
    for (const [label, f, scope] of cases) {
      const actor = scope === 'town' ? bigOrg : rootOrg
      const t = await measure(RUNS, () => inScope(actor, f))
      rows.push({ name: label, scope, size: '', panel: t, target: 20 })
      log(`  ${label}: ${t.median.toFixed(1)} ms`)
    }
    // one write through the service, the tallies of every ancestor kept in the same transaction
    let serial = 0
    const write = await measure(Math.min(RUNS, 30), () =>
      inScope(rootOrg, (ctx) =>
        members.create(ctx, {
          name: '基准会员',
          documentType: 'resident_id',
          documentNumber: makeResidentId('330683', new Date(Date.UTC(1950, 0, 1 + serial++)).toISOString().slice(0, 10), 1),
          unionId: base.id,
          joinedOn: '2020-01-01',
        }),
      ),
    )
    log(`  one member written through the service: ${write.median.toFixed(1)} ms`)
    const v0 = performance.now()
    const verified = await db.transaction().execute((tx) => statsRepo.verify(tx))
    const verifySeconds = (performance.now() - v0) / 1000
    log(
      `  stats verify: ${verified.compared} totals, ${verified.differences.length} differences, ${verified.ledgerMismatches.length} ledger mismatches, ${verifySeconds.toFixed(1)} s`,
    )
    return {
      name,
      version,
      genSeconds,
      memberSeconds,
      size,
      tallies,
      rows,
      write,
      verified: { ...verified, seconds: verifySeconds },
      orgs: city.orgs,
      enterprises: city.enterprises,
    }
  } finally {
    await e.drop()
  }
}

function report(runs: Awaited<ReturnType<typeof runEngine>>[]) {
  const cpu = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? 'unknown'
  const lines = [
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpu}, ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}; command \`npm run bench:stats\`.`,
    '',
  ]
  for (const r of runs) {
    const pass = r.rows.filter(
      (x) => x.panel.median <= x.target && (!x.naive || x.naive.median / x.panel.median >= 100) && x.equal !== false,
    ).length
    lines.push(
      `**${r.name}** (${r.version.split(' on ')[0]}): ${r.orgs.toLocaleString('en')} organizations, ${r.enterprises.toLocaleString('en')} enterprises, ${MEMBERS.toLocaleString('en')} members; ` +
        `city generated in ${r.genSeconds.toFixed(0)} s, members inserted in ${r.memberSeconds.toFixed(0)} s (${Math.round(MEMBERS / r.memberSeconds).toLocaleString('en')} rows/s with the triggers keeping the tallies); ` +
        `database ${r.size.toFixed(0)} MB, stat_total ${Number(r.tallies.t).toLocaleString('en')} rows, stat_day ${Number(r.tallies.d).toLocaleString('en')} rows, stat_period ${Number(r.tallies.p).toLocaleString('en')} rows.`,
      '',
    )
    lines.push(
      '| query | scope | subtree | median ms | p95 ms | GROUP BY median ms | × faster | same numbers | target | result |',
      '|---|---|---|---:|---:|---:|---:|---|---|---|',
    )
    for (const x of r.rows) {
      const speed = x.naive ? x.naive.median / x.panel.median : null
      const ok = x.panel.median <= x.target && (speed === null || speed >= 100) && x.equal !== false
      lines.push(
        `| ${x.name} | ${x.scope} | ${x.size} | ${x.panel.median.toFixed(1)} | ${x.panel.p95.toFixed(1)} | ${x.naive ? x.naive.median.toFixed(0) : '–'} | ${speed === null ? '–' : speed.toFixed(0) + '×'} | ${x.equal === undefined ? '–' : x.equal ? 'yes' : '**no**'} | ≤ ${x.target} ms${x.naive ? ', ≥ 100×' : ''} | ${ok ? 'PASS' : '**FAIL**'} |`,
      )
    }
    lines.push(
      '',
      `${pass} of ${r.rows.length} pass. One member written through the service (insert, ledger entry, tallies of every ancestor, audit) takes ${r.write.median.toFixed(1)} ms median (p95 ${r.write.p95.toFixed(1)}). ` +
        `\`stats verify\` recomputed ${r.verified.compared.toLocaleString('en')} totals from the base tables in ${r.verified.seconds.toFixed(0)} s: ${r.verified.differences.length} differences, ${r.verified.ledgerMismatches.length} ledger mismatches.`,
      '',
    )
  }
  return lines.join('\n')
}

async function main() {
  const runs = []
  for (const e of ENGINES) runs.push(await runEngine(e))
  const body = report(runs)
  console.log('\n' + body)
  if (OUT === '-') return
  const doc = fs.readFileSync(OUT, 'utf8')
  const start = '<!-- bench:stats:start -->'
  const end = '<!-- bench:stats:end -->'
  const next = doc.includes(start)
    ? doc.replace(new RegExp(`${start}[\\s\\S]*?${end}`), `${start}\n${body}\n${end}`)
    : `${doc.trimEnd()}\n\n## Statistics: the indicator panel (bench/stats.ts)\n\n${start}\n${body}\n${end}\n`
  fs.writeFileSync(OUT, next)
}

await main()
