import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  CREDIT_CODE_ALPHABET,
  creditCodeCheckChar,
  creditCodeIssuerOf,
  isValidCreditCode,
  makeCreditCode,
  makeOrganizationCode,
  normalizeCreditCode,
  orgCodeCheckChar,
  validateCreditCode,
  zCreditCode,
} from './credit-code'

/**
 * Published codes of well-known companies. Each also satisfies the independent
 * GB 11714 check of its 主体标识码 (positions 9–17), which a mistyped code
 * would pass only by a 1-in-341 chance.
 */
const REAL_CODES = [
  ['9144030071526726XG', '腾讯科技（深圳）有限公司'],
  ['914403001922038216', '华为技术有限公司'],
  ['91110108551385082Q', '小米科技有限责任公司'],
  ['91110000802100433B', '北京百度网讯科技有限公司'],
  ['91440300192317458F', '比亚迪股份有限公司'],
  ['91330100716105852F', '阿里巴巴（中国）网络技术有限公司'],
  ['91110108558521630L', '北京三快在线科技有限公司'],
  ['91110000710925462X', '中国石油天然气股份有限公司'],
  ['91330000747735638J', '浙江吉利控股集团有限公司'],
  ['91310000MA1FL1MMXL', '特斯拉（上海）有限公司'],
  ['91440300279544901A', '中兴通讯股份有限公司'],
  ['911100001000044477', '中国工商银行股份有限公司'],
] as const

