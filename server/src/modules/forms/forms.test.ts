import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import { cadres, fixture, creditCode, plannedUnion, residentId, type Cadres, type Fixture } from '../../test/harness.js'
import * as orgs from '../orgs/orgs.service.js'
import * as enterprises from '../enterprises/enterprises.service.js'
import * as members from '../members/members.service.js'
import { chineseDate, crossCheck, type FormTable, type RoundView } from '../../../../common/forms.js'
import { runCli } from '../../cli.js'
import { jointCategories } from '../../../../common/codes.js'

// the rows as printed on 附件1 and 附件2 (common/codes.test.ts pins the captions)
const F1_CAPTIONS = jointCategories.map((r) => r.form1Label)
const F2_CAPTIONS = jointCategories.map((r) => r.form2Label)
const HEADER = ['类    型', '联合工会数', '工会联合会数', '会员数', '涵盖职工数', '涵盖企业数', '工会工作者数']

const cellsOf = (t: FormTable, caption: string) =>
  caption === t.total.caption ? t.total.cells : t.rows.find((r) => r.caption === caption)!.cells

describe('the official forms and their reporting rounds', () => {
  let f: Fixture
  let by: Cadres
  let rootCode: string
  let chongrenCode: string

  before(async () => {
    f = await fixture()
    by = await cadres(f)
    rootCode = (await f.database.db.selectFrom('org').select('code').where('id', '=', f.ids.city).executeTakeFirstOrThrow()).code
    chongrenCode = (await f.database.db.selectFrom('org').select('code').where('id', '=', f.ids.chongren).executeTakeFirstOrThrow()).code
    // 甘霖镇 adds a 工会联合会 in its industrial park: two enterprises (30 and 20 workers), two members, 1 full-time and 2 part-time cadres
    await f.as('ganlin', async (ctx) => {
      const a = await enterprises.create(ctx, {
        creditCode: creditCode(),
        name: '甘霖园区机械厂',
        regionCode: '330683100',
        nature: 'private',
        employees: 30,
        foundedOn: '2016-01-01',
      })
      const b = await enterprises.create(ctx, {
        creditCode: creditCode(),
        name: '甘霖园区电器厂',
        regionCode: '330683100',
        nature: 'private',
        employees: 20,
        foundedOn: '2016-01-01',
      })
      const fed = await orgs.create(ctx, {
        parentId: f.ids.ganlin,
        name: '甘霖工业园区工会联合会',
        orgType: '4',
        orgForm: 'joint_federation',
        regionCode: '330683100',
        jointScope: 'regional',
        jointCategory: 'industrial_park',
        enterpriseIds: [a.id, b.id],
        foundedOn: '2019-06-01',
        fulltimeWorkers: 1,
        parttimeWorkers: 2,
      })
      await members.create(ctx, {
        name: '园区会员甲',
        documentType: 'resident_id',
        documentNumber: residentId('19880101'),
        unionId: fed.id,
        enterpriseId: a.id,
        joinedOn: '2020-01-01',
      })
      await members.create(ctx, {
        name: '园区会员乙',
        documentType: 'resident_id',
        documentNumber: residentId('19890101'),
        unionId: fed.id,
        enterpriseId: b.id,
        joinedOn: '2020-01-01',
      })
    })
  })
  after(() => f.close())

  describe('form1 附件1 已建联合工会基本情况登记表', () => {
    it('rolls the joint unions of the city up by category, with the captions and columns as printed', async () => {
      const r = await f.get(`/api/forms/form1?org=${f.ids.city}`, by.city)
      assert.equal(r.statusCode, 200, r.body)
      const t = r.json() as FormTable
      assert.equal(t.title, '嵊州市已建联合工会基本情况登记表')
      assert.equal(t.attachment, '附件1')
      assert.equal(t.filler, '嵊州市总工会')
      assert.equal(t.asOf, by.today)
      assert.deepEqual([t.captionHeader, ...t.columns.map((c) => c.label)], HEADER)
      assert.deepEqual(
        t.rows.map((x) => x.caption),
        F1_CAPTIONS,
      )
      assert.equal(t.total.caption, '总    计')
      //                                          联合工会数 工会联合会数 会员数 涵盖职工数 涵盖企业数 工会工作者数
      assert.deepEqual(cellsOf(t, '工业园区类'), [0, 1, 2, 50, 2, 3])
      assert.deepEqual(cellsOf(t, '村（社区）类'), [1, 0, 1, 12, 1, 0])
      assert.deepEqual(cellsOf(t, '其他类型'), [1, 0, 0, 5, 1, 0])
      assert.deepEqual(cellsOf(t, '物流行业类'), [0, 0, 0, 0, 0, 0])
      assert.deepEqual(t.total.cells, [2, 1, 3, 67, 4, 3])
      assert.deepEqual(crossCheck(t), [])
    })

    it('a town sees only its own joint unions; a viewer may read the form', async () => {
      const t = await f.get(`/api/forms/form1?org=${f.ids.chongren}`, by.viewer)
      assert.equal(t.statusCode, 400, 'the 甘霖 viewer read 崇仁镇')
      const own = (await f.get(`/api/forms/form1`, by.chongren)).json() as FormTable
      assert.equal(own.title, '崇仁镇已建联合工会基本情况登记表')
      assert.equal(own.filler, '崇仁镇总工会')
      assert.deepEqual(own.total.cells, [1, 0, 0, 5, 1, 0])
      assert.equal((await f.get(`/api/forms/form1`, by.viewer)).statusCode, 200)
    })

    it('refuses a date before the organization existed, a future date and an unknown form, in Chinese', async () => {
      const early = await f.get(`/api/forms/form1?org=${f.ids.chongren}&asOf=2004-12-31`, by.city)
      assert.equal(early.statusCode, 400)
      assert.match(early.json().error.message, /崇仁镇总工会成立于2005-01-01/)
      assert.ok(early.json().error.fields.asOf)
      const future = await f.get(`/api/forms/form1?org=${f.ids.chongren}&asOf=2999-01-01`, by.city)
      assert.equal(future.statusCode, 400)
      assert.match(future.json().error.message, /晚于今天/)
      const bad = await f.get(`/api/forms/form1?asOf=2024-02-30`, by.city)
      assert.equal(bad.statusCode, 400)
      assert.match(bad.json().error.message, /日期不存在/)
      const unknown = await f.get(`/api/forms/form9`, by.city)
      assert.equal(unknown.statusCode, 400)
      assert.match(unknown.json().error.message, /没有代码为“form9”的报表.*form1/)
    })

    it('reads a past 截止时间 from the ledger: before anything was founded today, every cell is blank', async () => {
      const r = await f.get(`/api/forms/form1?org=${f.ids.city}&asOf=2006-01-01`, by.city)
      assert.equal(r.statusCode, 200, r.body)
      const t = r.json() as FormTable
      assert.equal(t.asOf, '2006-01-01')
      assert.deepEqual(t.total.cells, [0, 0, 0, 0, 0, 0])
    })
  })

  describe('the xlsx, read back cell by cell', () => {
    let ws: ExcelJS.Worksheet
    before(async () => {
      const r = await f.get(`/api/forms/form1/export?org=${f.ids.city}`, by.city)
      assert.equal(r.statusCode, 200, r.body)
      assert.match(String(r.headers['content-type']), /spreadsheetml/)
      assert.match(decodeURIComponent(String(r.headers['content-disposition'])), /嵊州市已建联合工会基本情况登记表/)
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer)
      ws = wb.worksheets[0]!
    })

    it('prints 附件1, the title merged across, and the 填报单位 / 截止时间 line', () => {
      assert.equal(ws.getCell('A1').value, '附件1')
      assert.equal(ws.getCell('A2').value, '嵊州市已建联合工会基本情况登记表')
      assert.ok(ws.getCell('G2').isMerged && ws.getCell('G2').master.address === 'A2', 'the title spans A:G')
      assert.equal(ws.getCell('A3').value, '填报单位：嵊州市总工会')
      assert.equal(ws.getCell('E3').value, `截止时间：${chineseDate(by.today)}`)
      assert.equal(chineseDate('2017-06-30'), '2017年6月30日')
    })

    it('prints the header, every row caption as printed, numbers as numbers, zero cells blank, and the 总计 row', () => {
      assert.deepEqual(
        HEADER.map((_, i) => ws.getRow(4).getCell(i + 1).value),
        HEADER,
      )
      F1_CAPTIONS.forEach((c, i) => assert.equal(ws.getCell(5 + i, 1).value, c, `row ${5 + i}`))
      assert.equal(ws.getCell('A15').value, '总    计')
      const row = (r: number) => [2, 3, 4, 5, 6, 7].map((c) => ws.getCell(r, c).value)
      assert.deepEqual(row(5), [null, 1, 2, 50, 2, 3]) // 工业园区类
      assert.deepEqual(row(6), [1, null, 1, 12, 1, null]) // 村（社区）类
      assert.deepEqual(row(7), [null, null, null, null, null, null]) // 楼宇商圈类
      assert.deepEqual(row(14), [1, null, null, 5, 1, null]) // 其他类型
      assert.deepEqual(row(15), [2, 1, 3, 67, 4, 3]) // 总计
      assert.equal(typeof ws.getCell('E15').value, 'number')
      assert.equal(ws.getCell('A16').value, null, 'nothing below the total')
    })

    it('draws borders around the table and sets column widths', () => {
      for (const a of ['A4', 'G4', 'A5', 'D10', 'G15']) {
        const b = ws.getCell(a).border
        assert.ok(b?.top && b.left && b.bottom && b.right, `${a} has borders`)
      }
      assert.equal(ws.getCell('A3').border?.top, undefined, 'the 填报单位 line is outside the table')
      assert.ok((ws.getColumn(1).width ?? 0) >= 14)
      assert.ok((ws.getColumn(3).width ?? 0) >= 12)
      assert.equal(ws.getCell('A15').font?.bold, true)
    })
  })

  describe('form2 附件2 拟建联合工会规划申报表 from the planned joint unions', () => {
    it('keeps the planned joint unions of a town (CRUD) and rolls them up per category', async () => {
      const add = (h: Record<string, string>, b: object) => f.send('POST', '/api/planned-unions', h, b)
      const a = await add(
        by.chongren,
        plannedUnion(f.ids.chongren, '崇仁物流园联合工会', {
          category: 'logistics',
          members: 300,
          employees: 320,
          enterprises: 12,
          workers: 1,
          plannedOn: '2027-06-30',
          declaredOn: '2025-03-01',
        }),
      )
      assert.equal(a.statusCode, 201, a.body)
      assert.equal(a.json().orgName, '崇仁镇总工会')
      const b = await add(
        by.chongren,
        plannedUnion(f.ids.chongren, '崇仁建筑业工会联合会', {
          category: 'construction',
          jointForm: 'joint_federation',
          members: 100,
          employees: 150,
          enterprises: 5,
          declaredOn: '2025-05-01',
        }),
      )
      assert.equal(b.statusCode, 201, b.body)
      const c = await add(
        by.ganlin,
        plannedUnion(f.ids.ganlin, '甘霖村联合工会', {
          category: 'logistics',
          members: 50,
          employees: 60,
          enterprises: 3,
          workers: 1,
          declaredOn: '2025-03-01',
        }),
      )
      assert.equal(c.statusCode, 201, c.body)
      // members beyond the workers covered, and a negative figure: refused, naming the field
      const over = await add(by.chongren, plannedUnion(f.ids.chongren, '超额', { members: 10, employees: 5, enterprises: 1 }))
      assert.equal(over.statusCode, 400)
      assert.match(over.json().error.message, /会员数/)
      const neg = await add(by.chongren, plannedUnion(f.ids.chongren, '负数', { employees: -1, enterprises: 1 }))
      assert.equal(neg.statusCode, 400)
      assert.match(neg.json().error.message, /不能为负数/)
      // a town cannot enter or change another town's plan
      assert.equal((await add(by.ganlin, plannedUnion(f.ids.chongren, '越权'))).statusCode, 400)
      assert.equal((await f.send('PATCH', `/api/planned-unions/${a.json().id}`, by.ganlin, { members: 1 })).statusCode, 404)
      const patched = await f.send('PATCH', `/api/planned-unions/${a.json().id}`, by.chongren, { members: 310 })
      assert.equal(patched.statusCode, 200, patched.body)
      assert.equal(patched.json().members, 310)
      assert.equal((await f.send('PATCH', `/api/planned-unions/${a.json().id}`, by.chongren, { members: 999 })).statusCode, 400)

      const list = await f.get(`/api/planned-unions`, by.chongren)
      assert.deepEqual(
        list
          .json()
          .items.map((x: { name: string }) => x.name)
          .sort(),
        ['崇仁建筑业工会联合会', '崇仁物流园联合工会'],
      )
      const cityList = await f.get(`/api/planned-unions?org=${f.ids.city}&category=logistics`, by.city)
      assert.equal(cityList.json().total, 2)

      const t = (await f.get(`/api/forms/form2?org=${f.ids.city}`, by.city)).json() as FormTable
      assert.equal(t.title, '嵊州市拟建联合工会规划申报表')
      assert.equal(t.attachment, '附件2')
      assert.deepEqual(
        t.rows.map((x) => x.caption),
        F2_CAPTIONS,
      )
      assert.deepEqual(cellsOf(t, '货运快递类'), [2, 0, 360, 380, 15, 2])
      assert.deepEqual(cellsOf(t, '建筑行业类'), [0, 1, 100, 150, 5, 0])
      assert.deepEqual(t.total.cells, [2, 1, 460, 530, 20, 2])
      // declared after the 截止时间: not in the form
      const early = (await f.get(`/api/forms/form2?org=${f.ids.city}&asOf=2025-04-01`, by.city)).json() as FormTable
      assert.deepEqual(early.total.cells, [2, 0, 360, 380, 15, 2])

      const gone = await f.send('DELETE', `/api/planned-unions/${c.json().id}`, by.ganlin)
      assert.equal(gone.statusCode, 204)
      const after = (await f.get(`/api/forms/form2?org=${f.ids.city}`, by.city)).json() as FormTable
      assert.deepEqual(cellsOf(after, '货运快递类'), [1, 0, 310, 320, 12, 1])
    })
  })

  describe('npm run cli -- report', () => {
    const cli = async (args: string[]) => {
      const lines: string[] = []
      const code = await runCli(args, { database: f.database, forms: f.app.forms, out: (l) => lines.push(l), err: (l) => lines.push(l) })
      return { code, text: lines.join('\n') }
    }

    it('writes the form of an organization (by its code) to an xlsx file', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forms-cli-'))
      const out = path.join(dir, 'f1.xlsx')
      const r = await cli(['report', 'form1', '--org', rootCode, '--as-of', by.today, '--out', out])
      assert.equal(r.code, 0, r.text)
      assert.match(r.text, /嵊州市已建联合工会基本情况登记表/)
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.readFile(out)
      const ws = wb.worksheets[0]!
      assert.equal(ws.getCell('A2').value, '嵊州市已建联合工会基本情况登记表')
      assert.equal(ws.getCell('E15').value, 67)
      // scoped to the organization's subtree: 崇仁镇 sees only its own joint union
      const town = path.join(dir, 'town.xlsx')
      assert.equal((await cli(['report', 'form1', '--org', chongrenCode, '--out', town])).code, 0)
      const wb2 = new ExcelJS.Workbook()
      await wb2.xlsx.readFile(town)
      assert.equal(wb2.worksheets[0]!.getCell('A3').value, '填报单位：崇仁镇总工会')
      assert.equal(wb2.worksheets[0]!.getCell('E15').value, 5)
      const f2 = path.join(dir, 'f2.xlsx')
      assert.equal((await cli(['report', 'form2', '--org', rootCode, '--out', f2])).code, 0)
      fs.rmSync(dir, { recursive: true, force: true })
    })

    it('says in Chinese what is wrong: unknown form, unknown organization, a date before it existed, a future date', async () => {
      const out = path.join(os.tmpdir(), `forms-cli-${process.pid}.xlsx`)
      const unknown = await cli(['report', 'form9', '--org', rootCode, '--out', out])
      assert.equal(unknown.code, 1)
      assert.match(unknown.text, /未知的报表：form9.*form1.*form2/)
      const org = await cli(['report', 'form1', '--org', '999999', '--out', out])
      assert.equal(org.code, 1)
      assert.match(org.text, /组织代码 999999 不存在/)
      const early = await cli(['report', 'form1', '--org', chongrenCode, '--as-of', '2004-12-31', '--out', out])
      assert.equal(early.code, 1)
      assert.match(early.text, /成立于2005-01-01/)
      const future = await cli(['report', 'form1', '--org', chongrenCode, '--as-of', '2999-01-01', '--out', out])
      assert.equal(future.code, 1)
      assert.match(future.text, /晚于今天/)
      const missing = await cli(['report', 'form1', '--org', rootCode])
      assert.equal(missing.code, 2)
      assert.match(missing.text, /--out/)
      assert.ok(!fs.existsSync(out), 'no file written on failure')
    })

    it('accepts a form another module registers, with one call', async () => {
      const forms = f.app.forms
      forms.add({
        code: 'test_extra',
        label: '测试报表',
        editable: false,
        generate: async (_ctx, o, asOf) => ({
          ...(await forms.get('form1').generate(_ctx, o, asOf)),
          form: 'test_extra',
          title: '测试报表',
        }),
      })
      const out = path.join(os.tmpdir(), `forms-extra-${process.pid}.xlsx`)
      const r = await cli(['report', 'test_extra', '--org', rootCode, '--out', out])
      assert.equal(r.code, 0, r.text)
      assert.equal((await f.get('/api/forms/test_extra', by.city)).json().title, '测试报表')
      assert.ok((await f.get('/api/forms', by.city)).json().some((x: { code: string }) => x.code === 'test_extra'))
      forms.remove('test_extra')
      fs.rmSync(out, { force: true })
    })
  })

  describe('reporting rounds', () => {
    let r1: number
    let r2: number

    it('the city opens rounds for its towns; a town opens none for another', async () => {
      const opened = await f.send('POST', '/api/report-rounds', by.city, { form: 'form1', asOf: by.today, orgIds: [f.ids.ganlin] })
      assert.equal(opened.statusCode, 201, opened.body)
      r1 = opened.json().ids[0]
      const again = await f.send('POST', '/api/report-rounds', by.city, { form: 'form1', asOf: by.today, orgIds: [f.ids.ganlin] })
      assert.deepEqual(again.json().skipped, ['甘霖镇总工会'])
      const own = await f.send('POST', '/api/report-rounds', by.chongren, { form: 'form2', asOf: by.today, orgIds: [f.ids.chongren] })
      assert.equal(own.statusCode, 201, own.body)
      r2 = own.json().ids[0]
      const other = await f.send('POST', '/api/report-rounds', by.ganlin, { form: 'form2', asOf: by.today, orgIds: [f.ids.chongren] })
      assert.equal(other.statusCode, 400)
      assert.match(other.json().error.message, /管辖范围/)
      const early = await f.send('POST', '/api/report-rounds', by.city, { form: 'form1', asOf: '2004-06-30', orgIds: [f.ids.chongren] })
      assert.equal(early.statusCode, 400)
      assert.match(early.json().error.message, /成立于2005-01-01/)
      const top = await f.send('POST', '/api/report-rounds', by.city, { form: 'form1', asOf: by.today, orgIds: [f.ids.city] })
      assert.equal(top.statusCode, 400)
      assert.match(top.json().error.message, /没有上级工会审核/)
      // 甘霖镇 sees its own round only, the city both
      assert.deepEqual(
        (await f.get('/api/report-rounds', by.ganlin)).json().items.map((x: { id: number }) => x.id),
        [r1],
      )
      assert.equal((await f.get('/api/report-rounds', by.city)).json().total, 2)
      assert.equal((await f.get(`/api/report-rounds/${r2}`, by.ganlin)).statusCode, 404)
    })

    it('submit → approve → locked; the approved form is the snapshot, whatever the live figures do later', async () => {
      const v = (await f.get(`/api/report-rounds/${r1}`, by.ganlin)).json() as RoundView
      assert.equal(v.status, 'draft')
      assert.equal(v.editable, false)
      assert.ok(v.canSubmit && !v.canDecide && !v.canEdit)
      assert.deepEqual(v.table.total.cells, [1, 1, 3, 62, 3, 3])
      // form1's figures are the live ones: they cannot be typed over
      const typed = await f.send('PUT', `/api/report-rounds/${r1}`, by.ganlin, { rows: [], total: [9, 9, 9, 9, 9, 9] })
      assert.equal(typed.statusCode, 400)
      assert.match(typed.json().error.message, /实时统计/)
      // nobody decides on a draft
      assert.equal((await f.send('POST', `/api/report-rounds/${r1}/approve`, by.city)).statusCode, 409)

      // the town fills and submits; the city only decides
      const byCity = await f.send('POST', `/api/report-rounds/${r1}/submit`, by.city)
      assert.equal(byCity.statusCode, 403)
      assert.match(byCity.json().error.message, /由甘霖镇总工会填报和提交/)
      assert.ok(!((await f.get(`/api/report-rounds/${r1}`, by.city)).json() as RoundView).canSubmit)
      const sub = await f.send('POST', `/api/report-rounds/${r1}/submit`, by.ganlin)
      assert.equal(sub.statusCode, 200, sub.body)
      assert.equal(sub.json().status, 'submitted')
      assert.equal((await f.send('POST', `/api/report-rounds/${r1}/submit`, by.ganlin)).statusCode, 409)
      // the town cannot approve its own form; the viewer cannot either
      const self = await f.send('POST', `/api/report-rounds/${r1}/approve`, by.ganlin)
      assert.equal(self.statusCode, 403)
      assert.match(self.json().error.message, /上级工会审核/)
      assert.equal((await f.send('POST', `/api/report-rounds/${r1}/approve`, by.viewer)).statusCode, 403)
      const seen = (await f.get(`/api/report-rounds/${r1}`, by.city)).json() as RoundView
      assert.ok(seen.canDecide)
      const ok = await f.send('POST', `/api/report-rounds/${r1}/approve`, by.city)
      assert.equal(ok.statusCode, 200, ok.body)
      assert.equal(ok.json().status, 'approved')
      assert.deepEqual(
        ok.json().history.map((h: { action: string }) => h.action),
        ['open', 'submit', 'approve'],
      )

      // locked
      const resubmit = await f.send('POST', `/api/report-rounds/${r1}/submit`, by.ganlin)
      assert.equal(resubmit.statusCode, 409)
      assert.match(resubmit.json().error.message, /锁定/)
      assert.equal((await f.send('POST', `/api/report-rounds/${r1}/return`, by.city, { comment: '再改改' })).statusCode, 409)
      // even a direct update in the town's scope cannot reach an approved row (RLS)
      const touched = await f.as('ganlin', async (ctx) =>
        Number((await sql`update report_round set status = 'draft' where id = ${r1}`.execute(ctx.db)).numAffectedRows ?? 0),
      )
      assert.equal(touched, 0)

      // a new joint union in 甘霖镇 changes the live form, not the approved one
      await f.as('ganlin', (ctx) =>
        orgs.create(ctx, {
          parentId: f.ids.ganlin,
          name: '甘霖楼宇联合工会',
          orgType: '2',
          orgForm: 'joint_committee',
          regionCode: '330683100',
          jointScope: 'regional',
          jointCategory: 'building_business',
        }),
      )
      const live = (await f.get(`/api/forms/form1?org=${f.ids.ganlin}`, by.ganlin)).json() as FormTable
      assert.deepEqual(live.total.cells, [2, 1, 3, 62, 3, 3])
      const frozen = (await f.get(`/api/report-rounds/${r1}`, by.ganlin)).json() as RoundView
      assert.deepEqual(frozen.table.total.cells, [1, 1, 3, 62, 3, 3])
      const x = await f.get(`/api/report-rounds/${r1}/export`, by.ganlin)
      assert.equal(x.statusCode, 200)
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer)
      assert.equal(wb.worksheets[0]!.getCell('B15').value, 1)
    })

    it('a submission failing the cross-checks names the offending cells and saves nothing', async () => {
      const v = (await f.get(`/api/report-rounds/${r2}`, by.chongren)).json() as RoundView
      assert.equal(v.editable, true)
      assert.ok(v.canEdit)
      const rows = v.table.rows.map((r) => ({ key: r.key, cells: [...r.cells] }))
      const before = JSON.stringify(v.table)
      const village = rows.find((r) => r.key === 'village_community')!
      village.cells = [1, 0, 200, 150, 4, -1] // 会员数 > 涵盖职工数, and a negative 工会工作者数
      const total = [...v.table.total.cells] // not the sum any more
      const bad = await f.send('POST', `/api/report-rounds/${r2}/submit`, by.chongren, { cells: { rows, total } })
      assert.equal(bad.statusCode, 400)
      const e = bad.json().error
      assert.equal(e.code, 'cross_check')
      assert.match(e.message, /村（社区）类 · 会员数：会员数（200）不能大于涵盖职工数（150）/)
      assert.ok(e.fields['village_community.members'])
      assert.match(e.fields['village_community.workers'], /不能为负数/)
      assert.match(e.fields['total.committees'], /总计 · 联合工会数：合计（1）不等于各行之和（2）/)
      const problems = e.detail.problems as { row: string; column: string }[]
      assert.ok(problems.some((p) => p.row === '_total' && p.column === 'members'))
      const after = (await f.get(`/api/report-rounds/${r2}`, by.chongren)).json() as RoundView
      assert.equal(after.status, 'draft')
      assert.equal(JSON.stringify(after.table), before, 'the refused submission saved its cells')
      assert.deepEqual(
        after.history.map((h) => h.action),
        ['open'],
      )
    })

    it('submit → return with a comment → edit → resubmit → approve', async () => {
      const v = (await f.get(`/api/report-rounds/${r2}`, by.chongren)).json() as RoundView
      const rows = v.table.rows.map((r) => ({ key: r.key, cells: r.key === 'village_community' ? [1, 0, 100, 150, 4, 1] : [...r.cells] }))
      const sumOf = (i: number) => rows.reduce((s, r) => s + Number(r.cells[i] ?? 0), 0)
      const total = [0, 1, 2, 3, 4, 5].map(sumOf)
      // saving a draft keeps the cells and reports what the checks find
      const saved = await f.send('PUT', `/api/report-rounds/${r2}`, by.chongren, { rows, total: [...total.slice(0, 5), 99] })
      assert.equal(saved.statusCode, 200, saved.body)
      assert.deepEqual(
        saved.json().problems.map((p: { row: string; column: string }) => `${p.row}.${p.column}`),
        ['_total.workers'],
      )
      const sub = await f.send('POST', `/api/report-rounds/${r2}/submit`, by.chongren, { cells: { rows, total } })
      assert.equal(sub.statusCode, 200, sub.body)
      assert.equal(sub.json().status, 'submitted')
      assert.equal((await f.send('PUT', `/api/report-rounds/${r2}`, by.chongren, { rows, total })).statusCode, 409)

      const noComment = await f.send('POST', `/api/report-rounds/${r2}/return`, by.city, { comment: ' ' })
      assert.equal(noComment.statusCode, 400)
      assert.match(noComment.json().error.message, /退回须说明理由/)
      const back = await f.send('POST', `/api/report-rounds/${r2}/return`, by.city, { comment: '村（社区）类会员数偏低，请核实' })
      assert.equal(back.statusCode, 200, back.body)
      assert.equal(back.json().status, 'returned')
      assert.equal(back.json().comment, '村（社区）类会员数偏低，请核实')
      const list = (await f.get('/api/report-rounds?status=returned', by.chongren)).json()
      assert.deepEqual(
        list.items.map((x: { id: number }) => x.id),
        [r2],
      )

      rows.find((r) => r.key === 'village_community')!.cells = [1, 0, 140, 150, 4, 1]
      const total2 = [0, 1, 2, 3, 4, 5].map(sumOf)
      const again = await f.send('POST', `/api/report-rounds/${r2}/submit`, by.chongren, { cells: { rows, total: total2 } })
      assert.equal(again.statusCode, 200, again.body)
      assert.equal(again.json().comment, null)
      const ok = await f.send('POST', `/api/report-rounds/${r2}/approve`, by.city)
      assert.equal(ok.statusCode, 200, ok.body)
      const done = ok.json() as RoundView
      assert.equal(done.status, 'approved')
      assert.deepEqual(done.table.rows.find((r) => r.key === 'village_community')!.cells, [1, 0, 140, 150, 4, 1])
      assert.deepEqual(
        done.history.map((h) => h.action),
        ['open', 'save', 'submit', 'return', 'submit', 'approve'],
      )
      assert.equal(done.history[3]!.comment, '村（社区）类会员数偏低，请核实')
      assert.ok(!done.canEdit && !done.canSubmit && !done.canDecide)
    })

    it('audits every submission, approval and return', async () => {
      const rows = await f.database.db
        .selectFrom('audit_log')
        .select(['action', 'target_id'])
        .where('action', 'like', 'form.round.%')
        .orderBy('id')
        .execute()
      const of = (id: number) => rows.filter((r) => String(r.target_id) === String(id)).map((r) => r.action)
      assert.deepEqual(of(r1), ['form.round.open', 'form.round.submit', 'form.round.approve'])
      assert.deepEqual(of(r2), [
        'form.round.open',
        'form.round.save',
        'form.round.submit',
        'form.round.return',
        'form.round.submit',
        'form.round.approve',
      ])
    })
  })
})
