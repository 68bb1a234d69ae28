/**
 * `npx tsx bench/members.ts`: the member roster import at city scale, on PostgreSQL and PGlite.
 *
 * For each engine: a migrated database with a generated city (bench/generate.ts) and FILLER members
 * already registered (inserted as the owner, as a running system would have them). Then a CSV of
 * ROWS new members is imported into one union in a CHILD PROCESS, through the operators' command
 * exactly as they run it: `node --import tsx server/src/cli.ts members import FILE --union CODE --mode all`
 * (DATABASE_URL = the benchmark database; PGlite: DATA_DIR = its data directory, which this process
 * closes first, since the embedded database is locked to one process, and opens again afterwards).
 * The command does the upload (stream to disk, sha256, encoding detection) → dry run (validation,
 * hashing, duplicate check within the file and against the register, in worker threads) → commit
 * (validation, AES-GCM encryption, keyed hashes, INSERT … ON CONFLICT into member, the 入会 ledger
 * entry per member, in ONE transaction under row-level security as gonghui_app).
 *
 * Measured, by the wall clock of this process:
 *   start-up + upload  spawn → the import_job row's created_at (the upload's transaction, which begins once the
 *                      file is on disk): process start (node, tsx, the module graph, opening the database) + upload;
 *                      the start-up alone (`cli.ts help`, no database; best of 3) is given above the table
 *   dry run            created_at → the command's `检查完成：…` line on stdout
 *   commit             `检查完成` → the process exits (the commit, then closing the database: PGlite writes its files)
 *   peak RSS           of the import process: getrusage maxRSS of the child (all its threads, the workers'
 *                      included; PGlite's whole database engine included, as it runs in that process),
 *                      reported by the preload bench/maxrss.mjs when the child exits
 * and afterwards in this process: the import_job row, one member per row with its import_job_id and
 * one ledger entry each (else the run fails); a raw COPY of the same file into a bare table of text
 * columns (the floor any import is compared with); the lookup of a person by document number among
 * all members through members.service list (in scope).
 *
 * Env: BENCH_MEMBERS_ROWS (1000000), BENCH_MEMBERS_FILLER (2000000), BENCH_ENGINES (postgres,pglite),
 * BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test), BENCH_PGLITE_DIR (where PGlite's data
 * directory is made; default os.tmpdir(): the import process must open it, so it is always on disk),
 * BENCH_LOOKUPS (300), BENCH_OUT (docs/BENCHMARKS.md; BENCH_OUT=- prints only).
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'kysely'
import { migrate } from '../server/src/db/migrate.js'
import { bootstrap } from '../server/src/bootstrap.js'
import { runInScope } from '../server/src/http/scope.js'
import type { Actor } from '../server/src/http/context.js'
import { createPii, type KeyRing } from '../server/src/security/pii.js'
import { auditKeysOf } from '../server/src/security/keys.js'
import { useAuditKeys } from '../server/src/modules/audit/audit.repository.js'
import { makeResidentId } from '../common/id-card.js'
import * as members from '../server/src/modules/members/members.service.js'
import { generateCity } from './generate.js'
import { openEngine, type Engine } from './engine.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const env = process.env
const ROWS = Number(env.BENCH_MEMBERS_ROWS ?? 1_000_000)
const FILLER = Number(env.BENCH_MEMBERS_FILLER ?? 2_000_000)
const ENGINES = (env.BENCH_ENGINES ?? 'postgres,pglite')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean)
const PG_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const LOOKUPS = Number(env.BENCH_LOOKUPS ?? 300)
const OUT = env.BENCH_OUT ?? path.join(root, 'docs', 'BENCHMARKS.md')
const MAXRSS = path.join(root, 'bench', 'maxrss.mjs')

// the key ring of this process, handed to the import process as GONGHUI_PII_KEY (its JSON form)
const ring: KeyRing = {
  current: 'k1',
  keys: { k1: crypto.randomBytes(32).toString('base64') },
  hashKey: crypto.randomBytes(32).toString('base64'),
}
const pii = createPii(ring)
// the audit chain is sealed with keys of the ring (as main.ts loads them)
useAuditKeys(auditKeysOf(ring))
const log = (l: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${l}`)

// ── the file ──────────────────────────────────────────────────────────────────
const surnames = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
]
const given = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文斌宇浩凯鹏飞婷雪琳晨阳欣怡佳颖子涵梓萱']
const regions6 = [
  '330683',
  '330602',
  '330603',
  '330604',
  '330624',
  '330681',
  '330102',
  '330105',
  '330106',
  '330108',
  '330110',
  '330185',
  '320102',
  '340104',
  '360102',
  '410102',
  '420102',
  '430102',
  '510104',
  '522601',
]
const workplaces = [
  '甘霖小微五金厂',
  '崇仁纺织有限公司',
  '剡湖街道物流园',
  '嵊州领带集团',
  '越剧小镇文旅公司',
  '长乐建筑工程公司',
  '三界茶叶合作社',
  '黄泽机械配件厂',
]
const educationLabels = ['大学本科毕业', '大学专科毕业', '普通高中毕业', '初中毕业', '中等专科毕业', '硕士研究生毕业']
const political = ['群众', '中共党员', '共青团员']

/** Distinct valid 居民身份证 numbers: region × birth date × sequence, never repeating within a file. */
function* people(n: number, offset: number) {
  let i = offset
  for (let k = 0; k < n; k++, i++) {
    const region = regions6[i % regions6.length]!
    const day = Math.floor(i / regions6.length / 999)
    const seq = (Math.floor(i / regions6.length) % 999) + 1
    const d = new Date(Date.UTC(1965, 0, 1) + day * 86400000)
    const birth = d.toISOString().slice(0, 10).replace(/-/g, '')
    yield { doc: makeResidentId(region, birth, seq), i }
  }
}

