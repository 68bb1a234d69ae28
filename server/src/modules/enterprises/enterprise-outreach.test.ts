import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { auditEntries, creditCode, fixture, type Fixture } from '../../test/harness.js'
import type { EnterpriseView } from '../../../../common/api.js'
import * as stats from '../stats/indicators.js'
import { setEffectiveDay, verify } from '../stats/stats.repository.js'
import * as enterprises from './enterprises.service.js'

/** The register for outreach (issue 13 item 4): the unit's people, closing a unit, duplicates, 应建未建 by town. */
describe('enterprise register: people, closing, duplicates, 应建未建 by town', () => {
  let f: Fixture
  const h: Record<string, Record<string, string>> = {}
  let today: string
  const daysAgo = (n: number) => {
    const d = new Date(today + 'T00:00:00Z')
    d.setUTCDate(d.getUTCDate() - n)
    return d.toISOString().slice(0, 10)
  }
  before(async () => {
    f = await fixture()
    for (const u of ['city', 'ganlin', 'chongren', 'viewer']) h[u] = await f.login(u)
    today = await f.as('city', async (ctx) => ctx.today)
  })
  after(() => f.close())

  const req = (method: 'GET' | 'POST' | 'PATCH', url: string, user: string, payload?: object) =>
    f.app.inject({ method, url, headers: h[user], ...(payload ? { payload } : {}) })
  const create = async (user: string, over: Record<string, unknown>): Promise<EnterpriseView> => {
    const r = await req('POST', '/api/enterprises', user, {
      creditCode: creditCode(),
      name: '测试单位',
      regionCode: '330683100',
      nature: 'private',
      employees: 40,
      foundedOn: '2020-01-01',
      ...over,
    })
    assert.equal(r.statusCode, 201, r.body)
    return r.json()
  }
  const due = async (user = 'city') =>
    ((await req('GET', '/api/enterprises?shouldHaveUnion=true&pageSize=200', user)).json().items as EnterpriseView[]).map((e) => e.name)
  const entAll = (asOf?: string) =>
    f.as('city', async (ctx) => {
      const p = await stats.panel(ctx, { org: f.ids.ganlin, asOf, hierarchy: 'geo' })
      return p.indicators.find((i) => i.key === 'union_rate.np25')!.denominator
    })
  const verified = async () => {
    const v = await f.database.db.transaction().execute((tx) => verify(tx))
    assert.deepEqual(v.differences, [])
    assert.deepEqual(v.ledgerMismatches, [])
  }

  it('filters the register by 所在地区: the units whose region code starts with the chosen area, and their total', async () => {
    await create('ganlin', { name: '地区筛选甲', regionCode: '330683100' })
    await create('chongren', { name: '地区筛选乙', regionCode: '330683102' })
    const all = (await req('GET', '/api/enterprises?pageSize=200', 'city')).json() as { items: EnterpriseView[]; total: number }
    assert.ok(all.total < 200)
    for (const area of ['330683100', '330683102', '3306831', '330683', '330684']) {
      const r = (await req('GET', `/api/enterprises?pageSize=200&regionCode=${area}`, 'city')).json() as {
        items: EnterpriseView[]
        total: number
      }
      const expected = all.items.filter((e) => e.regionCode.startsWith(area)).map((e) => e.id)
      assert.deepEqual(r.items.map((e) => e.id).sort(), expected.sort(), area)
      assert.equal(r.total, expected.length, area)
    }
  })

  it('keeps 法定代表人, 联系人 and 电话 sealed, shows them masked, reveals them audited', async () => {
    const e = await create('ganlin', { name: '外联测试厂', legalRep: '王小明', contactName: '李华', contactPhone: '13812345678' })
    assert.deepEqual([e.legalRep, e.contactName, e.contactPhone], ['王**', '李*', '138****5678'])
    const row = await f.database.db.selectFrom('enterprise').selectAll().where('id', '=', e.id).executeTakeFirstOrThrow()
    const raw = JSON.stringify(row)
    for (const clear of ['王小明', '李华', '13812345678']) assert.ok(!raw.includes(clear), `${clear} is sealed`)
    assert.equal(f.pii.decrypt(row.contact_phone_enc!), '13812345678')
    // the audit log holds the masks only
    const logged = await auditEntries(f, 'enterprise.create')
    const text = JSON.stringify(logged)
    for (const clear of ['王小明', '李华', '13812345678']) assert.ok(!text.includes(clear), `${clear} not in the audit log`)
    // reveal: a reason, audited; a viewer may not
    const shown = await req('POST', `/api/enterprises/${e.id}/reveal`, 'ganlin', { field: 'legalRep', reason: '联系建会事宜' })
    assert.equal(shown.statusCode, 200, shown.body)
    assert.equal(shown.json().value, '王小明')
    assert.equal(
      (await req('POST', `/api/enterprises/${e.id}/reveal`, 'viewer', { field: 'contactPhone', reason: '看看' })).statusCode,
      403,
    )
    const audit = await auditEntries(f, 'pii.reveal', { target_type: 'enterprise' })
    assert.equal(audit.length, 1)
    assert.equal(Number(audit[0]!.target_id), e.id)
    // edit: a new phone, cleared contact
    const patched = await req('PATCH', `/api/enterprises/${e.id}`, 'ganlin', { contactPhone: '0575-83012345', contactName: null })
    assert.equal(patched.statusCode, 200, patched.body)
    assert.deepEqual([patched.json().contactPhone, patched.json().contactName, patched.json().legalRep], ['057******2345', null, '王**'])
  })

  it('a duplicate credit code names the unit in the caller\'s jurisdiction, and only says "elsewhere" for another town\'s', async () => {
    const mine = await create('ganlin', { name: '甘霖重复测试厂' })
    const again = await req('POST', '/api/enterprises', 'ganlin', {
      creditCode: mine.creditCode,
      name: '另一个名字',
      regionCode: '330683100',
      nature: 'private',
      employees: 5,
    })
    assert.equal(again.statusCode, 409, again.body)
    assert.match(again.json().error.message, /已登记为「甘霖重复测试厂」/)
    assert.match(again.json().error.fields.creditCode, /甘霖重复测试厂/)
    const other = await req('POST', '/api/enterprises', 'chongren', {
      creditCode: mine.creditCode,
      name: '崇仁的登记',
      regionCode: '330683102',
      nature: 'private',
      employees: 5,
    })
    assert.equal(other.statusCode, 409, other.body)
    assert.match(other.json().error.message, /其他/)
    assert.ok(!other.body.includes('甘霖'), "another town's unit is not named")
    // an edit to a code already used is refused the same way
    const second = await create('ganlin', { name: '甘霖第二厂' })
    const edit = await req('PATCH', `/api/enterprises/${second.id}`, 'ganlin', { creditCode: mine.creditCode })
    assert.equal(edit.statusCode, 409)
    assert.match(edit.json().error.message, /甘霖重复测试厂/)
  })

  it('注销 from a date: it leaves 应建未建 and the counts from that date; the history and stats verify keep it', async () => {
    // a unit the statistics know since 30 days ago (registered then: its facts dated that day)
    const e = await f.as('ganlin', async (ctx) => {
      await setEffectiveDay(ctx.db, daysAgo(30))
      return enterprises.create(ctx, {
        creditCode: creditCode(),
        name: '将注销的厂',
        regionCode: '330683100',
        nature: 'private',
        employees: 60,
        foundedOn: '2020-01-01',
      })
    })
    assert.ok((await due()).includes('将注销的厂'))
    const closedOn = daysAgo(10)
    const lastWeekBefore = daysAgo(12)
    const [before, atClosing, earlier] = [await entAll(), await entAll(closedOn), await entAll(lastWeekBefore)]
    assert.equal(earlier, 1, 'counted since 30 days ago')
    const r = await req('POST', `/api/enterprises/${e.id}/status`, 'ganlin', {
      status: 'deregistered',
      effectiveOn: closedOn,
      note: '已办理注销',
    })
    assert.equal(r.statusCode, 200, r.body)
    assert.deepEqual([r.json().status, r.json().closedOn, r.json().dueReasons], ['deregistered', closedOn, []])
    assert.equal(r.json().history.length, 1)
    assert.ok(!(await due()).includes('将注销的厂'))
    assert.ok(!(await due('ganlin')).includes('将注销的厂'))
    // the count of units drops from the closing day on, not before
    assert.equal(await entAll(), before! - 1)
    assert.equal(await entAll(closedOn), atClosing! - 1)
    assert.equal(await entAll(lastWeekBefore), earlier)
    await verified()
    // the register keeps it, marked; the filter finds it
    const closed = (await req('GET', '/api/enterprises?status=closed', 'ganlin')).json()
    assert.deepEqual(
      closed.items.map((x: EnterpriseView) => x.name),
      ['将注销的厂'],
    )
    // edits while closed change no count
    assert.equal((await req('PATCH', `/api/enterprises/${e.id}`, 'ganlin', { employees: 80 })).statusCode, 200)
    assert.equal(await entAll(), before! - 1)
    await verified()
    // a second closure must go through 正常 first; a future date or one before founding is refused
    const twice = await req('POST', `/api/enterprises/${e.id}/status`, 'ganlin', { status: 'moved_out', effectiveOn: today })
    assert.equal(twice.statusCode, 400)
    const early = await req('POST', `/api/enterprises/${e.id}/status`, 'ganlin', { status: 'active', effectiveOn: '2019-01-01' })
    assert.equal(early.statusCode, 400)
    assert.match(early.json().error.message, /成立日期/)
    // reopened (recorded in error): back in 应建未建 and in every count, as if never closed
    const back = await req('POST', `/api/enterprises/${e.id}/status`, 'ganlin', { status: 'active', effectiveOn: today, note: '误操作' })
    assert.equal(back.statusCode, 200, back.body)
    assert.ok((await due()).includes('将注销的厂'))
    assert.equal(await entAll(), before)
    assert.equal(await entAll(closedOn), atClosing)
    assert.equal(await entAll(lastWeekBefore), earlier)
    await verified()
    const hist = (await req('GET', `/api/enterprises/${e.id}/status-history`, 'ganlin')).json()
    assert.deepEqual(
      hist.map((x: { status: string }) => x.status),
      ['deregistered', 'active'],
    )
    const actions = await f.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_type', '=', 'enterprise')
      .where('target_id', '=', String(e.id))
      .orderBy('id')
      .execute()
    assert.deepEqual(
      actions.map((a) => a.action),
      ['enterprise.create', 'enterprise.close', 'enterprise.update', 'enterprise.reopen'],
    )
    // 停业 works the same; a viewer may not close anything
    assert.equal(
      (await req('POST', `/api/enterprises/${e.id}/status`, 'viewer', { status: 'suspended', effectiveOn: today })).statusCode,
      403,
    )
    const stop = await req('POST', `/api/enterprises/${e.id}/status`, 'ganlin', { status: 'suspended', effectiveOn: today })
    assert.equal(stop.statusCode, 200)
    assert.ok(!(await due()).includes('将注销的厂'))
    await verified()
  })

  it('sums 应建未建 by town as well as by size', async () => {
    await create('chongren', { name: '崇仁应建厂', regionCode: '330683102', employees: 30 })
    const s = (await req('GET', '/api/enterprises/due-summary', 'city')).json()
    const towns = s.byTown as { code: string; label: string; count: number; workers: number }[]
    assert.ok(towns.length >= 2)
    assert.equal(
      towns.reduce((a, t) => a + t.count, 0),
      s.total,
    )
    assert.ok(towns.some((t) => t.label === '崇仁镇'))
    assert.ok(
      towns.every((t) => !/^\d+$/.test(t.label)),
      'towns by name',
    )
    const own = (await req('GET', '/api/enterprises/due-summary', 'chongren')).json()
    assert.deepEqual(
      own.byTown.map((t: { label: string }) => t.label),
      ['崇仁镇'],
    )
  })
})
