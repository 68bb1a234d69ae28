// Builds the web app into web/dist when it is missing or older than its sources (npm start),
// or always with --force (npm run build).
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const force = process.argv.includes('--force')
const out = 'web/dist/index.html'
const newest = (dir) => {
  let t = 0
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs)
  }
  return t
}
if (!fs.existsSync('web/index.html')) process.exit(0)
const stale = force || !fs.existsSync(out) || Math.max(newest('web/src'), newest('common')) > fs.statSync(out).mtimeMs
if (stale) {
  console.log('正在构建网页端……')
  const r = spawnSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
    { stdio: 'inherit' },
  )
  if (r.status !== 0) process.exit(r.status ?? 1)
}
