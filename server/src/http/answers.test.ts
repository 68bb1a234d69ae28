import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { fixture, type Fixture } from '../test/harness.js'

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>
}

/**
 * /api/openapi.json documents what comes back: every GET route has a 200 answer with a schema
 * (common/responses.ts). That the answers match their schemas, field for field, is checked by
 * every test through the harness (checkAnswers, http/answers.ts); here a few answers with rows.
 */
describe('answers documented (response schemas)', () => {
  let f: Fixture
  let doc: { paths: Record<string, Record<string, Operation>> }
  before(async () => {
    f = await fixture()
    doc = (await f.app.inject({ method: 'GET', url: '/api/openapi.json' })).json()
  })
  after(() => f.close())

  it('every GET route of the OpenAPI document has a 200 response schema', () => {
    const gets = Object.entries(doc.paths).filter(([, ops]) => ops.get)
    assert.ok(gets.length > 40, `${gets.length} GET routes`)
    const missing = gets
      .filter(([, ops]) => {
        const ok = ops.get!.responses?.['200']?.content
        return !ok || Object.values(ok).every((c) => !c.schema || Object.keys(c.schema).length === 0)
      })
      .map(([p]) => p)
    assert.deepEqual(missing, [], 'GET routes without a documented answer: add response: { 200: … } (common/responses.ts)')
  })

  it('lists name their fields; files are binary', () => {
    const members = doc.paths['/api/members']!.get!.responses!['200']!.content!['application/json']!.schema as {
      properties: { items: { items: { properties: Record<string, unknown> } } }
    }
    for (const k of ['id', 'memberNo', 'name', 'documentNumber', 'unionName', 'status', 'quality'])
      assert.ok(k in members.properties.items.items.properties, k)
    const file = doc.paths['/api/members/export']!.get!.responses!['200']!.content!
    assert.equal(Object.values(file)[0]!.schema!.format, 'binary')
  })

  it('answers with rows match their schemas exactly (the harness checks each answer)', async () => {
    const h = await f.login('ganlin')
    for (const url of [
      '/api/auth/me',
      '/api/members?pageSize=5',
      '/api/members/summary',
      `/api/members/${f.ids.ganlinMember}`,
      `/api/members/${f.ids.ganlinMember}/card`,
      '/api/orgs?pageSize=5',
      `/api/orgs/${f.ids.ganlin}`,
      '/api/enterprises?pageSize=5',
      `/api/enterprises/${f.ids.ganlinEnterprise}`,
      '/api/enterprises/due-summary',
      '/api/stats/panel',
      '/api/stats/ranking',
      '/api/stats/settings',
      '/api/regions?parent=330683',
      '/api/transfers',
      '/api/applications',
      '/api/imports',
      '/api/plans',
      '/api/forms',
      '/api/report-rounds',
      '/api/planned-unions',
      '/api/messages',
    ]) {
      const r = await f.app.inject({ method: 'GET', url, headers: h })
      assert.equal(r.statusCode, 200, `${url}: ${r.body.slice(0, 500)}`)
    }
  })
})
