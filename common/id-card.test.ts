import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  convertResidentId15To18,
  idCheckChar,
  makeResidentId,
  maskDocument,
  maskPersonalData,
  maskPhone,
  validateMobile,
  validateResidentId,
  zMobile,
  zResidentId,
} from './id-card'

const TODAY = { today: '2025-06-30' }

function messageOf(result: { ok: boolean; message?: string }): string {
  return result.ok ? '' : (result.message ?? '')
}

test('the example of GB 11643-1999 validates, with its parts decoded', () => {
  assert.deepEqual(validateResidentId('11010519491231002X', TODAY), {
    ok: true,
    value: '11010519491231002X',
    birthDate: '1949-12-31',
    gender: '2', // sequence 002 is even
    regionCode: '110105',
    convertedFrom15: false,
  })
  assert.equal(idCheckChar('11010519491231002'), 'X')
})

test('other published example numbers', () => {
  // 34052419800101001X and 130503196704010016 are the usual textbook examples.
  const a = validateResidentId('34052419800101001X', TODAY)
  assert.equal(a.ok && a.birthDate, '1980-01-01')
  assert.equal(a.ok && a.gender, '1')
  const b = validateResidentId('130503196704010016', TODAY)
  assert.equal(b.ok && b.birthDate, '1967-04-01')
  assert.equal(b.ok && b.regionCode, '130503')

  // 440524188001010014 is another widely quoted example; its check digit is
  // right but its birth year, 1880, is before the default floor of 1900.
  assert.equal(idCheckChar('44052418800101001'), '4')
  assert.equal(messageOf(validateResidentId('440524188001010014', TODAY)), '身份证号码出生日期「18800101」早于1900年')
  const old = validateResidentId('440524188001010014', { ...TODAY, minBirthYear: 1800 })
  assert.equal(old.ok && old.birthDate, '1880-01-01')
})

test('lower-case x, spaces and full-width characters are normalized', () => {
  const r = validateResidentId(' 110105 19491231 002x ', TODAY)
  assert.equal(r.ok && r.value, '11010519491231002X')
  const full = validateResidentId('１１０１０５１９４９１２３１００２Ｘ', TODAY)
  assert.equal(full.ok && full.value, '11010519491231002X')
})

test('15-digit numbers are converted to 18', () => {
  const vectors = [
    ['110105491231002', '11010519491231002X'],
    ['340524800101001', '34052419800101001X'],
    ['130503670401001', '130503196704010016'],
  ] as const
  for (const [id15, id18] of vectors) {
    assert.equal(convertResidentId15To18(id15), id18)
    const r = validateResidentId(id15, TODAY)
    assert.equal(r.ok && r.value, id18, id15)
    assert.equal(r.ok && r.convertedFrom15, true)
  }
  assert.equal(messageOf(validateResidentId('110105491331002', TODAY)), '身份证号码出生日期「19491331」不是有效日期')
  assert.match(messageOf(validateResidentId('11010549123100X', TODAY)), /15位身份证号码应全部为数字/)
  assert.throws(() => convertResidentId15To18('11010549123100'), RangeError)
})

test('length errors', () => {
  assert.equal(messageOf(validateResidentId('', TODAY)), '身份证号码不能为空')
  assert.equal(messageOf(validateResidentId('11010519491231002', TODAY)), '身份证号码长度应为18位（或旧版15位），实际为17位')
  assert.match(messageOf(validateResidentId('11010519491231002XX', TODAY)), /长度应为18位.*实际为19位/)
  assert.match(messageOf(validateResidentId('1101051949123100X2', TODAY)), /前17位应为数字/)
})

test('region code errors', () => {
  const id = makeResidentId('990105', '19491231', '002')
  assert.equal(messageOf(validateResidentId(id, TODAY)), '身份证号码地区码「990105」无效：前两位不是省级行政区划代码')
  // Residence permits of Hong Kong, Macao and Taiwan residents share the format.
  for (const region of ['810000', '820000', '830000']) {
    assert.equal(validateResidentId(makeResidentId(region, '19900101', '011'), TODAY).ok, true, region)
  }
})

