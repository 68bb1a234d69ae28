import { test } from 'node:test'
import assert from 'node:assert/strict'
import { documentTypes, type DocumentType } from './codes'
import {
  checkGender,
  documentTypeLabel,
  genderFromCode,
  normalizeDocumentKey,
  normalizeDocumentNumber,
  validateDocument,
  zDocumentNumber,
  type DocumentResult,
} from './documents'
import { idCheckChar, makeResidentId } from './id-card'

const TODAY = { today: '2025-06-30' }

function messageOf(result: DocumentResult): string {
  return result.ok ? '' : result.message
}

function valueOf(result: DocumentResult): string {
  return result.ok ? result.value : `(invalid: ${result.message})`
}

/** first17 + its GB 11643 check character. */
function withCheck(first17: string): string {
  return first17 + idCheckChar(first17)
}

/** The number with a wrong check character. */
function wrongCheck(number18: string): string {
  const right = number18[17]
  return number18.slice(0, 17) + (right === '0' ? '1' : '0')
}

test('normalizeDocumentNumber: full-width, case and white space', () => {
  assert.equal(normalizeDocumentNumber('１１０１０５１９４９１２３１００２Ｘ'), '11010519491231002X')
  assert.equal(normalizeDocumentNumber(' h1234\u3000567801 '), 'H1234567801')
  assert.equal(normalizeDocumentNumber('e1234\u200b5678\t'), 'E12345678')
  assert.equal(normalizeDocumentNumber('０１２３４５６７８９（ｂ）'), '0123456789(B)')
  assert.equal(normalizeDocumentNumber('ABC123'), 'ABC123')
  assert.equal(normalizeDocumentNumber(null), '')
  assert.equal(normalizeDocumentNumber(undefined), '')
})

test('documentTypeLabel', () => {
  assert.equal(documentTypeLabel('resident_id'), '居民身份证')
  assert.equal(documentTypeLabel('hmt_residence'), '港澳台居民居住证')
  assert.equal(documentTypeLabel('nonsense'), 'nonsense')
  assert.equal(documentTypeLabel(null), '')
})

test('every document type validates, and an empty number is rejected with its name', () => {
  const valid: Record<DocumentType, string> = {
    resident_id: '11010519491231002X',
    hk_macao_pass: 'H1234567800',
    taiwan_pass: '12345678',
    hmt_residence: '810000198507120114',
    foreign_permanent: '911056198001010029',
    passport: 'E12345678',
  }
  for (const { code, label } of documentTypes) {
    assert.equal(validateDocument(code, valid[code], TODAY).ok, true, code)
    const empty = messageOf(validateDocument(code, '  ', TODAY))
    assert.match(empty, /不能为空/, code)
    if (code !== 'resident_id') assert.equal(empty, `${label}号码不能为空`)
  }
  assert.equal(messageOf(validateDocument('resident_id', null, TODAY)), '身份证号码不能为空')
  assert.equal(messageOf(validateDocument('driver_licence' as DocumentType, 'X1', TODAY)), '证件类型「driver_licence」无效')
})

// ---------------------------------------------------------------------------
// 居民身份证

test('resident_id: the GB 11643 example, with birth date and gender', () => {
  assert.deepEqual(validateDocument('resident_id', '11010519491231002X', TODAY), {
    ok: true,
    type: 'resident_id',
    value: '11010519491231002X',
    birthDate: '1949-12-31',
    gender: '2',
  })
  const male = validateDocument('resident_id', makeResidentId('330683', '19900307', '123'), TODAY)
  assert.equal(male.ok && male.gender, '1')
  assert.equal(male.ok && male.birthDate, '1990-03-07')
})

test('resident_id: lower-case x, full-width and spaces are normalized', () => {
  assert.equal(valueOf(validateDocument('resident_id', ' 110105 19491231 002x ', TODAY)), '11010519491231002X')
  assert.equal(valueOf(validateDocument('resident_id', '１１０１０５１９４９１２３１００２ｘ', TODAY)), '11010519491231002X')
})

test('resident_id: a 15-digit number is converted to 18', () => {
  const r = validateDocument('resident_id', '110105491231002', TODAY)
  assert.equal(valueOf(r), '11010519491231002X')
  assert.equal(r.ok && r.birthDate, '1949-12-31')
  assert.equal(valueOf(validateDocument('resident_id', '130503670401001', TODAY)), '130503196704010016')
})

