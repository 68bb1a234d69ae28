/**
 * `npm run bench:http` (npx tsx bench/http.ts): the API under load, from outside, at the size of a city.
 *
 * A PostgreSQL database with a generated city (bench/generate.ts: HTTP_ORGS unions, HTTP_ENTERPRISES
 * enterprises, HTTP_MEMBERS members with their ledger entries and tallies), a city cadre and a town
 * cadre (the largest town). Then the real server (server/src/main.ts) in a child process on that
 * database, and beside it, as the reference of the same run, a bare Fastify route in another child
 * process (the limit of the HTTP layer on this machine). For each case, from this process:
 *   - single: HTTP_SINGLE requests one after another, the median (what one user waits);
 *   - load:   autocannon, HTTP_CONNECTIONS connections for HTTP_SECONDS seconds: requests/s, p50 and
 *             p99 latency, and how many answers were not 2xx (a case with any is marked).
 * Targets (issue 12): the cadres' list pages ≥ 500 req/s at 50 connections with p99 ≤ 200 ms, every
 * single request ≤ 50 ms median; the dashboard's calls ≤ 20 ms median.
 *
 * Env: HTTP_MEMBERS (3000000), HTTP_ORGS (20000), HTTP_ENTERPRISES (300000), HTTP_CONNECTIONS (50),
 * HTTP_SECONDS (10), HTTP_SINGLE (30), BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test),
 * HTTP_CASES (a comma list of case names to run; default all), BENCH_OUT (docs/BENCHMARKS.md; '-' prints only).
 * HTTP_KEEP=1: the generated city is kept (database gh_bench_http_kept, with its key ring) and the
 * next run with HTTP_KEEP=1 and the same sizes measures on it at once (at 3,000,000 members the
 * generation is most of the run); `dropdb gh_bench_http_kept` to start afresh.
 *
 * HTTP_COMPARE=REV: paired, this checkout against commit REV (a git worktree that uses this
 * checkout's node_modules), both servers on the same database at once: every case runs on one then
 * on the other, the order turning from case to case, so that the machine's drift falls on both.
 * Prints a before/after table; writes nothing.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { sql } from 'kysely'
import { migrate } from '../server/src/db/migrate.js'
import { bootstrap } from '../server/src/bootstrap.js'
import { openKeyRing } from '../server/src/security/keys.js'
import { hashPassword } from '../server/src/modules/auth/auth.service.js'
import { hashToken, MEMBER_TOKEN_PREFIX, newSecret } from '../server/src/modules/auth/tokens.js'
import { generateCity, generateMembers } from './generate.js'
import { openEngine } from './engine.js'
import { login, spawnServer, writeSection } from './app.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const env = process.env
const MEMBERS = Number(env.HTTP_MEMBERS ?? 3_000_000)
const ORGS = Number(env.HTTP_ORGS ?? 20_000)
const ENTERPRISES = Number(env.HTTP_ENTERPRISES ?? 300_000)
const CONNECTIONS = Number(env.HTTP_CONNECTIONS ?? 50)
const MEMBER_CONNECTIONS = Number(env.HTTP_MEMBER_CONNECTIONS ?? 100)
const SECONDS = Number(env.HTTP_SECONDS ?? 10)
const SINGLE = Number(env.HTTP_SINGLE ?? 30)
const ONLY = env.HTTP_CASES ? new Set(env.HTTP_CASES.split(',').map((s) => s.trim())) : null
const PG_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const OUT = env.HTTP_COMPARE ? '-' : (env.BENCH_OUT ?? path.join(root, 'docs', 'BENCHMARKS.md'))
const PASSWORD = 'Bench-Http-2026!'
let ring = {
  current: 'k1',
  keys: { k1: crypto.randomBytes(32).toString('base64') },
  hashKey: crypto.randomBytes(32).toString('base64'),
}
const log = (l: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${l}`)

const BARE = `
const { default: Fastify } = await import('fastify')
const app = Fastify({ logger: false })
app.get('/', async () => ({ ok: true }))
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
`

interface Case {
  name: string
  label: string
  url: string
  token?: string
  /** what the issue asks of it */
  target: 'reference' | 'list' | 'dashboard' | 'member' | 'other'
  /** connections at load (default HTTP_CONNECTIONS; a member's own reads: MEMBER_CONNECTIONS) */
  connections?: number
}
interface Result extends Case {
  singleMs: number | null
  rps: number
  p50: number
  p99: number
  bad: number
}