/** Small seeded PRNG (mulberry32) so that the property tests are reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

test('real published codes validate, and their check character is computed', () => {
  for (const [code, name] of REAL_CODES) {
    assert.deepEqual(validateCreditCode(code), { ok: true, value: code }, name)
    assert.equal(creditCodeCheckChar(code.slice(0, 17)), code[17], name)
    assert.equal(orgCodeCheckChar(code.slice(8, 16)), code[16], `${name} 组织机构代码`)
  }
})

test('mutated real codes are rejected with the right check character named', () => {
  for (const [code] of REAL_CODES) {
    // Change the check character.
    const wrongCheck = code.slice(0, 17) + (code[17] === '0' ? '1' : '0')
    const r1 = validateCreditCode(wrongCheck)
    assert.equal(r1.ok, false)
    assert.equal(!r1.ok && r1.message, '统一社会信用代码有误（校验位不符），请对照营业执照逐位核对')

    // Change a body digit: the original check character no longer fits.
    const i = 10
    const d = CREDIT_CODE_ALPHABET.indexOf(code[i]!)
    const mutated = code.slice(0, i) + CREDIT_CODE_ALPHABET[(d + 1) % 31] + code.slice(i + 1)
    const r2 = validateCreditCode(mutated)
    assert.equal(r2.ok, false)
    assert.match(!r2.ok ? r2.message : '', /校验位不符/)
  }
  // Swapping two adjacent different characters (a common typing error).
  const swapped = '9144030017526726XG'
  assert.equal(validateCreditCode(swapped).ok, false)
})

test('input is trimmed, upper-cased, freed of spaces and full-width characters', () => {
  assert.deepEqual(validateCreditCode('  9144030071526726xg \n'), { ok: true, value: '9144030071526726XG' })
  assert.deepEqual(validateCreditCode('9144 0300 7152 6726 XG'), { ok: true, value: '9144030071526726XG' })
  // Full-width digits and letters, as pasted from a Word document.
  assert.deepEqual(validateCreditCode('９１４４０３００７１５２６７２６ＸＧ'), {
    ok: true,
    value: '9144030071526726XG',
  })
  assert.equal(normalizeCreditCode(' 91110108551385082q '), '91110108551385082Q')
  assert.equal(isValidCreditCode('91110108551385082q'), true)
})

test('messages say what is wrong', () => {
  assert.deepEqual(validateCreditCode(''), { ok: false, message: '统一社会信用代码不能为空' })
  assert.deepEqual(validateCreditCode('91440300192317458'), {
    ok: false,
    message: '统一社会信用代码长度应为18位，实际为17位',
  })
  assert.deepEqual(validateCreditCode('9144030019231745800'), {
    ok: false,
    message: '统一社会信用代码长度应为18位，实际为19位',
  })
  const withI = validateCreditCode('91I10108551385082Q')
  assert.equal(withI.ok, false)
  assert.match(!withI.ok ? withI.message : '', /含有非法字符「I」（第3位）/)
  assert.match(!withI.ok ? withI.message : '', /可能应为数字「1」/)
  for (const ch of ['O', 'S', 'V', 'Z', '-', '中']) {
    const r = validateCreditCode('91110108551385082' + ch)
    assert.equal(r.ok, false, ch)
    assert.match(!r.ok ? r.message : '', new RegExp(`含有非法字符「${ch}」（第18位）`), ch)
  }
  const badRegion = validateCreditCode(makeCreditCode('9', '1', '330683', '000000000').replace('330683', '3306A3'))
  assert.deepEqual(badRegion, { ok: false, message: '统一社会信用代码第3至8位应为登记管理机关行政区划码（6位数字）' })
})

test('a check value of 31 is written 0', () => {
  // Search a body whose weighted sum is a multiple of 31, so 31 − 0 = 31 → '0'.
  let found = ''
  for (let n = 0; n < 1000 && !found; n++) {
    const first17 = '91330683' + String(n).padStart(9, '0')
    if (creditCodeCheckChar(first17) === '0') found = first17
  }
  assert.ok(found, 'some body has check character 0')
  let sum = 0
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_ALPHABET.indexOf(found[i]!) * weights[i]!
  assert.equal(sum % 31, 0)
})

test('creditCodeCheckChar rejects malformed input', () => {
  assert.throws(() => creditCodeCheckChar('9144030071526726'), RangeError)
  assert.throws(() => creditCodeCheckChar('9144030071526726O'), RangeError)
})

test('makeCreditCode builds valid codes and rejects malformed parts', () => {
  assert.equal(makeCreditCode('9', '1', '440300', '715267260'.slice(0, 8) + 'X'), '9144030071526726XG')
  assert.equal(makeCreditCode('8', '1', '330683', makeOrganizationCode(1)).slice(0, 17), '81330683000000019')
  assert.throws(() => makeCreditCode('91', '1', '330683', '000000000'), RangeError)
  assert.throws(() => makeCreditCode('9', '1', '33068', '000000000'), RangeError)
  assert.throws(() => makeCreditCode('9', '1', '3306a3', '000000000'), RangeError)
  assert.throws(() => makeCreditCode('9', '1', '330683', '00000000'), RangeError)
  assert.throws(() => makeCreditCode('9', 'I', '330683', '000000000'), RangeError)
})

test('property: random generated codes validate; every single-character change is rejected', () => {
  const random = prng(20240601)
  const pick = () => CREDIT_CODE_ALPHABET[Math.floor(random() * 31)]!
  for (let k = 0; k < 300; k++) {
    const region = String(110000 + Math.floor(random() * 800000))
    let body = ''
    for (let i = 0; i < 9; i++) body += pick()
    const code = makeCreditCode(pick(), pick(), region, body)
    assert.deepEqual(validateCreditCode(code), { ok: true, value: code })
    // The weights are non-zero mod 31, a prime, so every substitution changes the sum mod 31.
    for (let pos = 0; pos < 18; pos++) {
      for (const ch of CREDIT_CODE_ALPHABET) {
        if (ch === code[pos]) continue
        const changed = code.slice(0, pos) + ch + code.slice(pos + 1)
        assert.equal(validateCreditCode(changed).ok, false, `${code} → ${changed}`)
      }
    }
  }
})

test('organization codes (GB 11714) and the 500,000-code generator', () => {
  // 北京百度网讯 80210043-3, 华为 19220382-1.
  assert.equal(orgCodeCheckChar('80210043'), '3')
  assert.equal(orgCodeCheckChar('19220382'), '1')
  assert.equal(orgCodeCheckChar('71526726'), 'X')
  assert.throws(() => orgCodeCheckChar('7152672'), RangeError)
  assert.throws(() => makeOrganizationCode(100_000_000), RangeError)
  assert.throws(() => makeOrganizationCode(-1), RangeError)

  const started = performance.now()
  const seen = new Set<string>()
  for (let serial = 0; serial < 500_000; serial++) {
    seen.add(makeCreditCode('9', '1', '330683', makeOrganizationCode(serial)))
  }
  const ms = performance.now() - started
  assert.equal(seen.size, 500_000)
  // Generous bound: it takes well under a second; this only catches a pathological slowdown.
  assert.ok(ms < 10_000, `500,000 codes took ${Math.round(ms)} ms`)
  for (const code of [...seen].slice(0, 1000)) assert.equal(isValidCreditCode(code), true)
})

test('creditCodeIssuerOf names the issuer from the first two characters', () => {
  assert.equal(creditCodeIssuerOf('914403001922038216')?.label, '企业')
  assert.equal(creditCodeIssuerOf('81330683000000019X')?.label, '基层工会')
  assert.equal(creditCodeIssuerOf('A1330683000000019X'), undefined)
})

test('zCreditCode normalizes and reports the Chinese message', () => {
  assert.equal(zCreditCode.parse(' 9144030071526726xg'), '9144030071526726XG')
  const r = zCreditCode.safeParse('9144030071526726XA')
  assert.equal(r.success, false)
  assert.equal(r.error?.issues[0]?.message, '统一社会信用代码有误（校验位不符），请对照营业执照逐位核对')
})
