import path from 'node:path'
import fs from 'node:fs'
import os from 'node:os'
import { after, before } from 'node:test'
import crypto from 'node:crypto'
import pg from 'pg'
import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import type { LightMyRequestResponse } from 'fastify'
import { openDatabase, type Database } from '../db/client.js'
import type { DB } from '../db/schema.js'
import { migrate } from '../db/migrate.js'
import { bootstrap } from '../bootstrap.js'
import { buildApp, type App } from '../app.js'
import { createPii, type KeyRing, type Pii } from '../security/pii.js'
import { openKeyRing } from '../security/keys.js'
import { hashPassword } from '../modules/auth/auth.service.js'
import { runInScope } from '../http/scope.js'
import { accountActor, type Actor, type Ctx } from '../http/context.js'
import { accountByUsername } from '../modules/imports/imports.repository.js'
import * as orgs from '../modules/orgs/orgs.service.js'
import * as enterprises from '../modules/enterprises/enterprises.service.js'
import { makeCreditCode, makeOrganizationCode } from '../../../common/credit-code.js'
import { makeResidentId } from '../../../common/id-card.js'
import * as members from '../modules/members/members.service.js'
import * as importsProgress from '../modules/imports/progress.js'

export const PASSWORD = 'Test-Pass-2026!'

let logStream: fs.WriteStream | undefined
/**
 * With GONGHUI_TEST_LOG_DIR (set by `npm test`), every fixture's server logs at level trace into a
 * file of that directory, which scripts/log-scan.mjs then searches for personal data.
 */
function testLog() {
  const dir = process.env.GONGHUI_TEST_LOG_DIR
  if (!dir) return undefined
  logStream ??= fs.createWriteStream(path.join(dir, `${process.pid}.log`), { flags: 'a' })
  return { level: 'trace', stream: logStream }
}
export const testKeyRing = (): KeyRing => ({
  current: 'k1',
  keys: { k1: crypto.randomBytes(32).toString('base64') },
  hashKey: crypto.randomBytes(32).toString('base64'),
})
/** The fixtures' key ring: one per process, as the audit keys are (see useAuditKeys). */
let fixtureRing: KeyRing | null = null

/**
 * A fresh database for one test file: in-memory PGlite, or with DATABASE_URL a new database on
 * that PostgreSQL server, dropped again on close. Migrated, nothing else.
 */
export async function testDatabase(): Promise<Database> {
  const scratch = await scratchDatabase('gh_test')
  if (!scratch) {
    const d = await openDatabase({ url: null, dataDir: null })
    await migrate(d)
    return d
  }
  const d = await openDatabase({ url: scratch.url })
  await migrate(d)
  return {
    ...d,
    close: async () => {
      await d.close()
      await scratch.drop()
    },
  }
}

/**
 * With DATABASE_URL, a new empty database on that server (its name begins with the prefix) and how to
 * drop it again; without, null: the caller uses PGlite.
 */
export async function scratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> } | null> {
  const base = process.env.DATABASE_URL?.trim()
  if (!base) return null
  const name = `${prefix}_${process.pid}_${crypto.randomBytes(4).toString('hex')}`
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: base })
    await c.connect()
    try {
      await c.query(statement)
    } finally {
      await c.end()
    }
  }
  await admin(`create database ${name}`)
  const u = new URL(base)
  u.pathname = `/${name}`
  return { url: u.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) }
}

export type Headers = Record<string, string>

export interface Fixture {
  database: Database
  app: App
  pii: Pii
  /** the key ring the data was sealed with (checked against the database, audit keys loaded) */
  ring: KeyRing
  ids: {
    city: number
    ganlin: number
    chongren: number
    ganlinJoint: number
    ganlinEnterprise: number
    chongrenEnterprise: number
    chongrenBase: number
    ganlinMember: number
    chongrenMember: number
  }
  /** logs in and returns headers for bearer calls */
  login(username: string, password?: string): Promise<Headers>
  /** a GET through the app with these headers */
  get(url: string, headers: Headers): Promise<LightMyRequestResponse>
  /** a write through the app with these headers and a JSON body ({} unless given) */
  send(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, headers: Headers, payload?: object): Promise<LightMyRequestResponse>
  actor(username: string): Promise<Actor>
  as<T>(username: string, fn: (ctx: Ctx) => Promise<T>): Promise<T>
  close(): Promise<void>
}

let serial = 1
export const creditCode = () => makeCreditCode('9', '1', '330683', makeOrganizationCode(900000 + serial++ * 13))
let person = 1
/** A valid 居民身份证 number, different on every call (process-unique sequence). */
export const residentId = (birth = '19850101') => makeResidentId('330683', birth, (person++ % 999) + 1)

