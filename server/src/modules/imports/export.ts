/**
 * The roster of a subtree as xlsx or csv: masked by default; unmasked only for a role allowed to
 * reveal personal data, with a reason, audited, and watermarked with the user and the time.
 * Written row by row to a temporary file (never the whole roster in memory) and sent from there.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import crypto from 'node:crypto'
import { once } from 'node:events'
import ExcelJS from 'exceljs'
import { localDateTime } from '../../local-time.js'
import type { z } from 'zod'
import type { memberExportQuery } from '../../../../common/api-members.js'
import {
  documentTypes,
  employmentStatuses,
  genders,
  labelOf,
  newEmploymentOccupations,
  roles as roleTable,
} from '../../../../common/codes.js'
import { educations, ethnicities, householdTypes, memberStatuses, politicalStatuses, skillLevels } from '../../../../common/member-codes.js'
import type { Ctx } from '../../http/context.js'
import { badRequest, forbidden, notFound } from '../../http/errors.js'
import * as orgs from '../orgs/orgs.repository.js'
import * as repo from './imports.repository.js'
import { revealBirth } from '../members/identity.js'
import { mayReveal } from '../../policies/policy.js'

const HEAD = [
  '会员号',
  '姓名',
  '性别',
  '民族',
  '出生日期',
  '证件类型',
  '证件号码',
  '手机号码',
  '学历',
  '政治面貌',
  '就业状况',
  '技术等级',
  '户籍类型',
  '户籍所在地',
  '是否农民工',
  '工作单位',
  '职务',
  '是否劳模',
  '新就业形态职业',
  '入会日期',
  '所属工会',
  '会籍状态',
]

const yn = (b: boolean) => (b ? '是' : '否')

export interface ExportFile {
  path: string
  fileName: string
  contentType: string
  rows: number
}

export async function exportRoster(ctx: Ctx, q: z.output<typeof memberExportQuery>): Promise<ExportFile> {
  let scope: string
  let scopeName: string
  if (q.org) {
    const o = await orgs.findById(ctx.db, q.org)
    if (!o) throw notFound('组织')
    scope = o.path
    scopeName = o.name
  } else {
    if (!ctx.actor.scopePath) throw forbidden('您的账号没有管辖范围')
    scope = ctx.actor.scopePath
    scopeName = ctx.actor.orgName ?? '本级'
  }
  const unmasked = q.unmasked === 'true'
  if (unmasked) {
    if (!mayReveal(ctx.actor)) throw forbidden('您的角色无权导出完整的证件号码、手机号和出生日期')
    if (!q.reason || q.reason.trim().length < 2)
      throw badRequest('导出完整的证件号码、手机号和出生日期须说明原因', { reason: '请说明导出原因' })
  }
  const at = localDateTime(new Date(), { seconds: true })
  const mark = `导出人：${ctx.actor.displayName}（${ctx.actor.username}） 导出时间：${at} ${unmasked ? `含完整个人信息，原因：${q.reason}；` : ''}仅限工会工作使用，不得外传`
  const file = path.join(os.tmpdir(), `gonghui-roster-${crypto.randomBytes(8).toString('hex')}.${q.format}`)
  const write = q.format === 'csv' ? csvWriter(file, mark) : xlsxWriter(file, mark, scopeName)
  let rows = 0
  try {
    let after = 0
    while (true) {
      const r = { rows: await repo.rosterPage(ctx.db, scope, after, { status: q.status, quality: q.quality, occupation: q.occupation }) }
      if (r.rows.length === 0) break
      for (const m of r.rows) {
        await write.row([
          m.member_no,
          m.name,
          labelOf(genders, m.gender),
          labelOf(ethnicities, m.ethnicity),
          // the birth date with the masked number would rebuild it: only in an unmasked export
          unmasked ? (revealBirth(ctx.pii, m) ?? '') : '',
          labelOf(documentTypes, m.document_type),
          unmasked ? ctx.pii.decrypt(m.document_enc) : m.document_masked,
          unmasked ? (m.phone_enc ? ctx.pii.decrypt(m.phone_enc) : '') : (m.phone_masked ?? ''),
          labelOf(educations, m.education),
          labelOf(politicalStatuses, m.political_status),
          labelOf(employmentStatuses, m.employment_status),
          labelOf(skillLevels, m.skill_level),
          labelOf(householdTypes, m.household_type),
          m.household_place ?? '',
          yn(m.is_migrant),
          m.workplace ?? '',
          m.job_title ?? '',
          yn(m.is_model_worker),
          labelOf(newEmploymentOccupations, m.occupation),
          m.joined_on,
          m.union_name ?? '',
          labelOf(memberStatuses, m.status),
        ])
        rows++
      }
      after = r.rows[r.rows.length - 1]!.id
    }
    await write.end(rows)
  } catch (e) {
    await write.end(rows).catch(() => undefined)
    fs.rmSync(file, { force: true })
    throw e
  }
  ctx.audit({
    action: unmasked ? 'member.export.unmasked' : 'member.export',
    targetType: 'member',
    targetName: `${scopeName} 会员名册`,
    scopePath: scope,
    detail: {
      org: q.org ?? null,
      filter: { status: q.status, quality: q.quality, occupation: q.occupation },
      format: q.format,
      unmasked,
      reason: unmasked ? q.reason : undefined,
      rows,
    },
  })
  const stamp = new Date().toISOString().slice(0, 10)
  return {
    path: file,
    rows,
    fileName: `会员名册-${scopeName}-${stamp}${unmasked ? '-含完整信息' : ''}.${q.format}`,
    contentType: q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  }
}

/**
 * A CSV cell, never read as a formula: a value starting with = + - @, a tab or a carriage return
 * gets a leading single quote (OWASP "CSV injection"); a name like =HYPERLINK(…) stays text.
 */
export const csvCell = (v: unknown) => {
  let s = String(v ?? '')
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n\t]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** An xlsx cell: text or a number, never an object ExcelJS would write as a formula or a link. */
const xlsxCell = (v: unknown) => (v == null ? '' : typeof v === 'number' ? v : String(v))

function csvWriter(file: string, mark: string) {
  // the roster in clear (an unmasked export): readable by this user only, until it is sent and deleted
  const out = fs.createWriteStream(file, { mode: 0o600 })
  // BOM, so that Excel opens it as UTF-8; the first line is the watermark
  out.write('\uFEFF' + csvCell(mark) + '\r\n' + HEAD.map(csvCell).join(',') + '\r\n')
  return {
    async row(cells: unknown[]) {
      if (!out.write(cells.map(csvCell).join(',') + '\r\n')) await once(out, 'drain')
    },
    async end() {
      out.end()
      await once(out, 'close')
    },
  }
}

function xlsxWriter(file: string, mark: string, scopeName: string) {
  fs.writeFileSync(file, '', { mode: 0o600 }) // ExcelJS opens it for writing and keeps the mode
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false })
  const ws = wb.addWorksheet('会员名册', {
    headerFooter: { oddHeader: `&L${mark.replace(/&/g, '&&')}`, oddFooter: `&L${mark.replace(/&/g, '&&')}&R第 &P 页，共 &N 页` },
  })
  ws.columns = HEAD.map((h) => ({ header: h, width: h === '工作单位' || h === '所属工会' ? 24 : h === '证件号码' ? 22 : 12 }))
  void scopeName
  return {
    async row(cells: unknown[]) {
      ws.addRow(cells.map(xlsxCell)).commit()
    },
    async end(n: number) {
      ws.addRow([]).commit()
      ws.addRow([`${mark}；共 ${n} 条`]).commit()
      ws.commit()
      await wb.commit()
    },
  }
}
