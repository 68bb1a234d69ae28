import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { auditEntry, fixture, residentId, cadres, phoneMembers, unionMessages, type Fixture } from '../../test/harness.js'
import * as members from '../members/members.service.js'
import { hashToken, newSecret, MEMBER_TOKEN_PREFIX } from '../auth/tokens.js'
import { announceReached, sweep } from './proposals.service.js'

/**
 * 建议 · 打call end to end through the HTTP API: posting, supporting once, the threshold's one
 * locked transition into the work plan (200 supports at once), the answer, progress to done, hiding,
 * the sweep that closes what did not reach the threshold and names overdue answers.
 */

let birth = 0
/** Members of a union, made through the register's service as a cadre would. */
async function makeMembers(f: Fixture, cadre: string, unionId: number, n: number): Promise<number[]> {
  return f.as(cadre, async (ctx) => {
    const ids: number[] = []
    for (let i = 0; i < n; i++) {
      const d = new Date(Date.UTC(1970, 0, 1) + birth++ * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '')
      const m = await members.create(ctx, {
        name: `支持者${birth}`,
        documentType: 'resident_id',
        documentNumber: residentId(d),
        unionId,
        joinedOn: '2020-01-01',
      })
      ids.push(m.id)
    }
    return ids
  })
}

/** Phone sessions opened directly (the sign-in itself has its tests): bearer headers per member. */
async function sessions(f: Fixture, ids: number[]): Promise<Record<string, string>[]> {
  const out: Record<string, string>[] = []
  const rows = ids.map((id) => {
    const token = MEMBER_TOKEN_PREFIX + newSecret()
    out.push({ authorization: `Bearer ${token}` })
    return {
      token_hash: hashToken(token),
      phone_hash: `test:${id}`,
      member_id: id,
      csrf_token: newSecret(),
      expires_at: sql<Date>`now() + interval '1 day'`,
    }
  })
  await f.database.db.insertInto('member_session').values(rows).execute()
  return out
}

