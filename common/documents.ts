/**
 * Validation of every 证件类型 of ./codes `documentTypes`, and the key that
 * enforces 一人一籍 (one person, one membership) across them.
 *
 * | type              | 证件                     | accepted numbers                                              |
 * |-------------------|--------------------------|---------------------------------------------------------------|
 * | resident_id       | 居民身份证               | GB 11643: 18 characters, or an old 15-digit one (→ 18)        |
 * | hk_macao_pass     | 港澳居民来往内地通行证   | H or M + 8 digits (终身号) or + 10 digits (终身号 + 换证次数) |
 * | taiwan_pass       | 台湾居民来往大陆通行证   | 8 digits (2015 card) or 10 digits (old), old suffix (B) kept  |
 * | hmt_residence     | 港澳台居民居住证         | GB 11643 format, region 810000 / 820000 / 830000              |
 * | foreign_permanent | 外国人永久居留身份证     | 3 letters + 12 digits (old) or 18, first '9', MOD 11-2 (2023) |
 * | passport          | 护照                     | 5 to 17 letters or digits                                     |
 *
 * Input is normalized before it is checked: full-width characters become
 * ASCII, letters upper case, and all white space (also inner, full-width and
 * zero-width) is dropped. This runs on every row of imports of a million
 * members, so it works on char codes and builds no regular expression.
 *
 * All numbers are sensitive personal information: show them with
 * `maskDocument` of ./id-card.
 */
import { z } from 'zod'
import { documentTypes, labelOf, type DocumentType } from './codes'
import { convertResidentId15To18, idCheckChar, validateResidentId } from './id-card'

export type DocumentResult =
  | {
      ok: true
      type: DocumentType
      /** The normalized number (trimmed, upper case, ASCII); an old 15-digit 身份证 is converted to 18. */
      value: string
      /** 'YYYY-MM-DD', for the numbers that encode it (居民身份证, 港澳台居民居住证). */
      birthDate?: string
      /** GB/T 2261.1 '1' 男 / '2' 女, for the numbers that encode it (居民身份证, 港澳台居民居住证). */
      gender?: '1' | '2'
    }
  | { ok: false; message: string }

export type DocumentOk = Extract<DocumentResult, { ok: true }>
export type DocumentFailure = Extract<DocumentResult, { ok: false }>

export interface DocumentOptions {
  /**
   * The date that birth dates may not be after; default: the current local
   * date. Pass it once per import ('YYYY-MM-DD') rather than per row.
   */
  today?: Date | string | undefined
  /** The earliest plausible year of birth; default 1900. */
  minBirthYear?: number | undefined
}

/** The Chinese name of a 证件类型 ('' for null, the code itself if unknown). */
export function documentTypeLabel(type: string | null | undefined): string {
  return labelOf(documentTypes, type)
}

// ---------------------------------------------------------------------------
// Character helpers (char codes, no regular expressions)

const C_0 = 48
const C_9 = 57
const C_A = 65
const C_Z = 90

function isSpace(c: number): boolean {
  return (
    c === 0x20 ||
    (c >= 0x09 && c <= 0x0d) ||
    c === 0xa0 ||
    c === 0x3000 ||
    c === 0xfeff ||
    (c >= 0x2000 && c <= 0x200b) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f
  )
}

function isDigitCode(c: number): boolean {
  return c >= C_0 && c <= C_9
}

function isLetterCode(c: number): boolean {
  return c >= C_A && c <= C_Z
}

/** True if s[from..to) are all ASCII digits (and the range is inside s). */
function allDigits(s: string, from = 0, to = s.length): boolean {
  if (to > s.length || from > to) return false
  for (let i = from; i < to; i++) if (!isDigitCode(s.charCodeAt(i))) return false
  return true
}

function allLetters(s: string, from: number, to: number): boolean {
  if (to > s.length || from > to) return false
  for (let i = from; i < to; i++) if (!isLetterCode(s.charCodeAt(i))) return false
  return true
}

function allLettersOrDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (!isDigitCode(c) && !isLetterCode(c)) return false
  }
  return true
}

/**
 * Normalize the text of a document number: full-width ASCII (ＡＢＣ１２３（）)
 * becomes ASCII, a–z becomes A–Z, and white space anywhere is dropped
 * (spaces, tabs, the ideographic space, no-break and zero-width spaces).
 * No other check; the result may still be invalid. Null gives ''.
 */
