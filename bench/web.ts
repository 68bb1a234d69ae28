/**
 * `npm run bench:web` (npx tsx bench/web.ts): how fast the built web app is on screen, in Debian's
 * Chromium against the real server with the demo city (e2e/harness.ts starts it as `npm start` does).
 *
 *   - the dashboard (工作台) of the city cadre after an empty-cache navigation on localhost: from
 *     navigation start to the key figures (the 会员 KPI with its number) on screen — target ≤ 1.5 s;
 *   - the worker's phone pages (/join, /join/status, /card/verify with a real card) in a 375×812 phone
 *     profile under throttling (CDP Network.emulateNetworkConditions 10 Mbit/s, 40 ms latency;
 *     Emulation.setCPUThrottlingRate 4): from navigation start to the page usable (its form or
 *     result rendered) — target ≤ 2 s;
 *   - for each page the bytes of JavaScript transferred (as on the wire: compressed when the server
 *     compresses), the number of script files and all bytes transferred.
 *
 * Every run is a new browser context (an empty cache) with the session cookie where one is needed;
 * the median of BENCH_WEB_RUNS (5) runs is reported, after one warm-up run per page.
 *
 * Env: BENCH_WEB_RUNS (5), BENCH_WEB_LABEL (the heading of the results, e.g. "after"),
 * BENCH_OUT (docs/BENCHMARKS.md; '-' prints only; only the block between this label's markers is replaced).
 * Needs a build: `npm run bench:web` builds when web/dist is older than the sources.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core'
import { launchBrowser, PASSWORD, startServer } from '../e2e/harness.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const RUNS = Number(process.env.BENCH_WEB_RUNS ?? 5)
const LABEL = process.env.BENCH_WEB_LABEL ?? 'latest'
const OUT = process.env.BENCH_OUT ?? path.join(root, 'docs', 'BENCHMARKS.md')
const log = (l: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${l}`)

interface Sample {
  ms: number
  jsBytes: number
  jsFiles: number
  allBytes: number
  requests: number
}

/** Counts what crosses the wire for one page (encodedDataLength: the bytes received, headers included). */
async function meter(cdp: CDPSession) {
  const kinds = new Map<string, string>()
  const s = { jsBytes: 0, jsFiles: 0, allBytes: 0, requests: 0 }
  cdp.on('Network.responseReceived', (e) => kinds.set(e.requestId, e.type))
  cdp.on('Network.loadingFinished', (e) => {
    s.requests++
    s.allBytes += e.encodedDataLength
    if (kinds.get(e.requestId) === 'Script') {
      s.jsFiles++
      s.jsBytes += e.encodedDataLength
    }
  })
  await cdp.send('Network.enable')
  return s
}

/** performance.now() (ms since navigation start) at the first animation frame where `check` holds. */
const onScreen = (page: Page, check: string) =>
  page.waitForFunction(new Function(`return (${check}) ? performance.now() : false`) as () => number | false, undefined, {
    polling: 'raf',
    timeout: 60_000,
  })

interface Case {
  name: string
  path: string
  target: number
  phone: boolean
  check: string
}

const digit = (testid: string) =>
  `(() => { const e = document.querySelector('[data-testid="${testid}"]'); return !!e && /\\d/.test(e.textContent || '') })()`
const present = (selector: string) => `!!document.querySelector(${JSON.stringify(selector)})`

async function measure(browser: Browser, base: string, c: Case, cookies: Awaited<ReturnType<BrowserContext['cookies']>>): Promise<Sample> {
  const ctx = c.phone
    ? await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
    : await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  if (!c.phone) await ctx.addCookies(cookies)
  const page = await ctx.newPage()
  const cdp = await ctx.newCDPSession(page)
  const s = await meter(cdp)
  if (c.phone) {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 40,
      downloadThroughput: (10 * 1024 * 1024) / 8,
      uploadThroughput: (10 * 1024 * 1024) / 8,
    })
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
  }
  await page.goto(base + c.path, { waitUntil: 'commit' })
  const ms = await (await onScreen(page, c.check)).jsonValue()
  // the page is on screen; let late requests (images, prefetches) finish before counting
  await page.waitForLoadState('networkidle').catch(() => {})
  await ctx.close()
  return { ms: ms as number, ...s }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
const kb = (b: number) => `${(b / 1024).toFixed(0)} KB`

