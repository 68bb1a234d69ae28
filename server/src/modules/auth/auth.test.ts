import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import argon2 from 'argon2'
import { sql } from 'kysely'
import { auditEntries, countRows, fixture, creditCode, PASSWORD, type Fixture } from '../../test/harness.js'
import { ADDRESS_FAILURES, authService, dummyHash, hashPassword, hashToken, STRANGER_ATTEMPTS, verifyPassword } from './auth.service.js'
import { authRepository } from './auth.repository.js'
import { SESSION_COOKIE } from '../../http/scope.js'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { buildApp } from '../../app.js'
import { loadConfig } from '../../config.js'
import { passwordProblem } from '../../../../common/password.js'

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
    const throttled = await auditEntries(f, 'login.throttled', { target_name: 'owner' })
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
    const failed = await auditEntries(f, 'login.failed', { ip: '10.3.0.1' })
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
    const count = () => countRows(f, 'enterprise')
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
    const log = await auditEntries(f, 'logout')
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

  it('makes an account whose password an administrator set change it before anything else, and then ends its other sessions', async () => {
    const admin = await f.login('admin')
    const created = await f.send('POST', '/api/users', admin, { username: 'fresh', displayName: '新来的', password: 'Admin-Chosen-2026' })
    // the administrator's choice contains 'admin', a common word
    assert.equal(created.statusCode, 400)
    assert.match(created.json().error.message, /过于常见/)
    const ok = await f.send('POST', '/api/users', admin, { username: 'fresh', displayName: '新来的', password: 'Given-By-Ops-2026' })
    assert.equal(ok.statusCode, 201, ok.body)
    assert.equal(ok.json().mustChangePassword, true)
    await f.database.db
      .updateTable('app_user')
      .set({ roles: ['org_viewer'], org_id: f.ids.ganlin })
      .where('username', '=', 'fresh')
      .execute()

    const first = await login('fresh', 'Given-By-Ops-2026', '10.7.0.1')
    assert.equal(first.statusCode, 200)
    assert.equal(first.json().mustChangePassword, true)
    assert.equal(first.json().user.mustChangePassword, true)
    const headers = { authorization: `Bearer ${first.json().token}` }
    const second = { authorization: `Bearer ${(await login('fresh', 'Given-By-Ops-2026', '10.7.0.1')).json().token}` }
    // everything but me, logout and the change is refused
    for (const url of ['/api/orgs', '/api/enterprises', '/api/members']) {
      const r = await f.app.inject({ method: 'GET', url, headers })
      assert.equal(r.statusCode, 403, url)
      assert.deepEqual(r.json().error, {
        code: 'password_change_required',
        message: '初始密码或重置后的密码须先修改，请设置新密码',
        fields: {},
      })
    }
    const me = await f.app.inject({ method: 'GET', url: '/api/auth/me', headers })
    assert.equal(me.statusCode, 200)
    assert.equal(me.json().user.mustChangePassword, true)

    const change = (currentPassword: string, newPassword: string) =>
      f.app.inject({ method: 'POST', url: '/api/auth/password', headers, payload: { currentPassword, newPassword } })
    const refusals: [string, string, RegExp][] = [
      ['Wrong-Current-2026', 'Brand-New-Key-2026', /原密码不正确/],
      ['Given-By-Ops-2026', 'Given-By-Ops-2026', /不能与原密码相同/],
      ['Given-By-Ops-2026', 'Fresh-Start-2026!', /不能包含用户名或姓名/],
      ['Given-By-Ops-2026', 'Gonghui-2026-Spring', /过于常见/],
      ['Given-By-Ops-2026', 'Abcd-1234-Spring', /连续或重复/],
      ['Given-By-Ops-2026', 'short-1A', /至少10位/],
      ['Given-By-Ops-2026', `Aa1-${'x'.repeat(130)}`, /不能超过128位/],
    ]
    for (const [cur, next, message] of refusals) {
      const r = await change(cur, next)
      assert.equal(r.statusCode, 400, next)
      assert.match(r.json().error.message, message)
    }
    const done = await change('Given-By-Ops-2026', 'Brand-New-Key-2026')
    assert.equal(done.statusCode, 200, done.body)
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/orgs', headers })).statusCode, 200)
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/auth/me', headers: second })).statusCode, 401, 'the other session ended')
    assert.equal((await login('fresh', 'Given-By-Ops-2026', '10.7.0.1')).statusCode, 401)
    const again = await login('fresh', 'Brand-New-Key-2026', '10.7.0.1')
    assert.equal(again.json().mustChangePassword, false)
    const log = await auditEntries(f, 'user.password', { target_name: 'fresh' })
    assert.equal(log.length, 1)
    assert.deepEqual(log[0]!.detail, { wasRequired: true, otherSessionsEnded: 1 })
  })

  it('resets a password to a one-time one the administrator sees once and cannot use silently; the sessions end; audited', async () => {
    const admin = await f.login('admin')
    const victim = await f.actor('chongren')
    const open = await f.login('chongren')
    const r = await f.app.inject({ method: 'POST', url: `/api/users/${victim.id}/password-reset`, headers: admin })
    assert.equal(r.statusCode, 200, r.body)
    const temporary = r.json().temporaryPassword as string
    assert.equal(r.json().user.mustChangePassword, true)
    assert.equal(passwordProblem(temporary), null)
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/orgs', headers: open })).statusCode, 401, 'sessions ended')
    assert.equal((await login('chongren', PASSWORD)).statusCode, 401)
    // whoever logs in with it can only change it
    const li = await login('chongren', temporary)
    assert.equal(li.json().mustChangePassword, true)
    const h = { authorization: `Bearer ${li.json().token}` }
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/members', headers: h })).statusCode, 403)
    const log = await f.database.db.selectFrom('audit_log').selectAll().where('target_name', '=', 'chongren').orderBy('id').execute()
    const reset = log.find((x) => x.action === 'user.password.reset')!
    assert.equal(reset.actor_name, 'admin')
    const sessionsBefore = await f.database.db.selectFrom('app_session').select('token_hash').where('user_id', '=', victim.id).execute()
    assert.equal(sessionsBefore.length, 1, 'only the session opened with the one-time password')
    const detail = reset.detail as { oneTimePassword: boolean; mustChangePassword: boolean; sessionsEnded: number }
    assert.deepEqual([detail.oneTimePassword, detail.mustChangePassword], [true, true])
    assert.ok(detail.sessionsEnded >= 1)
    assert.ok(!JSON.stringify(log).includes(temporary))
    // the old way of choosing the password is gone
    const patch = await f.send('PATCH', `/api/users/${victim.id}`, admin, { password: 'Chosen-By-Me-2026' })
    assert.equal(patch.statusCode, 400)
    // the owner sets a password again
    const back = await f.send('POST', '/api/auth/password', h, { currentPassword: temporary, newPassword: PASSWORD })
    assert.equal(back.statusCode, 200, back.body)
  })

  it('ends every session of an account that is disabled', async () => {
    const admin = await f.login('admin')
    await account('leaver')
    const s1 = await f.login('leaver')
    const s2 = await f.login('leaver')
    const id = (await f.actor('leaver')).id
    const r = await f.send('PATCH', `/api/users/${id}`, admin, { active: false })
    assert.equal(r.statusCode, 200, r.body)
    const left = await f.database.db.selectFrom('app_session').select('token_hash').where('user_id', '=', id).execute()
    assert.deepEqual(left, [])
    for (const h of [s1, s2]) assert.equal((await f.app.inject({ method: 'GET', url: '/api/auth/me', headers: h })).statusCode, 401)
    const [a] = await auditEntries(f, 'user.update', { target_name: 'leaver' })
    assert.equal((a!.detail as { sessionsEnded: number }).sessionsEnded, 2)
    // a session cannot end sessions through the database either, unless it is the 系统管理员
    await assert.rejects(
      f.as('city', (ctx) => sql`select end_user_sessions(${id})`.execute(ctx.db)),
      /system administrator/,
    )
  })

  it('refuses the live session of an account that is off, on reads, writes and unscoped routes; the request role may not read sessions', async () => {
    await account('dormant')
    const headers = await f.login('dormant')
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/members', headers })).statusCode, 200)
    // switched off in the database, its session left in place (as a restore or a hand edit would)
    await f.database.db.updateTable('app_user').set({ active: false }).where('username', '=', 'dormant').execute()
    for (const url of ['/api/members', '/api/auth/me', '/api/enterprises']) {
      const r = await f.app.inject({ method: 'GET', url, headers })
      assert.equal(r.statusCode, 401, url)
    }
    // a write is refused before anything is written
    const n0 = await countRows(f, 'enterprise')
    assert.equal((await f.send('POST', '/api/enterprises', headers, enterprise())).statusCode, 401)
    assert.equal(await countRows(f, 'enterprise'), n0)
    // and on a route outside a scope
    assert.equal((await f.app.inject({ method: 'POST', url: '/api/auth/logout', headers })).statusCode, 401)
    // the sessions are the server's to read: not the request's role (gonghui_app)
    await assert.rejects(
      f.as('city', (ctx) => sql`select * from member_session_of('x')`.execute(ctx.db)),
      /permission denied/,
    )
  })

  it('ends a busy session after its absolute lifetime (SESSION_MAX_HOURS, 12 by default)', async () => {
    const headers = await f.login('viewer')
    const token = headers.authorization!.replace('Bearer ', '')
    const age = (hours: number) =>
      f.database.db
        .updateTable('app_session')
        .set({ created_at: sql<Date>`now() - make_interval(hours => ${hours})`, last_seen_at: sql<Date>`now()` })
        .where('token_hash', '=', hashToken(token))
        .execute()
    await age(11)
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/auth/me', headers })).statusCode, 200)
    await age(13)
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/auth/me', headers })).statusCode, 401)
    const service = authService({ repo: authRepository(f.database.db), owner: f.database.db, idleMinutes: 30, maxHours: 12 })
    assert.ok((await service.purgeIdle()) >= 1)
    assert.equal(
      await f.database.db.selectFrom('app_session').select('token_hash').where('token_hash', '=', hashToken(token)).executeTakeFirst(),
      undefined,
    )
    assert.equal(loadConfig({}).sessionMaxHours, 12)
    assert.equal(loadConfig({ SESSION_MAX_HOURS: '8' }).sessionMaxHours, 8)
  })

  it('sends security headers on every answer, and no-store on API answers with data', async () => {
    const headers = await f.login('ganlin')
    const me = await f.app.inject({ method: 'GET', url: '/api/auth/me', headers })
    const health = await f.app.inject({ method: 'GET', url: '/api/health' })
    const missing = await f.app.inject({ method: 'GET', url: '/api/no-such-thing' })
    const refused = await login('nobody', 'Wrong-Pass-2026!', '10.8.0.1')
    for (const r of [me, health, missing, refused]) {
      const csp = String(r.headers['content-security-policy'])
      assert.match(csp, /frame-ancestors 'none'/)
      assert.match(csp, /script-src 'self'(;|$)/)
      assert.match(csp, /style-src 'self' 'unsafe-inline'/)
      assert.match(csp, /default-src 'self'/)
      assert.equal(r.headers['x-content-type-options'], 'nosniff')
      assert.equal(r.headers['referrer-policy'], 'no-referrer')
      assert.equal(r.headers['x-frame-options'], 'DENY')
      assert.equal(r.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP')
    }
    for (const r of [me, missing, refused]) assert.equal(r.headers['cache-control'], 'no-store')
    assert.notEqual(health.headers['cache-control'], 'no-store')

    // with COOKIE_SECURE (HTTPS) HSTS too; the web app's pages carry the same CSP
    const web = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-web-'))
    fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/assets/x.js"></script>')
    const https = await buildApp({ db: f.database.db, pii: f.pii, sessionIdleMinutes: 30, webDir: web, secureCookie: true })
    try {
      const page = await https.inject({ method: 'GET', url: '/members' })
      assert.equal(page.statusCode, 200)
      assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/)
      assert.match(String(page.headers['strict-transport-security']), /max-age=31536000/)
      assert.equal(page.headers['x-content-type-options'], 'nosniff')
      assert.notEqual(page.headers['cache-control'], 'no-store')
    } finally {
      await https.close()
      fs.rmSync(web, { recursive: true, force: true })
    }
  })
})
