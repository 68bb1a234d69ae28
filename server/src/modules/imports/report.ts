/** The workbooks of imports: a job's problems (行号, 列, 类型, 问题) and the roster template. */
import fs from 'node:fs'
import { PassThrough } from 'node:stream'
import ExcelJS from 'exceljs'
import type { Ctx } from '../../http/context.js'
import * as repo from './imports.repository.js'
import { columns } from './columns.js'
import { loadJob } from './job.js'
import { openEnterprises } from './enterprise-import.js'
import { enterpriseColumns } from './enterprise-rows.js'
import { openRoster, type Encoding, type FileFormat } from './reader.js'

const kindLabels: Record<string, string> = { error: '错误', elsewhere: '已是其他工会会员（可接转）', existing: '已是本工会会员（跳过）' }

/**
 * The problems as an xlsx workbook: 行号, 列, 类型, 问题; and, while the uploaded file is kept (until
 * it is imported or expires), the rows in question as the file has them with a 问题说明 column
 * last — a sheet to correct in place and upload again (the importer ignores the extra column).
 */
export async function report(ctx: Ctx, id: number): Promise<{ fileName: string; data: Buffer }> {
  const job = await loadJob(ctx, id)
  const out = new PassThrough()
  const chunks: Buffer[] = []
  out.on('data', (c: Buffer) => chunks.push(c))
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true })
  const ws = wb.addWorksheet('问题清单')
  ws.columns = [
    { header: '行号', key: 'r', width: 8 },
    { header: '列', key: 'c', width: 14 },
    { header: '类型', key: 'k', width: 24 },
    { header: '问题', key: 'm', width: 80 },
  ]
  let n = 0
  for await (const rows of repo.iterateProblems(ctx.db, id)) {
    for (const p of rows) {
      ws.addRow([p.row_no, p.column_name, kindLabels[p.kind] ?? p.kind, p.message]).commit()
      n++
    }
  }
  ws.addRow([]).commit()
  const kept = fs.existsSync(job.file_path)
  ws.addRow([
    job.kind === 'enterprise'
      ? `文件：${job.file_name}  共 ${job.total_rows} 行，有错误 ${job.error_rows} 行；行号为原文件中的行号`
      : `文件：${job.file_name}  共 ${job.total_rows} 行，有错误 ${job.error_rows} 行，已是本工会会员 ${job.existing_rows} 人，已是其他工会会员 ${job.elsewhere_rows} 人；行号为原文件中的行号`,
  ]).commit()
  ws.addRow([
    kept
      ? '「待修改数据」工作表是这些行的原始内容，最后一列是问题说明：在该表中直接修改后，可作为新文件再次导入'
      : '原文件已导入或已过期删除，无法附上原始数据行',
  ]).commit()
  ws.commit()
  if (kept) await originalRows(ctx, job, wb.addWorksheet('待修改数据'))
  await wb.commit()
  ctx.audit({
    action: job.kind === 'enterprise' ? 'enterprise.import.report' : 'member.import.report',
    targetType: 'import_job',
    targetId: id,
    targetName: job.file_name,
    scopePath: job.org_path,
    detail: { problems: n },
  })
  return { fileName: `导入问题清单-${job.file_name.replace(/\.[^.]+$/, '')}.xlsx`, data: Buffer.concat(chunks) }
}

/** A cell as the file had it: a number stays a number, a date its day, anything else text (never a formula). */
const asWritten = (v: unknown) =>
  v == null ? '' : typeof v === 'number' ? v : v instanceof Date ? v.toISOString().slice(0, 10) : String(v)

/** The problem rows of the file as uploaded (errors and members elsewhere), each with its problems in a last column. */
async function originalRows(ctx: Ctx, job: repo.JobRow, ws: ExcelJS.Worksheet) {
  const why = new Map<number, string[]>()
  for await (const rows of repo.iterateProblems(ctx.db, job.id))
    for (const p of rows) {
      if (p.kind === 'existing') continue
      const list = why.get(p.row_no) ?? []
      list.push(p.column_name ? `${p.column_name}：${p.message}` : p.message)
      why.set(p.row_no, list)
    }
  const opened =
    job.kind === 'enterprise'
      ? await openEnterprises(job, ctx.pii)
      : await openRoster(job.file_path, job.file_format as FileFormat, job.encoding as Encoding, ctx.pii)
  const width = opened.headerCells.length
  const head = ws.addRow([...opened.headerCells.map((c) => (c == null ? '' : String(c))), '问题说明'])
  head.font = { bold: true }
  head.commit()
  for await (const batch of opened.batches)
    for (const r of batch) {
      const problems = why.get(r.rowNo)
      if (!problems) continue
      const cells = Array.from({ length: width }, (_, i) => asWritten(r.cells[i]))
      const row = ws.addRow([...cells, problems.join('；')])
      row.getCell(width + 1).font = { color: { argb: 'FFC00000' } }
      row.commit()
    }
  ws.commit()
}

