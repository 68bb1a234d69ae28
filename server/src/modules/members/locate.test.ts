import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { countRows, fixture, memberDocument, residentId, type Fixture } from '../../test/harness.js'
import { LOCATE_ELSEWHERE_PER_HOUR, resetLocateLimits } from './locate.js'

/**
 * Where a person is a member is the one thing a cadre learns about people beyond its jurisdiction.
 * Each such lookup is audited, also when the request is refused (and rolls back), and limited.
 */
describe('locating a person', () => {
  let f: Fixture
  let ganlin: Record<string, string>
  let chongrenDoc: string
  let ganlinDoc: string
  before(async () => {
    f = await fixture()
    ganlin = await f.login('ganlin')
    chongrenDoc = await memberDocument(f, f.ids.chongrenMember)
    ganlinDoc = await memberDocument(f, f.ids.ganlinMember)
    resetLocateLimits()
  })
  after(() => f.close())

  const locateAudits = async () =>
    f.database.db
      .selectFrom('audit_log')
      .select(['actor_name', 'action', 'target_id', 'detail'])
      .where('action', '=', 'member.locate')
      .orderBy('id')
      .execute()
  const members = () => countRows(f, 'member')
  const register = (documentNumber: string) =>
    f.send('POST', '/api/members', ganlin, { name: '虚构会员', documentType: 'resident_id', documentNumber, unionId: f.ids.ganlinJoint })

  it('a refused registration of a member elsewhere is audited although nothing is written', async () => {
    const before = await members()
    const r = await register(chongrenDoc)
    assert.equal(r.statusCode, 409)
    assert.equal(r.json().error.code, 'member_elsewhere')
    assert.equal(await members(), before)
    const audits = await locateAudits()
    assert.equal(audits.length, 1)
    assert.equal(audits[0]!.actor_name, 'ganlin')
    assert.equal(audits[0]!.target_id, String(f.ids.chongrenMember))
    assert.equal((audits[0]!.detail as { purpose: string }).purpose, 'member.create')
    // the chain still verifies with the entry written after the rollback
    const auditor = await f.login('auditor')
    const v = await f.app.inject({ method: 'GET', url: '/api/audit/verify', headers: auditor })
    assert.equal(v.statusCode, 200, v.body)
    assert.equal(JSON.stringify(v.json()).includes('"ok":false'), false, v.body)
  })

  it('a person found in the own jurisdiction is no lookup beyond it: not audited, not counted', async () => {
    const before = (await locateAudits()).length
    const r = await register(ganlinDoc)
    assert.equal(r.statusCode, 409)
    assert.equal((await locateAudits()).length, before)
    assert.equal((await register(residentId('19880808'))).statusCode, 201)
    assert.equal((await locateAudits()).length, before)
  })

  it(`beyond ${LOCATE_ELSEWHERE_PER_HOUR} people found elsewhere in an hour, the caller gets 429 in Chinese, audited`, async () => {
    resetLocateLimits()
    for (let i = 0; i < LOCATE_ELSEWHERE_PER_HOUR; i++) assert.equal((await register(chongrenDoc)).statusCode, 409)
    const before = (await locateAudits()).length
    const r = await register(chongrenDoc)
    assert.equal(r.statusCode, 429)
    assert.match(r.json().error.message, /过于频繁/)
    assert.doesNotMatch(r.body, /崇仁/, 'the refusal says where the person is a member')
    const audits = await locateAudits()
    assert.equal(audits.length, before + 1)
    assert.equal((audits.at(-1)!.detail as { refused: boolean }).refused, true)
    // the city holds 崇仁镇: for it the same person is no lookup beyond its jurisdiction
    const city = await f.login('city')
    const c = await f.send('POST', '/api/members', city, {
      name: '虚构会员',
      documentType: 'resident_id',
      documentNumber: chongrenDoc,
      unionId: f.ids.ganlinJoint,
    })
    assert.equal(c.statusCode, 409)
  })
})
