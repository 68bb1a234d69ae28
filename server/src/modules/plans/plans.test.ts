import { sql } from 'kysely'
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import ExcelJS from 'exceljs'
import { creditCode, fixture, type Fixture } from '../../test/harness.js'
import * as enterprises from '../enterprises/enterprises.service.js'
import { AppError } from '../../http/errors.js'
import { planCreateBody, type AllocationInput, type PlanInput } from '../../../../common/plans.js'
import * as plans from './plans.service.js'
import { form3, monitoring, planYears } from './plans.forms.js'

/** The Shengzhou-shaped plan of the fixture: 2017-2019, 50% by the end of 2017, 100% by the end of 2018. */
const shengzhou = (over: Partial<PlanInput> = {}): PlanInput => ({
  name: '联合工会建设三年规划',
  docNo: '嵊总工字〔2017〕33号',
  startOn: '2017-01-01',
  endOn: '2019-12-31',
  targets: [
    { key: 'new.unions.joint', value: 3, note: '新建20家以上' },
    { key: 'new.members', value: 4 },
    { key: 'union_rate.npsmall', value: 80 },
    { key: 'realname_rate', value: 90 },
  ],
  milestones: [
    { dueOn: '2017-12-31', share: 50, label: '规划建设年' },
    { dueOn: '2018-12-31', share: 100, label: '发展攻坚年' },
    { dueOn: '2019-12-31', share: 100, label: '巩固提升年' },
  ],
  ...over,
})

async function refused(p: Promise<unknown>, pattern: RegExp, status = 400): Promise<AppError> {
  try {
    await p
  } catch (e) {
    assert.ok(e instanceof AppError, `not an AppError: ${e}`)
    assert.equal(e.status, status, e.message)
    assert.match(e.message, pattern)
    return e
  }
  assert.fail(`accepted, expected a refusal matching ${pattern}`)
}

