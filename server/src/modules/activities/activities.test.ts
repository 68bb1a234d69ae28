import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import ExcelJS from 'exceljs'
import { fixture, openActivity, PASSWORD, residentId, signInMember, phoneMembers, type Fixture } from '../../test/harness.js'
import * as members from '../members/members.service.js'
import { hashPassword } from '../auth/passwords.js'
import { localDateTime } from '../../local-time.js'

/**
 * Activities (活动): a union publishes, members sign up on the phone (capacity under a lock, then
 * the waitlist, a cancellation promotes the oldest waiting member who is told at once), the
 * organizing union's cadres check them in by the code on their phone, they rate; the organizers
 * see it all and export it. The concurrency cases run with real connections on PostgreSQL (the
 * pool) and serialized on PGlite: the answers must be the same.
 */
describe('activities', () => {
  let f: Fixture
  let ganlin: Record<string, string>
  let chongren: Record<string, string>
  let city: Record<string, string>
  let viewer: Record<string, string>
  let m1: Record<string, string> // 甘霖's fixture member
  let cr: Record<string, string> // 崇仁's member
  const extra: { id: number; headers: Record<string, string> }[] = [] // more members of 甘霖
  let phone = 13905751000

  const hour = 3600_000
  const at = (h: number) => new Date(Date.now() + h * hour).toISOString()
  const activity = (over: Record<string, unknown> = {}) =>
    openActivity({ title: '甘霖镇职工健步走', body: '沿剡溪绿道健步走五公里。', place: '甘霖镇剡溪绿道', capacity: 2, ...over })
  const req = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Record<string, string>, payload?: object) =>
    f.app.inject({ method, url, headers, payload })
  const published = async (over: Record<string, unknown> = {}) => {
    const c = await req('POST', '/api/activities', ganlin, activity(over))
    assert.equal(c.statusCode, 201, c.body)
    const p = await req('POST', `/api/activities/${c.json().id}/publish`, ganlin)
    assert.equal(p.statusCode, 200, p.body)
    return c.json().id as number
  }
  const orgMessages = async (title: string) =>
    Number(
      (
        await f.database.db
          .selectFrom('message')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('org_id', '=', f.ids.ganlin)
          .where('title', 'like', `%${title}%`)
          .executeTakeFirstOrThrow()
      ).n,
    )

  before(async () => {
    f = await fixture()
    await f.database.db
      .insertInto('app_user')
      .values({
        username: 'cityadmin',
        display_name: '市总工会',
        password_hash: await hashPassword(PASSWORD),
        roles: ['org_admin'],
        org_id: f.ids.city,
      })
      .execute()
    ganlin = await f.login('ganlin')
    chongren = await f.login('chongren')
    viewer = await f.login('viewer')
    city = await f.login('cityadmin')
    ;({ ganlin: m1, chongren: cr } = await phoneMembers(f))
  })
  after(() => f?.close())

  /** n more members of 甘霖镇联合工会, signed in */
  async function moreMembers(n: number) {
    const made: { id: number; headers: Record<string, string> }[] = []
    for (let i = 0; i < n; i++) {
      const p = String(phone++)
      const m = await f.as('ganlin', (ctx) =>
        members.create(ctx, {
          name: `甘霖职工${phone}`,
          documentType: 'resident_id',
          documentNumber: residentId('19900101'),
          phone: p,
          unionId: f.ids.ganlinJoint,
        } as never),
      )
      made.push({ id: m.id, headers: await signInMember(f, p) })
    }
    extra.push(...made)
    return made
  }

  it('a cadre creates a draft (times in order), publishes it; members of the subtree see it, others do not', async () => {
    const bad = await req('POST', '/api/activities', ganlin, activity({ endsAt: at(47) }))
    assert.equal(bad.statusCode, 400)
    assert.match(bad.json().error.message, /结束时间不能早于开始时间/)
    const noProposal = await req('POST', '/api/activities', ganlin, activity({ origin: 'proposal' }))
    assert.equal(noProposal.statusCode, 400)
    assert.equal((await req('POST', '/api/activities', viewer, activity())).statusCode, 403)
    const c = await req('POST', '/api/activities', ganlin, activity({ title: '草稿活动' }))
    assert.equal(c.statusCode, 201, c.body)
    const id = c.json().id
    assert.equal(c.json().status, 'draft')
    // a draft is nobody's on the phone
    assert.equal((await req('GET', `/api/my/activities/${id}`, m1)).statusCode, 404)
    assert.equal((await req('POST', `/api/my/activities/${id}/sign-up`, m1)).statusCode, 404)
    assert.equal((await req('POST', `/api/activities/${id}/publish`, chongren)).statusCode, 404)
    const p = await req('POST', `/api/activities/${id}/publish`, ganlin)
    assert.equal(p.json().status, 'published')
    const mine = (await req('GET', '/api/my/activities', m1)).json()
    assert.ok(mine.open.some((a: { id: number }) => a.id === id))
    const theirs = (await req('GET', '/api/my/activities', cr)).json()
    assert.ok(!theirs.open.some((a: { id: number }) => a.id === id))
    assert.equal((await req('GET', `/api/my/activities/${id}`, cr)).statusCode, 404)
    assert.equal((await req('POST', `/api/my/activities/${id}/sign-up`, cr)).statusCode, 404)
    // the organizers' list, and nothing of it for 崇仁镇
    assert.ok((await req('GET', '/api/activities', ganlin)).json().items.some((a: { id: number }) => a.id === id))
    assert.equal((await req('GET', '/api/activities', chongren)).json().items.length, 0)
    assert.equal((await req('GET', `/api/activities/${id}`, chongren)).statusCode, 404)
  })

  it("audience 'own' holds the union's own members only", async () => {
    const id = await published({ title: '镇总工会自身活动', audience: 'own' })
    // the member's union is 甘霖镇联合工会, below the organizer
    assert.equal((await req('POST', `/api/my/activities/${id}/sign-up`, m1)).statusCode, 404)
  })

  it('full → waitlist; a cancellation promotes the oldest waiting member, told at once by message and SMS; organizers warned at 80% and 100% once', async () => {
    const [a, b, c, d] = await moreMembers(4)
    const id = await published({ title: '候补测试活动', capacity: 5 })
    const signUp = async (h: Record<string, string>) => (await req('POST', `/api/my/activities/${id}/sign-up`, h)).json()
    for (const x of [a!, b!, c!]) assert.equal((await signUp(x.headers)).status, 'registered')
    assert.equal(await orgMessages('候补测试活动”报名已达80%'), 0)
    assert.equal((await signUp(d!.headers)).status, 'registered') // 4 of 5
    assert.equal(await orgMessages('候补测试活动”报名已达80%'), 1)
    assert.equal((await signUp(m1)).status, 'registered') // 5 of 5
    assert.equal(await orgMessages('候补测试活动”名额已满'), 1)
    const [e, g] = await moreMembers(2)
    const w1 = await signUp(e!.headers)
    assert.equal(w1.status, 'waiting')
    assert.equal(w1.waitlistPlace, 1)
    assert.match(w1.message, /候补（第1位）/)
    assert.equal((await signUp(g!.headers)).waitlistPlace, 2)
    // a second tap answers the same registration
    assert.equal((await signUp(g!.headers)).waitlistPlace, 2)
    assert.equal((await req('GET', `/api/my/activities/${id}`, g!.headers)).json().mine.waitlistPlace, 2)
    assert.equal((await req('GET', `/api/my/activities/${id}`, g!.headers)).json().mine.code, null)
    // b cancels: e (oldest waiting) is promoted in the same request and told
    const outbox0 = await f.database.db.selectFrom('sms_outbox').select('id').orderBy('id', 'desc').executeTakeFirst()
    const cancelled = await req('POST', `/api/my/activities/${id}/cancel`, b!.headers)
    assert.equal(cancelled.statusCode, 200, cancelled.body)
    const eNow = (await req('GET', `/api/my/activities/${id}`, e!.headers)).json()
    assert.equal(eNow.mine.status, 'registered')
    assert.match(eNow.mine.code, /^\d+-\d{10}$/)
    assert.equal((await req('GET', `/api/my/activities/${id}`, g!.headers)).json().mine.waitlistPlace, 1)
    const told = await f.database.db
      .selectFrom('message')
      .select(['title', 'kind'])
      .where('member_id', '=', e!.id)
      .where('kind', '=', 'waitlist_promoted')
      .execute()
    assert.equal(told.length, 1)
    const sms = await f.database.db
      .selectFrom('sms_outbox')
      .select('id')
      .where('id', '>', outbox0?.id ?? 0)
      .execute()
    assert.equal(sms.length, 1, 'the promoted member gets an SMS')
    // counters agree with the rows; warnings were sent once each
    const detail = (await req('GET', `/api/activities/${id}`, ganlin)).json()
    assert.equal(detail.registered, 5)
    assert.equal(detail.waiting, 1)
    const again = await moreMembers(1)
    await signUp(again[0]!.headers)
    assert.equal(await orgMessages('候补测试活动”名额已满'), 1)
    assert.equal(await orgMessages('候补测试活动”报名已达80%'), 1)
    // the organizers' list: registered, then waiting in order, then cancelled
    const list = (await req('GET', `/api/activities/${id}/registrations`, ganlin)).json()
    assert.deepEqual(
      list.items.map((r: { status: string }) => r.status),
      ['registered', 'registered', 'registered', 'registered', 'registered', 'waiting', 'waiting', 'cancelled'],
    )
    assert.deepEqual(
      list.items.filter((r: { status: string }) => r.status === 'waiting').map((r: { waitlistPlace: number }) => r.waitlistPlace),
      [1, 2],
    )
    // raising the capacity gives the waiting members the new seats
    const raised = await req('PATCH', `/api/activities/${id}`, ganlin, { capacity: 7 })
    assert.equal(raised.statusCode, 200, raised.body)
    assert.equal(raised.json().registered, 7)
    assert.equal(raised.json().waiting, 0)
    const lowered = await req('PATCH', `/api/activities/${id}`, ganlin, { capacity: 3 })
    assert.equal(lowered.statusCode, 400)
  })

  it('check-in by the code: the organizing union only, once (a second scan says so), a cancelled code refused; then the member rates once', async () => {
    const [a, b] = await moreMembers(2)
    const id = await published({ title: '签到测试活动', capacity: 10 })
    await req('POST', `/api/my/activities/${id}/sign-up`, a!.headers)
    await req('POST', `/api/my/activities/${id}/sign-up`, b!.headers)
    const codeA = (await req('GET', `/api/my/activities/${id}`, a!.headers)).json().mine.code as string
    const codeB = (await req('GET', `/api/my/activities/${id}`, b!.headers)).json().mine.code as string
    assert.notEqual(codeA.split('-')[1], codeB.split('-')[1])
    // rating before attending
    assert.equal((await req('POST', `/api/my/activities/${id}/rating`, a!.headers, { rating: 5 })).statusCode, 409)
    const checkIn = (h: Record<string, string>, checkInCode: string) => req('POST', `/api/activities/${id}/check-in`, h, { checkInCode })
    assert.equal((await checkIn(chongren, codeA)).statusCode, 404)
    assert.equal((await checkIn(city, codeA)).statusCode, 403, 'the city above the organizer does not check in')
    assert.equal((await checkIn(viewer, codeA)).statusCode, 403)
    const [regId, mac] = codeA.split('-') as [string, string]
    const forged = `${regId}-${mac.slice(0, 9)}${(Number(mac[9]) + 1) % 10}`
    assert.equal((await checkIn(ganlin, forged)).statusCode, 404)
    const first = await checkIn(ganlin, ` ${regId} ${mac.slice(0, 5)} ${mac.slice(5)} `.replace(/ (\d{5}) /, '-$1'))
    assert.equal(first.statusCode, 200, first.body)
    assert.equal(first.json().checkedIn, true)
    assert.match(first.json().message, /签到成功/)
    const second = await checkIn(ganlin, codeA)
    assert.equal(second.statusCode, 200)
    assert.equal(second.json().checkedIn, false)
    assert.match(second.json().message, /已签到/)
    // b cancels: the code is refused
    assert.equal((await req('POST', `/api/my/activities/${id}/cancel`, b!.headers)).statusCode, 200)
    const refused = await checkIn(ganlin, codeB)
    assert.equal(refused.statusCode, 409)
    assert.match(refused.json().error.message, /已取消报名/)
    // a checked-in member cannot cancel any more
    assert.equal((await req('POST', `/api/my/activities/${id}/cancel`, a!.headers)).statusCode, 409)
    // the member rates, once
    const rated = await req('POST', `/api/my/activities/${id}/rating`, a!.headers, { rating: 4, ratingComment: '路线很好' })
    assert.equal(rated.statusCode, 200, rated.body)
    assert.equal(rated.json().mine.rating, 4)
    assert.equal((await req('POST', `/api/my/activities/${id}/rating`, a!.headers, { rating: 1 })).statusCode, 409)
    assert.equal((await req('POST', `/api/my/activities/${id}/rating`, a!.headers, { rating: 6 })).statusCode, 400)
    // the organizers see attendance and ratings, and export them
    const d = (await req('GET', `/api/activities/${id}`, ganlin)).json()
    assert.equal(d.attended, 1)
    assert.deepEqual(d.ratings, { count: 1, average: 4, byScore: [0, 0, 0, 1, 0] })
    assert.equal((await req('GET', `/api/activities/${id}`, city)).json().mayCheckIn, false)
    const x = await req('GET', `/api/activities/${id}/export`, ganlin)
    assert.equal(x.statusCode, 200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(x.rawPayload as never)
    const text = JSON.stringify(wb.worksheets[0]!.getSheetValues())
    assert.match(text, /路线很好/)
    assert.match(text, /已签到|签到时间/)
    assert.equal((await req('GET', `/api/activities/${id}/export`, chongren)).statusCode, 404)
    // the audit log holds the acts
    const acts = await f.database.db.selectFrom('audit_log').select('action').where('action', 'like', 'activity.%').execute()
    for (const a of ['activity.create', 'activity.publish', 'activity.sign_up', 'activity.check_in', 'activity.rate', 'activity.export'])
      assert.ok(
        acts.some((x) => x.action === a),
        a,
      )
  })

  it('cancelling an activity tells those signed up (with SMS); their codes stop working', async () => {
    const [a] = await moreMembers(1)
    const id = await published({ title: '将取消的活动', capacity: 3 })
    await req('POST', `/api/my/activities/${id}/sign-up`, a!.headers)
    const code = (await req('GET', `/api/my/activities/${id}`, a!.headers)).json().mine.code
    // a change of place tells them; the same start time in another offset is no change
    const startsAt = (await req('GET', `/api/activities/${id}`, ganlin)).json().startsAt as string
    const sameMoment = new Date(Date.parse(startsAt) + 8 * 3600_000).toISOString().replace('Z', '+08:00')
    assert.equal((await req('PATCH', `/api/activities/${id}`, ganlin, { startsAt: sameMoment })).statusCode, 200)
    const changes = () =>
      f.database.db.selectFrom('message').select('body').where('member_id', '=', a!.id).where('title', 'like', '%有变更%').execute()
    assert.equal((await changes()).length, 0)
    assert.equal((await req('PATCH', `/api/activities/${id}`, ganlin, { place: '甘霖镇文化礼堂' })).statusCode, 200)
    assert.match((await changes())[0]!.body, /甘霖镇文化礼堂/)
    // the time is written in the users' time zone (GONGHUI_TIMEZONE), the one way moments are written
    assert.ok((await changes())[0]!.body.includes(`时间：${localDateTime(startsAt)}；`), (await changes())[0]!.body)
    assert.equal((await req('POST', `/api/activities/${id}/cancel`, ganlin, { cancelReason: '' })).statusCode, 400)
    const c = await req('POST', `/api/activities/${id}/cancel`, ganlin, { cancelReason: '天气原因' })
    assert.equal(c.json().status, 'cancelled')
    const msg = await f.database.db
      .selectFrom('message')
      .select('body')
      .where('member_id', '=', a!.id)
      .where('title', 'like', '%已取消%')
      .execute()
    assert.equal(msg.length, 1)
    assert.match(msg[0]!.body, /天气原因/)
    assert.equal((await req('POST', `/api/activities/${id}/check-in`, ganlin, { checkInCode: code })).statusCode, 409)
    assert.equal((await req('GET', `/api/my/activities/${id}`, a!.headers)).json().mine.code, null)
  })

  it("an activity from a member's proposal names one its organizer can read; the database refuses any other (0024)", async () => {
    const text = { body: '建议组织一次职工健步走活动。', category: 'culture' }
    const mine = await req('POST', '/api/my/proposals', m1, { ...text, title: '组织职工健步走' })
    assert.equal(mine.statusCode, 201, mine.body)
    const theirs = await req('POST', '/api/my/proposals', cr, { ...text, title: '崇仁组织登山' })
    assert.equal(theirs.statusCode, 201, theirs.body)
    const made = await req(
      'POST',
      '/api/activities',
      ganlin,
      activity({ title: '来自建议的健步走', origin: 'proposal', proposalId: mine.json().id }),
    )
    assert.equal(made.statusCode, 201, made.body)
    assert.equal(made.json().proposalId, mine.json().id)
    // another town's proposal, or a number that names none: 400 naming the field
    for (const proposalId of [theirs.json().id, 2_000_000_000]) {
      const r = await req('POST', '/api/activities', ganlin, activity({ origin: 'proposal', proposalId }))
      assert.equal(r.statusCode, 400, r.body)
      assert.match(r.json().error.fields.proposalId, /未找到该编号的会员建议/)
      const u = await req('PATCH', `/api/activities/${made.json().id}`, ganlin, { proposalId })
      assert.equal(u.statusCode, 400, u.body)
    }
    // beneath the service: the reference check refuses another town's proposal to 甘霖's cadre …
    await assert.rejects(
      f.as('ganlin', (ctx) =>
        ctx.db.updateTable('activity').set({ proposal_id: theirs.json().id }).where('id', '=', made.json().id).execute(),
      ),
      /outside the caller's jurisdiction|超出管辖范围/,
    )
    // … and the foreign keys a number that names no row, even to the owner
    const db = f.database.db
    const row = await db.selectFrom('activity').selectAll().where('id', '=', made.json().id).executeTakeFirstOrThrow()
    await assert.rejects(db.updateTable('activity').set({ proposal_id: 2_000_000_000 }).where('id', '=', row.id).execute(), /foreign key/)
    const p = await db.selectFrom('proposal').selectAll().where('id', '=', mine.json().id).executeTakeFirstOrThrow()
    const { id: _id, ...copy } = p
    await assert.rejects(
      db
        .insertInto('proposal')
        .values({ ...copy, author_id: 2_000_000_000 })
        .execute(),
      /foreign key/,
    )
    await assert.rejects(
      db.insertInto('proposal_support').values({ proposal_id: p.id, member_id: 2_000_000_000, org_path: p.org_path }).execute(),
      /foreign key/,
    )
    await assert.rejects(
      db
        .insertInto('proposal_support')
        .values({ proposal_id: 2_000_000_000, member_id: f.ids.ganlinMember, org_path: p.org_path })
        .execute(),
      // checked when the support commits, no longer by a foreign key (0030): the same error
      (e: { code?: string; message?: string }) => e.code === '23503' && /proposal 2000000000 does not exist/.test(e.message ?? ''),
    )
  })

  describe('at the same moment (real connections on PostgreSQL)', () => {
    it('N members sign up at once for fewer seats: exactly capacity registered, the rest waiting in order', async () => {
      const many = await moreMembers(16)
      const id = await published({ title: '并发报名活动', capacity: 5 })
      const answers = await Promise.all(many.map((m) => req('POST', `/api/my/activities/${id}/sign-up`, m.headers)))
      for (const r of answers) assert.equal(r.statusCode, 200, r.body)
      assert.equal(answers.filter((r) => r.json().status === 'registered').length, 5)
      assert.equal(answers.filter((r) => r.json().status === 'waiting').length, 11)
      const rows = await f.database.db
        .selectFrom('activity_registration')
        .select(['status', 'position'])
        .where('activity_id', '=', id)
        .execute()
      assert.equal(rows.filter((r) => r.status === 'registered').length, 5)
      assert.deepEqual(
        rows.map((r) => r.position).sort((x, y) => x - y),
        Array.from({ length: 16 }, (_, i) => i + 1),
      )
      const a = await f.database.db
        .selectFrom('activity')
        .select(['registered_count', 'waiting_count'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      assert.deepEqual(a, { registered_count: 5, waiting_count: 11 })
      assert.equal(await orgMessages('并发报名活动”名额已满'), 1)
      assert.equal(await orgMessages('并发报名活动”报名已达80%'), 1)

      // each cancellation (three at once) promotes exactly one, the oldest waiting first
      const registered = many.filter((_, i) => answers[i]!.json().status === 'registered').slice(0, 3)
      const waitingOrder = await f.database.db
        .selectFrom('activity_registration')
        .select(['member_id'])
        .where('activity_id', '=', id)
        .where('status', '=', 'waiting')
        .orderBy('position')
        .execute()
      const cancels = await Promise.all(registered.map((m) => req('POST', `/api/my/activities/${id}/cancel`, m.headers)))
      for (const r of cancels) assert.equal(r.statusCode, 200, r.body)
      const after = await f.database.db
        .selectFrom('activity_registration')
        .select(['member_id', 'status', 'promoted_at'])
        .where('activity_id', '=', id)
        .execute()
      assert.equal(after.filter((r) => r.status === 'registered').length, 5)
      assert.equal(after.filter((r) => r.status === 'waiting').length, 8)
      const promoted = after.filter((r) => r.promoted_at !== null).map((r) => Number(r.member_id))
      assert.deepEqual(
        promoted.sort(),
        waitingOrder
          .slice(0, 3)
          .map((r) => Number(r.member_id))
          .sort(),
      )
      const told = await f.database.db
        .selectFrom('message')
        .select('member_id')
        .where('kind', '=', 'waitlist_promoted')
        .where('member_id', 'in', promoted)
        .execute()
      assert.equal(told.length, 3)
    })

    it('double clicks: one registration per member', async () => {
      const [m] = await moreMembers(1)
      const id = await published({ title: '连点报名活动', capacity: 3 })
      const answers = await Promise.all(Array.from({ length: 8 }, () => req('POST', `/api/my/activities/${id}/sign-up`, m!.headers)))
      for (const r of answers) assert.equal(r.statusCode, 200, r.body)
      const rows = await f.database.db.selectFrom('activity_registration').select('id').where('activity_id', '=', id).execute()
      assert.equal(rows.length, 1)
      const a = await f.database.db
        .selectFrom('activity')
        .select(['registered_count', 'waiting_count'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
      assert.deepEqual(a, { registered_count: 1, waiting_count: 0 })
      // and double cancels free one seat once
      const cancels = await Promise.all(Array.from({ length: 4 }, () => req('POST', `/api/my/activities/${id}/cancel`, m!.headers)))
      assert.equal(cancels.filter((r) => r.statusCode === 200).length, 1)
      assert.ok(cancels.every((r) => r.statusCode === 200 || r.statusCode === 404))
      const b = await f.database.db.selectFrom('activity').select(['registered_count']).where('id', '=', id).executeTakeFirstOrThrow()
      assert.equal(b.registered_count, 0)
    })
  })
})
