import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { auditEntry, creditCode, fixture, joining, joiningCode, PERSONAL, residentId, type Fixture } from '../../test/harness.js'
import * as enterprises from '../enterprises/enterprises.service.js'
import * as orgs from '../orgs/orgs.service.js'
import * as members from '../members/members.service.js'
import { addWorkingDays } from './working-days.js'
import { rateLimiter } from './rate-limit.js'
import { TIME_ZONE, todayIn } from '../../http/scope.js'

describe('online joining', () => {
  let f: Fixture
  let ganlin: Record<string, string>
  let chongren: Record<string, string>
  let viewer: Record<string, string>
  let ganlinBare: number // a unit of 甘霖镇 without any union
  let platform: number
  let platformUnion: number
  let logisticsJoint: number
  let village: string

  /** one applicant per address, so that the rate limit stays out of the way */
  const apply = (over: Record<string, unknown>, ip?: string) => joining.apply(f, '1390575', over, ip)
  const decide = (id: number, body: object, headers = chongren) => joining.decide(f, id, body, headers)
  const status = (token: string) => joining.status(f, token)
  const verify = (token: string) => f.app.inject({ method: 'GET', url: `/api/cards/verify?token=${encodeURIComponent(token)}` })

  before(async () => {
    f = await fixture()
    ganlin = await f.login('ganlin')
    chongren = await f.login('chongren')
    viewer = await f.login('viewer')
    const ids = await f.as('ganlin', async (ctx) => {
      const bare = await enterprises.create(ctx, {
        creditCode: creditCode(),
        name: '甘霖无工会商店',
        regionCode: '330683100',
        nature: 'private',
        employees: 8,
      })
      const p = await enterprises.create(ctx, {
        creditCode: creditCode(),
        name: '甘霖外卖平台有限公司',
        regionCode: '330683100',
        nature: 'private',
        employees: 300,
        isPlatform: true,
      })
      const pu = await orgs.create(ctx, {
        parentId: f.ids.ganlin,
        name: '甘霖外卖平台工会委员会',
        orgType: '1',
        orgForm: 'committee',
        regionCode: '330683100',
        enterpriseId: p.id,
      })
      const lj = await orgs.create(ctx, {
        parentId: f.ids.ganlin,
        name: '甘霖镇物流快递联合工会',
        orgType: '2',
        orgForm: 'joint_committee',
        regionCode: '330683100',
        jointScope: 'industry',
        jointCategory: 'logistics',
      })
      return { bare: bare.id, platform: p.id, platformUnion: pu.id, logisticsJoint: lj.id }
    })
    ganlinBare = ids.bare
    platform = ids.platform
    platformUnion = ids.platformUnion
    logisticsJoint = ids.logisticsJoint
    const v = await f.database.db
      .selectFrom('region')
      .select('code')
      .where('parent_code', '=', '330683100')
      .orderBy('code')
      .executeTakeFirst()
    village = v?.code ?? '330683100'
  })
  after(() => f.close())

  it('counts 15 working days, skipping weekends', () => {
    assert.equal(addWorkingDays('2026-11-20', 15), '2026-12-11') // a Friday
    assert.equal(addWorkingDays('2026-11-21', 1), '2026-11-23') // Saturday → Monday
    assert.equal(addWorkingDays('2026-11-23', 5), '2026-11-30')
  })

  it('finds workplaces by name with their town, and regions for the residence picker', async () => {
    const r = await f.app.inject({ method: 'GET', url: `/api/public/workplaces?q=${encodeURIComponent('崇仁纺织')}` })
    assert.equal(r.statusCode, 200, r.body)
    assert.deepEqual(
      r.json().map((w: { name: string; townName: string; hasUnion: boolean }) => [w.name, w.townName, w.hasUnion]),
      [['崇仁纺织有限公司', '崇仁镇', true]],
    )
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/public/workplaces?q=崇' })).statusCode, 400)
    const regions = await f.app.inject({ method: 'GET', url: '/api/public/regions?parent=330683' })
    assert.ok(regions.json().some((x: { code: string; name: string }) => x.code === '330683100' && x.name === '甘霖镇'))
  })

  it('routes to the unit’s own union, else its joint union, else the town’s pool', async () => {
    const own = await apply({ enterpriseId: f.ids.chongrenEnterprise, workplace: '崇仁纺织有限公司' })
    assert.equal(own.statusCode, 201, own.body)
    assert.equal(own.json().route, 'own_union')
    assert.equal(own.json().unionName, '崇仁纺织工会委员会')
    assert.equal(own.json().status, 'pending')
    assert.equal(own.json().dueOn, addWorkingDays(todayIn(TIME_ZONE), 15))
    assert.match(own.json().token, /^[A-Za-z0-9_-]{32}$/)

    const joint = await apply({ enterpriseId: f.ids.ganlinEnterprise, workplace: '甘霖小微五金厂' })
    assert.equal(joint.json().route, 'joint_union')
    assert.equal(joint.json().unionName, '甘霖镇联合工会')

    // a registered unit without a union: its town's pool, or the town of residence when given
    const bare = await apply({ enterpriseId: ganlinBare, workplace: '甘霖无工会商店' })
    assert.deepEqual([bare.json().route, bare.json().unionName], ['town_pool', '甘霖镇总工会'])
    const bareElsewhere = await apply({ enterpriseId: ganlinBare, workplace: '甘霖无工会商店', residenceRegion: '330683102' })
    assert.deepEqual([bareElsewhere.json().route, bareElsewhere.json().unionName], ['town_pool', '崇仁镇总工会'])

    // a unit typed in: the pool of the town of residence, which is required
    const typed = await apply({ workplace: '不在名录的小作坊', residenceRegion: village })
    assert.deepEqual([typed.json().route, typed.json().unionName], ['town_pool', '甘霖镇总工会'])
    const none = await apply({ workplace: '不在名录的小作坊' })
    assert.equal(none.statusCode, 400)
    assert.ok(none.json().error.fields.residenceRegion)
    assert.match(none.json().error.message, /居住地或户籍所在地/)
    const bogus = await apply({ workplace: '不在名录的小作坊', residenceRegion: '330683999' })
    assert.equal(bogus.statusCode, 400)
  })

  it('routes 新就业形态 workers to their platform’s union or the town’s joint union for flexible workers', async () => {
    const p = await apply({
      workplace: '外卖骑手',
      occupation: 'food_delivery',
      preferredRoute: 'platform',
      platformEnterpriseId: platform,
    })
    assert.equal(p.statusCode, 201, p.body)
    assert.deepEqual([p.json().route, p.json().unionName], ['platform', '甘霖外卖平台工会委员会'])
    const notPlatform = await apply({
      workplace: '外卖骑手',
      occupation: 'food_delivery',
      preferredRoute: 'platform',
      platformEnterpriseId: f.ids.ganlinEnterprise,
    })
    assert.equal(notPlatform.statusCode, 400)
    assert.ok(notPlatform.json().error.fields.platformEnterpriseId)
    const noOccupation = await apply({ workplace: '外卖骑手', preferredRoute: 'platform', platformEnterpriseId: platform })
    assert.equal(noOccupation.statusCode, 400)
    assert.ok(noOccupation.json().error.fields.occupation)

    const flex = await apply({ workplace: '快递员', occupation: 'courier', preferredRoute: 'flexible_joint', residenceRegion: '330683100' })
    assert.equal(flex.statusCode, 201, flex.body)
    assert.deepEqual([flex.json().route, flex.json().unionName], ['flexible_joint', '甘霖镇物流快递联合工会'])
    // 崇仁镇 has a joint union, but not one for flexible workers
    const noFlex = await apply({
      workplace: '快递员',
      occupation: 'courier',
      preferredRoute: 'flexible_joint',
      residenceRegion: '330683102',
    })
    assert.equal(noFlex.statusCode, 400)
    assert.match(noFlex.json().error.message, /新就业形态联合工会/)
    assert.ok(logisticsJoint && platformUnion)
  })

  it('requires both consents, a valid document matching the gender, and a mobile number', async () => {
    const noSensitive = await apply({ enterpriseId: f.ids.chongrenEnterprise, consentSensitive: false })
    assert.equal(noSensitive.statusCode, 400)
    assert.match(noSensitive.json().error.fields.consentSensitive, /单独同意/)
    const noPrivacy = await apply({ enterpriseId: f.ids.chongrenEnterprise, consentPrivacy: undefined })
    assert.equal(noPrivacy.statusCode, 400)
    assert.ok(noPrivacy.json().error.fields.consentPrivacy, noPrivacy.body)
    const badId = await apply({ enterpriseId: f.ids.chongrenEnterprise, documentNumber: '330683199001011234' })
    assert.equal(badId.statusCode, 400)
    assert.ok(badId.json().error.fields.documentNumber, badId.body)
    assert.match(badId.json().error.message, /^证件号码：/)
    const badPhone = await apply({ enterpriseId: f.ids.chongrenEnterprise, phone: '12345' })
    assert.equal(badPhone.statusCode, 400)
    assert.ok(badPhone.json().error.fields.phone, badPhone.body)
    // residentId() numbers have an odd sequence number or not; the opposite gender must be refused
    const doc = residentId('19910101')
    const male = Number(doc[16]) % 2 === 1
    const wrong = await apply({ enterpriseId: f.ids.chongrenEnterprise, documentNumber: doc, gender: male ? '2' : '1' })
    assert.equal(wrong.statusCode, 400)
    assert.ok(wrong.json().error.fields.gender, wrong.body)
    // the consent timestamps are recorded
    const ok = await apply({ enterpriseId: f.ids.chongrenEnterprise, documentNumber: doc })
    const row = await f.database.db
      .selectFrom('application')
      .select(['consent_privacy_at', 'consent_sensitive_at', 'gender'])
      .where('id', '=', ok.json().id)
      .executeTakeFirstOrThrow()
    assert.ok(row.consent_privacy_at instanceof Date && row.consent_sensitive_at instanceof Date)
    assert.equal(row.gender, male ? '1' : '2')
  })

  it('refuses a second open application; tells a member so only when they prove the phone on record', async () => {
    const doc = residentId('19880808')
    assert.equal((await apply({ documentNumber: doc, enterpriseId: f.ids.chongrenEnterprise })).statusCode, 201)
    const again = await apply({ documentNumber: doc, enterpriseId: f.ids.ganlinEnterprise })
    assert.equal(again.statusCode, 409)
    assert.match(again.json().error.message, /您已有一份正在办理的入会申请/)

    const m = await f.database.db
      .selectFrom('member')
      .select(['document_enc', 'phone_enc', 'name'])
      .where('id', '=', f.ids.chongrenMember)
      .executeTakeFirstOrThrow()
    const member = await apply({
      name: m.name,
      documentNumber: f.pii.decrypt(m.document_enc),
      phone: f.pii.decrypt(m.phone_enc!),
      enterpriseId: f.ids.ganlinEnterprise,
    })
    assert.equal(member.statusCode, 409)
    assert.match(member.json().error.message, /^您已是工会会员/)
    assert.equal(member.json().error.code, 'already_member')
    assert.doesNotMatch(member.body, /崇仁|\*/)
  })

  it('needs the code sent to the phone given, before anything is looked up', async () => {
    const doc = residentId('19880909')
    const count = async () =>
      Number(
        (
          await f.database.db
            .selectFrom('application')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = await count()
    for (const code of [undefined, '12345', '000000']) {
      const r = await apply({ documentNumber: doc, enterpriseId: f.ids.chongrenEnterprise, smsCode: code })
      assert.equal(r.statusCode, 400, `code ${code}`)
      assert.ok(r.json().error.fields.smsCode, r.body)
      assert.match(r.json().error.message, /验证码/)
    }
    // a code sent to another phone does not prove this one
    const other = await joiningCode(f, '13905750111')
    const r = await apply({ documentNumber: doc, phone: '13905750112', enterpriseId: f.ids.chongrenEnterprise, smsCode: other })
    assert.equal(r.json().error?.code, 'invalid_code', r.body)
    assert.equal(await count(), before, 'an application was written without the code')
  })

  it('audits the application without clear personal data, and stores only the token’s hash', async () => {
    const doc = residentId('19870707')
    const phone = '13905759876'
    const r = await apply({ name: '审计测试', documentNumber: doc, phone, enterpriseId: f.ids.chongrenEnterprise })
    const id = r.json().id as number
    const entry = await auditEntry(f, 'application.create', { target_id: String(id) })
    assert.equal(entry.actor_id, null)
    const text = JSON.stringify(entry)
    assert.ok(!text.includes(doc) && !text.includes(phone) && !text.includes('审计测试'), text)
    const row = await f.database.db
      .selectFrom('application')
      .select(['token_hash', 'document_enc', 'phone_enc'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    assert.notEqual(row.token_hash, r.json().token)
    assert.ok(!row.document_enc.includes(doc) && !row.phone_enc.includes(phone))
  })

  it('approval makes exactly one member with the 入会 entry; the applicant sees the member number and a card that verifies', async () => {
    const r = await apply({
      name: '李四',
      documentNumber: residentId('19950505'),
      enterpriseId: f.ids.chongrenEnterprise,
      workplace: '崇仁纺织有限公司',
    })
    const { id, token } = r.json() as { id: number; token: string }
    const before = await status(token)
    assert.equal(before.json().status, 'pending')
    assert.equal(before.json().cardToken, null)

    // a viewer may not decide; a cadre of another town does not even find it
    assert.equal((await decide(id, { decision: 'approve' }, viewer)).statusCode, 403)
    assert.equal((await decide(id, { decision: 'approve' }, ganlin)).statusCode, 404)

    const ok = await decide(id, { decision: 'approve', note: '欢迎入会' })
    assert.equal(ok.statusCode, 200, ok.body)
    assert.equal(ok.json().status, 'approved')
    const memberId = ok.json().memberId as number
    const rows = await f.database.db.selectFrom('member').selectAll().where('name', '=', '李四').execute()
    assert.equal(rows.length, 1)
    assert.equal(rows[0]!.id, memberId)
    assert.equal(rows[0]!.status, 'active')
    assert.equal(rows[0]!.union_id, f.ids.chongrenBase)
    assert.equal(rows[0]!.quality, 'ok')
    assert.ok(rows[0]!.consent_at)
    const events = await f.database.db.selectFrom('membership_event').selectAll().where('member_id', '=', memberId).execute()
    assert.deepEqual(
      events.map((e) => e.event_type),
      ['1'],
    )
    assert.equal((await decide(id, { decision: 'approve' })).statusCode, 409, 'decided twice')

    const after = await status(token)
    assert.equal(after.json().status, 'approved')
    assert.equal(after.json().memberNo, rows[0]!.member_no)
    assert.doesNotMatch(after.body, PERSONAL)
    const card = after.json().cardToken as string
    const v = await verify(card)
    assert.deepEqual(
      { ...(v.json() as object), memberNo: undefined },
      { valid: true, reason: null, memberNo: undefined, unionName: '崇仁纺织工会委员会', status: 'active' },
    )
    assert.match(v.json().memberNo, /^\d{6}\*+\d{4}$/)
    assert.doesNotMatch(v.body, /李四/)

    // tampered: another member number under the same signature, or a changed signature, or expiry
    const [no, until, sig] = card.split('.') as [string, string, string]
    const other = `${no.slice(0, -1)}${(Number(no.slice(-1)) + 1) % 10}`
    for (const forged of [
      `${other}.${until}.${sig}`,
      `${no}.${until}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`,
      `${no}.20991231.${sig}`,
      'garbage',
      `${no}.${until}`,
    ]) {
      const x = await verify(forged)
      assert.equal(x.statusCode, 200)
      assert.equal(x.json().valid, false, forged)
      assert.ok(x.json().reason)
      assert.equal(x.json().unionName, null)
    }

    // the cadre's card view
    const cv = await f.app.inject({ method: 'GET', url: `/api/members/${memberId}/card`, headers: chongren })
    assert.equal(cv.statusCode, 200, cv.body)
    assert.equal(cv.json().name, '李四')
    assert.equal((await verify(cv.json().token)).json().valid, true)
    assert.equal((await f.app.inject({ method: 'GET', url: `/api/members/${memberId}/card`, headers: ganlin })).statusCode, 404)

    // a member who left: the card is no longer valid
    await f.as('chongren', (ctx) => members.changeStatus(ctx, memberId, { event: '6', reason: '5' }))
    const left = await verify(card)
    assert.equal(left.json().valid, false)
    assert.match(left.json().reason, /离会/)
  })

  it('an expired card is refused', async () => {
    const m = await f.database.db.selectFrom('member').select('member_no').where('id', '=', f.ids.ganlinMember).executeTakeFirstOrThrow()
    const { signCard } = await import('../cards/cards.service.js')
    const old = signCard(f.pii, m.member_no, '2020-01-01')
    const r = await verify(old)
    assert.equal(r.json().valid, false)
    assert.match(r.json().reason, /过期/)
    assert.equal((await verify(signCard(f.pii, m.member_no, todayIn(TIME_ZONE)))).json().valid, true)
  })

  it('an application from the town’s pool makes a 预备会员', async () => {
    const r = await apply({ name: '王五', enterpriseId: ganlinBare, workplace: '甘霖无工会商店' })
    const ok = await decide(r.json().id, { decision: 'approve' }, ganlin)
    assert.equal(ok.statusCode, 200, ok.body)
    const m = await f.database.db
      .selectFrom('member')
      .select(['status', 'union_id'])
      .where('id', '=', ok.json().memberId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(m, { status: 'reserve', union_id: f.ids.ganlin })
    assert.equal((await verify((await status(r.json().token)).json().cardToken)).json().status, 'reserve')
  })

  it('reject and need_info need a note the applicant then sees', async () => {
    const r = await apply({ enterpriseId: f.ids.chongrenEnterprise })
    const { id, token } = r.json() as { id: number; token: string }
    const bare = await decide(id, { decision: 'need_info' })
    assert.equal(bare.statusCode, 400)
    assert.ok(bare.json().error.fields.note)
    assert.equal((await decide(id, { decision: 'need_info', note: '请补充劳动合同' })).json().status, 'need_info')
    assert.equal((await status(token)).json().reviewNote, '请补充劳动合同')
    assert.equal((await decide(id, { decision: 'reject' })).statusCode, 400)
    const rejected = await decide(id, { decision: 'reject', note: '非本单位职工' })
    assert.equal(rejected.json().status, 'rejected')
    assert.equal((await status(token)).json().status, 'rejected')
    assert.equal((await f.database.db.selectFrom('member').select('id').where('name', '=', '张三').execute()).length, 0)
    // the person may apply again once nothing is open
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/public/applications/status?token=' + 'x'.repeat(32) })).statusCode, 404)
  })

  it('refuses approval when the person has meanwhile become a member elsewhere, saying where (masked)', async () => {
    const doc = residentId('19860606')
    const r = await apply({ name: '赵六', documentNumber: doc, enterpriseId: f.ids.chongrenEnterprise })
    await f.as('ganlin', (ctx) =>
      members.create(ctx, {
        name: '赵六',
        documentType: 'resident_id',
        documentNumber: doc,
        phone: '13905751111',
        unionId: f.ids.ganlinJoint,
      }),
    )
    const x = await decide(r.json().id, { decision: 'approve' })
    assert.equal(x.statusCode, 409)
    assert.equal(x.json().error.code, 'member_elsewhere')
    assert.equal(x.json().error.detail.unionName, '甘霖镇联合工会')
    assert.doesNotMatch(x.body, new RegExp(doc))
    const still = await f.database.db
      .selectFrom('application')
      .select(['status', 'member_id'])
      .where('id', '=', r.json().id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(still, { status: 'pending', member_id: null })
  })

  it('flags overdue applications and lists them first, each town only its own', async () => {
    const late = await apply({ name: '超期申请', enterpriseId: f.ids.chongrenEnterprise })
    await sql`update application set due_on = current_date - 3 where id = ${late.json().id}`.execute(f.database.db)
    const list = await f.app.inject({ method: 'GET', url: `/api/applications?org=${f.ids.chongren}`, headers: chongren })
    assert.equal(list.statusCode, 200, list.body)
    const items = list.json().items as { id: number; overdue: boolean; documentNumber: string; phone: string }[]
    assert.equal(items[0]!.id, late.json().id)
    assert.equal(items[0]!.overdue, true)
    assert.ok(items.slice(1).every((i) => !i.overdue))
    assert.doesNotMatch(list.body, PERSONAL)
    assert.ok(items.every((i) => i.documentNumber.includes('*') && i.phone.includes('*')))
    const overdue = await f.app.inject({ method: 'GET', url: '/api/applications?overdue=true', headers: chongren })
    assert.deepEqual(
      overdue.json().items.map((i: { id: number }) => i.id),
      [late.json().id],
    )

    // 甘霖镇 sees none of 崇仁镇's applications
    const theirs = await f.app.inject({ method: 'GET', url: '/api/applications?pageSize=200', headers: ganlin })
    assert.ok(theirs.json().items.length > 0)
    assert.doesNotMatch(theirs.body, /崇仁/)
    assert.equal((await f.app.inject({ method: 'GET', url: `/api/applications/${late.json().id}`, headers: ganlin })).statusCode, 404)
    assert.equal((await f.app.inject({ method: 'GET', url: `/api/applications?org=${f.ids.chongren}`, headers: ganlin })).statusCode, 404)
  })

  it('limits submissions per address', async () => {
    const ip = '192.0.2.77'
    const codes: number[] = []
    for (let i = 0; i < 11; i++) codes.push((await apply({ workplace: '' }, ip)).statusCode)
    assert.deepEqual(codes, [...Array(10).fill(400), 429])
    const r = await apply({ enterpriseId: f.ids.chongrenEnterprise }, ip)
    assert.equal(r.statusCode, 429)
    assert.match(r.json().error.message, /频繁/)
    assert.equal((await apply({ enterpriseId: f.ids.chongrenEnterprise }, '192.0.2.78')).statusCode, 201)
    const l = rateLimiter(2, 1000)
    assert.deepEqual([l.hit('a', 0), l.hit('a', 1), l.hit('a', 2), l.hit('a', 1001), l.hit('b', 2)], [true, true, false, true, true])
  })
})
