// The initial JavaScript of each page of the built web app, gzipped, against its budget (issue 12:
// the cadre shell ≤ 350 KB, the worker's phone pages ≤ 150 KB); and no ECharts
// before a chart is on screen. Computed from Vite's manifest (web/dist/.vite/manifest.json): a page's initial JS is its
// HTML entry's chunk and the chunks it imports statically, plus the route's page chunk (loaded on
// start) and its static imports. Exits 1 when a page is over budget. `--json` prints the figures.
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'

const dist = process.env.WEB_DIST ?? 'web/dist'
const KB = 1024

/**
 * page → the chunks it starts with: the HTML entry (main.tsx, tiny) and what main.tsx imports at once
 * for that path (the app and the route's page), each with its static imports; budget in bytes gzipped
 */
export const pages = [
  { page: 'cadre shell (login, layout)', entries: ['index.html', 'src/app/app.tsx'], target: 350 * KB, budget: 350 * KB },
  {
    page: '/dashboard',
    entries: ['index.html', 'src/app/app.tsx', 'src/features/dashboard/dashboard-page.tsx'],
    target: null,
    // 480 KB until session 11; the side menu in groups, the 待办 badges and the 消息 bell added ≈ 11 KB to the shell
    budget: 490 * KB,
  },
  // the worker's phone pages: no Ant Design, the phone's light components (web/src/phone/ui)
  {
    page: '/join',
    entries: ['index.html', 'src/phone/phone-app.tsx', 'src/features/join/join-page.tsx'],
    target: 150 * KB,
    budget: 150 * KB,
  },
  {
    page: '/join/status (the card)',
    entries: ['index.html', 'src/phone/phone-app.tsx', 'src/features/join/status-page.tsx'],
    target: 150 * KB,
    budget: 150 * KB,
  },
  {
    page: '/m (我的, the member app)',
    entries: ['index.html', 'src/phone/phone-app.tsx', 'src/phone/member/home-page.tsx'],
    target: 150 * KB,
    budget: 150 * KB,
  },
  {
    page: '/m/login',
    entries: ['index.html', 'src/phone/phone-app.tsx', 'src/phone/member/login-page.tsx'],
    target: 150 * KB,
    budget: 150 * KB,
  },
  {
    page: '/card/verify',
    entries: ['index.html', 'src/phone/phone-app.tsx', 'src/features/join/verify-page.tsx'],
    target: 150 * KB,
    budget: 150 * KB,
  },
]

export function measure(distDir = dist) {
  const manifest = JSON.parse(fs.readFileSync(path.join(distDir, '.vite', 'manifest.json'), 'utf8'))
  const gz = new Map()
  const gzSize = (file) => {
    if (!gz.has(file)) gz.set(file, zlib.gzipSync(fs.readFileSync(path.join(distDir, file)), { level: 9 }).length)
    return gz.get(file)
  }
  return pages.map((p) => {
    const files = new Set()
    const walk = (key) => {
      const c = manifest[key]
      if (!c) throw new Error(`${key} is not in the manifest (renamed? update scripts/web-budget.mjs)`)
      if (files.has(c.file)) return
      files.add(c.file)
      for (const i of c.imports ?? []) walk(i)
    }
    p.entries.forEach(walk)
    const js = [...files].filter((f) => f.endsWith('.js'))
    const bytes = js.reduce((t, f) => t + gzSize(f), 0)
    const echarts = js.filter((f) => /echarts|zrender/.test(f))
    return { ...p, files: js, bytes, echarts }
  })
}

if (import.meta.url === `file://${path.resolve(process.argv[1] ?? '')}`) {
  const rows = measure()
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(rows, null, 2))
    process.exit(0)
  }
  let bad = 0
  for (const r of rows) {
    const over = r.bytes > r.budget
    const charts = r.echarts.length > 0
    if (over || charts) bad++
    console.log(
      `${over || charts ? '✗' : '✓'} ${r.page.padEnd(30)} ${(r.bytes / KB).toFixed(1).padStart(6)} KB gzipped (budget ${r.budget / KB} KB${r.target && r.bytes > r.target ? `, target ${r.target / KB} KB not reached` : ''}, ${r.files.length} files)` +
        (charts ? ` — loads ECharts at start: ${r.echarts.join(', ')}` : ''),
    )
  }
  if (bad) {
    console.error(`初始 JavaScript 超出预算：${bad} 个页面（scripts/web-budget.mjs）`)
    process.exit(1)
  }
}