export function normalizeDocumentNumber(input: string | null | undefined): string {
  if (input == null) return ''
  const n = input.length
  // Fast path: most input is already clean.
  let i = 0
  for (; i < n; i++) {
    const c = input.charCodeAt(i)
    if (c > 0x7e || (c >= 0x61 && c <= 0x7a) || isSpace(c) || c < 0x20) break
  }
  if (i === n) return input
  let out = input.slice(0, i)
  for (; i < n; i++) {
    let c = input.charCodeAt(i)
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0
    if (isSpace(c)) continue
    if (c >= 0x61 && c <= 0x7a) c -= 0x20
    out += String.fromCharCode(c)
  }
  return out
}

// ---------------------------------------------------------------------------
// Dates (for 港澳台居民居住证; 居民身份证 delegates to ./id-card)

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/** 'YYYYMMDD' of the given or current local date. */
function compactToday(today: Date | string | undefined): string {
  if (typeof today === 'string') {
    // 'YYYY-MM-DD' or 'YYYYMMDD'
    return today.length === 10 ? today.slice(0, 4) + today.slice(5, 7) + today.slice(8, 10) : today
  }
  const d = today ?? new Date()
  const m = d.getMonth() + 1
  const day = d.getDate()
  return String(d.getFullYear()).padStart(4, '0') + (m < 10 ? '0' : '') + m + (day < 10 ? '0' : '') + day
}

/** A Chinese message naming what is wrong with the 8-digit birth date, or undefined if it is fine. */
function birthDateProblem(what: string, birth8: string, options: DocumentOptions): string | undefined {
  const year = Number(birth8.slice(0, 4))
  const month = Number(birth8.slice(4, 6))
  const day = Number(birth8.slice(6, 8))
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return `${what}出生日期「${birth8}」不是有效日期`
  }
  const minYear = options.minBirthYear ?? 1900
  if (year < minYear) return `${what}出生日期「${birth8}」早于${minYear}年`
  if (birth8 > compactToday(options.today)) return `${what}出生日期「${birth8}」晚于今天`
  return undefined
}

function isoDate(birth8: string): string {
  return `${birth8.slice(0, 4)}-${birth8.slice(4, 6)}-${birth8.slice(6, 8)}`
}

/** '1' for an odd 17th digit (men), '2' for an even one. */
function genderOfSequence(number18: string): '1' | '2' {
  return (number18.charCodeAt(16) - C_0) % 2 === 1 ? '1' : '2'
}

/** Shared checks of the 18-character GB 11643 shape: 17 digits, then a digit or X. */
function gb11643ShapeProblem(what: string, s: string): string | undefined {
  if (s.length !== 18) return `${what}长度应为18位，实际为${s.length}位`
  const last = s.charCodeAt(17)
  if (!allDigits(s, 0, 17) || !(isDigitCode(last) || last === 88 /* X */)) {
    return `${what}前17位应为数字，末位应为数字或X`
  }
  return undefined
}

// ---------------------------------------------------------------------------
// The validators, one per type. `s` is already normalized and non-empty.

const HMT_REGIONS: Readonly<Record<string, string>> = {
  '810000': '香港',
  '820000': '澳门',
  '830000': '台湾',
}

function fail(message: string): DocumentFailure {
  return { ok: false, message }
}

function residentId(s: string, options: DocumentOptions): DocumentResult {
  // Residence permits of Hong Kong, Macao and Taiwan residents share the
  // format (and pass validateResidentId); a 身份证 never has these regions.
  if (s.length === 18 && s.charCodeAt(0) === 56 /* 8 */) {
    const region = s.slice(0, 6)
    if (HMT_REGIONS[region]) {
      return fail(`号码「${region}」开头的是港澳台居民居住证，证件类型应选「港澳台居民居住证」`)
    }
  }
  const r = validateResidentId(s, options)
  if (!r.ok) return r
  return { ok: true, type: 'resident_id', value: r.value, birthDate: r.birthDate, gender: r.gender }
}

