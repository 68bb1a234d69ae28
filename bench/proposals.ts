/**
 * `npm run bench:proposals` (npx tsx bench/proposals.ts): 打call under load, from outside. A union with
 * PROPOSAL_MEMBERS members (each with a phone session) and PROPOSAL_ROUNDS proposals with a threshold
 * of PROPOSAL_MEMBERS; the real server (server/src/main.ts) in a child process; from this process,
 * for each proposal, every member supports it at the same moment through the HTTP API
 * (POST /api/my/proposals/:id/support). Checked after each round: every support counted once (the
 * count and the rows), one work plan entry, the transition told once (the author's mailbox, one audit
 * entry). Measured: supports/s of a round (its supports ÷ the time from the first request to the last
 * answer), the server's CPU time per support (a round's, from /proc), and how long after the last
 * answer the author was told. Target (issue 11): ≥ 1,000 supports/s on PostgreSQL; on the embedded
 * database (PGlite, one connection) what it holds.
 *
 * Env: PROPOSAL_ENGINES (postgres,pglite), PROPOSAL_MEMBERS (200), PROPOSAL_ROUNDS (10),
 * BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test), BENCH_OUT (docs/BENCHMARKS.md; '-' prints only).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../server/src/db/schema.js'
import { migrate } from '../server/src/db/migrate.js'
import { openEngine, type Engine } from './engine.js'
import { databaseEnv, log, post, ring, root, serve, unionOfSignedInMembers, writeSection } from './app.js'

const env = process.env
const ENGINES = (env.PROPOSAL_ENGINES ?? 'postgres,pglite').split(',').map((s) => s.trim()) as ('postgres' | 'pglite')[]
const MEMBERS = Number(env.PROPOSAL_MEMBERS ?? 200)
const ROUNDS = Number(env.PROPOSAL_ROUNDS ?? 10)
const PG_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const OUT = env.BENCH_OUT ?? path.join(root, 'docs', 'BENCHMARKS.md')

/** A town, a grassroots union with MEMBERS + 1 members (one authors), their phone sessions, ROUNDS proposals. */
async function seed(db: Kysely<DB>) {
  const u = await unionOfSignedInMembers(db, MEMBERS + 1, 'proposals')
  const ids = { union: u.union, members: u.members }
  const tokens = u.tokens
  const proposals: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    const p = await db
      .insertInto('proposal')
      .values({
        org_id: ids.union.id,
        org_path: sql<string>`(select path from org where id = ${ids.union.id})`,
        author_id: ids.members[0]!,
        title: `基准建议${r + 1}`,
        body: '基准测试的建议正文',
        category: 'other',
        threshold: MEMBERS,
        answer_days: 10,
        closes_on: '2099-12-31',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    proposals.push(Number(p.id))
  }
  return { author: tokens[0]!, supporters: tokens.slice(1), proposals }
}

/**
 * CPU time per support during a round (user + system), µs: the server process's and PostgreSQL's
 * processes' from /proc (null where there is none, or on the embedded database, which runs inside the
 * server), and this process's own, the load generator's, which shares the machine's cores with them.
 */
interface Cpu {
  server: number | null
  database: number | null
  generator: number
}

interface Round {
  ms: number
  toldMs: number
  cpu: Cpu
  rate: number
  ok: boolean
  note: string
}

/**
 * The author's mailbox until the server has told of the threshold (it does when the database
 * announces the commit that reached it): ms after the last support's answer; fails after 30 s.
 */
async function told(url: string, id: number, author: string): Promise<number> {
  const t0 = performance.now()
  for (;;) {
    const r = await fetch(`${url}/api/my/messages?pageSize=50`, { headers: { authorization: `Bearer ${author}` } })
    const body = (await r.json()) as { items?: { kind: string; link: string | null }[] }
    if (body.items?.some((m) => m.kind === 'threshold_reached' && m.link === `/m/proposals/${id}`)) return performance.now() - t0
    if (performance.now() - t0 > 30_000) throw new Error(`proposal ${id}: not told of within 30 s`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** A process's CPU time so far (user + system), ms, from /proc (Linux); null elsewhere. */
function cpuMs(pid: number | undefined): number | null {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100 // clock ticks of 1/100 s
  } catch {
    return null
  }
}

/** The CPU time so far of every PostgreSQL process on this machine (its backends and helpers), ms; null without /proc. */
function databaseCpuMs(): number | null {
  try {
    let ms = 0
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue
      try {
        if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') ms += cpuMs(Number(pid)) ?? 0
      } catch {
        // gone meanwhile
      }
    }
    return ms
  } catch {
    return null
  }
}

async function round(url: string, id: number, tokens: string[]): Promise<{ ms: number; outcomes: string[]; bad: number }> {
  const t0 = performance.now()
  const answers = await Promise.all(
    tokens.map(async (t) => {
      const r = await post(`${url}/api/my/proposals/${id}/support`, t)
      return r.status === 200 ? String(r.body.outcome ?? '?') : `HTTP ${r.status}`
    }),
  )
  const ms = performance.now() - t0
  return { ms, outcomes: answers, bad: answers.filter((a) => a.startsWith('HTTP')).length }
}

async function check(db: Kysely<DB>, id: number) {
  const p = await db.selectFrom('proposal').select(['supports_count', 'status']).where('id', '=', id).executeTakeFirstOrThrow()
  const rows = await db
    .selectFrom('proposal_support')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('proposal_id', '=', id)
    .executeTakeFirstOrThrow()
  const plan = await db
    .selectFrom('work_plan_item')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('proposal_id', '=', id)
    .executeTakeFirstOrThrow()
  // the transition told (audited) once, however many servers heard of it
  const told = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('action', '=', 'proposal.reached')
    .where('target_id', '=', String(id))
    .executeTakeFirstOrThrow()
  return { count: p.supports_count, status: p.status, rows: Number(rows.n), plan: Number(plan.n), told: Number(told.n) }
}

async function runEngine(name: 'postgres' | 'pglite'): Promise<{ name: string; rounds: Round[] }> {
  log(`${name}: seeding ${MEMBERS + 1} members, ${ROUNDS} proposals`)
  const e: Engine = await openEngine(name, 'proposals', PG_URL, { onDisk: true })
  let server: ChildProcess | null = null
  try {
    await migrate(e.database)
    const s = await seed(e.database.db)
    await e.close()
    const app = await serve(databaseEnv(e, ring, 'proposals'))
    server = app.child
    const results: { id: number; ms: number; toldMs: number; cpu: Cpu; outcomes: string[]; bad: number }[] = []
    for (const id of s.proposals) {
      const n = s.supporters.length
      const per = (a: number | null, b: number | null) => (a === null || b === null ? null : ((b - a) * 1000) / n)
      const [c0, d0, g0] = [cpuMs(app.child.pid), name === 'postgres' ? databaseCpuMs() : null, process.cpuUsage()]
      const r = await round(app.url, id, s.supporters)
      const [c1, d1, g1] = [cpuMs(app.child.pid), name === 'postgres' ? databaseCpuMs() : null, process.cpuUsage(g0)]
      const cpu = { server: per(c0, c1), database: per(d0, d1), generator: (g1.user + g1.system) / n }
      results.push({ id, ...r, cpu, toldMs: await told(app.url, id, s.author) })
      log(`${name}: ${n} supports in ${r.ms.toFixed(0)} ms (${Math.round((n * 1000) / r.ms)}/s)`)
    }
    server.kill('SIGTERM')
    await new Promise((r) => server!.once('exit', r))
    server = null
    await e.reopen()
    const rounds: Round[] = []
    for (const r of results) {
      const c = await check(e.database.db, r.id)
      const added = r.outcomes.filter((o) => o === 'added').length
      const ok =
        r.bad === 0 &&
        added === MEMBERS &&
        c.count === MEMBERS &&
        c.rows === MEMBERS &&
        c.plan === 1 &&
        c.told === 1 &&
        c.status === 'reached'
      rounds.push({
        ms: r.ms,
        toldMs: r.toldMs,
        cpu: r.cpu,
        rate: (MEMBERS * 1000) / r.ms,
        ok,
        note: `count ${c.count}, rows ${c.rows}, plan entries ${c.plan}, told ${c.told}×${r.bad ? `, ${r.bad} refused` : ''}`,
      })
    }
    return { name, rounds }
  } finally {
    server?.kill('SIGTERM')
    await e.drop()
  }
}

const us = (v: number | null) => (v === null ? '—' : `${Math.round(v).toLocaleString('en')} µs`)

function report(all: { name: string; rounds: Round[] }[], seconds: number): string {
  const cpu = os.cpus()
  const lines = [
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${MEMBERS} members support one proposal at once ` +
      `(threshold ${MEMBERS}) through POST /api/my/proposals/:id/support, from another process (node:http, a connection per member, kept alive between rounds), ` +
      `${ROUNDS} rounds per engine; whole run ${Math.round(seconds)} s; load average at the end ${os.loadavg()[0]!.toFixed(1)}. ` +
      `Target: ≥ 1,000 supports/s on PostgreSQL.`,
    '',
    '| engine | round | time | supports/s | CPU per support: server | database | load generator | told after | each counted once, one plan entry, told once | checked |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---|',
    ...all.flatMap((e) =>
      e.rounds.map(
        (r, i) =>
          `| ${e.name === 'postgres' ? 'PostgreSQL' : 'PGlite (embedded)'} | ${i + 1} | ${r.ms.toFixed(0)} ms | ${Math.round(r.rate).toLocaleString('en')} | ${us(r.cpu.server)} | ${us(r.cpu.database)} | ${us(r.cpu.generator)} | ${r.toldMs.toFixed(0)} ms | ${r.ok ? '✓' : '✗'} | ${r.note} |`,
      ),
    ),
  ]
  return lines.join('\n')
}

const write = (body: string) => writeSection(OUT, 'proposals', '打call: supports at once (bench/proposals.ts)', body)

async function main() {
  const started = Date.now()
  const all = []
  for (const name of ENGINES) all.push(await runEngine(name))
  const body = report(all, (Date.now() - started) / 1000)
  console.log('\n' + body)
  if (OUT !== '-') write(body)
  if (all.some((e) => e.rounds.some((r) => !r.ok))) process.exit(1)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
