/**
 * 居民身份证号码 (GB 11643-1999), mobile numbers, and masking of both.
 *
 * An 18-character number is 6 digits of region (GB/T 2260), 8 of birth date,
 * 3 of sequence (odd for men, even for women) and a check character by
 * ISO 7064 MOD 11-2. Numbers issued before 1999 had 15 digits (2-digit year,
 * no check character); they are converted to 18.
 *
 * 港澳台居民居住证 numbers have the same format with regions 810000, 820000
 * and 830000, so they validate here too.
 *
 * Both numbers are sensitive personal information: show them masked.
 */
import { z } from 'zod'

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const ID_CHECK_CHARS = '10X98765432'

/**
 * Province-level codes of GB/T 2260, plus 83 (Taiwan residents' residence
 * permits). Only the province is checked: county codes change every year and
 * old numbers keep the codes of abolished counties.
 */
const PROVINCE_CODES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
])

/** The check character (0–9 or X) for the first 17 digits. Throws on malformed input. */
export function idCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) {
    throw new RangeError(`身份证号码前17位应为数字：「${first17}」`)
  }
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i]!
  return ID_CHECK_CHARS[sum % 11]!
}

export type ResidentIdResult =
  | {
      ok: true
      /** The 18-character number, check character X in upper case. */
      value: string
      /** 'YYYY-MM-DD'. */
      birthDate: string
      /** GB/T 2261.1 code: '1' 男, '2' 女. */
      gender: '1' | '2'
      /** The 6-digit region code at issue. */
      regionCode: string
      /** True if the input was an old 15-digit number. */
      convertedFrom15: boolean
    }
  | { ok: false; message: string }

export interface ResidentIdOptions {
  /** The date that birth dates may not be after; default: the current local date. */
  today?: Date | string | undefined
  /** The earliest plausible year of birth; default 1900. */
  minBirthYear?: number | undefined
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false
  // Day 0 of the next month is the last day of this month.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return day <= daysInMonth
}

/** 'YYYYMMDD' of the given or current local date. */
function compactDate(today: Date | string | undefined): string {
  if (typeof today === 'string') return today.replace(/-/g, '')
  const d = today ?? new Date()
  return String(d.getFullYear()).padStart(4, '0') + String(d.getMonth() + 1).padStart(2, '0') + String(d.getDate()).padStart(2, '0')
}

/** Trim, fold full-width characters, drop inner spaces, upper-case x. */
function normalizeDocumentNumber(input: string): string {
  return input.normalize('NFKC').replace(/\s+/g, '').toUpperCase()
}

/**
 * Validate a 居民身份证号码 (18 characters, or an old 15-digit one, which is
 * converted). On failure the Chinese message names the problem: 长度, 地区码,
 * 出生日期 or 校验位 (without naming the right check character: a user who mistyped a middle digit would "fix" the last one).
 */
export function validateResidentId(input: string, options: ResidentIdOptions = {}): ResidentIdResult {
  const s = normalizeDocumentNumber(input)
  const minBirthYear = options.minBirthYear ?? 1900

  if (s.length === 0) return { ok: false, message: '身份证号码不能为空' }
  if (s.length !== 18 && s.length !== 15) {
    return { ok: false, message: `身份证号码长度应为18位（或旧版15位），实际为${s.length}位` }
  }
  const is15 = s.length === 15
  if (is15 ? !/^\d{15}$/.test(s) : !/^\d{17}[\dX]$/.test(s)) {
    return {
      ok: false,
      message: is15 ? '15位身份证号码应全部为数字' : '身份证号码前17位应为数字，末位应为数字或X',
    }
  }

  const regionCode = s.slice(0, 6)
  if (!PROVINCE_CODES.has(regionCode.slice(0, 2))) {
    return { ok: false, message: `身份证号码地区码「${regionCode}」无效：前两位不是省级行政区划代码` }
  }

  // Old numbers carry a 2-digit year, all in the 1900s.
  const birth = is15 ? '19' + s.slice(6, 12) : s.slice(6, 14)
  const year = Number(birth.slice(0, 4))
  const month = Number(birth.slice(4, 6))
  const day = Number(birth.slice(6, 8))
  if (!isRealDate(year, month, day)) {
    return { ok: false, message: `身份证号码出生日期「${birth}」不是有效日期` }
  }
  if (year < minBirthYear) {
    return { ok: false, message: `身份证号码出生日期「${birth}」早于${minBirthYear}年` }
  }
  if (birth > compactDate(options.today)) {
    return { ok: false, message: `身份证号码出生日期「${birth}」晚于今天` }
  }

  const first17 = is15 ? s.slice(0, 6) + birth + s.slice(12, 15) : s.slice(0, 17)
  const check = idCheckChar(first17)
  if (!is15 && s[17] !== check) {
    return { ok: false, message: '身份证号码有误（校验位不符），请对照证件逐位核对' }
  }

  const sequenceLastDigit = first17.charCodeAt(16) - 48
  return {
    ok: true,
    value: first17 + check,
    birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    gender: sequenceLastDigit % 2 === 1 ? '1' : '2',
    regionCode,
    convertedFrom15: is15,
  }
}

