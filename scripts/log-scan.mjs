// After `npm test`: searches the server log of the whole run (every fixture logs at level trace
// into GONGHUI_TEST_LOG_DIR, see server/src/test/harness.ts) for personal data — whole ID numbers
// (18 characters with a valid check character, or 15 digits), mobile numbers, also written with
// spaces or dashes or +86 — and fails naming the file, line and kind of every one it finds.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'

// not after a decimal point either: a response time of 2.8613800000021 ms holds no phone number
const edge = '(?<![0-9A-Za-z.])'
const end = '(?![0-9A-Za-z])'
const PATTERNS = {
  居民身份证号码: new RegExp(`${edge}\\d{17}[\\dXx]${end}`, 'g'),
  '15位身份证号码': new RegExp(`${edge}\\d{6}[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01])\\d{3}${end}`, 'g'),
  手机号码: new RegExp(`${edge}(\\+?86[ -]?)?1[3-9]\\d([ -]?\\d{4}){2}${end}`, 'g'),
}
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const validId = (s) => {
  const sum = WEIGHTS.reduce((a, w, i) => a + w * Number(s[i]), 0)
  return '10X98765432'[sum % 11] === s[17].toUpperCase()
}

/** every piece of personal data in a text: [{ line, kind }] */
export function findPersonal(text) {
  const found = []
  text.split('\n').forEach((line, i) => {
    for (const [kind, re] of Object.entries(PATTERNS)) {
      for (const m of line.matchAll(re)) {
        if (kind === '居民身份证号码' && !validId(m[0])) continue
        found.push({ line: i + 1, kind, at: m.index })
      }
    }
  })
  return found
}

describe('the server log of the whole test run', () => {
  it('finds what it looks for (the scanner on a planted line)', () => {
    const planted = [
      '{"msg":"x","q":"330683199001010018"}',
      '{"phone":"13905751111"}',
      '{"phone":"+86 139-0575-1111"}',
      '{"time":1764708123456,"reqId":"req-1","id":330683100}',
      '{"res":{"statusCode":400},"responseTime":2.8613800000021}',
    ].join('\n')
    assert.deepEqual(
      findPersonal(planted).map((f) => [f.line, f.kind]),
      [
        [1, '居民身份证号码'],
        [2, '手机号码'],
        [3, '手机号码'],
      ],
    )
  })

  it('holds no ID or mobile number', { skip: !process.env.GONGHUI_TEST_LOG_DIR && 'GONGHUI_TEST_LOG_DIR not set' }, () => {
    const dir = process.env.GONGHUI_TEST_LOG_DIR
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.log'))
    let lines = 0
    let applications = 0
    let searches = 0
    const found = []
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8')
      lines += text.split('\n').length - 1
      applications += text.split('"url":"/api/public/applications"').length - 1
      searches += text.split('/api/members?q=').length - 1
      for (const x of findPersonal(text)) found.push(`${f}:${x.line} ${x.kind}`)
    }
    console.log(`# log scan: ${files.length} files, ${lines} lines, ${applications} applications, ${searches} member searches`)
    // the run logged the requests that carry personal data, or the scan proves nothing
    assert.ok(lines > 1000, `only ${lines} lines logged`)
    assert.ok(applications > 10 && searches > 0, 'the run logged no application or member search')
    assert.deepEqual(found.slice(0, 20), [], `${found.length} pieces of personal data in the log`)
  })
})
