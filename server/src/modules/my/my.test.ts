import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { countRows, fixture, residentId, signInMember, applyPublic, type Fixture } from '../../test/harness.js'
import { runInScope } from '../../http/scope.js'
import { hashToken } from '../auth/tokens.js'
import * as members from '../members/members.service.js'
import { notify } from '../messages/notify.js'
import * as transfers from '../transfers/transfers.service.js'

/**
 * 会员端 sign-in and 我的: a worker signs in with the phone on record and a one-time code, and
 * reads their own card, union, applications, transfers and messages — under row-level security as
 * the member (0019), never anyone else's.
 */
describe('member sign-in and 我的', () => {
  let f: Fixture
  before(async () => {
    f = await fixture()
  })
  after(() => f?.close())

  const get = (url: string, headers: Record<string, string>) => f.app.inject({ method: 'GET', url, headers })

  it('signs a member in with the code from the outbox: a phone session of 30 days, the card, the union chain', async () => {
    // the union's chair and contact, the phone sealed as every contact's is
    await f.database.db
      .updateTable('org')
      .set({ chair_name: '王主席', contact_name: '李联络', contact_phone_enc: f.pii.encrypt('13905759999') })
      .where('name', '=', '甘霖镇联合工会')
      .execute()
    const h = await signInMember(f, '13905750001')
    assert.match(h.authorization!, /^Bearer m\./)
    const s = await get('/api/my/session', h)
    assert.equal(s.statusCode, 200, s.body)
    assert.equal(s.json().member.id, f.ids.ganlinMember)
    const home = (await get('/api/my/home', h)).json()
    assert.equal(home.member.name, '甘霖会员')
    assert.deepEqual(home.member.unionChain, ['嵊州市总工会', '甘霖镇总工会', '甘霖镇联合工会'].slice(-home.member.unionChain.length))
    assert.equal(home.member.unionName, '甘霖镇联合工会')
    assert.deepEqual([home.member.chairName, home.member.contactName, home.member.contactPhone], ['王主席', '李联络', '13905759999'])
    assert.match(home.member.joinedOn, /^\d{4}-\d{2}-\d{2}$/)
    assert.equal(home.member.smsOptOut, false)
    assert.match(home.member.card.token, /^[^.]+\.\d{8}\.[\w-]+$/)
    const verify = await f.app.inject({ method: 'GET', url: `/api/cards/verify?token=${encodeURIComponent(home.member.card.token)}` })
    assert.equal(verify.json().valid, true)
    const row = await f.database.db
      .selectFrom('member_session')
      .select(['member_id', sql<number>`extract(day from expires_at - created_at)`.as('days')])
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
    assert.equal(Number(row.member_id), f.ids.ganlinMember)
    assert.equal(Number(row.days), 30)
  })

  it('a wrong code signs nobody in and counts as a try; the answer to the code request is the same for any number', async () => {
    const known = await f.app.inject({
      method: 'POST',
      url: '/api/public/sign-in/code',
      payload: { phone: '13905750002' },
      remoteAddress: '198.51.100.7',
    })
    const unknown = await f.app.inject({
      method: 'POST',
      url: '/api/public/sign-in/code',
      payload: { phone: '13905759999' },
      remoteAddress: '198.51.100.8',
    })
    assert.equal(known.statusCode, 200)
    assert.equal(unknown.statusCode, 200)
    assert.deepEqual(Object.keys(known.json()).sort(), Object.keys(unknown.json()).sort())
    const bad = await f.app.inject({ method: 'POST', url: '/api/public/sign-in', payload: { phone: '13905750002', smsCode: '000000' } })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.json().error.message, /验证码/)
    const tries = await f.database.db
      .selectFrom('one_time_code')
      .select('tries')
      .where('purpose', '=', 'sign_in')
      .where('subject', '=', f.pii.hash('phone:13905750002'))
      .executeTakeFirstOrThrow()
    assert.equal(tries.tries, 1)
    const malformed = await f.app.inject({ method: 'POST', url: '/api/public/sign-in/code', payload: { phone: '1234' } })
    assert.equal(malformed.statusCode, 400)
    assert.match(malformed.json().error.message, /手机号码/)
  })

  it('a phone without membership signs in as an applicant and sees the applications made with it, nobody else’s', async () => {
    const phone = '13905757777'
    const documentNumber = residentId()
    const applied = await applyPublic(f, {
      name: '申请人甲',
      gender: Number(documentNumber[16]) % 2 === 1 ? '1' : '2',
      documentType: 'resident_id',
      documentNumber,
      phone,
      enterpriseId: f.ids.ganlinEnterprise,
      workplace: '甘霖小微五金厂',
      consentPrivacy: true,
      consentSensitive: true,
    })
    assert.equal(applied.statusCode, 201, applied.body)
    const h = await signInMember(f, phone)
    const home = (await get('/api/my/home', h)).json()
    assert.equal(home.member, null)
    assert.equal(home.applications.length, 1)
    assert.equal(home.applications[0].status, 'pending')
    assert.equal(home.applications[0].unionName, '甘霖镇联合工会')
    // a member's routes are not an applicant's
    const settings = await f.send('PATCH', '/api/my/settings', h, { smsOptOut: true })
    assert.equal(settings.statusCode, 403)
    // the member of 甘霖 sees none of it
    const other = (await get('/api/my/home', await signInMember(f, '13905750001'))).json()
    assert.equal(other.applications.length, 0)
    // approved: the same phone session is now a member's, told at once in the app and by SMS
    const outbox = () => countRows(f, 'sms_outbox')
    const sent = await outbox()
    const decided = await f.app.inject({
      method: 'POST',
      url: `/api/applications/${applied.json().id}/decision`,
      headers: await f.login('ganlin'),
      payload: { decision: 'approve' },
    })
    assert.equal(decided.statusCode, 200, decided.body)
    assert.equal(await outbox(), sent + 1)
    const now = (await get('/api/my/session', h)).json()
    assert.equal(now.member.name, '申请人甲')
    assert.equal(now.unread, 1)
    const inbox = (await get('/api/my/messages', h)).json()
    assert.equal(inbox.items[0].title, '入会申请已通过')
    assert.match(inbox.items[0].body, /甘霖镇联合工会/)
  })

  it('the two kinds of session stay apart: a cadre token opens no member route, a member token no cadre route', async () => {
    const cadre = await f.login('ganlin')
    const member = await signInMember(f, '13905750001')
    assert.equal((await get('/api/my/home', cadre)).statusCode, 401)
    assert.equal((await get('/api/members', member)).statusCode, 401)
    assert.equal((await get('/api/auth/me', member)).statusCode, 401)
    assert.equal((await get('/api/my/home', {})).statusCode, 401)
  })

  it('beneath the routes, a member reads only their own member row and their union chain', async () => {
    const actor = {
      id: 0,
      username: `会员#${f.ids.ganlinMember}`,
      displayName: '甘霖会员',
      roles: ['member' as const],
      orgId: f.ids.ganlinJoint,
      orgName: null,
      scopePath: null,
      csrfToken: '',
      viaCookie: false,
      member: {
        phoneHash: f.pii.hash('phone:13905750001'),
        memberId: f.ids.ganlinMember,
        unionId: f.ids.ganlinJoint,
        orgPath: (await f.database.db.selectFrom('org').select('path').where('id', '=', f.ids.ganlinJoint).executeTakeFirstOrThrow()).path,
        name: '甘霖会员',
      },
    }
    const seen = await runInScope(f.database.db, f.pii, actor, '127.0.0.1', async (ctx) => ({
      members: (await ctx.db.selectFrom('member').select('id').execute()).map((r) => Number(r.id)),
      orgs: (await ctx.db.selectFrom('org').select('name').orderBy('path').execute()).map((r) => r.name),
      enterprises: (await ctx.db.selectFrom('enterprise').select('id').execute()).length,
      events: (await ctx.db.selectFrom('membership_event').select('member_id').execute()).map((r) => Number(r.member_id)),
    }))
    assert.deepEqual(seen.members, [f.ids.ganlinMember])
    assert.deepEqual(seen.orgs, ['嵊州市总工会', '甘霖镇总工会', '甘霖镇联合工会'])
    assert.equal(seen.enterprises, 0)
    assert.ok(seen.events.length >= 1 && seen.events.every((id) => id === f.ids.ganlinMember))
  })

  it('messages: a member reads their own and marks them read; a union’s cadres read the union’s; the SMS respects the opt-out', async () => {
    const h = await signInMember(f, '13905750002')
    const outboxBefore = await f.database.db
      .selectFrom('sms_outbox')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    await f.as('chongren', async (ctx) => {
      await notify(
        ctx,
        { members: [f.ids.chongrenMember, f.ids.ganlinMember] },
        { kind: 'activity_changed', title: '活动改期', body: '改到周六', sms: true },
      )
      await notify(
        ctx,
        { orgId: f.ids.chongren, orgPath: ctx.actor.scopePath! },
        { kind: 'answer_due', title: '有建议待答复', body: '请于3个工作日内答复' },
      )
    })
    const outboxAfter = await f.database.db
      .selectFrom('sms_outbox')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    assert.equal(Number(outboxAfter.n) - Number(outboxBefore.n), 2, 'one SMS to each member who takes them')
    const mine = (await get('/api/my/messages', h)).json()
    assert.equal(mine.unread, 1)
    assert.equal(mine.items[0].title, '活动改期')
    assert.equal(mine.items[0].kindLabel, '活动变更')
    const read = await f.send('POST', '/api/my/messages/read', h)
    assert.equal(read.json().changed, 1)
    assert.equal((await get('/api/my/messages/unread', h)).json().unread, 0)
    // the cadres of 崇仁镇 read their union's, those of 甘霖镇 none of it
    assert.equal((await get('/api/messages/unread', await f.login('chongren'))).json().unread, 1)
    assert.equal((await get('/api/messages', await f.login('ganlin'))).json().total, 0)
    // opted out: the message stays in the app, no SMS
    const opt = await f.send('PATCH', '/api/my/settings', h, { smsOptOut: true })
    assert.equal(opt.statusCode, 200, opt.body)
    await f.as('chongren', (ctx) =>
      notify(ctx, { members: [f.ids.chongrenMember] }, { kind: 'activity_changed', title: '再次改期', body: '周日', sms: true }),
    )
    const outboxLast = await f.database.db
      .selectFrom('sms_outbox')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow()
    assert.equal(Number(outboxLast.n), Number(outboxAfter.n))
    assert.equal((await get('/api/my/messages/unread', h)).json().unread, 1)
  })

  it('a phone’s session is read with the request’s scope: an expired, unknown or foreign token is refused, nothing written; the expiry slides once a minute', async () => {
    const h = await signInMember(f, '13905750001')
    const tokenHash = hashToken(h.authorization!.replace('Bearer ', ''))
    const session = () =>
      f.database.db.selectFrom('member_session').select(['last_seen_at']).where('token_hash', '=', tokenHash).executeTakeFirstOrThrow()
    const optOut = async () =>
      (await f.database.db.selectFrom('member').select('sms_opt_out').where('id', '=', f.ids.ganlinMember).executeTakeFirstOrThrow())
        .sms_opt_out
    assert.equal((await get('/api/my/home', h)).statusCode, 200)

    // last seen two minutes ago: the request answers, then the session is seen now
    await sql`update member_session set last_seen_at = now() - interval '2 minutes' where token_hash = ${tokenHash}`.execute(f.database.db)
    assert.equal((await get('/api/my/home', h)).statusCode, 200)
    assert.ok(Date.now() - new Date((await session()).last_seen_at).getTime() < 60_000)

    // expired: refused, on a read and on a write, and the write did nothing
    const before = await optOut()
    await sql`update member_session set expires_at = now() - interval '1 second' where token_hash = ${tokenHash}`.execute(f.database.db)
    assert.equal((await get('/api/my/home', h)).statusCode, 401)
    assert.equal((await f.send('PATCH', '/api/my/settings', h, { smsOptOut: !before })).statusCode, 401)
    assert.equal(await optOut(), before)

    // a token of the phone's form that is no session's, a cookie that is no token, a cadre's token
    assert.equal((await get('/api/my/home', { authorization: 'Bearer m.nonsense' })).statusCode, 401)
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/my/home', headers: { cookie: 'gh_member=garbage' } })).statusCode, 401)
    assert.equal((await get('/api/my/home', await f.login('ganlin'))).statusCode, 401)
  })

  it('signing out ends that session only; a member who leaves signs in as a phone, not a member', async () => {
    const a = await signInMember(f, '13905750001')
    const b = await signInMember(f, '13905750001')
    const out = await f.app.inject({ method: 'POST', url: '/api/my/sign-out', headers: a })
    assert.equal(out.statusCode, 200)
    assert.equal((await get('/api/my/session', a)).statusCode, 401)
    assert.equal((await get('/api/my/session', b)).statusCode, 200)

    const phone = '13905756666'
    const m = await f.as('ganlin', (ctx) =>
      members.create(ctx, {
        name: '将退会员',
        documentType: 'resident_id',
        documentNumber: residentId(),
        phone,
        unionId: f.ids.ganlinJoint,
        enterpriseId: f.ids.ganlinEnterprise,
        joinedOn: '2020-01-01',
      }),
    )
    const h = await signInMember(f, phone)
    assert.equal((await get('/api/my/session', h)).json().member.id, m.id)
    await f.as('ganlin', (ctx) => members.changeStatus(ctx, m.id, { event: '6', reason: '5' }))
    const after = await get('/api/my/session', h)
    assert.equal(after.json().member, null)
    assert.equal((await f.send('PATCH', '/api/my/settings', h, { smsOptOut: true })).statusCode, 403)
  })

  it('a member’s write through the cookie needs the session’s CSRF token', async () => {
    const phone = '13905750001'
    const h = await signInMember(f, phone)
    const csrf = (await get('/api/my/session', h)).json().csrfToken
    const token = h.authorization!.replace('Bearer ', '')
    const cookie = `gh_member=${token}`
    const without = await f.app.inject({ method: 'PATCH', url: '/api/my/settings', headers: { cookie }, payload: { smsOptOut: false } })
    assert.equal(without.statusCode, 403)
    const withToken = await f.app.inject({
      method: 'PATCH',
      url: '/api/my/settings',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { smsOptOut: false },
    })
    assert.equal(withToken.statusCode, 200, withToken.body)
  })

  it("我的 shows the member's transfers and the unread count, as the session does, and nobody else's", async () => {
    const h = await signInMember(f, '13905750001')
    const home0 = (await get('/api/my/home', h)).json()
    assert.equal(home0.unread, (await get('/api/my/session', h)).json().unread)
    await f.as('ganlin', (ctx) =>
      transfers.request(ctx, { memberId: f.ids.ganlinMember, toUnionId: f.ids.chongrenBase, reason: '1', note: null }),
    )
    await sql`insert into message (member_id, org_path, kind, title, body)
      select id, org_path, 'test', '新消息', '正文' from member where id in (${f.ids.ganlinMember}, ${f.ids.chongrenMember})`.execute(
      f.database.db,
    )
    const home = (await get('/api/my/home', h)).json()
    assert.equal(home.unread, home0.unread + 1)
    assert.equal(home.unread, (await get('/api/my/session', h)).json().unread)
    assert.equal(home.transfers.length, home0.transfers.length + 1)
    assert.deepEqual(
      { status: home.transfers[0].status, fromName: home.transfers[0].fromName, toName: home.transfers[0].toName },
      {
        status: 'pending',
        fromName: '甘霖镇联合工会',
        toName: (await f.database.db.selectFrom('org').select('name').where('id', '=', f.ids.chongrenBase).executeTakeFirstOrThrow()).name,
      },
    )
    assert.match(home.transfers[0].requestedAt, /^\d{4}-\d{2}-\d{2}T/)
    const other = (await get('/api/my/home', await signInMember(f, '13905750002'))).json()
    assert.ok(other.transfers.every((t: { fromName: string }) => t.fromName !== '甘霖镇联合工会'))
  })
})
