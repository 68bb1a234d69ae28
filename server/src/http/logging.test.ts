import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { fixture, joiningCode, PASSWORD, residentId, type Fixture } from '../test/harness.js'
import { buildApp, type App } from '../app.js'
import { redactUrl, scrub } from './logging.js'

/**
 * The server log at its most talkative ('trace') holds no ID number, phone number, applicant's or
 * card's token, password or session, whichever way they came in: the query string, a body, a
 * request refused by validation, one that throws. It still logs the requests by path.
 */
describe('the server log keeps no personal data', () => {
  let f: Fixture
  let app: App
  let log = ''
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      log += chunk.toString('utf8')
      done()
    },
  })
  before(async () => {
    f = await fixture()
    app = await buildApp({ db: f.database.db, pii: f.pii, sessionIdleMinutes: 30, webDir: null, logger: { level: 'trace', stream: sink } })
    // a handler that throws with the input in its message (as a library error may)
    app.post('/boom', (req) => {
      throw new Error(`无法处理：${JSON.stringify(req.body)}`)
    })
  })
  after(async () => {
    await app.close()
    await f.close()
  })

  it('redacts query values, keeps the path', () => {
    const id = residentId('19800101')
    assert.equal(redactUrl(`/api/members?q=${id}&page=2&sort=-joinedOn`), '/api/members?q=[已隐藏]&page=2&sort=-joinedOn')
    assert.equal(redactUrl('/api/cards/verify?token=abc.def'), '/api/cards/verify?token=[已隐藏]')
    assert.equal(redactUrl('/api/orgs/12'), '/api/orgs/12')
    assert.equal(scrub(`身份证 ${id}，手机 13905751234`), `身份证 ${'*'.repeat(15)}${id.slice(15)}，手机 139****1234`)
    // written with spaces or dashes, or +86 before it, a mobile number is still one
    for (const written of ['139 0575 1234', '139-0575-1234', '+86 139-0575-1234', '+8613905751234'])
      assert.doesNotMatch(scrub(`手机 ${written}。`), /0575/, written)
  })

  it('at trace level, over every way personal data comes in', async () => {
    const id = residentId('19800101')
    const appId = residentId('19930505')
    const phone = '13905752468'
    const appPhone = '13905753579'
    const secrets: Record<string, string> = { id, appId, phone, appPhone, password: PASSWORD }

    // a login: the name and password in the body; the session comes back in a cookie and the body
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'ganlin', password: PASSWORD } })
    assert.equal(login.statusCode, 200, login.body)
    secrets.session = login.json().token
    const headers = { authorization: `Bearer ${login.json().token}` }
    // a login by phone number (refused)
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: phone, password: 'wrong-password' } })

    // a member with ID and phone in the body
    const created = await app.inject({
      method: 'POST',
      url: '/api/members',
      headers,
      payload: { name: '赵日志', documentNumber: id, phone, unionId: f.ids.ganlinJoint, workplace: '甘霖小微五金厂' },
    })
    assert.equal(created.statusCode, 201, created.body)
    // searches by ID and by phone in ?q=
    assert.equal((await app.inject({ method: 'GET', url: `/api/members?q=${id}`, headers })).json().total, 1)
    assert.equal((await app.inject({ method: 'GET', url: `/api/members?q=${phone}`, headers })).statusCode, 200)
    // a request refused by validation (a wrong check character), with the number in the body
    const wrong = id.slice(0, 17) + (id[17] === '0' ? '1' : '0')
    secrets.wrong = wrong
    const refused = await app.inject({
      method: 'POST',
      url: '/api/members',
      headers,
      payload: { name: '钱日志', documentNumber: wrong, phone, unionId: f.ids.ganlinJoint },
    })
    assert.equal(refused.statusCode, 400)
    // … and one refused by the schema (malformed), with the number in the query
    assert.equal((await app.inject({ method: 'GET', url: `/api/members?q=${id}&page=abc`, headers })).statusCode, 400)

    // an application (public): ID and phone in the body; its token in ?token=
    const applied = await app.inject({
      method: 'POST',
      url: '/api/public/applications',
      remoteAddress: '198.51.100.9',
      payload: {
        name: '孙日志',
        documentType: 'resident_id',
        documentNumber: appId,
        phone: appPhone,
        enterpriseId: f.ids.ganlinEnterprise,
        workplace: '甘霖小微五金厂',
        consentPrivacy: true,
        consentSensitive: true,
        smsCode: await joiningCode(f, appPhone),
      },
    })
    assert.equal(applied.statusCode, 201, applied.body)
    secrets.appToken = applied.json().token
    const status = await app.inject({ method: 'GET', url: `/api/public/applications/status?token=${applied.json().token}` })
    assert.equal(status.statusCode, 200, status.body)
    await app.inject({
      method: 'POST',
      url: '/api/public/applications/withdraw',
      remoteAddress: '198.51.100.9',
      payload: { token: applied.json().token },
    })

    // a membership card's token in ?token=
    const card = await app.inject({ method: 'GET', url: `/api/members/${created.json().id}/card`, headers })
    assert.equal(card.statusCode, 200, card.body)
    secrets.cardToken = card.json().token
    assert.equal(
      (await app.inject({ method: 'GET', url: `/api/cards/verify?token=${encodeURIComponent(card.json().token)}` })).statusCode,
      200,
    )

    // a handler that throws with the input
    const boom = await app.inject({ method: 'POST', url: '/boom', payload: { documentNumber: id, phone } })
    assert.equal(boom.statusCode, 500)

    // and something a module might log itself
    app.log.info({ detail: { note: `核对 ${id}` } }, `查到 ${phone}`)

    await new Promise((r) => setImmediate(r))
    // the log is there, and names the requests
    for (const path of ['/api/auth/login', '/api/members', '/api/public/applications/status', '/api/cards/verify', '/boom'])
      assert.ok(log.includes(`"${path}`), `the log names ${path}`)
    assert.match(log, /unhandled error/)
    assert.match(log, /"statusCode":500/)
    for (const [what, secret] of Object.entries(secrets)) {
      assert.ok(secret.length >= 11, what)
      assert.ok(!log.includes(secret), `${what} appears in the log`)
      // nor in the URL-encoded form
      assert.ok(!log.includes(encodeURIComponent(secret)), `${what} (encoded) appears in the log`)
    }
  })
})
