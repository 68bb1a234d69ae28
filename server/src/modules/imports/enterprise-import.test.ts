import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { sql } from 'kysely'
import { creditCode, csv, importFixture, importSettled, templateSheet, type Fixture } from '../../test/harness.js'
import { verify } from '../stats/stats.repository.js'

/**
 * Bulk import of the enterprise register (issue 13 item 4): the template round trip, every row
 * checked as the 登记单位 form checks it, towns and credit codes within the jurisdiction, the two
 * commit modes, the error report, GB18030 files, sealed contacts and the statistics kept right.
 */

const HEAD = ['单位名称', '统一社会信用代码', '所在镇街', '单位性质', '职工人数', '联系人', '联系电话', '法定代表人']

describe('enterprise register import', () => {
  let f: Fixture
  const h: Record<string, Record<string, string>> = {}
  importFixture('gh-ent-import-', async (fixture) => {
    f = fixture
    for (const u of ['city', 'ganlin', 'chongren']) h[u] = await f.login(u)
  })

  const upload = async (user: string, fileName: string, data: Buffer | string) => {
    const r = await f.app.inject({
      method: 'POST',
      url: `/api/enterprise-imports?fileName=${encodeURIComponent(fileName)}`,
      payload: typeof data === 'string' ? Buffer.from(data) : data,
      headers: { ...h[user], 'content-type': 'application/octet-stream' },
    })
    assert.equal(r.statusCode, 201, r.body)
    await importSettled(f, r.json().id)
    const job = await f.app.inject({ method: 'GET', url: `/api/imports/${r.json().id}`, headers: h[user] })
    return job.json()
  }
  const problems = async (user: string, id: number) =>
    (await f.app.inject({ method: 'GET', url: `/api/imports/${id}/problems?pageSize=100`, headers: h[user] })).json().items as {
      rowNo: number
      column: string
      message: string
    }[]
  const commit = async (user: string, id: number, mode: 'all' | 'valid_only') => {
    const r = await f.app.inject({ method: 'POST', url: `/api/imports/${id}/commit`, payload: { mode }, headers: h[user] })
    if (r.statusCode === 202) await importSettled(f, id)
    const job = (await f.app.inject({ method: 'GET', url: `/api/imports/${id}`, headers: h[user] })).json()
    return { r, job }
  }
  const units = async (codes: string[]) =>
    f.database.db.selectFrom('enterprise').selectAll().where('credit_code', 'in', codes).orderBy('credit_code').execute()
  const statsClean = async () => assert.deepEqual((await f.database.db.transaction().execute((tx) => verify(tx))).differences, [])

  it('imports the filled template: towns by name or code, contacts sealed, the statistics right', async () => {
    const { wb, ws, headers } = await templateSheet(f, h.ganlin, '/api/enterprise-imports/template', '用人单位')
    for (const must of [
      '单位名称*',
      '统一社会信用代码*',
      '所在镇街*',
      '单位性质*',
      '职工人数*',
      '法定代表人',
      '联系人',
      '联系电话',
      '行业',
      '经济类型',
    ])
      assert.ok(headers.includes(must), `the template has ${must}: ${headers.join(',')}`)
    const col = (name: string) => headers.findIndex((x) => x.replace('*', '') === name) + 1
    const codes = [creditCode(), creditCode()]
    const fill = (r: number, v: Record<string, string | number>) => {
      for (const [k, val] of Object.entries(v)) ws.getCell(r, col(k)).value = val
    }
    fill(2, { 单位名称: '模板导入一厂', 统一社会信用代码: codes[0]!, 所在镇街: '甘霖镇', 单位性质: '非公有制企业', 职工人数: 60 })
    fill(3, {
      单位名称: '模板导入二厂',
      统一社会信用代码: codes[1]!,
      所在镇街: '330683100',
      单位性质: '非公有制企业',
      职工人数: 8,
      行业: '制造业',
      法定代表人: '王大明',
      联系人: '李小红',
      联系电话: '13812345678',
      成立日期: '2020-03-01',
    })
    const job = await upload('ganlin', '模板.xlsx', Buffer.from(await wb.xlsx.writeBuffer()))
    assert.deepEqual(
      [job.kind, job.status, job.totalRows, job.validRows, job.errorRows],
      ['enterprise', 'checked', 2, 2, 0],
      JSON.stringify(job),
    )
    const { r, job: done } = await commit('ganlin', job.id, 'all')
    assert.equal(r.statusCode, 202, r.body)
    assert.equal(done.status, 'done', JSON.stringify(done))
    assert.equal(done.importedRows, 2)
    const rows = await units(codes)
    assert.deepEqual(rows.map((e) => [e.name, e.town_code, e.employees]).sort(), [
      ['模板导入一厂', '330683100', 60],
      ['模板导入二厂', '330683100', 8],
    ])
    const second = rows.find((e) => e.name === '模板导入二厂')!
    assert.equal(second.industry, 'C')
    assert.equal(second.founded_on, '2020-03-01')
    // sealed as the form seals them: nothing in clear in the row
    const raw = JSON.stringify(second)
    for (const clear of ['王大明', '李小红', '13812345678']) assert.ok(!raw.includes(clear), `${clear} stored in clear`)
    assert.equal(f.pii.decrypt(second.contact_phone_enc!), '13812345678')
    assert.equal(f.pii.decrypt(second.legal_rep_enc!), '王大明')
    // on the register as the form's units are, masked; audited per unit and for the import
    const listed = await f.app.inject({ method: 'GET', url: `/api/enterprises?q=${codes[1]}`, headers: h.ganlin })
    assert.equal(listed.json().items[0].contactPhone, '138****5678')
    const audit = await sql<{ action: string }>`select action from audit_log where action in ('enterprise.import', 'enterprise.create')
      and (detail->>'importJob' = ${String(job.id)} or (target_type = 'import_job' and target_id = ${String(job.id)}))`.execute(
      f.database.db,
    )
    assert.deepEqual(audit.rows.map((a) => a.action).sort(), ['enterprise.create', 'enterprise.create', 'enterprise.import'])
    await statsClean()
    // 60 workers, no union: on 应建未建 of the town
    const due = await f.app.inject({ method: 'GET', url: '/api/enterprises?shouldHaveUnion=true&pageSize=200', headers: h.ganlin })
    assert.ok(due.json().items.some((e: { name: string }) => e.name === '模板导入一厂'))
  })

  it('reports every bad row with the column named, in the form’s words, without giving the check character away', async () => {
    const good = creditCode()
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
    const job = await upload(
      'ganlin',
      'bad.csv',
      csv([
        [...HEAD, '农民工人数'],
        ['好单位', creditCode(), '甘霖镇', '非公有制企业', '10', '', '', '', ''],
        ['校验位错', wrongCheck, '甘霖镇', '非公有制企业', '10', '', '', '', ''],
        ['', creditCode(), '甘霖镇', '非公有制企业', '10', '', '', '', ''],
        ['性质错', creditCode(), '甘霖镇', '外星企业', '10', '', '', '', ''],
        ['人数错', creditCode(), '甘霖镇', '非公有制企业', '-3', '', '', '', ''],
        ['电话错', creditCode(), '甘霖镇', '非公有制企业', '10', '张三', '12345', '', ''],
        ['农民工多', creditCode(), '甘霖镇', '非公有制企业', '10', '', '', '', '20'],
        ['无此镇', creditCode(), '火星镇', '非公有制企业', '10', '', '', '', ''],
      ]),
    )
    assert.deepEqual([job.totalRows, job.validRows, job.errorRows], [8, 1, 7], JSON.stringify(job))
    const p = await problems('ganlin', job.id)
    const at = (row: number) => p.filter((x) => x.rowNo === row).map((x) => `${x.column}：${x.message}`)
    assert.equal(at(2).length, 0)
    assert.match(at(3).join(), /^统一社会信用代码：/)
    assert.doesNotMatch(at(3).join(), new RegExp(`应为|「${good[17]}」`), 'the right check character is not given away')
    assert.deepEqual(at(4), ['单位名称：不能为空'])
    assert.deepEqual(at(5), ['单位性质：单位性质无效'])
    assert.match(at(6).join(), /^职工人数：不能为负数/)
    assert.match(at(7).join(), /^联系电话：应为手机号码或带区号的固定电话/)
    assert.deepEqual(at(8), ['农民工人数：不能多于职工人数'])
    assert.match(at(9).join(), /^所在镇街：找不到名为「火星镇」的乡镇/)
    // the same text as the single form answers
    const form = await f.app.inject({
      method: 'POST',
      url: '/api/enterprises',
      headers: h.ganlin,
      payload: { creditCode: creditCode(), name: '表单', regionCode: '330683100', nature: 'private', employees: 10, migrantWorkers: 20 },
    })
    assert.equal(form.json().error.fields.migrantWorkers, '不能多于职工人数')
  })

  it('refuses a town outside the jurisdiction for that row; the city may import into any town', async () => {
    const rows = csv([
      HEAD,
      ['崇仁越界厂', creditCode(), '崇仁镇', '非公有制企业', '10', '', '', ''],
      ['甘霖本地厂', creditCode(), '甘霖镇', '非公有制企业', '10', '', '', ''],
    ])
    const town = await upload('ganlin', 'towns.csv', rows)
    assert.deepEqual([town.validRows, town.errorRows], [1, 1])
    const p = await problems('ganlin', town.id)
    assert.equal(p.length, 1)
    assert.equal(p[0]!.rowNo, 2)
    assert.equal(p[0]!.column, '所在镇街')
    assert.equal(p[0]!.message, '所在政区「崇仁镇」不在您的管辖范围内')
    const city = await upload('city', 'towns.csv', rows)
    assert.deepEqual([city.validRows, city.errorRows], [2, 0])
    // a town cadre cannot import into another town's union
    const other = await f.app.inject({
      method: 'POST',
      url: `/api/enterprise-imports?org=${f.ids.chongren}&fileName=x.csv`,
      payload: Buffer.from(rows),
      headers: { ...h.ganlin, 'content-type': 'application/octet-stream' },
    })
    assert.equal(other.statusCode, 404)
  })

  it('finds a duplicate credit code in the file and in the register: the holder named only within the jurisdiction', async () => {
    const mine = creditCode()
    const theirs = creditCode()
    const twice = creditCode()
    const reg = async (user: string, code: string, name: string, regionCode: string) => {
      const r = await f.app.inject({
        method: 'POST',
        url: '/api/enterprises',
        headers: h[user],
        payload: { creditCode: code, name, regionCode, nature: 'private', employees: 5 },
      })
      assert.equal(r.statusCode, 201, r.body)
    }
    await reg('ganlin', mine, '甘霖已登记厂', '330683100')
    await reg('chongren', theirs, '崇仁已登记厂', '330683102')
    const job = await upload(
      'ganlin',
      'dups.csv',
      csv([
        HEAD,
        ['甲', mine, '甘霖镇', '非公有制企业', '10', '', '', ''],
        ['乙', theirs, '甘霖镇', '非公有制企业', '10', '', '', ''],
        ['丙', twice, '甘霖镇', '非公有制企业', '10', '', '', ''],
        ['丁', twice.toLowerCase(), '甘霖镇', '非公有制企业', '10', '', '', ''],
      ]),
    )
    assert.deepEqual([job.validRows, job.errorRows], [1, 3], JSON.stringify(job))
    const p = await problems('ganlin', job.id)
    const msg = (row: number) => p.find((x) => x.rowNo === row)?.message ?? ''
    assert.match(msg(2), /已登记为「甘霖已登记厂」/)
    assert.match(msg(3), /另一辖区已有该代码/)
    assert.doesNotMatch(msg(3), /崇仁/, 'the holder outside the jurisdiction is not named')
    assert.match(msg(5), /与第4行重复/)
    // the city holds both towns: it is told who holds it
    const city = await upload('city', 'dups.csv', csv([HEAD, ['乙', theirs, '崇仁镇', '非公有制企业', '10', '', '', '']]))
    assert.match((await problems('city', city.id))[0]!.message, /已登记为「崇仁已登记厂」/)
  })

  it('all or nothing writes nothing with one bad row; valid rows only writes the good ones; the report holds the bad row as written', async () => {
    const codes = [creditCode(), creditCode(), creditCode()]
    const job = await upload(
      'ganlin',
      'mixed.csv',
      csv([
        HEAD,
        ['混合一厂', codes[0]!, '甘霖镇', '非公有制企业', '10', '', '', ''],
        ['混合坏厂', codes[1]!, '甘霖镇', '非公有制企业', '十个', '', '', ''],
        ['混合三厂', codes[2]!, '甘霖镇', '非公有制企业', '30', '', '', ''],
      ]),
    )
    assert.deepEqual([job.validRows, job.errorRows], [2, 1])
    const all = await commit('ganlin', job.id, 'all')
    assert.equal(all.r.statusCode, 409, all.r.body)
    assert.match(all.r.json().error.message, /有错误/)
    assert.equal((await units(codes)).length, 0, 'nothing written')
    const rep = await f.app.inject({ method: 'GET', url: `/api/imports/${job.id}/report`, headers: h.ganlin })
    assert.equal(rep.statusCode, 200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(rep.rawPayload as unknown as ArrayBuffer)
    const fix = wb.getWorksheet('待修改数据')!
    const head = (fix.getRow(1).values as string[]).slice(1)
    assert.deepEqual(head, [...HEAD, '问题说明'])
    const bad = (fix.getRow(2).values as unknown[]).slice(1)
    assert.equal(bad[0], '混合坏厂')
    assert.equal(bad[4], '十个')
    assert.match(String(bad[HEAD.length]), /^职工人数：/)
    assert.equal(fix.rowCount, 2)
    const valid = await commit('ganlin', job.id, 'valid_only')
    assert.equal(valid.r.statusCode, 202, valid.r.body)
    assert.equal(valid.job.status, 'done')
    assert.equal(valid.job.importedRows, 2)
    assert.deepEqual((await units(codes)).map((e) => e.name).sort(), ['混合一厂', '混合三厂'].sort())
    await statsClean()
  })

  it('reads a GB18030 CSV', async () => {
    const code = creditCode()
    const text = csv([HEAD, ['国标编码厂', code, '甘霖镇', '非公有制企业', '12', '赵六', '0575-83012345', '']])
    const job = await upload('ganlin', 'gbk.csv', iconv.encode(text, 'gb18030'))
    assert.deepEqual([job.validRows, job.errorRows], [1, 0], JSON.stringify(job))
    const { job: done } = await commit('ganlin', job.id, 'all')
    assert.equal(done.status, 'done', JSON.stringify(done))
    const [unit] = await units([code])
    assert.equal(unit!.name, '国标编码厂')
    assert.equal(f.pii.decrypt(unit!.contact_name_enc!), '赵六')
    assert.ok(!JSON.stringify(unit).includes('83012345'))
    await statsClean()
  })

  it('lists the enterprise imports apart from the roster imports', async () => {
    const list = await f.app.inject({ method: 'GET', url: '/api/enterprise-imports', headers: h.ganlin })
    assert.equal(list.statusCode, 200)
    assert.ok(list.json().items.length >= 4)
    assert.ok(list.json().items.every((j: { kind: string }) => j.kind === 'enterprise'))
    const roster = await f.app.inject({ method: 'GET', url: '/api/imports', headers: h.ganlin })
    assert.ok(roster.json().items.every((j: { kind: string }) => j.kind === 'roster'))
  })
})
