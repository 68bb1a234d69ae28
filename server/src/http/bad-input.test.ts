import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { fixture, residentId, signInMember, type Fixture } from '../test/harness.js'
import { loginBody, orgCreateBody, enterpriseCreateBody, zAsOf } from '../../../common/api.js'
import { memberCreateBody, memberStatusBody } from '../../../common/api-members.js'
import { planCreateBody } from '../../../common/plans.js'
import { fieldLabel } from '../../../common/labels.js'
import { forbiddenAt } from './input.js'

/**
 * Walks every route of the OpenAPI document with hostile input — NUL, lone surrogates, strings of
 * 300,000 and 2,000,000 characters, page=9007199254740991, wrong types, objects where a string is
 * expected, absurd dates — in the body, the query and the path, as a caller the route admits
 * (anonymously for public routes). Every one must be refused with a 4xx whose message is Chinese
 * and names the field, and nothing may be written.
 */

interface JsonSchema {
  type?: string | string[]
  enum?: unknown[]
  const?: unknown
  pattern?: string
  maxLength?: number
  maximum?: number
  minimum?: number
  exclusiveMinimum?: number
  format?: string
  items?: JsonSchema
  properties?: Record<string, JsonSchema>
  additionalProperties?: JsonSchema | boolean
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  $ref?: string
}
interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie'
  name: string
  required?: boolean
  schema: JsonSchema
}
interface Operation {
  parameters?: Parameter[]
  requestBody?: { content: Record<string, { schema: JsonSchema }> }
}
type Where = 'body' | 'query' | 'path'
interface Case {
  route: string
  where: Where
  field: string
  kind: string
  value: unknown
  /** the refusal must name this field (else a 413 for a body over the limit) */
  named: boolean
}

const NUL = 'a\u0000b'
const SURROGATE = 'a\ud800b'
const LONG = 'x'.repeat(300_000)
const HUGE = 'x'.repeat(2_000_000)
const BIG = 9007199254740991

/** the types a schema admits (anyOf flattened); 'null' when nullable */
function typesOf(s: JsonSchema): Set<string> {
  const out = new Set<string>()
  const walk = (x: JsonSchema) => {
    if (x.anyOf) x.anyOf.forEach(walk)
    if (x.oneOf) x.oneOf.forEach(walk)
    if (x.allOf) x.allOf.forEach(walk)
    if (x.type) [x.type].flat().forEach((t) => out.add(t))
    if (x.enum) x.enum.forEach((v) => out.add(v === null ? 'null' : typeof v))
    if (x.const !== undefined) out.add(x.const === null ? 'null' : typeof x.const)
  }
  walk(s)
  return out
}
const isDate = (s: JsonSchema): boolean =>
  !!(s.pattern && s.pattern.includes('\\d{4}-\\d{2}-\\d{2}')) || !!(s.anyOf ?? s.oneOf ?? []).some(isDate)

/** the hostile values for one field, given what its schema admits */
function hostile(s: JsonSchema, where: Where): { kind: string; value: unknown; named?: boolean }[] {
  const t = typesOf(s)
  const out: { kind: string; value: unknown; named?: boolean }[] = [
    { kind: 'NUL', value: NUL },
    { kind: 'lone surrogate', value: SURROGATE },
    { kind: '300,000 characters', value: LONG },
    { kind: '2,000,000 characters', value: HUGE },
  ]
  const numeric = t.has('integer') || t.has('number')
  if (numeric || where === 'path') out.push({ kind: 'huge number', value: where === 'body' ? BIG : String(BIG) })
  if (numeric) out.push({ kind: 'negative huge number', value: where === 'body' ? -BIG : String(-BIG) })
  if (numeric || t.has('boolean')) out.push({ kind: 'word for number', value: 'abc' })
  if (where === 'body') {
    if (!t.has('object')) out.push({ kind: 'object', value: { a: 1 } })
    if (!t.has('array')) out.push({ kind: 'array', value: ['a', 'b'] })
    if (t.has('string') && !numeric) out.push({ kind: 'number for string', value: 12345 })
    if (t.has('array')) out.push({ kind: 'string for array', value: 'abc' })
  } else if (where === 'query') {
    out.push({ kind: 'repeated parameter', value: ['1', '2'] })
  }
  if (isDate(s)) {
    out.push({ kind: 'date 0001-01-01', value: '0001-01-01' })
    out.push({ kind: 'date 9999-12-31', value: '9999-12-31' })
    out.push({ kind: 'date 1000-02-03', value: '1000-02-03' })
  }
  return out
}

