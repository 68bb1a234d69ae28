/**
 * The columns of an enterprise register file (用人单位批量导入) and the check of its rows: each row
 * becomes the body the 登记单位 form sends and is checked as the form is (the same schema, the
 * same town and credit-code checks, enterprises/register.ts), its town given by name or code and
 * resolved within the importer's jurisdiction.
 */
import { enterpriseCreateBody } from '../../../../common/api.js'
import { economicTypes, industries, unitNatures, type CodeRow } from '../../../../common/codes.js'
import type { Ctx } from '../../http/context.js'
import { AppError } from '../../http/errors.js'
import * as enterprises from '../enterprises/enterprises.repository.js'
import { heldBy, placeIn, type CreateBody, type Place } from '../enterprises/register.js'
import * as regions from '../regions/regions.repository.js'
import { codeIn, normalizeHeader, parseDate } from './columns.js'
import type { Row } from './reader.js'

export type EnterpriseKey = keyof CreateBody | 'town'

export interface EnterpriseColumn {
  key: EnterpriseKey
  header: string
  required?: boolean
  aliases: string[]
  codes?: readonly CodeRow[]
  kind?: 'date' | 'bool' | 'count'
  width: number
  note: string
}

const yesNo: readonly CodeRow[] = [
  { code: 'true', label: '是' },
  { code: 'false', label: '否' },
]

export const enterpriseColumns: EnterpriseColumn[] = [
  { key: 'name', header: '单位名称', required: true, aliases: ['企业名称', '名称', '单位全称'], width: 32, note: '必填；营业执照上的全称' },
  {
    key: 'creditCode',
    header: '统一社会信用代码',
    required: true,
    aliases: ['信用代码', '社会信用代码', '统一代码'],
    width: 22,
    note: '必填；18位，请将单元格设为文本',
  },
  {
    key: 'town',
    header: '所在镇街',
    required: true,
    aliases: ['所在乡镇', '乡镇（街道）', '乡镇街道', '所在乡镇（街道）', '镇街', '所在政区', '行政区划代码'],
    width: 16,
    note: '必填；乡镇（街道）名称，或9位乡镇、12位村（社区）行政区划代码；须在您的管辖范围内',
  },
  { key: 'nature', header: '单位性质', required: true, aliases: [], codes: unitNatures, width: 14, note: '必填；从下拉列表选择' },
  { key: 'employees', header: '职工人数', required: true, aliases: ['从业人数', '员工人数'], kind: 'count', width: 10, note: '必填；整数' },
  {
    key: 'industry',
    header: '行业',
    aliases: ['所属行业', '行业门类'],
    codes: industries,
    width: 20,
    note: '从下拉列表选择，也可填门类字母',
  },
  { key: 'economicType', header: '经济类型', aliases: [], codes: economicTypes, width: 14, note: '从下拉列表选择' },
  { key: 'aboveScale', header: '规模以上工业', aliases: ['规上企业', '规模以上'], codes: yesNo, kind: 'bool', width: 12, note: '是 / 否' },
  { key: 'zoneName', header: '开发区/园区', aliases: ['所在园区', '园区', '开发区'], width: 16, note: '不在开发区或园区的不填' },
  { key: 'isPlatform', header: '新就业形态平台企业', aliases: ['平台企业'], codes: yesNo, kind: 'bool', width: 12, note: '是 / 否' },
  { key: 'migrantWorkers', header: '农民工人数', aliases: [], kind: 'count', width: 10, note: '整数，不多于职工人数' },
  { key: 'dispatchedWorkers', header: '劳务派遣人数', aliases: [], kind: 'count', width: 10, note: '整数，不多于职工人数' },
  { key: 'foundedOn', header: '成立日期', aliases: ['成立时间', '注册日期'], kind: 'date', width: 12, note: '写成 2020-03-01' },
  { key: 'legalRep', header: '法定代表人', aliases: ['法人代表', '法人'], width: 10, note: '加密保存，页面上脱敏显示' },
  { key: 'contactName', header: '联系人', aliases: [], width: 10, note: '加密保存，页面上脱敏显示' },
  {
    key: 'contactPhone',
    header: '联系电话',
    aliases: ['电话', '手机', '联系人电话'],
    width: 14,
    note: '手机号码或带区号的固定电话；加密保存，页面上脱敏显示',
  },
  { key: 'address', header: '地址', aliases: ['单位地址', '住所', '注册地址'], width: 30, note: '' },
]

const headerIndex = new Map<string, EnterpriseKey>()
for (const c of enterpriseColumns) for (const h of [c.header, ...c.aliases]) headerIndex.set(normalizeHeader(h), c.key)
const byKey = new Map(enterpriseColumns.map((c) => [c.key, c]))

export interface EnterpriseHeader {
  at: Partial<Record<EnterpriseKey, number>>
  /** the file's own header text per field, for messages */
  names: Partial<Record<EnterpriseKey, string>>
  ignored: string[]
}

export const enterpriseHeaderMissing = '未找到表头：文件前几行中应有「单位名称」和「统一社会信用代码」两列；请使用导入模板'

/** Recognizes a header row; null without 单位名称 and 统一社会信用代码. */
export function mapEnterpriseHeader(cells: unknown[]): EnterpriseHeader | null {
  const h: EnterpriseHeader = { at: {}, names: {}, ignored: [] }
  cells.forEach((raw, i) => {
    const key = headerIndex.get(normalizeHeader(raw))
    if (key && h.at[key] === undefined) {
      h.at[key] = i
      h.names[key] = String(raw).trim()
    } else if (String(raw ?? '').trim()) h.ignored.push(String(raw).trim())
  })
  return h.at.name === undefined || h.at.creditCode === undefined ? null : h
}

