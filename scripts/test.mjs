// Runs the test suites with node's test runner: `npm test` (common + server, on PGlite, or on
// PostgreSQL when DATABASE_URL is set) or `npm test -- e2e` (browser tests in Chromium).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const suite = process.argv[2] ?? 'unit'
const roots = suite === 'e2e' ? ['e2e'] : ['common', 'server/src']
const files = []
const walk = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) {
      if (e.name !== 'node_modules') walk(p)
    } else if (e.name.endsWith('.test.ts')) files.push(p)
  }
}
roots.filter((r) => fs.existsSync(r)).forEach(walk)
files.sort()
const concurrency = suite === 'e2e' ? 1 : Math.max(1, Math.min(4, Number(process.env.TEST_CONCURRENCY ?? 2)))
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], { stdio: 'inherit' })
process.exit(r.status ?? 1)
