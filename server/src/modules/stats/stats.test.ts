import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { fixture, creditCode, residentId, type Fixture } from '../../test/harness.js'
import type { Ratio, StatsPanel } from '../../../../common/stats.js'
import { AppError } from '../../http/errors.js'
import * as orgs from '../orgs/orgs.service.js'
import * as enterprises from '../enterprises/enterprises.service.js'
import * as members from '../members/members.service.js'
import * as transfers from '../transfers/transfers.service.js'
import * as stats from './stats.service.js'
import { changes, changesByBucket, totalsOf, verify } from './stats.repository.js'
import { runCli } from '../../cli.js'

const find = (p: StatsPanel, key: string): Ratio => {
  const r = p.indicators.find((i) => i.key === key)
  assert.ok(r, `no indicator ${key}`)
  return r
}
const nd = (p: StatsPanel, key: string) => {
  const r = find(p, key)
  return [r.numerator, r.denominator]
}

describe('statistics', () => {
  let f: Fixture
  before(async () => {
    f = await fixture()
  })
  after(() => f.close())

  const panel = (user: string, org?: number, asOf?: string) => f.as(user, (ctx) => stats.panel(ctx, { org, asOf, hierarchy: 'geo' }))
  const verifyAll = () => f.database.db.transaction().execute((tx) => verify(tx))

  it('counts the fixture exactly: unions, members, coverage and rates of each town and of the city', async () => {
    const g = await panel('city', f.ids.ganlin)
    assert.deepEqual(nd(g, 'unions'), [1, null])
    assert.deepEqual(nd(g, 'unions.joint'), [1, null])
    assert.deepEqual(nd(g, 'members'), [1, null])
    assert.deepEqual(nd(g, 'covered_enterprises'), [1, null])
    assert.deepEqual(nd(g, 'covered_employees'), [12, null])
    // 甘霖小微五金厂, 12 workers, covered by the joint union
    assert.deepEqual(nd(g, 'union_rate.npsmall'), [1, 1])
    assert.deepEqual(nd(g, 'union_rate.np25'), [0, 0])
    assert.deepEqual(nd(g, 'member_rate'), [1, 12])
    assert.deepEqual(nd(g, 'realname_rate'), [1, 1])
    const row = g.jointByCategory.find((r) => r.category === 'village_community')!
    assert.deepEqual([row.committees, row.federations, row.members, row.enterprises, row.employees], [1, 0, 1, 1, 12])

    const c = await panel('chongren')
    assert.equal(c.org.id, f.ids.chongren, 'without org, a cadre gets their own jurisdiction')
    assert.deepEqual(nd(c, 'unions'), [2, null])
    assert.deepEqual(nd(c, 'unions.own'), [1, null])
    // 崇仁纺织 (150, own union) and 崇仁小店 (5, joint)
    assert.deepEqual(nd(c, 'union_rate.np25'), [1, 1])
    assert.deepEqual(nd(c, 'union_rate.npsmall'), [1, 1])
    assert.deepEqual(nd(c, 'covered_employees'), [155, null])
    assert.deepEqual(nd(c, 'member_rate.np25'), [1, 150])

    const city = await panel('city')
    assert.deepEqual(nd(city, 'unions'), [3, null])
    assert.deepEqual(nd(city, 'members'), [2, null])
    assert.deepEqual(nd(city, 'member_rate'), [2, 167])
    assert.deepEqual(nd(city, 'union_rate.all'), [3, 3])
  })

  it('reads any past date from the ledger, and refuses a date before the organization existed', async () => {
    // 崇仁会员 joined 2018-05-01, 甘霖会员 2019-03-01
    assert.deepEqual(nd(await panel('city', undefined, '2018-04-30'), 'members'), [0, null])
    assert.deepEqual(nd(await panel('city', undefined, '2018-12-31'), 'members'), [1, null])
    assert.deepEqual(nd(await panel('city', undefined, '2019-03-01'), 'members'), [2, null])
    await assert.rejects(
      panel('city', f.ids.ganlin, '2004-12-31'),
      (e: AppError) => e.status === 400 && e.fields?.asOf !== undefined && /尚未成立/.test(e.message),
    )
    await assert.rejects(panel('city', f.ids.ganlin, '2999-01-01'), (e: AppError) => e.status === 400)
  })

  it('keeps a town from reading another town, and a viewer from writing', async () => {
    await assert.rejects(panel('ganlin', f.ids.chongren), (e: AppError) => e.status === 400 && /管辖范围/.test(e.message))
    await assert.rejects(
      f.as('viewer', (ctx) =>
        stats.putWorkforce(ctx, { orgId: f.ids.ganlin, platformName: '某平台', occupation: 'courier', workers: 5, asOf: '2026-01-01' }),
      ),
      (e: AppError) => e.status === 403,
    )
  })

  it('compares a year with the one before, and lists members over time', async () => {
    const p = await f.as('city', (ctx) => stats.period(ctx, { hierarchy: 'geo', kind: 'year', date: '2019-06-01' }))
    assert.deepEqual(p.current, { from: '2019-01-01', to: '2019-12-31' })
    assert.deepEqual(p.previous, { from: '2018-01-01', to: '2018-12-31' })
    const joined = p.figures.find((x) => x.key === 'new.members')!
    assert.deepEqual([joined.current, joined.previous], [1, 1])
    const end = p.figures.find((x) => x.key === 'members')!
    assert.deepEqual([end.current, end.previous], [2, 1])
    const s = await f.as('city', (ctx) => stats.series(ctx, { hierarchy: 'geo', from: '2018-01-01', to: '2019-12-31', grain: 'quarter' }))
    assert.deepEqual(
      s.points.map((x) => x.members),
      [0, 1, 1, 1, 2, 2, 2, 2],
    )
    assert.deepEqual(
      s.points.map((x) => x.joined),
      [0, 1, 0, 0, 1, 0, 0, 0],
    )
    assert.equal(s.points.at(-1)!.date, '2019-12-31')
  })

  it('rates the 新就业形态 groups against the workforce entered per platform', async () => {
    await f.as('ganlin', (ctx) =>
      stats.putWorkforce(ctx, { orgId: f.ids.ganlin, platformName: '美团', occupation: 'food_delivery', workers: 40, asOf: '2026-01-01' }),
    )
    await f.as('ganlin', (ctx) =>
      stats.putWorkforce(ctx, { orgId: f.ids.ganlin, platformName: '美团', occupation: 'food_delivery', workers: 50, asOf: '2026-03-01' }),
    )
    await f.as('ganlin', (ctx) =>
      members.create(ctx, {
        name: '外卖骑手',
        documentType: 'resident_id',
        documentNumber: residentId('19950505'),
        unionId: f.ids.ganlinJoint,
        occupation: 'food_delivery',
        joinedOn: '2026-02-01',
      }),
    )
    const now = await panel('ganlin')
    assert.deepEqual(nd(now, 'ne_rate.food_delivery'), [1, 50], 'the latest figure of each platform counts')
    assert.deepEqual(nd(now, 'ne_rate'), [1, 50])
    assert.deepEqual(nd(await panel('ganlin', undefined, '2026-01-15'), 'ne_rate.food_delivery'), [0, 40])
    assert.deepEqual(nd(await panel('chongren'), 'ne_rate.food_delivery'), [0, 0], 'another town has its own workforce')
  })

  it('ranks the towns and moves a subtree with its totals, keeping the past as it was', async () => {
    const r = await f.as('city', (ctx) => stats.ranking(ctx, { hierarchy: 'geo', indicator: 'members' }))
    assert.deepEqual(
      r.rows.map((x) => [x.org.name, x.numerator]),
      [
        ['甘霖镇总工会', 2],
        ['崇仁镇总工会', 1],
      ],
    )
    await assert.rejects(
      f.as('city', (ctx) => stats.ranking(ctx, { hierarchy: 'geo', indicator: 'nonsense' })),
      (e: AppError) => e.status === 400 && e.fields?.indicator !== undefined,
    )

    const yesterday = await f.as('city', async (ctx) => {
      const d = new Date(ctx.today + 'T00:00:00Z')
      d.setUTCDate(d.getUTCDate() - 1)
      return d.toISOString().slice(0, 10)
    })
    await f.as('city', (ctx) => orgs.move(ctx, f.ids.ganlinJoint, f.ids.chongren))
    assert.deepEqual(nd(await panel('city', f.ids.ganlin), 'members'), [0, null])
    assert.deepEqual(nd(await panel('city', f.ids.chongren), 'members'), [3, null])
    assert.deepEqual(
      nd(await panel('city', f.ids.ganlin, yesterday), 'members'),
      [2, null],
      'as of yesterday the joint union was still in 甘霖镇',
    )
    assert.deepEqual(nd(await panel('city'), 'members'), [3, null])
    const v = await verifyAll()
    assert.deepEqual(v.differences, [])
    assert.deepEqual(v.ledgerMismatches, [])
  })

  it('a move dated in the past shows the tree as it was before that date and as it is after', async () => {
    const u = await f.as('city', (ctx) =>
      orgs.create(ctx, {
        parentId: f.ids.ganlin,
        name: '甘霖老工会',
        orgType: '1',
        orgForm: 'committee',
        regionCode: '330683100',
        foundedOn: '2015-01-01',
      }),
    )
    await f.as('city', (ctx) =>
      members.create(ctx, {
        name: '老会员',
        documentType: 'resident_id',
        documentNumber: residentId('19700101'),
        unionId: u.id,
        joinedOn: '2016-01-01',
      }),
    )
    const before = {
      g: nd(await panel('city', f.ids.ganlin, '2020-05-31'), 'members')[0]!,
      c: nd(await panel('city', f.ids.chongren, '2020-05-31'), 'members')[0]!,
    }
    await f.as('city', (ctx) => orgs.move(ctx, u.id, f.ids.chongren, '2020-06-01'))
    assert.equal(nd(await panel('city', f.ids.ganlin, '2020-05-31'), 'members')[0], before.g)
    assert.equal(nd(await panel('city', f.ids.chongren, '2020-05-31'), 'members')[0], before.c)
    assert.equal(nd(await panel('city', f.ids.ganlin, '2020-06-01'), 'members')[0], before.g - 1)
    assert.equal(nd(await panel('city', f.ids.chongren, '2020-06-01'), 'members')[0], before.c + 1)
    assert.deepEqual((await verifyAll()).differences, [])
  })

  it('rolls up the industry hierarchy beside the geographic one, counting each member once in each', async () => {
    const cityBefore = nd(await panel('city'), 'members')[0]!
    const edu = await f.as('city', (ctx) =>
      orgs.create(ctx, {
        parentId: f.ids.city,
        name: '市教育工会',
        orgType: '5',
        orgForm: 'committee',
        regionCode: '330683',
        isIndustryUnion: true,
        foundedOn: '2000-01-01',
      }),
    )
    const school = await f.as('city', (ctx) =>
      orgs.create(ctx, {
        parentId: f.ids.chongren,
        name: '崇仁中学工会',
        orgType: '1',
        orgForm: 'committee',
        regionCode: '330683102',
        industryUnionId: edu.id,
        foundedOn: '2010-01-01',
      }),
    )
    await f.as('city', (ctx) =>
      members.create(ctx, {
        name: '崇仁教师',
        documentType: 'resident_id',
        documentNumber: residentId('19800808'),
        unionId: school.id,
        joinedOn: '2012-09-01',
      }),
    )
    const industry = await f.as('city', (ctx) => stats.panel(ctx, { org: edu.id, hierarchy: 'industry' }))
    assert.deepEqual(nd(industry, 'members'), [1, null], 'the industry union counts the school union it leads')
    assert.deepEqual(nd(industry, 'unions'), [2, null], 'itself and the school union')
    assert.deepEqual(
      nd(await panel('city'), 'members'),
      [cityBefore + 1, null],
      'the city counts the teacher once, not again through the industry union',
    )
    assert.deepEqual(
      nd(await panel('city', edu.id), 'members'),
      [0, null],
      'in the geographic tree the industry union holds no members of its own',
    )
    const r = await f.as('city', (ctx) => stats.ranking(ctx, { org: edu.id, hierarchy: 'industry', indicator: 'members' }))
    assert.deepEqual(
      r.rows.map((x) => [x.org.name, x.numerator]),
      [['崇仁中学工会', 1]],
    )
    // the city leads no industry itself: its industry ranking lists the industry unions
    const top = await f.as('city', (ctx) => stats.ranking(ctx, { hierarchy: 'industry', indicator: 'members' }))
    assert.deepEqual(
      top.rows.map((x) => [x.org.name, x.numerator]),
      [['市教育工会', 1]],
    )
    assert.deepEqual((await verifyAll()).differences, [])
  })

  it('verify finds a tally that was tampered with, and so does `npm run cli -- stats verify`', async () => {
    const cli = async () => {
      const lines: string[] = []
      const code = await runCli(['stats', 'verify'], { database: f.database, out: (l) => lines.push(l), err: (l) => lines.push(l) })
      return { code, text: lines.join('\n') }
    }
    const good = await cli()
    assert.equal(good.code, 0, good.text)
    assert.match(good.text, /统计核对通过/)
    await sql`update stat_total set value = value + 1 where node_id = ${f.ids.chongren} and h = 'g' and metric = 'members'`.execute(
      f.database.db,
    )
    const bad = await cli()
    assert.equal(bad.code, 1)
    assert.match(bad.text, new RegExp(`组织 ${f.ids.chongren}（行政区域）members：汇总 \\d+，重新计算 \\d+`))
    const v = await verifyAll()
    assert.deepEqual(
      v.differences.map((d) => [d.nodeId, d.metric, d.kept - d.recomputed]),
      [[f.ids.chongren, 'members', 1]],
    )
    assert.equal(v.ledgerMismatches.length, 1)
    await sql`update stat_total set value = value - 1 where node_id = ${f.ids.chongren} and h = 'g' and metric = 'members'`.execute(
      f.database.db,
    )
    assert.deepEqual((await verifyAll()).differences, [])
    // a month's kept changes that are not the sum of its days
    const month = await sql<{ start: string }>`select to_char(start, 'YYYY-MM') as start from stat_period
      where node_id = ${f.ids.chongren} and h = 'g' and grain = 'm' and metric = 'members' order by start limit 1`.execute(f.database.db)
    const m = month.rows[0]!.start
    await sql`update stat_period set delta = delta + 2 where node_id = ${f.ids.chongren} and h = 'g' and grain = 'm'
      and metric = 'members' and start = ${m + '-01'}`.execute(f.database.db)
    assert.deepEqual(
      (await verifyAll()).ledgerMismatches.map((x) => [x.nodeId, x.metric, x.period, x.total - x.sumOfDays]),
      [[f.ids.chongren, 'members', m, 2]],
    )
    const tampered = await cli()
    assert.equal(tampered.code, 1)
    assert.match(tampered.text, new RegExp(`组织 ${f.ids.chongren} members：${m} 的变化 \\d+，逐日变化之和 \\d+`))
    await sql`update stat_period set delta = delta - 2 where node_id = ${f.ids.chongren} and h = 'g' and grain = 'm'
      and metric = 'members' and start = ${m + '-01'}`.execute(f.database.db)
    assert.deepEqual((await verifyAll()).ledgerMismatches, [])
  })
})