/** A row's cell as text ('' when empty); a number as written (an xlsx number cell). */
function text(v: unknown): string {
  if (v == null) return ''
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  return String(v).trim()
}

export interface CheckedRow {
  rowNo: number
  problems: { column: string; message: string }[]
  /** a row without problems: the body the form would send, and its town */
  body?: CreateBody
  place?: Place
}

/** What a check of the whole file remembers from row to row: where each credit code was met, and the towns resolved. */
export interface CheckState {
  /** the subtree the file is imported into (the job's union) */
  within: { path: string; name: string }
  seen: Map<string, number>
  towns: Map<string, { regionCode: string; place: Place } | { error: string }>
}
export const checkState = (within: CheckState['within']): CheckState => ({ within, seen: new Map(), towns: new Map() })

/** The town of a cell, within the caller's jurisdiction: a code as it is, a name among the towns the caller may reach. */
async function resolveTown(ctx: Ctx, state: CheckState, value: string) {
  const known = state.towns.get(value)
  if (known) return known
  let out: { regionCode: string; place: Place } | { error: string }
  const placed = async (code: string) => {
    try {
      const place = await placeIn(ctx, code)
      if (!place.home.path.startsWith(state.within.path)) return { error: `不在「${state.within.name}」的范围内` }
      return { regionCode: code, place }
    } catch (e) {
      if (e instanceof AppError) return { error: e.fields?.regionCode ?? e.message }
      throw e
    }
  }
  if (/^\d{9}(\d{3})?$/.test(value)) out = await placed(value)
  else {
    const named = await regions.townsNamed(ctx.db, [value.replace(/[\s\u3000]/g, '')])
    out = { error: named.length ? `「${value}」不在您的管辖范围内` : `找不到名为「${value}」的乡镇（街道），请填写全称或9位行政区划代码` }
    let reachable = 0
    for (const t of named) {
      const p = await placed(t.code)
      if ('place' in p) {
        if (reachable++ === 0) out = p
        else out = { error: `管辖范围内有多个「${value}」，请改填9位行政区划代码` }
      } else if (reachable === 0 && named.length === 1) out = p // the form's own words: 所在政区「…」不在您的管辖范围内
    }
  }
  state.towns.set(value, out)
  return out
}

/**
 * Checks a batch of rows as the 登记单位 form would check each: the schema's messages on the
 * columns of the file, the town within the jurisdiction, the credit code once in the file and not
 * in the register (the unit that has it named when the caller may see it, else only that another
 * jurisdiction has it). Writes nothing.
 */
export async function checkEnterpriseRows(ctx: Ctx, header: EnterpriseHeader, rows: Row[], state: CheckState): Promise<CheckedRow[]> {
  const column = (key: EnterpriseKey) => header.names[key] ?? byKey.get(key)?.header ?? key
  const out: CheckedRow[] = []
  for (const r of rows) {
    const problems: CheckedRow['problems'] = []
    const body: Record<string, unknown> = {}
    let town: { regionCode: string; place: Place } | null = null
    for (const c of enterpriseColumns) {
      const i = header.at[c.key]
      const v = i === undefined ? '' : text(r.cells[i])
      if (!v) {
        if (c.required) problems.push({ column: column(c.key), message: '不能为空' })
        continue
      }
      if (c.key === 'town') {
        const t = await resolveTown(ctx, state, v)
        if ('error' in t) problems.push({ column: column('town'), message: t.error })
        else {
          town = t
          body.regionCode = t.regionCode
        }
      } else if (c.kind === 'date') {
        const d = parseDate(r.cells[i!])
        if (d.ok) body[c.key] = d.value
        else problems.push({ column: column(c.key), message: d.message })
      } else if (c.codes) {
        const code = codeIn(c.codes, v)
        // an unknown label goes to the schema as it is: its message is the form's
        body[c.key] = c.kind === 'bool' ? (code === undefined ? v : code === 'true') : (code ?? v)
      } else body[c.key] = c.key === 'creditCode' ? v.toUpperCase() : v
    }
    const parsed = enterpriseCreateBody.safeParse(body)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? '') as EnterpriseKey
        if (key === 'regionCode') continue // the town: reported above
        const col = column(key)
        if (!problems.some((p) => p.column === col)) problems.push({ column: col, message: issue.message })
      }
    }
    const code = parsed.success ? parsed.data.creditCode : null
    if (code) {
      const first = state.seen.get(code)
      if (first !== undefined) problems.push({ column: column('creditCode'), message: `与第${first}行重复（同一单位在文件中出现多次）` })
      else state.seen.set(code, r.rowNo)
    }
    out.push({ rowNo: r.rowNo, problems, ...(parsed.success && town && !problems.length ? { body: parsed.data, place: town.place } : {}) })
  }
  // the register: one look for the batch, within the jurisdiction and anywhere
  const codes = out.filter((c) => c.body).map((c) => c.body!.creditCode)
  const [held, taken] = await Promise.all([enterprises.findByCreditCodes(ctx.db, codes), enterprises.creditCodesTaken(ctx.db, codes)])
  const holders = new Map(held.map((h) => [h.credit_code, h]))
  for (const c of out) {
    if (!c.body) continue
    const h = holders.get(c.body.creditCode)
    const message = h
      ? `${heldBy(h)}，不要重复登记`
      : taken.has(c.body.creditCode)
        ? '另一辖区已有该代码，不在您的管辖范围内；如该单位已迁入本辖区，请联系上级工会办理'
        : null
    if (message) {
      c.problems.push({ column: column('creditCode'), message })
      delete c.body
      delete c.place
    }
  }
  return out
}
