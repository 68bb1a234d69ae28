/**
 * One roster row → a member record, or the problems of the row (column and reason in Chinese).
 * Runs a million times per large import: no regular expression on the common path.
 */
import { checkGender, normalizeDocumentKey, validateDocument } from '../../../../common/documents.js'
import { maskDocument, maskPhone, validateMobile } from '../../../../common/id-card.js'
import type { DocumentType } from '../../../../common/codes.js'
import type { Selectable } from 'kysely'
import type { Pii } from '../../security/pii.js'
import type { MemberTable } from '../../db/schema.js'
import { birthInDocument } from '../members/identity.js'
import { codeOf, columns, parseDate, unionKey, type ColumnDef, type FieldKey, type HeaderMap, type UnionIndex } from './columns.js'

export interface Problem {
  rowNo: number
  column: string
  message: string
}

/** The member columns a roster holds, as db/schema.ts types them (the import writes them, the export reads them). */
export type RosterColumns = Pick<
  Selectable<MemberTable>,
  | 'name'
  | 'gender'
  | 'ethnicity'
  | 'birth_date'
  | 'document_type'
  | 'document_enc'
  | 'document_masked'
  | 'phone_enc'
  | 'phone_masked'
  | 'education'
  | 'political_status'
  | 'employment_status'
  | 'skill_level'
  | 'household_type'
  | 'household_place'
  | 'is_migrant'
  | 'workplace'
  | 'job_title'
  | 'is_model_worker'
  | 'occupation'
  | 'joined_on'
>

/** A valid row, ready for the member table (personal numbers sealed when `seal` was asked). */
export interface RowRecord extends RosterColumns, Pick<Selectable<MemberTable>, 'document_hash' | 'phone_hash' | 'quality'> {
  rowNo: number
  /** the document number and mobile number in clear, normalized (sealed in bulk by `processBatch`) */
  doc: string
  mobile: string | null
  /** the union its 所属工会 names; null: the union chosen at upload */
  union_id: number | null
}

const byKey = Object.fromEntries(columns.map((c) => [c.key, c])) as Record<FieldKey, ColumnDef>
const limits: Partial<Record<FieldKey, number>> = { name: 40, householdPlace: 100, workplace: 100, jobTitle: 40 }

function text(v: unknown): string {
  if (v == null) return ''
  if (typeof v === 'string') return v.trim()
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v)
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  return String(v).trim()
}

function fastMobile(s: string): string | null {
  if (s.length !== 11 || s.charCodeAt(0) !== 49) return null
  const c1 = s.charCodeAt(1)
  if (c1 < 51 || c1 > 57) return null
  for (let i = 2; i < 11; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return null
  }
  return s
}

export interface RowContext {
  header: HeaderMap
  pii: Pii
  today: string
  /** encrypt (commit); the dry run only hashes */
  seal: boolean
  /** the unions a 所属工会 column may name (the importer's jurisdiction); only with that column */
  unions?: UnionIndex
}

// The per-row helpers live at module level: closures created per row cost more than the checks
// (and tsx wraps each one to keep its name).
let cur: { rc: RowContext; rowNo: number; cells: unknown[]; problems: Problem[] } = { rc: null as never, rowNo: 0, cells: [], problems: [] }

function colName(k: FieldKey) {
  return cur.rc.header.names[k] ?? byKey[k].header
}
function get(k: FieldKey) {
  const i = cur.rc.header.at[k]
  return i === undefined ? '' : text(cur.cells[i])
}
function raw(k: FieldKey) {
  const i = cur.rc.header.at[k]
  return i === undefined ? null : cur.cells[i]
}
function bad(k: FieldKey, message: string) {
  cur.problems.push({ rowNo: cur.rowNo, column: colName(k), message })
}
function coded(k: FieldKey): string | null {
  if (cur.rc.header.at[k] === undefined) return null
  const v = get(k)
  if (!v) return null
  const c = codeOf(byKey[k], v)
  if (c === undefined) {
    bad(k, `「${v.slice(0, 30)}」不是有效的${byKey[k].header}，请填写下拉列表中的名称或其代码`)
    return null
  }
  return c
}
function limited(k: FieldKey): string | null {
  if (cur.rc.header.at[k] === undefined) return null
  const v = get(k)
  if (!v) return null
  const max = limits[k]
  if (max && v.length > max) bad(k, `不能超过${max}个字`)
  return v
}

