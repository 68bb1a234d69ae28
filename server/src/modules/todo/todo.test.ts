import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { applyPublic, cadres, fixture, residentId, type Cadres, type Fixture } from '../../test/harness.js'
import type { TodoCounts } from '../../../../common/todo.js'
import * as transfers from '../transfers/transfers.service.js'
import { notify } from '../messages/notify.js'

describe('待办: what waits for the caller union', () => {
  let f: Fixture
  let by: Cadres

  const todo = async (h: Record<string, string>) => {
    const r = await f.app.inject({ method: 'GET', url: '/api/todo', headers: h })
    assert.equal(r.statusCode, 200, r.body)
    return r.json() as TodoCounts
  }

  before(async () => {
    f = await fixture()
    by = await cadres(f)
  })
  after(() => f.close())

  it('counts applications, the overdue ones, transfers, rounds and unread messages, each where it waits', async () => {
    const before = { city: await todo(by.city), ganlin: await todo(by.ganlin), chongren: await todo(by.chongren) }

    // an application to join 崇仁纺织: 崇仁镇 reviews it (and the city above it sees it waiting), 甘霖镇 does not
    const applied = await applyPublic(f, {
      documentType: 'resident_id',
      consentPrivacy: true,
      consentSensitive: true,
      name: '待办申请人',
      documentNumber: residentId('19910101'),
      phone: '13905750031',
      enterpriseId: f.ids.chongrenEnterprise,
      workplace: '崇仁纺织有限公司',
    })
    assert.equal(applied.statusCode, 201, applied.body)
    // a transfer asked by 甘霖镇 for its member to 崇仁镇's base union: 崇仁镇 answers it
    await f.as('ganlin', (ctx) => transfers.request(ctx, { memberId: f.ids.ganlinMember, toUnionId: f.ids.chongrenBase, reason: '1' }))
    // a round the city opens for 甘霖镇: 甘霖镇 submits it, then the city approves it
    const opened = await f.send('POST', '/api/report-rounds', by.city, { form: 'form1', asOf: by.today, orgIds: [f.ids.ganlin] })
    assert.equal(opened.statusCode, 201, opened.body)
    // a message to 甘霖镇's cadres
    await f.as('ganlin', (ctx) =>
      notify(ctx, { orgId: f.ids.ganlin, orgPath: ctx.actor.scopePath! }, { kind: 'answer_due', title: '待办消息', body: '请处理' }),
    )

    const c = await todo(by.chongren)
    assert.equal(c.applications, before.chongren.applications + 1)
    assert.equal(c.transfers, before.chongren.transfers + 1)
    assert.equal(c.roundsToSubmit, before.chongren.roundsToSubmit)
    const g = await todo(by.ganlin)
    assert.equal(g.applications, before.ganlin.applications, '甘霖镇 counts 崇仁镇 application')
    assert.equal(g.transfers, before.ganlin.transfers, 'the asking side waits for nothing')
    assert.equal(g.roundsToSubmit, before.ganlin.roundsToSubmit + 1)
    assert.equal(g.roundsToApprove, 0)
    assert.equal(g.unreadMessages, before.ganlin.unreadMessages + 1)
    assert.equal(g.menu.total, g.applications + g.transfers + g.roundsToSubmit + g.roundsToApprove + g.unreadMessages)
    const top = await todo(by.city)
    assert.equal(top.applications, before.city.applications + 1)
    assert.equal(top.roundsToSubmit, before.city.roundsToSubmit, 'the city does not fill in a town round')

    // submitted: it leaves 甘霖镇's list and waits for the city
    const round = opened.json().ids[0] as number
    const submitted = await f.send('POST', `/api/report-rounds/${round}/submit`, by.ganlin)
    assert.equal(submitted.statusCode, 200, submitted.body)
    assert.equal((await todo(by.ganlin)).roundsToSubmit, before.ganlin.roundsToSubmit)
    assert.equal((await todo(by.city)).roundsToApprove, before.city.roundsToApprove + 1)
  })

  it('an application past its 办理期限 is overdue', async () => {
    const before = await todo(by.chongren)
    await f.database.db.updateTable('application').set({ due_on: '2020-01-02' }).where('name', '=', '待办申请人').execute()
    const after = await todo(by.chongren)
    assert.equal(after.overdueApplications, before.overdueApplications + 1)
    assert.equal((await todo(by.ganlin)).overdueApplications, 0)
  })

  it('a round past its 报送截止日期 and not submitted is overdue: the unit submits it, the unions above 催报', async () => {
    const opened = await f.send('POST', '/api/report-rounds', by.city, {
      form: 'form1',
      asOf: '2026-06-30',
      orgIds: [f.ids.ganlin, f.ids.chongren],
      deadline: by.today,
    })
    assert.equal(opened.statusCode, 201, opened.body)
    const [ganlinRound, chongrenRound] = opened.json().ids as number[]
    const before = { city: await todo(by.city), ganlin: await todo(by.ganlin), chongren: await todo(by.chongren) }
    // not yet: the deadline is today
    assert.equal(before.ganlin.overdueRoundsToSubmit, 0)
    assert.equal(before.city.overdueRoundsBelow, 0)
    // the deadline passes (set in the database: the API refuses a past date); 崇仁镇 had submitted in time
    const submitted = await f.send('POST', `/api/report-rounds/${chongrenRound}/submit`, by.chongren)
    assert.equal(submitted.statusCode, 200, submitted.body)
    await f.database.db
      .updateTable('report_round')
      .set({ deadline: '2026-01-05' })
      .where('id', 'in', [ganlinRound!, chongrenRound!])
      .execute()

    const g = await todo(by.ganlin)
    assert.equal(g.overdueRoundsToSubmit, 1, '甘霖镇 is late with its own')
    assert.equal(g.roundsToSubmit, before.ganlin.roundsToSubmit, 'an overdue round is still one to submit, counted once')
    assert.equal(g.overdueRoundsBelow, 0, 'nothing below 甘霖镇 is late')
    assert.equal(g.menu.rounds, g.roundsToSubmit + g.roundsToApprove)
    const c = await todo(by.chongren)
    assert.equal(c.overdueRoundsToSubmit, 0, 'a submitted round is never overdue')
    const top = await todo(by.city)
    assert.equal(top.overdueRoundsBelow, 1, 'the city sees 甘霖镇 late, not 崇仁镇 which submitted')
    assert.equal(top.overdueRoundsToSubmit, 0)
    assert.equal(top.menu.rounds, top.roundsToSubmit + top.roundsToApprove + top.overdueRoundsBelow)
    assert.equal(top.menu.total, top.menu.applications + top.menu.transfers + top.menu.rounds + top.unreadMessages)

    // the board names the batch with its overdue units
    const board = await f.app.inject({ method: 'GET', url: '/api/report-rounds/board?form=form1&asOf=2026-06-30', headers: by.city })
    assert.equal(board.statusCode, 200, board.body)
    assert.equal(board.json().batch.overdue, 1)
    assert.equal(board.json().counts.overdue, 1)

    // 甘霖镇 submits: nothing is late any more
    const late = await f.send('POST', `/api/report-rounds/${ganlinRound}/submit`, by.ganlin)
    assert.equal(late.statusCode, 200, late.body)
    assert.equal((await todo(by.ganlin)).overdueRoundsToSubmit, 0)
    assert.equal((await todo(by.city)).overdueRoundsBelow, 0)
  })

  it('a reader sees the counts but no badges: nothing there is theirs to act on', async () => {
    // 甘霖镇 is asked for another round; its reader sees it waiting, and the message, but no badge for the round
    const opened = await f.send('POST', '/api/report-rounds', by.city, { form: 'form2', asOf: by.today, orgIds: [f.ids.ganlin] })
    assert.equal(opened.statusCode, 201, opened.body)
    const v = await todo(by.viewer)
    const { menu: _, ...counts } = await todo(by.ganlin)
    assert.deepEqual({ ...v, menu: undefined }, { ...counts, menu: undefined })
    assert.ok(v.roundsToSubmit > 0 && v.unreadMessages > 0)
    assert.deepEqual(v.menu, { applications: 0, transfers: 0, rounds: 0, total: v.unreadMessages })
  })
})
