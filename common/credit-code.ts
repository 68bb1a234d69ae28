/**
 * 统一社会信用代码 (GB 32100-2015).
 *
 * 18 characters: 1 登记管理部门代码, 1 机构类别代码, 6 登记管理机关行政区划码,
 * 9 主体标识码 (the old 组织机构代码, GB 11714), 1 校验码. The character set
 * leaves out I, O, S, V and Z, which are easy to confuse with digits.
 *
 * This module is imported by the server, the browser app and the benchmark
 * generator (500,000 codes), so it is plain TypeScript and avoids per-call
 * allocations on the hot path.
 */
import { z } from 'zod'

export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'
export const CREDIT_CODE_LENGTH = 18

const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const

/** Character code (ASCII) → value in the alphabet, −1 if not in it. */
const VALUE_OF = new Int8Array(128).fill(-1)
for (let i = 0; i < CREDIT_CODE_ALPHABET.length; i++) {
  VALUE_OF[CREDIT_CODE_ALPHABET.charCodeAt(i)] = i
}

function valueAt(s: string, index: number): number {
  const c = s.charCodeAt(index)
  return c < 128 ? VALUE_OF[c]! : -1
}

/** Index of the first character outside the alphabet, or −1. */
function firstIllegalIndex(s: string): number {
  for (let i = 0; i < s.length; i++) if (valueAt(s, i) < 0) return i
  return -1
}

function checkCharUnchecked(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += valueAt(first17, i) * WEIGHTS[i]!
  // 31 − (Σ mod 31) is in 1..31, and 31 stands for 0.
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31]!
}

/**
 * The check character for the first 17 characters of a code (upper case).
 * Throws RangeError on a wrong length or a character outside the alphabet:
 * callers pass generated or already validated input.
 */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) {
    throw new RangeError(`统一社会信用代码前17位长度错误：「${first17}」`)
  }
  const bad = firstIllegalIndex(first17)
  if (bad >= 0) {
    throw new RangeError(`统一社会信用代码含有非法字符「${first17[bad]}」`)
  }
  return checkCharUnchecked(first17)
}

export type CreditCodeResult = { ok: true; value: string } | { ok: false; message: string }

/**
 * Trim, fold full-width characters to ASCII (codes are often pasted from
 * Chinese documents), drop inner spaces and upper-case.
 */
export function normalizeCreditCode(input: string): string {
  return input.normalize('NFKC').replace(/\s+/g, '').toUpperCase()
}

/** Hints for the letters people type in place of a digit. */
const LOOKALIKE_HINTS: Record<string, string> = {
  O: '，可能应为数字「0」',
  I: '，可能应为数字「1」',
  Z: '，可能应为数字「2」',
  S: '，可能应为数字「5」',
}

/**
 * Validate a 统一社会信用代码. On success `value` is the normalized code
 * (upper case, no spaces). On failure `message` says in Chinese what is wrong.
 */
export function validateCreditCode(input: string): CreditCodeResult {
  const s = normalizeCreditCode(input)
  if (s.length === 0) return { ok: false, message: '统一社会信用代码不能为空' }
  if (s.length !== CREDIT_CODE_LENGTH) {
    return { ok: false, message: `统一社会信用代码长度应为18位，实际为${s.length}位` }
  }
  const bad = firstIllegalIndex(s)
  if (bad >= 0) {
    const ch = s[bad]!
    return {
      ok: false,
      message: `统一社会信用代码含有非法字符「${ch}」（第${bad + 1}位）${LOOKALIKE_HINTS[ch] ?? ''}`,
    }
  }
  if (!/^\d{6}$/.test(s.slice(2, 8))) {
    return { ok: false, message: '统一社会信用代码第3至8位应为登记管理机关行政区划码（6位数字）' }
  }
  const expected = checkCharUnchecked(s)
  if (s[17] !== expected) {
    return { ok: false, message: '统一社会信用代码有误（校验位不符），请对照营业执照逐位核对' }
  }
  return { ok: true, value: s }
}

/** True if the input is a valid code (after normalization). */
export function isValidCreditCode(input: string): boolean {
  return validateCreditCode(input).ok
}

/**
 * Build a valid code from its parts: 登记管理部门代码 (1 char), 机构类别代码
 * (1 char), region (6 digits) and 主体标识码 (9 chars). Throws RangeError on
 * malformed parts. Use `makeOrganizationCode` for a realistic body.
 */
