import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import ExcelJS from 'exceljs'
import { importFixture, importSettled, residentId, type Fixture } from '../../test/harness.js'
import { runInScope } from '../../http/scope.js'
import { dryRun } from './dry-run.js'
import { commitJob } from './commit.js'

const csv = (rows: string[][]) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n'

/**
 * A roster holding several unions (issue 13 item 6): an optional 所属工会 column names each row's
 * union by name or 组织代码, within the importer's jurisdiction; a row naming another union is an
 * error row with its 问题说明 and is never written; a blank cell, or no column, is the union chosen.
 */
describe('roster import: several unions in one file (所属工会)', () => {
  let f: Fixture
  let ganlin: Record<string, string>
  let city: Record<string, string>
  let jointCode: string

  const upload = async (headers: Record<string, string>, union: number, fileName: string, data: string) => {
    const r = await f.app.inject({
      method: 'POST',
      url: `/api/imports?union=${union}&fileName=${encodeURIComponent(fileName)}`,
      payload: Buffer.from(data),
      headers: { ...headers, 'content-type': 'application/octet-stream' },
    })
    assert.equal(r.statusCode, 201, r.body)
    return r.json() as { id: number; status: string; totalRows: number; errorRows: number; validRows: number; existingRows: number }
  }
  const problems = async (headers: Record<string, string>, id: number) =>
    (await f.app.inject({ method: 'GET', url: `/api/imports/${id}/problems?pageSize=200`, headers })).json().items as {
      rowNo: number
      column: string
      kind: string
      message: string
    }[]
  const commit = async (headers: Record<string, string>, id: number, mode: 'all' | 'valid_only') => {
    const r = await f.app.inject({ method: 'POST', url: `/api/imports/${id}/commit`, payload: { mode }, headers })
    await importSettled(f, id)
    return { r, job: (await f.app.inject({ method: 'GET', url: `/api/imports/${id}`, headers })).json() }
  }
  const memberOf = (name: string) =>
    f.database.db.selectFrom('member').select(['union_id', 'org_path', 'member_no']).where('name', '=', name).executeTakeFirst()

  const dataDir = importFixture('gh-import-unions-', async (fixture) => {
    f = fixture
    ganlin = await f.login('ganlin')
    city = await f.login('city')
    jointCode = (await f.database.db.selectFrom('org').select('code').where('id', '=', f.ids.ganlinJoint).executeTakeFirstOrThrow()).code
  })

  it('puts each row in the union it names, by name or code; a union outside the jurisdiction is an error row, never written', async () => {
    const file = csv([
      ['姓名', '证件号码', '所属工会'],
      ['联合甲', residentId('19900101'), '甘霖镇联合工会'], // row 2: by name
      ['本级乙', residentId('19900202'), ''], // row 3: blank, the union chosen
      ['联合丙', residentId('19900303'), ` ${jointCode} `], // row 4: by code, spaces around
      ['他镇丁', residentId('19900404'), '崇仁纺织工会委员会'], // row 5: 崇仁镇's, not 甘霖镇's
      ['无名戊', residentId('19900505'), '火星工会'], // row 6: no such union
    ])
    const job = await upload(ganlin, f.ids.ganlin, 'several.csv', file)
    assert.equal(job.status, 'checked')
    assert.equal(job.totalRows, 5)
    assert.equal(job.errorRows, 2)
    assert.equal(job.validRows, 3)
    const ps = await problems(ganlin, job.id)
    assert.deepEqual(
      ps.map((p) => [p.rowNo, p.column, p.kind]),
      [
        [5, '所属工会', 'error'],
        [6, '所属工会', 'error'],
      ],
    )
    assert.match(ps[0]!.message, /「崇仁纺织工会委员会」不在您的管辖范围内/)
    assert.match(ps[1]!.message, /「火星工会」.*请填写本级或下级工会的全称或组织代码/)

    // the report's sheet to fix: the rows as written, the reason last
    const rep = await f.app.inject({ method: 'GET', url: `/api/imports/${job.id}/report`, headers: ganlin })
    assert.equal(rep.statusCode, 200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(rep.rawPayload as unknown as ArrayBuffer)
    const fix = wb
      .getWorksheet('待修改数据')!
      .getSheetValues()
      .filter(Boolean)
      .map((v) => (v as unknown[]).slice(1))
    assert.deepEqual(fix[0], ['姓名', '证件号码', '所属工会', '问题说明'])
    assert.deepEqual(
      fix.slice(1).map((r) => r[0]),
      ['他镇丁', '无名戊'],
    )
    assert.match(String(fix[1]![3]), /^所属工会：「崇仁纺织工会委员会」不在您的管辖范围内/)

    // all or nothing: refused, nothing written
    const all = await f.app.inject({ method: 'POST', url: `/api/imports/${job.id}/commit`, payload: { mode: 'all' }, headers: ganlin })
    assert.equal(all.statusCode, 409)
    assert.match(all.json().error.message, /2 行有错误/)
    assert.equal(await memberOf('联合甲'), undefined)

    const valid = await commit(ganlin, job.id, 'valid_only')
    assert.equal(valid.job.status, 'done', valid.job.message)
    assert.equal(valid.job.importedRows, 3)
    const [ganlinOrg, joint] = await Promise.all(
      [f.ids.ganlin, f.ids.ganlinJoint].map((id) =>
        f.database.db.selectFrom('org').select(['id', 'path']).where('id', '=', id).executeTakeFirstOrThrow(),
      ),
    )
    for (const [name, org] of [
      ['联合甲', joint!],
      ['本级乙', ganlinOrg!],
      ['联合丙', joint!],
    ] as const) {
      const m = await memberOf(name)
      assert.equal(Number(m?.union_id), Number(org.id), name)
      assert.equal(m?.org_path, org.path, name)
      const ev = await f.database.db
        .selectFrom('membership_event as e')
        .innerJoin('member as m', 'm.id', 'e.member_id')
        .select(['e.union_id', 'e.org_path', 'e.event_type'])
        .where('m.name', '=', name)
        .executeTakeFirstOrThrow()
      assert.deepEqual([Number(ev.union_id), ev.org_path, ev.event_type], [Number(org.id), org.path, '1'], `${name}'s 入会`)
    }
    assert.equal(await memberOf('他镇丁'), undefined, 'a row naming a union outside the jurisdiction is never written')
    assert.equal(await memberOf('无名戊'), undefined)
  })

  it('a member already in the union a row names is 已是本工会会员, not one elsewhere', async () => {
    const again = csv([
      ['姓名', '证件号码', '所属工会'],
      ['联合甲', (await docOf('联合甲')) ?? '', '甘霖镇联合工会'],
    ])
    const job = await upload(ganlin, f.ids.ganlin, 'again.csv', again)
    assert.equal(job.existingRows, 1)
    assert.equal(job.errorRows, 0)
  })

  it('the city may name any union below it; an ambiguous name asks for the code', async () => {
    // a second union named like 甘霖镇联合工会 under 崇仁镇: the name no longer tells which
    await f.database.db
      .updateTable('org')
      .set({ short_name: '联合工会' })
      .where('id', 'in', [f.ids.ganlinJoint, f.ids.chongrenBase])
      .execute()
    const file = csv([
      ['姓名', '证件号码', '所属工会'],
      ['市导甲', residentId('19910101'), '崇仁纺织工会委员会'],
      ['市导乙', residentId('19910202'), '联合工会'],
    ])
    const job = await upload(city, f.ids.ganlin, 'city.csv', file)
    assert.equal(job.validRows, 1)
    const ps = await problems(city, job.id)
    assert.equal(ps.length, 1)
    assert.equal(ps[0]!.rowNo, 3)
    assert.match(ps[0]!.message, /有多个工会名为「联合工会」，请改填该工会的组织代码/)
    const done = await commit(city, job.id, 'valid_only')
    assert.equal(done.job.status, 'done', done.job.message)
    const m = await memberOf('市导甲')
    assert.equal(Number(m?.union_id), f.ids.chongrenBase)
  })

  it('in the background, in worker threads, as a large file is: the same check, the same unions', async () => {
    const file = csv([
      ['姓名', '证件号码', '所属工会'],
      ['线程甲', residentId('19930101'), jointCode],
      ['线程乙', residentId('19930202'), '崇仁纺织工会委员会'],
    ])
    const job = await upload(ganlin, f.ids.ganlin, 'threads.csv', file)
    const actor = await f.actor('ganlin')
    const row = (await f.database.db.selectFrom('import_job').selectAll().where('id', '=', job.id).executeTakeFirstOrThrow()) as never
    // checked again as the background does: its own scoped transactions, two worker threads
    const today = await f.as('ganlin', async (ctx) => ctx.today)
    await dryRun(row, (fn) => runInScope(f.database.db, f.pii, actor, '127.0.0.1', fn), f.pii, today, 2, null)
    const checked = (await f.app.inject({ method: 'GET', url: `/api/imports/${job.id}`, headers: ganlin })).json()
    assert.equal(checked.status, 'checked', checked.message)
    assert.deepEqual([checked.validRows, checked.errorRows], [1, 1])
    await commitJob({ db: f.database.db, pii: f.pii, dir: dataDir }, actor, '127.0.0.1', job.id, 'valid_only', { workers: 2 })
    const done = (await f.app.inject({ method: 'GET', url: `/api/imports/${job.id}`, headers: ganlin })).json()
    assert.equal(done.status, 'done', done.message)
    assert.equal(Number((await memberOf('线程甲'))?.union_id), f.ids.ganlinJoint)
    assert.equal(await memberOf('线程乙'), undefined)
  })

  it('the template has the 所属工会 column, explained', async () => {
    const r = await f.app.inject({ method: 'GET', url: '/api/imports/template', headers: ganlin })
    assert.equal(r.statusCode, 200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer)
    assert.ok((wb.getWorksheet('会员信息')!.getRow(1).values as string[]).includes('所属工会'))
    const help = JSON.stringify(wb.getWorksheet('填写说明')!.getSheetValues())
    assert.match(help, /所属工会.*工会全称或组织代码/)
  })

  it('a dissolved union takes no members', async () => {
    await f.database.db.updateTable('org').set({ status: 'dissolved' }).where('id', '=', f.ids.ganlinJoint).execute()
    const file = csv([
      ['姓名', '证件号码', '所属工会'],
      ['注销甲', residentId('19920101'), jointCode],
    ])
    const job = await upload(ganlin, f.ids.ganlin, 'dissolved.csv', file)
    const ps = await problems(ganlin, job.id)
    assert.match(ps[0]!.message, /已注销，不能导入会员/)
    await f.database.db.updateTable('org').set({ status: 'active' }).where('id', '=', f.ids.ganlinJoint).execute()
  })

  async function docOf(name: string) {
    const m = await f.database.db.selectFrom('member').select('document_enc').where('name', '=', name).executeTakeFirst()
    return m ? f.pii.decrypt(m.document_enc) : undefined
  }
})
