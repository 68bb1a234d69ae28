import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { auditEntries, countRows, fixture, residentId, type Fixture } from '../../test/harness.js'
import * as members from './members.service.js'
import * as repo from './members.repository.js'
import * as transfers from '../transfers/transfers.service.js'

describe('the member register', () => {
  let f: Fixture
  let ganlin: Record<string, string>
  before(async () => {
    f = await fixture()
    ganlin = await f.login('ganlin')
  })
  after(() => f.close())

  const memberCount = async (unionId: number) =>
    (await f.database.db.selectFrom('org').select('member_count').where('id', '=', unionId).executeTakeFirstOrThrow()).member_count
  const memberRows = () => countRows(f, 'member')
  /** A member of 甘霖镇's joint union, added by its cadre. */
  const addGanlinMember = (name: string, birth: string, joinedOn: string, more: Partial<Parameters<typeof members.create>[1]> = {}) =>
    f.as('ganlin', (ctx) =>
      members.create(ctx, {
        name,
        documentType: 'resident_id',
        documentNumber: residentId(birth),
        unionId: f.ids.ganlinJoint,
        workplace: 'x',
        joinedOn,
        ...more,
      }),
    )

  it('the search box finds the names that start with what was typed, its %, _ and \\ as characters, at the edges of the code points', async () => {
    const names = ['甪里%娜', '甪里_娜', '甪里\\娜', '甪里娜娜', '甪里', '甪里娜', '𠀀明', '𠀁明', '\uD7FF甲', '\uE000乙', '\u{10FFFF}丙']
    for (const [i, name] of names.entries()) await addGanlinMember(name, `198002${i + 10}`, '2015-01-01')
    for (const typed of ['甪里', '甪里%', '甪里_', '甪里\\', '甪里娜', '甪', '𠀀', '\uD7FF', '\u{10FFFF}', '甪里娜娜娜']) {
      const found = await f.as('ganlin', (ctx) => members.list(ctx, { sort: 'name', page: 1, pageSize: 50, q: typed }))
      assert.deepEqual(found.items.map((m) => m.name).sort(), names.filter((n) => n.startsWith(typed)).sort(), JSON.stringify(typed))
    }
  })

  it("the register's references hold per statement: no member or ledger entry pointing nowhere, no referenced union or member deleted", async () => {
    const db = f.database.db
    const fails = async (q: ReturnType<typeof sql>, message = /does not exist or is still referenced/) => {
      await assert.rejects(
        db.transaction().execute((tx) => q.execute(tx)),
        (e: { code?: string; message?: string }) => e.code === '23503' && message.test(e.message ?? ''),
      )
    }
    const events = async () => Number((await sql<{ n: string }>`select count(*) as n from membership_event`.execute(db)).rows[0]!.n)
    const before = { members: await memberRows(), events: await events() }
    const m = await db
      .selectFrom('member')
      .select(['id', 'union_id', 'org_path'])
      .where('id', '=', f.ids.ganlinMember)
      .executeTakeFirstOrThrow()
    // a ledger entry of a member that does not exist, among valid ones: the whole statement fails
    await fails(sql`insert into membership_event (member_id, union_id, org_path, event_type, occurred_on)
      values (${m.id}, ${m.union_id}, ${m.org_path}, '3', current_date), (${m.id + 100000}, ${m.union_id}, ${m.org_path}, '3', current_date)`)
    // … or of a union that does not exist
    await fails(
      sql`insert into membership_event (member_id, union_id, org_path, event_type, occurred_on) values (${m.id}, 999999, ${m.org_path}, '3', current_date)`,
    )
    // a member moved to a union that does not exist
    await fails(sql`update member set union_id = 999999 where id = ${m.id}`)
    // deleting a union that holds members (other tables' keys may refuse it first), or a member with a ledger
    await fails(sql`delete from org where id = ${m.union_id}`, /./)
    await fails(sql`delete from member where id = ${m.id}`)
    assert.deepEqual({ members: await memberRows(), events: await events() }, before)
    assert.equal((await db.selectFrom('member').select('union_id').where('id', '=', m.id).executeTakeFirstOrThrow()).union_id, m.union_id)
  })

  it('totals: a short page counts as the rest of the list, a full or empty page is counted', async () => {
    for (let i = 0; i < 3; i++) await addGanlinMember(`页数${i}`, `1971030${i + 1}`, '2011-01-01')
    const list = (page: number, pageSize: number) => f.as('ganlin', (ctx) => members.list(ctx, { sort: '-joinedOn', page, pageSize }))
    const counted = (await list(1, 1)).total
    assert.ok(counted >= 4)
    for (const size of [2, 3, counted - 1, counted + 5]) {
      const last = Math.ceil(counted / size)
      const r = await list(last, size)
      assert.equal(r.total, counted, `page ${last} of ${size}`)
      assert.equal(r.items.length, counted - (last - 1) * size)
      assert.equal((await list(last + 1, size)).total, counted, `empty page after ${last} of ${size}`)
    }
    // a list longer than the cap is counted up to it, and says so; the page itself is whole
    const capped = await f.as('ganlin', (ctx) => repo.list(ctx.db, { sort: '-joinedOn', page: 1, pageSize: 3 }, 2))
    assert.deepEqual([capped.total, capped.totalCapped, capped.items.length], [2, true, 3])
    const exact = await f.as('ganlin', (ctx) => repo.list(ctx.db, { sort: '-joinedOn', page: 1, pageSize: 1 }, counted))
    assert.deepEqual([exact.total, exact.totalCapped], [counted, false])
    // the newest first, ties by id, from the index (member_joined)
    const all = await f.as('ganlin', (ctx) => members.list(ctx, { sort: '-joinedOn', page: 1, pageSize: 100 }))
    const keys = all.items.map((m) => `${m.joinedOn}#${String(m.id).padStart(9, '0')}`)
    assert.deepEqual(keys, [...keys].sort().reverse())
    // pages past the first read their ids first (0037): page by page, both orders, with the
    // organization's subtree named or not, they are the one list cut in pieces
    for (const sort of ['-joinedOn', 'joinedOn'] as const)
      for (const org of [undefined, f.ids.ganlin]) {
        const whole = (await f.as('ganlin', (ctx) => members.list(ctx, { sort, org, page: 1, pageSize: 12 }))).items.map((m) => m.id)
        const pieces: number[] = []
        for (const page of [1, 2, 3])
          pieces.push(...(await f.as('ganlin', (ctx) => members.list(ctx, { sort, org, page, pageSize: 4 }))).items.map((m) => m.id))
        assert.equal(whole.length, 12, 'enough members for three pages')
        assert.deepEqual(pieces, whole, `${sort}, ${org ? 'the union chosen' : 'no union chosen'}`)
      }
  })

  it("an organization's list takes its total from the kept tallies where they answer the filter, and it is the rows' number", async () => {
    const made: number[] = []
    for (const [i, occupation] of (['courier', 'courier', 'food_delivery', undefined, undefined] as const).entries()) {
      // the first two with a phone number (合格), the rest without (必填项缺失) in every status
      const phone = i < 2 ? { phone: `1390575110${i}` } : {}
      const m = await addGanlinMember(`合计${i}`, `1972040${i + 1}`, '2012-01-01', occupation ? { occupation, ...phone } : phone)
      made.push(m.id)
    }
    // 保留 one, end another: every status is in the subtree
    await f.as('ganlin', (ctx) => members.changeStatus(ctx, made[3]!, { event: '3', reason: '1', occurredOn: '2020-01-01' }))
    await f.as('ganlin', (ctx) => members.changeStatus(ctx, made[4]!, { event: '6', reason: '5', occurredOn: '2021-01-01' }))
    const filters: Record<string, string>[] = [
      {},
      { status: 'active' },
      { status: 'retained' },
      { status: 'reserve' },
      { status: 'left' },
      { status: 'active', occupation: 'courier' },
      { status: 'active', occupation: 'food_delivery' },
      { occupation: 'courier' },
      { status: 'active', quality: 'ok' },
      { quality: 'missing_fields' },
      { status: 'active', quality: 'missing_fields' },
      { status: 'retained', quality: 'missing_fields' },
      { status: 'left', quality: 'missing_fields' },
      { quality: 'ok' },
      { q: '合计' },
    ]
    for (const org of [undefined, f.ids.ganlin, f.ids.ganlinJoint]) {
      for (const q of filters) {
        const rows = await f.as(
          'ganlin',
          async (ctx) => (await members.list(ctx, { sort: '-joinedOn', page: 1, pageSize: 500, org, ...q })).items.length,
        )
        // a page of one is full, so its total is not the rest of a short page
        const first = await f.as('ganlin', (ctx) => members.list(ctx, { sort: '-joinedOn', page: 1, pageSize: 1, org, ...q }))
        if (rows === 0) continue
        assert.deepEqual([first.total, first.totalCapped], [rows, false], `org ${org} ${JSON.stringify(q)}`)
      }
    }
    // the tallies are read, not the rows: a tally set off shows in the total (stats verify would name it)
    // (no union chosen: the cadre's own union, 甘霖镇总工会)
    // page: a page past the end has no rows, and its total still comes from the tallies
    const setOff = async (metric: string, q: Record<string, string>, org?: number, page = 1) => {
      const total = () =>
        f.as('ganlin', async (ctx) => (await members.list(ctx, { sort: '-joinedOn', page, pageSize: 1, org, ...q })).total)
      const shift = (by: number) =>
        sql`update stat_total set value = value + ${by} where node_id = ${org ?? f.ids.ganlin} and h = 'g' and metric = ${metric}`.execute(
          f.database.db,
        )
      const before = await total()
      await shift(7)
      const after = await total()
      await shift(-7)
      assert.equal(after, before + 7, metric)
    }
    await setOff('members.retained', {}, f.ids.ganlinJoint)
    await setOff('members.retained.q.missing_fields', { quality: 'missing_fields' }, f.ids.ganlinJoint)
    await setOff('members', { status: 'active' })
    await setOff('members', { status: 'active' }, undefined, 100_000)
  })

  it("the members page's cards: by status, 合格 and 新就业形态 among the members in good standing, from the tallies, in one request, within the jurisdiction", async () => {
    const ganlin = await f.login('ganlin')
    const get = async (org?: number) => {
      const r = await f.app.inject({ method: 'GET', url: `/api/members/summary${org ? `?org=${org}` : ''}`, headers: ganlin })
      assert.equal(r.statusCode, 200, r.body)
      return r.json() as { byStatus: Record<string, number>; ok: number; reported: number; newEmployment: number }
    }
    // what the rows say, member by member (the list of each status, whole)
    const rows = (q: { org?: number; status: 'active' | 'retained' | 'reserve' | 'left' }) =>
      f.as('ganlin', async (ctx) => (await members.list(ctx, { sort: '-joinedOn', page: 1, pageSize: 500, ...q })).items)
    const check = async (org?: number) => {
      const s = await get(org)
      const scope = org ? { org } : {}
      for (const status of ['active', 'retained', 'reserve', 'left'] as const)
        assert.equal(s.byStatus[status], (await rows({ ...scope, status })).length, `${org} ${status}`)
      const active = await rows({ ...scope, status: 'active' })
      assert.equal(s.reported, active.length)
      assert.equal(s.ok, active.filter((m) => m.quality === 'ok').length)
      assert.equal(
        s.newEmployment,
        active.filter((m) => ['truck_driver', 'courier', 'ride_hailing', 'food_delivery'].includes(m.occupation ?? '')).length,
      )
      return s
    }
    // a member leaves, another is retained: the cards move with the rows
    const before = await check()
    const a = await addGanlinMember('卡片甲', '19750301', '2016-01-01', { occupation: 'courier' })
    const b = await addGanlinMember('卡片乙', '19750302', '2016-01-01')
    await f.as('ganlin', (ctx) => members.changeStatus(ctx, a.id, { event: '6', reason: '5', occurredOn: '2021-01-01' }))
    await f.as('ganlin', (ctx) => members.changeStatus(ctx, b.id, { event: '3', reason: '1', occurredOn: '2020-01-01' }))
    const s = await check()
    assert.deepEqual(
      [s.byStatus.left! - before.byStatus.left!, s.byStatus.retained! - before.byStatus.retained!, s.reported - before.reported],
      [1, 1, 0],
    )
    assert.ok(s.reported > 0 && s.byStatus.left! > 0)
    // a union of the subtree narrows it; another town's union is not found
    const joint = await check(f.ids.ganlinJoint)
    assert.ok(joint.byStatus.left! > 0 && joint.reported <= s.reported)
    const other = await f.app.inject({ method: 'GET', url: `/api/members/summary?org=${f.ids.chongren}`, headers: ganlin })
    assert.equal(other.statusCode, 404)
  })

  it('refuses a 信息质量 filter that is not one of its codes, naming the field (the code is written into the statement)', async () => {
    for (const quality of ["ok' or '1'='1", 'unknown', 'ok\u0000']) {
      const r = await f.get(`/api/members?org=${f.ids.ganlin}&quality=${encodeURIComponent(quality)}`, ganlin)
      assert.equal(r.statusCode, 400, quality)
      assert.ok(r.json().error.fields.quality, quality)
      assert.match(r.json().error.message, /信息质量/)
    }
    const ok = await f.get(`/api/members?org=${f.ids.ganlin}&quality=ok`, ganlin)
    assert.equal(ok.statusCode, 200)
    assert.ok(ok.json().items.length > 0)
    assert.ok(ok.json().items.every((m: { quality: string }) => m.quality === 'ok'))
  })

  it('refuses a wrong document number with a Chinese message naming the field, and writes nothing', async () => {
    const before = await memberRows()
    const r = await f.send('POST', '/api/members', ganlin, {
      name: '张三',
      documentType: 'resident_id',
      documentNumber: '330683198501010010',
      unionId: f.ids.ganlinJoint,
    })
    assert.equal(r.statusCode, 400)
    assert.match(r.json().error.message, /证件号码|校验/)
    assert.ok(r.json().error.fields.documentNumber)
    assert.equal(await memberRows(), before)
  })

  it('derives birth date and sex from the ID, cross-checks them, stores the numbers encrypted and shows them masked', async () => {
    const id = residentId('19900215')
    const wrongSex = await f.send('POST', '/api/members', ganlin, {
      name: '李四',
      documentNumber: id,
      gender: id.charCodeAt(16) % 2 ? '2' : '1',
      unionId: f.ids.ganlinJoint,
    })
    assert.equal(wrongSex.statusCode, 400)
    assert.match(wrongSex.json().error.message, /性别与身份证号码不符/)
    const r = await f.send('POST', '/api/members', ganlin, {
      name: '李四',
      documentNumber: id,
      phone: '13812345678',
      unionId: f.ids.ganlinJoint,
      workplace: '甘霖小微五金厂',
    })
    assert.equal(r.statusCode, 201, r.body)
    const m = r.json()
    // neither the birth date nor its year is shown: with the region of the union it would rebuild the number
    assert.equal(m.birthDateKnown, true)
    assert.equal(m.birthDate, undefined)
    assert.doesNotMatch(r.body, /1990/)
    assert.equal(m.documentNumber, `${'*'.repeat(15)}${id.slice(15)}`)
    assert.equal(m.phone, '138****5678')
    assert.equal(m.quality, 'ok')
    assert.deepEqual(
      m.events.map((e: { eventType: string }) => e.eventType),
      ['1'],
    )
    const row = await f.database.db.selectFrom('member').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow()
    assert.ok(!row.document_enc.includes(id) && !row.document_hash.includes(id) && !row.phone_enc!.includes('13812345678'))
    assert.doesNotMatch(r.body, new RegExp(id))
    // the birth date is not kept beside the number that encodes it; an audited reveal derives it
    assert.equal(row.birth_date, null)
    assert.equal(row.birth_enc, null)
    const birth = await f.send('POST', `/api/members/${m.id}/reveal`, ganlin, { field: 'birthDate', reason: '核对年龄' })
    assert.equal(birth.statusCode, 200, birth.body)
    assert.equal(birth.json().value, '1990-02-15')
    const audited = await auditEntries(f, 'pii.reveal', { target_id: String(m.id) })
    assert.deepEqual(
      audited.map((a) => (a.detail as { field: string }).field),
      ['birthDate'],
    )
    // a passport does not encode it: the entered date is kept encrypted, never in clear
    const p = await f.send('POST', '/api/members', ganlin, {
      name: 'Anna',
      documentType: 'passport',
      documentNumber: 'E12345678',
      gender: '2',
      birthDate: '1988-07-09',
      unionId: f.ids.ganlinJoint,
    })
    assert.equal(p.statusCode, 201, p.body)
    assert.equal(p.json().documentNumber, '******678')
    assert.doesNotMatch(p.body, /1988/)
    const prow = await f.database.db.selectFrom('member').selectAll().where('id', '=', p.json().id).executeTakeFirstOrThrow()
    assert.equal(prow.birth_date, null)
    assert.ok(prow.birth_enc && !prow.birth_enc.includes('1988'))
    assert.equal((await f.as('ganlin', (ctx) => members.reveal(ctx, p.json().id, 'birthDate', '核对'))).value, '1988-07-09')
  })

  it('one person, one membership: adding a member of another town says where, masked, and writes nothing', async () => {
    const cm = await f.as('chongren', (ctx) => members.get(ctx, f.ids.chongrenMember))
    const clear = (await f.as('chongren', (ctx) => members.reveal(ctx, f.ids.chongrenMember, 'documentNumber', '核对身份'))).value!
    const before = await memberRows()
    const r = await f.send('POST', '/api/members', ganlin, { name: '崇仁会员', documentNumber: clear, unionId: f.ids.ganlinJoint })
    assert.equal(r.statusCode, 409)
    const e = r.json().error
    assert.equal(e.code, 'member_elsewhere')
    assert.match(e.message, /崇仁纺织工会委员会/)
    assert.equal(e.detail.documentNumber, cm.documentNumber)
    assert.doesNotMatch(r.body, new RegExp(clear))
    assert.equal(await memberRows(), before)
    // a 15-digit old number of the same person is the same person
    const old15 = clear.slice(0, 6) + clear.slice(8, 17)
    const r15 = await f.send('POST', '/api/members', ganlin, { name: '崇仁会员', documentNumber: old15, unionId: f.ids.ganlinJoint })
    assert.equal(r15.statusCode, 409)
  })

  it('audits every reveal with its reason, and a viewer may not reveal', async () => {
    const r = await f.send('POST', `/api/members/${f.ids.ganlinMember}/reveal`, ganlin, { field: 'phone', reason: '联系会员' })
    assert.equal(r.json().value, '13905750001')
    const log = await auditEntries(f, 'pii.reveal', { target_type: 'member' })
    assert.ok(log.some((l) => (l.detail as { reason: string }).reason === '联系会员' && l.actor_name === 'ganlin'))
    const viewer = await f.login('viewer')
    const v = await f.send('POST', `/api/members/${f.ids.ganlinMember}/reveal`, viewer, { field: 'phone', reason: '看看' })
    assert.equal(v.statusCode, 403)
  })

  it('keeps the ledger: retirement keeps the membership (保留), leaving ends it, and rejoining elsewhere reuses the record', async () => {
    const m = await addGanlinMember('王五', '19600101', '2010-01-01', { phone: '13900000001' })
    const count0 = await memberCount(f.ids.ganlinJoint)
    const retired = await f.as('ganlin', (ctx) => members.changeStatus(ctx, m.id, { event: '3', reason: '1', occurredOn: '2020-01-01' }))
    assert.equal(retired.status, 'retained')
    assert.equal(await memberCount(f.ids.ganlinJoint), count0, 'a retained member is still a member')
    const left = await f.as('ganlin', (ctx) => members.changeStatus(ctx, m.id, { event: '6', reason: '5', occurredOn: '2021-01-01' }))
    assert.equal(left.status, 'left')
    assert.equal(await memberCount(f.ids.ganlinJoint), count0 - 1)
    await assert.rejects(
      f.as('ganlin', (ctx) => members.changeStatus(ctx, m.id, { event: '3', reason: '1', occurredOn: '2020-06-01' })),
      /不能早于|当前状态/,
    )
    // the person joins again, in 崇仁镇: same record, new union, history kept
    const clear = (await f.as('city', (ctx) => members.reveal(ctx, m.id, 'documentNumber', '核对'))).value!
    const again = await f.as('chongren', (ctx) =>
      members.create(ctx, {
        name: '王五',
        documentType: 'resident_id',
        documentNumber: clear,
        unionId: f.ids.chongrenBase,
        joinedOn: '2022-03-01',
      }),
    )
    assert.equal(again.id, m.id)
    // the row is dated like its new 入会 entry (the service's day, not the database server's clock)
    assert.equal(again.joinedOn, '2022-03-01')
    assert.equal(again.events.at(-1)!.occurredOn, '2022-03-01')
    assert.equal(again.unionId, f.ids.chongrenBase)
    assert.deepEqual(
      again.events.map((e) => e.eventType),
      ['1', '3', '6', '1'],
    )
  })

  it('transfers across towns: requested by the sender, accepted by the receiver, counted once and never lost', async () => {
    const fromCount = await memberCount(f.ids.ganlinJoint)
    const toCount = await memberCount(f.ids.chongrenBase)
    const t = await f.as('ganlin', (ctx) =>
      transfers.request(ctx, { memberId: f.ids.ganlinMember, toUnionId: f.ids.chongrenBase, reason: '1' }),
    )
    assert.equal(t.status, 'pending')
    assert.equal(t.canCancel, true)
    // in flight: still a member of 甘霖镇 only
    assert.equal(await memberCount(f.ids.ganlinJoint), fromCount)
    assert.equal(await memberCount(f.ids.chongrenBase), toCount)
    // both sides see it; the receiver sees the masked member before accepting
    const seenByReceiver = await f.as('chongren', (ctx) => transfers.list(ctx, { direction: 'in', page: 1, pageSize: 20 }))
    assert.ok(seenByReceiver.items.some((x) => x.id === t.id && x.canAccept))
    await assert.rejects(
      f.as('ganlin', (ctx) => transfers.accept(ctx, t.id, null)),
      /只有转入工会/,
    )
    // a second transfer of the same member while one is open is refused
    await assert.rejects(
      f.as('ganlin', (ctx) => transfers.request(ctx, { memberId: f.ids.ganlinMember, toUnionId: f.ids.chongren, reason: '1' })),
      /正在办理/,
    )
    const done = await f.as('chongren', (ctx) => transfers.accept(ctx, t.id, '欢迎'))
    assert.equal(done.status, 'accepted')
    assert.equal(await memberCount(f.ids.ganlinJoint), fromCount - 1)
    assert.equal(await memberCount(f.ids.chongrenBase), toCount + 1)
    const m = await f.as('chongren', (ctx) => members.get(ctx, f.ids.ganlinMember))
    assert.equal(m.unionId, f.ids.chongrenBase)
    assert.deepEqual(
      m.events.slice(-2).map((e) => [e.eventType, e.unionId]),
      [
        ['4', f.ids.ganlinJoint],
        ['2', f.ids.chongrenBase],
      ],
    )
    // and 甘霖镇 no longer sees the member
    await assert.rejects(
      f.as('ganlin', (ctx) => members.get(ctx, f.ids.ganlinMember)),
      /不存在或不在您的管辖范围内/,
    )
  })

  it("a receiving union can ask for a member by document number; the member's union confirms or declines", async () => {
    const clear = (await f.as('chongren', (ctx) => members.reveal(ctx, f.ids.chongrenMember, 'documentNumber', '接转'))).value!
    const t = await f.as('ganlin', (ctx) =>
      transfers.request(ctx, { documentType: 'resident_id', documentNumber: clear, toUnionId: f.ids.ganlinJoint, reason: '1' }),
    )
    assert.equal(t.requestedBy, 'to')
    assert.match(t.memberName, /^崇\*+$/)
    assert.equal(t.fromUnionName, '崇仁纺织工会委员会', "the other side's union is named")
    assert.deepEqual([t.canAccept, t.canCancel], [false, true], 'the asker cannot accept its own request')
    await assert.rejects(
      f.as('ganlin', (ctx) => transfers.accept(ctx, t.id, null)),
      /由会员所在工会确认/,
    )
    const declined = await f.as('chongren', (ctx) => transfers.decline(ctx, t.id, '本人未离职'))
    assert.equal(declined.status, 'rejected')
    const again = await f.as('ganlin', (ctx) =>
      transfers.request(ctx, { documentType: 'resident_id', documentNumber: clear, toUnionId: f.ids.ganlinJoint, reason: '1' }),
    )
    const seen = await f.as('chongren', (ctx) => transfers.get(ctx, again.id))
    assert.equal(seen.canAccept, true)
    await f.as('chongren', (ctx) => transfers.accept(ctx, again.id, '同意转出'))
    const m = await f.as('ganlin', (ctx) => members.get(ctx, f.ids.chongrenMember))
    assert.equal(m.unionId, f.ids.ganlinJoint)
  })
})
