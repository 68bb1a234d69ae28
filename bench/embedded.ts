/**
 * `npm run bench:embedded` (npx tsx bench/embedded.ts): what one user waits for on the embedded
 * database (PGlite) at the demo's size, beside PostgreSQL with the same data in the same run.
 *
 * For each engine, the real server (server/src/main.ts) starts on an empty database and loads the
 * demo city (嵊州市: every town, its units and unions, ≈ 11,700 members), as `npm start` does. Then a
 * city cadre (shengzhou) and a town cadre (ganlin) ask for each case EMBEDDED_REQUESTS times, one
 * request after the other (no concurrency: the embedded database has one connection): the median,
 * the 95th percentile and requests/s (requests ÷ the time they took). Target (issue 12): the member
 * list ≥ 200 req/s one at a time on the embedded database at the demo's size.
 *
 * Env: EMBEDDED_ENGINES (pglite,postgres), EMBEDDED_REQUESTS (200), BENCH_DATABASE_URL
 * (postgres://postgres@127.0.0.1:5432/test; a database is created there and dropped),
 * BENCH_OUT (docs/BENCHMARKS.md; '-' prints only).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { openEngine, type Engine } from './engine.js'
import { log, root, serve, writeSection } from './app.js'
import { CASES, caseUrl, DEMO_PASSWORD, signInToDemo } from './demo.js'

const env = process.env
const ENGINES = (env.EMBEDDED_ENGINES ?? 'pglite,postgres').split(',').map((s) => s.trim()) as ('postgres' | 'pglite')[]
const REQUESTS = Number(env.EMBEDDED_REQUESTS ?? 200)
const PG_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const OUT = env.BENCH_OUT ?? path.join(root, 'docs', 'BENCHMARKS.md')
interface Row {
  engine: string
  label: string
  median: number
  p95: number
  rps: number
}

async function measure(url: string, token: string): Promise<Omit<Row, 'engine' | 'label'>> {
  const headers = { authorization: `Bearer ${token}` }
  for (let i = 0; i < 5; i++) await (await fetch(url, { headers })).arrayBuffer() // warm-up
  const times: number[] = []
  const t0 = performance.now()
  for (let i = 0; i < REQUESTS; i++) {
    const s = performance.now()
    const r = await fetch(url, { headers })
    await r.arrayBuffer()
    if (!r.ok) throw new Error(`${url}: ${r.status}`)
    times.push(performance.now() - s)
  }
  const total = performance.now() - t0
  times.sort((a, b) => a - b)
  return {
    median: times[Math.floor(times.length / 2)]!,
    p95: times[Math.floor(times.length * 0.95)]!,
    rps: (REQUESTS * 1000) / total,
  }
}

async function runEngine(name: 'postgres' | 'pglite'): Promise<Row[]> {
  const e: Engine = await openEngine(name, 'embedded', PG_URL, { onDisk: true })
  const dataDir = name === 'pglite' ? e.dir! : fs.mkdtempSync(path.join(os.tmpdir(), 'gh-bench-embedded-'))
  await e.close() // the server migrates and loads the demo itself, as on first start
  let server: ChildProcess | null = null
  try {
    const t0 = Date.now()
    const app = await serve({
      DATABASE_URL: name === 'postgres' ? e.url! : '',
      DATA_DIR: dataDir,
      GONGHUI_DEMO: '1',
      GONGHUI_ADMIN_PASSWORD: DEMO_PASSWORD,
    })
    server = app.child
    log(`${name}: demo loaded and serving after ${Math.round((Date.now() - t0) / 1000)} s`)
    const { tokens, org } = await signInToDemo(app.url)
    const rows: Row[] = []
    for (const c of CASES) {
      const url = caseUrl(app.url, c, org)
      const m = await measure(url, tokens[c.who])
      rows.push({ engine: name, label: c.label, ...m })
      log(`${name}: ${c.label}: median ${m.median.toFixed(1)} ms, ${Math.round(m.rps)} req/s`)
    }
    return rows
  } finally {
    if (server) {
      server.kill('SIGTERM')
      await new Promise((r) => server!.once('exit', r))
    }
    await e.drop()
  }
}

function report(rows: Row[], seconds: number): string {
  const cpu = os.cpus()
  const engines = [...new Set(rows.map((r) => r.engine))]
  const name = (e: string) => (e === 'pglite' ? 'PGlite（内置）' : 'PostgreSQL')
  return [
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; the demo city on each engine, ${REQUESTS} requests ` +
      `one after another per case (after 5 warm-up); whole run ${Math.round(seconds)} s; load average at the end ` +
      `${os.loadavg()[0]!.toFixed(1)}. Target: the member list ≥ 200 req/s one at a time on PGlite.`,
    '',
    `| case | ${engines.map((e) => `${name(e)} median / p95 | req/s`).join(' | ')} |`,
    `|---|${engines.map(() => '---:|---:').join('|')}|`,
    ...CASES.map((c) => {
      const cells = engines.map((e) => {
        const r = rows.find((x) => x.engine === e && x.label === c.label)!
        return `${r.median.toFixed(1)} / ${r.p95.toFixed(1)} ms | ${Math.round(r.rps).toLocaleString('en')}`
      })
      return `| ${c.label} | ${cells.join(' | ')} |`
    }),
  ].join('\n')
}

const write = (body: string) => writeSection(OUT, 'embedded', 'The embedded database, one user at a time (bench/embedded.ts)', body)

async function main() {
  const started = Date.now()
  const rows: Row[] = []
  for (const name of ENGINES) rows.push(...(await runEngine(name)))
  const body = report(rows, (Date.now() - started) / 1000)
  console.log('\n' + body)
  if (OUT !== '-') write(body)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