test('birth date errors: impossible, in the future, before 1900', () => {
  assert.equal(
    messageOf(validateResidentId(makeResidentId('330683', '19900230', '123'), TODAY)),
    '身份证号码出生日期「19900230」不是有效日期',
  )
  assert.match(messageOf(validateResidentId(makeResidentId('330683', '19901301', '123'), TODAY)), /不是有效日期/)
  assert.match(messageOf(validateResidentId(makeResidentId('330683', '19900100', '123'), TODAY)), /不是有效日期/)
  // 29 February exists only in leap years.
  assert.equal(validateResidentId(makeResidentId('330683', '20000229', '123'), TODAY).ok, true)
  assert.equal(validateResidentId(makeResidentId('330683', '19000229', '123'), TODAY).ok, false)
  assert.match(messageOf(validateResidentId(makeResidentId('330683', '19000229', '123'), TODAY)), /不是有效日期/)
  assert.equal(messageOf(validateResidentId(makeResidentId('330683', '20250701', '123'), TODAY)), '身份证号码出生日期「20250701」晚于今天')
  assert.equal(validateResidentId(makeResidentId('330683', '20250630', '123'), TODAY).ok, true)
  assert.equal(validateResidentId(makeResidentId('330683', '20250701', '123'), { today: new Date(2025, 6, 1) }).ok, true)
  assert.equal(
    messageOf(validateResidentId(makeResidentId('330683', '18991231', '123'), TODAY)),
    '身份证号码出生日期「18991231」早于1900年',
  )
  // Without `today` the current date applies: someone born next year is rejected.
  const nextYear = new Date().getFullYear() + 1
  assert.match(messageOf(validateResidentId(makeResidentId('330683', `${nextYear}0101`, '123'))), /晚于今天/)
})

test('check character errors name the right character', () => {
  assert.equal(messageOf(validateResidentId('110105194912310021', TODAY)), '身份证号码有误（校验位不符），请对照证件逐位核对')
  assert.equal(messageOf(validateResidentId('13050319670401001X', TODAY)), '身份证号码有误（校验位不符），请对照证件逐位核对')
})

test('makeResidentId builds valid numbers; gender follows the parity of the sequence', () => {
  const male = makeResidentId('330683', '1990-03-07', 123)
  assert.equal(male, '330683199003071236')
  const m = validateResidentId(male, TODAY)
  assert.equal(m.ok && m.gender, '1')
  const f = validateResidentId(makeResidentId('330683', '19900307', '124'), TODAY)
  assert.equal(f.ok && f.gender, '2')
  assert.throws(() => makeResidentId('33068', '19900307', '124'), RangeError)
  assert.throws(() => makeResidentId('330683', '199003', '124'), RangeError)
  assert.throws(() => makeResidentId('330683', '19900307', '1240'), RangeError)
  assert.throws(() => idCheckChar('3306831990030712X'), RangeError)
})

test('property: every single-digit change of a valid number is rejected', () => {
  // MOD 11-2 detects all single substitutions; only the first 17 digits are varied.
  for (const id of ['11010519491231002X', '130503196704010016', makeResidentId('330683', '19751118', '457')]) {
    for (let pos = 0; pos < 17; pos++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === id[pos]) continue
        const changed = id.slice(0, pos) + d + id.slice(pos + 1)
        assert.equal(validateResidentId(changed, TODAY).ok, false, changed)
      }
    }
  }
})