/**
 * 嵊州市 with two towns, 甘霖镇 and 崇仁镇, each with a union, a cadre, enterprises and unions of
 * its own, plus the 三员 and a read-only viewer in 甘霖镇. Built through the services, as the demo is.
 */
export async function fixture(): Promise<Fixture> {
  const database = await testDatabase()
  const { db } = database
  const ring = (fixtureRing ??= testKeyRing())
  // as main.ts does: the ring checked against the database (its checks recorded), the audit keys loaded
  await openKeyRing(db, { key: JSON.stringify(ring), keyFile: '' }, { create: false })
  const pii = createPii(ring)
  const boot = await bootstrap(db, { countyCode: '330683', adminPassword: PASSWORD })
  // the first administrator must change its password at first login; the fixture's accounts are
  // in use already (the must-change flow has tests of its own in auth.test.ts)
  await db.updateTable('app_user').set({ must_change_password: false }).where('username', '=', 'admin').execute()
  const hash = await hashPassword(PASSWORD)
  const root = await db.selectFrom('org').selectAll().where('id', '=', boot.rootId).executeTakeFirstOrThrow()
  const city = await db
    .insertInto('app_user')
    .values({ username: 'city', display_name: '市总', password_hash: hash, roles: ['org_admin'], org_id: root.id })
    .returning('id')
    .executeTakeFirstOrThrow()
  const cityActor: Actor = {
    id: city.id,
    username: 'city',
    displayName: '市总',
    roles: ['org_admin'],
    orgId: root.id,
    orgName: root.name,
    scopePath: root.path,
    csrfToken: '',
    viaCookie: false,
  }

  const ids = await runInScope(db, pii, cityActor, '127.0.0.1', async (ctx) => {
    const ganlin = await orgs.create(ctx, {
      parentId: root.id,
      name: '甘霖镇总工会',
      orgType: '9',
      orgForm: 'federation',
      regionCode: '330683100',
      foundedOn: '2005-01-01',
      chairPhone: '13905751234',
    })
    const chongren = await orgs.create(ctx, {
      parentId: root.id,
      name: '崇仁镇总工会',
      orgType: '9',
      orgForm: 'federation',
      regionCode: '330683102',
      foundedOn: '2005-01-01',
      chairPhone: '13905755678',
    })
    const ge = await enterprises.create(ctx, {
      creditCode: creditCode(),
      name: '甘霖小微五金厂',
      regionCode: '330683100',
      nature: 'private',
      employees: 12,
      foundedOn: '2020-01-01',
    })
    const ce = await enterprises.create(ctx, {
      creditCode: creditCode(),
      name: '崇仁纺织有限公司',
      regionCode: '330683102',
      nature: 'private',
      employees: 150,
      foundedOn: '2015-01-01',
    })
    const cs = await enterprises.create(ctx, {
      creditCode: creditCode(),
      name: '崇仁小店',
      regionCode: '330683102',
      nature: 'individual',
      employees: 5,
      foundedOn: '2010-01-01',
    })
    const joint = await orgs.create(ctx, {
      parentId: ganlin.id,
      name: '甘霖镇联合工会',
      orgType: '2',
      orgForm: 'joint_committee',
      regionCode: '330683100',
      jointScope: 'regional',
      jointCategory: 'village_community',
      enterpriseIds: [ge.id],
      foundedOn: '2018-01-01',
    })
    const base = await orgs.create(ctx, {
      parentId: chongren.id,
      name: '崇仁纺织工会委员会',
      orgType: '1',
      orgForm: 'committee',
      regionCode: '330683102',
      enterpriseId: ce.id,
      chairPhone: '13800001111',
    })
    await orgs.create(ctx, {
      parentId: chongren.id,
      name: '崇仁镇联合工会',
      orgType: '2',
      orgForm: 'joint_committee',
      regionCode: '330683102',
      jointScope: 'regional',
      jointCategory: 'other',
      enterpriseIds: [cs.id],
    })
    const gm = await members.create(ctx, {
      name: '甘霖会员',
      documentType: 'resident_id',
      documentNumber: residentId(),
      phone: '13905750001',
      unionId: joint.id,
      enterpriseId: ge.id,
      joinedOn: '2019-03-01',
    })
    const cm = await members.create(ctx, {
      name: '崇仁会员',
      documentType: 'resident_id',
      documentNumber: residentId(),
      phone: '13905750002',
      unionId: base.id,
      enterpriseId: ce.id,
      joinedOn: '2018-05-01',
    })
    return {
      city: root.id,
      ganlin: ganlin.id,
      chongren: chongren.id,
      ganlinJoint: joint.id,
      ganlinEnterprise: ge.id,
      chongrenEnterprise: ce.id,
      chongrenBase: base.id,
      ganlinMember: gm.id,
      chongrenMember: cm.id,
    }
  })

  await db
    .insertInto('app_user')
    .values([
      { username: 'ganlin', display_name: '甘霖镇总工会', password_hash: hash, roles: ['org_admin'], org_id: ids.ganlin },
      { username: 'chongren', display_name: '崇仁镇总工会', password_hash: hash, roles: ['org_admin'], org_id: ids.chongren },
      { username: 'viewer', display_name: '甘霖查看员', password_hash: hash, roles: ['org_viewer'], org_id: ids.ganlin },
      { username: 'secadmin', display_name: '安全管理员', password_hash: hash, roles: ['secadmin'], org_id: null },
      { username: 'auditor', display_name: '审计管理员', password_hash: hash, roles: ['auditadmin'], org_id: null },
    ])
    .execute()

  const app = await buildApp({ db, pii, sessionIdleMinutes: 30, webDir: null, logger: testLog(), checkAnswers: true })
  const actor = async (username: string): Promise<Actor> => {
    const u = await accountByUsername(db, username)
    if (!u) throw new Error(`no account ${username}`)
    return accountActor(u)
  }

  return {
    database,
    app,
    pii,
    ring,
    ids,
    actor,
    async login(username, password = PASSWORD) {
      const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })
      if (r.statusCode !== 200) throw new Error(`login ${username}: ${r.statusCode} ${r.body}`)
      return { authorization: `Bearer ${r.json().token}` }
    },
    get: (url, headers) => app.inject({ method: 'GET', url, headers }),
    send: (method, url, headers, payload = {}) => app.inject({ method, url, headers, payload }),
    async as(username, fn) {
      return runInScope(db, pii, await actor(username), '127.0.0.1', fn)
    },
    async close() {
      await app.close()
      await database.close()
    },
  }
}