describe('proposals (建议 · 打call)', () => {
  let f: Fixture
  let ganlin: Record<string, string>
  let chongren: Record<string, string>
  let author: Record<string, string>
  let chongrenMember: Record<string, string>
  let supporters: Record<string, string>[]
  let supporterIds: number[]

  before(async () => {
    f = await fixture()
    ;({ ganlin, chongren } = await cadres(f))
    ;({ ganlin: author, chongren: chongrenMember } = await phoneMembers(f))
    supporterIds = await makeMembers(f, 'ganlin', f.ids.ganlinJoint, 6)
    supporters = await sessions(f, supporterIds)
  })
  after(() => f.close())

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, headers: Record<string, string>, payload?: object) =>
    f.app.inject({ method, url, headers, payload })
  const post = async (headers: Record<string, string>, payload: object) => {
    const r = await call('POST', '/api/my/proposals', headers, payload)
    assert.equal(r.statusCode, 201, r.body)
    return r.json()
  }
  const text = { title: '食堂增加夜班热餐', body: '夜班职工晚上十点后没有热饭，建议食堂夜班供应热餐。', category: 'welfare' }

  it('pins the rule in force when published: the default, then the union level’s own', async () => {
    const first = await post(author, text)
    assert.equal(first.threshold, 200)
    assert.equal(first.status, 'open')
    assert.equal(first.unionId, f.ids.ganlinJoint)
    assert.equal(first.editable, true)
    // 甘霖镇 sets its grassroots unions' rule: 3 supports, 5 working days, 30 days
    const put = await call('PUT', '/api/proposals/rules', ganlin, { level: 'grassroots', threshold: 3, answerDays: 5, periodDays: 30 })
    assert.equal(put.statusCode, 200, put.body)
    const grassroots = put.json().rules.find((r: { level: string }) => r.level === 'grassroots')
    assert.deepEqual([grassroots.threshold, grassroots.source], [3, 'own'])
    // the city's cadre sees the default at its own level, 崇仁镇 sees nothing of 甘霖's rule
    const theirs = await call('GET', '/api/proposals/rules', chongren)
    assert.equal(theirs.json().rules.find((r: { level: string }) => r.level === 'grassroots').threshold, 200)
    const second = await post(author, { ...text, title: '增设职工书屋' })
    assert.equal(second.threshold, 3)
    // the first keeps what it was published with
    assert.equal((await call('GET', `/api/my/proposals/${first.id}`, author)).json().threshold, 200)
    // a regional union (甘霖镇总工会, an ancestor) keeps the default for its level
    const up = await post(author, { ...text, title: '全镇职工运动会', unionId: f.ids.ganlin })
    assert.equal(up.threshold, 200)
    assert.equal(up.unionName, '甘霖镇总工会')
  })

  it('a member posts only to their own union chain and sees nothing of another town', async () => {
    const r = await call('POST', '/api/my/proposals', author, { ...text, unionId: f.ids.chongren })
    assert.equal(r.statusCode, 400, r.body)
    const theirs = await post(chongrenMember, { ...text, title: '崇仁纺织车间降温' })
    const mine = await call('GET', '/api/my/proposals?tab=all', author)
    assert.equal(mine.statusCode, 200)
    assert.doesNotMatch(mine.body, /崇仁/)
    assert.deepEqual(
      mine.json().unions.map((u: { name: string }) => u.name),
      ['嵊州市总工会', '甘霖镇总工会', '甘霖镇联合工会'].filter((n) => mine.body.includes(n)),
    )
    assert.equal((await call('GET', `/api/my/proposals/${theirs.id}`, author)).statusCode, 404)
    assert.equal((await call('POST', `/api/my/proposals/${theirs.id}/support`, author)).statusCode, 404)
    // the cadre of 甘霖镇 neither reads nor answers 崇仁's
    assert.equal((await call('GET', `/api/proposals/${theirs.id}`, ganlin)).statusCode, 404)
    assert.equal((await call('POST', `/api/proposals/${theirs.id}/hide`, ganlin, { hiddenReason: '越权隐藏' })).statusCode, 404)
    assert.doesNotMatch((await call('GET', '/api/proposals', ganlin)).body, /崇仁纺织车间/)
  })

  it('counts one support per member, not the author’s; freezes the text; reaches the threshold once; supports after it count', async () => {
    const p = await post(author, { ...text, title: '厂区增设充电桩' })
    assert.equal(p.threshold, 3)
    assert.equal((await call('POST', `/api/my/proposals/${p.id}/support`, author)).statusCode, 403)
    const a = await call('POST', `/api/my/proposals/${p.id}/support`, supporters[0]!)
    assert.equal(a.statusCode, 200, a.body)
    assert.deepEqual([a.json().outcome, a.json().supportsCount], ['added', 1])
    const again = await call('POST', `/api/my/proposals/${p.id}/support`, supporters[0]!)
    assert.deepEqual([again.json().outcome, again.json().supportsCount], ['already', 1])
    // the text is frozen once a support counted
    const edit = await call('PATCH', `/api/my/proposals/${p.id}`, author, { ...text, title: '改过的标题' })
    assert.equal(edit.statusCode, 409, edit.body)
    await call('POST', `/api/my/proposals/${p.id}/support`, supporters[1]!)
    // the third reaches the threshold: the database announces it when the support commits
    // listening before the support that reaches it (LISTEN is a round trip on PostgreSQL)
    let hear: (payload: string) => void = () => {}
    const heard = new Promise<string>((resolve) => (hear = resolve))
    const stop = await f.database.listen('proposal_reached', (payload) => hear(payload))
    const third = await call('POST', `/api/my/proposals/${p.id}/support`, supporters[2]!)
    assert.deepEqual([third.json().outcome, third.json().supportsCount], ['added', 3])
    assert.equal(await heard, String(p.id))
    await stop()
    // told once: the cadres, the author and every supporter
    assert.deepEqual(await announceReached(f.database.db, f.pii), [p.id])
    assert.deepEqual(await announceReached(f.database.db, f.pii), [])
    const fourth = await call('POST', `/api/my/proposals/${p.id}/support`, supporters[3]!)
    assert.deepEqual([fourth.json().outcome, fourth.json().supportsCount, fourth.json().status], ['added', 4, 'reached'])
    const db = f.database.db
    const rows = await db.selectFrom('proposal_support').select('member_id').where('proposal_id', '=', p.id).execute()
    assert.equal(rows.length, 4)
    const plan = await db.selectFrom('work_plan_item').selectAll().where('proposal_id', '=', p.id).execute()
    assert.equal(plan.length, 1)
    const cadreMail = await db.selectFrom('message').select('title').where('org_id', '=', f.ids.ganlinJoint).execute()
    assert.ok(cadreMail.some((m) => /厂区增设充电桩.*已达到3人支持/.test(m.title)))
    const told = await db
      .selectFrom('message')
      .select('member_id')
      .where('kind', '=', 'threshold_reached')
      .where('member_id', 'is not', null)
      .execute()
    assert.deepEqual(told.map((m) => Number(m.member_id)).sort(), [f.ids.ganlinMember, ...supporterIds.slice(0, 3)].sort())
    // the queue and the work plan show it, with the due date of the answer
    const detail = (await call('GET', `/api/proposals/${p.id}`, ganlin)).json()
    assert.equal(detail.status, 'reached')
    assert.ok(detail.answerDueOn > detail.reachedAt.slice(0, 10))
    assert.equal(detail.workPlanItemId, plan[0]!.id)
    const items = (await call('GET', '/api/proposals/work-plan', ganlin)).json()
    assert.ok(items.items.some((w: { proposalId: number }) => w.proposalId === p.id))
    // a member of the subtree sees it supported; a hidden list does not hold other towns
    const seen = (await call('GET', `/api/my/proposals/${p.id}`, supporters[0]!)).json()
    assert.deepEqual([seen.supported, seen.canSupport, seen.frozen], [true, false, true])
  })

  it('a support points at a proposal that exists, and a supported proposal cannot be deleted (23503, without a key lock)', async () => {
    const p = await post(author, { ...text, title: '食堂延长供餐时间' })
    assert.equal((await call('POST', `/api/my/proposals/${p.id}/support`, supporters[0]!)).statusCode, 200)
    const db = f.database.db
    const refused = (e: { code?: string; message?: string }) => e.code === '23503' && /proposal/.test(e.message ?? '')
    // deleting it, even as the owner, is refused, and it stays
    await assert.rejects(sql`delete from proposal where id = ${p.id}`.execute(db), refused)
    assert.ok(await db.selectFrom('proposal').select('id').where('id', '=', p.id).executeTakeFirst())
    // a support of a proposal that is not there is refused when it commits, and nothing stays
    const nowhere = p.id + 1_000_000
    await assert.rejects(
      db.transaction().execute(async (tx) => {
        await sql`insert into proposal_support (proposal_id, member_id, org_path) select ${nowhere}, ${supporterIds[0]!}, org_path from proposal where id = ${p.id}`.execute(
          tx,
        )
      }),
      refused,
    )
    assert.equal((await db.selectFrom('proposal_support').select('member_id').where('proposal_id', '=', nowhere).execute()).length, 0)
  })

  it('the author edits the text while no support counts; nobody else may; once a support counts, refused with a clear message', async () => {
    const p = await post(author, { ...text, title: '增设母婴室' })
    assert.equal(p.editable, true)
    const edited = { title: '增设母婴室和哺乳间', body: '厂区女职工多，建议增设母婴室和哺乳间，配冰箱和洗手池。', category: 'welfare' }
    const e = await call('PATCH', `/api/my/proposals/${p.id}`, author, edited)
    assert.equal(e.statusCode, 200, e.body)
    assert.deepEqual([e.json().title, e.json().body, e.json().editable, e.json().supportsCount], [edited.title, edited.body, true, 0])
    const audit = await auditEntry(f, 'proposal.edit', { target_id: String(p.id) })
    assert.deepEqual((audit.detail as { before: { title: string } }).before.title, '增设母婴室')
    // bad input names the field; another member of the union may not, one of another town does not see it
    const empty = await call('PATCH', `/api/my/proposals/${p.id}`, author, { ...edited, title: ' ' })
    assert.equal(empty.statusCode, 400)
    assert.ok(empty.json().error.fields.title, empty.body)
    const other = await call('PATCH', `/api/my/proposals/${p.id}`, supporters[5]!, { ...edited, title: '别人改的' })
    assert.equal(other.statusCode, 403, other.body)
    assert.equal((await call('PATCH', `/api/my/proposals/${p.id}`, chongrenMember, { ...edited, title: '外镇改的' })).statusCode, 404)
    // the first support freezes it
    assert.equal((await call('POST', `/api/my/proposals/${p.id}/support`, supporters[5]!)).statusCode, 200)
    const seen = (await call('GET', `/api/my/proposals/${p.id}`, author)).json()
    assert.deepEqual([seen.editable, seen.frozen], [false, true])
    const late = await call('PATCH', `/api/my/proposals/${p.id}`, author, { ...edited, title: '支持后再改' })
    assert.equal(late.statusCode, 409)
    assert.match(late.json().error.message, /已有会员支持这条建议，内容已冻结，不能再修改/)
    const row = await f.database.db.selectFrom('proposal').select(['title', 'body']).where('id', '=', p.id).executeTakeFirstOrThrow()
    assert.deepEqual([row.title, row.body], [edited.title, edited.body])
  })

  it('the union answers, tracks progress to done, every supporter told; declining and hiding say why', async () => {
    const p = await post(author, { ...text, title: '更衣室加装空调' })
    for (const s of supporters.slice(0, 3)) await call('POST', `/api/my/proposals/${p.id}/support`, s)
    assert.deepEqual(await announceReached(f.database.db, f.pii), [p.id])
    assert.equal((await call('POST', `/api/proposals/${p.id}/progress`, ganlin, { percent: 10, note: '尚未答复' })).statusCode, 409)
    const viewer = await f.login('viewer')
    assert.equal((await call('POST', `/api/proposals/${p.id}/answer`, viewer, { verdict: 'accept', reply: '同意' })).statusCode, 403)
    const accepted = await call('POST', `/api/proposals/${p.id}/answer`, ganlin, {
      verdict: 'accept',
      reply: '纳入本年度工作计划，与企业协商落实',
    })
    assert.equal(accepted.statusCode, 200, accepted.body)
    assert.equal(accepted.json().status, 'accepted')
    assert.equal((await call('POST', `/api/proposals/${p.id}/answer`, ganlin, { verdict: 'decline', reply: '再答一次' })).statusCode, 409)
    const half = await call('POST', `/api/proposals/${p.id}/progress`, ganlin, { percent: 50, note: '企业已采购空调' })
    assert.equal(half.json().status, 'in_progress')
    assert.equal((await call('POST', `/api/proposals/${p.id}/progress`, ganlin, { percent: 40, note: '倒退' })).statusCode, 400)
    const done = await call('POST', `/api/proposals/${p.id}/progress`, ganlin, { percent: 100, note: '空调已安装使用' })
    assert.equal(done.json().status, 'done')
    assert.equal(done.json().progressEntries.length, 2)
    // the member sees the answer and the dated progress
    const seen = (await call('GET', `/api/my/proposals/${p.id}`, supporters[2]!)).json()
    assert.equal(seen.answer, '纳入本年度工作计划，与企业协商落实')
    assert.deepEqual(
      seen.progressEntries.map((e: { percent: number }) => e.percent),
      [50, 100],
    )
    const mail = (await call('GET', '/api/my/messages', supporters[2]!)).json()
    const kinds = mail.items.filter((m: { title: string }) => m.title.includes('更衣室加装空调')).map((m: { kind: string }) => m.kind)
    assert.deepEqual(kinds.sort(), ['proposal_answered', 'proposal_progress', 'proposal_progress', 'threshold_reached'].sort())
    // the answer and done go by SMS too (the author has a phone on record)
    const sms = await f.database.db.selectFrom('sms_outbox').select('body_enc').execute()
    assert.ok(sms.some((s) => f.pii.decrypt(s.body_enc).includes('更衣室加装空调')))

    // declined with reasons
    const q = await post(author, { ...text, title: '每周发放水果' })
    for (const s of supporters.slice(0, 3)) await call('POST', `/api/my/proposals/${q.id}/support`, s)
    const declined = await call('POST', `/api/proposals/${q.id}/answer`, ganlin, { verdict: 'decline', reply: '经费不足，改为节日慰问' })
    assert.equal(declined.json().status, 'declined')
    assert.equal((await call('POST', `/api/my/proposals/${q.id}/support`, supporters[4]!)).statusCode, 409)

    // hidden with a reason: the author is told and still sees it, nobody else does
    const h = await post(author, { ...text, title: '不当言论' })
    const hidden = await call('POST', `/api/proposals/${h.id}/hide`, ganlin, { hiddenReason: '含人身攻击内容' })
    assert.equal(hidden.json().status, 'hidden')
    assert.equal((await call('GET', `/api/my/proposals/${h.id}`, supporters[0]!)).statusCode, 404)
    const own = (await call('GET', `/api/my/proposals/${h.id}`, author)).json()
    assert.deepEqual([own.status, own.hiddenReason], ['hidden', '含人身攻击内容'])
    assert.match((await call('GET', '/api/my/messages', author)).body, /不当言论.*已被隐藏/)
    const audit = await f.database.db.selectFrom('audit_log').select('action').where('action', 'like', 'proposal.%').execute()
    for (const a of ['proposal.create', 'proposal.reached', 'proposal.accept', 'proposal.decline', 'proposal.progress', 'proposal.hide'])
      assert.ok(
        audit.some((x) => x.action === a),
        `${a} not audited`,
      )
  })

  it('the sweep closes what missed the threshold in its period and names overdue answers once', async () => {
    const db = f.database.db
    const p = await post(author, { ...text, title: '过期的建议' })
    await call('POST', `/api/my/proposals/${p.id}/support`, supporters[5]!)
    await db.updateTable('proposal').set({ closes_on: '2020-01-01' }).where('id', '=', p.id).execute()
    // past its period it takes no support even before the sweep
    assert.equal((await call('POST', `/api/my/proposals/${p.id}/support`, supporters[4]!)).statusCode, 409)
    const late = await post(author, { ...text, title: '逾期未答复' })
    for (const s of supporters.slice(0, 3)) await call('POST', `/api/my/proposals/${late.id}/support`, s)
    await db.updateTable('proposal').set({ answer_due_on: '2020-01-01' }).where('id', '=', late.id).execute()
    const today = new Date().toISOString().slice(0, 10)
    const r = await sweep(db, today)
    assert.deepEqual(r, { closed: 1, reminded: 1 })
    assert.deepEqual(await sweep(db, today), { closed: 0, reminded: 0 })
    assert.equal((await call('GET', `/api/my/proposals/${p.id}`, author)).json().status, 'closed')
    assert.match((await call('GET', '/api/my/messages', supporters[5]!)).body, /过期的建议.*已关闭/)
    const due = await unionMessages(f, f.ids.ganlinJoint, 'answer_due')
    assert.deepEqual(
      due.map((m) => m.title),
      ['建议「逾期未答复」答复已超期'],
    )
    // the queue puts the overdue answer first, marked
    const queue = (await call('GET', '/api/proposals', ganlin)).json()
    assert.deepEqual([queue.items[0].id, queue.items[0].overdue], [late.id, true])
    const overdue = (await call('GET', '/api/proposals?overdue=true', ganlin)).json()
    assert.deepEqual(
      overdue.items.map((x: { id: number }) => x.id),
      [late.id],
    )
    const answered = (await call('POST', `/api/proposals/${late.id}/answer`, ganlin, { verdict: 'accept', reply: '同意' })).json()
    assert.equal(answered.answeredLate, true)
  })

  it('200 supports at once on a threshold of 200: each counted once, one plan entry; one member’s double tap, one row', async () => {
    const db = f.database.db
    const ids = await makeMembers(f, 'ganlin', f.ids.ganlinJoint, 200)
    const heads = await sessions(f, ids)
    await call('PUT', '/api/proposals/rules', ganlin, { level: 'grassroots', threshold: 200, answerDays: 5, periodDays: 30 })
    const p = await post(author, { ...text, title: '二百人打call' })
    assert.equal(p.threshold, 200)
    const answers = await Promise.all(heads.map((h) => call('POST', `/api/my/proposals/${p.id}/support`, h)))
    for (const a of answers) assert.equal(a.statusCode, 200, a.body)
    // each answer: added, with the count as it stood when made (others not yet committed are not in it)
    for (const a of answers) {
      assert.equal(a.json().outcome, 'added')
      assert.ok(a.json().supportsCount >= 1 && a.json().supportsCount <= 200, a.body)
    }
    // two servers told at once: each proposal (this one and any other not yet told) by one of them
    const told = (await Promise.all([announceReached(db, f.pii), announceReached(db, f.pii)])).flat()
    assert.equal(told.filter((id) => id === p.id).length, 1)
    assert.equal(new Set(told).size, told.length)
    const mail = await db
      .selectFrom('message')
      .select((eb) => ['member_id', eb.fn.countAll<string>().as('n')])
      .where('kind', '=', 'threshold_reached')
      .where('link', 'like', `%/${p.id}`)
      .where('member_id', 'in', ids)
      .groupBy('member_id')
      .execute()
    assert.equal(mail.length, 200)
    assert.ok(mail.every((m) => Number(m.n) === 1))
    const row = await db.selectFrom('proposal').select(['supports_count', 'status']).where('id', '=', p.id).executeTakeFirstOrThrow()
    assert.deepEqual([row.supports_count, row.status], [200, 'reached'])
    const supports = await db
      .selectFrom('proposal_support')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('proposal_id', '=', p.id)
      .executeTakeFirstOrThrow()
    assert.equal(Number(supports.n), 200)
    assert.equal((await db.selectFrom('work_plan_item').select('id').where('proposal_id', '=', p.id).execute()).length, 1)
    const reached = await db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'proposal.reached')
      .where('target_id', '=', String(p.id))
      .execute()
    assert.equal(reached.length, 1)

    // one member tapping ten times at once: one row, one count
    const q = await post(author, { ...text, title: '连点十次' })
    const taps = await Promise.all(Array.from({ length: 10 }, () => call('POST', `/api/my/proposals/${q.id}/support`, supporters[0]!)))
    for (const t of taps) assert.equal(t.statusCode, 200, t.body)
    assert.equal(taps.filter((t) => t.json().outcome === 'added').length, 1)
    const one = await db.selectFrom('proposal').select('supports_count').where('id', '=', q.id).executeTakeFirstOrThrow()
    assert.equal(one.supports_count, 1)
    assert.equal((await db.selectFrom('proposal_support').select('member_id').where('proposal_id', '=', q.id).execute()).length, 1)
  })
})