async function writeCsv(file: string, n: number) {
  const out = fs.createWriteStream(file)
  out.write('姓名,性别,民族,证件号码,手机号码,学历,政治面貌,就业状况,是否农民工,工作单位,入会日期,新就业形态职业\r\n')
  let buf = ''
  for (const { doc, i } of people(n, 0)) {
    const name = surnames[i % surnames.length]! + given[(i * 7) % given.length]! + (i % 3 ? given[(i * 13) % given.length]! : '')
    const g = (doc.charCodeAt(16) - 48) % 2 === 1 ? '男' : '女'
    const phone = `1${3 + (i % 7)}${String(100000000 + ((i * 7919) % 899999999)).slice(0, 9)}`
    const joined = `20${String(10 + (i % 15)).padStart(2, '0')}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`
    buf += `${name},${g},汉族,${doc},${phone},${educationLabels[i % educationLabels.length]},${political[i % political.length]},在岗,${i % 4 === 0 ? '是' : '否'},${workplaces[i % workplaces.length]},${joined},${i % 10 === 0 ? '快递员' : ''}\r\n`
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await once(out, 'drain')
      buf = ''
    }
  }
  out.end(buf)
  await once(out, 'close')
}

// ── engines ───────────────────────────────────────────────────────────────────

/** FILLER members as a running register has them: spread over the unions, each with a 入会 entry. */
async function fill(e: Engine, unions: { id: number; path: string }[]) {
  const { db } = e.database
  const chunk = 250_000
  const ids = unions.map((u) => u.id)
  const paths = unions.map((u) => u.path)
  for (let from = 0; from < FILLER; from += chunk) {
    const n = Math.min(chunk, FILLER - from)
    await sql`
      with src as (select g, (${ids}::bigint[])[1 + g % ${ids.length}] as union_id, (${paths}::text[])[1 + g % ${ids.length}] as org_path
                   from generate_series(${from + 1}::int, ${from + n}::int) g),
      ins as (
        insert into member (member_no, name, gender, document_type, document_enc, document_hash, document_masked, phone_enc, phone_hash, phone_masked,
                            workplace, union_id, org_path, status, joined_on, quality)
        select '9' || lpad(g::text, 13, '0'), '存量' || g, (1 + g % 2)::text, 'resident_id', 'aes:k1:filler' || g, 'filler-' || md5(g::text),
               '330683********' || lpad((g % 10000)::text, 4, '0'), null, null, null, '存量单位', union_id, org_path, 'active',
               date '2015-01-01' + (g % 3000), 'ok'
        from src returning id, union_id, org_path, joined_on)
      insert into membership_event (member_id, union_id, org_path, event_type, occurred_on)
      select id, union_id, org_path, '1', joined_on from ins`.execute(db)
    log(`${e.name}: ${from + n} filler members`)
  }
  await sql`analyze member`.execute(db)
  await sql`analyze membership_event`.execute(db)
}