/** The 18-character number of an old 15-digit one (no validation beyond digits). */
export function convertResidentId15To18(id15: string): string {
  if (!/^\d{15}$/.test(id15)) throw new RangeError(`15位身份证号码应为15位数字：「${id15}」`)
  const first17 = id15.slice(0, 6) + '19' + id15.slice(6)
  return first17 + idCheckChar(first17)
}

/**
 * Build a valid number from region (6 digits), birth date ('YYYYMMDD' or
 * 'YYYY-MM-DD') and sequence (3 digits, or a number 0..999; odd for men).
 */
export function makeResidentId(region6: string, birth: string, seq3: string | number): string {
  const birth8 = birth.replace(/-/g, '')
  const seq = typeof seq3 === 'number' ? String(seq3).padStart(3, '0') : seq3
  if (!/^\d{6}$/.test(region6)) throw new RangeError(`地区码应为6位数字：「${region6}」`)
  if (!/^\d{8}$/.test(birth8)) throw new RangeError(`出生日期应为YYYYMMDD：「${birth}」`)
  if (!/^\d{3}$/.test(seq)) throw new RangeError(`顺序码应为3位数字：「${seq3}」`)
  const first17 = region6 + birth8 + seq
  return first17 + idCheckChar(first17)
}

// ---------------------------------------------------------------------------
// Masking. The number of stars equals the number of hidden characters, as on
// bank and government sites, so a masked value still shows its length.

/**
 * Mask a document number — the one mask of every screen, export, API answer and audit entry.
 *
 * Only the last 3 characters stay visible (***************23X), and never more than
 * length − 5 of them, so that at least 5 characters are always hidden. The rule is that
 * nothing shown without a reveal, taken together with the member's union (which gives away
 * the region code), narrows a number to fewer than 10,000 candidates:
 * - 居民身份证 / 港澳台居民居住证 (region, 8-digit birth date, 3-digit sequence, check): with the
 *   region known and no birth date or year shown, the last 3 fix 2 sequence digits and the check
 *   character, which leaves ~20,000 birth days (ages 16–70) × 1,000 sequences ÷ (100 × 11)
 *   ≈ 18,000 numbers (masks.test.ts counts them). The old mask (first 6 + last 4) with the
 *   birth date shown left one.
 * - 港澳通行证 (H/M + 8 or 10 digits), 台胞证 (8 or 10 digits), 外国人永久居留身份证, 护照
 *   (5–17): at least 5 hidden characters, mostly digits: ≥ 100,000.
 * It is idempotent: masking a masked value (or an older, wider mask) gives the same narrow mask,
 * which is how old audit entries are shown.
 */
export function maskDocument(value: string | null | undefined): string {
  if (!value) return ''
  const n = value.length
  const tail = Math.max(0, Math.min(3, n - 5))
  return '*'.repeat(n - tail) + value.slice(n - tail)
}

