import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import argon2 from 'argon2'
import { sql } from 'kysely'
import { fixture, creditCode, PASSWORD, type Fixture } from '../../test/harness.js'
import { authService, hashPassword, hashToken, LOCK_MINUTES, MAX_FAILURES } from './auth.service.js'
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
    // the one failure of chongren is counted, then cleared by a good login
    const u = await f.database.db
      .selectFrom('app_user')
      .select(['failed_logins'])
      .where('username', '=', 'chongren')
      .executeTakeFirstOrThrow()
    assert.equal(u.failed_logins, 1)
    assert.equal((await login('chongren', PASSWORD)).statusCode, 200)
    const u2 = await f.database.db
      .selectFrom('app_user')
      .select(['failed_logins'])
      .where('username', '=', 'chongren')
      .executeTakeFirstOrThrow()
    assert.equal(u2.failed_logins, 0)
  })

  it(`locks an account for ${LOCK_MINUTES} minutes after ${MAX_FAILURES} failures, even for the right password, and audits the lock`, async () => {
    await f.database.db
      .insertInto('app_user')
      .values({
        username: 'locky',
        display_name: '锁定测试',
        password_hash: await hashPassword(PASSWORD),
        roles: ['org_viewer'],
        org_id: f.ids.ganlin,
      })
      .execute()
    for (let i = 1; i < MAX_FAILURES; i++) {
      const r = await login('locky', `Wrong-Pass-${i}!`)
      assert.equal(r.statusCode, 401, `attempt ${i}`)
    }
    const t0 = Date.now()
    const fifth = await login('locky', 'Wrong-Pass-5!', '10.20.30.40')
    const t1 = Date.now()
    assert.equal(fifth.statusCode, 423)
    assert.match(fifth.json().error.message, /锁定/)
    assert.match(fifth.json().error.message, new RegExp(`${LOCK_MINUTES}分钟`))
    const u = await f.database.db
      .selectFrom('app_user')
      .select(['id', 'locked_until', 'failed_logins'])
      .where('username', '=', 'locky')
      .executeTakeFirstOrThrow()
    assert.equal(u.failed_logins, MAX_FAILURES)
    const until = u.locked_until!.getTime()
    assert.ok(
      until >= t0 + LOCK_MINUTES * 60_000 - 1_000 && until <= t1 + LOCK_MINUTES * 60_000 + 1_000,
      `locked until ${u.locked_until!.toISOString()}`,
    )

    const right = await login('locky', PASSWORD)
    assert.equal(right.statusCode, 423, 'the right password does not open a locked account')
    assert.match(right.json().error.message, /请\d+分钟后再试/)
    assert.equal(right.cookies.length, 0)

    const log = await f.database.db.selectFrom('audit_log').selectAll().where('target_name', '=', 'locky').orderBy('id').execute()
    const lock = log.filter((x) => x.action === 'user.lock')
    assert.equal(lock.length, 1, 'the lock itself is one audit entry')
    assert.equal(lock[0]!.ip, '10.20.30.40')
    assert.equal(lock[0]!.target_id, String(u.id))
    assert.equal((lock[0]!.detail as { lockedUntil: string }).lockedUntil, u.locked_until!.toISOString())
    assert.equal(log.filter((x) => x.action === 'login.failed').length, MAX_FAILURES)
    assert.equal(log.filter((x) => x.action === 'login.locked').length, 1, 'the refused attempt while locked is audited')

    // fifteen minutes later one more wrong password is a plain refusal, not another lock
    await f.database.db
      .updateTable('app_user')
      .set({ locked_until: sql<Date>`now() - interval '1 second'` })
      .where('id', '=', u.id)
      .execute()
    assert.equal((await login('locky', 'Wrong-Again-1!')).statusCode, 401)
    const after = await f.database.db
      .selectFrom('app_user')
      .select(['failed_logins', 'locked_until'])
      .where('id', '=', u.id)
      .executeTakeFirstOrThrow()
    assert.deepEqual([after.failed_logins, after.locked_until], [1, null])
    // and the right password works again
    assert.equal((await login('locky', PASSWORD)).statusCode, 200)
  })

  it('does not let concurrent guesses get past the lock', async () => {
    await f.database.db
      .insertInto('app_user')
      .values({
        username: 'racer',
        display_name: '并发测试',
        password_hash: await hashPassword(PASSWORD),
        roles: ['org_viewer'],
        org_id: f.ids.ganlin,
      })
      .execute()
    // 20 wrong guesses at once; when the first of them has been checked (the account still open),
    // the right one: it is read as not locked, and checked after the others
    const wrong = Array.from({ length: 20 }, (_, i) => login('racer', `Wrong-Guess-${i}!`))
    const failures = async () =>
      (await f.database.db.selectFrom('app_user').select('failed_logins').where('username', '=', 'racer').executeTakeFirstOrThrow())
        .failed_logins
    while ((await failures()) < 1) await new Promise((r) => setTimeout(r, 5))
    const right = await login('racer', PASSWORD)
    const answers = [...(await Promise.all(wrong)), right]
    assert.equal(right.statusCode, 423, `the right password came after ${MAX_FAILURES} failures: ${right.body}`)
    assert.equal(right.cookies.length, 0)
    assert.equal(answers.filter((a) => a.statusCode === 200).length, 0)
    assert.ok(answers.filter((a) => a.statusCode === 401).length <= MAX_FAILURES - 1, 'at most 4 plain refusals before the lock')
    assert.equal(
      await f.database.db
        .selectFrom('app_session as s')
        .innerJoin('app_user as u', 'u.id', 's.user_id')
        .select('s.token_hash')
        .where('u.username', '=', 'racer')
        .executeTakeFirst(),
      undefined,
    )
    const locks = await f.database.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'user.lock')
      .where('target_name', '=', 'racer')
      .execute()
    assert.equal(locks.length, 1, 'one lock, audited once')
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
    const service = authService({ repo: authRepository(f.database.db), owner: f.database.db, idleMinutes: 30 })
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