/** a value the path parameter accepts, so that the other parts are examined */
function goodPath(name: string, s: JsonSchema): string {
  if (s.enum?.length) return String(s.enum[0])
  if (name === 'regionCode') return '330683102'
  if (name === 'form') return 'form1'
  return '1'
}

/** the body's schema, $refs resolved one level (the Zod transform inlines them) */
function bodySchema(op: Operation): JsonSchema | null {
  const c = op.requestBody?.content?.['application/json']
  return c ? c.schema : null
}

/** strings without a maximum length, numbers without bounds, fields without a Chinese label */
function unbounded(s: JsonSchema, where: string, name: string): string[] {
  const out: string[] = []
  if (name && !/^\d+$/.test(name) && !CJK.test(fieldLabel(name))) out.push(`${where}: no Chinese label for ${name}`)
  for (const x of [...(s.anyOf ?? []), ...(s.oneOf ?? []), ...(s.allOf ?? [])]) out.push(...unbounded(x, where, ''))
  const types = [s.type ?? []].flat()
  if (types.includes('string') && s.maxLength === undefined && !s.enum && s.const === undefined)
    out.push(`${where}: string without maxLength`)
  // PostgreSQL's integer ends at 2^31 - 1: a larger number must be refused by the schema, not by the database
  if ((types.includes('integer') || types.includes('number')) && !s.enum && !(s.maximum !== undefined && s.maximum <= 2_147_483_647))
    out.push(`${where}: number without a maximum within PostgreSQL's integer`)
  if ((types.includes('integer') || types.includes('number')) && !s.enum && s.minimum === undefined && s.exclusiveMinimum === undefined)
    out.push(`${where}: number without a minimum`)
  if (types.includes('array') && (s as { maxItems?: number }).maxItems === undefined) out.push(`${where}: array without maxItems`)
  if (s.items) out.push(...unbounded(s.items, `${where}[]`, ''))
  for (const [k, v] of Object.entries(s.properties ?? {})) out.push(...unbounded(v, `${where}.${k}`, k))
  if (s.additionalProperties && typeof s.additionalProperties === 'object') out.push(...unbounded(s.additionalProperties, `${where}.*`, ''))
  return out
}

const CJK = /[\u3400-\u9fff]/
const ENGLISH =
  /\b(invalid|expected|received|required|input|string|number|integer|undefined|object|array|boolean|nan|null|too (big|small)|must|should)\b/i

/** why an answer is not acceptable, or null */
function fault(c: Case, status: number, body: { error?: { message?: string; fields?: Record<string, string> } }): string | null {
  if (status >= 500) return `${status}`
  if (status < 400) return `accepted (${status})`
  const e = body.error
  if (!e || typeof e.message !== 'string') return 'no error message'
  const texts = [e.message, ...Object.values(e.fields ?? {})]
  for (const t of texts) {
    if (!CJK.test(t)) return `not Chinese: ${t.slice(0, 80)}`
    if (ENGLISH.test(t)) return `English: ${t.slice(0, 80)}`
  }
  if (status === 413 && !c.named) return null
  if (status === 429) return 'rate limited'
  const key = c.field
  if (!e.fields || !(key in e.fields)) return `field not named: ${JSON.stringify(e.fields).slice(0, 100)} ${e.message.slice(0, 60)}`
  const label = fieldLabel(key)
  if (!CJK.test(label)) return `no Chinese label for ${key}`
  if (!e.message.includes(label) && !Object.keys(e.fields).some((k) => e.message!.includes(fieldLabel(k))))
    return `message does not name the field: ${e.message.slice(0, 80)}`
  return null
}