type AuditKey = 'target_id' | 'target_name' | 'target_type' | 'ip' | 'actor_name'
/** The audit entries of an action, oldest first, narrowed by the columns given (`{ target_id: String(id) }`). */
export function auditEntries(f: Fixture, action: string, where: Partial<Record<AuditKey, string>> = {}) {
  let q = f.database.db.selectFrom('audit_log').selectAll().where('action', '=', action)
  for (const [column, value] of Object.entries(where)) q = q.where(column as AuditKey, '=', value)
  return q.orderBy('id').execute()
}
/** The one audit entry of an action on a target (the first, if there are more); throws when there is none. */
export async function auditEntry(f: Fixture, action: string, where: Partial<Record<AuditKey, string>> = {}) {
  const [first] = await auditEntries(f, action, where)
  if (!first) throw new Error(`no audit entry ${action} ${JSON.stringify(where)}`)
  return first
}

/** The messages of one kind to a union's cadres (its mailbox), oldest first, read as the owner. */
export function unionMessages(f: Fixture, orgId: number, kind: string) {
  return f.database.db.selectFrom('message').selectAll().where('org_id', '=', orgId).where('kind', '=', kind).orderBy('id').execute()
}

/** A time that many hours from now (negative: ago), as ISO text. */
export const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3600_000).toISOString()
/**
 * An activity to create with sign-up open now: it starts in two days, sign-up and cancellation close
 * in one; `over` gives the title and sets any other field.
 */
export const openActivity = (over: { title: string } & Record<string, unknown>) => ({
  place: '职工之家',
  startsAt: hoursFromNow(48),
  endsAt: hoursFromNow(50),
  capacity: 10,
  signupOpens: hoursFromNow(-1),
  signupCloses: hoursFromNow(24),
  cancelDeadline: hoursFromNow(24),
  audience: 'subtree',
  origin: 'plan',
  ...over,
})

/**
 * A planned joint union (附件2 拟建联合工会) to enter for a union: a 联合工会委员会 of category 'other'
 * with every figure 0; `over` sets any field.
 */
export const plannedUnion = (orgId: number, name: string, over: Record<string, unknown> = {}) => ({
  orgId,
  name,
  category: 'other',
  jointForm: 'joint_committee',
  members: 0,
  employees: 0,
  enterprises: 0,
  workers: 0,
  ...over,
})

