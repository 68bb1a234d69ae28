/**
 * `npm run bench`: generates a city-sized dataset on each engine and measures the queries an API
 * request makes, through runInScope (the restricted role gonghui_app with the caller's scope, in a
 * transaction), exactly as the HTTP layer runs them.
 *
 * Engines: PGlite (in memory; BENCH_PGLITE_DIR for an on-disk data directory as in production) always, and
 * PostgreSQL when reachable at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
 * in a temporary database that is dropped afterwards. BENCH_ENGINES=pglite|postgres runs one.
 *
 * Sizes: BENCH_ORGS (100000), BENCH_ENTERPRISES (500000), BENCH_SEED (20260101), BENCH_RUNS (50 per query).
 * Writes the results between the markers in docs/BENCHMARKS.md (or BENCH_OUT); the text around
 * the markers is kept.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import crypto from 'node:crypto'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import {
  CompiledQuery,
  sql,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely'
import { openDatabase, type Database } from '../server/src/db/client.js'
import { migrate } from '../server/src/db/migrate.js'
import { bootstrap } from '../server/src/bootstrap.js'
import type { DB } from '../server/src/db/schema.js'
import { runInScope } from '../server/src/http/scope.js'
import type { Actor, Ctx } from '../server/src/http/context.js'
import { createPii } from '../server/src/security/pii.js'
import { auditKeysOf } from '../server/src/security/keys.js'
import { useAuditKeys } from '../server/src/modules/audit/audit.repository.js'
import * as orgs from '../server/src/modules/orgs/orgs.service.js'
import * as enterprises from '../server/src/modules/enterprises/enterprises.service.js'
import { generateCity, type CitySummary } from './generate.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const env = process.env
const ORGS = Number(env.BENCH_ORGS ?? 100_000)
const ENTERPRISES = Number(env.BENCH_ENTERPRISES ?? 500_000)
const SEED = Number(env.BENCH_SEED ?? 20260101)
const RUNS = Math.max(5, Number(env.BENCH_RUNS ?? 50))
const WARMUP = 5
/** runs of each statement timed alone (the breakdown) */
const PART_RUNS = Math.max(5, Number(env.BENCH_PART_RUNS ?? 15))
const CAP = 10_000
/** time budget of one case's measured runs; a case slower than CASE_SECONDS / RUNS gets fewer runs, at least MIN_RUNS */
const CASE_SECONDS = Number(env.BENCH_CASE_SECONDS ?? 60)
const MIN_RUNS = 10
const PG_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const OUT = env.BENCH_OUT ?? path.join(root, 'docs', 'BENCHMARKS.md')
const ENGINES = (env.BENCH_ENGINES ?? 'pglite,postgres').split(',').map((s) => s.trim())

const ring = {
  current: 'k1',
  keys: { k1: crypto.randomBytes(32).toString('base64') },
  hashKey: crypto.randomBytes(32).toString('base64'),
}
const pii = createPii(ring)
// the audit chain is sealed with keys of the ring (as main.ts loads them)
useAuditKeys(auditKeysOf(ring))

// ── measuring ─────────────────────────────────────────────────────────────────
interface Stats {
  median: number
  p95: number
  min: number
  max: number
  runs: number
}
function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b)
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!
  const median = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
  return { median, p95: at(0.95), min: s[0]!, max: s[s.length - 1]!, runs: s.length }
}

/** Records the SQL a service call sends, to time and EXPLAIN each statement on its own. */
class Capture implements KyselyPlugin {
  queries: CompiledQuery[] = []
  constructor(private readonly db: Kysely<DB>) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const q = this.db.getExecutor().compileQuery(args.node, args.queryId)
    if (!/^(select set_config|set local role)/.test(q.sql)) this.queries.push(q)
    return args.node
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}