/** A raw COPY of the same file into a bare table of text columns: the floor any import is compared with. */
async function rawCopy(e: Engine, file: string): Promise<number> {
  const cols =
    'name text, gender text, ethnicity text, doc text, phone text, education text, political text, employment text, migrant text, workplace text, joined text, occupation text'
  const t0 = performance.now()
  if (e.name === 'postgres') {
    const c = new pg.Client({ connectionString: e.url })
    await c.connect()
    await c.query(`create table bench_raw (${cols})`)
    const t1 = performance.now()
    // server-side COPY of the file (the server runs on this machine): no client in the way
    await c.query(`copy bench_raw from '${file.replace(/'/g, "''")}' with (format csv, header true)`)
    const ms = performance.now() - t1
    await c.query('drop table bench_raw')
    await c.end()
    return ms
  }
  // the app's client is wrapped by Kysely: COPY FROM '/dev/blob' runs in a fresh PGlite instance of the same build
  const lite = await PGlite.create()
  await lite.exec(`create table bench_raw (${cols})`)
  const blob = new Blob([fs.readFileSync(file)])
  const t1 = performance.now()
  await lite.query(`copy bench_raw from '/dev/blob' with (format csv, header true)`, [], { blob })
  const ms = performance.now() - t1
  const n = await lite.query<{ n: number }>('select count(*)::int as n from bench_raw')
  if (n.rows[0]!.n !== ROWS) throw new Error(`raw COPY loaded ${n.rows[0]!.n} rows`)
  await lite.close()
  void t0
  return ms
}

interface Result {
  engine: string
  rows: number
  filler: number
  fileMb: number
  /** spawn → the import_job row's created_at: process start-up + upload */
  uploadMs: number
  /** created_at → `检查完成` */
  checkMs: number
  /** `检查完成` → exit */
  commitMs: number
  /** spawn → exit: the whole command as the operator waits for it */
  commandMs: number
  /** the commit's own transaction(s): import_job started_at → finished_at */
  commitDbMs: number
  imported: number
  copyMs: number
  lookup: { median: number; p95: number; runs: number; members: number }
  /** maxRSS of the import process */
  peakMb: number
  /** RSS of this process when the import process started */
  parentRssMb: number
  notes: string[]
}

// ── the import process ────────────────────────────────────────────────────────

interface ChildRun {
  /** Date.now() and performance.now() at spawn */
  spawnWall: number
  spawnAt: number
  /** performance.now() at the `检查完成` line and at exit */
  checkAt: number
  exitAt: number
  jobId: number
  maxRssKb: number
}

/** Runs `cli.ts …args` in a child process (tsx, with the maxRSS preload), its output forwarded to the log. */
async function cli(label: string, args: string[], childEnv: NodeJS.ProcessEnv, quiet = false) {
  const spawnWall = Date.now()
  const spawnAt = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', MAXRSS, path.join('server', 'src', 'cli.ts'), ...args], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stdout: { at: number; line: string }[] = []
  const tail: string[] = []
  let maxRssKb: number | null = null
  let exitAt = 0
  readline.createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', (line) => {
    stdout.push({ at: performance.now(), line })
    if (line.trim() && !quiet) log(`${label}: │ ${line}`)
  })
  readline.createInterface({ input: child.stderr!, crlfDelay: Infinity }).on('line', (line) => {
    const m = /^BENCH_MAXRSS_KB=(\d+)$/.exec(line)
    if (m) {
      maxRssKb = Number(m[1])
      return
    }
    if (!line.trim()) return
    log(`${label}: ┃ ${line}`)
    tail.push(line)
    if (tail.length > 30) tail.shift()
  })
  child.on('exit', () => {
    exitAt = performance.now()
  })
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null]
  if (code !== 0)
    throw new Error(`\`cli.ts ${args.join(' ')}\` exited with ${signal ?? `code ${code}`}${tail.length ? `:\n${tail.join('\n')}` : ''}`)
  if (maxRssKb === null) throw new Error(`\`cli.ts ${args.join(' ')}\`: no BENCH_MAXRSS_KB line from the preload ${MAXRSS}`)
  return { spawnWall, spawnAt, exitAt, stdout, maxRssKb: maxRssKb as number }
}

