import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import * as repo from './enterprises.repository.js'
import * as service from './enterprises.service.js'
import { sql } from 'kysely'
import { enterpriseListQuery } from '../../../../common/api.js'
import { verify } from '../stats/stats.repository.js'
import ExcelJS from 'exceljs'
import { auditEntries, creditCode, fixture, type Fixture } from '../../test/harness.js'
import type { EnterpriseView } from '../../../../common/api.js'
import { TIME_ZONE, todayIn } from '../../http/scope.js'

/** a date `months` months before today, as YYYY-MM-DD */
function monthsAgo(months: number, extraDays = 0) {
  const d = new Date(todayIn(TIME_ZONE) + 'T00:00:00Z') // the server's day, not UTC's
  d.setUTCMonth(d.getUTCMonth() - months)
  d.setUTCDate(d.getUTCDate() - extraDays)
  return d.toISOString().slice(0, 10)
}

describe('enterprise register', () => {
  let f: Fixture
  const h: Record<string, Record<string, string>> = {}
  before(async () => {
    f = await fixture()
    for (const u of ['admin', 'city', 'ganlin', 'chongren', 'viewer']) h[u] = await f.login(u)
  })
  after(() => f.close())

  const post = (user: string, payload: object) => f.app.inject({ method: 'POST', url: '/api/enterprises', headers: h[user], payload })
  const count = async (table: 'enterprise' | 'audit_log') =>
    Number(
      (
        await f.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  const body = (over: Record<string, unknown> = {}) => ({
    creditCode: creditCode(),
    name: '测试单位',
    regionCode: '330683100',
    nature: 'private',
    employees: 10,
    ...over,
  })
  async function create(user: string, over: Record<string, unknown>): Promise<EnterpriseView> {
    const r = await post(user, body(over))
    assert.equal(r.statusCode, 201, r.body)
    return r.json()
  }
  /** the 应建未建 list as `user` sees it, by enterprise name */
  async function dueList(user = 'city'): Promise<Map<string, EnterpriseView>> {
    const r = await f.app.inject({ method: 'GET', url: '/api/enterprises?shouldHaveUnion=true&pageSize=200', headers: h[user] })
    assert.equal(r.statusCode, 200, r.body)
    return new Map(r.json().items.map((e: EnterpriseView) => [e.name, e]))
  }
  const reasons = (e: EnterpriseView | undefined) => e?.dueReasons.map((r) => `${r.code}:${r.label}`)

  it("reads the register without a union chosen as the caller's subtree: one kept plan, not one planned each time", async () => {
    const { listed, prepared } = await f.as('city', async (ctx) => {
      const listed = await service.list(ctx, enterpriseListQuery.parse({ pageSize: '5' }))
      const prepared = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(ctx.db)
      return { listed, prepared: prepared.rows.map((r) => r.statement) }
    })
    assert.ok(listed.items.length > 0)
    const city = (await f.actor('city')).scopePath!
    assert.ok(
      prepared.some((s) => s.includes('enterprise_register') && s.includes(`'${city}'`) && s.includes('/* one per subtree */')),
      `the page's statement names the city's subtree and is kept prepared: ${prepared.join(' | ').slice(0, 300)}`,
    )
  })

  it('searches for what was typed: % and _ are not wildcards', async () => {
    const made = await create('ganlin', { name: '百分号%测试厂' })
    const search = async (q: string) =>
      (await f.app.inject({ method: 'GET', url: `/api/enterprises?q=${encodeURIComponent(q)}`, headers: h.ganlin })).json().total as number
    assert.equal(await search('%'), 1)
    assert.equal(await search('_'), 0)
    assert.equal(await search('号%测'), 1)
    assert.equal(await search(made.creditCode.toLowerCase()), 1, 'a credit code finds its unit')
    assert.equal(await search('百'), 1, 'one character searches too')
  })

  it('counts a large list only up to a cap, and says so', async () => {
    const exact = await f.as('city', (ctx) => repo.list(ctx.db, { sort: '-employees', page: 1, pageSize: 5 }, 100_000))
    assert.equal(exact.totalCapped, false)
    assert.ok(exact.total >= 3)
    const capped = await f.as('city', (ctx) => repo.list(ctx.db, { sort: '-employees', page: 1, pageSize: 5 }, 2))
    assert.deepEqual([capped.total, capped.totalCapped], [2, true])
    assert.equal(capped.items.length, 5 > exact.total ? exact.total : 5, 'the page itself is not cut by the cap')
  })

  it("totals a subtree's register from the kept tallies of its active and closed units, as the rows are, through closing and reopening", async () => {
    const total = async (user: string, q: string) => {
      const r = await f.app.inject({ method: 'GET', url: `/api/enterprises?pageSize=5${q}`, headers: h[user] })
      assert.equal(r.statusCode, 200, r.body)
      return [r.json().total, r.json().totalCapped] as [number, boolean]
    }
    const rows = async (path: string, activeOnly: boolean) =>
      Number(
        (
          await f.database.db
            .selectFrom('enterprise')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('org_path', '>=', path)
            .where('org_path', '<', path + '~')
            .$if(activeOnly, (q) => q.where('status', '=', 'active'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const city = (await f.database.db.selectFrom('org').select('path').where('id', '=', f.ids.city).executeTakeFirstOrThrow()).path
    const ganlin = (await f.database.db.selectFrom('org').select('path').where('id', '=', f.ids.ganlin).executeTakeFirstOrThrow()).path
    const expect = async () => {
      // the caller's own subtree without an organization, a town's with one, a town cadre's own
      assert.deepEqual(await total('city', ''), [await rows(city, false), false])
      assert.deepEqual(await total('city', '&status=active'), [await rows(city, true), false])
      assert.deepEqual(await total('city', `&org=${f.ids.ganlin}`), [await rows(ganlin, false), false])
      assert.deepEqual(await total('ganlin', '&status=active'), [await rows(ganlin, true), false])
      assert.deepEqual(await total('ganlin', ''), [await rows(ganlin, false), false])
      assert.deepEqual(await total('ganlin', '&status=closed'), [(await rows(ganlin, false)) - (await rows(ganlin, true)), false])
    }
    // the kept tallies are what `stats verify` recomputes from the register
    const verified = async () => {
      const v = await f.database.db.transaction().execute((tx) => verify(tx))
      assert.deepEqual([v.differences, v.ledgerMismatches], [[], []])
    }
    const unit = await create('ganlin', { name: '总数测试单位' })
    await expect()
    const close = await f.app.inject({
      method: 'POST',
      url: `/api/enterprises/${unit.id}/status`,
      headers: h.ganlin,
      payload: { status: 'deregistered', effectiveOn: todayIn(TIME_ZONE) },
    })
    assert.equal(close.statusCode, 200, close.body)
    assert.ok((await rows(ganlin, false)) > (await rows(ganlin, true)), 'a closed unit in the town')
    await expect()
    await verified()
    const reopen = await f.app.inject({
      method: 'POST',
      url: `/api/enterprises/${unit.id}/status`,
      headers: h.ganlin,
      payload: { status: 'active', effectiveOn: todayIn(TIME_ZONE) },
    })
    assert.equal(reopen.statusCode, 200, reopen.body)
    await expect()
    await verified()
  })

  it('refuses an invalid credit code with a Chinese message on the field', async () => {
    const good = creditCode()
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0') // wrong check character
    for (const code of [bad, '12345', 'ABCDEFGHIJKLMNOPQR']) {
      const r = await post('ganlin', body({ creditCode: code }))
      assert.equal(r.statusCode, 400, code)
      const err = r.json().error
      assert.equal(err.code, 'invalid')
      assert.match(err.fields.creditCode, /[\u4e00-\u9fa5]/, `Chinese message for ${code}: ${err.fields.creditCode}`)
      assert.match(err.message, /^统一社会信用代码/)
    }
  })

  it('refuses a duplicate credit code with 409 naming the field, and writes nothing', async () => {
    const code = creditCode()
    await create('ganlin', { creditCode: code, name: '甘霖原登记单位' })
    const [n0, a0] = [await count('enterprise'), await count('audit_log')]
    // also when the existing one is in another town, and when typed in lower case
    for (const [user, c, region] of [
      ['ganlin', code, '330683100'],
      ['chongren', code, '330683102'],
      ['ganlin', code.toLowerCase(), '330683100'],
    ] as const) {
      const r = await post(user, body({ creditCode: c, name: '重复登记', regionCode: region }))
      assert.equal(r.statusCode, 409, `${user} ${c}: ${r.body}`)
      assert.match(r.json().error.message, /统一社会信用代码/)
      assert.ok(r.json().error.fields.creditCode)
    }
    assert.equal(await count('enterprise'), n0)
    assert.equal(await count('audit_log'), a0)
  })

  it('refuses more migrant or dispatched workers than employees', async () => {
    const n0 = await count('enterprise')
    const r = await post('ganlin', body({ employees: 10, migrantWorkers: 11 }))
    assert.equal(r.statusCode, 400)
    assert.equal(r.json().error.fields.migrantWorkers, '不能多于职工人数')
    const d = await post('ganlin', body({ employees: 10, dispatchedWorkers: 12 }))
    assert.equal(d.statusCode, 400)
    assert.ok(d.json().error.fields.dispatchedWorkers)
    // on a change too, against the stored number of employees
    const e = await create('ganlin', { employees: 10, migrantWorkers: 10, name: '农民工测试厂' })
    const p = await f.send('PATCH', `/api/enterprises/${e.id}`, h.ganlin, { employees: 9 })
    assert.equal(p.statusCode, 400)
    assert.ok(p.json().error.fields.migrantWorkers)
    assert.equal(await count('enterprise'), n0 + 1)
  })

  it('does not let a town cadre register an enterprise in another town', async () => {
    const n0 = await count('enterprise')
    const r = await post('ganlin', body({ regionCode: '330683102', name: '越界登记' }))
    assert.ok([400, 403].includes(r.statusCode), r.body)
    assert.match(r.json().error.message, /所在政区/)
    assert.ok(r.json().error.fields.regionCode)
    // nor an unknown or county-level code
    const x = await post('ganlin', body({ regionCode: '330683999' }))
    assert.equal(x.statusCode, 400)
    assert.match(x.json().error.message, /所在政区/)
    assert.equal(await count('enterprise'), n0)
    // the city can, in either town
    await create('city', { regionCode: '330683102', name: '市总代崇仁登记' })
  })

  it('lets a viewer list but not create', async () => {
    const r = await post('viewer', body({ name: '查看员登记' }))
    assert.equal(r.statusCode, 403)
    assert.match(r.json().error.message, /只能查看/)
    const list = await f.app.inject({ method: 'GET', url: '/api/enterprises', headers: h.viewer })
    assert.equal(list.statusCode, 200)
    assert.ok(list.json().items.some((e: EnterpriseView) => e.name === '甘霖小微五金厂'))
    assert.ok(!list.json().items.some((e: EnterpriseView) => e.townCode === '330683102'), 'a 甘霖镇 viewer sees no 崇仁镇 enterprise')
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/enterprises?shouldHaveUnion=true', headers: h.viewer })).statusCode, 200)
    const e = list.json().items[0] as EnterpriseView
    assert.equal((await f.send('PATCH', `/api/enterprises/${e.id}`, h.viewer, { employees: 99 })).statusCode, 403)
  })

  it('lists who should have a union and does not, with the reason', async () => {
    const recent = monthsAgo(3)
    const big = await create('ganlin', { name: '甘霖三十人厂', employees: 30, foundedOn: recent })
    const small = await create('ganlin', { name: '甘霖十二人厂', employees: 12, foundedOn: recent })
    const old = await create('ganlin', { name: '甘霖老小店', employees: 5, foundedOn: monthsAgo(12, 2), nature: 'individual' })
    const young = await create('ganlin', { name: '甘霖新小店', employees: 5, foundedOn: monthsAgo(11), nature: 'individual' })
    assert.equal(young.dueReasons.length, 0)

    let due = await dueList()
    assert.deepEqual(reasons(due.get('甘霖三十人厂')), ['over_threshold:25人以上未建会'])
    assert.deepEqual(reasons(due.get('甘霖老小店')), ['grace_expired:成立满12个月未建会'])
    assert.ok(due.has('甘霖十二人厂') === false, 'a 12-worker enterprise opened 3 months ago owes nothing yet')
    assert.ok(!due.has('甘霖新小店'))
    assert.ok(!due.has('甘霖小微五金厂'), 'covered by the joint union of the fixture')

    // a joint union covers the 30-worker enterprise: it still needs its own union
    const cover = await f.send('PUT', `/api/orgs/${f.ids.ganlinJoint}/enterprises`, h.ganlin, {
      enterpriseIds: [f.ids.ganlinEnterprise, big.id, small.id, old.id],
    })
    assert.equal(cover.statusCode, 200, cover.body)
    due = await dueList()
    assert.deepEqual(reasons(due.get('甘霖三十人厂')), ['own_union_required:25人以上应单独建会'])
    assert.equal(due.get('甘霖三十人厂')!.coverage, 'joint')
    // small ones covered by a joint union leave the list
    assert.ok(!due.has('甘霖十二人厂'))
    assert.ok(!due.has('甘霖老小店'), 'joint coverage settles the one-year rule')
    // the town sees the same as the city, within its town
    const town = await dueList('ganlin')
    assert.deepEqual(reasons(town.get('甘霖三十人厂')), ['own_union_required:25人以上应单独建会'])
    assert.ok([...town.values()].every((e) => e.townCode === '330683100'))

    // and its own union takes it off the list
    const own = await f.send('POST', '/api/orgs', h.ganlin, {
      parentId: f.ids.ganlin,
      name: '甘霖三十人厂工会委员会',
      orgType: '1',
      orgForm: 'committee',
      regionCode: '330683100',
      enterpriseId: big.id,
    })
    assert.equal(own.statusCode, 201, own.body)
    assert.ok(!(await dueList()).has('甘霖三十人厂'))
  })

  it('lists large enterprises and those in development zones by their own rules', async () => {
    await create('chongren', { name: '崇仁百人厂', regionCode: '330683102', employees: 120, foundedOn: monthsAgo(2) })
    await create('chongren', {
      name: '崇仁园区厂',
      regionCode: '330683102',
      employees: 60,
      zoneName: '崇仁工业园区',
      foundedOn: monthsAgo(2),
    })
    const due = await dueList()
    assert.deepEqual(reasons(due.get('崇仁百人厂')), ['over_threshold:25人以上未建会', 'large:100人以上企业应建会'])
    assert.deepEqual(reasons(due.get('崇仁园区厂')), ['over_threshold:25人以上未建会', 'zone:开发区（园区）内50人以上应建会'])
  })

  it('applies a region rule change to that town only', async () => {
    await create('ganlin', { name: '甘霖二十六人厂', employees: 26, foundedOn: monthsAgo(1) })
    await create('ganlin', { name: '甘霖三十二人厂', employees: 32, foundedOn: monthsAgo(1) })
    await create('chongren', { name: '崇仁二十六人厂', regionCode: '330683102', employees: 26, foundedOn: monthsAgo(1) })
    let due = await dueList()
    assert.deepEqual(reasons(due.get('甘霖二十六人厂')), ['over_threshold:25人以上未建会'])
    assert.deepEqual(reasons(due.get('崇仁二十六人厂')), ['over_threshold:25人以上未建会'])

    const rule = { ownUnionMinEmployees: 30, graceMonths: 12, largeMinEmployees: 100, zoneMinEmployees: 50 }
    // only the system administrator sets rules
    assert.equal((await f.send('PUT', '/api/rules/330683100', h.ganlin, rule)).statusCode, 403)
    const r = await f.send('PUT', '/api/rules/330683100', h.admin, rule)
    assert.equal(r.statusCode, 200, r.body)
    const shown = await f.app.inject({ method: 'GET', url: '/api/rules/330683100', headers: h.ganlin })
    assert.deepEqual(shown.json(), { regionCode: '330683100', own: true, rule })
    assert.equal(
      (await f.app.inject({ method: 'GET', url: '/api/rules/330683102', headers: h.chongren })).json().rule.ownUnionMinEmployees,
      25,
    )

    due = await dueList()
    assert.ok(!due.has('甘霖二十六人厂'), 'under the new 甘霖镇 threshold of 30')
    assert.deepEqual(reasons(due.get('甘霖三十二人厂')), ['over_threshold:30人以上未建会'])
    assert.deepEqual(reasons(due.get('崇仁二十六人厂')), ['over_threshold:25人以上未建会'], '崇仁镇 keeps the default')
  })

  it('sorts the register, empty values last in either direction', async () => {
    await create('chongren', { name: '崇仁无成立日期', regionCode: '330683102', employees: 2 })
    for (const sort of ['foundedOn', '-foundedOn']) {
      const r = await f.app.inject({ method: 'GET', url: `/api/enterprises?sort=${sort}&pageSize=200`, headers: h.chongren })
      assert.equal(r.statusCode, 200, r.body)
      const dates = r.json().items.map((e: EnterpriseView) => e.foundedOn)
      const known = dates.filter((d: string | null) => d !== null)
      assert.ok(known.length >= 2)
      assert.deepEqual(dates.slice(0, known.length), known, `${sort}: empty dates come last`)
      assert.deepEqual(
        known,
        [...known].sort((a: string, b: string) => (sort.startsWith('-') ? b.localeCompare(a) : a.localeCompare(b))),
        sort,
      )
    }
    const byEmployees = (await f.app.inject({ method: 'GET', url: '/api/enterprises?pageSize=200', headers: h.chongren }))
      .json()
      .items.map((e: EnterpriseView) => e.employees)
    assert.deepEqual(
      byEmployees,
      [...byEmployees].sort((a: number, b: number) => b - a),
      'default: most employees first',
    )
  })

  it('exports the 应建未建 list as an xlsx workbook with the rows and their reasons', async () => {
    const expected = [...(await dueList('city')).values()]
    assert.ok(expected.length >= 4)
    const r = await f.app.inject({ method: 'GET', url: '/api/enterprises/export?shouldHaveUnion=true', headers: h.city })
    assert.equal(r.statusCode, 200)
    assert.match(String(r.headers['content-type']), /spreadsheetml/)
    assert.match(String(r.headers['content-disposition']), /filename\*=UTF-8''/)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer)
    const ws = wb.getWorksheet('应建未建')
    assert.ok(ws, 'sheet 应建未建')
    const header = (ws.getRow(1).values as unknown[]).slice(1)
    assert.equal(header[1], '单位名称')
    assert.equal(header[2], '统一社会信用代码')
    assert.equal(header.at(-1), '应建未建原因')
    const reasonsAt = header.length - 1
    const rows = new Map<string, unknown[]>()
    ws.eachRow((row, n) => {
      const v = (row.values as unknown[]).slice(1)
      if (n > 1 && typeof v[0] === 'number') rows.set(String(v[1]), v)
    })
    assert.equal(rows.size, expected.length)
    for (const e of expected) {
      const row = rows.get(e.name)
      assert.ok(row, `row for ${e.name}`)
      assert.equal(row[2], e.creditCode)
      assert.equal(row[6], e.employees)
      assert.equal(row[reasonsAt], e.dueReasons.map((x) => x.label).join('；'))
      assert.equal(row[header.indexOf('经营状态')], '正常')
    }
    assert.equal(rows.get('甘霖三十二人厂')![reasonsAt], '30人以上未建会')
    assert.equal(rows.get('崇仁百人厂')![reasonsAt], '25人以上未建会；100人以上企业应建会')
    assert.equal(rows.get('崇仁百人厂')![header.indexOf('所在乡镇（街道）')], '崇仁镇')
    assert.equal(rows.get('崇仁百人厂')![3], '崇仁镇')
    // a town's export holds only its own rows; the export itself is audited
    const t = await f.app.inject({ method: 'GET', url: '/api/enterprises/export?shouldHaveUnion=true', headers: h.chongren })
    const twb = new ExcelJS.Workbook()
    await twb.xlsx.load(t.rawPayload as unknown as ArrayBuffer)
    const names: string[] = []
    twb.getWorksheet('应建未建')!.eachRow((row, n) => {
      const v = (row.values as unknown[]).slice(1)
      if (n > 1 && typeof v[0] === 'number') names.push(String(v[1]))
    })
    assert.ok(names.length > 0 && names.every((n) => n.startsWith('崇仁')), names.join(','))
    const log = await auditEntries(f, 'enterprise.export')
    assert.ok(log.some((x) => x.actor_name === 'chongren' && (x.detail as { rows: number }).rows === names.length))
  })

  it('exports in the order the list shows: the chosen sort, then id', async () => {
    for (const sort of ['name', '-employees', 'foundedOn']) {
      const page = await f.app.inject({ method: 'GET', url: `/api/enterprises?sort=${sort}&pageSize=100`, headers: h.city })
      const shown = (page.json().items as { name: string }[]).map((e) => e.name)
      const r = await f.app.inject({ method: 'GET', url: `/api/enterprises/export?sort=${sort}`, headers: h.city })
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer)
      const exported: string[] = []
      wb.getWorksheet('用人单位')!.eachRow((row, n) => {
        const v = (row.values as unknown[]).slice(1)
        if (n > 1 && typeof v[0] === 'number') exported.push(String(v[1]))
      })
      assert.ok(shown.length > 3)
      assert.deepEqual(exported.slice(0, shown.length), shown, `sort=${sort}`)
    }
  })
})