test('resident_id: errors name the problem', () => {
  assert.equal(messageOf(validateDocument('resident_id', '110105194912310021', TODAY)), '身份证号码有误（校验位不符），请对照证件逐位核对')
  assert.equal(messageOf(validateDocument('resident_id', '11010519491231002', TODAY)), '身份证号码长度应为18位（或旧版15位），实际为17位')
  assert.equal(
    messageOf(validateDocument('resident_id', makeResidentId('330683', '19900230', '123'), TODAY)),
    '身份证号码出生日期「19900230」不是有效日期',
  )
  assert.equal(
    messageOf(validateDocument('resident_id', makeResidentId('330683', '20250701', '123'), TODAY)),
    '身份证号码出生日期「20250701」晚于今天',
  )
  assert.match(messageOf(validateDocument('resident_id', makeResidentId('990105', '19491231', '002'), TODAY)), /地区码「990105」无效/)
})

test('resident_id: a 港澳台居民居住证 number is pointed to its own type', () => {
  assert.equal(
    messageOf(validateDocument('resident_id', '810000198507120114', TODAY)),
    '号码「810000」开头的是港澳台居民居住证，证件类型应选「港澳台居民居住证」',
  )
  assert.equal(validateDocument('hmt_residence', '810000198507120114', TODAY).ok, true)
})

// ---------------------------------------------------------------------------
// 港澳居民来往内地通行证

test('hk_macao_pass: H/M + 8 digits or + 10 digits', () => {
  for (const n of ['H12345678', 'M87654321', 'H1234567800', 'M8765432102']) {
    assert.deepEqual(validateDocument('hk_macao_pass', n), { ok: true, type: 'hk_macao_pass', value: n })
  }
  assert.equal(valueOf(validateDocument('hk_macao_pass', 'ｈ１２３４５６７８')), 'H12345678')
  assert.equal(valueOf(validateDocument('hk_macao_pass', ' m 1234 5678 01 ')), 'M1234567801')
})

test('hk_macao_pass: invalid numbers', () => {
  assert.equal(messageOf(validateDocument('hk_macao_pass', 'A12345678')), '港澳居民来往内地通行证号码应以H（香港居民）或M（澳门居民）开头')
  assert.equal(messageOf(validateDocument('hk_macao_pass', '12345678')), '港澳居民来往内地通行证号码应以H（香港居民）或M（澳门居民）开头')
  assert.equal(messageOf(validateDocument('hk_macao_pass', 'H1234567')), '港澳居民来往内地通行证号码的H或M之后应为8位或10位数字，实际为7位')
  assert.match(messageOf(validateDocument('hk_macao_pass', 'H123456789')), /实际为9位/)
  assert.match(messageOf(validateDocument('hk_macao_pass', 'H12345678901')), /实际为11位/)
  assert.equal(messageOf(validateDocument('hk_macao_pass', 'H1234567A')), '港澳居民来往内地通行证号码的H或M之后应全部为数字')
})

// ---------------------------------------------------------------------------
// 台湾居民来往大陆通行证

test('taiwan_pass: 8 digits (new) or 10 digits (old), with an optional issue letter', () => {
  assert.equal(valueOf(validateDocument('taiwan_pass', '12345678')), '12345678')
  assert.equal(valueOf(validateDocument('taiwan_pass', '0123456789')), '0123456789')
  assert.equal(valueOf(validateDocument('taiwan_pass', '0123456789(B)')), '0123456789(B)')
  assert.equal(valueOf(validateDocument('taiwan_pass', '0123456789b')), '0123456789(B)')
  assert.equal(valueOf(validateDocument('taiwan_pass', '０１２３４５６７８９（Ｂ）')), '0123456789(B)')
})

test('taiwan_pass: invalid numbers', () => {
  assert.equal(messageOf(validateDocument('taiwan_pass', '1234567')), '台湾居民来往大陆通行证号码应为8位数字（旧版为10位），实际为7位')
  assert.match(messageOf(validateDocument('taiwan_pass', '123456789')), /实际为9位/)
  assert.match(messageOf(validateDocument('taiwan_pass', 'T1234567')), /应为8位数字/)
  assert.match(messageOf(validateDocument('taiwan_pass', '12345678(B)')), /应为8位数字/)
  assert.match(messageOf(validateDocument('taiwan_pass', '0123456789(B')), /应为8位数字/)
  assert.match(messageOf(validateDocument('taiwan_pass', '0123456789(BCD)')), /应为8位数字/)
})