/** `members import FILE --union CODE --mode all` as an operator runs it, against the engine's database. */
async function importInChild(e: Engine, file: string, unionCode: string, dataDir: string): Promise<ChildRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, GONGHUI_PII_KEY: JSON.stringify(ring), GONGHUI_DEMO: '0' }
  // the same key ring and cipher as this process, not a key file's
  delete childEnv.GONGHUI_PII_KEY_FILE
  delete childEnv.GONGHUI_PII_CIPHER
  if (e.name === 'postgres') childEnv.DATABASE_URL = e.url
  else delete childEnv.DATABASE_URL
  const r = await cli(e.name, ['members', 'import', file, '--union', unionCode, '--mode', 'all'], childEnv)
  const checked = r.stdout.find((l) => l.line.startsWith('检查完成'))
  const job = r.stdout.map((l) => /^导入任务 #(\d+)/.exec(l.line)).find(Boolean)
  if (!checked || !job) throw new Error('the import command printed no `导入任务 #…` or no `检查完成` line')
  return { spawnWall: r.spawnWall, spawnAt: r.spawnAt, checkAt: checked.at, exitAt: r.exitAt, jobId: Number(job[1]), maxRssKb: r.maxRssKb }
}

/** The start-up of the command line alone: `cli.ts help` (node, tsx, the whole module graph; no database), best of 3. */
async function cliStartup(): Promise<number> {
  let best = Infinity
  for (let i = 0; i < 3; i++) {
    const r = await cli('start-up', ['help'], process.env, true)
    best = Math.min(best, r.exitAt - r.spawnAt)
  }
  return best
}