/** Validates one row; pushes its problems and returns null, or returns the record. */
export function checkRow(rc: RowContext, rowNo: number, cells: unknown[], problems: Problem[]): RowRecord | null {
  cur = { rc, rowNo, cells, problems }
  const before = problems.length

  const name = get('name')
  if (!name) bad('name', '姓名不能为空')
  else if (name.length > 40) bad('name', '姓名不能超过40个字')

  const docTypeText = get('documentType')
  let docType: string = 'resident_id'
  if (docTypeText) {
    const c = codeOf(byKey.documentType, docTypeText)
    if (c === undefined) bad('documentType', `「${docTypeText.slice(0, 30)}」不是有效的证件类型`)
    else docType = c
  }
  const doc = validateDocument(docType as DocumentType, get('documentNumber'), { today: rc.today })
  if (!doc.ok) bad('documentNumber', doc.message)

  let gender = coded('gender')
  if (doc.ok) {
    const g = checkGender(doc, gender)
    if (g) bad('gender', g)
    if (!gender) gender = doc.gender ?? null
  }
  let birth: string | null = null
  const birthRaw = raw('birthDate')
  if (birthRaw != null && text(birthRaw) !== '') {
    const d = parseDate(birthRaw)
    if (!d.ok) bad('birthDate', d.message)
    else if (d.value > rc.today) bad('birthDate', `「${d.value}」晚于今天`)
    else {
      birth = d.value
      if (doc.ok && doc.birthDate && doc.birthDate !== birth) bad('birthDate', '出生日期与证件号码不符')
    }
  }
  if (!birth && doc.ok && doc.birthDate) birth = doc.birthDate
  if (!gender && doc.ok && problems.length === before) bad('gender', '性别不能为空（该证件类型无法从号码推出性别）')

  let mobile: string | null = null
  const phone = get('phone')
  if (phone) {
    mobile = fastMobile(phone)
    if (!mobile) {
      const m = validateMobile(phone)
      if (!m.ok) bad('phone', m.message)
      else mobile = m.value
    }
  }

  let joined = rc.today
  const joinedRaw = raw('joinedOn')
  if (joinedRaw != null && text(joinedRaw) !== '') {
    const d = parseDate(joinedRaw)
    if (!d.ok) bad('joinedOn', d.message)
    else if (d.value > rc.today) bad('joinedOn', `入会日期「${d.value}」晚于今天`)
    else if (birth && d.value < birth) bad('joinedOn', `入会日期「${d.value}」早于出生日期`)
    else joined = d.value
  }

  // 所属工会: a union of the importer's jurisdiction, by name or code; blank: the union chosen at upload
  let unionId: number | null = null
  const unionText = rc.header.at.union === undefined ? '' : get('union')
  if (unionText) {
    const id = rc.unions?.keys[unionKey(unionText)]
    const named = unionText.slice(0, 40)
    if (id === undefined)
      bad(
        'union',
        `「${named}」不在您的管辖范围内，或没有这个工会：请填写本级或下级工会的全称或组织代码；其他工会的会员请由其所属工会或上级工会导入`,
      )
    else if (id === 0) bad('union', `有多个工会名为「${named}」，请改填该工会的组织代码`)
    else if (rc.unions!.dissolved.includes(id)) bad('union', `「${named}」已注销，不能导入会员`)
    else unionId = id
  }

  const rec = {
    ethnicity: coded('ethnicity'),
    education: coded('education'),
    political_status: coded('politicalStatus'),
    employment_status: coded('employmentStatus') ?? '1',
    skill_level: coded('skillLevel'),
    household_type: coded('householdType'),
    is_migrant: coded('isMigrant') === 'true',
    is_model_worker: coded('isModelWorker') === 'true',
    occupation: coded('occupation'),
    household_place: limited('householdPlace'),
    workplace: limited('workplace'),
    job_title: limited('jobTitle'),
  }
  if (problems.length > before || !doc.ok) return null

  const key = normalizeDocumentKey(docType as DocumentType, doc.value)
  const phoneHash = mobile ? rc.pii.hash(`phone:${mobile}`) : null
  return {
    rowNo,
    doc: doc.value,
    mobile,
    name,
    gender: gender!,
    birth_date: birth,
    document_type: docType,
    document_hash: rc.pii.hash(key),
    document_enc: rc.seal ? rc.pii.encrypt(doc.value) : '',
    document_masked: maskDocument(doc.value),
    phone_enc: mobile && rc.seal ? rc.pii.encrypt(mobile) : null,
    phone_hash: phoneHash,
    phone_masked: mobile ? maskPhone(mobile) : null,
    ...rec,
    joined_on: joined,
    union_id: unionId,
    // 合格 = valid document, no duplicate, required fields (see members/enroll.ts qualityOf)
    quality: name && gender && phoneHash && rec.workplace ? 'ok' : 'missing_fields',
  }
}

// ── batches (in a worker thread, or inline for small files) ─────────────────────

/** The columns of the commit's staging table, in the order `processBatch` writes them. */
export const stageColumns = [
  ['row_no', 'integer'],
  ['name', 'text'],
  ['gender', 'text'],
  ['ethnicity', 'text'],
  ['birth_enc', 'text'],
  ['document_type', 'text'],
  ['document_enc', 'text'],
  ['document_hash', 'text'],
  ['document_masked', 'text'],
  ['phone_enc', 'text'],
  ['phone_hash', 'text'],
  ['phone_masked', 'text'],
  ['education', 'text'],
  ['political_status', 'text'],
  ['employment_status', 'text'],
  ['skill_level', 'text'],
  ['household_type', 'text'],
  ['household_place', 'text'],
  ['is_migrant', 'boolean'],
  ['workplace', 'text'],
  ['job_title', 'text'],
  ['is_model_worker', 'boolean'],
  ['occupation', 'text'],
  ['joined_on', 'date'],
  ['quality', 'text'],
  ['union_id', 'bigint'],
] as const