// ---------------------------------------------------------------------------
// 港澳台居民居住证

test('hmt_residence: 810000 / 820000 / 830000, GB 11643 check character, birth date and gender', () => {
  assert.deepEqual(validateDocument('hmt_residence', '810000198507120114', TODAY), {
    ok: true,
    type: 'hmt_residence',
    value: '810000198507120114',
    birthDate: '1985-07-12',
    gender: '1',
  })
  const macao = validateDocument('hmt_residence', '820000199001010221', TODAY)
  assert.equal(macao.ok && macao.gender, '2')
  assert.equal(macao.ok && macao.birthDate, '1990-01-01')
  assert.equal(valueOf(validateDocument('hmt_residence', '830000197803150077', TODAY)), '830000197803150077')
  // A check character X, written in lower case.
  let x = ''
  for (let seq = 0; !x; seq++) {
    const first17 = `83000019800101${String(seq).padStart(3, '0')}`
    if (idCheckChar(first17) === 'X') x = first17 + 'x'
  }
  assert.equal(valueOf(validateDocument('hmt_residence', x, TODAY)), x.toUpperCase())
})

test('hmt_residence: invalid numbers', () => {
  assert.equal(
    messageOf(validateDocument('hmt_residence', '810000198507120115', TODAY)),
    '港澳台居民居住证号码有误（校验位不符），请对照证件逐位核对',
  )
  assert.equal(
    messageOf(validateDocument('hmt_residence', '11010519491231002X', TODAY)),
    '港澳台居民居住证号码前6位应为810000（香港）、820000（澳门）或830000（台湾），实际为「110105」',
  )
  assert.match(messageOf(validateDocument('hmt_residence', withCheck('81010019850712011'), TODAY)), /前6位应为810000/)
  assert.equal(
    messageOf(validateDocument('hmt_residence', withCheck('82000019900230022'), TODAY)),
    '港澳台居民居住证号码出生日期「19900230」不是有效日期',
  )
  assert.equal(
    messageOf(validateDocument('hmt_residence', withCheck('82000020250701022'), TODAY)),
    '港澳台居民居住证号码出生日期「20250701」晚于今天',
  )
  assert.equal(
    messageOf(validateDocument('hmt_residence', withCheck('82000018991231022'), TODAY)),
    '港澳台居民居住证号码出生日期「18991231」早于1900年',
  )
  assert.equal(validateDocument('hmt_residence', withCheck('82000018991231022'), { ...TODAY, minBirthYear: 1850 }).ok, true)
  assert.equal(messageOf(validateDocument('hmt_residence', '81000019850712011', TODAY)), '港澳台居民居住证号码长度应为18位，实际为17位')
  assert.equal(
    messageOf(validateDocument('hmt_residence', '8100001985071201X4', TODAY)),
    '港澳台居民居住证号码前17位应为数字，末位应为数字或X',
  )
  // 29 February only in leap years.
  assert.equal(validateDocument('hmt_residence', withCheck('81000020000229011'), TODAY).ok, true)
  assert.match(messageOf(validateDocument('hmt_residence', withCheck('81000019000229011'), TODAY)), /不是有效日期/)
  // `today` as a Date, and the default (someone born next year is rejected).
  assert.equal(validateDocument('hmt_residence', withCheck('81000020250701011'), { today: new Date(2025, 6, 1) }).ok, true)
  const nextYear = new Date().getFullYear() + 1
  assert.match(messageOf(validateDocument('hmt_residence', withCheck(`810000${nextYear}0101011`))), /晚于今天/)
})

test('hmt_residence: every single-digit change of a valid number is rejected', () => {
  const valid = '820000199001010221'
  for (let i = 0; i < 18; i++) {
    for (const d of '0123456789') {
      if (d === valid[i]) continue
      const changed = valid.slice(0, i) + d + valid.slice(i + 1)
      assert.equal(validateDocument('hmt_residence', changed, TODAY).ok, false, changed)
    }
  }
})

// ---------------------------------------------------------------------------
// 外国人永久居留身份证