function hkMacaoPass(s: string): DocumentResult {
  const what = '港澳居民来往内地通行证号码'
  const first = s.charCodeAt(0)
  if (first !== 72 /* H */ && first !== 77 /* M */) {
    return fail(`${what}应以H（香港居民）或M（澳门居民）开头`)
  }
  const digits = s.length - 1
  if (!allDigits(s, 1)) return fail(`${what}的H或M之后应全部为数字`)
  if (digits !== 8 && digits !== 10) {
    return fail(`${what}的H或M之后应为8位或10位数字，实际为${digits}位`)
  }
  return { ok: true, type: 'hk_macao_pass', value: s }
}

/**
 * Old 台胞证 numbers may carry their issue letter: 0123456789(B) or
 * 0123456789B; the value keeps it as '(B)'. Returns the 10 digits and the
 * letters, or undefined if `s` is not of that form.
 */
function splitTaiwanSuffix(s: string): { digits: string; letters: string } | undefined {
  if (s.length <= 10 || !allDigits(s, 0, 10)) return undefined
  let from = 10
  let to = s.length
  if (s.charCodeAt(from) === 40 /* ( */) {
    if (s.charCodeAt(to - 1) !== 41 /* ) */) return undefined
    from++
    to--
  }
  const n = to - from
  if (n < 1 || n > 2 || !allLetters(s, from, to)) return undefined
  return { digits: s.slice(0, 10), letters: s.slice(from, to) }
}

function taiwanPass(s: string): DocumentResult {
  const what = '台湾居民来往大陆通行证号码'
  if (allDigits(s)) {
    if (s.length === 8 || s.length === 10) return { ok: true, type: 'taiwan_pass', value: s }
    return fail(`${what}应为8位数字（旧版为10位），实际为${s.length}位`)
  }
  const old = splitTaiwanSuffix(s)
  if (old) return { ok: true, type: 'taiwan_pass', value: `${old.digits}(${old.letters})` }
  return fail(`${what}应为8位数字（旧版为10位数字，可带括号内的字母）`)
}

function hmtResidence(s: string, options: DocumentOptions): DocumentResult {
  const what = '港澳台居民居住证号码'
  const shape = gb11643ShapeProblem(what, s)
  if (shape) return fail(shape)
  const region = s.slice(0, 6)
  if (!HMT_REGIONS[region]) {
    return fail(`${what}前6位应为810000（香港）、820000（澳门）或830000（台湾），实际为「${region}」`)
  }
  const birth8 = s.slice(6, 14)
  const dateProblem = birthDateProblem(what, birth8, options)
  if (dateProblem) return fail(dateProblem)
  const check = idCheckChar(s.slice(0, 17))
  if (s[17] !== check) return fail(`${what}有误（校验位不符），请对照证件逐位核对`)
  return { ok: true, type: 'hmt_residence', value: s, birthDate: isoDate(birth8), gender: genderOfSequence(s) }
}

function foreignPermanent(s: string): DocumentResult {
  const what = '外国人永久居留身份证号码'
  if (s.length === 15) {
    if (!allLetters(s, 0, 3) || !allDigits(s, 3)) {
      return fail(`旧版${what}应为3位字母（国籍代码）加12位数字`)
    }
    return { ok: true, type: 'foreign_permanent', value: s }
  }
  if (s.length === 18) {
    const shape = gb11643ShapeProblem(what, s)
    if (shape) return fail(shape)
    if (s.charCodeAt(0) !== 57 /* 9 */) return fail(`${what}（2023版18位）应以9开头`)
    const check = idCheckChar(s.slice(0, 17))
    if (s[17] !== check) return fail(`${what}有误（校验位不符），请对照证件逐位核对`)
    return { ok: true, type: 'foreign_permanent', value: s }
  }
  return fail(`${what}长度应为18位（旧版15位），实际为${s.length}位`)
}

function passport(s: string): DocumentResult {
  const what = '护照号码'
  if (!allLettersOrDigits(s)) return fail(`${what}只能包含字母和数字`)
  if (s.length < 5 || s.length > 17) return fail(`${what}长度应为5至17位，实际为${s.length}位`)
  return { ok: true, type: 'passport', value: s }
}

