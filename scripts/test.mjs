// Runs the test suites with node's test runner: `npm test` (common + server, on PGlite, or on
// PostgreSQL when DATABASE_URL is set) or `npm test -- e2e` (browser tests in Chromium).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
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
// the unit suite's servers log at level trace into a directory that the log scan then searches
const logDir = suite === 'e2e' ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'gonghui-test-log-'))
const env = { ...process.env, ...(logDir ? { GONGHUI_TEST_LOG_DIR: logDir } : {}) }
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], {
  stdio: 'inherit',
  env,
})
let status = r.status ?? 1
if (logDir) {
  const scan = spawnSync(process.execPath, ['--test', 'scripts/log-scan.mjs'], { stdio: 'inherit', env })
  status ||= scan.status ?? 1
  fs.rmSync(logDir, { recursive: true, force: true })
}
process.exit(status)
