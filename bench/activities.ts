/**
 * `npm run bench:activities` (npx tsx bench/activities.ts): sign-ups under load, from outside. A union
 * of ACTIVITY_MEMBERS members, each signed in on the phone; an activity of ACTIVITY_SEATS seats; the
 * real server (server/src/main.ts) in a child process. From this process every member signs up at the
 * same moment (POST /api/my/activities/:id/sign-up), then ACTIVITY_CANCELS of the registered cancel at
 * once (POST …/cancel). Checked: exactly ACTIVITY_SEATS registered and the rest waiting, positions
 * 1…N once each, the counters equal to the rows; after the cancellations, each promoted exactly one
 * (still ACTIVITY_SEATS registered, the waitlist shorter by as many). Measured: sign-ups/s and
 * cancellations/s (requests ÷ the time from the first request to the last answer). Issue 11: 500
 * members for 100 seats — exactly 100 registered, 400 waiting, each cancellation promotes one.
 *
 * Env: ACTIVITY_ENGINES (postgres,pglite), ACTIVITY_MEMBERS (500), ACTIVITY_SEATS (100),
 * ACTIVITY_CANCELS (50), BENCH_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test),
 * BENCH_OUT (docs/BENCHMARKS.md; '-' prints only).
 */
import os from 'node:os'
import path from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../server/src/db/schema.js'
import { migrate } from '../server/src/db/migrate.js'
import { openEngine, type Engine } from './engine.js'
import { databaseEnv, log, post, ring, root, serve, unionOfSignedInMembers, writeSection } from './app.js'

const env = process.env
const ENGINES = (env.ACTIVITY_ENGINES ?? 'postgres,pglite').split(',').map((s) => s.trim()) as ('postgres' | 'pglite')[]
const MEMBERS = Number(env.ACTIVITY_MEMBERS ?? 500)
const SEATS = Number(env.ACTIVITY_SEATS ?? 100)
const CANCELS = Math.min(Number(env.ACTIVITY_CANCELS ?? 50), SEATS)
const PG_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const OUT = env.BENCH_OUT ?? path.join(root, 'docs', 'BENCHMARKS.md')