function labelOf(q: CompiledQuery): string {
  const s = q.sql
  // the organization search: one call counts (capped) and picks the page's ids
  if (/org_search_page\(/.test(s)) return 'page'
  if (/^select count\(\*\)/.test(s)) return / limit /.test(s) ? 'capped' : 'count'
  // a node's children: its child_count
  if (/^select coalesce\(\s*\(select p\.child_count/.test(s)) return 'count'
  if (/ limit /.test(s)) return 'page'
  if (/from "org" where "id" = \$1$/.test(s)) return 'scope org'
  if (/from "org" where "id" in/.test(s)) return 'names'
  return 'other'
}

interface Case {
  group: 'children' | 'search' | 'register'
  name: string
  target: number
  actor: Actor
  /** called with the run number, so a case can rotate through sample nodes */
  call: (ctx: Ctx, i: number) => Promise<{ items: unknown[]; total: number }>
}

interface Result {
  group: Case['group']
  name: string
  target: number
  scope: string
  total: number
  returned: number
  e2e: Stats
  parts: { label: string; stats: Stats; sql: string }[]
  pass: boolean
  plans: { label: string; sql: string; params: unknown[]; plan: string }[]
}

async function measureCase(db: Kysely<DB>, c: Case): Promise<Result> {
  const begun = performance.now()
  for (let i = 0; i < WARMUP && (i === 0 || performance.now() - begun < 10_000); i++)
    await runInScope(db, pii, c.actor, '127.0.0.1', (ctx) => c.call(ctx, i))
  const times: number[] = []
  let last = { items: [] as unknown[], total: 0 }
  const started = performance.now()
  // RUNS runs, unless a query is so slow that they would take more than CASE_SECONDS: then at least MIN_RUNS
  for (let i = 0; i < RUNS && (i < MIN_RUNS || performance.now() - started < CASE_SECONDS * 1000); i++) {
    const t0 = performance.now()
    last = await runInScope(db, pii, c.actor, '127.0.0.1', (ctx) => c.call(ctx, i))
    times.push(performance.now() - t0)
  }
  const e2e = stats(times)
  // each statement of run 0 on its own, in the same scope
  const capture = new Capture(db)
  await runInScope(db.withPlugin(capture), pii, c.actor, '127.0.0.1', (ctx) => c.call(ctx, 0))
  const parts: Result['parts'] = []
  const timeAlone = async (label: string, text: string, params: readonly unknown[]) => {
    const ts: number[] = []
    const started = performance.now()
    for (let i = 0; i < PART_RUNS + 2 && (i < 7 || performance.now() - started < CASE_SECONDS * 300); i++) {
      const t0 = performance.now()
      await runInScope(db, pii, c.actor, '127.0.0.1', (ctx) => ctx.db.executeQuery(CompiledQuery.raw(text, [...params])))
      if (i >= 2) ts.push(performance.now() - t0)
    }
    parts.push({ label, stats: stats(ts), sql: text })
  }
  for (const q of capture.queries) {
    const label = labelOf(q)
    if (label !== 'page' && label !== 'count' && label !== 'capped') continue
    await timeAlone(label, q.sql, q.parameters)
    // the remedy proposed for large totals: count at most 10,001 rows ("10,000+")
    const capped = q.sql.replace(
      /^select count\(\*\) as "n" from (.*)$/s,
      `select count(*) as "n" from (select 1 from $1 limit ${CAP + 1}) capped`,
    )
    if (label === 'count' && capped !== q.sql) await timeAlone('capped', capped, q.parameters)
  }
  const pass = e2e.median <= c.target
  const plans: Result['plans'] = []
  if (!pass || env.BENCH_EXPLAIN_ALL === '1') {
    for (const q of capture.queries) {
      const label = labelOf(q)
      if (label !== 'page' && label !== 'count' && label !== 'capped') continue
      const r = await runInScope(db, pii, c.actor, '127.0.0.1', (ctx) =>
        ctx.db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain (analyze, buffers) ${q.sql}`, [...q.parameters])),
      )
      plans.push({ label, sql: q.sql, params: [...q.parameters], plan: r.rows.map((x) => x['QUERY PLAN']).join('\n') })
    }
  }
  return {
    group: c.group,
    name: c.name,
    target: c.target,
    scope: c.actor.username,
    total: last.total,
    returned: last.items.length,
    e2e,
    parts,
    pass,
    plans,
  }
}

// ── the cases ─────────────────────────────────────────────────────────────────
const actorFor = (username: string, orgId: number, scopePath: string, orgName: string): Actor => ({
  id: 900_000 + orgId,
  username,
  displayName: username,
  roles: ['org_admin'],
  orgId,
  orgName,
  scopePath,
  csrfToken: '',
  viaCookie: false,
})

async function sampleNodes(db: Kysely<DB>, depth: number, limit: number) {
  const r = await sql<{ id: number }>`
    select p.id from org p
    where length(p.path) - length(replace(p.path, '/', '')) - 1 = ${depth} and p.status <> 'dissolved'
      and exists (select 1 from org c where c.parent_id = p.id)
    order by md5(p.id::text) limit ${limit}`.execute(db)
  return r.rows.map((x) => Number(x.id))
}

async function buildCases(db: Kysely<DB>, s: CitySummary): Promise<Case[]> {
  const big = s.towns[0]!
  const mid = s.towns[Math.floor(s.towns.length / 2)]!
  const city = actorFor('city', s.root.id, s.root.path, s.root.name)
  const town = actorFor(`town ${big.name}`, big.orgId, big.path, big.name)
  const midTown = actorFor(`town ${mid.name}`, mid.orgId, mid.path, mid.name)
  const d3 = await sampleNodes(db, 3, 50)
  const d4 = await sampleNodes(db, 4, 50)
  const depth3Max = s.nodes.find((n) => n.depth === 3)!
  const page = (p = 1) => ({ page: p, pageSize: 20 })
  const children =
    (parent: number, p = 1) =>
    (ctx: Ctx) =>
      orgs.list(ctx, { parent, hierarchy: 'geo', ...page(p) })
  const search = (q: string) => (ctx: Ctx) => orgs.list(ctx, { q, hierarchy: 'geo', ...page() })
  type Q = Parameters<typeof enterprises.list>[1]
  const reg = (q: Partial<Q>) => (ctx: Ctx) => enterprises.list(ctx, { sort: '-employees', page: 1, pageSize: 20, ...q } as Q)
  const cases: Case[] = [
    {
      group: 'children',
      name: `root ${s.root.name} (${s.nodes[0]!.children} children)`,
      target: 20,
      actor: city,
      call: children(s.root.id),
    },
    {
      group: 'children',
      name: `largest town ${big.name} (${big.children} children), page 1`,
      target: 20,
      actor: city,
      call: children(big.orgId),
    },
    { group: 'children', name: `largest town ${big.name}, page 50`, target: 20, actor: city, call: children(big.orgId, 50) },
    { group: 'children', name: `largest town ${big.name}, page 1, town scope`, target: 20, actor: town, call: children(big.orgId) },
    { group: 'children', name: `median town ${mid.name} (${mid.children} children)`, target: 20, actor: city, call: children(mid.orgId) },
    {
      group: 'children',
      name: `depth 3 ${depth3Max.name} (${depth3Max.children} children)`,
      target: 20,
      actor: city,
      call: children(depth3Max.id),
    },
    {
      group: 'children',
      name: `random depth-3 nodes (${d3.length}, rotating)`,
      target: 20,
      actor: city,
      call: (ctx, i) => children(d3[i % d3.length]!)(ctx),
    },
    {
      group: 'children',
      name: `random depth-4 nodes (${d4.length}, rotating)`,
      target: 20,
      actor: city,
      call: (ctx, i) => children(d4[i % d4.length]!)(ctx),
    },
  ]
  const leaf = s.nodes.find((n) => n.depth === 5)
  if (leaf) cases.push({ group: 'children', name: 'a leaf at depth 5 (no children)', target: 20, actor: city, call: children(leaf.id) })
  for (const t of s.nameTerms)
    cases.push({ group: 'search', name: `name "${t.term}" (${t.orgs} match)`, target: 20, actor: city, call: search(t.term) })
  cases.push({
    group: 'search',
    name: `name "${s.nameTerms[0]!.term}", town scope`,
    target: 20,
    actor: town,
    call: search(s.nameTerms[0]!.term),
  })
  for (const p of s.codePrefixes)
    cases.push({ group: 'search', name: `code prefix "${p.prefix}" (${p.orgs} match)`, target: 20, actor: city, call: search(p.prefix) })

  const regs: [string, Actor, Partial<Q>][] = [
    ['city, -employees, p1', city, {}],
    ['city, -employees, p50', city, { page: 50 }],
    ['city, name, p1', city, { sort: 'name' }],
    ['city, name, p50', city, { sort: 'name', page: 50 }],
    [`org=${big.name} subtree, -employees, p1`, city, { org: big.orgId }],
    [`org=${big.name} subtree, name, p50`, city, { org: big.orgId, sort: 'name', page: 50 }],
    [`town scope ${big.name}, -employees, p1`, town, {}],
    [`town scope ${big.name}, name, p1`, town, { sort: 'name' }],
    [`town scope ${mid.name}, -employees, p1`, midTown, {}],
    ['city, nature=private sizeBand=25to49, -employees, p1', city, { nature: 'private', sizeBand: '25to49' }],
    ['city, nature=foreign sizeBand=100to299, name, p1', city, { nature: 'foreign', sizeBand: '100to299', sort: 'name' }],
    ['city, coverage=none, -employees, p1', city, { coverage: 'none' }],
    ['city, coverage=none, name, p50', city, { coverage: 'none', sort: 'name', page: 50 }],
    ['city, shouldHaveUnion, -employees, p1', city, { shouldHaveUnion: true }],
    ['city, shouldHaveUnion, -employees, p50', city, { shouldHaveUnion: true, page: 50 }],
    [`town scope ${big.name}, shouldHaveUnion, name, p1`, town, { shouldHaveUnion: true, sort: 'name' }],
    [`city, q="${s.nameTerms[0]!.term}", -employees, p1`, city, { q: s.nameTerms[0]!.term }],
  ]
  for (const [name, actor, q] of regs) cases.push({ group: 'register', name, target: 100, actor, call: reg(q) })
  return cases
}

// ── engines ───────────────────────────────────────────────────────────────────
interface EngineRun {
  engine: string
  version: string
  settings: string
  summary: CitySummary
  setupMs: number
  analyzeMs: number
  sizeMb: number
  /** 1-minute load average when measuring began and ended: other work on the machine inflates the numbers */
  load: [number, number]
  results: Result[]
}

async function pgReachable(url: string) {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  try {
    await c.connect()
    await c.end()
    return true
  } catch {
    return false
  }
}

async function runEngine(kind: 'pglite' | 'postgres'): Promise<EngineRun | null> {
  let database: Database
  let drop: (() => Promise<void>) | null = null
  let pgliteDir: string | null = null
  if (kind === 'postgres') {
    if (!(await pgReachable(PG_URL))) {
      console.log(`PostgreSQL not reachable at ${PG_URL}; skipping`)
      return null
    }
    const name = `gh_bench_${process.pid}`
    const admin = new pg.Client({ connectionString: PG_URL })
    await admin.connect()
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.query(`create database ${name}`)
    await admin.end()
    const u = new URL(PG_URL)
    u.pathname = `/${name}`
    database = await openDatabase({ url: u.toString() })
    drop = async () => {
      const c = new pg.Client({ connectionString: PG_URL })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    }
  } else {
    if (env.BENCH_PGLITE_DIR) {
      pgliteDir = fs.mkdtempSync(path.join(env.BENCH_PGLITE_DIR, 'gh-bench-'))
    }
    database = await openDatabase({ url: null, dataDir: pgliteDir })
  }
  const { db } = database
  try {
    const version = (await sql<{ v: string }>`select version() as v`.execute(db)).rows[0]!.v
    const settingRows = await sql<{ name: string; setting: string; unit: string | null }>`
      select name, setting, unit from pg_settings where name in ('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit', 'lc_collate')`.execute(
      db,
    )
    // pg_settings gives shared_buffers as 16384 with unit '8kB'
    const settings = settingRows.rows
      .map((r) => `${r.name}=${r.unit && /^\d/.test(r.unit) ? `${r.setting}×${r.unit}` : `${r.setting}${r.unit ?? ''}`}`)
      .join(', ')
    console.log(`\n══ ${kind}: ${version}`)
    const t0 = performance.now()
    await migrate(database)
    await bootstrap(db, { countyCode: '330683', adminPassword: 'Bench-Pass-2026!' })
    const setupMs = performance.now() - t0
    const summary = await generateCity(db, { seed: SEED, orgs: ORGS, enterprises: ENTERPRISES, log: (l) => console.log(`  ${l}`) })
    const t1 = performance.now()
    await sql`vacuum analyze`.execute(db)
    const analyzeMs = performance.now() - t1
    const size = await sql<{ b: number }>`select pg_database_size(current_database())::bigint as b`.execute(db)
    const sizeMb = Number(size.rows[0]!.b) / 1048576
    console.log(`  vacuum analyze ${(analyzeMs / 1000).toFixed(1)}s, database ${sizeMb.toFixed(0)} MB`)

    const cases = await buildCases(db, summary)
    // warm up: touch every case once, then the tables
    for (const c of cases) await runInScope(db, pii, c.actor, '127.0.0.1', (ctx) => c.call(ctx, 0))
    const results: Result[] = []
    const loadBefore = os.loadavg()[0]!
    console.log(`  load average ${loadBefore.toFixed(2)} on ${os.availableParallelism()} CPUs`)
    console.log(
      `  ${'case'.padEnd(64)} ${'median'.padStart(8)} ${'p95'.padStart(8)} ${'page'.padStart(8)} ${'count'.padStart(8)} ${'capped'.padStart(8)}  target`,
    )
    for (const c of cases) {
      const r = await measureCase(db, c)
      results.push(r)
      const part = (l: string) => r.parts.find((p) => p.label === l)?.stats.median.toFixed(1) ?? '-'
      console.log(
        `  ${`[${c.group}] ${c.name}`.padEnd(64)} ${r.e2e.median.toFixed(1).padStart(8)} ${r.e2e.p95.toFixed(1).padStart(8)} ${part('page').padStart(8)} ${part('count').padStart(8)} ${part('capped').padStart(8)}  ≤${c.target} ${r.pass ? 'PASS' : 'FAIL'}  (total ${r.total}, ${r.e2e.runs} runs)`,
      )
    }
    const load: [number, number] = [loadBefore, os.loadavg()[0]!]
    console.log(`  load average ${load[1].toFixed(2)}`)
    return { engine: kind, version, settings, summary, setupMs, analyzeMs, sizeMb, load, results }
  } finally {
    await database.close()
    if (drop) await drop()
    if (pgliteDir) fs.rmSync(pgliteDir, { recursive: true, force: true })
  }
}

// ── report ────────────────────────────────────────────────────────────────────
function machine() {
  const cpu = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? os.cpus()[0]?.model ?? 'unknown'
  return {
    nproc: os.availableParallelism(),
    memGb: (os.totalmem() / 2 ** 30).toFixed(1),
    cpu,
    node: process.version,
    date: new Date().toISOString(),
  }
}

const fmt = (x: number) => x.toFixed(1)

function markdown(runs: EngineRun[]): string {
  const m = machine()
  const out: string[] = []
  out.push(`Generated by \`npm run bench\` on ${m.date}.`, '')
  out.push(`- Machine: ${m.nproc} CPUs (\`nproc\`), ${m.memGb} GiB memory, ${m.cpu}`)
  out.push(
    `- Node ${m.node}; ${RUNS} measured runs per query after up to ${WARMUP} warm-up runs; page size 20. A query so slow that ${RUNS} runs would take`,
  )
  out.push(`  more than ${CASE_SECONDS} s gets fewer runs (at least ${MIN_RUNS}); the "runs" column says how many.`)
  out.push(
    `- Dataset: seed ${SEED}, asked for ${ORGS.toLocaleString('en')} organizations and ${ENTERPRISES.toLocaleString('en')} enterprises`,
  )
  out.push(
    "- Times are wall-clock milliseconds of one `runInScope` call (begin, set_config, set role, the service's queries, commit) from Node;",
  )
  out.push(
    `  each statement of the service is also run alone in the same scope (median of ${PART_RUNS}): "page" is the item query (for a search, the`,
  )
  out.push(
    '  `org_search_page` call that counts and picks the page), "count" an exact count for `total` (for children, the parent\'s `child_count`),',
  )
  out.push(
    `  "capped" a count limited to ${(CAP + 1).toLocaleString('en')} rows (\`select count(*) from (select 1 … limit ${CAP + 1})\`: the register's own count).`,
  )
  out.push('')
  for (const r of runs) {
    const s = r.summary
    out.push(`### ${r.engine === 'pglite' ? 'PGlite' : 'PostgreSQL'}`, '')
    out.push(`- ${r.version}`)
    out.push(`- Settings: ${r.settings}`)
    out.push(
      `- Dataset: ${s.orgs.toLocaleString('en')} organizations (max depth ${s.maxDepth}; ${Object.entries(s.byForm)
        .map(([k, v]) => `${k} ${v.toLocaleString('en')}`)
        .join(', ')}), ` +
        `${s.enterprises.toLocaleString('en')} enterprises (own union ${s.coverage.own.toLocaleString('en')}, joint ${s.coverage.joint.toLocaleString('en')}, none ${s.coverage.none.toLocaleString('en')}), ` +
        `${s.orgHistory.toLocaleString('en')} org_history rows; ${s.regions.towns} towns (${s.regions.syntheticTowns} synthetic), ${s.regions.villages} villages`,
    )
    out.push(
      `- Largest town: ${s.towns[0]!.name} — ${s.towns[0]!.children.toLocaleString('en')} direct children, ${s.towns[0]!.orgs.toLocaleString('en')} organizations, ${s.towns[0]!.enterprises.toLocaleString('en')} enterprises`,
    )
    out.push(`- Load average (1 min) when measuring began / ended: ${r.load[0].toFixed(2)} / ${r.load[1].toFixed(2)} on ${m.nproc} CPUs`)
    out.push(
      `- Generation: ${fmt(s.millis / 1000)} s (migrate + bootstrap ${fmt(r.setupMs / 1000)} s, VACUUM ANALYZE ${fmt(r.analyzeMs / 1000)} s); database size ${r.sizeMb.toFixed(0)} MB`,
    )
    out.push('')
    out.push('| group | query | scope | total | runs | median ms | p95 ms | page ms | count ms | capped ms | target | result |')
    out.push('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|')
    for (const x of r.results) {
      const part = (l: string) => {
        const p = x.parts.find((q) => q.label === l)
        return p ? fmt(p.stats.median) : '–'
      }
      out.push(
        `| ${x.group} | ${x.name.replace(/\|/g, '\\|')} | ${x.scope} | ${x.total.toLocaleString('en')} | ${x.e2e.runs} | ${fmt(x.e2e.median)} | ${fmt(x.e2e.p95)} | ${part('page')} | ${part('count')} | ${part('capped')} | ≤ ${x.target} | ${x.pass ? 'PASS' : '**FAIL**'} |`,
      )
    }
    const failed = r.results.filter((x) => x.pass === false)
    out.push('', `${r.results.length - failed.length} of ${r.results.length} pass.`, '')
    if (failed.some((x) => x.plans.length)) {
      out.push('<details><summary>EXPLAIN (ANALYZE, BUFFERS) of the failing queries, run as gonghui_app in the same scope</summary>', '')
      for (const x of failed) {
        for (const p of x.plans) {
          out.push(
            `**${x.group}: ${x.name} — ${p.label}** (scope ${x.scope})`,
            '',
            '```sql',
            p.sql,
            `-- params: ${JSON.stringify(p.params)}`,
            '```',
            '',
            '```',
            p.plan,
            '```',
            '',
          )
        }
      }
      out.push('</details>', '')
    }
  }
  return out.join('\n')
}

const START = '<!-- bench:results:start -->'
const END = '<!-- bench:results:end -->'

function writeReport(body: string) {
  fs.mkdirSync(path.dirname(OUT), { recursive: true })
  const block = `${START}\n${body}\n${END}`
  let text = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : ''
  if (text.includes(START) && text.includes(END)) {
    text = text.slice(0, text.indexOf(START)) + block + text.slice(text.indexOf(END) + END.length)
  } else {
    text = `# Benchmarks\n\nRun with \`npm run bench\` (see bench/run.ts).\n\n## Results\n\n${block}\n`
  }
  fs.writeFileSync(OUT, text)
  console.log(`\nwrote ${OUT}`)
}

const runs: EngineRun[] = []
for (const kind of ['pglite', 'postgres'] as const) {
  if (!ENGINES.includes(kind)) continue
  const r = await runEngine(kind)
  if (r) runs.push(r)
  if (env.BENCH_JSON) fs.writeFileSync(env.BENCH_JSON, JSON.stringify(runs, null, 2))
}
writeReport(markdown(runs))