async function runEngine(name: 'postgres' | 'pglite', file: string): Promise<Result> {
  log(`── ${name} ──`)
  // PGlite on disk: the import process opens the same data directory
  const e = await openEngine(name, 'members', PG_URL, { onDisk: true })
  const notes: string[] = []
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-bench-imports-'))
  try {
    if (e.dir) log(`${name}: data directory ${e.dir}`)
    await migrate(e.database)
    const boot = await bootstrap(e.database.db, { countyCode: '330683', adminPassword: 'Bench-Pass-2026!' })
    const city = await generateCity(e.database.db, { seed: 20260101, orgs: 2000, enterprises: 10000, log: (l) => log(`${name}: ${l}`) })
    const unions = await e.database.db
      .selectFrom('org')
      .select(['id', 'path', 'name', 'code', 'region_code'])
      .where('status', '<>', 'dissolved')
      .orderBy('id')
      .limit(500)
      .execute()
    const target = unions.find((u) => u.id !== boot.rootId) ?? unions[0]!
    await fill(e, unions)
    const rootOrg = await e.database.db
      .selectFrom('org')
      .select(['id', 'path', 'name'])
      .where('id', '=', city.root.id)
      .executeTakeFirstOrThrow()
    const actor: Actor = {
      id: 1,
      username: 'bench',
      displayName: '基准测试',
      roles: ['org_admin'],
      orgId: rootOrg.id,
      orgName: rootOrg.name,
      scopePath: rootOrg.path,
      csrfToken: '',
      viaCookie: false,
    }

    const copyMs = await rawCopy(e, file)
    log(`${name}: raw COPY ${(copyMs / 1000).toFixed(1)} s`)

    // the import, in its own process; PGlite's data directory is this process's until closed
    if (e.name === 'pglite') await e.close()
    if (global.gc) global.gc()
    const parentRssMb = process.memoryUsage().rss / 1024 / 1024
    log(
      `${name}: members import ${path.basename(file)} --union ${target.code} (${target.name}) in a child process; this process: RSS ${parentRssMb.toFixed(0)} MB`,
    )
    let run: ChildRun
    try {
      // PostgreSQL: DATA_DIR only holds the stored upload (DATA_DIR/imports); PGlite: the database too
      run = await importInChild(e, file, target.code, e.dir ?? tmpDir)
    } finally {
      if (e.name === 'pglite') await e.reopen()
    }
    const { db } = e.database

    const job = await db
      .selectFrom('import_job')
      .select(['status', 'message', 'union_id', 'total_rows', 'imported_rows', 'created_at', 'started_at', 'finished_at'])
      .where('id', '=', run.jobId)
      .executeTakeFirstOrThrow()
    if (job.status !== 'done') throw new Error(`import job #${run.jobId}: ${job.status} ${job.message ?? ''}`)
    if (job.union_id !== target.id) throw new Error(`import job #${run.jobId} went to union ${job.union_id}, not ${target.id}`)
    const imported = Number(
      (await sql<{ n: string }>`select count(*) as n from member where import_job_id = ${run.jobId}`.execute(db)).rows[0]!.n,
    )
    if (imported !== ROWS || job.imported_rows !== ROWS)
      throw new Error(`import job #${run.jobId}: ${imported} members (job says ${job.imported_rows}), expected ${ROWS}`)
    const events = Number(
      (
        await sql<{
          n: string
        }>`select count(*) as n from membership_event e join member m on m.id = e.member_id where m.import_job_id = ${run.jobId}`.execute(
          db,
        )
      ).rows[0]!.n,
    )
    if (events !== imported) throw new Error(`import job #${run.jobId}: ${events} ledger entries for ${imported} members`)

    const createdAt = new Date(job.created_at).getTime()
    const uploadMs = createdAt - run.spawnWall
    const checkAtMs = run.checkAt - run.spawnAt
    if (uploadMs <= 0 || uploadMs >= checkAtMs)
      throw new Error(
        `import job #${run.jobId}: created_at ${new Date(createdAt).toISOString()} is not between the spawn and the dry run's end`,
      )
    const checkMs = checkAtMs - uploadMs
    const commitMs = run.exitAt - run.checkAt
    const commandMs = run.exitAt - run.spawnAt
    const commitDbMs = job.started_at && job.finished_at ? new Date(job.finished_at).getTime() - new Date(job.started_at).getTime() : NaN
    const peakMb = run.maxRssKb / 1024
    log(
      `${name}: imported ${imported} (job #${run.jobId}): start-up + upload ${(uploadMs / 1000).toFixed(1)} s, dry run ${(checkMs / 1000).toFixed(1)} s, ` +
        `commit ${(commitMs / 1000).toFixed(1)} s (the job's started_at → finished_at ${(commitDbMs / 1000).toFixed(1)} s), command ${(commandMs / 1000).toFixed(1)} s; peak RSS of the import process ${peakMb.toFixed(0)} MB`,
    )

    // lookup by document number among all members, through the service in scope
    await sql`analyze member`.execute(db)
    const total = Number((await sql<{ n: string }>`select count(*) as n from member`.execute(db)).rows[0]!.n)
    const sample = [...people(ROWS, 0)]
      .filter((_, i) => i % Math.max(1, Math.floor(ROWS / LOOKUPS)) === 0)
      .slice(0, LOOKUPS)
      .map((p) => p.doc)
    const times: number[] = []
    for (let i = 0; i < sample.length + 10; i++) {
      const doc = sample[i % sample.length]!
      const t0 = performance.now()
      const r = await runInScope(db, pii, actor, 'bench', (ctx) => members.list(ctx, { q: doc, sort: '-joinedOn', page: 1, pageSize: 20 }))
      const ms = performance.now() - t0
      if (r.total !== 1) throw new Error(`lookup of ${doc.slice(0, 6)}… found ${r.total}`)
      if (i >= 10) times.push(ms)
    }
    times.sort((a, b) => a - b)
    const lookup = {
      median: times[Math.floor(times.length / 2)]!,
      p95: times[Math.floor(times.length * 0.95)]!,
      runs: times.length,
      members: total,
    }
    log(`${name}: lookup among ${total} members: median ${lookup.median.toFixed(2)} ms, p95 ${lookup.p95.toFixed(2)} ms`)
    return {
      engine: name,
      rows: ROWS,
      filler: FILLER,
      fileMb: fs.statSync(file).size / 1024 / 1024,
      uploadMs,
      checkMs,
      commitMs,
      commandMs,
      commitDbMs,
      imported,
      copyMs,
      lookup,
      peakMb,
      parentRssMb,
      notes,
    }
  } finally {
    fs.rmSync(tmpDir, { recursive: true, force: true })
    await e.drop()
  }
}