/** The cadres' bearer headers, signed in together, and their today (the users' day, not UTC's). */
export interface Cadres {
  city: Headers
  ganlin: Headers
  chongren: Headers
  viewer: Headers
  today: string
}
export async function cadres(f: Fixture): Promise<Cadres> {
  const [city, ganlin, chongren, viewer] = await Promise.all([f.login('city'), f.login('ganlin'), f.login('chongren'), f.login('viewer')])
  return { city, ganlin, chongren, viewer, today: await f.as('city', async (ctx) => ctx.today) }
}

let codeAddress = 0
const nextAddress = () => `192.0.2.${(codeAddress++ % 250) + 1}`
/**
 * Asks the joining page for a one-time code to a mobile number and reads it where an operator
 * would: the SMS outbox (no gateway in tests). Each request comes from its own address, and the
 * codes are aged by two minutes before and after, so that the throttles (tested in their own
 * tests) pass without waiting.
 */
export async function joiningCode(f: Fixture, phone: string, remoteAddress = nextAddress()): Promise<string> {
  return codeFromOutbox(f, '/api/public/codes', { purpose: 'joining', phone }, remoteAddress)
}

/**
 * Asks `url` for a code and reads it from the SMS outbox, codes aged around the request; the
 * phone's used codes are aged by an hour first, so a test may sign one phone in many times.
 */
async function codeFromOutbox(f: Fixture, url: string, payload: Record<string, unknown>, remoteAddress: string): Promise<string> {
  const db = f.database.db
  const age = () =>
    db
      .updateTable('one_time_code')
      .set({ created_at: sql`created_at - interval '2 minutes'` })
      .execute()
  await age()
  if (typeof payload.phone === 'string')
    await db
      .updateTable('one_time_code')
      .set({ created_at: sql`created_at - interval '1 hour'` })
      .where('phone_hash', '=', f.pii.hash(`phone:${payload.phone}`))
      .where('used_at', 'is not', null)
      .execute()
  const last = await db
    .selectFrom('sms_outbox')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst()
  const r = await f.app.inject({ method: 'POST', url, payload, remoteAddress })
  if (r.statusCode !== 200) throw new Error(`code: ${r.statusCode} ${r.body}`)
  const sent = await db
    .selectFrom('sms_outbox')
    .select('body_enc')
    .where('id', '>', Number(last?.id ?? 0))
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow()
  await age()
  return /\d{6}/.exec(f.pii.decrypt(sent.body_enc))![0]!
}

/**
 * Applies on the public joining page as a worker does: a code to the phone first (unless the
 * payload has one; none when the page refuses to send one, e.g. to a malformed number).
 */
export async function applyPublic(f: Fixture, payload: Record<string, unknown>, remoteAddress?: string) {
  const smsCode = 'smsCode' in payload ? payload.smsCode : await joiningCode(f, String(payload.phone)).catch(() => undefined)
  return f.app.inject({
    method: 'POST',
    url: '/api/public/applications',
    payload: { ...payload, smsCode },
    ...(remoteAddress ? { remoteAddress } : {}),
  })
}

/** An ID number or a mobile number in clear: what an answer must not carry. */
export const PERSONAL = /(?<![\dA-Za-z])(\d{17}[\dXx]|1[3-9]\d{9})(?![\dA-Za-z])/
let applicantSerial = 1000
let applicantAddress = 1
/** The calls of online joining (网上入会) as its tests make them. */
export const joining = {
  /**
   * An application by 张三, a new applicant each call: a fresh mobile number (the prefix, then a
   * serial) and, unless given, an address of their own so that the rate limits stay out of the way.
   */
  apply: (f: Fixture, phonePrefix: string, over: Record<string, unknown>, ip = `198.51.100.${applicantAddress++ % 250}`) =>
    applyPublic(
      f,
      {
        name: '张三',
        documentType: 'resident_id',
        documentNumber: residentId('19900101'),
        phone: `${phonePrefix}${String(applicantSerial++).padStart(4, '0')}`,
        workplace: '某单位',
        consentPrivacy: true,
        consentSensitive: true,
        ...over,
      },
      ip,
    ),
  /** A cadre's decision on an application (approve, reject, ...). */
  decide: (f: Fixture, id: number, body: object, headers: Headers) => f.send('POST', `/api/applications/${id}/decision`, headers, body),
  /** What the applicant sees of their application, by its token. */
  status: (f: Fixture, token: string) => f.app.inject({ method: 'GET', url: `/api/public/applications/status?token=${token}` }),
}