async function main() {
  const loadBefore = os.loadavg()[0]!
  log('starting the server with the demo city')
  const server = await startServer()
  const browser = await launchBrowser()
  const rows: string[] = []
  try {
    // the city cadre's session cookie, and a real membership card to verify
    const login = await browser.newContext()
    const r = await login.request.post(`${server.url}/api/auth/login`, { data: { username: 'shengzhou', password: PASSWORD } })
    if (!r.ok()) throw new Error(`login: ${r.status()} ${await r.text()}`)
    const cookies = await login.cookies()
    const members = (await (await login.request.get(`${server.url}/api/members?pageSize=1&status=active`)).json()) as {
      items: { id: number }[]
    }
    const card = (await (await login.request.get(`${server.url}/api/members/${members.items[0]!.id}/card`)).json()) as { token: string }
    await login.close()

    const cases: Case[] = [
      { name: '工作台 /dashboard (cadre, localhost)', path: '/dashboard', target: 1500, phone: false, check: digit('kpi-members-value') },
      { name: '入会 /join (phone, throttled)', path: '/join', target: 2000, phone: true, check: present('[data-testid="join-name"]') },
      {
        name: '进度查询 /join/status (phone, throttled)',
        path: '/join/status',
        target: 2000,
        phone: true,
        check: present('[data-testid="status-token-input"]'),
      },
      {
        name: '验证 /card/verify (phone, throttled)',
        path: `/card/verify?token=${encodeURIComponent(card.token)}`,
        target: 2000,
        phone: true,
        check: present('[data-testid="verify-valid"]'),
      },
    ]
    for (const c of cases) {
      await measure(browser, server.url, c, cookies) // warm-up: the server's first queries, the OS file cache
      const samples: Sample[] = []
      for (let i = 0; i < RUNS; i++) samples.push(await measure(browser, server.url, c, cookies))
      const ms = median(samples.map((s) => s.ms))
      const m = (k: keyof Sample) => median(samples.map((s) => s[k]))
      log(
        `${c.name}: ${ms.toFixed(0)} ms (runs ${samples.map((s) => s.ms.toFixed(0)).join(', ')}), JS ${kb(m('jsBytes'))} in ${m('jsFiles')} files`,
      )
      rows.push(
        `| ${c.name} | ${ms.toFixed(0)} ms | ≤ ${c.target} ms ${ms <= c.target ? '✓' : '✗'} | ${Math.min(...samples.map((s) => s.ms)).toFixed(0)}–${Math.max(...samples.map((s) => s.ms)).toFixed(0)} ms | ${kb(m('jsBytes'))} | ${m('jsFiles')} | ${kb(m('allBytes'))} | ${m('requests')} |`,
      )
    }
  } finally {
    await browser.close()
    await server.stop()
  }

  let commit = ''
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim()
  } catch {
    /* not a checkout */
  }
  const mem = (os.totalmem() / 1024 ** 3).toFixed(0)
  const block = [
    `#### ${LABEL}`,
    '',
    `${new Date().toISOString().slice(0, 10)}, commit ${commit || '?'}; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${mem} GiB memory; Chromium ${execSyncSafe('/usr/bin/chromium --version')}; load average ${loadBefore.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)}; median of ${RUNS} runs, each with an empty cache.`,
    '',
    '| page | on screen (median) | target | range | JS transferred | JS files | all bytes | requests |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...initialJs(),
  ].join('\n')
  console.log('\n' + block)
  if (OUT === '-') return
  const start = `<!-- bench:web:${LABEL}:start -->`
  const end = `<!-- bench:web:${LABEL}:end -->`
  let doc = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : ''
  const i = doc.indexOf(start)
  const j = doc.indexOf(end)
  if (i >= 0 && j > i) doc = doc.slice(0, i + start.length) + '\n' + block + doc.slice(j)
  else doc = doc.trimEnd() + `\n\n${start}\n${block}${end}\n`
  fs.writeFileSync(OUT, doc)
  log(`written to ${path.relative(root, OUT)}`)
}

/** The initial JavaScript of each page from the build's manifest (scripts/web-budget.mjs), when the build has one. */
function initialJs(): string[] {
  try {
    const rows = JSON.parse(execSync('node scripts/web-budget.mjs --json', { cwd: root }).toString()) as {
      page: string
      bytes: number
      budget: number
      target: number | null
      files: string[]
    }[]
    return [
      "Initial JavaScript of each page in the build (gzipped -9; the HTML entry, the app and the route's page with their static imports):",
      '',
      '| page | initial JS gzipped | files | budget (build fails above) | target |',
      '|---|---|---|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.page} | ${(r.bytes / 1024).toFixed(1)} KB | ${r.files.length} | ${r.budget / 1024} KB | ${r.target ? `${r.target / 1024} KB ${r.bytes <= r.target ? '✓' : '✗'}` : '–'} |`,
      ),
      '',
    ]
  } catch {
    return ['(no manifest in this build: the initial JavaScript per page is not computed)', '']
  }
}

function execSyncSafe(cmd: string) {
  try {
    return execSync(cmd)
      .toString()
      .trim()
      .replace(/^Chromium\s*/, '')
  } catch {
    return '?'
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
