import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { fixture, openActivity, PASSWORD, residentId, signInMember, type Fixture } from '../../test/harness.js'
import type { StatsPanel } from '../../../../common/stats.js'
import { hashPassword } from '../auth/passwords.js'
import * as members from '../members/members.service.js'
import * as orgs from '../orgs/orgs.service.js'
import * as stats from './stats.service.js'
import { verify } from './stats.repository.js'
import { runCli } from '../../cli.js'

/**
 * 活动与建议 on the dashboard (issue 11): activities held, members who took part ÷ members, activities
 * from members' proposals or suggestions ÷ activities, proposals received / entered into the plan /
 * done / answered late, the average rating — kept as tallies by the triggers of 0024, live after
 * each write, rolled up over two levels (甘霖镇联合工会 → 甘霖镇总工会 → 嵊州市总工会), recomputed
 * by `stats verify`.
 */
describe('statistics of activities and proposals', () => {
  let f: Fixture
  let ganlin: Record<string, string>
  let joint: Record<string, string> // a cadre of 甘霖镇联合工会, the organizer
  let m1: Record<string, string>
  let m2: Record<string, string>
  let m3: Record<string, string>
  let other: Record<string, string> // a member of 崇仁镇
  const hour = 3600_000
  const at = (h: number) => new Date(Date.now() + h * hour).toISOString()

  before(async () => {
    f = await fixture()
    ganlin = await f.login('ganlin')
    await f.database.db
      .insertInto('app_user')
      .values({
        username: 'joint',
        display_name: '甘霖镇联合工会',
        password_hash: await hashPassword(PASSWORD),
        roles: ['org_admin'],
        org_id: f.ids.ganlinJoint,
      })
      .execute()
    joint = await f.login('joint')
    await f.as('ganlin', async (ctx) => {
      for (const phone of ['13905759001', '13905759002'])
        await members.create(ctx, {
          name: `甘霖职工${phone.slice(-1)}`,
          documentType: 'resident_id',
          documentNumber: residentId('19900101'),
          phone,
          unionId: f.ids.ganlinJoint,
          joinedOn: '2020-01-01',
        } as never)
    })
    m1 = await signInMember(f, '13905750001')
    m2 = await signInMember(f, '13905759001')
    m3 = await signInMember(f, '13905759002')
    other = await signInMember(f, '13905750002')
  })
  after(() => f?.close())

  const req = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, headers: Record<string, string>, payload?: object) => {
    const r = await f.app.inject({ method, url, headers, payload })
    assert.ok(r.statusCode < 300, `${method} ${url}: ${r.statusCode} ${r.body}`)
    return r.json()
  }
  const panel = (org: number, asOf?: string) => f.as('city', (ctx) => stats.panel(ctx, { org, asOf, hierarchy: 'geo' }))
  const nd = (p: StatsPanel, key: string) => {
    const r = p.indicators.find((i) => i.key === key)
    assert.ok(r, `no indicator ${key}`)
    assert.equal(r.group, 'activity')
    return [r.numerator, r.denominator]
  }
  /** the figures of the group at the joint union, the town and the city */
  const figures = async (key: string) => [
    nd(await panel(f.ids.ganlinJoint), key),
    nd(await panel(f.ids.ganlin), key),
    nd(await panel(f.ids.city), key),
  ]
  const verifyAll = () => f.database.db.transaction().execute((tx) => verify(tx))

  /** An activity of 甘霖镇联合工会 with sign-up open, published. */
  async function activity(origin: 'plan' | 'suggestion', title: string) {
    const a = await req('POST', '/api/activities', joint, openActivity({ orgId: f.ids.ganlinJoint, title, body: '欢迎参加。', origin }))
    await req('POST', `/api/activities/${a.id}/publish`, joint)
    return a.id as number
  }
  /** The organizers record that it took place an hour ago (its time has passed: it was held today). */
  const held = (id: number) =>
    req('PATCH', `/api/activities/${id}`, joint, {
      startsAt: at(-1),
      endsAt: at(-0.5),
      signupOpens: at(-3),
      signupCloses: at(-2),
      cancelDeadline: at(-2),
    })
  const code = async (id: number, m: Record<string, string>) => (await req('GET', `/api/my/activities/${id}`, m)).mine.code as string
  const checkIn = async (id: number, m: Record<string, string>) =>
    req('POST', `/api/activities/${id}/check-in`, joint, { checkInCode: await code(id, m) })

  let first = 0
  let second = 0

  it('counts an activity as held from the day it starts, never before; rolled up to the town and the city', async () => {
    assert.deepEqual(await figures('activities'), [
      [0, null],
      [0, null],
      [0, null],
    ])
    first = await activity('suggestion', '职工健步走')
    await req('POST', `/api/my/activities/${first}/sign-up`, m1)
    await req('POST', `/api/my/activities/${first}/sign-up`, m2)
    // published for the day after tomorrow: not held yet
    assert.deepEqual(await figures('activities'), [
      [0, null],
      [0, null],
      [0, null],
    ])
    assert.deepEqual((await verifyAll()).differences, [])
    await held(first)
    assert.deepEqual(await figures('activities'), [
      [1, null],
      [1, null],
      [1, null],
    ])
    assert.deepEqual(await figures('member_origin_rate'), [
      [1, 1],
      [1, 1],
      [1, 1],
    ])
    // nobody took part yet: 0 of the 3 members of 甘霖 (the city has 崇仁's too)
    assert.deepEqual(await figures('participation_rate'), [
      [0, 3],
      [0, 3],
      [0, 4],
    ])
    // 崇仁镇 sees none of it
    assert.deepEqual(nd(await panel(f.ids.chongren), 'activities'), [0, null])
  })

  it('a check-in counts the member once a year, however many activities; a rating counts at once', async () => {
    await checkIn(first, m1)
    assert.deepEqual(await figures('participation_rate'), [
      [1, 3],
      [1, 3],
      [1, 4],
    ])
    assert.deepEqual(await figures('attendances'), [
      [1, null],
      [1, null],
      [1, null],
    ])
    await req('POST', `/api/my/activities/${first}/rating`, m1, { rating: 4 })
    assert.deepEqual(await figures('rating'), [
      [4, 1],
      [4, 1],
      [4, 1],
    ])

    second = await activity('plan', '安全生产讲座')
    await req('POST', `/api/my/activities/${second}/sign-up`, m1)
    await req('POST', `/api/my/activities/${second}/sign-up`, m3)
    await held(second)
    await checkIn(second, m1)
    await checkIn(second, m3)
    await req('POST', `/api/my/activities/${second}/rating`, m3, { rating: 5 })
    assert.deepEqual(nd(await panel(f.ids.city), 'activities'), [2, null])
    assert.deepEqual(nd(await panel(f.ids.city), 'attendances'), [3, null])
    // m1 twice, m3 once: two members
    assert.deepEqual(await figures('participation_rate'), [
      [2, 3],
      [2, 3],
      [2, 4],
    ])
    assert.deepEqual(nd(await panel(f.ids.ganlin), 'member_origin_rate'), [1, 2])
    // the city ranks its towns by it
    const r = await f.as('city', (ctx) => stats.ranking(ctx, { hierarchy: 'geo', indicator: 'participation_rate' }))
    assert.equal(r.indicator.label, '会员参与率')
    assert.deepEqual(
      r.rows.map((x) => [x.org.name, x.numerator, x.denominator]),
      [
        ['甘霖镇总工会', 2, 3],
        ['崇仁镇总工会', 0, 1],
      ],
    )
    assert.deepEqual(nd(await panel(f.ids.ganlin), 'rating'), [9, 2])
    const v = await verifyAll()
    assert.deepEqual(v.differences, [])
    assert.deepEqual(v.ledgerMismatches, [])
  })

  it('a cancelled activity leaves every figure, its attendees’ participation too', async () => {
    await req('POST', `/api/activities/${second}/cancel`, joint, { cancelReason: '场地临时检修' })
    assert.deepEqual(nd(await panel(f.ids.city), 'activities'), [1, null])
    assert.deepEqual(nd(await panel(f.ids.city), 'attendances'), [1, null])
    assert.deepEqual(nd(await panel(f.ids.ganlin), 'member_origin_rate'), [1, 1])
    assert.deepEqual(nd(await panel(f.ids.ganlin), 'rating'), [4, 1])
    // m3 took part in the cancelled one only; m1 in the first too
    assert.deepEqual(await figures('participation_rate'), [
      [1, 3],
      [1, 3],
      [1, 4],
    ])
    assert.deepEqual((await verifyAll()).differences, [])
  })

  it('proposals: received, entered into the plan, answered late, done — at once, rolled up', async () => {
    await req('PUT', '/api/proposals/rules', ganlin, { level: 'grassroots', threshold: 2, answerDays: 5, periodDays: 30 })
    const p = await req('POST', '/api/my/proposals', m1, {
      title: '食堂增加夜班热餐',
      body: '夜班职工晚上十点以后吃不上热饭。',
      category: 'welfare',
    })
    await req('POST', '/api/my/proposals', other, {
      title: '崇仁车间降温',
      body: '夏季车间温度太高，建议加装降温设备。',
      category: 'welfare',
    })
    assert.deepEqual(await figures('proposals.received'), [
      [1, null],
      [1, null],
      [2, null],
    ])
    await req('POST', `/api/my/proposals/${p.id}/support`, m2)
    assert.deepEqual(nd(await panel(f.ids.ganlin), 'proposals.planned'), [0, 1])
    await req('POST', `/api/my/proposals/${p.id}/support`, m3)
    assert.deepEqual(await figures('proposals.planned'), [
      [1, 1],
      [1, 1],
      [1, 2],
    ])
    // the answer is due by a date that has passed (days went by; the owner moves the date, as time would)
    await sql`update proposal set answer_due_on = current_date - 1 where id = ${p.id}`.execute(f.database.db)
    await req('POST', `/api/proposals/${p.id}/answer`, ganlin, { verdict: 'accept', reply: '纳入食堂改造计划' })
    assert.deepEqual(await figures('proposals.late'), [
      [1, 1],
      [1, 1],
      [1, 1],
    ])
    assert.deepEqual(nd(await panel(f.ids.city), 'proposals.done'), [0, 1])
    await req('POST', `/api/proposals/${p.id}/progress`, ganlin, { percent: 100, note: '夜班热餐已供应' })
    assert.deepEqual(await figures('proposals.done'), [
      [1, 1],
      [1, 1],
      [1, 1],
    ])
    // a hidden proposal counts nowhere
    const q = await req('POST', '/api/my/proposals', m2, {
      title: '无关内容',
      body: '这是一条与工会工作无关的广告内容。',
      category: 'welfare',
    })
    assert.deepEqual(nd(await panel(f.ids.ganlin), 'proposals.received'), [2, null])
    await req('POST', `/api/proposals/${q.id}/hide`, ganlin, { hiddenReason: '广告内容' })
    assert.deepEqual(nd(await panel(f.ids.ganlin), 'proposals.received'), [1, null])
    assert.deepEqual((await verifyAll()).differences, [])
  })

  it('last year’s figures stay last year’s: the panel reads the year of the date', async () => {
    // an activity of last year (dated by the owner, as an import of old records would)
    const lastYear = `${Number((await panel(f.ids.city)).asOf.slice(0, 4)) - 1}-06-01`
    await sql`update activity set starts_at = ${lastYear + 'T10:00:00+08:00'}::timestamptz, ends_at = ${lastYear + 'T12:00:00+08:00'}::timestamptz,
                signup_opens = ${lastYear + 'T08:00:00+08:00'}::timestamptz, signup_closes = ${lastYear + 'T09:00:00+08:00'}::timestamptz,
                cancel_deadline = ${lastYear + 'T09:00:00+08:00'}::timestamptz where id = ${first}`.execute(f.database.db)
    // this year: nothing held, nobody took part
    assert.deepEqual(nd(await panel(f.ids.city), 'activities'), [0, null])
    assert.deepEqual(nd(await panel(f.ids.city), 'participation_rate'), [0, 4])
    // read on 31 December of last year: the activity, its attendee, its rating
    const dec31 = `${lastYear.slice(0, 4)}-12-31`
    assert.deepEqual(nd(await panel(f.ids.ganlin, dec31), 'activities'), [1, null])
    assert.deepEqual(nd(await panel(f.ids.ganlin, dec31), 'participation_rate'), [1, 3])
    assert.deepEqual(nd(await panel(f.ids.ganlin, dec31), 'rating'), [4, 1])
    assert.deepEqual((await verifyAll()).differences, [])
  })

  it('a union that moves takes its activities and proposals with it, their history too; nothing goes below zero', async () => {
    const coming = await activity('suggestion', '下周的活动')
    await req('POST', `/api/my/activities/${coming}/sign-up`, m2)
    await f.as('city', (ctx) => orgs.move(ctx, f.ids.ganlinJoint, f.ids.chongren))
    for (const org of [f.ids.ganlin, f.ids.chongren, f.ids.city]) {
      const p = await panel(org)
      for (const r of p.indicators.filter((i) => i.group === 'activity')) assert.ok(r.numerator >= 0, `${r.key} of ${org}: ${r.numerator}`)
    }
    // last year's activity went along, on its day
    const dec31 = `${Number((await panel(f.ids.city)).asOf.slice(0, 4)) - 1}-12-31`
    assert.deepEqual(nd(await panel(f.ids.chongren, dec31), 'activities'), [1, null])
    assert.deepEqual(nd(await panel(f.ids.ganlin, dec31), 'activities'), [0, null])
    assert.deepEqual(nd(await panel(f.ids.city, dec31), 'activities'), [1, null])
    // the proposal went along: 崇仁镇 now holds both
    assert.deepEqual(nd(await panel(f.ids.chongren), 'proposals.received'), [2, null])
    assert.deepEqual(nd(await panel(f.ids.ganlin), 'proposals.received'), [0, null])
    const v = await verifyAll()
    assert.deepEqual(v.differences, [])
    assert.deepEqual(v.ledgerMismatches, [])
  })

  it('verify finds a tampered activity or participation tally; so does `npm run cli -- stats verify`', async () => {
    const year = (await panel(f.ids.city)).asOf.slice(0, 4)
    await sql`update stat_total set value = value + 1 where node_id = ${f.ids.city} and h = 'g' and metric = 'act.held'`.execute(
      f.database.db,
    )
    await sql`insert into stat_total (node_id, h, metric, value) values (${f.ids.chongren}, 'g', ${'act.participants.' + year}, 7)
              on conflict (node_id, h, metric) do update set value = stat_total.value + 7`.execute(f.database.db)
    const v = await verifyAll()
    const found = v.differences.map((d) => `${d.nodeId}:${d.metric}`)
    assert.ok(found.includes(`${f.ids.city}:act.held`), found.join(' '))
    assert.ok(found.includes(`${f.ids.chongren}:act.participants.${year}`), found.join(' '))
    const lines: string[] = []
    const rc = await runCli(['stats', 'verify'], { database: f.database, out: (l) => lines.push(l), err: (l) => lines.push(l) })
    assert.equal(rc, 1)
    assert.match(lines.join('\n'), /act\.held/)
    await sql`update stat_total set value = value - 1 where node_id = ${f.ids.city} and h = 'g' and metric = 'act.held'`.execute(
      f.database.db,
    )
    await sql`update stat_total set value = value - 7 where node_id = ${f.ids.chongren} and h = 'g' and metric = ${'act.participants.' + year}`.execute(
      f.database.db,
    )
    assert.deepEqual((await verifyAll()).differences, [])
  })
})
