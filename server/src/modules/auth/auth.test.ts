import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import argon2 from 'argon2'
import { sql } from 'kysely'
import { fixture, creditCode, PASSWORD, type Fixture } from '../../test/harness.js'
import { ADDRESS_FAILURES, authService, dummyHash, hashPassword, hashToken, STRANGER_ATTEMPTS, verifyPassword } from './auth.service.js'
import { authRepository } from './auth.repository.js'
import { SESSION_COOKIE } from '../../http/scope.js'

describe('authentication', () => {
  let f: Fixture
  before(async () => {
    f = await fixture()
  })
  after(() => f.close())

  const login = (username: string, password: string, remoteAddress = '127.0.0.1') =>
    f.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress })

  /** logs in and returns the session token as set in the cookie, and the CSRF token */
  async function cookieLogin(username: string) {
    const r = await login(username, PASSWORD)
    assert.equal(r.statusCode, 200)
    const c = r.cookies.find((x) => x.name === SESSION_COOKIE)
    assert.ok(c, 'session cookie set')
    return { cookie: c.value, csrf: r.json().csrfToken as string, token: r.json().token as string }
  }

  const enterprise = () => ({
    creditCode: creditCode(),
    name: `测试单位${Math.random().toString(36).slice(2, 8)}`,
    regionCode: '330683100',
    nature: 'private',
    employees: 3,
  })

  it('returns a token and sets an httpOnly, SameSite session cookie', async () => {
    const r = await login('ganlin', PASSWORD)
    assert.equal(r.statusCode, 200)
    const body = r.json()
    assert.match(body.token, /^[\w-]{40,}$/)
    assert.match(body.csrfToken, /^[\w-]{40,}$/)
    assert.equal(body.user.username, 'ganlin')
    assert.deepEqual(body.user.roles, ['org_admin'])
    const raw = String(r.headers['set-cookie'])
    assert.match(raw, new RegExp(`${SESSION_COOKIE}=${body.token}`))
    assert.match(raw, /HttpOnly/i)
    assert.match(raw, /SameSite=Strict/i)
    assert.match(raw, /Path=\/api/)
    // the token works as a bearer token
    const me = await f.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${body.token}` } })
    assert.equal(me.statusCode, 200)
    assert.equal(me.json().user.username, 'ganlin')
    // only a hash of the token is stored
    const s = await f.database.db.selectFrom('app_session').selectAll().where('token_hash', '=', hashToken(body.token)).executeTakeFirst()
    assert.ok(s)
    const all = await f.database.db.selectFrom('app_session').select('token_hash').execute()
    assert.ok(all.every((x) => x.token_hash !== body.token))
  })

  it('refuses a wrong password with 401 and a Chinese message, and an unknown user with the same answer', async () => {
    const wrong = await login('chongren', 'Wrong-Pass-2026!')
    assert.equal(wrong.statusCode, 401)
    assert.equal(wrong.json().error.message, '用户名或密码错误')
    const unknown = await login('nobody-here', 'Wrong-Pass-2026!')
    assert.equal(unknown.statusCode, 401)
    assert.deepEqual(unknown.json(), wrong.json())
    // an account that was switched off answers the same
    await f.database.db
      .insertInto('app_user')
      .values({
        username: 'retired',
        display_name: '已停用',
        password_hash: await hashPassword(PASSWORD),
        roles: ['org_viewer'],
        org_id: f.ids.ganlin,
        active: false,
      })
      .execute()
    const off = await login('retired', PASSWORD)
    assert.equal(off.statusCode, 401)
    assert.deepEqual(off.json(), wrong.json())
    // the owner's right password still works after the failure
    assert.equal((await login('chongren', PASSWORD)).statusCode, 200)
  })

  /** a fresh account in 甘霖镇 that needs no password change, and its id */
  async function account(username: string) {
    const { id } = await f.database.db
      .insertInto('app_user')
      .values({
        username,
        display_name: `${username}测试`,
        password_hash: await hashPassword(PASSWORD),
        roles: ['org_viewer'],
        org_id: f.ids.ganlin,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return id
  }
  const answer = (r: { statusCode: number; json(): unknown }) => ({ status: r.statusCode, body: r.json() })

  it(`does not let a stranger's guesses lock the owner out: beyond ${STRANGER_ATTEMPTS} strangers are refused, the owner at a familiar address is not`, async () => {
    await account('owner')
    // the owner has logged in from the office before (then a new address: it counted as one attempt)
    assert.equal((await login('owner', PASSWORD, '10.1.0.1')).statusCode, 200)
    // 50 wrong guesses from 50 addresses (a botnet): the first few are checked, the rest refused unchecked
    const guesses = []
    for (let i = 0; i < 50; i++) guesses.push(answer(await login('owner', `Wrong-Guess-${i}!`, `10.2.0.${i + 1}`)))
    const checked = STRANGER_ATTEMPTS - 1
    assert.deepEqual(
      guesses.map((g) => g.status),
      [...Array<number>(checked).fill(401), ...Array<number>(50 - checked).fill(429)],
    )
    assert.match((guesses[49]!.body as { error: { message: string } }).error.message, /登录尝试过于频繁，请\d+分钟后再试/)
    // even the right password is refused to a stranger now, so guessing gains nothing
    const lucky = await login('owner', PASSWORD, '10.2.1.1')
    assert.equal(lucky.statusCode, 429)
    assert.equal(lucky.cookies.length, 0)
    // the owner, from the familiar address, logs in
    const owner = await login('owner', PASSWORD, '10.1.0.1')
    assert.equal(owner.statusCode, 200, owner.body)
    // and a typo of the owner there is a plain refusal, not a throttle
    assert.equal((await login('owner', 'Typo-Pass-2026!', '10.1.0.1')).statusCode, 401)
    // the throttle is audited; nothing locks the account itself
    const row = await f.database.db.selectFrom('app_user').select('locked_until').where('username', '=', 'owner').executeTakeFirstOrThrow()
    assert.equal(row.locked_until, null)
    const throttled = await f.database.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'login.throttled')
      .where('target_name', '=', 'owner')
      .execute()
    assert.equal(throttled.length, 50 - checked + 1)
  })

  it('answers an unknown name exactly as a known one: same statuses and bodies through the throttle, a real argon2 check', async () => {
    await account('known')
    const run = async (name: string, net: string) => {
      const out = []
      for (let i = 0; i < STRANGER_ATTEMPTS + 3; i++) {
        const r = await login(name, `Wrong-Guess-${i}!`, `${net}.${i + 1}`)
        out.push({ ...answer(r), cookies: r.cookies.length, limitHeader: r.headers['x-ratelimit-limit'] })
      }
      return out
    }
    const known = await run('known', '10.4.0')
    const unknown = await run('nobody-at-all', '10.4.1')
    assert.deepEqual(unknown, known)
    assert.deepEqual(
      known.map((k) => k.status),
      [...Array<number>(STRANGER_ATTEMPTS).fill(401), 429, 429, 429],
    )
    assert.deepEqual(known[0]!.body, { error: { code: 'bad_credentials', message: '用户名或密码错误', fields: {} } })
    // the unknown name is checked against a real hash of the same cost as an account's
    const cost = (h: string) => h.split('$').slice(1, 4).join('$')
    const real = await f.database.db
      .selectFrom('app_user')
      .select('password_hash')
      .where('username', '=', 'known')
      .executeTakeFirstOrThrow()
    assert.equal(cost(await dummyHash()), cost(real.password_hash))
    assert.ok(!(await verifyPassword(await dummyHash(), 'Wrong-Guess-0!')))
  })

  it('answers 429 with a Chinese message to 200 guesses from one address, which cost no password check; other addresses are unaffected', async () => {
    const answers = []
    for (let i = 0; i < 200; i++) answers.push(await login(`user${i % 7}`, `Wrong-Guess-${i}!`, '10.3.0.1'))
    const refused = answers.filter((a) => a.statusCode === 429)
    assert.ok(answers.filter((a) => a.statusCode === 401).length <= ADDRESS_FAILURES)
    assert.equal(refused.length + answers.filter((a) => a.statusCode === 401).length, 200)
    assert.ok(refused.length >= 200 - ADDRESS_FAILURES)
    assert.equal(answers[199]!.statusCode, 429)
    assert.match(answers[199]!.json().error.message, /^登录.*过于频繁，请\d+(秒|分钟)后再试$/)
    // failures audited only for the checked ones
    const failed = await f.database.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'login.failed')
      .where('ip', '=', '10.3.0.1')
      .execute()
    assert.ok(failed.length <= ADDRESS_FAILURES)
    assert.equal((await login('ganlin', PASSWORD, '10.3.0.2')).statusCode, 200)
  })

  it('does not let concurrent guesses get past the per-account limit', async () => {
    await account('racer')
    // 20 guesses at once from 20 addresses, the right password among them
    const all = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login('racer', i === 10 ? PASSWORD : `Wrong-Guess-${i}!`, `10.5.0.${i + 1}`)),
    )
    const checked = all.filter((a) => a.statusCode !== 429)
    assert.ok(checked.length <= STRANGER_ATTEMPTS, `${checked.length} checked`)
    assert.equal(all.filter((a) => a.statusCode === 429).length, 20 - checked.length)
  })

  it('requires the CSRF token for a cookie-authenticated write, and not for a bearer one', async () => {
    const { cookie, csrf, token } = await cookieLogin('ganlin')
    const cookies = { [SESSION_COOKIE]: cookie }

    const without = await f.app.inject({ method: 'POST', url: '/api/enterprises', cookies, payload: enterprise() })
    assert.equal(without.statusCode, 403)
    assert.equal(without.json().error.code, 'csrf')
    assert.match(without.json().error.message, /CSRF/)
    const wrongToken = await f.app.inject({
      method: 'POST',
      url: '/api/enterprises',
      cookies,
      headers: { 'x-csrf-token': 'not-the-token' },
      payload: enterprise(),
    })
    assert.equal(wrongToken.statusCode, 403)
    // nothing was written by the refused requests
    const count = async () =>
      Number(
        (
          await f.database.db
            .selectFrom('enterprise')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const n0 = await count()

    const withToken = await f.app.inject({
      method: 'POST',
      url: '/api/enterprises',
      cookies,
      headers: { 'x-csrf-token': csrf },
      payload: enterprise(),
    })
    assert.equal(withToken.statusCode, 201, withToken.body)
    assert.equal(await count(), n0 + 1)

    // reads with the cookie need no token
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/enterprises', cookies })).statusCode, 200)

    // bearer calls cannot be forged by a browser, so they need no token
    const bearer = await f.app.inject({
      method: 'POST',
      url: '/api/enterprises',
      headers: { authorization: `Bearer ${token}` },
      payload: enterprise(),
    })
    assert.equal(bearer.statusCode, 201, bearer.body)

    // logout with the cookie is a write too
    assert.equal((await f.app.inject({ method: 'POST', url: '/api/auth/logout', cookies })).statusCode, 403)
    assert.equal(
      (await f.app.inject({ method: 'POST', url: '/api/auth/logout', cookies, headers: { 'x-csrf-token': csrf } })).statusCode,
      200,
    )
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/enterprises', cookies })).statusCode, 401)
  })

  it('expires a session after 30 idle minutes, and slides it while in use', async () => {
    const headers = await f.login('viewer')
    const token = headers.authorization!.replace('Bearer ', '')
    const setIdle = (minutes: number) =>
      f.database.db
        .updateTable('app_session')
        .set({ last_seen_at: sql<Date>`now() - make_interval(mins => ${minutes})` })
        .where('token_hash', '=', hashToken(token))
        .execute()

    await setIdle(29)
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/auth/me', headers })).statusCode, 200)
    // that use moved last_seen_at forward again
    const s = await f.database.db
      .selectFrom('app_session')
      .select('last_seen_at')
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirstOrThrow()
    assert.ok(Date.now() - s.last_seen_at.getTime() < 60_000)

    await setIdle(31)
    const r = await f.app.inject({ method: 'GET', url: '/api/auth/me', headers })
    assert.equal(r.statusCode, 401)
    assert.equal(r.json().error.message, '请先登录')
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/enterprises', headers })).statusCode, 401)
    // the hourly purge deletes it, and only the idle ones
    const live = await f.login('viewer')
    const service = authService({ repo: authRepository(f.database.db), owner: f.database.db, idleMinutes: 30, maxHours: 12 })
    assert.ok((await service.purgeIdle()) >= 1)
    assert.equal(
      await f.database.db.selectFrom('app_session').select('token_hash').where('token_hash', '=', hashToken(token)).executeTakeFirst(),
      undefined,
    )
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/auth/me', headers: live })).statusCode, 200)
  })

  it('kills the token on logout, and audits it', async () => {
    const headers = await f.login('city')
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/auth/me', headers })).statusCode, 200)
    const out = await f.app.inject({ method: 'POST', url: '/api/auth/logout', headers })
    assert.equal(out.statusCode, 200)
    assert.match(String(out.headers['set-cookie']), new RegExp(`${SESSION_COOKIE}=;`))
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/auth/me', headers })).statusCode, 401)
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/orgs', headers })).statusCode, 401)
    const token = headers.authorization!.replace('Bearer ', '')
    assert.equal(
      await f.database.db.selectFrom('app_session').select('token_hash').where('token_hash', '=', hashToken(token)).executeTakeFirst(),
      undefined,
    )
    const log = await f.database.db.selectFrom('audit_log').select(['action', 'actor_name']).where('action', '=', 'logout').execute()
    assert.ok(log.some((x) => x.actor_name === 'city'))
    // other sessions of the same user are untouched
    const again = await f.login('city')
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/auth/me', headers: again })).statusCode, 200)
  })

  it('stores no password in clear: argon2id hashes only, and none in the audit log or sessions', async () => {
    const users = await f.database.db.selectFrom('app_user').select(['username', 'password_hash']).execute()
    assert.ok(users.length >= 7)
    for (const u of users) {
      assert.match(u.password_hash, /^\$argon2id\$v=19\$(?:[mtp]=\d+,?){3}\$[\w+/]+\$[\w+/]+$/, u.username)
      assert.ok(!u.password_hash.includes(PASSWORD))
    }
    const admin = users.find((u) => u.username === 'admin')!
    assert.ok(await argon2.verify(admin.password_hash, PASSWORD))
    // no column of any of these tables holds the password, in any form
    for (const table of ['app_user', 'app_session', 'audit_log']) {
      const r = await sql<{ t: string }>`select string_agg(x::text, '|') as t from ${sql.table(table)} x`.execute(f.database.db)
      assert.ok(!(r.rows[0]?.t ?? '').includes(PASSWORD), `${table} contains the password`)
      assert.ok(!(r.rows[0]?.t ?? '').includes('Wrong-Pass'), `${table} contains a tried password`)
    }
  })
})
