import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import {
  auditEntries,
  auditEntry,
  creditCode,
  fixture,
  signInMember,
  cadres,
  phoneMembers,
  unionMessages,
  type Fixture,
} from '../../test/harness.js'
import { runInScope } from '../../http/scope.js'
import * as enterprises from '../enterprises/enterprises.service.js'
import { verify as statsVerify } from '../stats/stats.repository.js'

/**
 * 申请转会 on the member's side (会员端): a member signed in on the phone finds the unit they now
 * work at in the directory, sees which union would receive them, and asks; the receiving union
 * accepts or declines; the member follows it in 我的 and may withdraw it while pending. As the
 * member under row-level security (0024: transfer_member_insert / transfer_member_cancel).
 */
describe('the member asks for a transfer, signed in on the phone', () => {
  let f: Fixture
  let ganlin: Record<string, string>
  let chongren: Record<string, string>
  let gm: Record<string, string> // 甘霖会员, of 甘霖镇联合工会
  let cm: Record<string, string> // 崇仁会员, of 崇仁纺织工会委员会
  let looseUnit: number // a unit of 甘霖镇 no union covers: the town's union receives

  const call = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) =>
    f.app.inject({ method, url, headers, payload })
  const memberRow = (id: number) => f.database.db.selectFrom('member').selectAll().where('id', '=', id).executeTakeFirstOrThrow()

  before(async () => {
    f = await fixture()
    ;({ ganlin, chongren } = await cadres(f))
    ;({ ganlin: gm, chongren: cm } = await phoneMembers(f))
    looseUnit = (
      await f.as('ganlin', (ctx) =>
        enterprises.create(ctx, {
          creditCode: creditCode(),
          name: '甘霖新开服装厂',
          regionCode: '330683100',
          nature: 'private',
          employees: 8,
        }),
      )
    ).id
  })
  after(() => f?.close())

  it('finds the new unit in the directory with the union that would receive; only a member may ask', async () => {
    const r = await call('GET', `/api/my/transfer-targets?q=${encodeURIComponent('崇仁纺织')}`, gm)
    assert.equal(r.statusCode, 200, r.body)
    assert.deepEqual(r.json(), [
      {
        enterpriseId: f.ids.chongrenEnterprise,
        enterpriseName: '崇仁纺织有限公司',
        townName: r.json()[0].townName,
        unionId: f.ids.chongrenBase,
        unionName: '崇仁纺织工会委员会',
        route: 'own_union',
        current: false,
      },
    ])
    // the unit the member's union covers: the member's own union already
    const own = (await call('GET', `/api/my/transfer-targets?q=${encodeURIComponent('甘霖小微')}`, gm)).json()
    assert.deepEqual(
      own.map((t: { unionId: number; route: string; current: boolean }) => [t.unionId, t.route, t.current]),
      [[f.ids.ganlinJoint, 'joint_union', true]],
    )
    // a unit no union covers: the town's union
    const loose = (await call('GET', `/api/my/transfer-targets?q=${encodeURIComponent('甘霖新开')}`, gm)).json()
    assert.deepEqual(
      loose.map((t: { unionId: number; route: string }) => [t.unionId, t.route]),
      [[f.ids.ganlin, 'town_pool']],
    )
    const short = await call('GET', '/api/my/transfer-targets?q=崇', gm)
    assert.equal(short.statusCode, 400)
    assert.match(short.json().error.message, /至少输入2个字/)
    // nobody signed in, a cadre, or a phone without a membership (an applicant): no
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/my/transfer-targets?q=崇仁' })).statusCode, 401)
    assert.equal((await call('GET', '/api/my/transfer-targets?q=崇仁', ganlin)).statusCode, 401)
    const applicant = await signInMember(f, '13905759999')
    assert.equal((await call('GET', '/api/my/transfer-targets?q=崇仁', applicant)).statusCode, 403)
    assert.equal(
      (await call('POST', '/api/my/transfers', applicant, { enterpriseId: f.ids.chongrenEnterprise, transferReason: '换工作' })).statusCode,
      403,
    )
  })

  it('refuses what cannot be asked, naming the field', async () => {
    const ask = (payload: object) => call('POST', '/api/my/transfers', gm, payload)
    const none = await ask({ transferReason: '到新单位工作' })
    assert.equal(none.statusCode, 400)
    assert.ok(none.json().error.fields.enterpriseId, none.body)
    const noReason = await ask({ enterpriseId: f.ids.chongrenEnterprise, transferReason: ' ' })
    assert.equal(noReason.statusCode, 400)
    assert.match(noReason.json().error.message, /^转会理由/)
    const unknown = await ask({ enterpriseId: 2_000_000_000, transferReason: '到新单位工作' })
    assert.equal(unknown.statusCode, 400)
    assert.match(unknown.json().error.fields.enterpriseId, /不存在/)
    const same = await ask({ enterpriseId: f.ids.ganlinEnterprise, transferReason: '到新单位工作' })
    assert.equal(same.statusCode, 400)
    assert.match(same.json().error.fields.enterpriseId, /无需转会/)
    assert.equal((await f.database.db.selectFrom('transfer').select('id').execute()).length, 0)
  })

  it('asks; the receiving union is told and accepts; the member is counted once throughout; 我的 and the card follow', async () => {
    const before = await f.database.db.transaction().execute((tx) => statsVerify(tx))
    assert.deepEqual(before.differences, [])
    const r = await call('POST', '/api/my/transfers', gm, { enterpriseId: f.ids.chongrenEnterprise, transferReason: '已到崇仁纺织上班' })
    assert.equal(r.statusCode, 201, r.body)
    const id = r.json().id as number
    assert.deepEqual(r.json(), {
      id,
      status: 'pending',
      fromName: '甘霖镇联合工会',
      toName: '崇仁纺织工会委员会',
      requestedAt: r.json().requestedAt,
      decisionNote: null,
      byMe: true,
      canCancel: true,
    })
    // one in flight at a time
    const again = await call('POST', '/api/my/transfers', gm, { enterpriseId: looseUnit, transferReason: '又换了单位' })
    assert.equal(again.statusCode, 409)
    assert.match(again.json().error.message, /正在办理的转会/)
    // 我的 shows it with its state
    const home = (await call('GET', '/api/my/home', gm)).json()
    assert.deepEqual(
      home.transfers.map((t: { id: number; status: string; canCancel: boolean }) => [t.id, t.status, t.canCancel]),
      [[id, 'pending', true]],
    )
    // recorded as the member's act, on the chain, without a cadre
    const audit = await auditEntry(f, 'transfer.request', { target_id: String(id) })
    assert.equal(audit.actor_id, null)
    // the receiving union is told, and finds it in its queue to decide
    const told = await unionMessages(f, f.ids.chongrenBase, 'transfer')
    assert.equal(told.length, 1)
    assert.match(told[0]!.body, /甘霖会员.*崇仁纺织有限公司/)
    const inbox = await call('GET', '/api/transfers?direction=in&status=pending&requestedBy=member', chongren)
    const t = inbox.json().items.find((x: { id: number }) => x.id === id)
    assert.ok(t, inbox.body)
    assert.deepEqual([t.requestedBy, t.canAccept, t.canReject, t.canCancel], ['member', true, true, false])
    assert.match(t.note, /会员本人在会员端申请转入（新单位：崇仁纺织有限公司）；理由：已到崇仁纺织上班/)
    // the sending union sees it, and neither decides nor withdraws it
    const o = (await call('GET', '/api/transfers?direction=out', ganlin)).json().items.find((x: { id: number }) => x.id === id)
    assert.deepEqual([o.canAccept, o.canReject, o.canCancel], [false, false, false])
    assert.equal((await call('POST', `/api/transfers/${id}/decline`, ganlin, { note: '不同意' })).statusCode, 403)
    // in between: one member, at the old union
    assert.equal((await memberRow(f.ids.ganlinMember)).union_id, f.ids.ganlinJoint)

    const ok = await call('POST', `/api/transfers/${id}/accept`, chongren, { note: '欢迎' })
    assert.equal(ok.statusCode, 200, ok.body)
    const m = await memberRow(f.ids.ganlinMember)
    assert.deepEqual([m.union_id, m.status], [f.ids.chongrenBase, 'active'])
    const events = await f.database.db
      .selectFrom('membership_event')
      .select(['event_type', 'union_id'])
      .where('member_id', '=', f.ids.ganlinMember)
      .orderBy('occurred_on')
      .orderBy('id')
      .execute()
    assert.deepEqual(
      events.map((e) => [e.event_type, Number(e.union_id)]),
      [
        ['1', f.ids.ganlinJoint],
        ['4', f.ids.ganlinJoint],
        ['2', f.ids.chongrenBase],
      ],
    )
    const after = await f.database.db.transaction().execute((tx) => statsVerify(tx))
    assert.deepEqual(after.differences, [])
    assert.deepEqual(after.ledgerMismatches, [])
    // the member reads it accepted (and can no longer withdraw it); the card names the new union
    const mine = (await call('GET', '/api/my/home', gm)).json()
    assert.deepEqual(
      mine.transfers.map((x: { id: number; status: string; canCancel: boolean }) => [x.id, x.status, x.canCancel]),
      [[id, 'accepted', false]],
    )
    assert.equal(mine.member.unionName, '崇仁纺织工会委员会')
    const card = await f.app.inject({ method: 'GET', url: `/api/cards/verify?token=${encodeURIComponent(mine.member.card.token)}` })
    assert.equal(card.json().unionName, '崇仁纺织工会委员会')
    assert.equal((await call('POST', `/api/my/transfers/${id}/cancel`, gm)).statusCode, 409)
  })

  it('withdraws a pending request, once; never another member’s, nor one a union asked for', async () => {
    const r = await call('POST', '/api/my/transfers', cm, { enterpriseId: f.ids.ganlinEnterprise, transferReason: '调到甘霖工作' })
    assert.equal(r.statusCode, 201, r.body)
    const id = r.json().id as number
    assert.equal(r.json().toName, '甘霖镇联合工会')
    // the receiving union cannot withdraw it (it declines it, with a reason), another member cannot see it
    assert.equal((await call('POST', `/api/my/transfers/${id}/cancel`, gm)).statusCode, 404)
    const w = await call('POST', `/api/my/transfers/${id}/cancel`, cm)
    assert.equal(w.statusCode, 200, w.body)
    assert.deepEqual([w.json().status, w.json().canCancel, w.json().decisionNote], ['cancelled', false, '会员本人撤回'])
    assert.equal((await call('POST', `/api/my/transfers/${id}/cancel`, cm)).statusCode, 409)
    assert.ok(await auditEntry(f, 'transfer.cancel', { target_id: String(id) }))
    assert.equal((await memberRow(f.ids.chongrenMember)).union_id, f.ids.chongrenBase)
    // a transfer the member's union asked for is the union's to withdraw
    const byUnion = await call('POST', '/api/transfers', chongren, { memberId: f.ids.chongrenMember, toUnionId: f.ids.ganlinJoint })
    assert.equal(byUnion.statusCode, 201, byUnion.body)
    const shown = (await call('GET', '/api/my/home', cm)).json().transfers.find((t: { id: number }) => t.id === byUnion.json().id)
    assert.deepEqual([shown.byMe, shown.canCancel], [false, false])
    const refused = await call('POST', `/api/my/transfers/${byUnion.json().id}/cancel`, cm)
    assert.equal(refused.statusCode, 409)
    assert.match(refused.json().error.message, /由工会发起/)
    const withdrawn = await call('POST', `/api/transfers/${byUnion.json().id}/decline`, chongren, {})
    assert.equal(withdrawn.json().status, 'cancelled', withdrawn.body)
  })

  it('two taps at once ask once: one request, the others told it is already in hand (the unique index transfer_open)', async () => {
    const taps = await Promise.all(
      Array.from({ length: 8 }, () =>
        call('POST', '/api/my/transfers', cm, { enterpriseId: f.ids.ganlinEnterprise, transferReason: '调到甘霖工作' }),
      ),
    )
    assert.deepEqual(taps.map((t) => t.statusCode).sort(), [201, 409, 409, 409, 409, 409, 409, 409], taps.map((t) => t.body).join('\n'))
    for (const t of taps.filter((x) => x.statusCode === 409))
      assert.equal(t.json().error.message, '您已有一笔正在办理的转会，请等待办结或先撤回')
    const pending = await f.database.db
      .selectFrom('transfer')
      .select('id')
      .where('member_id', '=', f.ids.chongrenMember)
      .where('status', '=', 'pending')
      .execute()
    assert.deepEqual(
      pending.map((p) => p.id),
      [taps.find((t) => t.statusCode === 201)!.json().id],
    )
    // one request on the chain
    assert.equal((await auditEntries(f, 'transfer.request', { target_id: String(pending[0]!.id) })).length, 1)
    const w = await call('POST', `/api/my/transfers/${pending[0]!.id}/cancel`, cm)
    assert.equal(w.statusCode, 200, w.body)
  })

  it('beneath the service: a member inserts only their own request from their own union, and changes it only to withdrawn', async () => {
    const row = await memberRow(f.ids.chongrenMember)
    const actor = {
      id: 0,
      username: '',
      displayName: '崇仁会员',
      roles: ['member' as const],
      orgId: f.ids.chongrenBase,
      orgName: '崇仁纺织工会委员会',
      scopePath: null,
      csrfToken: '',
      viaCookie: false,
      member: {
        memberId: f.ids.chongrenMember,
        unionId: f.ids.chongrenBase,
        orgPath: row.org_path,
        phoneHash: row.phone_hash ?? '',
        name: '崇仁会员',
      },
    }
    const as = <T>(fn: Parameters<typeof runInScope<T>>[4]) => runInScope(f.database.db, f.pii, actor as never, '127.0.0.1', fn)
    const ganlinPath = (await f.database.db.selectFrom('org').select('path').where('id', '=', f.ids.ganlinJoint).executeTakeFirstOrThrow())
      .path
    const values = {
      member_id: f.ids.chongrenMember,
      member_name: row.name,
      document_masked: row.document_masked,
      from_union_id: f.ids.chongrenBase,
      from_path: row.org_path,
      to_union_id: f.ids.ganlinJoint,
      to_path: ganlinPath,
      requested_by: 'member',
      reason: '1',
    }
    // another member's membership, another union as the sending side, or as if a union asked: refused
    const gmRow = await memberRow(f.ids.ganlinMember)
    for (const bad of [
      {
        member_id: f.ids.ganlinMember,
        member_name: gmRow.name,
        from_union_id: gmRow.union_id,
        from_path: gmRow.org_path,
        to_union_id: f.ids.ganlinJoint,
      },
      { from_union_id: f.ids.ganlinJoint, from_path: ganlinPath, to_union_id: f.ids.chongrenBase, to_path: row.org_path },
      { requested_by: 'from' },
      { status: 'accepted' },
    ])
      await assert.rejects(
        as((ctx) =>
          ctx.db
            .insertInto('transfer')
            .values({ ...values, ...bad })
            .execute(),
        ),
        /row-level security|行级安全/,
      )
    // their own request goes in; they may withdraw it, not accept it
    const own = await as((ctx) => ctx.db.insertInto('transfer').values(values).returning('id').executeTakeFirstOrThrow())
    await assert.rejects(
      as((ctx) => ctx.db.updateTable('transfer').set({ status: 'accepted' }).where('id', '=', own.id).execute()),
      /row-level security|行级安全/,
    )
    const cancelled = await as((ctx) =>
      ctx.db.updateTable('transfer').set({ status: 'cancelled' }).where('id', '=', own.id).returning('id').execute(),
    )
    assert.equal(cancelled.length, 1)
  })
})