describe('bad input on every route', () => {
  let f: Fixture
  let doc: { paths: Record<string, Record<string, Operation>> }
  const headers: Record<string, Record<string, string>> = {}

  before(async () => {
    f = await fixture()
    for (const u of ['city', 'admin', 'secadmin', 'auditor']) headers[u] = await f.login(u)
    headers.member = await signInMember(f, '13905750001')
    doc = (await f.app.inject({ method: 'GET', url: '/api/openapi.json' })).json()
  })
  after(async () => f?.close())

  /** who may call the route: a cadre, else the first account with a role the route admits; null: anonymous */
  function callerOf(method: string, url: string): Record<string, string> | undefined {
    const r = f.app.routeTable.find((x) => x.method === method && x.url === url)
    assert.ok(r, `${method} ${url} is in the route table`)
    if (r.access === 'public') return undefined
    if (r.access === 'member' || r.access === 'phone') return headers.member
    if (r.access === 'authenticated' || r.access === 'business') return headers.city
    const roles = r.access as string[] | undefined
    if (!roles) return headers.city
    const byRole: [string, string][] = [
      ['org_admin', 'city'],
      ['sysadmin', 'admin'],
      ['secadmin', 'secadmin'],
      ['auditadmin', 'auditor'],
    ]
    const hit = byRole.find(([role]) => roles.includes(role))
    assert.ok(hit, `${method} ${url}: a fixture account may call it`)
    return headers[hit[1]]
  }

  /** every table's rows, so that a refused request provably wrote nothing (sessions, the cadres' and the phones', excepted: reading touches them) */
  async function snapshot(): Promise<Record<string, string>> {
    const { rows } = await sql<{ table_name: string }>`
      select table_name from information_schema.tables
       where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not in ('app_session', 'member_session', 'schema_migrations')
       order by table_name`.execute(f.database.db)
    const out: Record<string, string> = {}
    for (const { table_name } of rows) {
      const r = await sql<{ n: number; h: string }>`
        select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from ${sql.table(table_name)} t`.execute(
        f.database.db,
      )
      out[table_name] = `${r.rows[0].n}:${r.rows[0].h}`
    }
    return out
  }

  function cases(): { method: string; url: string; path: string; op: Operation; cases: Case[] }[] {
    const out = []
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const method = m.toUpperCase()
        const url = p.replace(/\{(\w+)\}/g, ':$1')
        const route = `${method} ${url}`
        const list: Case[] = []
        for (const prm of op.parameters ?? []) {
          if (prm.in !== 'path' && prm.in !== 'query') continue
          for (const h of hostile(prm.schema, prm.in))
            list.push({ route, where: prm.in, field: prm.name, kind: h.kind, value: h.value, named: true })
        }
        const body = bodySchema(op)
        for (const [name, s] of Object.entries(body?.properties ?? {}))
          for (const h of hostile(s, 'body'))
            list.push({ route, where: 'body', field: name, kind: h.kind, value: h.value, named: h.value !== HUGE })
        out.push({ method, url, path: p, op, cases: list })
      }
    }
    return out
  }

  it('bounds every string and number the API accepts, and names every field in Chinese', () => {
    const loose: string[] = []
    for (const [p, ops] of Object.entries(doc.paths))
      for (const [m, op] of Object.entries(ops)) {
        const where = `${m.toUpperCase()} ${p}`
        for (const prm of op.parameters ?? [])
          if (prm.in === 'path' || prm.in === 'query') loose.push(...unbounded(prm.schema, `${where} ${prm.in}.${prm.name}`, prm.name))
        const body = bodySchema(op)
        if (body) loose.push(...unbounded(body, `${where} body`, ''))
      }
    assert.deepEqual(loose, [])
  })

  it('refuses hostile input on every route with a 4xx in Chinese naming the field, and writes nothing', async () => {
    const routes = cases()
    assert.ok(routes.length >= 90, `the OpenAPI document lists every route (${routes.length})`)
    const before = await snapshot()
    const faults: string[] = []
    const tally = { requests: 0, serverErrors: 0, english: 0, accepted: 0, unnamed: 0 }
    let ip = 0
    for (const r of routes) {
      const caller = callerOf(r.method, r.url)
      const pathParams = (r.op.parameters ?? []).filter((x) => x.in === 'path')
      for (const c of r.cases) {
        let url = r.path
        for (const prm of pathParams) {
          const v = c.where === 'path' && c.field === prm.name ? c.value : goodPath(prm.name, prm.schema)
          url = url.replace(`{${prm.name}}`, encodePath(String(v)))
        }
        const qs = c.where === 'query' ? encodeQuery(c.field, c.value) : ''
        const hasBody = !!bodySchema(r.op)
        const payload = hasBody ? JSON.stringify(c.where === 'body' ? { [c.field]: c.value } : {}) : undefined
        // a fresh address each time: the public joining form limits submissions per address
        ip++
        const res = await f.app.inject({
          method: r.method as 'GET',
          url: url + qs,
          headers: { ...(caller ?? {}), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
          payload,
          remoteAddress: `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`,
        })
        tally.requests++
        let parsed: { error?: { message?: string; fields?: Record<string, string> } } = {}
        try {
          parsed = res.json()
        } catch {
          parsed = {}
        }
        const why = fault(c, res.statusCode, parsed)
        if (!why) continue
        if (res.statusCode >= 500) tally.serverErrors++
        else if (res.statusCode < 400) tally.accepted++
        else if (why.startsWith('English') || why.startsWith('not Chinese')) tally.english++
        else tally.unnamed++
        faults.push(`${c.route} ${c.where}.${c.field} ${c.kind}: ${why}`)
      }
    }
    const after = await snapshot()
    const changed = Object.keys(before).filter((t) => before[t] !== after[t])
    console.log('bad input tally', JSON.stringify({ ...tally, tablesWritten: changed }))
    if (process.env.BAD_INPUT_REPORT) (await import('node:fs')).writeFileSync(process.env.BAD_INPUT_REPORT, faults.join('\n'))
    assert.deepEqual(faults.slice(0, 400), [], `${faults.length} faults`)
    assert.deepEqual(changed, [], 'refused requests wrote nothing')
  })
  it('refuses a 2,000,000-character login name naming the field, and keeps the audit log free of it', async () => {
    const count = async () =>
      await f.database.db
        .selectFrom('audit_log')
        .select((e) => [e.fn.countAll<number>().as('n'), e.fn.max(sql<number>`length(coalesce(actor_name, ''))`).as('longest')])
        .executeTakeFirstOrThrow()
    const before = await count()
    const res = await f.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: HUGE, password: 'x' } })
    assert.equal(res.statusCode, 400)
    assert.match(res.json().error.message, /^用户名/)
    assert.ok(res.json().error.fields.username)
    assert.deepEqual(await count(), before, 'nothing audited')
    // the longest name a failed login can put into the log is the schema's bound
    const name = 'a'.repeat(64)
    const failed = await f.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: name, password: 'x' } })
    assert.equal(failed.statusCode, 401)
    assert.equal(Number((await count()).n), Number(before.n) + 1)
    const tooLong = await f.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: name + 'a', password: 'x' } })
    assert.equal(tooLong.statusCode, 400)
    assert.equal(Number((await count()).n), Number(before.n) + 1)
  })

  it('answers a JSON body over the limit with 413 in Chinese', async () => {
    const res = await f.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'x'.repeat(5 * 1024 * 1024), password: 'x' }),
    })
    assert.equal(res.statusCode, 413)
    assert.match(res.json().error.message, /[\u4e00-\u9fff]/)
  })

  it('refuses a body nested 20,000 deep with a NUL at the bottom, naming the field', async () => {
    // a 40 KB body: the check that copied the path per level held the server 29 s with it (2026-12-04)
    const payload = `{"username":${'['.repeat(20_000)}"x\\u0000"${']'.repeat(20_000)},"password":"x"}`
    const res = await f.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload })
    assert.equal(res.statusCode, 400)
    assert.match(res.json().error.message, /用户名.*不允许的字符/)
  })

  it('keeps dates within plausible bounds: no joining before 1925-05-01 or in the future, plans within 2000–2100', async () => {
    const iso = (d: Date) => d.toISOString().slice(0, 10)
    const future = iso(new Date(Date.now() + 3 * 86_400_000))
    const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
      Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]))
    const member = { name: '张三', documentNumber: residentId(), unionId: 1 }
    assert.equal(memberCreateBody.safeParse({ ...member, joinedOn: '1925-05-01', birthDate: '1900-01-01' }).success, true)
    assert.deepEqual(issues(memberCreateBody.safeParse({ ...member, joinedOn: '1925-04-30' })), { joinedOn: '不能早于1925-05-01' })
    assert.deepEqual(issues(memberCreateBody.safeParse({ ...member, joinedOn: future })), { joinedOn: '不能晚于今天' })
    assert.deepEqual(issues(memberCreateBody.safeParse({ ...member, birthDate: future })), { birthDate: '不能晚于今天' })
    assert.deepEqual(issues(memberCreateBody.safeParse({ ...member, birthDate: '1899-12-31' })), { birthDate: '不能早于1900-01-01' })
    assert.deepEqual(issues(memberStatusBody.safeParse({ event: '3', occurredOn: '0001-01-01' })), { occurredOn: '不能早于1925-05-01' })
    const org = { parentId: 1, name: '某工会', orgType: '1', orgForm: 'committee', regionCode: '330683100' }
    assert.deepEqual(issues(orgCreateBody.safeParse({ ...org, foundedOn: future })), { foundedOn: '不能晚于今天' })
    assert.deepEqual(issues(orgCreateBody.safeParse({ ...org, electedOn: '1800-01-01' })), { electedOn: '不能早于1925-05-01' })
    const ent = { creditCode: '91330683MA2BXXXX', name: '某厂', regionCode: '330683100', nature: 'private', employees: 1 }
    assert.equal(issues(enterpriseCreateBody.safeParse({ ...ent, foundedOn: future })).foundedOn, '不能晚于今天')
    const plan = { orgId: 1, name: '计划', targets: [], milestones: [] }
    assert.deepEqual(issues(planCreateBody.safeParse({ ...plan, startOn: '2026-01-01', endOn: '2030-12-31' })), {})
    assert.deepEqual(issues(planCreateBody.safeParse({ ...plan, startOn: '0001-01-01', endOn: '9999-12-31' })), {
      startOn: '不能早于2000-01-01',
      endOn: '不能晚于2100-12-31',
    })
    assert.equal(zAsOf.safeParse(future).success, false)
    // and the server says so, naming the field, writing nothing
    const before = await snapshot()
    const res = await f.send('POST', '/api/members', headers.city, {
      ...member,
      unionId: f.ids.ganlinJoint,
      documentType: 'resident_id',
      birthDate: future,
    })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().error.message, '出生日期：不能晚于今天')
    assert.deepEqual(await snapshot(), before)
  })

  it('speaks Chinese in the shared schemas, for the web forms too', () => {
    const r = loginBody.safeParse({ username: 5 })
    assert.equal(r.success, false)
    for (const i of r.error!.issues) assert.match(i.message, /^[\u4e00-\u9fff]/, i.message)
    assert.deepEqual(
      r.error!.issues.map((i) => [i.path.join('.'), i.message]),
      [
        ['username', '应为文字'],
        ['password', '不能为空'],
      ],
    )
  })
})