/**
 * Mask a phone number: 138****5678 for a mobile — 4 hidden digits, exactly 10,000 candidates,
 * the least allowed; other numbers keep their first 3 and last 4 characters when long enough
 * and always hide at least 4 digits (****2345 for 8). Idempotent on its own output.
 */
export function maskPhone(value: string | null | undefined): string {
  if (!value) return ''
  const n = value.length
  const tail = Math.min(4, Math.max(0, n - 4))
  const head = Math.min(3, Math.max(0, n - 4 - tail))
  return value.slice(0, head) + '*'.repeat(n - head - tail) + value.slice(n - tail)
}

/**
 * Mask a person's name (a member's, an applicant's, a unit's 法定代表人 or 联系人): the first
 * character (the surname, mostly), then a star for each further one and at least one — 张** for
 * 张三丰, 王* for 王. Idempotent on its own output.
 */
export function maskName(value: string | null | undefined): string {
  if (!value) return ''
  const chars = [...value]
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1))
}

const DOCUMENT_KEY = /^(document_?masked|document_?number|masked)$/i
const PHONE_KEY = /phone/i
const BIRTH_KEY = /^birth_?date$/i
/** A whole 居民身份证号 in text, or an old mask of one (first 6 + last 4). */
const ID_IN_TEXT = /(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{6}\*{8}[\dXx]{4})(?![0-9A-Za-z])/g
/** A mainland mobile number in text. */
const MOBILE_IN_TEXT = /(?<!\d)1[3-9]\d{9}(?!\d)/g

/**
 * Personal data in a JSON value (an audit entry's detail), masked with the same two functions:
 * document numbers under their keys, phone numbers under any key naming a phone, birth dates
 * dropped, and whole ID or mobile numbers (or an old, wider mask) inside any other string.
 * Idempotent; applied when an entry is written and again when the auditor reads the log, so
 * that entries written before the masks were narrowed are shown narrowed too.
 */
export function maskPersonalData(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (DOCUMENT_KEY.test(key)) return maskDocument(value)
    if (PHONE_KEY.test(key)) return maskPhone(value)
    return value.replace(ID_IN_TEXT, (m) => maskDocument(m)).replace(MOBILE_IN_TEXT, (m) => maskPhone(m))
  }
  if (Array.isArray(value)) return value.map((v) => maskPersonalData(v, key))
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) if (!BIRTH_KEY.test(k)) out[k] = maskPersonalData(v, k)
    return out
  }
  return value
}

// ---------------------------------------------------------------------------
// Mainland mobile numbers

export type MobileResult = { ok: true; value: string } | { ok: false; message: string }

/**
 * Validate a mainland mobile number: 11 digits, 1[3-9]xxxxxxxxx. Spaces and
 * hyphens are ignored and a +86 / 0086 prefix is dropped; `value` is the bare
 * 11 digits.
 */
export function validateMobile(input: string): MobileResult {
  let s = input.normalize('NFKC').replace(/[\s-]+/g, '')
  if (s.length === 0) return { ok: false, message: '手机号不能为空' }
  s = s.replace(/^(?:\+86|0086)/, '')
  if (s.length === 13 && s.startsWith('86')) s = s.slice(2)
  if (!/^\d+$/.test(s)) return { ok: false, message: '手机号只能包含数字' }
  if (s.length !== 11) return { ok: false, message: `手机号应为11位，实际为${s.length}位` }
  if (!/^1[3-9]/.test(s)) return { ok: false, message: '手机号应以13至19开头' }
  return { ok: true, value: s }
}

// ---------------------------------------------------------------------------

type ValueResult = { ok: true; value: string } | { ok: false; message: string }

/** A string schema that normalizes through `validate` and reports its message. */
function refineWith(validate: (input: string) => ValueResult) {
  return z.string().transform((input, ctx) => {
    const result = validate(input)
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.message })
      return z.NEVER
    }
    return result.value
  })
}

/** Zod schema: a 居民身份证号码, yielding the normalized 18-character number. */
export const zResidentId = refineWith((input) => validateResidentId(input))

/** Zod schema: a mainland mobile number, yielding the bare 11 digits. */
export const zMobile = refineWith(validateMobile)
