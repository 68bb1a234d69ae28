/**
 * The columns of a member roster file: the template's headers, the header variants other systems
 * use, and how each cell is read (codes or labels for coded fields, many date spellings, 是/否).
 */
import { documentTypes, employmentStatuses, genders, newEmploymentOccupations, type CodeRow } from '../../../../common/codes.js'
import { educations, ethnicities, householdTypes, politicalStatuses, skillLevels } from '../../../../common/member-codes.js'

export type FieldKey =
  | 'name'
  | 'gender'
  | 'ethnicity'
  | 'birthDate'
  | 'documentType'
  | 'documentNumber'
  | 'phone'
  | 'education'
  | 'politicalStatus'
  | 'employmentStatus'
  | 'skillLevel'
  | 'householdType'
  | 'householdPlace'
  | 'isMigrant'
  | 'workplace'
  | 'jobTitle'
  | 'isModelWorker'
  | 'occupation'
  | 'joinedOn'
  | 'union'

export interface ColumnDef {
  key: FieldKey
  /** the template's header */
  header: string
  required?: boolean
  /** other spellings seen in real rosters */
  aliases: string[]
  codes?: readonly CodeRow[]
  kind?: 'date' | 'bool'
  width: number
}

const yesNo: readonly CodeRow[] = [
  { code: 'true', label: '是' },
  { code: 'false', label: '否' },
]

export const columns: ColumnDef[] = [
  { key: 'name', header: '姓名', required: true, aliases: ['会员姓名', '职工姓名', '姓名（必填）'], width: 10 },
  { key: 'gender', header: '性别', aliases: [], codes: genders, width: 8 },
  { key: 'ethnicity', header: '民族', aliases: [], codes: ethnicities, width: 10 },
  { key: 'birthDate', header: '出生日期', aliases: ['出生年月', '出生年月日', '生日'], kind: 'date', width: 12 },
  { key: 'documentType', header: '证件类型', aliases: ['证件种类'], codes: documentTypes, width: 14 },
  {
    key: 'documentNumber',
    header: '证件号码',
    required: true,
    aliases: ['身份证号码', '身份证号', '公民身份号码', '身份证', '证件号', '身份证件号码'],
    width: 22,
  },
  { key: 'phone', header: '手机号码', aliases: ['手机', '手机号', '联系电话', '移动电话', '电话', '联系方式'], width: 14 },
  { key: 'education', header: '学历', aliases: ['文化程度', '最高学历'], codes: educations, width: 14 },
  { key: 'politicalStatus', header: '政治面貌', aliases: [], codes: politicalStatuses, width: 12 },
  { key: 'employmentStatus', header: '就业状况', aliases: ['就业状态'], codes: employmentStatuses, width: 10 },
  { key: 'skillLevel', header: '技术等级', aliases: ['职业资格等级', '技能等级'], codes: skillLevels, width: 20 },
  { key: 'householdType', header: '户籍类型', aliases: ['户口性质', '户口类型', '户籍性质'], codes: householdTypes, width: 10 },
  { key: 'householdPlace', header: '户籍所在地', aliases: ['户籍地', '户口所在地', '籍贯'], width: 20 },
  { key: 'isMigrant', header: '是否农民工', aliases: ['农民工'], codes: yesNo, kind: 'bool', width: 10 },
  { key: 'workplace', header: '工作单位', aliases: ['单位名称', '所在单位', '单位'], width: 24 },
  { key: 'jobTitle', header: '职务', aliases: ['岗位', '职务/岗位'], width: 10 },
  { key: 'isModelWorker', header: '是否劳模', aliases: ['劳模'], codes: yesNo, kind: 'bool', width: 10 },
  { key: 'occupation', header: '新就业形态职业', aliases: ['新就业形态', '新就业形态类型'], codes: newEmploymentOccupations, width: 14 },
  { key: 'joinedOn', header: '入会日期', aliases: ['入会时间'], kind: 'date', width: 12 },
  // optional: a file holding several unions names each row's union (its name or 组织代码); without it, the union chosen at upload
  {
    key: 'union',
    header: '所属工会',
    aliases: ['所属工会名称', '所属工会代码', '工会名称', '工会代码', '所在工会', '基层工会'],
    width: 24,
  },
]

/**
 * The unions a row's 所属工会 may name: the importer's jurisdiction (read under row-level
 * security), by full name, short name and 组织代码. Plain data: it goes to the worker threads.
 */
export interface UnionIndex {
  /** unionKey(name, short name or code) → the union's id; 0 when several unions share the name */
  keys: Record<string, number>
  /** ids of dissolved unions (they take no members) */
  dissolved: number[]
}