export interface BatchRow {
  rowNo: number
  cells: unknown[]
  /** CSV: the field whose quote was still open at the end of the line (reader.ts); the row is refused */
  openQuote?: number
}

/** The problem of a CSV row whose quote was left open: the row is never merged with the next ones. */
export function openQuoteProblem(header: HeaderMap, rowNo: number, field: number): Problem {
  const key = (Object.keys(header.at) as FieldKey[]).find((k) => header.at[k] === field)
  const column = key ? (header.names[key] ?? byKey[key].header) : `第${field + 1}列`
  return {
    rowNo,
    column,
    message: `「${column}」以引号开头，但引号在本行内没有闭合（或单元格内有换行）：每位会员须在一行内，本行未读取；请删除多余的引号或单元格内的换行`,
  }
}

/** What one batch of rows came to. */
export interface BatchOut {
  rows: number
  /** valid rows (commit: written to `copy`; dry run: listed in rowNos/hashes) */
  valid: number
  /** rows with at least one problem */
  errorRows: number
  /** dry run: every problem; commit: the first problem only (an "all" commit stops at it) */
  problems: Problem[]
  /** commit: the valid rows sealed, as COPY text lines in `stageColumns` order, UTF-8 */
  copy: Uint8Array | null
  /** dry run: row number, document hash and 所属工会 (0: the union chosen at upload) of each valid row */
  rowNos: number[]
  hashes: string[]
  unions: number[]
}

const utf8 = new TextEncoder()
const SPECIAL = /[\\\t\n\r]/
/** A value in COPY text format: \N for null, backslash escapes for the four special characters. */
function cp(v: string | null): string {
  if (v === null) return '\\N'
  if (!SPECIAL.test(v)) return v
  return v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
}

/**
 * Validates a batch of rows; for a commit also encrypts the personal numbers (in bulk) and writes
 * the valid rows as COPY text; for a dry run keeps every problem and the document hashes.
 */
export function processBatch(rc: RowContext, rows: BatchRow[], purpose: 'check' | 'commit'): BatchOut {
  const out: BatchOut = { rows: rows.length, valid: 0, errorRows: 0, problems: [], copy: null, rowNos: [], hashes: [], unions: [] }
  const recs: RowRecord[] = []
  const problems: Problem[] = []
  for (const r of rows) {
    if (r.openQuote !== undefined) {
      out.errorRows++
      if (purpose === 'check' || out.problems.length === 0) out.problems.push(openQuoteProblem(rc.header, r.rowNo, r.openQuote))
      continue
    }
    const before = problems.length
    const rec = checkRow(rc, r.rowNo, r.cells, problems)
    if (rec) recs.push(rec)
    else if (problems.length > before) {
      out.errorRows++
      if (purpose === 'check') for (let i = before; i < problems.length; i++) out.problems.push(problems[i]!)
      else if (out.problems.length === 0) out.problems.push(problems[before]!)
    }
    problems.length = 0
  }
  out.valid = recs.length
  if (purpose === 'check') {
    for (const rec of recs) {
      out.rowNos.push(rec.rowNo)
      out.hashes.push(rec.document_hash)
      out.unions.push(rec.union_id ?? 0)
    }
    return out
  }
  // document, mobile and — only for a document that does not encode it — the birth date (never kept in clear)
  const plain: (string | null)[] = new Array(recs.length * 3)
  for (let i = 0; i < recs.length; i++) {
    const r = recs[i]!
    plain[3 * i] = r.doc
    plain[3 * i + 1] = r.mobile
    plain[3 * i + 2] = r.birth_date && !birthInDocument(r.document_type) ? r.birth_date : null
  }
  const enc = rc.pii.encryptMany(plain)
  const lines: string[] = new Array(recs.length)
  for (let i = 0; i < recs.length; i++) {
    const r = recs[i]!
    lines[i] =
      `${r.rowNo}\t${cp(r.name)}\t${cp(r.gender)}\t${cp(r.ethnicity)}\t${enc[3 * i + 2] ?? '\\N'}\t${cp(r.document_type)}\t${enc[3 * i]}\t${r.document_hash}\t${cp(r.document_masked)}\t${enc[3 * i + 1] ?? '\\N'}\t${r.phone_hash ?? '\\N'}\t${cp(r.phone_masked)}\t${cp(r.education)}\t${cp(r.political_status)}\t${cp(r.employment_status)}\t${cp(r.skill_level)}\t${cp(r.household_type)}\t${cp(r.household_place)}\t${r.is_migrant ? 't' : 'f'}\t${cp(r.workplace)}\t${cp(r.job_title)}\t${r.is_model_worker ? 't' : 'f'}\t${cp(r.occupation)}\t${r.joined_on}\t${r.quality}\t${r.union_id ?? '\\N'}\n`
  }
  // bytes of its own (not a slice of a shared pool): a worker hands the buffer over without a copy
  if (lines.length) out.copy = utf8.encode(lines.join(''))
  return out
}
