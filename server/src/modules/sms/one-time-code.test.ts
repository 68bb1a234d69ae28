import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { applyPublic, fixture, joiningCode, residentId, type Fixture } from '../../test/harness.js'
import { CODE_TRIES, PER_ADDRESS_HOUR, PER_PHONE_HOUR } from './one-time-code.js'
import { configureSms } from './sms.js'

/** The throttles and tries of one-time codes (短信验证码), through the joining page's API. */
describe('one-time codes', () => {
  let f: Fixture
  const settings = (demo: boolean) => configureSms({ gatewayUrl: null, gatewayToken: null, signature: '【工会】', demo })
  before(async () => {
    f = await fixture()
    settings(false)
  })
  after(async () => {
    configureSms(null)
    await f.close()
  })

  const ask = (phone: string, remoteAddress = '198.51.100.200') =>
    f.app.inject({ method: 'POST', url: '/api/public/codes', payload: { purpose: 'joining', phone }, remoteAddress })
  /** moves every code back in time, as the clock would (no waiting in tests) */
  const age = (minutes: number) =>
    f.database.db
      .updateTable('one_time_code')
      .set({ created_at: sql`created_at - make_interval(mins => ${minutes})` })
      .execute()
  const form = (phone: string, documentNumber: string) => ({
    name: '验证码测试',
    documentType: 'resident_id',
    documentNumber,
    phone,
    enterpriseId: f.ids.chongrenEnterprise,
    workplace: '崇仁纺织有限公司',
    consentPrivacy: true,
    consentSensitive: true,
  })

  it('sends one code a minute to a phone, unless the last one was used; at most PER_PHONE_HOUR an hour', async () => {
    const phone = '13905770001'
    const first = await ask(phone)
    assert.equal(first.statusCode, 200, first.body)
    assert.equal(first.json().message, '验证码已发送至 139****0001，5分钟内有效')
    assert.equal(first.json().demoCode, undefined, 'a code shown on screen outside the demo')
    const again = await ask(phone, '198.51.100.201')
    assert.equal(again.statusCode, 429)
    assert.match(again.json().error.message, /过于频繁/)
    // used for an application: the next one may follow at once
    const code = await joiningCode(f, phone)
    const applied = await applyPublic(f, { ...form(phone, residentId('19900505')), smsCode: code })
    assert.equal(applied.statusCode, 201, applied.body)
    assert.equal((await ask(phone, '198.51.100.202')).statusCode, 200)
    // the hour: PER_PHONE_HOUR codes, however spread over it
    let sent = 3
    for (; sent < PER_PHONE_HOUR; sent++) {
      await age(2)
      assert.equal((await ask(phone, `198.51.100.${203 + sent}`)).statusCode, 200)
    }
    await age(2)
    assert.equal((await ask(phone, '198.51.100.220')).statusCode, 429, 'more than PER_PHONE_HOUR codes an hour')
    await age(60)
    assert.equal((await ask(phone, '198.51.100.221')).statusCode, 200, 'an hour later, codes go out again')
  })

  it('shows the code on screen, marked, only in the demo without a gateway', async () => {
    settings(true)
    try {
      const r = await ask('13905770009', '198.51.100.230')
      assert.match(r.json().demoCode, /^\d{6}$/)
      const sent = await f.database.db.selectFrom('sms_outbox').select('body_enc').orderBy('id', 'desc').executeTakeFirstOrThrow()
      assert.match(f.pii.decrypt(sent.body_enc), new RegExp(`验证码 ${r.json().demoCode}`))
    } finally {
      settings(false)
    }
  })

  it('answers an address at most PER_ADDRESS_HOUR times an hour, whatever the phones', async () => {
    for (let i = 0; i < PER_ADDRESS_HOUR; i++)
      assert.equal((await ask(`1390578${String(i).padStart(4, '0')}`, '203.0.113.77')).statusCode, 200)
    const over = await ask('13905789999', '203.0.113.77')
    assert.equal(over.statusCode, 429)
    assert.equal((await ask('13905789999', '203.0.113.78')).statusCode, 200, 'another address was held back')
  })

  it(`takes at most ${CODE_TRIES} tries of a code, right or wrong; a code proves only the phone it went to`, async () => {
    const phone = '13905770002'
    const code = await joiningCode(f, phone)
    const doc = residentId('19900606')
    const wrong = code === '000000' ? '000001' : '000000'
    for (let i = 0; i < CODE_TRIES; i++) {
      const r = await applyPublic(f, { ...form(phone, doc), smsCode: wrong })
      assert.equal(r.statusCode, 400)
      assert.equal(r.json().error.code, 'invalid_code')
      assert.ok(r.json().error.fields.smsCode)
    }
    const late = await applyPublic(f, { ...form(phone, doc), smsCode: code })
    assert.equal(late.statusCode, 400, 'the right code after the tries ran out')
    assert.equal(late.json().error.code, 'invalid_code')
    // another phone's code
    const other = await joiningCode(f, '13905770003')
    const stolen = await applyPublic(f, { ...form('13905770004', doc), smsCode: other })
    assert.equal(stolen.json().error?.code, 'invalid_code')
    assert.equal(
      await f.database.db
        .selectFrom('application')
        .select('id')
        .where('name', '=', '验证码测试')
        .where('phone_masked', '!=', '139****0001')
        .executeTakeFirst(),
      undefined,
    )
  })
})