/** A union's name or code as compared: no spaces, full-width brackets as ASCII ones. */
export function unionKey(v: string): string {
  return v
    .replace(/[\s\u3000]/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .toUpperCase()
}

export function unionIndex(rows: { id: number; code: string; name: string; short_name: string | null; status: string }[]): UnionIndex {
  const keys: Record<string, number> = {}
  const byName = (k: string, id: number) => {
    if (!k) return
    const had = keys[k]
    keys[k] = had === undefined || had === id ? id : 0
  }
  for (const r of rows) {
    byName(unionKey(r.name), r.id)
    if (r.short_name) byName(unionKey(r.short_name), r.id)
  }
  // a code names one union: it wins over a name spelled the same
  for (const r of rows) keys[unionKey(r.code)] = r.id
  return { keys, dissolved: rows.filter((r) => r.status === 'dissolved').map((r) => r.id) }
}

/** '证件号码*', ' 身份证号码（必填）', '手机(号码)' → comparable form */
export function normalizeHeader(h: unknown): string {
  return String(h ?? '')
    .replace(/^\uFEFF/, '')
    .replace(/[\s\u3000*＊]/g, '')
    .replace(/[（(]必填[)）]|[（(]选填[)）]/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
}

const headerIndex = new Map<string, FieldKey>()
for (const c of columns) for (const h of [c.header, ...c.aliases]) headerIndex.set(normalizeHeader(h), c.key)

export interface HeaderMap {
  /** field → index of the column in the file */
  at: Partial<Record<FieldKey, number>>
  /** the file's own header text per field, for messages */
  names: Partial<Record<FieldKey, string>>
  ignored: string[]
}

/** Recognizes a header row; null if it lacks the required columns. */
export function mapHeader(cells: unknown[]): HeaderMap | null {
  const at: HeaderMap['at'] = {}
  const names: HeaderMap['names'] = {}
  const ignored: string[] = []
  cells.forEach((raw, i) => {
    const key = headerIndex.get(normalizeHeader(raw))
    if (key && at[key] === undefined) {
      at[key] = i
      names[key] = String(raw).trim()
    } else if (String(raw ?? '').trim()) ignored.push(String(raw).trim())
  })
  if (at.name === undefined || at.documentNumber === undefined) return null
  return { at, names, ignored }
}

// ── reading cells ─────────────────────────────────────────────────────────────

/** label, code, short label or full name → code */
const codeIndex = new Map<readonly CodeRow[], Map<string, string>>()
function lookup(table: readonly CodeRow[]) {
  let m = codeIndex.get(table)
  if (!m) {
    m = new Map()
    for (const r of table) {
      const row = r as CodeRow & { shortLabel?: string; fullName?: string }
      for (const v of [r.code, r.label, row.shortLabel, row.fullName]) if (v) m.set(normalizeHeader(v).toUpperCase(), r.code)
    }
    codeIndex.set(table, m)
  }
  return m
}
for (const c of columns) if (c.codes) lookup(c.codes)
// common spellings beyond the tables
const extra: Partial<Record<FieldKey, Record<string, string>>> = {
  gender: { 男性: '1', 女性: '2', M: '1', F: '2' },
  documentType: {
    身份证: 'resident_id',
    居民身份证: 'resident_id',
    二代身份证: 'resident_id',
    港澳通行证: 'hk_macao_pass',
    台胞证: 'taiwan_pass',
    居住证: 'hmt_residence',
    永久居留证: 'foreign_permanent',
  },
  ethnicity: { 汉: '01' },
  politicalStatus: { 党员: '01', 预备党员: '02', 团员: '03', 无党派: '12' },
  isMigrant: { Y: 'true', N: 'false', 1: 'true', 0: 'false', TRUE: 'true', FALSE: 'false', 是的: 'true' },
  isModelWorker: { Y: 'true', N: 'false', 1: 'true', 0: 'false', TRUE: 'true', FALSE: 'false' },
  education: {
    本科: '21',
    大专: '31',
    专科: '31',
    硕士: '14',
    博士: '11',
    研究生: '14',
    高中: '61',
    中专: '41',
    初中: '71',
    小学: '81',
    职高: '44',
    技校: '47',
  },
}
for (const c of columns) {
  const e = extra[c.key]
  if (e && c.codes) for (const [k, v] of Object.entries(e)) lookup(c.codes).set(normalizeHeader(k).toUpperCase(), v)
}

export function codeOf(col: ColumnDef, text: string): string | undefined {
  return codeIn(col.codes!, text)
}

/** The code of a label, code, short label or full name of `table`. */
export function codeIn(table: readonly CodeRow[], text: string): string | undefined {
  const m = lookup(table)
  // the common case: the label or code exactly as the template writes it
  return m.get(text) ?? m.get(normalizeHeader(text).toUpperCase())
}

function daysIn(y: number, m: number) {
  return m === 2 ? ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31
}

/**
 * 'YYYY-MM-DD' from 2020-03-01, 2020/3/1, 2020.3.1, 20200301, 2020年3月1日, an Excel serial day
 * number (xlsx cells read without styles), or a Date; an error message otherwise.
 */
export function parseDate(v: unknown): { ok: true; value: string } | { ok: false; message: string } {
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return { ok: false, message: '不是有效日期' }
    return { ok: true, value: v.toISOString().slice(0, 10) }
  }
  let s = typeof v === 'number' ? String(v) : String(v ?? '').trim()
  let y: number, m: number, d: number
  let mt: RegExpMatchArray | null
  if ((mt = s.match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/))) {
    y = +mt[1]!
    m = +mt[2]!
    d = +mt[3]!
  } else if ((mt = s.match(/^(\d{4})(\d{2})(\d{2})$/))) {
    y = +mt[1]!
    m = +mt[2]!
    d = +mt[3]!
  } else if (/^\d{1,5}(\.\d+)?$/.test(s) && Number(s) > 0 && Number(s) < 80000) {
    // Excel serial: day 1 = 1900-01-01, with the 1900 leap-year bug (serial 60)
    const t = Date.UTC(1899, 11, 30) + Math.floor(Number(s)) * 86400000
    s = new Date(t).toISOString().slice(0, 10)
    return { ok: true, value: s }
  } else if ((mt = s.match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/))) {
    y = +mt[1]!
    m = +mt[2]!
    d = 1
  } else {
    return { ok: false, message: `「${s.slice(0, 20)}」不是可识别的日期，请写成 2020-03-01` }
  }
  if (m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return { ok: false, message: `「${s}」不是有效日期` }
  if (y < 1900) return { ok: false, message: `「${s}」早于1900年` }
  return { ok: true, value: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` }
}