/**
 * Waits for a condition, not for a time: calls `fn` until it returns something truthy and returns
 * that; fails after `timeoutMs` with `what` in the message. The interval only paces the polling.
 */
export async function until<T>(
  fn: () => T | Promise<T>,
  { timeoutMs = 30_000, intervalMs = 10, what = 'the condition' }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v as NonNullable<T>
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}

/** How many rows a table holds, read as the owner (every row, whatever the jurisdiction). */
export async function countRows(f: Fixture, table: keyof DB): Promise<number> {
  const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(f.database.db)
  return Number(r.rows[0]!.n)
}

/** A member's document number in clear, read as the owner (whatever the jurisdiction). */
export async function memberDocument(f: Fixture, memberId: number): Promise<string> {
  const m = await f.database.db.selectFrom('member').select('document_enc').where('id', '=', memberId).executeTakeFirstOrThrow()
  return f.pii.decrypt(m.document_enc)
}

/** A roster as a CSV file, as spreadsheets write it (CRLF). */
export const csv = (rows: string[][]) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n'

/** A cadre uploads a roster (the body is the file) to a union's import. */
export const uploadRoster = (app: App, headers: Record<string, string>, union: number, fileName: string, data: Buffer | string) =>
  app.inject({
    method: 'POST',
    url: `/api/imports?union=${union}&fileName=${encodeURIComponent(fileName)}`,
    payload: typeof data === 'string' ? Buffer.from(data) : data,
    headers: { ...headers, 'content-type': 'application/octet-stream' },
  })

/**
 * The setting of a describe block of import tests, to call in it: a data directory of its own
 * (DATA_DIR, where uploads wait; set now, before any app is built), the fixture built before the
 * block's tests (`ready` receives it: the block keeps it and signs in whom it needs) and closed
 * after them, the directory removed then. Returns the directory.
 */
export function importFixture(prefix: string, ready: (f: Fixture) => Promise<void>): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  process.env.DATA_DIR = dataDir
  let f: Fixture | undefined
  before(async () => {
    f = await fixture()
    await ready(f)
  })
  after(async () => {
    await f?.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })
  return dataDir
}

/** An import job, as the cadre reads it. */
export const importJob = async (f: Fixture, headers: Record<string, string>, id: number) =>
  (await f.app.inject({ method: 'GET', url: `/api/imports/${id}`, headers })).json()

/**
 * Waits until an import job's background work (started after its request answered) has finished:
 * its row leaves 'checking' / 'importing', then the work's promise (the file's removal after it) settles.
 */
export async function importSettled(f: Fixture, jobId: number): Promise<void> {
  await until(
    async () => {
      const j = await f.database.db.selectFrom('import_job').select('status').where('id', '=', jobId).executeTakeFirstOrThrow()
      return j.status !== 'checking' && j.status !== 'importing'
    },
    { what: `import job ${jobId} to finish` },
  )
  await importsProgress.settled(jobId)
}

/**
 * Signs a worker in on the phone (会员端) as they do: a code to the phone, read from the SMS
 * outbox, then the sign-in. Returns bearer headers of the phone session ('m.…'), plus the CSRF
 * token for cookie calls. Codes are aged like joiningCode's, so the throttles pass.
 */
export async function signInMember(f: Fixture, phone: string, remoteAddress = nextAddress()) {
  const smsCode = await codeFromOutbox(f, '/api/public/sign-in/code', { phone }, remoteAddress)
  const s = await f.app.inject({ method: 'POST', url: '/api/public/sign-in', payload: { phone, smsCode }, remoteAddress })
  if (s.statusCode !== 200) throw new Error(`sign-in: ${s.statusCode} ${s.body}`)
  return { authorization: `Bearer ${s.json().token}` } as Record<string, string>
}

/** The fixture's two members signed in on the phone: 甘霖镇's (13905750001) and 崇仁镇's (13905750002). */
export async function phoneMembers(f: Fixture): Promise<{ ganlin: Headers; chongren: Headers }> {
  return { ganlin: await signInMember(f, '13905750001'), chongren: await signInMember(f, '13905750002') }
}

/** A template workbook as the cadre downloads it: its fill-in sheet and that sheet's headers. */
export async function templateSheet(f: Fixture, headers: Record<string, string>, url: string, sheet: string) {
  const r = await f.app.inject({ method: 'GET', url, headers })
  if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body}`)
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer)
  const ws = wb.getWorksheet(sheet)
  if (!ws) throw new Error(`${url}: no sheet ${sheet}`)
  return { wb, ws, headers: (ws.getRow(1).values as string[]).slice(1) }
}