/**
 * Validate a document number of the given type. On success `value` is the
 * normalized number (a 15-digit 身份证 converted to 18) and, for the numbers
 * that encode them, `birthDate` and `gender`; on failure `message` says in
 * Chinese what is wrong.
 *
 * Stricter than validateResidentId in one point: a 居民身份证 starting with
 * 810000 / 820000 / 830000 is rejected, as those are 港澳台居民居住证.
 */
export function validateDocument(type: DocumentType, number: string | null | undefined, options: DocumentOptions = {}): DocumentResult {
  const label = documentTypeLabel(type)
  const s = normalizeDocumentNumber(number)
  if (s.length === 0) {
    return fail(type === 'resident_id' ? '身份证号码不能为空' : `${label}号码不能为空`)
  }
  switch (type) {
    case 'resident_id':
      return residentId(s, options)
    case 'hk_macao_pass':
      return hkMacaoPass(s)
    case 'taiwan_pass':
      return taiwanPass(s)
    case 'hmt_residence':
      return hmtResidence(s, options)
    case 'foreign_permanent':
      return foreignPermanent(s)
    case 'passport':
      return passport(s)
    default:
      // Unreachable for typed callers; imports may pass anything.
      return fail(`证件类型「${String(type)}」无效`)
  }
}

/**
 * The string to hash for the 一人一籍 lookup: `${type}:${number}`, with the
 * number normalized so that every way of writing the same person's document
 * gives the same key:
 * - 居民身份证: a 15-digit number is converted to its 18-digit form, x → X;
 * - 港澳居民来往内地通行证: only the first 9 characters (H/M + 8-digit 终身号),
 *   as the last two digits of the 11-character card number count reissues;
 * - 台湾居民来往大陆通行证: an old number's issue letter, (B), is dropped;
 * - all: full-width → ASCII, upper case, no white space.
 *
 * It does not validate (an invalid number still gets a key, so that the same
 * bad number is found twice) and does not depend on the date; it is
 * idempotent on `validateDocument(...).value`.
 */
export function normalizeDocumentKey(type: DocumentType, value: string | null | undefined): string {
  const s = normalizeDocumentNumber(value)
  let key = s
  switch (type) {
    case 'resident_id':
      if (s.length === 15 && allDigits(s)) key = convertResidentId15To18(s)
      break
    case 'hk_macao_pass': {
      const first = s.charCodeAt(0)
      if (s.length === 11 && (first === 72 || first === 77) && allDigits(s, 1)) key = s.slice(0, 9)
      break
    }
    case 'taiwan_pass': {
      const old = splitTaiwanSuffix(s)
      if (old) key = old.digits
      break
    }
    default:
      break
  }
  return `${type}:${key}`
}

/**
 * The gender encoded in a document number ('1' 男 / '2' 女), for 居民身份证
 * and 港澳台居民居住证; undefined for other types or an invalid number.
 */
export function genderFromCode(
  type: DocumentType,
  number: string | null | undefined,
  options: DocumentOptions = {},
): '1' | '2' | undefined {
  if (type !== 'resident_id' && type !== 'hmt_residence') return undefined
  const r = validateDocument(type, number, options)
  return r.ok ? r.gender : undefined
}

/**
 * Cross-check the declared 性别 (GB/T 2261.1 code) against the one encoded in
 * the document: a Chinese message if they differ ('性别与身份证号码不符'),
 * undefined if they agree or nothing can be compared (invalid document, a
 * type without gender, declared gender empty, 0 未知 or 9 未说明).
 */
export function checkGender(document: DocumentResult, declaredGender: string | null | undefined): string | undefined {
  if (!document.ok || document.gender === undefined) return undefined
  if (declaredGender !== '1' && declaredGender !== '2') return undefined
  if (declaredGender === document.gender) return undefined
  return document.type === 'resident_id' ? '性别与身份证号码不符' : '性别与居住证号码不符'
}

/**
 * Zod schema of the number of a given 证件类型, yielding the normalized
 * number. For a form with both fields, validate the pair with
 * validateDocument in a superRefine instead.
 */
export function zDocumentNumber(type: DocumentType, options: DocumentOptions = {}) {
  return z
    .string()
    .max(40, '证件号码过长')
    .transform((input, ctx) => {
      const result = validateDocument(type, input, options)
      if (!result.ok) {
        ctx.addIssue({ code: 'custom', message: result.message })
        return z.NEVER
      }
      return result.value
    })
}
