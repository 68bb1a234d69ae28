import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { fixture, residentId, testKeyRing, type Fixture } from '../../test/harness.js'
import { createPii } from '../../security/pii.js'
import { TIME_ZONE, todayIn } from '../../http/scope.js'
import { CARD_DAYS, signCard } from './cards.service.js'

/**
 * The electronic membership card: a cadre of the member's union fetches it with a signed token; a
 * scanner (no login) learns only valid or not, why not, the masked number and the union. Tampering,
 * another key, expiry and a membership that ended all make it invalid.
 */
describe('membership cards', () => {
  let f: Fixture
  let ganlin: Record<string, string>
  let chongren: Record<string, string>

  before(async () => {
    f = await fixture()
    ganlin = await f.login('ganlin')
    chongren = await f.login('chongren')
  })
  after(() => f.close())

  const cardOf = (id: number, headers = ganlin) => f.app.inject({ method: 'GET', url: `/api/members/${id}/card`, headers })
  const verify = async (token: string) => {
    const r = await f.app.inject({ method: 'GET', url: `/api/cards/verify?token=${encodeURIComponent(token)}` })
    assert.equal(r.statusCode, 200, r.body)
    return r.json() as { valid: boolean; reason: string | null; memberNo: string | null; unionName: string | null; status: string | null }
  }
  const newMember = async (name: string) => {
    const r = await f.send('POST', '/api/members', ganlin, {
      name,
      documentNumber: residentId('19880808'),
      unionId: f.ids.ganlinJoint,
      joinedOn: '2021-06-01',
    })
    assert.equal(r.statusCode, 201, r.body)
    return r.json().id as number
  }
  const addDays = (date: string, days: number) => {
    const d = new Date(`${date}T00:00:00Z`)
    d.setUTCDate(d.getUTCDate() + days)
    return d.toISOString().slice(0, 10)
  }

  it('issues a card whose token a scanner verifies without logging in, learning no name', async () => {
    const r = await cardOf(f.ids.ganlinMember)
    assert.equal(r.statusCode, 200, r.body)
    const card = r.json()
    assert.equal(card.name, '甘霖会员')
    assert.equal(card.unionName, '甘霖镇联合工会')
    const [no, until, sig] = card.token.split('.')
    assert.equal(no, card.memberNo, 'the token carries the member number printed on the card')
    assert.equal(until, addDays(todayIn(TIME_ZONE), CARD_DAYS).replaceAll('-', ''), `valid for ${CARD_DAYS} days from today`)
    assert.match(sig, /^[A-Za-z0-9_-]{22}$/)

    const v = await verify(card.token)
    assert.deepEqual(v, { valid: true, reason: null, memberNo: v.memberNo, unionName: '甘霖镇联合工会', status: 'active' })
    assert.notEqual(v.memberNo, card.memberNo, 'the number is masked')
    assert.equal(v.memberNo!.slice(-4), card.memberNo.slice(-4))
    assert.match(v.memberNo!, /\*{4}/)
    const raw = await f.app.inject({ method: 'GET', url: `/api/cards/verify?token=${encodeURIComponent(card.token)}` })
    assert.doesNotMatch(raw.body, /甘霖会员/, 'no name in the answer')
  })

  it('refuses a tampered token: another member number, a later date, a changed signature, another key', async () => {
    const mine = (await cardOf(f.ids.ganlinMember)).json()
    const otherId = await newMember('卡片另一人')
    const other = (await cardOf(otherId)).json()
    const [no, until, sig] = mine.token.split('.')
    const [otherNo] = other.token.split('.')
    const tampered = /校验失败.*篡改/
    // the other member's number under my signature
    let v = await verify(`${otherNo}.${until}.${sig}`)
    assert.equal(v.valid, false)
    assert.match(v.reason!, tampered)
    assert.equal(v.memberNo, null, 'a forged token learns nothing about the member')
    // my card, valid for longer
    v = await verify(`${no}.${String(Number(until) + 10000)}.${sig}`)
    assert.equal(v.valid, false)
    assert.match(v.reason!, tampered)
    // one character of the signature changed
    v = await verify(`${no}.${until}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`)
    assert.equal(v.valid, false)
    assert.match(v.reason!, tampered)
    // signed correctly, but under a key that is not this platform's
    v = await verify(signCard(createPii(testKeyRing()), no, todayIn(TIME_ZONE)))
    assert.equal(v.valid, false)
    assert.match(v.reason!, tampered)
    // signed under this platform's key: valid (the forgeries above failed for their signature alone)
    assert.equal((await verify(signCard(f.pii, no, todayIn(TIME_ZONE)))).valid, true)
  })

  it('expires: a token issued CARD_DAYS ago is valid through today, one issued a day earlier is not', async () => {
    const { memberNo } = (await cardOf(f.ids.ganlinMember)).json()
    const today = todayIn(TIME_ZONE)
    assert.equal((await verify(signCard(f.pii, memberNo, addDays(today, -CARD_DAYS)))).valid, true)
    const v = await verify(signCard(f.pii, memberNo, addDays(today, -CARD_DAYS - 1)))
    assert.equal(v.valid, false)
    assert.match(v.reason!, /已过期/)
  })

  it('answers for what cannot be read, and refuses an empty token naming the field', async () => {
    for (const token of ['hello', '123.20991231', '123.2099123.AAAAAAAAAAAAAAAAAAAAAA', '1 2.20991231.AAAAAAAAAAAAAAAAAAAAAA']) {
      const v = await verify(token)
      assert.equal(v.valid, false, token)
      assert.match(v.reason!, /无法识别/, token)
    }
    // well formed and signed, but no such member number
    const v = await verify(signCard(f.pii, '99999999999999', todayIn(TIME_ZONE)))
    assert.equal(v.valid, false)
    assert.match(v.reason!, /查无此会员卡/)
    const empty = await f.app.inject({ method: 'GET', url: '/api/cards/verify?token=%20' })
    assert.equal(empty.statusCode, 400)
    assert.ok(empty.json().error.fields.token, empty.body)
    assert.match(empty.json().error.message, /请扫描会员卡二维码/)
  })

  it('ends with the membership: a member who left has no card, and their token no longer verifies', async () => {
    const id = await newMember('卡片退会')
    const { token } = (await cardOf(id)).json()
    assert.equal((await verify(token)).valid, true)
    const left = await f.send('POST', `/api/members/${id}/status`, ganlin, { event: '5', reason: '1' })
    assert.equal(left.statusCode, 200, left.body)
    const v = await verify(token)
    assert.equal(v.valid, false)
    assert.match(v.reason!, /已离会/)
    assert.equal(v.status, 'left')
    const refused = await cardOf(id)
    assert.equal(refused.statusCode, 409)
    assert.match(refused.json().error.message, /已离会，不能出具会员卡/)
  })

  it('is issued only inside the jurisdiction', async () => {
    const r = await cardOf(f.ids.ganlinMember, chongren)
    assert.equal(r.statusCode, 404)
    assert.match(r.json().error.message, /不在您的管辖范围内/)
    assert.equal((await cardOf(f.ids.chongrenMember, chongren)).statusCode, 200)
    // and not to a stranger without a session
    assert.equal((await f.app.inject({ method: 'GET', url: `/api/members/${f.ids.ganlinMember}/card` })).statusCode, 401)
  })
})
