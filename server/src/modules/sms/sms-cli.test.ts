import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { auditEntries, fixture, residentId, type Fixture } from '../../test/harness.js'
import { runCli } from '../../cli.js'
import * as members from '../members/members.service.js'

/** Without a gateway the code waits, sealed, in the outbox; the operator reads it on the command line. */
describe('sms outbox', () => {
  let f: Fixture
  before(async () => {
    f = await fixture()
  })
  after(() => f.close())

  it('keeps the waiting message sealed and the code only as a keyed hash; the command line takes only --mark-sent', async () => {
    const doc = residentId('19970707')
    await f.as('ganlin', (ctx) =>
      members.create(ctx, {
        name: '短信会员',
        documentType: 'resident_id',
        documentNumber: doc,
        phone: '13905751111',
        unionId: f.ids.ganlinJoint,
      }),
    )
    const r = await f.app.inject({
      method: 'POST',
      url: '/api/public/codes',
      payload: { purpose: 'joining', phone: '13905751111' },
    })
    assert.equal(r.statusCode, 200, r.body)
    assert.doesNotMatch(r.body, /1390575/, 'the answer names the phone')
    const row = await f.database.db.selectFrom('sms_outbox').selectAll().executeTakeFirstOrThrow()
    assert.doesNotMatch(JSON.stringify(row), /13905751111|验证码/, 'the outbox keeps the number or the text in clear')
    const kept = await f.database.db.selectFrom('one_time_code').selectAll().executeTakeFirstOrThrow()
    const lines: string[] = []
    const code = /验证码 (\d{6})/.exec(f.pii.decrypt(row.body_enc))![1]!
    assert.doesNotMatch(JSON.stringify(kept), new RegExp(code), 'the code is kept in clear')
    assert.equal(kept.phone_hash, f.pii.hash('phone:13905751111'))
    assert.equal(
      await runCli(['sms', 'outbox', '--bogus'], { database: f.database, out: (l) => lines.push(l), err: (l) => lines.push(l) }),
      2,
    )
  })

  it('shows the operator the waiting messages in clear, records that in the audit log, and marks them sent', async () => {
    const io = (lines: string[]) => ({
      database: f.database,
      env: { GONGHUI_PII_KEY: JSON.stringify(f.ring) },
      out: (l: string) => lines.push(l),
      err: (l: string) => lines.push(l),
    })
    const reads = () => auditEntries(f, 'sms.outbox_read')
    const lines: string[] = []
    assert.equal(await runCli(['sms', 'outbox', '--mark-sent'], io(lines)), 0, lines.join('\n'))
    assert.match(lines.join('\n'), /13905751111 {2}【工会】您正在网上申请入会，验证码 \d{6}/)
    assert.match(lines.join('\n'), /已将 1 条标记为已发送/)
    const [read, ...more] = await reads()
    assert.ok(read, 'reading the outbox left no audit entry')
    assert.equal(more.length, 0)
    assert.doesNotMatch(JSON.stringify(read), /13905751111|验证码 \d/, 'the audit entry keeps what was read')
    // nothing waits any more: nothing read, nothing recorded
    const again: string[] = []
    assert.equal(await runCli(['sms', 'outbox'], io(again)), 0)
    assert.deepEqual(again, ['短信待发箱为空'])
    assert.equal((await reads()).length, 1)
  })
})