describe('plans and targets', () => {
  let f: Fixture
  let planId: number
  before(async () => {
    f = await fixture()
    // the fixture's unions founded without a date: date them, so the flows are known
    await f.database.db.updateTable('org').set({ founded_on: '2018-06-01' }).where('name', '=', '崇仁镇联合工会').execute()
  })
  after(() => f.close())

  const planCount = async () =>
    Number(
      (
        await f.database.db
          .withTables<{ plan: { id: number } }>()
          .selectFrom('plan')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  it('creates a plan with its targets and milestones', async () => {
    const p = await f.as('city', (ctx) => plans.create(ctx, { orgId: f.ids.city, ...shengzhou() }))
    planId = p.id
    assert.equal(p.targets.length, 4)
    assert.deepEqual(
      p.targets.map((t) => [t.key, t.kind, t.value]),
      [
        ['new.unions.joint', 'count', 3],
        ['new.members', 'count', 4],
        ['union_rate.npsmall', 'rate', 80],
        ['realname_rate', 'rate', 90],
      ],
    )
    assert.deepEqual(
      p.milestones.map((m) => [m.dueOn, m.share]),
      [
        ['2017-12-31', 50],
        ['2018-12-31', 100],
        ['2019-12-31', 100],
      ],
    )
    assert.equal(p.editable, true)
    assert.equal(planYears(p), '2017－2018')
  })

  it('refuses bad plans with the field named, and saves nothing', async () => {
    const before = await planCount()
    const parse = (b: unknown) => {
      const r = planCreateBody.safeParse(b)
      assert.equal(r.success, false)
      return r.error!.issues
    }
    const ended = parse({ orgId: f.ids.city, ...shengzhou({ startOn: '2019-01-01', endOn: '2018-12-31', milestones: [] }) })
    assert.deepEqual(ended[0]!.path, ['endOn'])
    assert.match(ended[0]!.message, /结束日期（2018-12-31）不能早于开始日期（2019-01-01）/)
    const outside = parse({ orgId: f.ids.city, ...shengzhou({ milestones: [{ dueOn: '2020-06-30', share: 100 }] }) })
    assert.deepEqual(outside[0]!.path, ['milestones', 0, 'dueOn'])
    assert.match(outside[0]!.message, /不在计划期/)
    const over = parse({ orgId: f.ids.city, ...shengzhou({ milestones: [{ dueOn: '2018-06-30', share: 120 }] }) })
    assert.deepEqual(over[0]!.path, ['milestones', 0, 'share'])
    assert.match(over[0]!.message, /不能超过100%/)
    const rate = parse({ orgId: f.ids.city, ...shengzhou({ targets: [{ key: 'realname_rate', value: 120 }] }) })
    assert.deepEqual(rate[0]!.path, ['targets', 0, 'value'])
    // through the API: a Chinese message naming the field, nothing saved
    const h = await f.login('city')
    const r = await f.send('POST', '/api/plans', h, {
      orgId: f.ids.city,
      ...shengzhou({ startOn: '2019-01-01', endOn: '2018-12-31', milestones: [] }),
    })
    assert.equal(r.statusCode, 400)
    assert.match(r.json().error.message, /^结束日期/)
    assert.ok(r.json().error.fields.endOn)
    const m = await f.send('POST', '/api/plans', h, {
      orgId: f.ids.city,
      ...shengzhou({ milestones: [{ dueOn: '2021-01-01', share: 50 }] }),
    })
    assert.equal(m.statusCode, 400)
    assert.match(m.json().error.message, /^节点日期：.*不在计划期/)
    const s = await f.send('POST', '/api/plans', h, {
      orgId: f.ids.city,
      ...shengzhou({ milestones: [{ dueOn: '2018-01-01', share: 150 }] }),
    })
    assert.match(s.json().error.message, /^完成比例不能超过100%/)
    assert.equal(await planCount(), before)
  })

  it('splits a count target among the towns only when it adds up, naming the cell', async () => {
    const allocate = (rows: AllocationInput['rows']) =>
      f.as('city', (ctx) => plans.putAllocations(ctx, planId, { parentOrgId: f.ids.city, rows }))
    const bad = await refused(
      allocate([
        { orgId: f.ids.ganlin, values: { 'new.unions.joint': 2, 'new.members': 2 } },
        { orgId: f.ids.chongren, values: { 'new.unions.joint': 2, 'new.members': 2 } },
      ]),
      /^联合工会数：分解合计为4家，应等于嵊州市总工会的目标3家（多1家）$/,
    )
    assert.ok(bad.fields?.['total.new.unions.joint'])
    await refused(
      allocate([
        { orgId: f.ids.ganlin, values: { 'new.unions.joint': 2, 'new.members': 1 } },
        { orgId: f.ids.chongren, values: { 'new.unions.joint': 1, 'new.members': 2 } },
      ]),
      /^会员发展数：分解合计为3人，应等于嵊州市总工会的目标4人（少1人）$/,
    )
    // a union that is not a sub-region of the city
    await refused(allocate([{ orgId: f.ids.chongrenBase, values: { 'new.unions.joint': 3 } }]), /第1行：该组织不是嵊州市总工会的下级单位/)
    // nothing saved by the refusals
    const empty = await f.as('city', (ctx) => plans.allocations(ctx, planId))
    assert.ok(empty.rows.every((r) => r.values['new.unions.joint'] === null))

    const ok = await allocate([
      { orgId: f.ids.ganlin, values: { 'new.unions.joint': 2, 'new.members': 2 } },
      { orgId: f.ids.chongren, values: { 'new.unions.joint': 1, 'new.members': 2 }, note: '纺织园区' },
    ])
    assert.deepEqual(ok.totals, { 'new.unions.joint': 3, 'new.members': 4 })
    assert.deepEqual(
      ok.rows.map((r) => [r.org.name, r.values['new.unions.joint'], r.values['new.members']]),
      [
        ['甘霖镇总工会', 2, 2],
        ['崇仁镇总工会', 1, 2],
      ],
    )
  })

  it('gives each sub-region the weights of a proportional split (自动分解): 应建未建 units, workers, members', async () => {
    // a firm 崇仁镇 still has to organize
    await f.as('chongren', (ctx) =>
      enterprises.create(ctx, {
        creditCode: creditCode(),
        name: '崇仁待建企业',
        regionCode: '330683102',
        nature: 'private',
        employees: 40,
      }),
    )
    const level = await f.as('city', (ctx) => plans.allocations(ctx, planId))
    const db = f.database.db
    for (const r of level.rows) {
      const { path } = await db.selectFrom('org').select('path').where('id', '=', r.org.id).executeTakeFirstOrThrow()
      const within = sql<boolean>`(org_path >= ${path} and org_path < ${path + '~'})`
      const due = await sql<{
        n: string
      }>`select count(*) as n from enterprise_register where ${within} and cardinality(due_reasons) > 0`.execute(db)
      const workers = await sql<{ n: string }>`select coalesce(sum(employees), 0) as n from enterprise where ${within}`.execute(db)
      const members = await sql<{ n: string }>`select count(*) as n from member where ${within} and status = 'active'`.execute(db)
      assert.deepEqual(
        r.basis,
        { due: Number(due.rows[0]!.n), workers: Number(workers.rows[0]!.n), members: Number(members.rows[0]!.n) },
        r.org.name,
      )
    }
    const chongren = level.rows.find((r) => r.org.id === f.ids.chongren)!
    assert.ok(chongren.basis.due > 0 && chongren.basis.workers >= 40 && chongren.basis.members > 0, JSON.stringify(chongren.basis))
  })

  it('lets a town refine its own share downwards, not change it nor see the other towns', async () => {
    const own = await f.as('ganlin', (ctx) => plans.allocations(ctx, planId))
    assert.equal(own.parent.id, f.ids.ganlin)
    assert.deepEqual(own.totals, { 'new.unions.joint': 2, 'new.members': 2 })
    assert.doesNotMatch(JSON.stringify(own), /崇仁/)
    await refused(
      f.as('ganlin', (ctx) =>
        plans.putAllocations(ctx, planId, {
          parentOrgId: f.ids.ganlin,
          rows: [{ orgId: f.ids.ganlinJoint, values: { 'new.members': 3 } }],
        }),
      ),
      /^会员发展数：分解合计为3人，应等于甘霖镇总工会的目标2人/,
    )
    const refined = await f.as('ganlin', (ctx) =>
      plans.putAllocations(ctx, planId, {
        parentOrgId: f.ids.ganlin,
        rows: [{ orgId: f.ids.ganlinJoint, values: { 'new.members': 2, 'new.unions.joint': null } }],
      }),
    )
    assert.equal(refined.rows[0]!.values['new.members'], 2)
    // its own share is the city's to set
    await refused(
      f.as('ganlin', (ctx) =>
        plans.putAllocations(ctx, planId, {
          parentOrgId: f.ids.city,
          rows: [{ orgId: f.ids.ganlin, values: { 'new.members': 4 } }],
        }),
      ),
      /管辖范围/,
    )
    await refused(
      f.as('ganlin', (ctx) => plans.update(ctx, planId, shengzhou({ name: '改名' }))),
      /只能查看/,
      403,
    )
    await refused(
      f.as('ganlin', (ctx) => plans.progress(ctx, planId, { org: f.ids.chongren, rankBy: 'overall' })),
      /管辖范围/,
    )
    const p = await f.as('ganlin', (ctx) => plans.get(ctx, planId))
    assert.equal(p.editable, false)
    // the city sees the town's refinement; a changed town share flags the split below
    const city = await f.as('city', (ctx) => plans.allocations(ctx, planId, f.ids.ganlin))
    assert.equal(city.rows[0]!.values['new.members'], 2)
    await f.as('city', (ctx) =>
      plans.putAllocations(ctx, planId, {
        parentOrgId: f.ids.city,
        rows: [
          { orgId: f.ids.ganlin, values: { 'new.unions.joint': 2, 'new.members': 3 } },
          { orgId: f.ids.chongren, values: { 'new.unions.joint': 1, 'new.members': 1 } },
        ],
      }),
    )
    const flagged = await f.as('city', (ctx) => plans.allocations(ctx, planId))
    assert.deepEqual(flagged.rows.find((r) => r.org.id === f.ids.ganlin)!.childMismatch, ['新发展会员数'])
    await f.as('city', (ctx) =>
      plans.putAllocations(ctx, planId, {
        parentOrgId: f.ids.city,
        rows: [
          { orgId: f.ids.ganlin, values: { 'new.unions.joint': 2, 'new.members': 2 } },
          { orgId: f.ids.chongren, values: { 'new.unions.joint': 1, 'new.members': 2 }, note: '纺织园区' },
        ],
      }),
    )
  })

  it('measures progress against the milestone due: counts since the start, rates on the date, ranking and 末位', async () => {
    // 甘霖镇联合工会 founded 2018-01-01, 崇仁镇联合工会 2018-06-01; 崇仁会员 joined 2018-05-01, 甘霖会员 2019-03-01
    const y1 = await f.as('city', (ctx) => plans.progress(ctx, planId, { asOf: '2017-12-31', rankBy: 'overall' }))
    assert.equal(y1.milestone.expectedShare, 50)
    assert.equal(y1.milestone.passed!.label, '规划建设年')
    assert.equal(y1.milestone.next!.dueOn, '2018-12-31')
    const g1 = y1.rows.find((r) => r.org.id === f.ids.ganlin)!
    const j1 = g1.targets.find((t) => t.key === 'new.unions.joint')!
    assert.deepEqual([j1.target, j1.expected, j1.numerator, j1.status], [2, 1, 0, 'behind'])
    assert.equal(g1.behind, true)

    const y2 = await f.as('city', (ctx) => plans.progress(ctx, planId, { asOf: '2018-12-31', rankBy: 'overall' }))
    assert.equal(y2.milestone.expectedShare, 100)
    const own = Object.fromEntries(y2.own.map((t) => [t.key, t]))
    assert.deepEqual(
      [own['new.unions.joint']!.numerator, own['new.unions.joint']!.target, own['new.unions.joint']!.status],
      [2, 3, 'behind'],
    )
    assert.deepEqual([own['new.members']!.numerator, own['new.members']!.target], [1, 4])
    const g = y2.rows.find((r) => r.org.id === f.ids.ganlin)!
    const c = y2.rows.find((r) => r.org.id === f.ids.chongren)!
    // 甘霖: joint 1/2, members 0/2 → (0.5 + 0) / 2; 崇仁: joint 1/1, members 1/2 → (1 + 0.5) / 2
    assert.equal(g.completion, 0.25)
    assert.equal(c.completion, 0.75)
    assert.deepEqual(
      y2.rows.map((r) => [r.org.name, r.rank]),
      [
        ['崇仁镇总工会', 1],
        ['甘霖镇总工会', 2],
      ],
    )
    assert.equal(c.targets.find((t) => t.key === 'new.unions.joint')!.status, 'met')
    assert.equal(c.targets.find((t) => t.key === 'new.members')!.status, 'behind')
    // fewer than three ranked: no 末位
    assert.ok(y2.rows.every((r) => !r.lagging))
    // the register was entered today: on 2018-12-31 the rates have no denominator
    assert.equal(c.targets.find((t) => t.key === 'union_rate.npsmall')!.status, 'nodata')
    // today: 崇仁小店 (5 workers) covered by the joint union; every member's record complete
    const now = await f.as('city', (ctx) => plans.progress(ctx, planId, { rankBy: 'overall' }))
    const npsmall = now.rows.find((r) => r.org.id === f.ids.chongren)!.targets.find((t) => t.key === 'union_rate.npsmall')!
    assert.deepEqual([npsmall.numerator, npsmall.denominator, npsmall.target, npsmall.status], [1, 1, 80, 'met'])
    const rn = now.own.find((t) => t.key === 'realname_rate')!
    assert.deepEqual([rn.numerator, rn.denominator, rn.status], [2, 2, 'met'])
    assert.equal(now.window.to, '2019-12-31', 'counted up to the end of the plan')

    const byMembers = await f.as('city', (ctx) => plans.progress(ctx, planId, { asOf: '2019-06-30', rankBy: 'new.members' }))
    assert.deepEqual(
      byMembers.rows.map((r) => [r.org.name, r.completion]),
      [
        ['甘霖镇总工会', 0.5],
        ['崇仁镇总工会', 0.5],
      ],
    )
    await refused(
      f.as('city', (ctx) => plans.progress(ctx, planId, { asOf: '2016-12-31', rankBy: 'overall' })),
      /早于计划开始日期/,
    )
    await refused(
      f.as('city', (ctx) => plans.progress(ctx, planId, { rankBy: 'new.unions' })),
      /本计划没有/,
    )
  })

  it('prints 附件3 and the monitoring table from the plan', async () => {
    const t = await f.as('city', (ctx) => form3(ctx, { asOf: '2018-06-30' }))
    assert.equal(t.title, '2017－2018各镇（街道、开发区）总工会联合工会组建数和会员发展数参考目标')
    assert.equal(t.attachment, '附件3')
    assert.deepEqual(
      t.columns.map((c) => c.label),
      ['联合工会数', '会员发展数', '备注'],
    )
    assert.deepEqual(
      t.rows.map((r) => [r.caption, ...r.cells]),
      [
        ['甘霖镇总工会', 2, 2, null],
        ['崇仁镇总工会', 1, 2, '纺织园区'],
      ],
    )
    assert.equal(t.total.caption, '合　　计')
    assert.deepEqual(t.total.cells, [3, 4, null])

    const m = await f.as('city', (ctx) => monitoring(ctx, { asOf: '2018-12-31' }))
    assert.equal(m.filler, '嵊州市总工会')
    assert.equal(m.asOf, '2018-12-31')
    assert.equal(m.columns.length, 8)
    const cr = m.rows.find((r) => r.caption === '崇仁镇总工会')!
    assert.deepEqual(cr.cells.slice(0, 4), ['1/1', '达标', '1/2', '进度滞后'])
    assert.deepEqual(m.total.cells.slice(0, 2), ['2/3', '进度滞后'])
    // laid out as printed: a group of two columns per target, on A3 landscape
    assert.equal(m.paper, 'a3-landscape')
    assert.deepEqual(
      m.groups!.map((g) => g.span),
      [2, 2, 2, 2],
    )
    assert.deepEqual(
      m.columns.slice(0, 2).map((c) => c.label),
      ['完成/目标', '状态'],
    )
    // its xlsx: A3 (8) landscape, as wide as its sheets, the region column and the two header rows printed on every page
    const h = await f.login('city')
    const x = await f.app.inject({ method: 'GET', url: '/api/forms/monitoring/export?asOf=2018-12-31', headers: h })
    assert.equal(x.statusCode, 200, x.body.slice(0, 300))
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    assert.equal(ws.pageSetup.paperSize, 8)
    assert.equal(ws.pageSetup.orientation, 'landscape')
    assert.equal(ws.pageSetup.fitToWidth, 1)
    assert.equal(ws.pageSetup.printTitlesColumn, 'A:A')
    const headRow = Number(/^(\d+):/.exec(ws.pageSetup.printTitlesRow!)![1])
    assert.equal(ws.getCell(headRow, 2).value, m.groups![0]!.label)
    assert.equal(ws.getCell(headRow + 1, 2).value, '完成/目标')
    assert.equal(ws.getCell(headRow + 1, 1).value, '地    区')
    await refused(
      f.as('city', (ctx) => form3(ctx, { asOf: '2016-06-30' })),
      /没有/,
    )
  })

  it('exports the 通报 as xlsx, the lagging flagged', async () => {
    const h = await f.login('city')
    const r = await f.app.inject({ method: 'GET', url: `/api/plans/${planId}/export?asOf=2018-12-31`, headers: h })
    assert.equal(r.statusCode, 200, r.body.slice(0, 300))
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer)
    const ws = wb.getWorksheet('进度通报')!
    assert.equal(ws.getCell('A1').value, '联合工会建设三年规划进度通报')
    assert.equal(ws.getCell('A4').value, 1)
    assert.equal(ws.getCell('B4').value, '崇仁镇总工会')
    assert.equal(ws.getCell('B5').value, '甘霖镇总工会')
    assert.equal(ws.getCell('B6').value, '嵊州市总工会（合计）')
    assert.ok(wb.getWorksheet('目标监测'))
  })

  it('lists plans for a town and deletes only what its union may', async () => {
    const town = await f.as('chongren', (ctx) =>
      plans.create(ctx, { orgId: f.ids.chongren, ...shengzhou({ name: '崇仁镇建会计划', targets: [{ key: 'new.members', value: 10 }] }) }),
    )
    const list = await f.as('chongren', (ctx) => plans.list(ctx, { page: 1, pageSize: 20 }))
    assert.deepEqual(list.items.map((p) => [p.name, p.editable]).sort(), [
      ['崇仁镇建会计划', true],
      ['联合工会建设三年规划', false],
    ])
    const ganlin = await f.as('ganlin', (ctx) => plans.list(ctx, { page: 1, pageSize: 20 }))
    assert.deepEqual(
      ganlin.items.map((p) => p.name),
      ['联合工会建设三年规划'],
    )
    await refused(
      f.as('ganlin', (ctx) => plans.get(ctx, town.id)),
      /不存在或不在您的管辖范围内/,
      404,
    )
    await refused(
      f.as('ganlin', (ctx) => plans.remove(ctx, town.id)),
      /不存在或不在您的管辖范围内/,
      404,
    )
    await refused(
      f.as('chongren', (ctx) => plans.remove(ctx, planId)),
      /只能查看/,
      403,
    )
    await refused(
      f.as('viewer', (ctx) => plans.remove(ctx, planId)),
      /只能查看/,
      403,
    )
    await f.as('chongren', (ctx) => plans.remove(ctx, town.id))
    const after = await f.as('chongren', (ctx) => plans.list(ctx, { page: 1, pageSize: 20 }))
    assert.equal(after.total, 1)
  })

  it('answers through the API within the jurisdiction', async () => {
    const city = await f.login('city')
    const ganlin = await f.login('ganlin')
    const get = (h: Record<string, string>, url: string) => f.app.inject({ method: 'GET', url, headers: h })
    for (const url of [
      `/api/plans/${planId}`,
      `/api/plans/${planId}/allocations`,
      `/api/plans/${planId}/progress?asOf=2018-12-31`,
      '/api/plans',
    ]) {
      const r = await get(city, url)
      assert.equal(r.statusCode, 200, `${url}: ${r.body.slice(0, 200)}`)
      if (!url.endsWith('/plans') && !url.endsWith(`/plans/${planId}`)) assert.match(r.body, /崇仁/, url)
      const g = await get(ganlin, url)
      assert.equal(g.statusCode, 200, `${url} as 甘霖镇: ${g.body.slice(0, 200)}`)
      assert.doesNotMatch(g.body, /崇仁/, `${url} shows 崇仁镇 to 甘霖镇`)
    }
    const g = (await get(ganlin, `/api/plans/${planId}/progress?asOf=2018-12-31`)).json()
    assert.equal(g.org.name, '甘霖镇总工会')
    assert.equal(g.own.find((t: { key: string }) => t.key === 'new.unions.joint').target, 2)
    assert.equal((await get(ganlin, `/api/plans/${planId}/export?org=${f.ids.chongren}`)).statusCode, 400)
    const del = await f.app.inject({ method: 'DELETE', url: `/api/plans/${planId}`, headers: ganlin })
    assert.equal(del.statusCode, 403)
  })
})
