import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { auditEntries, cadres, fixture, type Cadres, type Fixture } from '../../test/harness.js'
import type { RoundBoard } from '../../../../common/forms.js'

/** 报送截止日期, 逾期, 催报 and the board of a batch (issue 13 item 8). */
describe('reporting rounds: deadline, overdue, 催报 and the board', () => {
  let f: Fixture
  let by: Cadres
  let later: string
  let ids: number[]
  const asOf = '2026-06-30'

  const board = async (h: Record<string, string>, q = `?form=form2&asOf=${asOf}`) => {
    const r = await f.get(`/api/report-rounds/board${q}`, h)
    assert.equal(r.statusCode, 200, r.body)
    return r.json() as RoundBoard
  }
  const unread = async (h: Record<string, string>) =>
    (await f.get('/api/messages', h)).json().items.filter((m: { kind: string }) => m.kind === 'round_reminder')

  before(async () => {
    f = await fixture()
    by = await cadres(f)
    const d = new Date(by.today + 'T00:00:00Z')
    d.setUTCDate(d.getUTCDate() + 7)
    later = d.toISOString().slice(0, 10)
  })
  after(() => f.close())

  it('a deadline is set when the rounds are opened, never before today', async () => {
    const past = await f.send('POST', '/api/report-rounds', by.city, {
      form: 'form2',
      asOf,
      orgIds: [f.ids.ganlin],
      deadline: '2020-01-01',
    })
    assert.equal(past.statusCode, 400)
    assert.match(past.json().error.message, /报送截止日期不能早于今天/)
    const opened = await f.send('POST', '/api/report-rounds', by.city, {
      form: 'form2',
      asOf,
      orgIds: [f.ids.ganlin, f.ids.chongren],
      deadline: later,
    })
    assert.equal(opened.statusCode, 201, opened.body)
    ids = opened.json().ids
    const list = (await f.get('/api/report-rounds?form=form2', by.city)).json()
    assert.deepEqual(
      list.items.map((x: { deadline: string; state: string }) => [x.deadline, x.state]),
      [
        [later, 'open'],
        [later, 'open'],
      ],
    )
    const history = (await f.get(`/api/report-rounds/${ids[0]}`, by.city)).json().history
    assert.equal(history[0].comment, `报送截止日期 ${later}`)
  })

  it('the board shows every unit and the counts; a town sees only its own', async () => {
    const b = await board(by.city, '')
    assert.equal(b.batch?.form, 'form2')
    assert.equal(b.batch?.asOf, asOf)
    assert.equal(b.batch?.deadline, later)
    assert.deepEqual(b.counts, { open: 2, submitted: 0, approved: 0, returned: 0, overdue: 0 })
    assert.deepEqual(b.items.map((i) => i.orgName).sort(), ['崇仁镇总工会', '甘霖镇总工会'])
    assert.equal(b.canSetDeadline, true)
    assert.ok(b.items.every((i) => i.canRemind))
    const own = await board(by.ganlin)
    assert.deepEqual(
      own.items.map((i) => i.orgName),
      ['甘霖镇总工会'],
    )
    // a town does not chase itself nor move its own deadline
    assert.equal(own.items[0]!.canRemind, false)
    assert.equal(own.canSetDeadline, false)
    const move = await f.send('PUT', '/api/report-rounds/board/deadline', by.ganlin, { form: 'form2', asOf, deadline: later })
    assert.equal(move.statusCode, 403)
    const chase = await f.send('POST', '/api/report-rounds/board/remind', by.ganlin, { form: 'form2', asOf })
    assert.equal(chase.statusCode, 403)
    assert.ok((await board(by.viewer)).items.length >= 1)
    assert.equal((await f.send('POST', '/api/report-rounds/board/remind', by.viewer, { form: 'form2', asOf })).statusCode, 403)
  })

  it('a unit past its deadline is 逾期; the submitted and approved never are', async () => {
    // 甘霖镇 submits; then the deadline passes (set in the database: the API refuses a past date)
    const sub = await f.send('POST', `/api/report-rounds/${ids[0]}/submit`, by.ganlin, {})
    assert.equal(sub.statusCode, 200, sub.body)
    await f.database.db.updateTable('report_round').set({ deadline: '2026-01-01' }).where('form', '=', 'form2').execute()
    const b = await board(by.city)
    assert.deepEqual(b.counts, { open: 0, submitted: 1, approved: 0, returned: 0, overdue: 1 })
    assert.deepEqual(
      b.items.map((i) => [i.orgName, i.state, i.canRemind]),
      [
        ['崇仁镇总工会', 'overdue', true],
        ['甘霖镇总工会', 'submitted', false],
      ],
    )
    const summary = (await f.get(`/api/report-rounds/${ids[1]}`, by.chongren)).json()
    assert.equal(summary.state, 'overdue')
  })

  it("催报 tells the lagging unit's cadres, once a day, audited and in the history", async () => {
    assert.equal((await unread(by.chongren)).length, 0)
    const r = await f.send('POST', '/api/report-rounds/board/remind', by.city, { form: 'form2', asOf })
    assert.equal(r.statusCode, 200, r.body)
    // only the lagging unit: 甘霖镇 has submitted
    assert.deepEqual(r.json(), { sent: ['崇仁镇总工会'], skipped: ['甘霖镇总工会'] })
    const msgs = await unread(by.chongren)
    assert.equal(msgs.length, 1)
    assert.equal(msgs[0].title, '催报：附件2 拟建联合工会规划申报表')
    assert.match(msgs[0].body, /报送截止日期 2026-01-01 已过/)
    assert.equal(msgs[0].link, `/forms?tab=rounds&round=${ids[1]}`)
    assert.equal((await unread(by.ganlin)).length, 0)
    // a second 催报 the same day sends nothing
    const again = await f.send('POST', '/api/report-rounds/board/remind', by.city, { form: 'form2', asOf, ids: [ids[1]] })
    assert.deepEqual(again.json(), { sent: [], skipped: ['崇仁镇总工会'] })
    assert.equal((await unread(by.chongren)).length, 1)
    const b = await board(by.city)
    const unit = b.items.find((i) => i.id === ids[1])!
    assert.deepEqual([unit.remindedOn, unit.reminders, unit.canRemind], [by.today, 1, false])
    const history = (await f.get(`/api/report-rounds/${ids[1]}`, by.city)).json().history
    assert.deepEqual(history.at(-1).action, 'remind')
    const audit = await auditEntries(f, 'form.round.remind')
    assert.deepEqual(
      audit.map((a) => Number(a.target_id)),
      [ids[1]],
    )
    // the next day it may be sent again
    await f.database.db.updateTable('report_round').set({ reminded_on: '2026-01-02' }).where('id', '=', ids[1]!).execute()
    assert.deepEqual((await f.send('POST', '/api/report-rounds/board/remind', by.city, { form: 'form2', asOf })).json().sent, [
      '崇仁镇总工会',
    ])
    assert.equal((await unread(by.chongren)).length, 2)
  })

  it('an id outside the batch or the jurisdiction is refused', async () => {
    const other = await f.send('POST', '/api/report-rounds/board/remind', by.city, { form: 'form2', asOf, ids: [999999] })
    assert.equal(other.statusCode, 400)
    assert.match(other.json().error.message, /不在该批填报中/)
    const none = await f.send('POST', '/api/report-rounds/board/remind', by.city, { form: 'form1', asOf })
    assert.equal(none.statusCode, 404)
  })

  it('the unions above move the deadline: 逾期 ends, approved rounds keep theirs, recorded', async () => {
    const past = await f.send('PUT', '/api/report-rounds/board/deadline', by.city, { form: 'form2', asOf, deadline: '2020-01-01' })
    assert.equal(past.statusCode, 400)
    const moved = await f.send('PUT', '/api/report-rounds/board/deadline', by.city, { form: 'form2', asOf, deadline: later })
    assert.equal(moved.statusCode, 200, moved.body)
    assert.equal(moved.json().changed, 2)
    const b = await board(by.city)
    assert.deepEqual(b.counts, { open: 1, submitted: 1, approved: 0, returned: 0, overdue: 0 })
    const history = (await f.get(`/api/report-rounds/${ids[1]}`, by.city)).json().history
    assert.deepEqual([history.at(-1).action, history.at(-1).comment], ['deadline', `2026-01-01 → ${later}`])
    const n = await f.database.db
      .selectFrom('audit_log')
      .select((e) => e.fn.countAll<string>().as('n'))
      .where('action', '=', 'form.round.deadline')
      .executeTakeFirstOrThrow()
    assert.equal(Number(n.n), 2)
  })
})
