import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { sql } from 'kysely'
import {
  auditEntries,
  fixture,
  importFixture,
  importSettled,
  memberDocument,
  residentId,
  templateSheet,
  type Fixture,
} from '../../test/harness.js'
import * as service from './imports.service.js'
import { makeResidentId } from '../../../../common/id-card.js'

const csv = (rows: string[][]) =>
  rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n'
const which = (cmd: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'pipe' })
    return true
  } catch {
    return false
  }
}

describe('member roster import and export', () => {
  let f: Fixture
  let ganlin: Record<string, string>
  let chongren: Record<string, string>
  let chongrenDoc: string

  const upload = async (headers: Record<string, string>, union: number, fileName: string, data: Buffer | string) => {
    const r = await f.app.inject({
      method: 'POST',
      url: `/api/imports?union=${union}&fileName=${encodeURIComponent(fileName)}`,
      payload: typeof data === 'string' ? Buffer.from(data) : data,
      headers: { ...headers, 'content-type': 'application/octet-stream' },
    })
    return r
  }
  const problems = async (headers: Record<string, string>, id: number, kind?: string) =>
    (await f.app.inject({ method: 'GET', url: `/api/imports/${id}/problems?pageSize=200${kind ? `&kind=${kind}` : ''}`, headers })).json()
      .items as { rowNo: number; column: string; kind: string; message: string }[]
  const commit = async (headers: Record<string, string>, id: number, mode: 'all' | 'valid_only') => {
    const r = await f.app.inject({ method: 'POST', url: `/api/imports/${id}/commit`, payload: { mode }, headers })
    // the background work starts in onResponse, after the answer: wait for the job to leave 'importing'
    await importSettled(f, id)
    return { r, job: (await f.app.inject({ method: 'GET', url: `/api/imports/${id}`, headers })).json() }
  }
  const memberCount = async () => Number((await sql<{ n: string }>`select count(*) as n from member`.execute(f.database.db)).rows[0]!.n)
  const eventCount = async () =>
    Number((await sql<{ n: string }>`select count(*) as n from membership_event`.execute(f.database.db)).rows[0]!.n)

  const dataDir = importFixture('gh-imports-', async (fixture) => {
    f = fixture
    ganlin = await f.login('ganlin')
    chongren = await f.login('chongren')
    chongrenDoc = await memberDocument(f, f.ids.chongrenMember)
  })

  it('offers a template with drop-down lists for the coded fields', async () => {
    const { ws, headers } = await templateSheet(f, ganlin, '/api/imports/template', '会员信息')
    for (const h of [
      '性别',
      '民族',
      '证件类型',
      '学历',
      '政治面貌',
      '就业状况',
      '技术等级',
      '户籍类型',
      '是否农民工',
      '是否劳模',
      '新就业形态职业',
    ])
      assert.ok(headers.includes(h), h)
    const xml = JSON.stringify((ws as unknown as { dataValidations: { model: unknown } }).dataValidations.model)
    assert.match(xml, /代码表/)
    const genderCol = headers.indexOf('性别') + 1
    const dv = ws.getCell(2, genderCol).dataValidation
    assert.equal(dv?.type, 'list')
  })

  it('reads a GBK CSV with header variants and labels, and imports it', async () => {
    const a = makeResidentId('330683', '19900101', 911) // odd: 男
    const b = residentId('19920202')
    const text = csv([
      [
        '会员姓名',
        '身份证号码',
        '手机',
        '性别',
        '民族',
        '学历',
        '政治面貌',
        '是否农民工',
        '工作单位',
        '入会时间',
        '新就业形态职业',
        '备注',
      ],
      ['张三丰', a, '13905751111', '男', '汉族', '本科', '群众', '是', '甘霖小微五金厂', '2021/3/5', '快递员', 'x'],
      ['李四', b, '13905752222', '', '01', '21', '13', '否', '甘霖小微五金厂', '2021年4月6日', '', ''],
    ])
    const r = await upload(ganlin, f.ids.ganlinJoint, '名册.csv', iconv.encode(text, 'gbk'))
    assert.equal(r.statusCode, 201, r.body)
    const job = r.json()
    assert.equal(job.status, 'checked', job.message)
    assert.equal(job.totalRows, 2)
    assert.equal(job.validRows, 2)
    assert.equal(job.errorRows, 0)
    assert.match(job.message ?? '', /备注/)
    const before = await memberCount()
    const { job: done } = await commit(ganlin, job.id, 'all')
    assert.equal(done.status, 'done', done.message)
    assert.equal(done.importedRows, 2)
    assert.equal(await memberCount(), before + 2)
    const rows = await f.database.db.selectFrom('member').selectAll().where('import_job_id', '=', job.id).orderBy('name').execute()
    const zs = rows.find((x) => x.name === '张三丰')!
    assert.ok(zs, 'the name is not garbled')
    assert.equal(zs.gender, '1')
    assert.equal(zs.joined_on, '2021-03-05')
    assert.equal(zs.occupation, 'courier')
    assert.equal(zs.education, '21')
    assert.equal(zs.is_migrant, true)
    assert.equal(f.pii.decrypt(zs.document_enc), a)
    assert.equal(zs.quality, 'ok')
    const ls = rows.find((x) => x.name === '李四')!
    assert.equal(ls.joined_on, '2021-04-06')
    const ev = await f.database.db.selectFrom('membership_event').selectAll().where('member_id', '=', zs.id).execute()
    assert.deepEqual(
      ev.map((e) => [e.event_type, e.occurred_on]),
      [['1', '2021-03-05']],
    )
    const union = await f.database.db.selectFrom('org').select('member_count').where('id', '=', f.ids.ganlinJoint).executeTakeFirstOrThrow()
    assert.ok(union.member_count >= 3)
  })

  it('reads an xlsx workbook (LibreOffice-written when available, else ExcelJS)', async (t) => {
    const doc = residentId('19880808')
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Sheet1')
    ws.addRow(['导入说明：请勿修改表头'])
    ws.addRow(['姓名', '公民身份号码', '联系电话', '入会日期', '是否劳模'])
    ws.addRow(['王五', doc, 13905753333, new Date(Date.UTC(2020, 0, 15)), '是'])
    let file = Buffer.from(await wb.xlsx.writeBuffer())
    if (which('soffice') || which('libreoffice')) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-lo-'))
      fs.writeFileSync(path.join(dir, 'in.xlsx'), file)
      // a profile of its own, so that concurrent test files do not wait on each other's lock
      execFileSync(
        which('soffice') ? 'soffice' : 'libreoffice',
        [
          `-env:UserInstallation=file://${dir}/profile`,
          '--headless',
          '--convert-to',
          'xlsx',
          '--outdir',
          path.join(dir, 'out'),
          path.join(dir, 'in.xlsx'),
        ],
        { stdio: 'pipe', timeout: 120_000 },
      )
      file = fs.readFileSync(path.join(dir, 'out', 'in.xlsx'))
    } else {
      // CI installs it (.ci/run): there, a missing LibreOffice is a failure, not a quiet fallback
      if (process.env.CI)
        assert.fail(
          'LibreOffice is missing in CI (apt-get install libreoffice-calc-nogui; see .ci/run): the LibreOffice-written xlsx cannot be tested',
        )
      t.diagnostic(
        'LibreOffice is not installed (apt-get install -y --no-install-recommends libreoffice-calc-nogui): used an ExcelJS-written workbook instead',
      )
    }
    const r = await upload(ganlin, f.ids.ganlinJoint, '名册.xlsx', file)
    const job = r.json()
    assert.equal(job.status, 'checked', job.message)
    assert.equal(job.validRows, 1)
    const { job: done } = await commit(ganlin, job.id, 'all')
    assert.equal(done.importedRows, 1, done.message)
    const m = await f.database.db.selectFrom('member').selectAll().where('import_job_id', '=', job.id).executeTakeFirstOrThrow()
    assert.equal(m.joined_on, '2020-01-15')
    assert.equal(m.is_model_worker, true)
    assert.equal(m.phone_masked, '139****3333')
  })

  let mixedJob = 0
  let mixedFile = ''
  it('lists every problem with row, column and reason, and as an xlsx report', async () => {
    const ok1 = residentId('19950505')
    const ok2 = residentId('19960606')
    const dup = residentId('19970707')
    mixedFile = csv([
      ['姓名', '证件号码', '手机号码', '出生日期', '学历', '入会日期'],
      ['正确一', ok1, '13905754444', '', '', '2022-01-01'], // row 2
      ['', '330683199001011234', '12345', '', '', ''], // row 3: no name, bad check digit, bad phone
      ['日期错', ok2, '', '1996-02-30', '', '2023-02-29'], // row 4: impossible dates
      ['重复甲', dup, '', '', '', ''], // row 5
      ['重复乙', dup, '', '', '', ''], // row 6: duplicate within the file
      ['学历错', residentId('19800101'), '', '', '火星大学', ''], // row 7
      ['他处会员', chongrenDoc, '', '', '', ''], // row 8: member of 崇仁
      ['正确二', ok2, '', '', '', ''], // row 9 (same person as row 4, whose row is in error)
    ])
    const r = await upload(ganlin, f.ids.ganlinJoint, 'mixed.csv', mixedFile)
    const job = r.json()
    mixedJob = job.id
    assert.equal(job.status, 'checked')
    assert.equal(job.totalRows, 8)
    assert.equal(job.errorRows, 4) // rows 3, 4, 6, 7
    assert.equal(job.elsewhereRows, 1)
    assert.equal(job.validRows, 3) // rows 2, 5, 9
    const ps = await problems(ganlin, job.id)
    const at = (row: number, col: string) => ps.find((p) => p.rowNo === row && p.column === col)
    assert.match(at(3, '姓名')!.message, /不能为空/)
    assert.match(at(3, '证件号码')!.message, /校验/)
    assert.match(at(3, '手机号码')!.message, /11位/)
    assert.match(at(4, '出生日期')!.message, /不是有效日期/)
    assert.match(at(4, '入会日期')!.message, /不是有效日期/)
    assert.match(at(6, '证件号码')!.message, /与第5行重复/)
    assert.match(at(7, '学历')!.message, /火星大学/)
    const elsewhere = ps.find((p) => p.kind === 'elsewhere')!
    assert.equal(elsewhere.rowNo, 8)
    assert.match(elsewhere.message, /崇仁纺织工会委员会/)
    assert.doesNotMatch(elsewhere.message, new RegExp(chongrenDoc))
    const rep = await f.app.inject({ method: 'GET', url: `/api/imports/${job.id}/report`, headers: ganlin })
    assert.equal(rep.statusCode, 200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(rep.rawPayload as unknown as ArrayBuffer)
    const sheet = wb.worksheets[0]!
    assert.deepEqual((sheet.getRow(1).values as unknown[]).slice(1), ['行号', '列', '类型', '问题'])
    const lines = sheet
      .getSheetValues()
      .filter(Boolean)
      .map((v) => (v as unknown[]).slice(1))
    assert.ok(lines.some((l) => l[0] === 6 && l[1] === '证件号码' && /重复/.test(String(l[3]))))
    assert.ok(lines.some((l) => l[0] === 8 && /其他工会/.test(String(l[2]))))
    // the rows in question as the file has them, the problems in a last column: fixed in place, the
    // sheet imports again (its extra column is ignored)
    const fix = wb.getWorksheet('待修改数据')!
    const rows = fix
      .getSheetValues()
      .filter(Boolean)
      .map((v) => (v as unknown[]).slice(1))
    assert.deepEqual(rows[0], ['姓名', '证件号码', '手机号码', '出生日期', '学历', '入会日期', '问题说明'])
    assert.deepEqual(
      rows.slice(1).map((r) => r[0] ?? ''),
      ['', '日期错', '重复乙', '学历错', '他处会员'],
      'rows 3, 4, 6, 7 and 8, in the file’s order',
    )
    assert.equal(rows[2]![1], ok2)
    assert.match(String(rows[2]![6]), /出生日期：「1996-02-30」不是有效日期/)
    assert.match(String(rows[2]![6]), /入会日期：「2023-02-29」不是有效日期/)
    assert.match(String(rows[5]![6]), /崇仁纺织工会委员会/)
    const again = await upload(
      ganlin,
      f.ids.ganlinJoint,
      'fixed.csv',
      csv(rows.map((r) => r.map((c) => String(c ?? '')).map((c, i) => (i === 3 && c === '1996-02-30' ? '1996-02-28' : c)))),
    )
    assert.equal(again.json().status, 'checked')
    assert.equal(again.json().totalRows, 5, 'the sheet reads as a roster again')
  })

  it('commits all or nothing: "all" refuses a file with errors; "valid_only" imports the valid rows; the person elsewhere is not duplicated', async () => {
    const before = await memberCount()
    const all = await f.app.inject({ method: 'POST', url: `/api/imports/${mixedJob}/commit`, payload: { mode: 'all' }, headers: ganlin })
    assert.equal(all.statusCode, 409)
    assert.match(all.json().error.message, /4 行有错误/)
    assert.equal(await memberCount(), before)
    const { job } = await commit(ganlin, mixedJob, 'valid_only')
    assert.equal(job.status, 'done', job.message)
    assert.equal(job.importedRows, 3)
    assert.equal(await memberCount(), before + 3)
    const chongrenHolder = await f.database.db
      .selectFrom('member')
      .select(['union_id'])
      .where('id', '=', f.ids.chongrenMember)
      .executeTakeFirstOrThrow()
    assert.equal(chongrenHolder.union_id, f.ids.chongrenBase, 'the member of 崇仁 stays there')
    const audit = await auditEntries(f, 'member.import')
    assert.ok(audit.length >= 1)
  })

  it('keeps no roster in clear: deleted once imported, or after the keeping period if never imported', async () => {
    const stored = async (id: number) =>
      (await f.database.db.selectFrom('import_job').select('file_path').where('id', '=', id).executeTakeFirstOrThrow()).file_path
    const rows = (n: number) =>
      csv([
        ['姓名', '证件号码', '工作单位'],
        ...Array.from({ length: n }, (_, i) => [`保留${i}`, residentId('19880808'), '甘霖小微五金厂']),
      ])
    // imported: the file is gone with the commit
    const a = (await upload(ganlin, f.ids.ganlinJoint, 'a.csv', rows(2))).json()
    const fileA = await stored(a.id)
    assert.ok(fs.existsSync(fileA))
    assert.equal((await commit(ganlin, a.id, 'all')).job.status, 'done')
    assert.equal(fs.existsSync(fileA), false)
    // checked, never imported: kept for its commit, then deleted after the keeping period
    const b = (await upload(ganlin, f.ids.ganlinJoint, 'b.csv', rows(1))).json()
    const fileB = await stored(b.id)
    assert.equal(await service.purgeUploads(f.database.db), 0)
    assert.ok(fs.existsSync(fileB))
    const later = new Date(Date.now() + (service.UPLOAD_KEEP_DAYS + 1) * 86_400_000)
    assert.ok((await service.purgeUploads(f.database.db, later)) >= 1)
    assert.equal(fs.existsSync(fileB), false)
    const j = (await f.app.inject({ method: 'GET', url: `/api/imports/${b.id}`, headers: ganlin })).json()
    assert.equal(j.status, 'failed')
    assert.match(j.message, /已删除/)
    const expiry = await auditEntries(f, 'member.import.expire', { target_id: String(b.id) })
    assert.equal(expiry.length, 1, 'the deletion is audited')
    const { r } = await commit(ganlin, b.id, 'all')
    assert.equal(r.statusCode, 409)
    assert.match(r.json().error.message, /重新上传/)
    assert.equal(await service.purgeUploads(f.database.db, later), 0)
  })

  it('re-importing the same file changes nothing', async () => {
    const before = [await memberCount(), await eventCount()]
    const r = await upload(ganlin, f.ids.ganlinJoint, 'mixed.csv', mixedFile)
    const job = r.json()
    assert.equal(job.validRows, 0)
    assert.equal(job.existingRows, 3)
    assert.match(job.message, /导入过/)
    const { job: done } = await commit(ganlin, job.id, 'valid_only')
    assert.equal(done.importedRows, 0)
    assert.deepEqual([await memberCount(), await eventCount()], before)
    const ex = await problems(ganlin, job.id, 'existing')
    assert.equal(ex.length, 3)
    assert.match(ex[0]!.message, /本工会/)
  })

  it('a crash mid-commit leaves nothing, the job can be run again, and a restart marks an interrupted job failed', async () => {
    const rows = [['姓名', '身份证号', '手机号码']]
    for (let i = 0; i < 12_000; i++) rows.push([`批量${i}`, residentId('19700101'), ''])
    // residentId() cycles through 999 sequence numbers: keep the first of each number only
    const uniq = [rows[0]!, ...[...new Map(rows.slice(1).map((r) => [r[1], r])).values()]]
    const file = csv(uniq)
    const r = await upload(ganlin, f.ids.ganlinJoint, 'big.csv', file)
    const job = r.json()
    assert.equal(job.status, 'checked', job.message)
    const before = [await memberCount(), await eventCount()]
    await f.as('ganlin', (ctx) => service.startCommit(ctx, { db: f.database.db, pii: f.pii, dir: dataDir }, job.id, 'all'))
    // (the background work is what the route starts; here it is run directly, made to fail after the first batch)
    await service.commitJob({ db: f.database.db, pii: f.pii, dir: dataDir }, await f.actor('ganlin'), '127.0.0.1', job.id, 'all', {
      failAfterBatches: 0,
    })
    let j = await f.as('ganlin', (ctx) => service.get(ctx, job.id))
    assert.equal(j.status, 'failed')
    assert.match(j.message!, /未写入任何会员/)
    assert.deepEqual([await memberCount(), await eventCount()], before)
    // a restart while importing
    await f.database.db.updateTable('import_job').set({ status: 'importing' }).where('id', '=', job.id).execute()
    assert.equal(await service.recoverInterrupted(f.database.db), 1)
    j = await f.as('ganlin', (ctx) => service.get(ctx, job.id))
    assert.equal(j.status, 'failed')
    assert.match(j.message!, /重启/)
    const progress: number[] = []
    await f.as('ganlin', (ctx) => service.startCommit(ctx, { db: f.database.db, pii: f.pii, dir: dataDir }, job.id, 'all'))
    await service.commitJob({ db: f.database.db, pii: f.pii, dir: dataDir }, await f.actor('ganlin'), '127.0.0.1', job.id, 'all', {
      onProgress: (p) => progress.push(p.done),
    })
    j = await f.as('ganlin', (ctx) => service.get(ctx, job.id))
    assert.equal(j.status, 'done', j.message!)
    assert.equal(j.importedRows, uniq.length - 1)
    assert.ok(progress.length > 0 && progress[progress.length - 1] === uniq.length - 1)
  })

  it('checks and commits a large GBK CSV in worker threads, and a worker that dies fails the job cleanly', async () => {
    // > SYNC_CHECK_BYTES, so the dry run and the commit run in the background, in worker threads
    const rows = [['会员姓名', '身份证号码', '手机', '工作单位', '入会时间', '备注']]
    let k = 0
    for (let d = 0; rows.length <= 22_000; d++) {
      const birth = new Date(Date.UTC(1960, 0, 1) + d * 86400000).toISOString().slice(0, 10).replace(/-/g, '')
      for (let q = 1; q <= 200; q++)
        rows.push([
          `工人${k++}号`,
          makeResidentId('330683', birth, 500 + q),
          `139${String(10000000 + k).slice(0, 8)}`,
          '甘霖小微五金厂（二车间）',
          '2020-05-01',
          '此列不导入，只为让文件大于同步检查的上限'.repeat(2),
        ])
    }
    rows.push(['坏行', '123', '', '', '', ''])
    const data = iconv.encode(csv(rows), 'gbk')
    assert.ok(data.length > service.SYNC_CHECK_BYTES)
    const up = await upload(ganlin, f.ids.ganlinJoint, '大名册.csv', data)
    assert.equal(up.statusCode, 201, up.body)
    await importSettled(f, up.json().id)
    const job = (await f.app.inject({ method: 'GET', url: `/api/imports/${up.json().id}`, headers: ganlin })).json()
    assert.equal(job.status, 'checked', job.message)
    assert.equal(job.totalRows, rows.length - 1)
    assert.equal(job.errorRows, 1)
    assert.equal(job.validRows, rows.length - 2)
    const bad = await problems(ganlin, job.id, 'error')
    assert.equal(bad[0]!.rowNo, rows.length)
    assert.equal(bad[0]!.column, '身份证号码')

    // a worker thread dies in the middle of the commit: the job fails, nothing is written
    const env = { db: f.database.db, pii: f.pii, dir: dataDir }
    const before = [await memberCount(), await eventCount()]
    await f.as('ganlin', (ctx) => service.startCommit(ctx, env, job.id, 'valid_only'))
    await service.commitJob(env, await f.actor('ganlin'), '127.0.0.1', job.id, 'valid_only', {
      workers: 2,
      crashWorkerAt: 3,
      stageRows: 4000,
    })
    let j = await f.as('ganlin', (ctx) => service.get(ctx, job.id))
    assert.equal(j.status, 'failed')
    assert.match(j.message!, /未写入任何会员.*工作线程意外退出/)
    assert.deepEqual([await memberCount(), await eventCount()], before)

    // run again, in several staged chunks: everyone once, names and numbers intact
    await f.as('ganlin', (ctx) => service.startCommit(ctx, env, job.id, 'valid_only'))
    await service.commitJob(env, await f.actor('ganlin'), '127.0.0.1', job.id, 'valid_only', { workers: 2, stageRows: 4000 })
    j = await f.as('ganlin', (ctx) => service.get(ctx, job.id))
    assert.equal(j.status, 'done', j.message!)
    assert.equal(j.importedRows, rows.length - 2)
    assert.deepEqual([await memberCount(), await eventCount()], [before[0]! + rows.length - 2, before[1]! + rows.length - 2])
    const m = await f.database.db
      .selectFrom('member')
      .selectAll()
      .where('import_job_id', '=', job.id)
      .where('name', '=', '工人12345号')
      .executeTakeFirstOrThrow()
    const src = rows.find((r) => r[0] === '工人12345号')!
    assert.equal(f.pii.decrypt(m.document_enc), src[1])
    assert.equal(f.pii.decrypt(m.phone_enc!), src[2])
    assert.equal(m.workplace, '甘霖小微五金厂（二车间）')
    assert.equal(m.joined_on, '2020-05-01')
    // member numbers follow the rows of the file
    const nos = await f.database.db
      .selectFrom('member')
      .select(['member_no', 'name'])
      .where('import_job_id', '=', job.id)
      .orderBy('member_no')
      .limit(3)
      .execute()
    assert.deepEqual(
      nos.map((x) => x.name),
      ['工人0号', '工人1号', '工人2号'],
    )
  })

  it('two imports of overlapping people at the same time: nobody becomes a member twice', async () => {
    const shared = [residentId('19810101'), residentId('19810202'), residentId('19810303')]
    const a = csv([['姓名', '证件号码'], ...shared.map((d, i) => [`共同${i}`, d]), ['甲独有', residentId('19820101')]])
    const b = csv([['姓名', '证件号码'], ...[...shared].reverse().map((d, i) => [`共同${i}`, d]), ['乙独有', residentId('19820202')]])
    const ja = (await upload(ganlin, f.ids.ganlinJoint, 'a.csv', a)).json()
    const jb = (await upload(chongren, f.ids.chongrenBase, 'b.csv', b)).json()
    assert.equal(ja.validRows, 4)
    assert.equal(jb.validRows, 4)
    const before = await memberCount()
    const [ra, rb] = await Promise.all([
      f.app.inject({ method: 'POST', url: `/api/imports/${ja.id}/commit`, payload: { mode: 'all' }, headers: ganlin }),
      f.app.inject({ method: 'POST', url: `/api/imports/${jb.id}/commit`, payload: { mode: 'all' }, headers: chongren }),
    ])
    assert.equal(ra.statusCode, 202)
    assert.equal(rb.statusCode, 202)
    await Promise.all([importSettled(f, ja.id), importSettled(f, jb.id)])
    const da = await f.as('ganlin', (ctx) => service.get(ctx, ja.id))
    const db = await f.as('chongren', (ctx) => service.get(ctx, jb.id))
    assert.equal(da.status, 'done', da.message!)
    assert.equal(db.status, 'done', db.message!)
    assert.equal(da.importedRows + db.importedRows, 5)
    assert.equal(await memberCount(), before + 5)
    assert.match((da.importedRows < 4 ? da : db).message!, /检查之后才登记/)
  })

  it('answers clearly for a file that is not an xlsx, an empty file, a file without a header, and 10,000 malformed rows', async () => {
    const notXlsx = await upload(ganlin, f.ids.ganlinJoint, '名册.xlsx', 'this is not a workbook')
    assert.equal(notXlsx.statusCode, 400)
    assert.match(notXlsx.json().error.message, /不是 Excel 工作簿/)
    const broken = await upload(
      ganlin,
      f.ids.ganlinJoint,
      '坏.xlsx',
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(2000, 7)]),
    )
    assert.equal(broken.statusCode, 201)
    assert.equal(broken.json().status, 'failed')
    assert.match(broken.json().message, /无法读取 Excel 文件/)
    const xls = await upload(ganlin, f.ids.ganlinJoint, 'old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))
    assert.match(xls.json().error.message, /旧版 Excel/)
    const noHeader = await upload(ganlin, f.ids.ganlinJoint, 'x.csv', 'a,b,c\n1,2,3\n')
    assert.equal(noHeader.json().status, 'failed')
    assert.match(noHeader.json().message, /未找到表头/)
    const rows = [['姓名', '证件号码', '入会日期']]
    for (let i = 0; i < 10_000; i++) rows.push([`坏${i}`, `12345${i}`, '2020-13-45'])
    const bad = (await upload(ganlin, f.ids.ganlinJoint, 'bad.csv', csv(rows))).json()
    assert.equal(bad.status, 'checked')
    assert.equal(bad.errorRows, 10_000)
    assert.equal(bad.validRows, 0)
    const page = (await f.app.inject({ method: 'GET', url: `/api/imports/${bad.id}/problems?pageSize=5`, headers: ganlin })).json()
    assert.equal(page.total, 20_000)
    const refused = await f.app.inject({ method: 'POST', url: `/api/imports/${bad.id}/commit`, payload: { mode: 'all' }, headers: ganlin })
    assert.equal(refused.statusCode, 409)
  })

  it('keeps jurisdiction: a cadre cannot import into or read another town’s jobs; a viewer cannot import', async () => {
    const r = await upload(
      ganlin,
      f.ids.chongrenBase,
      'x.csv',
      csv([
        ['姓名', '证件号码'],
        ['越权', residentId()],
      ]),
    )
    assert.equal(r.statusCode, 404)
    const viewer = await f.login('viewer')
    const v = await upload(
      viewer,
      f.ids.ganlinJoint,
      'x.csv',
      csv([
        ['姓名', '证件号码'],
        ['查看员', residentId()],
      ]),
    )
    assert.equal(v.statusCode, 403)
    const list = (await f.app.inject({ method: 'GET', url: '/api/imports', headers: chongren })).json()
    assert.ok(list.items.every((j: { unionName: string }) => /崇仁/.test(j.unionName)))
  })

  it('exports a roster masked by default; unmasked only for org_admin with a reason, audited and watermarked', async () => {
    const masked = await f.app.inject({ method: 'GET', url: `/api/members/export?org=${f.ids.ganlin}&format=csv`, headers: ganlin })
    assert.equal(masked.statusCode, 200)
    const lines = masked.body.replace(/^\uFEFF/, '').split('\r\n')
    assert.match(lines[0]!, /导出人：甘霖镇总工会（ganlin） 导出时间：/)
    assert.match(lines[1]!, /^会员号,姓名,性别/)
    assert.ok(lines.some((l) => l.includes('张三丰')))
    assert.doesNotMatch(masked.body, /\d{17}[\dX]/)
    assert.doesNotMatch(masked.body, /崇仁会员/)
    // the list's filters: the export holds what the page shows, as many rows as the list counts
    const rowsOf = (body: string) =>
      body
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .slice(2)
        .filter((l) => /^\d{14},/.test(l))
    const summary = (await f.app.inject({ method: 'GET', url: `/api/members/summary?org=${f.ids.ganlin}`, headers: ganlin })).json()
    const couriers = (
      await f.app.inject({ method: 'GET', url: `/api/members?org=${f.ids.ganlin}&occupation=courier`, headers: ganlin })
    ).json()
    assert.equal(couriers.totalCapped, false)
    const expected: Record<string, number> = {
      'status=retained': summary.byStatus.retained,
      'status=active': summary.byStatus.active,
      'status=active&quality=ok': summary.ok,
      'occupation=courier': couriers.total,
    }
    for (const [filter, count] of Object.entries(expected)) {
      const exp = await f.get(`/api/members/export?org=${f.ids.ganlin}&format=csv&${filter}`, ganlin)
      assert.equal(exp.statusCode, 200, exp.body)
      assert.equal(rowsOf(exp.body).length, count, filter)
    }
    const onRegister = summary.byStatus.active + summary.byStatus.retained + summary.byStatus.reserve
    assert.equal(rowsOf(masked.body).length, onRegister, 'the unfiltered export holds every member on the register')
    const noReason = await f.app.inject({ method: 'GET', url: `/api/members/export?format=csv&unmasked=true`, headers: ganlin })
    assert.equal(noReason.statusCode, 400)
    const viewer = await f.login('viewer')
    const denied = await f.get(`/api/members/export?format=csv&unmasked=true&reason=${encodeURIComponent('核对')}`, viewer)
    assert.equal(denied.statusCode, 403)
    const full = await f.get(`/api/members/export?format=xlsx&unmasked=true&reason=${encodeURIComponent('年度会员统计核对')}`, ganlin)
    assert.equal(full.statusCode, 200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(full.rawPayload as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    assert.match(ws.headerFooter.oddHeader ?? '', /导出人：甘霖镇总工会/)
    const values = JSON.stringify(ws.getSheetValues())
    assert.match(values, /\d{17}[\dX]/)
    assert.match(values, /年度会员统计核对/)
    const audit = await auditEntries(f, 'member.export.unmasked')
    assert.equal(audit.length, 1)
    assert.equal((audit[0]!.detail as { reason: string }).reason, '年度会员统计核对')
    // a re-export re-imports: the watermark line is skipped, the header found, everyone is 'existing'
    // (a large roster is checked in the background)
    const uploaded = (await upload(ganlin, f.ids.ganlinJoint, 'roster.xlsx', full.rawPayload)).json()
    await importSettled(f, uploaded.id)
    const again = (await f.app.inject({ method: 'GET', url: `/api/imports/${uploaded.id}`, headers: ganlin })).json()
    assert.equal(again.status, 'checked', JSON.stringify(again))
    assert.equal(again.validRows, 0)
    assert.ok(again.existingRows > 0)
  })

  it('offers the transfer it talks about: a row that is a member elsewhere is asked over to the importing union', async () => {
    const listed = await f.app.inject({ method: 'GET', url: `/api/imports/${mixedJob}/problems?kind=elsewhere`, headers: ganlin })
    const row = listed.json().items.find((p: { rowNo: number }) => p.rowNo === 8)
    assert.equal(row.canTransfer, true)
    assert.doesNotMatch(listed.body, new RegExp(chongrenDoc), 'the number is neither stored nor shown')
    const ask = (rowNo: number, headers = ganlin) =>
      f.app.inject({ method: 'POST', url: '/api/transfers/from-import', headers, payload: { jobId: mixedJob, rowNo } })
    // another town's cadre cannot use 甘霖's import
    assert.equal((await ask(8, await f.login('chongren'))).statusCode, 404)
    // a row in error is no member elsewhere
    assert.equal((await ask(3)).statusCode, 404)
    const t = await ask(8)
    assert.equal(t.statusCode, 201, t.body)
    assert.equal(t.json().requestedBy, 'to')
    assert.equal(t.json().toUnionId, f.ids.ganlinJoint)
    assert.match(t.json().note, /mixed\.csv 第8行/)
    assert.equal((await ask(8)).statusCode, 409, 'one transfer in flight')
    // the member's union (崇仁) sees the request to confirm
    const theirs = await f.app.inject({ method: 'GET', url: `/api/transfers/${t.json().id}`, headers: await f.login('chongren') })
    assert.equal(theirs.statusCode, 200)
  })
})

describe('the CSV reader', () => {
  it('handles quotes, doubled quotes, CRLF and LF, a BOM and no final newline; a line break inside quotes ends the row, marked', async () => {
    const { openRoster, saveUpload } = await import('./reader.js')
    const { createPii } = await import('../../security/pii.js')
    const crypto = await import('node:crypto')
    const pii = createPii({
      current: 'k1',
      keys: { k1: crypto.randomBytes(32).toString('base64') },
      hashKey: crypto.randomBytes(32).toString('base64'),
    })
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-csv-'))
    const file = path.join(dir, 'x.csv')
    const text = '\uFEFF姓名,证件号码,工作单位\r\n"张,三",110,"说""明"\n李四,220,"多\r\n行"\r\n\r\n王五,330,末行'
    await saveUpload(Buffer.from(text), file, crypto.createHash('sha256'), pii)
    const o = await openRoster(file, 'csv', 'utf8', pii)
    const rows: { rowNo: number; cells: unknown[] }[] = []
    for await (const b of o.batches) rows.push(...b)
    assert.deepEqual(rows, [
      { rowNo: 2, cells: ['张,三', '110', '说"明'] },
      // no roster field holds a line break: the open quote is cut at the end of its line and the row marked
      { rowNo: 3, cells: ['李四', '220', '多'], openQuote: 2 },
      { rowNo: 4, cells: ['行"'] },
      { rowNo: 6, cells: ['王五', '330', '末行'] },
    ])
    fs.rmSync(dir, { recursive: true, force: true })
  })
})

describe('the command line import', () => {
  it('members import FILE --union CODE checks, lists the problems, imports and shows progress', async () => {
    const { runCli } = await import('../../cli.js')
    const f = await fixture()
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-cli-'))
    try {
      const union = await f.database.db.selectFrom('org').select('code').where('id', '=', f.ids.ganlinJoint).executeTakeFirstOrThrow()
      const file = path.join(dir, '名册.csv')
      fs.writeFileSync(
        file,
        iconv.encode(
          csv([
            ['姓名', '身份证号码', '手机'],
            ['命令行一', residentId('19750101'), '13905756666'],
            ['坏行', '123', ''],
            ['命令行二', residentId('19750202'), ''],
          ]),
          'gbk',
        ),
      )
      const lines: string[] = []
      const env = { DATA_DIR: dir, GONGHUI_PII_KEY: JSON.stringify(f.ring) }
      const all = await runCli(['members', 'import', file, '--union', union.code], {
        database: f.database,
        env,
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
      })
      assert.equal(all, 1, lines.join('\n'))
      assert.match(lines.join('\n'), /第3行 身份证号码：/)
      assert.match(lines.join('\n'), /未导入任何人/)
      const ok = await runCli(['members', 'import', file, '--union', union.code, '--mode', 'valid_only'], {
        database: f.database,
        env,
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
      })
      assert.equal(ok, 0, lines.join('\n'))
      assert.match(lines.join('\n'), /已导入 2 人/)
      const bad = await runCli(['members', 'import', file, '--union', 'nope'], {
        database: f.database,
        env,
        out: (l) => lines.push(l),
        err: (l) => lines.push(l),
      })
      assert.equal(bad, 1)
      assert.match(lines[lines.length - 1]!, /工会代码 nope 不存在/)
    } finally {
      await f.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('bulk sealing', () => {
  it('encryptMany writes what decrypt reads, with a fresh IV per value, for both ciphers', async () => {
    const { createPii } = await import('../../security/pii.js')
    const { testKeyRing } = await import('../../test/harness.js')
    for (const cipher of ['aes-256-gcm', 'sm4-gcm'] as const) {
      const pii = createPii(testKeyRing(), cipher)
      const plain = ['330683199001010050', null, '13905751111', '330683199001010050', '']
      const enc = pii.encryptMany(plain)
      assert.equal(enc[1], null)
      assert.deepEqual(
        enc.map((e) => (e === null ? null : pii.decrypt(e))),
        plain,
      )
      assert.notEqual(enc[0], enc[3], 'the same value twice encrypts differently')
      assert.equal(enc[0]!.split(':')[0], cipher === 'sm4-gcm' ? 'sm4' : 'aes')
    }
  })
})