export function makeCreditCode(registrationDept: string, kind: string, regionCode6: string, body9: string): string {
  if (registrationDept.length !== 1 || kind.length !== 1) {
    throw new RangeError('登记管理部门代码和机构类别代码应各为1位')
  }
  if (regionCode6.length !== 6 || !/^\d{6}$/.test(regionCode6)) {
    throw new RangeError(`行政区划码应为6位数字：「${regionCode6}」`)
  }
  if (body9.length !== 9) {
    throw new RangeError(`主体标识码应为9位：「${body9}」`)
  }
  const first17 = registrationDept + kind + regionCode6 + body9
  const bad = firstIllegalIndex(first17)
  if (bad >= 0) throw new RangeError(`统一社会信用代码含有非法字符「${first17[bad]}」`)
  return first17 + checkCharUnchecked(first17)
}

// ---------------------------------------------------------------------------
// 主体标识码 = 组织机构代码 (GB 11714-1997): 8 characters and a check character.

const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const

/** Digits are worth 0–9 and letters A–Z 10–35 in GB 11714. */
function orgCodeValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48
  if (c >= 65 && c <= 90) return c - 55
  return -1
}

/** The GB 11714 check character of an 8-character organization code body. */
export function orgCodeCheckChar(first8: string): string {
  if (first8.length !== 8) throw new RangeError(`组织机构代码本体应为8位：「${first8}」`)
  let sum = 0
  for (let i = 0; i < 8; i++) {
    const v = orgCodeValue(first8.charCodeAt(i))
    if (v < 0) throw new RangeError(`组织机构代码含有非法字符「${first8[i]}」`)
    sum += v * ORG_CODE_WEIGHTS[i]!
  }
  const r = 11 - (sum % 11) // 1..11; 10 is written X, 11 is written 0
  return r === 10 ? 'X' : r === 11 ? '0' : String(r)
}

/**
 * A 9-character 主体标识码 from a serial number 0..99,999,999: the serial as 8
 * digits plus its GB 11714 check character, as real codes carry. Distinct
 * serials give distinct bodies, so generators can number their units.
 */
export function makeOrganizationCode(serial: number): string {
  if (!Number.isInteger(serial) || serial < 0 || serial > 99_999_999) {
    throw new RangeError(`组织机构代码序号应为0至99999999的整数：${serial}`)
  }
  const first8 = String(serial).padStart(8, '0')
  return first8 + orgCodeCheckChar(first8)
}

// ---------------------------------------------------------------------------
// Who issued a code: the first two characters (GB 32100 表1, with the later
// additions relevant here). 81 is the code of a base union as 工会法人.

export const creditCodeIssuers = [
  { code: '11', label: '机关', dept: '机构编制' },
  { code: '12', label: '事业单位', dept: '机构编制' },
  { code: '13', label: '中央编办直接管理机构编制的群众团体', dept: '机构编制' },
  { code: '19', label: '其他', dept: '机构编制' },
  { code: '51', label: '社会团体', dept: '民政' },
  { code: '52', label: '民办非企业单位', dept: '民政' },
  { code: '53', label: '基金会', dept: '民政' },
  { code: '59', label: '其他', dept: '民政' },
  { code: '81', label: '基层工会', dept: '工会' },
  { code: '89', label: '其他', dept: '工会' },
  { code: '91', label: '企业', dept: '工商' },
  { code: '92', label: '个体工商户', dept: '工商' },
  { code: '93', label: '农民专业合作社', dept: '工商' },
  { code: 'Y1', label: '其他', dept: '其他' },
] as const

/** The issuer row of a code (by its first two characters), or undefined if not listed. */
export function creditCodeIssuerOf(code: string): (typeof creditCodeIssuers)[number] | undefined {
  const prefix = normalizeCreditCode(code).slice(0, 2)
  return creditCodeIssuers.find((row) => row.code === prefix)
}

// ---------------------------------------------------------------------------

/**
 * Zod schema for input fields: normalizes and validates, yielding the
 * normalized code, with the Chinese message of `validateCreditCode`.
 */
export const zCreditCode = z
  .string()
  .max(40, '统一社会信用代码应为18位')
  .transform((input, ctx) => {
    const result = validateCreditCode(input)
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.message })
      return z.NEVER
    }
    return result.value
  })
