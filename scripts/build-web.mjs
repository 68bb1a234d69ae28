// Builds the web app into web/dist when it is missing or older than its sources (npm start),
// or always with --force (npm run build); then compresses its files and checks the JavaScript budgets.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'

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
  precompress('web/dist')
  // the phone pages and the cadre shell within their budgets of initial JavaScript (scripts/web-budget.mjs)
  // (npm run build fails over budget; npm start only warns)
  const b = spawnSync(process.execPath, ['scripts/web-budget.mjs'], { stdio: 'inherit' })
  if (b.status !== 0 && force) process.exit(b.status ?? 1)
}

/**
 * name.br (brotli, best quality) and name.gz (gzip -9) beside every text file of the build, for the
 * server to send as they are (@fastify/static preCompressed); kept only when smaller.
 */
function precompress(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) {
      precompress(p)
      continue
    }
    if (!/\.(js|mjs|css|html|svg|json|txt|map)$/.test(e.name)) continue
    const raw = fs.readFileSync(p)
    if (raw.length < 512) continue
    const br = zlib.brotliCompressSync(raw, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
    })
    const gz = zlib.gzipSync(raw, { level: 9 })
    if (br.length < raw.length) fs.writeFileSync(p + '.br', br)
    if (gz.length < raw.length) fs.writeFileSync(p + '.gz', gz)
  }
}