test('maskDocument shows only the last 3 characters and hides at least 5', () => {
  assert.equal(maskDocument('330683199003071234'), '***************234')
  assert.equal(maskDocument('11010519491231002X'), '***************02X')
  assert.equal(maskDocument('E12345678'), '******678')
  assert.equal(maskDocument('H1234567'), '*****567')
  assert.equal(maskDocument('12345678'), '*****678')
  assert.equal(maskDocument('1234567'), '*****67')
  assert.equal(maskDocument('AB123'), '*****')
  assert.equal(maskDocument('AB'), '**')
  assert.equal(maskDocument(''), '')
  assert.equal(maskDocument(null), '')
  assert.equal(maskDocument(undefined), '')
  // idempotent, and an old wide mask narrows to the same
  assert.equal(maskDocument(maskDocument('330683199003071234')), '***************234')
  assert.equal(maskDocument('330683********1234'), '***************234')
})

test('maskPhone hides at least 4 digits', () => {
  assert.equal(maskPhone('13812345678'), '138****5678')
  assert.equal(maskPhone('057583012345'), '057*****2345')
  assert.equal(maskPhone('83012345'), '****2345')
  assert.equal(maskPhone('12345'), '****5')
  assert.equal(maskPhone('12'), '**')
  assert.equal(maskPhone(''), '')
  assert.equal(maskPhone(null), '')
  assert.equal(maskPhone(maskPhone('13812345678')), '138****5678')
})

test('validateMobile', () => {
  assert.deepEqual(validateMobile('13812345678'), { ok: true, value: '13812345678' })
  assert.deepEqual(validateMobile(' 138-1234-5678 '), { ok: true, value: '13812345678' })
  assert.deepEqual(validateMobile('+86 138 1234 5678'), { ok: true, value: '13812345678' })
  assert.deepEqual(validateMobile('008619912345678'), { ok: true, value: '19912345678' })
  assert.deepEqual(validateMobile('8613812345678'), { ok: true, value: '13812345678' })
  assert.deepEqual(validateMobile(''), { ok: false, message: '手机号不能为空' })
  assert.deepEqual(validateMobile('1381234567'), { ok: false, message: '手机号应为11位，实际为10位' })
  assert.deepEqual(validateMobile('12812345678'), { ok: false, message: '手机号应以13至19开头' })
  assert.deepEqual(validateMobile('0575-83012345'), { ok: false, message: '手机号应为11位，实际为12位' })
  assert.deepEqual(validateMobile('1381234567a'), { ok: false, message: '手机号只能包含数字' })
})

test('zod schemas normalize and report the Chinese message', () => {
  assert.equal(zResidentId.parse('11010519491231002x'), '11010519491231002X')
  assert.equal(zResidentId.parse('110105491231002'), '11010519491231002X')
  assert.equal(zResidentId.safeParse('110105194912310021').error?.issues[0]?.message, '身份证号码有误（校验位不符），请对照证件逐位核对')
  assert.equal(zMobile.parse('+86 138 1234 5678'), '13812345678')
  assert.equal(zMobile.safeParse('12812345678').error?.issues[0]?.message, '手机号应以13至19开头')
})

test('maskPersonalData masks numbers under their keys and inside text, drops birth dates', () => {
  const id = makeResidentId('330683', '19900215', '123')
  const detail = {
    before: { document_masked: '330683********' + id.slice(14), phone_masked: '13812345678', birth_date: '1990-02-15', name: '张三' },
    after: { documentNumber: id, birthDate: '1990-02-15', chair_phone: '057583012345', unmasked: true, rows: 3 },
    list: [{ masked: id }],
    note: `证件 ${id}，手机 13912345678，日期 2024-01-01`,
  }
  const masked = maskPersonalData(detail)
  assert.deepEqual(masked, {
    before: { document_masked: '***************' + id.slice(15), phone_masked: '138****5678', name: '张三' },
    after: { documentNumber: '***************' + id.slice(15), chair_phone: '057*****2345', unmasked: true, rows: 3 },
    list: [{ masked: '***************' + id.slice(15) }],
    note: `证件 ***************${id.slice(15)}，手机 139****5678，日期 2024-01-01`,
  })
  assert.deepEqual(maskPersonalData(masked), masked)
  assert.equal(maskPersonalData(null), null)
})
