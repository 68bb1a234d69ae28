import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { defaultRules } from '../../../../common/api.js'
import { fixture, type Fixture } from '../../test/harness.js'

/**
 * Divisions (GB/T 2260, loaded at bootstrap) and the 应建未建 rules per region: a town without a
 * rule of its own takes the nearest enclosing region's (the county's), else the defaults; only the
 * system administrator sets a rule, audited with what it was before.
 */
describe('regions and their rules', () => {
  let f: Fixture
  const h: Record<string, Record<string, string>> = {}
  before(async () => {
    f = await fixture()
    for (const u of ['admin', 'ganlin', 'chongren', 'city', 'auditor', 'secadmin', 'viewer']) h[u] = await f.login(u)
  })
  after(() => f.close())

  const get = (url: string, headers?: Record<string, string>) => f.app.inject({ method: 'GET', url, ...(headers ? { headers } : {}) })
  const put = (code: string, payload: object, headers = h.admin) =>
    f.app.inject({ method: 'PUT', url: `/api/rules/${code}`, headers, payload })
  const ruleOf = async (code: string, headers = h.ganlin) => {
    const r = await get(`/api/rules/${code}`, headers)
    assert.equal(r.statusCode, 200, r.body)
    return r.json() as { regionCode: string; own: boolean; rule: typeof defaultRules }
  }

  it('tells anyone the county served, and a signed-in user the divisions below a code', async () => {
    const config = await get('/api/public/config')
    assert.equal(config.statusCode, 200)
    // no demo member outside the demo (the demo names it on the sign-in page)
    assert.deepEqual(config.json(), { cityCode: '330683', cityName: '嵊州市', demoMemberPhone: null })

    assert.equal((await get('/api/regions?parent=330683')).statusCode, 401, 'divisions need a session')
    const towns = await get('/api/regions?parent=330683', h.viewer)
    assert.equal(towns.statusCode, 200, towns.body)
    const list = towns.json() as { code: string; name: string; parentCode: string; level: number }[]
    assert.ok(list.length >= 10, `the towns and streets of 嵊州市: ${list.length}`)
    assert.deepEqual(
      list.find((x) => x.code === '330683100'),
      { code: '330683100', name: '甘霖镇', parentCode: '330683', level: 4 },
    )
    assert.ok(list.every((x) => x.parentCode === '330683' && x.level === 4))
    assert.deepEqual(
      list.map((x) => x.code),
      [...list.map((x) => x.code)].sort(),
      'in code order',
    )
    // villages below a town; nothing below a code that does not exist
    const villages = (await get('/api/regions?parent=330683100', h.viewer)).json() as { code: string; level: number }[]
    assert.ok(villages.length > 0 && villages.every((v) => v.code.startsWith('330683100') && v.level === 5))
    assert.deepEqual((await get('/api/regions?parent=999999', h.viewer)).json(), [])

    const bad = await get('/api/regions?parent=33x', h.viewer)
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.json().error.fields.parent, '应为行政区划代码')
  })

  it('a town takes the county’s rule until it has its own; the nearest rule wins; defaults without any', async () => {
    assert.deepEqual(await ruleOf('330683100'), { regionCode: '330683100', own: false, rule: defaultRules })
    assert.deepEqual(await ruleOf('330683'), { regionCode: '330683', own: false, rule: defaultRules })

    const county = { ownUnionMinEmployees: 20, graceMonths: 6, largeMinEmployees: 80, zoneMinEmployees: 40 }
    const r = await put('330683', county)
    assert.equal(r.statusCode, 200, r.body)
    assert.deepEqual(r.json(), { regionCode: '330683', own: true, rule: county })
    // both towns inherit it
    assert.deepEqual(await ruleOf('330683100'), { regionCode: '330683100', own: false, rule: county })
    assert.deepEqual(await ruleOf('330683102', h.chongren), { regionCode: '330683102', own: false, rule: county })

    // 甘霖镇's own rule overrides the county's there, and only there
    const town = { ownUnionMinEmployees: 30, graceMonths: 12, largeMinEmployees: 100, zoneMinEmployees: 50 }
    assert.equal((await put('330683100', town)).statusCode, 200)
    assert.deepEqual(await ruleOf('330683100'), { regionCode: '330683100', own: true, rule: town })
    assert.deepEqual((await ruleOf('330683102', h.chongren)).rule, county)

    // changed again: one row per region, the audit keeps before and after
    const town2 = { ...town, graceMonths: 3 }
    assert.equal((await put('330683100', town2)).statusCode, 200)
    assert.deepEqual((await ruleOf('330683100')).rule, town2)
    assert.equal(
      (await f.database.db.selectFrom('region_rule').select('region_code').where('region_code', '=', '330683100').execute()).length,
      1,
    )
    const audit = await f.database.db
      .selectFrom('audit_log')
      .select(['actor_name', 'detail'])
      .where('action', '=', 'rule.update')
      .where('target_id', '=', '330683100')
      .orderBy('id')
      .execute()
    assert.equal(audit.length, 2)
    assert.equal(audit[0]!.actor_name, 'admin')
    const last = audit[1]!.detail as { before: { grace_months: number } | null; after: { graceMonths: number } }
    assert.equal(last.before!.grace_months, 12)
    assert.equal(last.after.graceMonths, 3)
    assert.equal((audit[0]!.detail as { before: unknown }).before, null, 'the first rule of a region had none before')
  })

  it('only the system administrator sets a rule; the 三员 other than the sysadmin do not read rules', async () => {
    const rule = { ownUnionMinEmployees: 10, graceMonths: 1, largeMinEmployees: 50, zoneMinEmployees: 20 }
    for (const u of ['ganlin', 'city', 'viewer', 'auditor', 'secadmin']) {
      const r = await put('330683102', rule, h[u])
      assert.equal(r.statusCode, 403, `${u}: ${r.body}`)
    }
    for (const u of ['auditor', 'secadmin']) assert.equal((await get('/api/rules/330683102', h[u])).statusCode, 403, u)
    assert.notDeepEqual((await ruleOf('330683102', h.chongren)).rule, rule, 'nothing was written')
    assert.equal(
      await f.database.db.selectFrom('region_rule').select('region_code').where('region_code', '=', '330683102').executeTakeFirst(),
      undefined,
    )
  })

  it('refuses in Chinese, naming the field: an unknown region, a malformed code, values out of range', async () => {
    const rule = { ownUnionMinEmployees: 25, graceMonths: 12, largeMinEmployees: 100, zoneMinEmployees: 50 }
    const unknown = await put('330683999', rule)
    assert.equal(unknown.statusCode, 400)
    assert.equal(unknown.json().error.fields.regionCode, '行政区划代码不存在')
    assert.match(unknown.json().error.message, /^所在政区：行政区划代码不存在/)

    const malformed = await put('33068', rule)
    assert.equal(malformed.statusCode, 400)
    assert.equal(malformed.json().error.fields.regionCode, '应为6位或9位行政区划代码')

    for (const [field, value] of [
      ['ownUnionMinEmployees', 0],
      ['graceMonths', 61],
      ['largeMinEmployees', 'many'],
    ] as const) {
      const r = await put('330683100', { ...rule, [field]: value })
      assert.equal(r.statusCode, 400, `${field}=${value}: ${r.body}`)
      assert.ok(r.json().error.fields[field], `${field} named: ${r.body}`)
      assert.match(r.json().error.message, /[\u4e00-\u9fff]/, 'in Chinese')
    }
    assert.equal(
      await f.database.db.selectFrom('region_rule').select('region_code').where('region_code', '=', '330683999').executeTakeFirst(),
      undefined,
    )
  })
})
