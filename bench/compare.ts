/**
 * `npm run bench:compare -- REV` (npx tsx bench/compare.ts REV): this checkout against another commit,
 * side by side in one run, so that the machine's drift (other work on the same cores) falls on both.
 *
 * REV (default HEAD~1) is checked out into a temporary git worktree that uses this checkout's
 * node_modules. Both servers start on the embedded database with the demo city (each its own data
 * directory, loaded as on first start) and are asked the cases of bench/demo.ts one request after
 * another, alternating: in each round every case runs COMPARE_PER requests on one server then on the
 * other (the order turns each round); the first round warms up and is not counted. Prints each
 * case's median on both and the change; writes nothing.
 *
 * Env: COMPARE_ROUNDS (6), COMPARE_PER (40).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { execFileSync, type ChildProcess } from 'node:child_process'
import { log, root, serve } from './app.js'
import { CASES, caseUrl, DEMO_PASSWORD, signInToDemo } from './demo.js'

const REV = process.argv[2] ?? 'HEAD~1'
const ROUNDS = Number(process.env.COMPARE_ROUNDS ?? 6)
const PER = Number(process.env.COMPARE_PER ?? 40)

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-compare-'))
  const other = path.join(tmp, 'checkout')
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' }).toString().trim()
  const rev = git('rev-parse', '--short', REV)
  const here = git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain', '--untracked-files=no') ? '+changes' : '')
  git('worktree', 'add', '--detach', other, rev)
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(other, 'node_modules'))
  const children: ChildProcess[] = []
  try {
    const sides = await Promise.all(
      [
        { name: rev, cwd: other },
        { name: here, cwd: root },
      ].map(async (s, i) => {
        const dataDir = path.join(tmp, `data-${i}`)
        const app = await serve({ DATABASE_URL: '', DATA_DIR: dataDir, GONGHUI_DEMO: '1', GONGHUI_ADMIN_PASSWORD: DEMO_PASSWORD }, s.cwd)
        children.push(app.child)
        return { ...s, url: app.url, ...(await signInToDemo(app.url)) }
      }),
    )
    log(`serving: ${rev} (before) and ${here} (after), the demo on PGlite each`)
    const times = CASES.map(() => sides.map(() => [] as number[]))
    for (let round = 0; round < ROUNDS; round++) {
      for (const [k, c] of CASES.entries()) {
        for (const i of round % 2 ? [1, 0] : [0, 1]) {
          const s = sides[i]!
          const url = caseUrl(s.url, c, s.org)
          const headers = { authorization: `Bearer ${s.tokens[c.who]}` }
          for (let n = 0; n < PER; n++) {
            const t0 = performance.now()
            const r = await fetch(url, { headers })
            await r.arrayBuffer()
            if (!r.ok) throw new Error(`${s.name} ${url}: ${r.status}`)
            if (round > 0) times[k]![i]!.push(performance.now() - t0)
          }
        }
      }
      log(`round ${round + 1} of ${ROUNDS}${round === 0 ? ' (warm-up)' : ''}`)
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
    console.log(`\n${rev} → ${here}, medians of ${(ROUNDS - 1) * PER} requests a case, ${new Date().toISOString().slice(0, 16)} UTC\n`)
    console.log(`| case | ${rev} | ${here} | change |\n|---|---:|---:|---:|`)
    for (const [k, c] of CASES.entries()) {
      const [before, after] = times[k]!.map(median) as [number, number]
      console.log(`| ${c.label} | ${before.toFixed(1)} ms | ${after.toFixed(1)} ms | ${((after / before - 1) * 100).toFixed(0)} % |`)
    }
  } finally {
    for (const c of children) {
      c.kill('SIGTERM')
      if (c.exitCode === null) await new Promise((r) => c.once('exit', r))
    }
    git('worktree', 'remove', '--force', other)
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