describe('the forbidden-character check', () => {
  // 100,000 deep: when the check copied the path per level (quadratic) this took 858 s in a loaded
  // run; walked once, about a second
  it('finds NUL, control characters and lone surrogates at any depth or in a key, and lets real text pass', () => {
    assert.equal(forbiddenAt({ name: '张三\t第一行\r\n第二行 😀 𠀀', n: 5, list: ['甲', null, true] }), null)
    assert.deepEqual(forbiddenAt({ a: [{ b: 'x\u0000' }] }), ['a', '0', 'b'])
    assert.deepEqual(forbiddenAt({ a: 'ok', b: 'x\u0007' }), ['b'])
    assert.deepEqual(forbiddenAt({ note: '\ud83d' }), ['note'])
    assert.deepEqual(forbiddenAt({ note: 'a\ude00b' }), ['note'])
    assert.deepEqual(forbiddenAt({ a: { 'k\u0000': 1 } }), ['a'])
    let deep: unknown = 'x\u0000'
    for (let i = 0; i < 100_000; i++) deep = [deep]
    assert.equal(forbiddenAt(deep)?.length, 100_000)
  })
})

/** a path segment as a client would send it; a lone surrogate as its WTF-8 bytes (encodeURIComponent refuses it) */
function encodePath(v: string): string {
  return v
    .split(/([\ud800-\udfff])/)
    .map((part) => {
      if (part.length !== 1 || part.charCodeAt(0) < 0xd800 || part.charCodeAt(0) > 0xdfff) return encodeURIComponent(part)
      const code = part.charCodeAt(0)
      return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 63), 0x80 | (code & 63)].map((b) => '%' + b.toString(16).toUpperCase()).join('')
    })
    .join('')
}
function encodeQuery(name: string, v: unknown): string {
  const values = Array.isArray(v) ? v : [v]
  return '?' + values.map((x) => `${encodeURIComponent(name)}=${encodePath(String(x))}`).join('&')
}