test('foreign_permanent: old 15 characters and new 18 starting with 9', () => {
  assert.equal(valueOf(validateDocument('foreign_permanent', 'USA110080101001')), 'USA110080101001')
  assert.equal(valueOf(validateDocument('foreign_permanent', 'can 3100 7505 1201')), 'CAN310075051201')
  assert.equal(valueOf(validateDocument('foreign_permanent', '911056198001010029')), '911056198001010029')
  assert.equal(valueOf(validateDocument('foreign_permanent', '931156197512310132')), '931156197512310132')
  const r = validateDocument('foreign_permanent', '911056198001010029')
  assert.equal(r.ok && r.gender, undefined)
})

test('foreign_permanent: invalid numbers', () => {
  assert.equal(
    messageOf(validateDocument('foreign_permanent', '911056198001010020')),
    '外国人永久居留身份证号码有误（校验位不符），请对照证件逐位核对',
  )
  assert.equal(
    messageOf(validateDocument('foreign_permanent', wrongCheck('931156197512310132'))),
    '外国人永久居留身份证号码有误（校验位不符），请对照证件逐位核对',
  )
  assert.equal(messageOf(validateDocument('foreign_permanent', '11010519491231002X')), '外国人永久居留身份证号码（2023版18位）应以9开头')
  assert.equal(
    messageOf(validateDocument('foreign_permanent', 'US1110080101001')),
    '旧版外国人永久居留身份证号码应为3位字母（国籍代码）加12位数字',
  )
  assert.match(messageOf(validateDocument('foreign_permanent', 'USA11008010100X')), /3位字母（国籍代码）加12位数字/)
  assert.equal(
    messageOf(validateDocument('foreign_permanent', 'USA11008010100')),
    '外国人永久居留身份证号码长度应为18位（旧版15位），实际为14位',
  )
  assert.match(messageOf(validateDocument('foreign_permanent', '9110561980010100A9')), /前17位应为数字/)
})

// ---------------------------------------------------------------------------
// 护照

test('passport: 5 to 17 letters or digits', () => {
  for (const n of ['E12345678', 'EA1234567', 'G12345678', '123456789', 'AB123', 'X1234567890123456']) {
    assert.equal(valueOf(validateDocument('passport', n)), n)
  }
  assert.equal(valueOf(validateDocument('passport', ' e1234 5678 ')), 'E12345678')
  assert.equal(valueOf(validateDocument('passport', 'Ｅ１２３４５６７８')), 'E12345678')
  assert.equal(messageOf(validateDocument('passport', 'E123')), '护照号码长度应为5至17位，实际为4位')
  assert.match(messageOf(validateDocument('passport', 'X12345678901234567')), /实际为18位/)
  assert.equal(messageOf(validateDocument('passport', 'E1234-5678')), '护照号码只能包含字母和数字')
  assert.equal(messageOf(validateDocument('passport', 'E1234５６7８')), '')
  assert.equal(messageOf(validateDocument('passport', '护照E123456')), '护照号码只能包含字母和数字')
})

// ---------------------------------------------------------------------------
// Keys for 一人一籍

test('normalizeDocumentKey: a 15-digit 身份证 and its 18-digit form give the same key', () => {
  const key = 'resident_id:11010519491231002X'
  assert.equal(normalizeDocumentKey('resident_id', '110105491231002'), key)
  assert.equal(normalizeDocumentKey('resident_id', '11010519491231002X'), key)
  assert.equal(normalizeDocumentKey('resident_id', '11010519491231002x'), key)
  assert.equal(normalizeDocumentKey('resident_id', ' １１０１０５４９１２３１００２ '), key)
  assert.equal(normalizeDocumentKey('resident_id', '130503670401001'), 'resident_id:130503196704010016')
})

test('normalizeDocumentKey: one key per person across reissued passes', () => {
  // 港澳: the last two digits of the 11-character number count reissues.
  const hk = 'hk_macao_pass:H12345678'
  assert.equal(normalizeDocumentKey('hk_macao_pass', 'H12345678'), hk)
  assert.equal(normalizeDocumentKey('hk_macao_pass', 'H1234567800'), hk)
  assert.equal(normalizeDocumentKey('hk_macao_pass', 'h1234567801'), hk)
  assert.notEqual(normalizeDocumentKey('hk_macao_pass', 'M1234567800'), hk)
  // 台湾 (old): the issue letter is dropped.
  const tw = 'taiwan_pass:0123456789'
  assert.equal(normalizeDocumentKey('taiwan_pass', '0123456789'), tw)
  assert.equal(normalizeDocumentKey('taiwan_pass', '0123456789(B)'), tw)
  assert.equal(normalizeDocumentKey('taiwan_pass', '0123456789（Ｃ）'), tw)
  assert.equal(normalizeDocumentKey('taiwan_pass', '12345678'), 'taiwan_pass:12345678')
})