function report(results: Result[], startupMs: number | null): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  const lines = [
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB RAM, Node ${process.version}; ` +
      `${ROWS.toLocaleString('en-US')}-row CSV (${results[0]?.fileMb.toFixed(0)} MB) imported into a register holding ${FILLER.toLocaleString('en-US')} members ` +
      `by the command line in its own process (\`cli.ts members import FILE --union CODE --mode all\`; PGlite on disk). Command: \`npx tsx bench/members.ts\`.` +
      (startupMs === null
        ? ''
        : ` Start-up of the command line alone (\`cli.ts help\`: node, tsx, modules; best of 3) ${(startupMs / 1000).toFixed(1)} s.`),
    '',
    '| engine | start-up + upload (disk, sha256, encoding) | dry run | commit (to exit) | import = dry run + commit (whole command) | rows/s (commit) | rows/s (dry run + commit) | raw COPY | commit ÷ COPY | lookup median / p95 (members) | peak RSS of the import process |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ]
  for (const r of results) {
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`
    const whole = r.checkMs + r.commitMs
    lines.push(
      `| ${r.engine} | ${s(r.uploadMs)} | ${s(r.checkMs)} | ${s(r.commitMs)} | ${s(whole)} (${s(r.commandMs)}) | ${Math.round(r.rows / (r.commitMs / 1000)).toLocaleString('en-US')} | ${Math.round(r.rows / (whole / 1000)).toLocaleString('en-US')} | ${s(r.copyMs)} | ${(r.commitMs / r.copyMs).toFixed(1)}× (whole import ${(whole / r.copyMs).toFixed(1)}×) | ${r.lookup.median.toFixed(2)} / ${r.lookup.p95.toFixed(2)} ms (${r.lookup.members.toLocaleString('en-US')}) | ${r.peakMb.toFixed(0)} MB |`,
    )
    for (const n of r.notes) lines.push(`\n> ${r.engine}: ${n}`)
  }
  return lines.join('\n')
}

async function main() {
  const file = path.join(os.tmpdir(), `gh-members-${ROWS}.csv`)
  if (!fs.existsSync(file) || env.BENCH_REGENERATE === '1') {
    log(`writing ${ROWS} rows to ${file}`)
    await writeCsv(file, ROWS)
  }
  fs.chmodSync(file, 0o644)
  let startupMs: number | null = null
  try {
    startupMs = await cliStartup()
    log(`start-up of the command line (cli.ts help): ${(startupMs / 1000).toFixed(1)} s`)
  } catch (e) {
    log(`cli.ts help: FAILED ${(e as Error).message}`)
  }
  const results: Result[] = []
  for (const name of ENGINES) {
    if (name !== 'postgres' && name !== 'pglite') continue
    try {
      results.push(await runEngine(name, file))
    } catch (e) {
      log(`${name}: FAILED ${(e as Error).stack ?? e}`)
    }
  }
  const text = report(results, startupMs)
  console.log('\n' + text)
  if (OUT !== '-' && results.length) {
    let doc = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : ''
    // one block per engine, so that the engines can be run (and re-run) separately
    const tag = results.map((r) => r.engine).join('+')
    const START = `<!-- bench:members:${tag}:start -->`
    const END = `<!-- bench:members:${tag}:end -->`
    const block = `${START}\n${text}\n${END}`
    const SECTION = '## Member roster import (bench/members.ts)'
    if (doc.includes(START) && doc.includes(END)) doc = doc.slice(0, doc.indexOf(START)) + block + doc.slice(doc.indexOf(END) + END.length)
    else if (doc.includes(SECTION)) doc = doc.replace(SECTION, `${SECTION}\n\n${block}`)
    else doc += `\n\n${SECTION}\n\n${block}\n`
    fs.writeFileSync(OUT, doc)
    log(`results written to ${OUT}`)
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
