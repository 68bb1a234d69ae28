import { after, describe, it, mock } from 'node:test'
import assert from 'node:assert/strict'
import { importFixture, importSettled, type Fixture } from '../../test/harness.js'
import { TIME_ZONE } from '../../config.js'
import { makeResidentId } from '../../../../common/id-card.js'
import { SYNC_CHECK_BYTES } from './job.js'

const dayIn = (tz: string, at: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)

/**
 * A big file is checked in the background, after the upload request: against the users' day (the
 * configured time zone, 嵊州's), not the UTC date — which, between 00:00 and 08:00 Beijing time, is
 * still yesterday and would call a member who joined today "joined in the future".
 */
describe('the big-file dry run checks against the users’ day', () => {
  let f: Fixture
  let ganlin: Record<string, string>
  after(() => mock.timers.reset())
  importFixture('gh-import-day-', async (fixture) => {
    f = fixture
    ganlin = await f.login('ganlin')
  })

  it('at 01:30 in Beijing, a member who joined today is no error', async () => {
    assert.equal(TIME_ZONE, 'Asia/Shanghai')
    // 17:30 UTC yesterday: already today in Beijing
    const at = new Date()
    at.setUTCDate(at.getUTCDate() - 1)
    at.setUTCHours(17, 30, 0, 0)
    const today = dayIn(TIME_ZONE, at)
    assert.notEqual(today, at.toISOString().slice(0, 10), 'the UTC date is still yesterday')

    // larger than SYNC_CHECK_BYTES: the dry run runs in the background
    const filler = '此列不导入，只为让文件大于同步检查的上限'.repeat(14)
    const lines = ['会员姓名,身份证号码,入会时间,备注']
    for (let q = 1; lines.join('\r\n').length * 3 <= SYNC_CHECK_BYTES * 1.2; q++)
      lines.push(
        `今日${q}号,${makeResidentId('330683', `198001${String(1 + Math.floor(q / 900)).padStart(2, '0')}`, 1 + (q % 900))},${today},${filler}`,
      )
    const data = Buffer.from(lines.join('\r\n') + '\r\n')
    assert.ok(data.length > SYNC_CHECK_BYTES)

    mock.timers.enable({ apis: ['Date'], now: at })
    try {
      const up = await f.app.inject({
        method: 'POST',
        url: `/api/imports?union=${f.ids.ganlinJoint}&fileName=${encodeURIComponent('今天入会.csv')}`,
        payload: data,
        headers: { ...ganlin, 'content-type': 'application/octet-stream' },
      })
      assert.equal(up.statusCode, 201, up.body)
      assert.equal(up.json().status, 'checking', 'checked in the background')
      await importSettled(f, up.json().id)
      const job = (await f.app.inject({ method: 'GET', url: `/api/imports/${up.json().id}`, headers: ganlin })).json()
      const problems = (await f.app.inject({ method: 'GET', url: `/api/imports/${job.id}/problems?pageSize=5`, headers: ganlin })).json()
      assert.equal(job.status, 'checked', job.message)
      assert.deepEqual(problems.items, [])
      assert.deepEqual([job.totalRows, job.errorRows, job.validRows], [lines.length - 1, 0, lines.length - 1])
    } finally {
      mock.timers.reset()
    }
  })
})
