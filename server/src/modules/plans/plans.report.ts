/**
 * The 通报 of a plan's progress as xlsx: sheet 1 the ranking of the sub-regions by completion with
 * each count target (目标, 完成, 完成率, 状态) and the 末位 flagged; sheet 2 the monitoring table.
 */
import ExcelJS from 'exceljs'
import { chineseDate } from '../../../../common/forms.js'
import { statusLabel, type TargetProgress } from '../../../../common/plans.js'
import type { Ctx } from '../../http/context.js'
import { monitoring } from './plans.forms.js'
import * as service from './plans.service.js'

const thin = { style: 'thin' as const, color: { argb: 'FF999999' } }
const border = { top: thin, left: thin, bottom: thin, right: thin }
const RED = 'FFFDE2E1'

function rateText(t: TargetProgress) {
  if (t.rate === null) return '—'
  return `${(t.rate * 100).toFixed(1)}%`
}

export async function bulletinXlsx(ctx: Ctx, id: number, q: { org?: number; asOf?: string; rankBy: string }) {
  const pr = await service.progress(ctx, id, q)
  const wb = new ExcelJS.Workbook()
  wb.creator = 'Gonghui 工会'
  const ws = wb.addWorksheet('进度通报')
  const counts = pr.own.filter((t) => t.kind === 'count')
  const rates = pr.own.filter((t) => t.kind === 'rate')
  const header = [
    '排名',
    '单位',
    ...counts.flatMap((t) => [`${t.label}目标`, '完成', '完成率', '状态']),
    ...rates.map((t) => `${t.label}（≥${t.target}%）`),
    pr.rankBy.key === 'overall' ? '综合完成率' : '完成率',
    '末位',
    '进度滞后',
  ]
  const width = header.length
  const title = ws.addRow([`${pr.plan.name}进度通报`])
  title.font = { bold: true, size: 16 }
  title.alignment = { horizontal: 'center' }
  ws.mergeCells(1, 1, 1, width)
  const sub = ws.addRow([
    `通报单位：${pr.org.name}　　截止时间：${chineseDate(pr.asOf)}　　统计期：${pr.window.from} 至 ${pr.window.to}　　当前应完成：${pr.milestone.expectedShare}%`,
  ])
  ws.mergeCells(2, 1, 2, width)
  sub.alignment = { horizontal: 'center' }
  const h = ws.addRow(header)
  h.font = { bold: true }
  h.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true }
  h.eachCell((c) => {
    c.border = border
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } }
  })
  const line = (
    rank: number | string,
    name: string,
    tp: TargetProgress[],
    completion: number | null,
    lagging: boolean,
    behind: boolean,
  ) => {
    const cs = tp.filter((t) => t.kind === 'count')
    const rs = tp.filter((t) => t.kind === 'rate')
    return [
      rank,
      name,
      ...cs.flatMap((t) => [
        t.target ?? '',
        t.numerator,
        t.target ? Number(((t.numerator / t.target) * 100).toFixed(1)) / 100 : '',
        statusLabel(t.status),
      ]),
      ...rs.map((t) => (t.denominator ? `${rateText(t)}（${t.numerator}/${t.denominator}）${t.status === 'met' ? '' : ' 未达标'}` : '—')),
      completion === null ? '' : Number((completion * 100).toFixed(1)) / 100,
      lagging ? '末位' : '',
      behind ? '是' : '',
    ]
  }
  for (const r of pr.rows) {
    const row = ws.addRow(line(r.rank ?? '—', r.org.name, r.targets, r.completion, r.lagging, r.behind))
    row.eachCell({ includeEmpty: true }, (c) => {
      c.border = border
    })
    if (r.lagging)
      row.eachCell({ includeEmpty: true }, (c) => {
        c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: RED } }
      })
  }
  const total = ws.addRow(
    line(
      '',
      `${pr.org.name}（合计）`,
      pr.own,
      null,
      false,
      pr.own.some((t) => t.status === 'behind'),
    ),
  )
  total.font = { bold: true }
  total.eachCell({ includeEmpty: true }, (c) => {
    c.border = border
  })
  // percentages as numbers formatted as %
  header.forEach((hd, i) => {
    if (hd === '完成率' || hd === '综合完成率') ws.getColumn(i + 1).numFmt = '0.0%'
    ws.getColumn(i + 1).width = i === 1 ? 24 : Math.min(30, Math.max(8, hd.length * 2))
  })
  ws.addRow([])
  ws.addRow([`排名依据：${pr.rankBy.label}。${pr.laggingRule}。`])
  if (pr.milestone.next)
    ws.addRow([
      `下一节点：${pr.milestone.next.dueOn}${pr.milestone.next.label ? `（${pr.milestone.next.label}）` : ''}，应完成 ${pr.milestone.next.share}%。`,
    ])

  const m = await monitoring(ctx, { org: pr.org.id, asOf: pr.asOf, plan: id })
  const ms = wb.addWorksheet('目标监测')
  const mw = m.columns.length + 1
  const mt = ms.addRow([m.title])
  mt.font = { bold: true, size: 14 }
  ms.mergeCells(1, 1, 1, mw)
  ms.addRow([`填报单位：${m.filler ?? ''}　　截止时间：${m.asOf ? chineseDate(m.asOf) : ''}`])
  ms.mergeCells(2, 1, 2, mw)
  const mh = ms.addRow([m.captionHeader, ...m.columns.map((c) => c.label)])
  mh.font = { bold: true }
  mh.alignment = { horizontal: 'center', wrapText: true }
  for (const r of [...m.rows, { key: '_total', caption: m.total.caption, cells: m.total.cells }]) {
    const row = ms.addRow([r.caption, ...r.cells.map((c) => c ?? '')])
    row.eachCell({ includeEmpty: true }, (c) => {
      c.border = border
      if (c.value === '进度滞后' || c.value === '未达标') c.font = { color: { argb: 'FFC8102E' } }
    })
  }
  ms.getColumn(1).width = 26
  m.columns.forEach((c, i) => {
    ms.getColumn(i + 2).width = c.width ?? 12
  })
  ms.addRow([])
  for (const n of m.notes) ms.addRow([n])

  const buffer = Buffer.from(await wb.xlsx.writeBuffer())
  return { buffer, fileName: `${pr.plan.name}进度通报（${pr.org.name}，${pr.asOf}）.xlsx` }
}
