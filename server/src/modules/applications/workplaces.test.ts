import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { creditCode, fixture, type Fixture } from '../../test/harness.js'
import * as enterprises from '../enterprises/enterprises.service.js'
import { WORKPLACE_SEARCHES_PER_MINUTE } from './applications.routes.js'

/** The public workplace search behind /join: what was typed, literally; never the whole register. */
describe('the public workplace search', () => {
  let f: Fixture
  let address = 0
  before(async () => {
    f = await fixture()
    const names = ['百分%之百五金厂', '下划_线纺织厂', '反斜\\杠电器厂', ...Array.from({ length: 25 }, (_, i) => `同名企业${i + 1}号`)]
    await f.as('city', async (ctx) => {
      for (const name of names)
        await enterprises.create(ctx, { creditCode: creditCode(), name, regionCode: '330683100', nature: 'private', employees: 3 })
    })
  })
  after(() => f.close())

  const search = (q: string, remoteAddress = `198.51.100.${++address}`) =>
    f.app.inject({ method: 'GET', url: `/api/public/workplaces?q=${encodeURIComponent(q)}`, remoteAddress })
  const names = async (q: string) => {
    const r = await search(q)
    assert.equal(r.statusCode, 200, r.body)
    return (r.json() as { name: string }[]).map((x) => x.name).sort()
  }

  it('takes %, _ and \\ as characters, not wildcards', async () => {
    assert.deepEqual(await names('%%'), [])
    assert.deepEqual(await names('__'), [])
    assert.deepEqual(await names('\\\\'), [])
    assert.deepEqual(await names('%_'), [])
    assert.deepEqual(await names('分%'), ['百分%之百五金厂'])
    assert.deepEqual(await names('划_'), ['下划_线纺织厂'])
    assert.deepEqual(await names('斜\\'), ['反斜\\杠电器厂'])
  })

  it('needs two characters and answers at most 20 rows', async () => {
    assert.equal((await search('%')).statusCode, 400)
    assert.equal((await search('_')).statusCode, 400)
    assert.equal((await search(' 厂 ')).statusCode, 400)
    assert.equal((await names('同名企业')).length, 20)
  })

  it(`answers 429 in Chinese beyond ${WORKPLACE_SEARCHES_PER_MINUTE} searches a minute from one address`, async () => {
    for (let i = 0; i < WORKPLACE_SEARCHES_PER_MINUTE; i++) assert.equal((await search('五金', '192.0.2.77')).statusCode, 200)
    const r = await search('五金', '192.0.2.77')
    assert.equal(r.statusCode, 429)
    assert.match(r.json().error.message, /过于频繁/)
    assert.equal((await search('五金', '192.0.2.78')).statusCode, 200, 'another address is not limited')
  })
})
