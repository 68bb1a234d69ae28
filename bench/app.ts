/**
 * What the load benchmarks of the member's side share (bench/proposals.ts, bench/activities.ts): a
 * free port, the real server (server/src/main.ts) in a child process, and a union of members who
 * are signed in on their phones (a phone session each, as member_sign_in opens it).
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import net from 'node:net'
import http from 'node:http'
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { Engine } from './engine.js'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../server/src/db/schema.js'
import { bootstrap } from '../server/src/bootstrap.js'
import { openKeyRing } from '../server/src/security/keys.js'
import { createPii } from '../server/src/security/pii.js'
import { runInScope } from '../server/src/http/scope.js'
import type { Actor } from '../server/src/http/context.js'
import * as orgs from '../server/src/modules/orgs/orgs.service.js'
import * as members from '../server/src/modules/members/members.service.js'
import { hashToken, MEMBER_TOKEN_PREFIX, newSecret } from '../server/src/modules/auth/tokens.js'
import { makeResidentId } from '../common/id-card.js'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const ring = {
  current: 'k1',
  keys: { k1: crypto.randomBytes(32).toString('base64') },
  hashKey: crypto.randomBytes(32).toString('base64'),
}
export const log = (l: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${l}`)

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port
      s.close(() => resolve(port))
    })
    s.on('error', reject)
  })

/** A child process serving HTTP on a free port (node with `args`, in `cwd`), once `probe` answers 200. */
export async function spawnServer(
  args: string[],
  env: Record<string, string>,
  probe: string,
  cwd = root,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort()
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 300_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited: ${output}`)
    try {
      if ((await fetch(url + probe)).ok) return { url, child }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not start: ${output}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

/** The application server (of the checkout at `cwd`) on the given database, started and answering /api/health. */
export function serve(extraEnv: Record<string, string>, cwd = root): Promise<{ url: string; child: ChildProcess }> {
  // BENCH_NODE_ARGS: the server's own Node flags, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof' to see where its time goes
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)
  return spawnServer(
    [...nodeArgs, '--import', 'tsx', 'server/src/main.ts'],
    { GONGHUI_DEMO: '0', LOG_LEVEL: 'warn', ...extraEnv },
    '/api/health',
    cwd,
  )
}

/** The server's database settings for an engine of bench/engine.ts: PostgreSQL by its URL, PGlite by its directory. */
export function databaseEnv(e: Engine, ring: unknown, label: string): Record<string, string> {
  return e.name === 'postgres'
    ? {
        DATABASE_URL: e.url!,
        DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), `gh-bench-${label}-`)),
        GONGHUI_PII_KEY: JSON.stringify(ring),
      }
    : { DATABASE_URL: '', DATA_DIR: e.dir!, GONGHUI_PII_KEY: JSON.stringify(ring) }
}

/**
 * The load generator's request: POST `url` as the bearer of `token`, the answer's status and JSON body.
 * node:http with a keep-alive agent and no limit on sockets (each concurrent request its own connection,
 * as each phone has its own): the generator shares the machine's cores with the server and the
 * database, and `fetch` (undici, WHATWG streams) costs it ≈ 0.55 ms of CPU per request here, so a
 * heavier client would lower what the server is measured to do.
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity })
export function post(url: string, token: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-length': 0 } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        try {
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>,
          })
        } catch (e) {
          reject(e as Error)
        }
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/**
 * Writes a benchmark's result between its markers in docs/BENCHMARKS.md (or `out`): `<!-- bench:KEY:start -->`
 * … `<!-- bench:KEY:end -->`, replacing what stood there; a new section titled `title` at the end when there is none.
 */
export function writeSection(out: string, key: string, title: string, body: string) {
  const doc = fs.readFileSync(out, 'utf8')
  const start = `<!-- bench:${key}:start -->`
  const end = `<!-- bench:${key}:end -->`
  const next = doc.includes(start)
    ? doc.replace(new RegExp(`${start}[\\s\\S]*?${end}`), () => `${start}\n${body}\n${end}`)
    : `${doc.trimEnd()}\n\n## ${title}\n\n${start}\n${body}\n${end}\n`
  fs.writeFileSync(out, next)
}

/** A cadre's bearer token, signed in through the API as the web does. */
export async function login(base: string, username: string, password: string): Promise<string> {
  const r = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  const body = (await r.json()) as { token?: string; mustChangePassword?: boolean }
  if (!r.ok || !body.token || body.mustChangePassword) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(body)}`)
  return body.token
}

/**
 * An empty database made ready: the key ring, the city, a town and one grassroots union of `n`
 * members, each signed in on the phone. Returns the union, the members' ids and their bearer tokens.
 */
export async function unionOfSignedInMembers(db: Kysely<DB>, n: number, tag: string) {
  await openKeyRing(db, { key: JSON.stringify(ring), keyFile: path.join(os.tmpdir(), `gh-bench-${tag}-unused.json`) }, { create: true })
  const pii = createPii(ring)
  const boot = await bootstrap(db, { countyCode: '330683', adminPassword: 'Bench-Member-Side-2026!' })
  const rootOrg = await db.selectFrom('org').selectAll().where('id', '=', boot.rootId).executeTakeFirstOrThrow()
  const city: Actor = {
    id: 0,
    username: 'bench',
    displayName: '基准',
    roles: ['org_admin'],
    orgId: rootOrg.id,
    orgName: rootOrg.name,
    scopePath: rootOrg.path,
    csrfToken: '',
    viaCookie: false,
  }
  const made = await runInScope(db, pii, city, '127.0.0.1', async (ctx) => {
    const town = await orgs.create(ctx, {
      parentId: rootOrg.id,
      name: '基准镇总工会',
      orgType: '9',
      orgForm: 'federation',
      regionCode: '330683100',
      foundedOn: '2005-01-01',
    })
    const union = await orgs.create(ctx, {
      parentId: town.id,
      name: '基准联合工会',
      orgType: '2',
      orgForm: 'joint_committee',
      regionCode: '330683100',
      jointScope: 'regional',
      jointCategory: 'other',
      foundedOn: '2018-01-01',
    })
    const ids: number[] = []
    for (let i = 0; i < n; i++) {
      // (birth day, sequence) differs for every member
      const birth = new Date(Date.UTC(1970, 0, 1) + i * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '')
      const m = await members.create(ctx, {
        name: `会员${i}`,
        documentType: 'resident_id',
        documentNumber: makeResidentId('330683', birth, 101),
        unionId: union.id,
        joinedOn: '2020-01-01',
      })
      ids.push(m.id)
    }
    return { union, ids }
  })
  const tokens = made.ids.map(() => MEMBER_TOKEN_PREFIX + newSecret())
  await db
    .insertInto('member_session')
    .values(
      made.ids.map((id, i) => ({
        token_hash: hashToken(tokens[i]!),
        phone_hash: `bench:${id}`,
        member_id: id,
        csrf_token: newSecret(),
        expires_at: sql<Date>`now() + interval '1 day'`,
      })),
    )
    .execute()
  return { union: made.union, members: made.ids, tokens }
}