// ── the templates ─────────────────────────────────────────────────────────────
interface TemplateColumn {
  key: string
  header: string
  required?: boolean
  codes?: readonly { code: string; label: string }[]
  kind?: string
  width: number
}

/**
 * A template workbook: one sheet to fill (headers, * for the required ones, text cells where
 * digits must stay as written), drop-down lists for the coded columns, and a 填写说明 sheet.
 */
function templateBook(sheet: string, cols: readonly TemplateColumn[], textKeys: string[]) {
  const wb = new ExcelJS.Workbook()
  wb.creator = '工会平台'
  const ws = wb.addWorksheet(sheet)
  const lists = wb.addWorksheet('代码表', { state: 'veryHidden' })
  const help = wb.addWorksheet('填写说明')
  ws.columns = cols.map((c) => ({ header: c.required ? `${c.header}*` : c.header, key: c.key, width: c.width }))
  ws.getRow(1).font = { bold: true }
  ws.views = [{ state: 'frozen', ySplit: 1 }]
  const last = 5001
  const validations = (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations
  let listCol = 0
  cols.forEach((c, i) => {
    const letter = ws.getColumn(i + 1).letter
    if (textKeys.includes(c.key)) ws.getColumn(i + 1).numFmt = '@'
    if (c.kind === 'date') ws.getColumn(i + 1).numFmt = 'yyyy-mm-dd'
    const codes = c.codes
    if (!codes) return
    listCol++
    const lc = lists.getColumn(listCol)
    lists.getCell(1, listCol).value = c.header
    codes.forEach((r, j) => {
      lists.getCell(j + 2, listCol).value = r.label
    })
    const ref = `'代码表'!$${lc.letter}$2:$${lc.letter}$${codes.length + 1}`
    validations.add(`${letter}2:${letter}${last}`, {
      type: 'list',
      allowBlank: true,
      formulae: [ref],
      showErrorMessage: true,
      errorStyle: 'warning',
      errorTitle: c.header,
      error: `请从下拉列表中选择${c.header}`,
    })
  })
  help.columns = [
    { header: '列', width: 16 },
    { header: '说明', width: 90 },
  ]
  help.getRow(1).font = { bold: true }
  return { wb, help }
}

/** The roster template: one sheet to fill, drop-down lists for the coded fields, and instructions. */
export async function template(): Promise<Buffer> {
  const { wb, help } = templateBook('会员信息', columns, ['documentNumber', 'phone'])
  const notes: Record<string, string> = {
    name: '必填',
    documentNumber: '必填；居民身份证18位（15位旧号自动转换）；请将单元格设为文本，以免末位被改成0',
    documentType: '不填为居民身份证',
    gender: '不填时按身份证号码推出',
    birthDate: '不填时按身份证号码推出；写成 1990-01-31',
    phone: '11位手机号',
    joinedOn: '不填为导入当天；写成 2020-03-01',
    isMigrant: '是 / 否',
    isModelWorker: '是 / 否',
    union:
      '可不填：一个文件含多个工会的会员时填写，写工会全称或组织代码，须为本级或下级工会（不在管辖范围内的工会，该行不导入并在问题清单中说明）；不填时导入到上传时所选的工会',
  }
  for (const c of columns) help.addRow([c.header, [notes[c.key], c.codes ? '从下拉列表选择，也可填代码' : ''].filter(Boolean).join('；')])
  help.addRow([])
  help.addRow([
    '',
    '也可上传 CSV（UTF-8 或 GBK 编码均可）；列名可用常见写法，如「身份证号码」「公民身份号码」「手机」「联系电话」「会员姓名」「入会时间」',
  ])
  help.addRow(['', '上传后系统先检查，列出每一行的问题，确认后再导入；已是其他工会会员的人员不会重复登记，请办理接转'])
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** The enterprise register template (用人单位导入模板): the 登记单位 form's fields as columns. */
export async function enterpriseTemplate(): Promise<Buffer> {
  const { wb, help } = templateBook('用人单位', enterpriseColumns, ['creditCode', 'town', 'contactPhone'])
  for (const c of enterpriseColumns) help.addRow([c.header, c.note])
  help.addRow([])
  help.addRow(['', '也可上传 CSV（UTF-8 或 GBK 编码均可）；每一行按“登记单位”表单的规则检查'])
  help.addRow([
    '',
    '上传后系统先检查，列出每一行的问题（可下载问题清单，在其中直接修改后重新上传）；确认后可“全部导入”（有错误时不导入）或“只导入正确的行”',
  ])
  help.addRow(['', '统一社会信用代码已在名录中的单位不会重复登记'])
  return Buffer.from(await wb.xlsx.writeBuffer())
}
