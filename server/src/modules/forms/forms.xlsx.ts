/**
 * A FormTable laid out as the seed prints it: the attachment label (附件1), the title merged
 * across the table, the 填报单位 / 截止时间 line, the header, one row per caption, the total row,
 * thin borders around every cell of the table, numbers as numbers and zero cells left blank.
 */
import ExcelJS from 'exceljs'
import { chineseDate, sheetsOf, type FormCell, type FormTable } from '../../../../common/forms.js'

const thin = { style: 'thin' as const }
const border = { top: thin, left: thin, bottom: thin, right: thin }
const FONT = '宋体'

/** What a cell shows: counts as numbers, zero and empty as blank (the seed leaves them blank). */
export function cellValue(kind: 'count' | 'text', v: FormCell): string | number | null {
  if (v === null || v === '') return null
  if (kind === 'count') return typeof v === 'number' ? (v === 0 ? null : v) : Number(v) || null
  return String(v)
}

export function addFormSheet(wb: ExcelJS.Workbook, t: FormTable, sheetName = t.attachment ?? t.form) {
  const n = t.columns.length + 1
  // a wide form (the monitoring table) on A3 landscape (paperSize 8), as wide as its printed sheets, the
  // caption column and the header repeated on every page (print titles, set below); the others on A4 portrait
  const a3 = t.paper === 'a3-landscape'
  const ws = wb.addWorksheet(sheetName.slice(0, 31), {
    pageSetup: {
      // A3 is paper size 8 in the OOXML page setup (ExcelJS's PaperSize enum lists no A3)
      paperSize: (a3 ? 8 : 9) as ExcelJS.PaperSize,
      orientation: a3 ? 'landscape' : 'portrait',
      fitToPage: true,
      fitToWidth: a3 ? sheetsOf(t).length : 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.6, right: 0.6, top: 0.8, bottom: 0.8, header: 0.3, footer: 0.3 },
    },
  })
  ws.columns = [{ width: 18 }, ...t.columns.map((c) => ({ width: c.width ?? (c.kind === 'text' ? 20 : 12) }))]
  let r = 1
  if (t.attachment) {
    const c = ws.getCell(r, 1)
    c.value = t.attachment
    c.font = { name: '黑体', size: 12 }
    r++
  }
  // the title, merged across the table (a line break makes a two-line title)
  ws.mergeCells(r, 1, r, n)
  const title = ws.getCell(r, 1)
  title.value = t.title
  title.font = { name: FONT, size: 18, bold: true }
  title.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true }
  ws.getRow(r).height = t.title.includes('\n') ? 52 : 34
  r++
  if (t.filler !== null || t.asOf !== null) {
    const split = Math.max(1, Math.ceil(n / 2))
    ws.mergeCells(r, 1, r, split)
    const left = ws.getCell(r, 1)
    left.value = t.filler !== null ? `填报单位：${t.filler}` : null
    left.font = { name: FONT, size: 11 }
    left.alignment = { horizontal: 'left', vertical: 'middle' }
    if (split < n) ws.mergeCells(r, split + 1, r, n)
    const right = ws.getCell(r, split < n ? split + 1 : n)
    right.value = t.asOf !== null ? `截止时间：${chineseDate(t.asOf)}` : null
    right.font = { name: FONT, size: 11 }
    right.alignment = { horizontal: 'right', vertical: 'middle' }
    ws.getRow(r).height = 22
    r++
  }
  const headerFrom = r
  const headCell = (c: ExcelJS.Cell) => {
    c.font = { name: FONT, size: 11, bold: true }
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true }
    c.border = border
  }
  if (t.groups) {
    // a row of group labels (each merged over its columns), the caption header merged over both rows
    const row = ws.getRow(r)
    row.height = 32
    let col = 2
    for (const g of t.groups) {
      if (g.span > 1) ws.mergeCells(r, col, r, col + g.span - 1)
      ws.getCell(r, col).value = g.label
      for (let i = col; i < col + g.span; i++) headCell(ws.getCell(r, i))
      col += g.span
    }
    ws.mergeCells(r, 1, r + 1, 1)
    r++
  }
  const header = ws.getRow(r)
  header.values = [t.captionHeader, ...t.columns.map((c) => c.label)]
  header.height = 28
  header.eachCell(headCell)
  if (t.groups) headCell(ws.getCell(headerFrom, 1))
  ws.views = [{ state: 'frozen', ySplit: r, xSplit: a3 ? 1 : 0 }]
  ws.pageSetup.printTitlesRow = `${headerFrom}:${r}`
  if (a3) ws.pageSetup.printTitlesColumn = 'A:A'
  r++
  const body = (caption: string, cells: FormCell[], bold: boolean) => {
    const row = ws.getRow(r)
    row.getCell(1).value = caption
    t.columns.forEach((c, i) => {
      row.getCell(i + 2).value = cellValue(c.kind, cells[i] ?? null)
    })
    row.height = 24
    for (let i = 1; i <= n; i++) {
      const c = row.getCell(i)
      c.border = border
      c.font = { name: FONT, size: 11, bold }
      const kind = i === 1 ? 'caption' : t.columns[i - 2]!.kind
      c.alignment = { horizontal: kind === 'text' ? 'left' : 'center', vertical: 'middle', wrapText: kind !== 'count' }
      if (kind === 'count') c.numFmt = '0'
    }
    r++
  }
  for (const row of t.rows) body(row.caption, row.cells, false)
  body(t.total.caption, t.total.cells, true)
  for (const note of t.notes) {
    ws.mergeCells(r, 1, r, n)
    const c = ws.getCell(r, 1)
    c.value = note
    c.font = { name: FONT, size: 10 }
    c.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true }
    r++
  }
  return ws
}

export async function formXlsx(t: FormTable): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = '工会组建工作平台'
  wb.created = new Date()
  addFormSheet(wb, t)
  return Buffer.from(await wb.xlsx.writeBuffer())
}