/** mulberry32: the same writes on every run */
function rng(seed: number) {
  return () => {
    seed |= 0
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('statistics under random writes', () => {
  let f: Fixture
  before(async () => {
    f = await fixture()
  })
  after(() => f.close())

  it('stay equal to a recomputation from the base tables after thousands of joins, transfers, leaves, register changes and tree moves', async () => {
    const WRITES = Number(process.env.STATS_RANDOM_WRITES ?? 2000)
    const r = rng(4242)
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!
    const towns = [f.ids.ganlin, f.ids.chongren]
    const regionOf: Record<number, string> = { [f.ids.ganlin]: '330683100', [f.ids.chongren]: '330683102' }
    const unions: { id: number; town: number; joint: boolean }[] = [
      { id: f.ids.ganlinJoint, town: f.ids.ganlin, joint: true },
      { id: f.ids.chongrenBase, town: f.ids.chongren, joint: false },
    ]
    const ents: { id: number; town: number }[] = [
      { id: f.ids.ganlinEnterprise, town: f.ids.ganlin },
      { id: f.ids.chongrenEnterprise, town: f.ids.chongren },
    ]
    const people: number[] = [f.ids.ganlinMember, f.ids.chongrenMember]
    const natures = ['private', 'foreign', 'organ', 'state_owned', 'social_org', 'individual', 'collective'] as const
    const occupations = [null, null, null, 'courier', 'truck_driver', 'ride_hailing', 'food_delivery', 'other'] as const
    const day = () => `20${10 + Math.floor(r() * 15)}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}`
    let done = 0
    const kinds: Record<string, number> = {}
    for (let i = 0; i < WRITES; i++) {
      const x = r()
      const kind =
        x < 0.3
          ? 'join'
          : x < 0.4
            ? 'leave'
            : x < 0.47
              ? 'retain'
              : x < 0.57
                ? 'transfer'
                : x < 0.67
                  ? 'enterprise'
                  : x < 0.75
                    ? 'enterprise.update'
                    : x < 0.8
                      ? 'union'
                      : x < 0.84
                        ? 'move'
                        : x < 0.9
                          ? 'coverage'
                          : x < 0.95
                            ? 'union.update'
                            : 'dissolve'
      try {
        await f.as('city', async (ctx) => {
          switch (kind) {
            case 'join': {
              const u = pick(unions)
              const e = ents.filter((e) => e.town === u.town)
              const m = await members.create(ctx, {
                name: `会员${i}`,
                documentType: 'resident_id',
                documentNumber: residentId(`19${70 + Math.floor(r() * 30)}0${1 + Math.floor(r() * 9)}15`),
                unionId: u.id,
                enterpriseId: e.length && r() < 0.7 ? pick(e).id : null,
                occupation: pick([...occupations]),
                joinedOn: day(),
              })
              people.push(m.id)
              break
            }
            case 'leave':
              await members.changeStatus(ctx, pick(people), { event: '6', reason: '5' })
              break
            case 'retain':
              await members.changeStatus(ctx, pick(people), r() < 0.5 ? { event: '3' } : { event: 'restore' })
              break
            case 'transfer': {
              const t = await transfers.request(ctx, { memberId: pick(people), toUnionId: pick(unions).id, reason: '1' })
              if (r() < 0.8) await transfers.accept(ctx, t.id, null)
              else await transfers.decline(ctx, t.id, '退回')
              break
            }
            case 'enterprise': {
              const town = pick(towns)
              const e = await enterprises.create(ctx, {
                creditCode: creditCode(),
                name: `随机企业${i}`,
                regionCode: regionOf[town]!,
                nature: pick([...natures]),
                employees: Math.floor(r() * 300),
                aboveScale: r() < 0.2,
                foundedOn: day(),
              })
              ents.push({ id: e.id, town })
              break
            }
            case 'enterprise.update':
              await enterprises.update(ctx, pick(ents).id, {
                employees: Math.floor(r() * 300),
                nature: pick([...natures]),
                aboveScale: r() < 0.3,
              })
              break
            case 'union': {
              const town = pick(towns)
              const joint = r() < 0.4
              const free = ents.filter((e) => e.town === town)
              const o = await orgs.create(
                ctx,
                joint
                  ? {
                      parentId: town,
                      name: `随机联合工会${i}`,
                      orgType: '2',
                      orgForm: r() < 0.5 ? 'joint_committee' : 'joint_federation',
                      regionCode: regionOf[town]!,
                      jointScope: r() < 0.5 ? 'regional' : 'industry',
                      jointCategory: pick(['industrial_park', 'logistics', 'other']),
                      foundedOn: day(),
                      fulltimeWorkers: Math.floor(r() * 3),
                    }
                  : {
                      parentId: town,
                      name: `随机工会${i}`,
                      orgType: '1',
                      orgForm: 'committee',
                      regionCode: regionOf[town]!,
                      enterpriseId: free.length ? pick(free).id : undefined,
                      foundedOn: day(),
                      parttimeWorkers: Math.floor(r() * 3),
                    },
              )
              unions.push({ id: o.id, town, joint })
              break
            }
            case 'move': {
              const u = pick(unions)
              const to = towns.find((t) => t !== u.town)!
              await orgs.move(ctx, u.id, to)
              u.town = to
              break
            }
            case 'coverage': {
              const u = pick(unions.filter((u) => u.joint))
              const e = ents.filter((e) => e.town === u.town)
              await orgs.setCoverage(
                ctx,
                u.id,
                e.filter(() => r() < 0.3).map((e) => e.id),
              )
              break
            }
            case 'union.update':
              await orgs.update(ctx, pick(unions).id, { fulltimeWorkers: Math.floor(r() * 4) })
              break
            case 'dissolve': {
              const u = pick(unions)
              await orgs.dissolve(ctx, u.id)
              unions.splice(unions.indexOf(u), 1)
              break
            }
          }
        })
        done++
        kinds[kind] = (kinds[kind] ?? 0) + 1
      } catch (e) {
        if (!(e instanceof AppError)) throw e
      }
    }
    console.log(`# ${done} of ${WRITES} random writes: ${JSON.stringify(kinds)}`)
    assert.ok(done > WRITES * 0.6, `only ${done} of ${WRITES} writes went through: ${JSON.stringify(kinds)}`)
    for (const k of ['join', 'leave', 'transfer', 'enterprise', 'union', 'move', 'coverage', 'dissolve'])
      assert.ok((kinds[k] ?? 0) > 0, `no ${k} succeeded: ${JSON.stringify(kinds)}`)
    const v = await f.database.db.transaction().execute((tx) => verify(tx))
    assert.deepEqual(v.differences, [], `after ${JSON.stringify(kinds)}`)
    assert.deepEqual(v.ledgerMismatches, [])
    assert.ok(v.compared > 100)
    // and the panel agrees with a plain count of the register
    const city = await f.as('city', (ctx) => stats.panel(ctx, { hierarchy: 'geo' }))
    const counted = await sql<{ n: string }>`select count(*) as n from member where status = 'active'`.execute(f.database.db)
    assert.equal(find(city, 'members').numerator, Number(counted.rows[0]!.n))
  })

  it('reads any past date and any span from the month and year buckets exactly as from the days', async () => {
    const db = f.database.db
    const nodes = [f.ids.city, f.ids.ganlin, f.ids.chongren]
    // the edges a bucket can be off by one at, and a few days between them
    const dates = ['2009-12-31', '2010-01-01', '2012-02-28', '2012-02-29', '2012-03-01', '2015-06-30', '2015-07-01', '2016-12-31']
    for (let y = 2017; y <= 2025; y++) dates.push(`${y}-01-01`, `${y}-03-31`, `${y}-04-01`, `${y}-08-17`, `${y}-12-31`)
    const byDays = async (where: ReturnType<typeof sql>) =>
      (
        await sql<{ node_id: string; metric: string; v: string }>`select node_id, metric, sum(delta) as v from stat_day
          where node_id = any(${nodes}::bigint[]) and h = 'g' and ${where} group by 1, 2 having sum(delta) <> 0`.execute(db)
      ).rows.map((r) => `${r.node_id} ${r.metric} ${r.v}`)
    const nonZero = (m: Map<number, Map<string, number>>) =>
      [...m].flatMap(([id, x]) => [...x].filter(([, v]) => v !== 0).map(([k, v]) => `${id} ${k} ${v}`))
    const upTo = (d: string) => byDays(sql`day <= ${d}`)
    let seen = 0
    for (const d of dates) {
      const kept = await db.transaction().execute((tx) => totalsOf(tx, nodes, 'g', null, d))
      assert.deepEqual(nonZero(kept).sort(), (await upTo(d)).sort(), `on ${d}`)
      seen += nonZero(kept).length
    }
    assert.ok(seen > 100, `only ${seen} values compared`)
    const flows = ['new.members', 'new.left', 'new.transfers_in', 'new.transfers_out', 'members']
    for (const [from, to] of [
      ['2012-02-29', '2012-03-01'],
      ['2010-01-01', '2024-12-31'],
      ['2013-04-18', '2019-11-02'],
      ['2016-01-01', '2016-12-31'],
      ['2018-07-01', '2018-07-31'],
    ] as const) {
      const kept = await db.transaction().execute((tx) => changes(tx, f.ids.city, 'g', from, to, flows))
      const direct = await byDays(sql`node_id = ${f.ids.city} and day between ${from} and ${to} and metric = any(${flows}::text[])`)
      assert.deepEqual(
        [...kept]
          .filter(([, v]) => v !== 0)
          .map(([k, v]) => `${f.ids.city} ${k} ${v}`)
          .sort(),
        direct.sort(),
        `${from}..${to}`,
      )
    }
    for (const grain of ['month', 'quarter', 'year'] as const) {
      for (const [after, to] of [
        ['2009-12-31', '2024-12-31'],
        ['2014-06-30', '2019-08-17'],
      ] as const) {
        const kept = await db.transaction().execute((tx) => changesByBucket(tx, f.ids.city, 'g', after, to, grain, flows))
        const direct = await sql<{ b: string; metric: string; d: string }>`
          select to_char(date_trunc(${grain}, day), 'YYYY-MM-DD') as b, metric, sum(delta) as d from stat_day
           where node_id = ${f.ids.city} and h = 'g' and day > ${after} and day <= ${to} and metric = any(${flows}::text[])
           group by 1, 2 having sum(delta) <> 0`.execute(db)
        assert.deepEqual(
          kept
            .filter((x) => x.delta !== 0)
            .map((x) => `${x.bucket} ${x.metric} ${x.delta}`)
            .sort(),
          direct.rows.map((x) => `${x.b} ${x.metric} ${x.d}`).sort(),
          `${grain} ${after}..${to}`,
        )
      }
    }
  })
})