async function single(c: Case): Promise<number> {
  const times: number[] = []
  const headers = c.token ? { authorization: `Bearer ${c.token}` } : undefined
  for (let i = 0; i < SINGLE; i++) {
    const t0 = performance.now()
    const r = await fetch(c.url, { headers })
    await r.arrayBuffer()
    if (!r.ok) throw new Error(`${c.name}: ${r.status}`)
    times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]!
}

async function load(c: Case): Promise<Omit<Result, keyof Case | 'singleMs'>> {
  const r = await autocannon({
    url: c.url,
    connections: c.connections ?? CONNECTIONS,
    duration: SECONDS,
    headers: c.token ? { authorization: `Bearer ${c.token}` } : {},
  })
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bad: r.non2xx + r.errors + r.timeouts }
}

async function main() {
  const started = Date.now()
  const keep = env.HTTP_KEEP === '1'
  const e = await openEngine('postgres', 'http', PG_URL, { keep })
  const servers: ChildProcess[] = []
  try {
    const { db } = e.database
    const sizes = { members: MEMBERS, orgs: ORGS, enterprises: ENTERPRISES }
    type Kept = { ring: typeof ring; sizes: typeof sizes; rootId: number; town: { orgId: number; path: string; name: string } }
    let facts: Kept
    if (e.kept) {
      const row = await sql<{ facts: Kept }>`select facts from bench_kept`.execute(db).catch(() => ({ rows: [] }))
      facts = row.rows[0]?.facts as Kept
      if (!facts || (Object.keys(sizes) as (keyof typeof sizes)[]).some((k) => facts.sizes[k] !== sizes[k]))
        throw new Error(`${e.dbName}: kept by a run that did not finish or of other sizes; dropdb ${e.dbName} and run again`)
      ring = facts.ring
      log(`the kept city (${e.dbName}): ${MEMBERS.toLocaleString('en')} members`)
    } else {
      await migrate(e.database)
      await openKeyRing(db, { key: JSON.stringify(ring), keyFile: path.join(os.tmpdir(), 'gh-bench-http-unused.json') }, { create: true })
      const boot = await bootstrap(db, { countyCode: '330683', adminPassword: PASSWORD })
      log(`city: ${ORGS.toLocaleString('en')} unions, ${ENTERPRISES.toLocaleString('en')} enterprises`)
      const city = await generateCity(db, { seed: 20260101, orgs: ORGS, enterprises: ENTERPRISES, log: (l) => log(`  ${l}`) })
      log(`members: ${MEMBERS.toLocaleString('en')}`)
      await generateMembers(db, MEMBERS, (l) => log(`  ${l}`))
      await sql`vacuum analyze`.execute(db)
      const t = city.towns[0]!
      facts = { ring, sizes, rootId: boot.rootId, town: { orgId: t.orgId, path: t.path, name: t.name } }
      const hash = await hashPassword(PASSWORD)
      await db
        .insertInto('app_user')
        .values([
          { username: 'bench_city', display_name: '市级干部', password_hash: hash, roles: ['org_admin'], org_id: facts.rootId },
          { username: 'bench_town', display_name: '镇级干部', password_hash: hash, roles: ['org_admin'], org_id: t.orgId },
        ])
        .execute()
      if (keep) {
        await sql`create table bench_kept (facts jsonb not null)`.execute(db)
        await sql`insert into bench_kept values (${JSON.stringify(facts)}::jsonb)`.execute(db)
      }
    }
    const boot = { rootId: facts.rootId }
    const town = facts.town
    const townMembers = Number(
      (
        await sql<{ n: string }>`select count(*) as n from member where org_path >= ${town.path} and org_path < ${town.path + '~'}`.execute(
          db,
        )
      ).rows[0]!.n,
    )
    const memberCount = Number((await sql<{ n: string }>`select count(*) as n from member`.execute(db)).rows[0]!.n)
    // a member of the town signed in on the phone (会员端): a phone session as member_sign_in opens it
    const memberToken = MEMBER_TOKEN_PREFIX + newSecret()
    const someone = (
      await sql<{ id: string; phone_hash: string | null }>`select id, phone_hash from member
        where org_path >= ${town.path} and org_path < ${town.path + '~'} and status = 'active' order by id limit 1`.execute(db)
    ).rows[0]!
    await db
      .insertInto('member_session')
      .values({
        token_hash: hashToken(memberToken),
        phone_hash: someone.phone_hash ?? 'bench',
        member_id: Number(someone.id),
        csrf_token: newSecret(),
        ip: '127.0.0.1',
        expires_at: new Date(Date.now() + 86_400_000),
      })
      .execute()
    await e.close()

    // before the servers hold their pools (the server's max_connections)
    const pgbench = ONLY && !ONLY.has('pgbench') ? null : pgbenchSelectOnly(e.url!, CONNECTIONS)
    if (pgbench) log(`pgbench select-only, ${CONNECTIONS} clients: ${Math.round(pgbench)} tps`)
    log('servers: the application (PostgreSQL) and a bare Fastify route')
    const app = await spawnServer(
      ['--import', 'tsx', 'server/src/main.ts'],
      {
        DATABASE_URL: e.url!,
        DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'gh-bench-http-')),
        GONGHUI_PII_KEY: JSON.stringify(ring),
        GONGHUI_DEMO: '0',
        LOG_LEVEL: 'warn',
      },
      '/api/health',
    )
    servers.push(app.child)
    const before = env.HTTP_COMPARE ? await serveRevision(env.HTTP_COMPARE, e.url!, servers) : null
    const bare = await spawnServer(['--input-type=module', '-e', BARE], {}, '/')
    servers.push(bare.child)
    const cityToken = await login(app.url, 'bench_city', PASSWORD)
    const townToken = await login(app.url, 'bench_town', PASSWORD)
    const api = (p: string) => `${app.url}/api${p}`
    // the members page asks for the organization chosen in the tree (at first the user's own)
    const today = new Date().toISOString().slice(0, 10)
    const yearAgo = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`
    // the first day of the 24th month back, counting this one (monthsBack in web/src/features/dashboard/format.ts)
    const monthsAgo24 = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 24, 1)).toISOString().slice(0, 10)
    const cityList = (q = '') => api(`/members?pageSize=20&org=${boot.rootId}${q}`)
    const townList = (q = '') => api(`/members?pageSize=20&org=${town.orgId}${q}`)

    const all: Case[] = [
      { name: 'bare', label: '参照：裸 Fastify 路由', url: `${bare.url}/`, target: 'reference' },
      { name: 'health', label: '/api/health', url: api('/health'), target: 'reference' },
      { name: 'members-city', label: '会员名册 市级 第1页', url: cityList(), token: cityToken, target: 'list' },
      {
        name: 'members-city-p50',
        label: '会员名册 市级 第50页',
        url: cityList('&page=50'),
        token: cityToken,
        target: 'list',
      },
      {
        name: 'members-city-filter',
        label: '会员名册 市级 筛选（信息不全）',
        url: cityList('&quality=missing_fields'),
        token: cityToken,
        target: 'list',
      },
      {
        name: 'members-city-search',
        label: '会员名册 市级 姓名搜索',
        url: cityList(`&q=${encodeURIComponent('会员12345')}`),
        token: cityToken,
        target: 'list',
      },
      {
        name: 'members-summary',
        label: '会员名册 汇总卡片 市级',
        url: api(`/members/summary?org=${boot.rootId}`),
        token: cityToken,
        target: 'list',
      },
      { name: 'members-town', label: '会员名册 镇级 第1页', url: townList(), token: townToken, target: 'list' },
      {
        name: 'members-town-p50',
        label: '会员名册 镇级 第50页',
        url: townList('&page=50'),
        token: townToken,
        target: 'list',
      },
      {
        name: 'members-town-filter',
        label: '会员名册 镇级 筛选（信息不全）',
        url: townList('&quality=missing_fields'),
        token: townToken,
        target: 'list',
      },
      {
        name: 'members-town-search',
        label: '会员名册 镇级 姓名搜索',
        url: townList(`&q=${encodeURIComponent('会员12345')}`),
        token: townToken,
        target: 'list',
      },
      { name: 'register', label: '用人单位名录 市级 第1页', url: api('/enterprises?pageSize=20'), token: cityToken, target: 'list' },
      { name: 'tree', label: '组织树 市级 下级', url: api(`/orgs?parent=${boot.rootId}&pageSize=50`), token: cityToken, target: 'list' },
      { name: 'panel-city', label: '指标面板 市级', url: api('/stats/panel'), token: cityToken, target: 'dashboard' },
      { name: 'panel-town', label: '指标面板 镇级', url: api('/stats/panel'), token: townToken, target: 'dashboard' },
      // the dashboard's other calls, as the page makes them (web/src/features/dashboard/paths.ts)
      {
        name: 'panel-year-ago',
        label: `指标面板 市级 ${yearAgo}`,
        url: api(`/stats/panel?asOf=${yearAgo}&hierarchy=geo`),
        token: cityToken,
        target: 'dashboard',
      },
      {
        name: 'ranking',
        label: '各镇排名 职工入会率 市级',
        url: api('/stats/ranking?hierarchy=geo&indicator=member_rate'),
        token: cityToken,
        target: 'dashboard',
      },
      {
        name: 'series',
        label: '会员数逐月 24 个月 市级',
        url: api(`/stats/series?hierarchy=geo&grain=month&from=${monthsAgo24}`),
        token: cityToken,
        target: 'dashboard',
      },
      {
        name: 'period',
        label: '今年与去年同期 市级',
        url: api('/stats/period?hierarchy=geo&kind=year'),
        token: cityToken,
        target: 'dashboard',
      },
      {
        name: 'my-session',
        label: `会员端 会话与未读数（${MEMBER_CONNECTIONS} 连接）`,
        url: api('/my/session'),
        token: memberToken,
        target: 'member',
        connections: MEMBER_CONNECTIONS,
      },
      {
        name: 'my-home',
        label: `会员端 我的（会员卡、工会、申请与接转，${MEMBER_CONNECTIONS} 连接）`,
        url: api('/my/home'),
        token: memberToken,
        target: 'member',
        connections: MEMBER_CONNECTIONS,
      },
    ]
    const cases = all.filter((c) => !ONLY || ONLY.has(c.name) || c.name === 'bare')

    if (before) {
      const rows: string[] = []
      for (const [i, c] of cases.entries()) {
        if (c.target === 'reference') continue
        const sides = [before.url, app.url].map((u) => ({ ...c, url: c.url.replace(app.url, u) }))
        const measured: (Result | null)[] = [null, null]
        for (const k of i % 2 ? [1, 0] : [0, 1])
          measured[k] = { ...sides[k]!, singleMs: await single(sides[k]!), ...(await load(sides[k]!)) }
        const [b, a] = measured as Result[]
        const line = `| ${c.label} | ${b.singleMs!.toFixed(1)} → ${a.singleMs!.toFixed(1)} ms | ${Math.round(b.rps)} → ${Math.round(a.rps)} (${change(b.rps, a.rps)}) | ${b.p99} → ${a.p99} ms |${b.bad || a.bad ? ` ✗ ${b.bad} / ${a.bad} 个非 2xx` : ''}`
        rows.push(line)
        log(line)
      }
      console.log(
        `\n${before.rev} → ${before.here}, paired on ${memberCount.toLocaleString('en')} members, ${CONNECTIONS} connections × ${SECONDS} s\n\n` +
          '| request | single (median) | req/s at load | p99 |\n|---|---:|---:|---:|\n' +
          rows.join('\n'),
      )
      return
    }

    const results: Result[] = []
    for (const c of cases) {
      const singleMs = c.target === 'reference' ? null : await single(c)
      const l = await load(c)
      const r = { ...c, singleMs, ...l }
      results.push(r)
      log(
        `${c.label}: single ${singleMs === null ? '–' : singleMs.toFixed(1) + ' ms'}, ${Math.round(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms${r.bad ? `, ${r.bad} not 2xx` : ''}`,
      )
    }
    const body = report(results, { memberCount, town: town.name, townMembers, seconds: (Date.now() - started) / 1000, pgbench })
    console.log('\n' + body)
    if (OUT !== '-') write(body)
  } finally {
    for (const s of servers) s.kill('SIGTERM')
    await e.drop()
  }
}

const change = (b: number, a: number) => `${a >= b ? '+' : ''}${Math.round((100 * (a - b)) / b)} %`

/** The server of commit `rev` (a git worktree with this checkout's node_modules) on the same database. */
async function serveRevision(rev: string, url: string, servers: ChildProcess[]) {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' }).toString().trim()
  const short = git('rev-parse', '--short', rev)
  const here = git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain', '--untracked-files=no') ? '+changes' : '')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-http-compare-'))
  git('worktree', 'add', '--detach', dir, short)
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'))
  process.on('exit', () => {
    try {
      execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: root, stdio: 'pipe' })
    } catch {
      // left for `git worktree prune`
    }
  })
  const s = await spawnServer(
    ['--import', 'tsx', 'server/src/main.ts'],
    {
      DATABASE_URL: url,
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'gh-bench-http-')),
      GONGHUI_PII_KEY: JSON.stringify(ring),
      GONGHUI_DEMO: '0',
      LOG_LEVEL: 'warn',
    },
    '/api/health',
    dir,
  )
  servers.push(s.child)
  log(`paired: ${short} (before) beside ${here} (after)`)
  return { url: s.url, rev: short, here }
}

function verdict(r: Result): string {
  if (r.bad) return `✗ ${r.bad} 个非 2xx`
  if (r.target === 'list')
    return r.rps >= 500 && r.p99 <= 200 && (r.singleMs ?? 0) <= 50 ? '✓' : '✗ 目标 ≥500 req/s、p99 ≤200 ms、单次 ≤50 ms'
  if (r.target === 'dashboard') return (r.singleMs ?? 0) <= 20 ? '✓' : '✗ 目标 单次 ≤20 ms'
  if (r.target === 'member') return r.rps >= 1500 && r.p99 <= 100 ? '✓' : '✗ 目标 ≥1,500 req/s、p99 ≤100 ms'
  return ''
}

/**
 * pgbench's select-only transactions per second with `clients` clients for HTTP_SECONDS on the
 * benchmark's database (its own pgbench_* tables, scale 10): the limit of one indexed read per
 * transaction on this machine, the reference for a member's own reads. null without pgbench.
 */
function pgbenchSelectOnly(url: string, clients: number): number | null {
  const init = spawnSync('pgbench', ['-i', '-q', '-s', '10', url], { encoding: 'utf8' })
  if (init.status !== 0) {
    log(`pgbench -i: ${(init.stderr ?? '').trim().split('\n').pop()}`)
    return null
  }
  const run = spawnSync('pgbench', ['-S', '-n', '-c', String(clients), '-j', '2', '-T', String(SECONDS), url], { encoding: 'utf8' })
  const m = /tps = ([\d.]+)/.exec(run.stdout ?? '')
  if (!m) log(`pgbench -S: ${(run.stderr ?? '').trim().split('\n').pop()}`)
  spawnSync('pgbench', ['-i', '-I', 'd', url], { encoding: 'utf8' })
  return m ? Number(m[1]) : null
}

function report(
  results: Result[],
  o: { memberCount: number; town: string; townMembers: number; seconds: number; pgbench: number | null },
): string {
  const cpu = os.cpus()
  const lines = [
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, PostgreSQL at ${new URL(PG_URL).host}; ` +
      `${o.memberCount.toLocaleString('en')} members (town «${o.town}»: ${o.townMembers.toLocaleString('en')}), ` +
      `${ORGS.toLocaleString('en')} unions, ${ENTERPRISES.toLocaleString('en')} enterprises; ` +
      `load: autocannon, ${CONNECTIONS} connections × ${SECONDS} s; single: median of ${SINGLE} sequential requests; whole run ${Math.round(o.seconds)} s.`,
    '',
    '| request | single (median) | req/s at load | p50 | p99 | verdict |',
    '|---|---:|---:|---:|---:|---|',
    ...results.map(
      (r) =>
        `| ${r.label} | ${r.singleMs === null ? '–' : `${r.singleMs.toFixed(1)} ms`} | ${Math.round(r.rps).toLocaleString('en')}${
          r.target === 'member' && o.pgbench ? ` (${Math.round((100 * r.rps) / o.pgbench)}% of pgbench)` : ''
        } | ${r.p50} ms | ${r.p99} ms | ${verdict(r)} |`,
    ),
    ...(o.pgbench
      ? [
          '',
          `Reference of the same run: pgbench select-only, ${CONNECTIONS} clients, ${SECONDS} s: ${Math.round(o.pgbench).toLocaleString('en')} tps.`,
        ]
      : []),
  ]
  return lines.join('\n')
}

const write = (body: string) => writeSection(OUT, 'http', 'The API under load (bench/http.ts)', body)

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