test('normalizeDocumentKey: the type is part of the key; invalid numbers still get one', () => {
  assert.equal(normalizeDocumentKey('passport', ' e1234５６７８ '), 'passport:E12345678')
  assert.notEqual(normalizeDocumentKey('passport', 'E12345678'), normalizeDocumentKey('hk_macao_pass', 'E12345678'))
  assert.equal(normalizeDocumentKey('resident_id', '12345'), 'resident_id:12345')
  assert.equal(normalizeDocumentKey('passport', null), 'passport:')
})

test('normalizeDocumentKey is the same on the raw input and on the validated value', () => {
  const samples: [DocumentType, string][] = [
    ['resident_id', '110105491231002'],
    ['resident_id', '11010519491231002x'],
    ['hk_macao_pass', 'h1234567801'],
    ['hk_macao_pass', 'M12345678'],
    ['taiwan_pass', '0123456789b'],
    ['taiwan_pass', '12345678'],
    ['hmt_residence', '８１００００１９８５０７１２０１１４'],
    ['foreign_permanent', 'usa110080101001'],
    ['foreign_permanent', '911056198001010029'],
    ['passport', 'e 12345678'],
  ]
  for (const [type, raw] of samples) {
    const r = validateDocument(type, raw, TODAY)
    assert.ok(r.ok, `${type} ${raw}`)
    assert.equal(normalizeDocumentKey(type, r.value), normalizeDocumentKey(type, raw), `${type} ${raw}`)
    assert.equal(normalizeDocumentKey(type, normalizeDocumentKey(type, raw).slice(type.length + 1)), normalizeDocumentKey(type, raw))
  }
})

// ---------------------------------------------------------------------------
// Gender

test('genderFromCode', () => {
  assert.equal(genderFromCode('resident_id', '11010519491231002X', TODAY), '2')
  assert.equal(genderFromCode('resident_id', '330683199003071236', TODAY), '1')
  assert.equal(genderFromCode('resident_id', '110105491231002', TODAY), '2')
  assert.equal(genderFromCode('hmt_residence', '810000198507120114', TODAY), '1')
  assert.equal(genderFromCode('resident_id', '110105194912310021', TODAY), undefined)
  assert.equal(genderFromCode('passport', 'E12345678', TODAY), undefined)
})

test('checkGender: a message only when the declared gender contradicts the number', () => {
  const woman = validateDocument('resident_id', '11010519491231002X', TODAY)
  assert.equal(checkGender(woman, '1'), '性别与身份证号码不符')
  assert.equal(checkGender(woman, '2'), undefined)
  assert.equal(checkGender(woman, '0'), undefined)
  assert.equal(checkGender(woman, '9'), undefined)
  assert.equal(checkGender(woman, null), undefined)
  assert.equal(checkGender(woman, ''), undefined)
  const hkMan = validateDocument('hmt_residence', '810000198507120114', TODAY)
  assert.equal(checkGender(hkMan, '2'), '性别与居住证号码不符')
  assert.equal(checkGender(validateDocument('passport', 'E12345678'), '1'), undefined)
  assert.equal(checkGender(validateDocument('resident_id', 'bad', TODAY), '1'), undefined)
})

// ---------------------------------------------------------------------------

test('zDocumentNumber yields the normalized number or the Chinese message', () => {
  const schema = zDocumentNumber('resident_id', TODAY)
  assert.equal(schema.parse('110105491231002'), '11010519491231002X')
  const bad = schema.safeParse('110105194912310021')
  assert.equal(bad.success, false)
  assert.equal(bad.error?.issues[0]?.message, '身份证号码有误（校验位不符），请对照证件逐位核对')
  assert.equal(zDocumentNumber('hk_macao_pass').parse('ｍ１２３４５６７８'), 'M12345678')
})