async function seed(db: Kysely<DB>) {
  const u = await unionOfSignedInMembers(db, MEMBERS, 'activities')
  const a = await db
    .insertInto('activity')
    .values({
      org_id: u.union.id,
      org_path: sql<string>`(select path from org where id = ${u.union.id})`,
      title: '基准活动',
      place: '职工之家',
      starts_at: sql<Date>`now() + interval '7 days'`,
      ends_at: sql<Date>`now() + interval '7 days 2 hours'`,
      capacity: SEATS,
      signup_opens: sql<Date>`now() - interval '1 hour'`,
      signup_closes: sql<Date>`now() + interval '6 days'`,
      cancel_deadline: sql<Date>`now() + interval '6 days'`,
      audience: 'own',
      origin: 'plan',
      status: 'published',
      published_at: sql<Date>`now()`,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { activity: Number(a.id), tokens: u.tokens, members: u.members }
}

/** Every token posts to its URL at the same moment; the time to the last answer and the answers' statuses. */
async function atOnce(urls: string[], tokens: string[]) {
  const t0 = performance.now()
  const statuses = await Promise.all(
    tokens.map(async (t, i) => {
      const r = await post(urls[i]!, t)
      return r.status
    }),
  )
  return { ms: performance.now() - t0, bad: statuses.filter((s) => s >= 300).length }
}

async function state(db: Kysely<DB>, id: number) {
  const a = await db.selectFrom('activity').select(['registered_count', 'waiting_count']).where('id', '=', id).executeTakeFirstOrThrow()
  const rows = await db
    .selectFrom('activity_registration')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('activity_id', '=', id)
    .groupBy('status')
    .execute()
  const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Record<string, number>
  const positions = await db
    .selectFrom('activity_registration')
    .select((eb) => [eb.fn.count<string>('position').distinct().as('d'), eb.fn.max('position').as('max')])
    .where('activity_id', '=', id)
    .executeTakeFirstOrThrow()
  return {
    registered: by.registered ?? 0,
    waiting: by.waiting ?? 0,
    cancelled: by.cancelled ?? 0,
    counters: { registered: a.registered_count, waiting: a.waiting_count },
    distinctPositions: Number(positions.d),
  }
}

interface Result {
  name: string
  signUps: { ms: number; bad: number }
  cancels: { ms: number; bad: number }
  after: Awaited<ReturnType<typeof state>>
  end: Awaited<ReturnType<typeof state>>
  ok: boolean
}

async function runEngine(name: 'postgres' | 'pglite'): Promise<Result> {
  log(`${name}: seeding ${MEMBERS} members and an activity of ${SEATS} seats`)
  const e: Engine = await openEngine(name, 'activities', PG_URL, { onDisk: true })
  let server: ChildProcess | null = null
  try {
    await migrate(e.database)
    const s = await seed(e.database.db)
    await e.close()
    const app = await serve(databaseEnv(e, ring, 'activities'))
    server = app.child
    const at = (what: string) => `${app.url}/api/my/activities/${s.activity}/${what}`
    const signUps = await atOnce(
      s.tokens.map(() => at('sign-up')),
      s.tokens,
    )
    log(`${name}: ${MEMBERS} sign-ups in ${signUps.ms.toFixed(0)} ms (${Math.round((MEMBERS * 1000) / signUps.ms)}/s)`)
    server.kill('SIGTERM')
    await new Promise((r) => server!.once('exit', r))
    server = null
    await e.reopen()
    const after = await state(e.database.db, s.activity)
    // the first CANCELS members who got a seat cancel at once
    const seated = await e.database.db
      .selectFrom('activity_registration')
      .select('member_id')
      .where('activity_id', '=', s.activity)
      .where('status', '=', 'registered')
      .orderBy('position')
      .limit(CANCELS)
      .execute()
    const tokenOf = new Map(s.members.map((id, i) => [id, s.tokens[i]!]))
    await e.close()
    const again = await serve(databaseEnv(e, ring, 'activities'))
    server = again.child
    const cancelTokens = seated.map((r) => tokenOf.get(Number(r.member_id))!)
    const cancels = await atOnce(
      cancelTokens.map(() => `${again.url}/api/my/activities/${s.activity}/cancel`),
      cancelTokens,
    )
    log(`${name}: ${CANCELS} cancellations in ${cancels.ms.toFixed(0)} ms`)
    server.kill('SIGTERM')
    await new Promise((r) => server!.once('exit', r))
    server = null
    await e.reopen()
    const end = await state(e.database.db, s.activity)
    const ok =
      signUps.bad === 0 &&
      cancels.bad === 0 &&
      after.registered === SEATS &&
      after.waiting === MEMBERS - SEATS &&
      after.distinctPositions === MEMBERS &&
      after.counters.registered === after.registered &&
      after.counters.waiting === after.waiting &&
      end.registered === SEATS &&
      end.waiting === MEMBERS - SEATS - CANCELS &&
      end.cancelled === CANCELS &&
      end.counters.registered === end.registered &&
      end.counters.waiting === end.waiting
    return { name, signUps, cancels, after, end, ok }
  } finally {
    server?.kill('SIGTERM')
    await e.drop()
  }
}

function report(all: Result[], seconds: number): string {
  const cpu = os.cpus()
  const lines = [
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${MEMBERS} members sign up at once for ${SEATS} seats ` +
      `through POST /api/my/activities/:id/sign-up, then ${CANCELS} of the seated cancel at once, from another process ` +
      `(node:http, a connection per member); whole run ${Math.round(seconds)} s; load average at the end ${os.loadavg()[0]!.toFixed(1)}.`,
    '',
    '| engine | sign-ups | sign-ups/s | after: registered / waiting (counters) | cancellations | after: registered / waiting / cancelled | checked |',
    '|---|---:|---:|---|---:|---|---|',
    ...all.map(
      (r) =>
        `| ${r.name === 'postgres' ? 'PostgreSQL' : 'PGlite (embedded)'} | ${r.signUps.ms.toFixed(0)} ms | ${Math.round((MEMBERS * 1000) / r.signUps.ms)} | ` +
        `${r.after.registered} / ${r.after.waiting} (${r.after.counters.registered} / ${r.after.counters.waiting}) | ${r.cancels.ms.toFixed(0)} ms | ` +
        `${r.end.registered} / ${r.end.waiting} / ${r.end.cancelled} | ${r.ok ? '✓' : '✗'}${r.signUps.bad + r.cancels.bad ? ` ${r.signUps.bad + r.cancels.bad} refused` : ''} |`,
    ),
  ]
  return lines.join('\n')
}

const write = (body: string) => writeSection(OUT, 'activities', '活动报名: sign-ups at once (bench/activities.ts)', body)

async function main() {
  const started = Date.now()
  const all: Result[] = []
  for (const name of ENGINES) all.push(await runEngine(name))
  const body = report(all, (Date.now() - started) / 1000)
  console.log('\n' + body)
  if (OUT !== '-') write(body)
  if (all.some((r) => !r.ok)) process.exit(1)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
