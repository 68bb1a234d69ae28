import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { fixture, residentId, type Fixture } from '../../test/harness.js'

/**
 * 接转 through the API: either side asks, the side that did not ask decides, the asker withdraws.
 * The member stays where they are until accepted, then moves with a 转出 and a 转入 in the ledger.
 */
describe('transfers (接转)', () => {
  let f: Fixture
  const h: Record<string, Record<string, string>> = {}

  before(async () => {
    f = await fixture()
    for (const u of ['ganlin', 'chongren', 'viewer', 'city']) h[u] = await f.login(u)
  })
  after(() => f.close())

  const call = (user: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    f.app.inject({ method, url, headers: h[user], ...(payload ? { payload } : {}) })
  /** a new member of `unionId`, registered by `user` through the API; returns its id and document number */
  const newMember = async (user: string, unionId: number, name: string) => {
    const documentNumber = residentId('19900101')
    const r = await call(user, 'POST', '/api/members', { name, documentNumber, unionId, joinedOn: '2020-01-01' })
    assert.equal(r.statusCode, 201, r.body)
    return { id: r.json().id as number, documentNumber }
  }
  const memberRow = (id: number) =>
    f.database.db.selectFrom('member').select(['union_id', 'org_path', 'status']).where('id', '=', id).executeTakeFirstOrThrow()
  const auditOf = (action: string, targetId: number) =>
    f.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name', 'scope_path'])
      .where('action', '=', action)
      .where('target_type', '=', 'transfer')
      .where('target_id', '=', String(targetId))
      .execute()
  const orgPath = async (id: number) =>
    (await f.database.db.selectFrom('org').select('path').where('id', '=', id).executeTakeFirstOrThrow()).path
  const count = async (id: number) =>
    (await f.database.db.selectFrom('org').select('member_count').where('id', '=', id).executeTakeFirstOrThrow()).member_count

  it('the sending union asks, only the receiving union accepts; the member moves with 转出 and 转入, counted once', async () => {
    const m = await newMember('ganlin', f.ids.ganlinJoint, '转出测试')
    const counts = [await count(f.ids.ganlinJoint), await count(f.ids.chongrenBase)]
    const r = await call('ganlin', 'POST', '/api/transfers', { memberId: m.id, toUnionId: f.ids.chongrenBase, note: '工作调动' })
    assert.equal(r.statusCode, 201, r.body)
    const t = r.json()
    assert.equal(t.status, 'pending')
    assert.equal(t.requestedBy, 'from')
    assert.equal(t.toUnionName, '崇仁纺织工会委员会')
    assert.deepEqual([t.canAccept, t.canReject, t.canCancel], [false, false, true])
    assert.equal((await auditOf('transfer.request', t.id)).length, 1)

    // the receiver sees it coming in, and may decide; the member has not moved yet
    const incoming = (await call('chongren', 'GET', '/api/transfers?direction=in&status=pending')).json()
    const seen = incoming.items.find((x: { id: number }) => x.id === t.id)
    assert.ok(seen, 'the receiving union lists it')
    assert.deepEqual([seen.canAccept, seen.canReject, seen.canCancel], [true, true, false])
    assert.equal((await memberRow(m.id)).union_id, f.ids.ganlinJoint)

    // the asker cannot accept its own request, nor can a read-only account act
    const own = await call('ganlin', 'POST', `/api/transfers/${t.id}/accept`, {})
    assert.equal(own.statusCode, 403)
    assert.match(own.json().error.message, /只有转入工会可以接收/)
    assert.equal((await call('viewer', 'POST', `/api/transfers/${t.id}/accept`, {})).statusCode, 403)
    // a second transfer of the same member while this one is open is refused
    const twice = await call('ganlin', 'POST', '/api/transfers', { memberId: m.id, toUnionId: f.ids.chongren })
    assert.equal(twice.statusCode, 409)
    assert.match(twice.json().error.message, /正在办理的接转/)

    const ok = await call('chongren', 'POST', `/api/transfers/${t.id}/accept`, { note: '欢迎' })
    assert.equal(ok.statusCode, 200, ok.body)
    assert.equal(ok.json().status, 'accepted')
    assert.equal(ok.json().decisionNote, '欢迎')
    const moved = await memberRow(m.id)
    assert.equal(moved.union_id, f.ids.chongrenBase)
    assert.equal(moved.org_path, await orgPath(f.ids.chongrenBase))
    assert.equal(moved.status, 'active')
    // the member is now the receiver's: the sender no longer sees them
    assert.equal((await call('ganlin', 'GET', `/api/members/${m.id}`)).statusCode, 404)
    assert.equal((await call('chongren', 'GET', `/api/members/${m.id}`)).statusCode, 200)
    // the ledger: 转出 at the old union, 转入 at the new one, both naming the transfer
    const events = await f.database.db
      .selectFrom('membership_event')
      .select(['event_type', 'union_id'])
      .where('transfer_id', '=', t.id)
      .orderBy('event_type')
      .execute()
    assert.deepEqual(events, [
      { event_type: '2', union_id: f.ids.chongrenBase },
      { event_type: '4', union_id: f.ids.ganlinJoint },
    ])
    assert.deepEqual([await count(f.ids.ganlinJoint), await count(f.ids.chongrenBase)], [counts[0]! - 1, counts[1]! + 1])
    const audit = await auditOf('transfer.accept', t.id)
    assert.equal(audit.length, 1)
    assert.equal(audit[0]!.scope_path, await orgPath(f.ids.chongrenBase))

    // decided once: neither side can decide again
    const again = await call('chongren', 'POST', `/api/transfers/${t.id}/accept`, {})
    assert.equal(again.statusCode, 409)
    assert.match(again.json().error.message, /已办结/)
    assert.equal((await call('ganlin', 'POST', `/api/transfers/${t.id}/decline`, {})).statusCode, 409)
  })

  it('the receiving union asks by document number; the member’s union confirms or declines, the asker may withdraw', async () => {
    const m = await newMember('ganlin', f.ids.ganlinJoint, '转入测试')
    const r = await call('chongren', 'POST', '/api/transfers', { documentNumber: m.documentNumber, toUnionId: f.ids.chongrenBase })
    assert.equal(r.statusCode, 201, r.body)
    const t = r.json()
    assert.equal(t.requestedBy, 'to')
    assert.notEqual(t.memberName, '转入测试', 'the receiving side learns a masked name only')
    assert.doesNotMatch(t.documentNumber, new RegExp(m.documentNumber))
    // the receiver asked: it cannot accept for the member's union
    const self = await call('chongren', 'POST', `/api/transfers/${t.id}/accept`, {})
    assert.equal(self.statusCode, 403)
    assert.match(self.json().error.message, /由会员所在工会确认/)

    // the member's union declines: a reason is required, named by field
    const bare = await call('ganlin', 'POST', `/api/transfers/${t.id}/decline`, {})
    assert.equal(bare.statusCode, 400)
    assert.equal(bare.json().error.fields.note, '退回时请说明原因')
    assert.match(bare.json().error.message, /^说明：/)
    const no = await call('ganlin', 'POST', `/api/transfers/${t.id}/decline`, { note: '本人未离职' })
    assert.equal(no.statusCode, 200, no.body)
    assert.equal(no.json().status, 'rejected')
    assert.equal((await auditOf('transfer.reject', t.id)).length, 1)
    assert.equal((await memberRow(m.id)).union_id, f.ids.ganlinJoint, 'a declined transfer moves no one')

    // asked again and withdrawn by the asker: no reason needed, 'cancelled', not 'rejected'
    const r2 = (
      await call('chongren', 'POST', '/api/transfers', { documentNumber: m.documentNumber, toUnionId: f.ids.chongrenBase })
    ).json()
    const w = await call('chongren', 'POST', `/api/transfers/${r2.id}/decline`, {})
    assert.equal(w.statusCode, 200, w.body)
    assert.equal(w.json().status, 'cancelled')
    assert.equal((await auditOf('transfer.cancel', r2.id)).length, 1)
    assert.equal((await auditOf('transfer.reject', r2.id)).length, 0)

    // asked a third time and confirmed by the member's union
    const r3 = (
      await call('chongren', 'POST', '/api/transfers', { documentNumber: m.documentNumber, toUnionId: f.ids.chongrenBase })
    ).json()
    const yes = await call('ganlin', 'POST', `/api/transfers/${r3.id}/accept`, { note: '同意转出' })
    assert.equal(yes.statusCode, 200, yes.body)
    assert.equal((await memberRow(m.id)).union_id, f.ids.chongrenBase)
  })

  it('refuses in Chinese, naming the field: same union, no such union, unknown or malformed document, no member named', async () => {
    const m = await newMember('ganlin', f.ids.ganlinJoint, '拒绝测试')
    const refused = async (payload: object, field: string, message: RegExp) => {
      const r = await call('ganlin', 'POST', '/api/transfers', payload)
      assert.equal(r.statusCode, 400, `${JSON.stringify(payload)}: ${r.body}`)
      const e = r.json().error
      assert.ok(e.fields[field], `${field} named: ${r.body}`)
      assert.match(e.message, message)
    }
    await refused({ memberId: m.id, toUnionId: f.ids.ganlinJoint }, 'toUnionId', /^转入工会.*相同/)
    await refused({ memberId: m.id, toUnionId: 999_999 }, 'toUnionId', /^转入工会.*不存在或已注销/)
    await refused({ documentNumber: residentId('19700101'), toUnionId: f.ids.ganlinJoint }, 'documentNumber', /^证件号码：未找到/)
    await refused({ documentNumber: '330683199001011234x', toUnionId: f.ids.ganlinJoint }, 'documentNumber', /^证件号码：/)
    await refused({ toUnionId: f.ids.chongrenBase }, 'documentNumber', /请指定会员或其证件号码/)
    assert.equal(await f.database.db.selectFrom('transfer').select('id').where('member_id', '=', m.id).executeTakeFirst(), undefined)
  })

  it('stays inside jurisdiction: a member outside cannot be named, a third union can neither ask nor see nor decide', async () => {
    // ganlin names a member of 崇仁 by id: not found, as if it did not exist
    const far = await call('ganlin', 'POST', '/api/transfers', { memberId: f.ids.chongrenMember, toUnionId: f.ids.ganlinJoint })
    assert.equal(far.statusCode, 404)
    assert.match(far.json().error.message, /不在您的管辖范围内/)

    // a transfer between two unions of 崇仁: ganlin is neither side
    const m = await newMember('chongren', f.ids.chongrenBase, '镇内转会')
    const r = await call('chongren', 'POST', '/api/transfers', { memberId: m.id, toUnionId: f.ids.chongren })
    assert.equal(r.statusCode, 201, r.body)
    const t = r.json()
    assert.equal((await call('ganlin', 'GET', `/api/transfers/${t.id}`)).statusCode, 404)
    const listed = (await call('ganlin', 'GET', '/api/transfers?direction=all&pageSize=100')).json()
    assert.ok(!listed.items.some((x: { id: number }) => x.id === t.id), 'a third union does not list it')
    assert.equal((await call('ganlin', 'POST', `/api/transfers/${t.id}/accept`, {})).statusCode, 404)
    assert.equal((await call('ganlin', 'POST', `/api/transfers/${t.id}/decline`, { note: '无关' })).statusCode, 404)
    // a third union cannot ask on behalf of others, even knowing the document number
    const third = await call('ganlin', 'POST', '/api/transfers', { documentNumber: m.documentNumber, toUnionId: f.ids.chongren })
    assert.equal(third.statusCode, 403, third.body)
    assert.match(third.json().error.message, /只有转出或转入工会可以发起接转/)
    // the city above both towns sees both sides of everything
    assert.equal((await call('city', 'GET', `/api/transfers/${t.id}`)).statusCode, 200)
  })

  it('moves only a current membership: a member who left cannot be transferred', async () => {
    const m = await newMember('ganlin', f.ids.ganlinJoint, '已退会')
    const left = await call('ganlin', 'POST', `/api/members/${m.id}/status`, { event: '5', reason: '1' })
    assert.equal(left.statusCode, 200, left.body)
    const r = await call('ganlin', 'POST', '/api/transfers', { memberId: m.id, toUnionId: f.ids.chongrenBase })
    assert.equal(r.statusCode, 409, r.body)
    assert.match(r.json().error.message, /只有在册、保留会籍或预备会员可以办理接转/)
  })

  it('moves a 预备会员 too, who becomes 在册 at the union taking them over (the same rule as a member’s own request)', async () => {
    const m = await newMember('ganlin', f.ids.ganlinJoint, '预备接转')
    // parked in the pool (set beneath the API: the joining page is the way in)
    await f.database.db.updateTable('member').set({ status: 'reserve' }).where('id', '=', m.id).execute()
    const before = await count(f.ids.chongrenBase)
    const r = await call('ganlin', 'POST', '/api/transfers', { memberId: m.id, toUnionId: f.ids.chongrenBase })
    assert.equal(r.statusCode, 201, r.body)
    const ok = await call('chongren', 'POST', `/api/transfers/${r.json().id}/accept`, {})
    assert.equal(ok.statusCode, 200, ok.body)
    assert.deepEqual(await memberRow(m.id), { union_id: f.ids.chongrenBase, org_path: await orgPath(f.ids.chongrenBase), status: 'active' })
    assert.equal(await count(f.ids.chongrenBase), before + 1)
    const ledger = await f.database.db
      .selectFrom('membership_event')
      .select(['event_type', 'union_id', 'transfer_id'])
      .where('member_id', '=', m.id)
      .orderBy('id')
      .execute()
    assert.deepEqual(ledger.slice(-2), [
      { event_type: '4', union_id: f.ids.ganlinJoint, transfer_id: r.json().id },
      { event_type: '2', union_id: f.ids.chongrenBase, transfer_id: r.json().id },
    ])
  })
})
