import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { auditEntry, creditCode, fixture, joining, joiningCode, PERSONAL, residentId, type Fixture } from '../../test/harness.js'
import * as enterprises from '../enterprises/enterprises.service.js'
import * as orgs from '../orgs/orgs.service.js'
import { verify as statsVerify } from '../stats/stats.repository.js'

/**
 * Issue 3, the rest of online joining: a member who comes to the joining page is sent to sign in
 * (their transfer request is made on the member's side: my/my-transfer.test.ts), the applicant's
 * withdrawal and answer to 需补充材料 by token, and 预备会员 who leave the town's pool when their
 * unit gets a union.
 */

describe('online joining: a member sent to sign in, withdrawal, answers, the pool', () => {
  let f: Fixture
  let ganlin: Record<string, string>
  let chongren: Record<string, string>

  const apply = (over: Record<string, unknown>, ip?: string) => joining.apply(f, '1390576', over, ip)
  const status = (token: string) => joining.status(f, token)
  const withdraw = (token: string, ip = '192.0.2.10') =>
    f.app.inject({ method: 'POST', url: '/api/public/applications/withdraw', payload: { token }, remoteAddress: ip })
  const answer = (body: object, ip = '192.0.2.11') =>
    f.app.inject({ method: 'POST', url: '/api/public/applications/answer', payload: body, remoteAddress: ip })
  const decide = (id: number, body: object, headers = chongren) => joining.decide(f, id, body, headers)
  const stats = () => f.database.db.transaction().execute((tx) => statsVerify(tx))
  const assertStatsRight = async () => {
    const v = await stats()
    assert.deepEqual(v.differences, [], 'stats verify found differences')
    assert.deepEqual(v.ledgerMismatches, [])
  }
  const memberRow = (id: number) => f.database.db.selectFrom('member').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  const eventsOf = async (id: number) =>
    await f.database.db
      .selectFrom('membership_event')
      .select(['event_type', 'union_id'])
      .where('member_id', '=', id)
      .orderBy('occurred_on')
      .orderBy('id')
      .execute()

  before(async () => {
    f = await fixture()
    ganlin = await f.login('ganlin')
    chongren = await f.login('chongren')
  })
  after(() => f.close())

  describe('a member of another union who changed jobs comes to the joining page', () => {
    let doc: string
    let phone: string
    before(async () => {
      // a member of 甘霖镇联合工会 who now works at 崇仁纺织
      const m = await memberRow(f.ids.ganlinMember)
      doc = f.pii.decrypt(m.document_enc)
      phone = f.pii.decrypt(m.phone_enc!)
    })

    it('is sent to sign in for a transfer (我的 → 申请转会), without being told where they are a member; the page takes no transfer', async () => {
      const r = await apply({
        name: '甘霖会员',
        documentNumber: doc,
        phone,
        enterpriseId: f.ids.chongrenEnterprise,
        workplace: '崇仁纺织有限公司',
      })
      assert.equal(r.statusCode, 409)
      assert.equal(r.json().error.code, 'already_member')
      assert.deepEqual(r.json().error.detail, { signIn: '/m/transfer', unionName: '崇仁纺织工会委员会' })
      assert.match(r.json().error.message, /登录会员端.*申请转会/)
      assert.doesNotMatch(r.body, /甘霖/, 'the answer says where the person is a member')
      assert.doesNotMatch(r.body, PERSONAL)
      // the code did its work and is spent, although the request was refused: it serves no second
      // request, and holds up no sign-in code (one a minute to a phone)
      const code = await joiningCode(f, phone)
      const form = { name: '甘霖会员', documentNumber: doc, phone, enterpriseId: f.ids.chongrenEnterprise, workplace: '崇仁纺织有限公司' }
      assert.equal((await apply({ ...form, smsCode: code })).statusCode, 409)
      const reused = await apply({ ...form, smsCode: code })
      assert.equal(reused.json().error.code, 'invalid_code', reused.body)
      const used = await f.database.db.selectFrom('one_time_code').select('used_at').orderBy('id', 'desc').executeTakeFirstOrThrow()
      assert.ok(used.used_at)
      // the anonymous transfer request is retired: asking for one changes nothing (the field is not
      // part of the form any more), the member is still sent to sign in, and no transfer is written
      const asked = await apply({
        name: '甘霖会员',
        documentNumber: doc,
        phone,
        enterpriseId: f.ids.chongrenEnterprise,
        workplace: '崇仁纺织有限公司',
        requestTransfer: true,
      })
      assert.equal(asked.statusCode, 409, asked.body)
      assert.equal(asked.json().error.code, 'already_member')
      assert.equal((await f.database.db.selectFrom('transfer').select('id').where('requested_by', '=', 'member').execute()).length, 0)
      // a stranger who types the member's name and number with their own phone learns nothing:
      // the same receipt as for a number that belongs to nobody
      const strangerPhone = '13905760999'
      const asMember = await apply({
        name: '甘霖会员',
        documentNumber: doc,
        phone: strangerPhone,
        enterpriseId: f.ids.chongrenEnterprise,
        workplace: '崇仁纺织有限公司',
        requestTransfer: true,
      })
      const asNobody = await apply({
        name: '甘霖会员',
        documentNumber: residentId('19910303'),
        phone: '13905760998',
        enterpriseId: f.ids.chongrenEnterprise,
        workplace: '崇仁纺织有限公司',
      })
      assert.equal(asMember.statusCode, 201, asMember.body)
      const shape = (r: typeof asMember) => {
        const { id: _id, token: _token, ...rest } = r.json() as Record<string, unknown>
        return rest
      }
      assert.deepEqual(shape(asMember), shape(asNobody), 'the answer tells a member from a stranger')
      assert.equal(asMember.json().kind, 'application')
      // the reviewing union's approval finds the membership, and says where (to the cadre)
      const found = await decide(asMember.json().id, { decision: 'approve' })
      assert.equal(found.statusCode, 409)
      assert.equal(found.json().error.code, 'member_elsewhere')
      for (const r of [asMember, asNobody]) assert.equal((await withdraw(r.json().token)).statusCode, 200)
      // name and number alone are not enough: without a code, refused before anything is said
      const noCode = await apply({
        name: '甘霖会员',
        documentNumber: doc,
        phone,
        enterpriseId: f.ids.chongrenEnterprise,
        smsCode: undefined,
      })
      assert.equal(noCode.statusCode, 400)
      assert.equal(noCode.json().error.code, 'invalid_code', noCode.body)
      assert.ok(noCode.json().error.fields.smsCode)
      assert.equal((await f.database.db.selectFrom('transfer').select('id').execute()).length, 0)
    })
  })

  describe('the applicant on the phone', () => {
    it('withdraws a pending application by its token, once', async () => {
      const r = await apply({ enterpriseId: f.ids.chongrenEnterprise, documentNumber: residentId('19920404') })
      const { id, token } = r.json() as { id: number; token: string }
      assert.equal((await status(token)).json().canWithdraw, true)
      const w = await withdraw(token)
      assert.equal(w.statusCode, 200, w.body)
      assert.equal(w.json().status, 'withdrawn')
      assert.equal(w.json().canWithdraw, false)
      assert.equal((await withdraw(token)).statusCode, 409)
      assert.equal((await withdraw('x'.repeat(32))).statusCode, 404)
      const bad = await withdraw('short')
      assert.equal(bad.statusCode, 400)
      assert.match(bad.json().error.message, /查询码/)
      assert.equal((await decide(id, { decision: 'approve' })).statusCode, 409, 'a withdrawn application cannot be approved')
      const entry = await auditEntry(f, 'application.withdraw', { target_id: String(id) })
      assert.equal(entry.actor_id, null)
      // the person may apply again once nothing is open
      assert.equal((await apply({ enterpriseId: f.ids.chongrenEnterprise, documentNumber: residentId('19920404') })).statusCode, 201)
    })

    it('answers 需补充材料 with a text and a corrected workplace and phone; back to pending, the answer in the review queue; then approved', async () => {
      const r = await apply({
        name: '补充人',
        enterpriseId: f.ids.chongrenEnterprise,
        documentNumber: residentId('19930505'),
        workplace: '崇仁纺织',
      })
      const { id, token } = r.json() as { id: number; token: string }
      // not asked yet: nothing to answer
      const early = await answer({ token, answer: '补充' })
      assert.equal(early.statusCode, 409)
      assert.equal((await decide(id, { decision: 'need_info', note: '请补充所在车间和工号' })).statusCode, 200)
      const s = await status(token)
      assert.deepEqual(
        [s.json().status, s.json().reviewNote, s.json().canAnswer, s.json().canWithdraw],
        ['need_info', '请补充所在车间和工号', true, true],
      )

      const badPhone = await answer({ token, answer: '织造车间，工号 A123', phone: '12345' })
      assert.equal(badPhone.statusCode, 400)
      assert.ok(badPhone.json().error.fields.phone)
      assert.match(badPhone.json().error.message, /^手机号码：/)
      const empty = await answer({ token, answer: '  ' })
      assert.equal(empty.statusCode, 400)
      assert.ok(empty.json().error.fields.answer)
      assert.equal(empty.json().error.message, '补充说明：请填写补充说明')
      const long = await answer({ token, answer: '长'.repeat(501) })
      assert.equal(long.json().error.message, '补充说明：不能超过500字')
      assert.equal((await status(token)).json().status, 'need_info', 'a refused answer writes nothing')

      // a new number is proven like the first one
      const unproven = await answer({ token, answer: '织造车间，工号 A123', phone: '13905768888' })
      assert.equal(unproven.json().error?.code, 'invalid_code', unproven.body)
      const ok = await answer({
        token,
        answer: '织造车间，工号 A123',
        workplace: '崇仁纺织有限公司织造车间',
        phone: '13905768888',
        smsCode: await joiningCode(f, '13905768888'),
      })
      assert.equal(ok.statusCode, 200, ok.body)
      assert.deepEqual([ok.json().status, ok.json().infoAnswer, ok.json().canAnswer], ['pending', '织造车间，工号 A123', false])
      assert.doesNotMatch(ok.body, PERSONAL)
      assert.equal((await answer({ token, answer: '再补充' })).statusCode, 409)

      const queue = await f.get(`/api/applications?org=${f.ids.chongren}&status=pending&pageSize=100`, chongren)
      const item = queue.json().items.find((x: { id: number }) => x.id === id)
      assert.equal(item.infoAnswer, '织造车间，工号 A123')
      assert.ok(item.infoAnsweredAt)
      assert.equal(item.reviewNote, '请补充所在车间和工号')
      assert.equal(item.workplace, '崇仁纺织有限公司织造车间')
      assert.equal(item.phone, '139****8888')
      const audit = await auditEntry(f, 'application.answer', { target_id: String(id) })
      assert.doesNotMatch(JSON.stringify(audit), /13905768888/)

      const approved = await decide(id, { decision: 'approve' })
      assert.equal(approved.statusCode, 200, approved.body)
      const m = await memberRow(approved.json().memberId)
      assert.equal(m.workplace, '崇仁纺织有限公司织造车间')
      assert.equal(f.pii.decrypt(m.phone_enc!), '13905768888')
      assert.equal((await status(token)).json().status, 'approved')
      assert.equal((await withdraw(token)).statusCode, 409, 'an approved application cannot be withdrawn')
    })

    it('limits the acts per address', async () => {
      const ip = '192.0.2.99'
      const codes: number[] = []
      for (let i = 0; i < 21; i++) codes.push((await withdraw('y'.repeat(32), ip)).statusCode)
      assert.deepEqual(codes, [...Array(20).fill(404), 429])
      assert.equal((await answer({ token: 'y'.repeat(32), answer: 'x' }, ip)).statusCode, 429)
    })
  })

  describe('预备会员 leave the pool when their unit gets a union', () => {
    it('its own union (orgs.create with enterpriseId): both pools, ledger 转出/转入, audited, stats right', async () => {
      const shop = await f.as('ganlin', (ctx) =>
        enterprises.create(ctx, {
          creditCode: creditCode(),
          name: '甘霖无工会超市',
          regionCode: '330683100',
          nature: 'private',
          employees: 30,
        }),
      )
      // one parked in 甘霖镇's pool (the unit's town), one in 崇仁镇's (where she lives)
      const a = await apply({ name: '池甲', enterpriseId: shop.id, workplace: '甘霖无工会超市', documentNumber: residentId('19940101') })
      const b = await apply({
        name: '池乙',
        enterpriseId: shop.id,
        workplace: '甘霖无工会超市',
        documentNumber: residentId('19940202'),
        residenceRegion: '330683102',
      })
      assert.deepEqual([a.json().unionName, b.json().unionName], ['甘霖镇总工会', '崇仁镇总工会'])
      const ma = (await decide(a.json().id, { decision: 'approve' }, ganlin)).json().memberId as number
      const mb = (await decide(b.json().id, { decision: 'approve' }, chongren)).json().memberId as number
      assert.deepEqual([(await memberRow(ma)).status, (await memberRow(mb)).status], ['reserve', 'reserve'])
      // and one still waiting in 崇仁镇's pool
      const c = await apply({
        name: '池丁',
        enterpriseId: shop.id,
        workplace: '甘霖无工会超市',
        documentNumber: residentId('19940303'),
        residenceRegion: '330683102',
      })
      assert.equal(c.json().route, 'town_pool')

      const union = await f.as('ganlin', (ctx) =>
        orgs.create(ctx, {
          parentId: f.ids.ganlin,
          name: '甘霖无工会超市工会委员会',
          orgType: '1',
          orgForm: 'committee',
          regionCode: '330683100',
          enterpriseId: shop.id,
        }),
      )
      for (const [id, pool] of [
        [ma, f.ids.ganlin],
        [mb, f.ids.chongren],
      ] as const) {
        const m = await memberRow(id)
        assert.deepEqual([m.status, m.union_id, m.org_path], ['active', union.id, union.path])
        assert.deepEqual(
          (await eventsOf(id)).map((e) => [e.event_type, e.union_id]),
          [
            ['1', pool],
            ['4', pool],
            ['2', union.id],
          ],
        )
      }
      const entry = await auditEntry(f, 'member.reserve_admit', { target_id: String(union.id) })
      const moved = (entry.detail as { after: { members: { memberId: number }[] } }).after.members.map((m) => m.memberId).sort()
      assert.deepEqual(moved, [ma, mb].sort())
      assert.doesNotMatch(JSON.stringify(entry), /池甲|池乙/)
      await assertStatsRight()
      // the open application went along: approved by the new union's town, a 在册 member there
      const app = await f.database.db
        .selectFrom('application')
        .select(['union_id', 'route', 'status'])
        .where('id', '=', c.json().id)
        .executeTakeFirstOrThrow()
      assert.deepEqual(app, { union_id: union.id, route: 'own_union', status: 'pending' })
      assert.deepEqual(
        (entry.detail as { after: { applications: { applicationId: number }[] } }).after.applications.map((x) => x.applicationId),
        [c.json().id],
      )
      assert.equal((await decide(c.json().id, { decision: 'approve' }, chongren)).statusCode, 404, '崇仁镇 no longer holds it')
      const mc = (await decide(c.json().id, { decision: 'approve' }, ganlin)).json().memberId as number
      assert.deepEqual([(await memberRow(mc)).status, (await memberRow(mc)).union_id], ['active', union.id])
      await assertStatsRight()
      // the card of the moved member verifies at the new union
      const s = await status(a.json().token)
      const v = await f.app.inject({ method: 'GET', url: `/api/cards/verify?token=${encodeURIComponent(s.json().cardToken)}` })
      assert.deepEqual([v.json().valid, v.json().unionName, v.json().status], [true, '甘霖无工会超市工会委员会', 'active'])
      // the union's panel counts them as members
      const unionRow = await f.database.db.selectFrom('org').select('member_count').where('id', '=', union.id).executeTakeFirstOrThrow()
      assert.equal(unionRow.member_count, 3)
    })

    it('a joint union covering the unit (orgs.setCoverage), through the route', async () => {
      const shop = await f.as('ganlin', (ctx) =>
        enterprises.create(ctx, {
          creditCode: creditCode(),
          name: '甘霖无工会饭店',
          regionCode: '330683100',
          nature: 'private',
          employees: 6,
        }),
      )
      const a = await apply({ name: '池丙', enterpriseId: shop.id, workplace: '甘霖无工会饭店', documentNumber: residentId('19950303') })
      const ma = (await decide(a.json().id, { decision: 'approve' }, ganlin)).json().memberId as number
      assert.equal((await memberRow(ma)).status, 'reserve')
      const r = await f.app.inject({
        method: 'PUT',
        url: `/api/orgs/${f.ids.ganlinJoint}/enterprises`,
        payload: { enterpriseIds: [f.ids.ganlinEnterprise, shop.id] },
        headers: ganlin,
      })
      assert.equal(r.statusCode, 200, r.body)
      const m = await memberRow(ma)
      assert.deepEqual([m.status, m.union_id], ['active', f.ids.ganlinJoint])
      assert.deepEqual(
        (await eventsOf(ma)).map((e) => e.event_type),
        ['1', '4', '2'],
      )
      await assertStatsRight()
      // covering it again moves nobody twice
      const again = await f.app.inject({
        method: 'PUT',
        url: `/api/orgs/${f.ids.ganlinJoint}/enterprises`,
        payload: { enterpriseIds: [f.ids.ganlinEnterprise, shop.id] },
        headers: ganlin,
      })
      assert.equal(again.statusCode, 200, again.body)
      assert.deepEqual(
        (await eventsOf(ma)).map((e) => e.event_type),
        ['1', '4', '2'],
      )
    })
  })
})
