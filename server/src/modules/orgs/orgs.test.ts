import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { auditEntries, fixture, type Fixture } from '../../test/harness.js'
import * as orgs from './orgs.service.js'
import { TIME_ZONE, todayIn } from '../../http/scope.js'

describe('organizations', () => {
  let f: Fixture
  before(async () => {
    f = await fixture()
  })
  after(() => f.close())

  it('gives a region its division code and other unions a generated one', async () => {
    const g = await f.as('city', (ctx) => orgs.get(ctx, f.ids.ganlin))
    assert.equal(g.code, '330683100')
    const j = await f.as('city', (ctx) => orgs.get(ctx, f.ids.ganlinJoint))
    assert.match(j.code, /^330683100-\d{5}$/)
  })

  it('refuses to move a node under its own descendant, and writes nothing', async () => {
    await assert.rejects(
      f.as('city', (ctx) => orgs.move(ctx, f.ids.ganlin, f.ids.ganlinJoint)),
      /不能移动到自身或其下级组织之下/,
    )
    const g = await f.as('city', (ctx) => orgs.get(ctx, f.ids.ganlin))
    assert.equal(g.parentId, f.ids.city)
  })

  it('keeps the tree as it was: a move is visible from its effective date on only', async () => {
    const moved = await f.as('city', (ctx) => orgs.move(ctx, f.ids.ganlinJoint, f.ids.chongren, '2030-01-01').catch((e) => e))
    // more than a year ahead is refused
    assert.match(String(moved.message), /不能晚于一年之后/)
    const today = todayIn(TIME_ZONE)
    await f.as('city', (ctx) => orgs.move(ctx, f.ids.ganlinJoint, f.ids.chongren, today))
    const past = await f.as('city', (ctx) =>
      orgs.list(ctx, { parent: f.ids.ganlin, asOf: '2020-06-01', hierarchy: 'geo', page: 1, pageSize: 50 }),
    )
    assert.ok(
      past.items.some((o) => o.id === f.ids.ganlinJoint),
      'as of 2020 the joint union was under 甘霖镇',
    )
    const now = await f.as('city', (ctx) => orgs.list(ctx, { parent: f.ids.chongren, hierarchy: 'geo', page: 1, pageSize: 50 }))
    assert.ok(now.items.some((o) => o.id === f.ids.ganlinJoint))
    // the covered enterprise moved with it into 崇仁镇's jurisdiction
    const ganlinSees = await f.as('ganlin', (ctx) => orgs.get(ctx, f.ids.ganlinJoint).catch((e) => e))
    assert.match(String(ganlinSees.message), /不存在或不在您的管辖范围内/)
    // and so did its members: the new town's cadre sees them, the old town's no longer does
    const memberIds = async (user: string) =>
      (
        (await f.app.inject({ method: 'GET', url: '/api/members?pageSize=100', headers: await f.login(user) })).json().items as {
          id: number
        }[]
      ).map((m) => m.id)
    assert.ok((await memberIds('chongren')).includes(f.ids.ganlinMember), "崇仁镇 sees the moved union's member")
    assert.ok(!(await memberIds('ganlin')).includes(f.ids.ganlinMember), "甘霖镇 no longer sees the moved union's member")
    // and back, so other tests see the fixture as built
    await f.as('city', (ctx) => orgs.move(ctx, f.ids.ganlinJoint, f.ids.ganlin, today))
    assert.ok((await memberIds('ganlin')).includes(f.ids.ganlinMember))
    assert.ok(!(await memberIds('chongren')).includes(f.ids.ganlinMember))
  })

  it('refuses to dissolve a union with children', async () => {
    await assert.rejects(
      f.as('city', (ctx) => orgs.dissolve(ctx, f.ids.ganlin)),
      /还有1个下级组织/,
    )
  })

  it('dissolves a joint union and gives its enterprises back to the town', async () => {
    const j = await f.as('city', (ctx) =>
      orgs.create(ctx, {
        parentId: f.ids.chongren,
        name: '临时联合工会',
        orgType: '2',
        orgForm: 'joint_committee',
        regionCode: '330683102',
        jointScope: 'industry',
        jointCategory: 'construction',
      }),
    )
    const d = await f.as('city', (ctx) => orgs.dissolve(ctx, j.id, undefined, '合并'))
    assert.equal(d.status, 'dissolved')
    await assert.rejects(
      f.as('city', (ctx) => orgs.update(ctx, j.id, { name: 'x' })),
      /已注销/,
    )
  })

  it('masks the chair phone and audits a reveal', async () => {
    const g = await f.as('ganlin', (ctx) => orgs.get(ctx, f.ids.ganlin))
    assert.equal(g.chairPhone, '139****1234')
    const r = await f.as('ganlin', (ctx) => orgs.reveal(ctx, f.ids.ganlin, 'chairPhone', '核实主席联系方式'))
    assert.equal(r.value, '13905751234')
    const log = await auditEntries(f, 'pii.reveal')
    assert.equal(log.length, 1)
    assert.equal((log[0]!.detail as { reason: string }).reason, '核实主席联系方式')
    await assert.rejects(
      f.as('viewer', (ctx) => orgs.reveal(ctx, f.ids.ganlin, 'chairPhone', '看看')),
      /无权/,
    )
  })

  it('the directory of unions gives any town the names and codes of all unions, nothing more', async () => {
    const r = await f.as('ganlin', (ctx) => orgs.directory(ctx, '崇仁'))
    assert.ok(r.some((o) => o.name === '崇仁纺织工会委员会'))
    for (const o of r) assert.deepEqual(Object.keys(o).sort(), ['code', 'id', 'name', 'regionCode'])
  })

  it("searches names (also two characters) and code prefixes, within the caller's jurisdiction only", async () => {
    const names = async (user: string, q: string) =>
      (await f.as(user, (ctx) => orgs.list(ctx, { q, hierarchy: 'geo', page: 1, pageSize: 50 }))).items.map((o) => o.name).sort()
    assert.deepEqual(await names('ganlin', '联合'), ['甘霖镇联合工会'])
    assert.deepEqual(await names('city', '联合'), ['崇仁镇联合工会', '甘霖镇联合工会'])
    assert.deepEqual(await names('city', '纺'), ['崇仁纺织工会委员会'])
    assert.deepEqual(await names('city', '330683102'), ['崇仁镇总工会', '崇仁纺织工会委员会', '崇仁镇联合工会'].sort())
    assert.deepEqual(await names('ganlin', '330683102'), [])
    assert.deepEqual(await names('city', '%'), [])
  })

  it('pages a search in list order, whichever way the page is picked (few or many matches)', async () => {
    const ids = async (user: string, q: string, page: number, pageSize: number) =>
      (await f.as(user, (ctx) => orgs.list(ctx, { q, hierarchy: 'geo', page, pageSize }))).items.map((o) => o.id)
    // the table's size decides the way (an unanalyzed table counts as one row: always the index walk)
    await sql`analyze org`.execute(f.database.db)
    for (const q of ['工会', '联合', '3306831', '总工会']) {
      // what a plain scan in list order gives, as the owner, for the city's whole tree
      const all = (
        await sql<{ id: number }>`select id from org where status <> 'dissolved'
        and (strpos(name, ${q}) > 0 or strpos(coalesce(short_name, ''), ${q}) > 0 or code like ${q + '%'})
        order by is_regional desc, name, id`.execute(f.database.db)
      ).rows.map((r) => Number(r.id))
      assert.ok(all.length > 0, q)
      assert.deepEqual(await ids('city', q, 1, 50), all.slice(0, 50), q)
      assert.deepEqual(await ids('city', q, 2, 2), all.slice(2, 4), q)
      const r = await f.as('city', (ctx) => orgs.list(ctx, { q, hierarchy: 'geo', page: 1, pageSize: 1 }))
      assert.deepEqual([r.total, r.totalCapped], [all.length, false])
    }
  })

  it("keeps each node's child count on its row through create, move and dissolve", async () => {
    const today = todayIn(TIME_ZONE)
    const a = await f.as('city', (ctx) =>
      orgs.create(ctx, { parentId: f.ids.chongren, name: '计数测试工会', orgType: '1', orgForm: 'committee', regionCode: '330683102' }),
    )
    const b = await f.as('city', (ctx) =>
      orgs.create(ctx, { parentId: a.id, name: '计数测试分会', orgType: '8', orgForm: 'branch', regionCode: '330683102' }),
    )
    assert.equal((await f.as('city', (ctx) => orgs.get(ctx, a.id))).childCount, 1)
    await f.as('city', (ctx) => orgs.move(ctx, b.id, f.ids.chongren, today))
    await f.as('city', (ctx) => orgs.dissolve(ctx, b.id, today))
    const listed = await f.as('city', (ctx) => orgs.list(ctx, { parent: f.ids.chongren, hierarchy: 'geo', page: 1, pageSize: 50 }))
    assert.equal(listed.items.find((o) => o.id === a.id)!.childCount, 0)
    assert.equal(listed.total, listed.items.length)
    // one statement over every node, of which one changes parent (the check for a changed parent
    // compares the statement's old and new rows as sets, 0033): counted on both parents
    const c = await f.as('city', (ctx) =>
      orgs.create(ctx, { parentId: a.id, name: '计数测试小组', orgType: '8', orgForm: 'branch', regionCode: '330683102' }),
    )
    const chongrenBefore = (await f.as('city', (ctx) => orgs.get(ctx, f.ids.chongren))).childCount
    await sql`update org set parent_id = case when id = ${c.id} then ${f.ids.chongren}::bigint else parent_id end,
                             member_count = member_count`.execute(f.database.db)
    assert.equal((await f.as('city', (ctx) => orgs.get(ctx, a.id))).childCount, 0)
    assert.equal((await f.as('city', (ctx) => orgs.get(ctx, f.ids.chongren))).childCount, chongrenBefore + 1)
    // the counter agrees with a count for every node
    const wrong = await sql<{ id: number }>`select p.id from org p
      where p.child_count <> (select count(*) from org c where c.parent_id = p.id and c.status <> 'dissolved')`.execute(f.database.db)
    assert.deepEqual(wrong.rows, [])
    const town = await f.as('ganlin', (ctx) => orgs.list(ctx, { hierarchy: 'geo', page: 1, pageSize: 50 }))
    const exact = await sql<{
      n: number
    }>`select count(*)::int as n from org where parent_id = ${f.ids.ganlin} and status <> 'dissolved'`.execute(f.database.db)
    assert.equal(town.items[0]!.childCount, exact.rows[0]!.n)
  })

  it('stores phone numbers encrypted', async () => {
    const row = await f.database.db.selectFrom('org').select('chair_phone_enc').where('id', '=', f.ids.ganlin).executeTakeFirstOrThrow()
    assert.ok(row.chair_phone_enc && !row.chair_phone_enc.includes('13905751234'))
  })
})
