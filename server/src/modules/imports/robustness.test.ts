import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import iconv from 'iconv-lite'
import { sql } from 'kysely'
import { countRows, csv, importFixture, importJob, importSettled, residentId, uploadRoster, type Fixture } from '../../test/harness.js'
import { verify as statsVerify } from '../stats/stats.repository.js'

/**
 * The "Bad input" cases that imports.test.ts does not already show: two imports of
 * overlapping people into the same union at the same time (imports.test.ts races two unions), and
 * a GB18030 file with characters outside GBK (rare surnames), read as what it is, not as UTF-8.
 * The statistics kept by triggers stay equal to a recount throughout.
 */
describe('roster import: more bad input', () => {
  let f: Fixture
  let ganlin: Record<string, string>
  importFixture('gh-imports-robust-', async (fixture) => {
    f = fixture
    ganlin = await f.login('ganlin')
  })

  const upload = (union: number, fileName: string, data: Buffer | string) => uploadRoster(f.app, ganlin, union, fileName, data)
  const job = (id: number) => importJob(f, ganlin, id)
  const memberCount = () => countRows(f, 'member')
  const assertStatsRight = async () => {
    const v = await f.database.db.transaction().execute((tx) => statsVerify(tx))
    assert.deepEqual(v.differences, [])
    assert.deepEqual(v.ledgerMismatches, [])
  }

  it('two imports of overlapping people into the same union at the same time: each person once, one 入会 each', async () => {
    const shared = Array.from({ length: 20 }, (_, i) => residentId(`1983${String(1 + (i % 12)).padStart(2, '0')}1${i % 9}`))
    const a = csv([['姓名', '证件号码'], ...shared.map((d, i) => [`同批${i}`, d]), ['甲独有', residentId('19840101')]])
    const b = csv([['姓名', '证件号码'], ...[...shared].reverse().map((d, i) => [`同批${i}`, d]), ['乙独有', residentId('19840202')]])
    const ja = (await upload(f.ids.ganlinJoint, 'a.csv', a)).json()
    const jb = (await upload(f.ids.ganlinJoint, 'b.csv', b)).json()
    assert.equal(ja.status, 'checked', ja.message)
    assert.equal(jb.status, 'checked', jb.message)
    const before = await memberCount()
    const [ra, rb] = await Promise.all([
      f.app.inject({ method: 'POST', url: `/api/imports/${ja.id}/commit`, payload: { mode: 'valid_only' }, headers: ganlin }),
      f.app.inject({ method: 'POST', url: `/api/imports/${jb.id}/commit`, payload: { mode: 'valid_only' }, headers: ganlin }),
    ])
    assert.equal(ra.statusCode, 202, ra.body)
    assert.equal(rb.statusCode, 202, rb.body)
    await Promise.all([importSettled(f, ja.id), importSettled(f, jb.id)])
    const [da, db] = [await job(ja.id), await job(jb.id)]
    assert.equal(da.status, 'done', da.message)
    assert.equal(db.status, 'done', db.message)
    assert.equal(da.importedRows + db.importedRows, shared.length + 2)
    assert.equal(await memberCount(), before + shared.length + 2)
    const twice = await sql<{
      n: string
    }>`select count(*) as n from (select member_id from membership_event where event_type = '1' group by member_id having count(*) > 1) x`.execute(
      f.database.db,
    )
    assert.equal(Number(twice.rows[0]!.n), 0, 'someone has two 入会 entries')
    await assertStatsRight()
  })

  it('a GB18030 file with characters outside GBK keeps its names exactly', async () => {
    const names = ['𠮷丽', '䶮明', '张三丰']
    const docs = [residentId('19850303'), residentId('19850404'), residentId('19850505')]
    const data = iconv.encode(csv([['姓名', '身份证号码'], ...names.map((n, i) => [n, docs[i]!])]), 'gb18030')
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(data), 'the file is not UTF-8')
    const r = (await upload(f.ids.ganlinJoint, '名册.csv', data)).json()
    assert.equal(r.status, 'checked', r.message)
    assert.equal(r.validRows, 3)
    const c = await f.app.inject({ method: 'POST', url: `/api/imports/${r.id}/commit`, payload: { mode: 'all' }, headers: ganlin })
    assert.equal(c.statusCode, 202, c.body)
    await importSettled(f, r.id)
    assert.equal((await job(r.id)).status, 'done')
    const rows = await f.database.db.selectFrom('member').select('name').where('import_job_id', '=', r.id).orderBy('id').execute()
    assert.deepEqual(rows.map((x) => x.name).sort(), [...names].sort())
    await assertStatsRight()
  })
})
