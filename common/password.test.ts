import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { passwordProblem, PASSWORD_MAX } from './password'

describe('password policy', () => {
  it('accepts a long, mixed password with nothing guessable in it', () => {
    for (const pw of ['Tea-Garden-2026x', 'Brand-New-Key-2026', 'zJ8#qLm2vR9!', 'Aa1-' + 'kq'.repeat(62)])
      assert.equal(passwordProblem(pw), null, pw)
  })

  it('keeps the length and kinds rule, and refuses one over 128 characters', () => {
    assert.match(passwordProblem('Ab1-xyz')!, /至少10位/)
    assert.match(passwordProblem('alllowercaseletters')!, /至少三类/)
    assert.equal(passwordProblem('Aa1-' + 'kq'.repeat((PASSWORD_MAX - 4) / 2)), null)
    assert.match(passwordProblem('Aa1-' + 'kq'.repeat((PASSWORD_MAX - 4) / 2) + 'z')!, /不能超过128位/)
  })

  it('refuses the common ones, also disguised with digits for letters', () => {
    for (const pw of [
      'Password2026!',
      'P@ssw0rd-2026',
      'Qwerty-2026!x',
      'Gonghui-2026!x',
      'Adm1n-Spring-26',
      'Iloveyou-2026!',
      'A1b2c3d4e5',
    ])
      assert.match(passwordProblem(pw) ?? '', /过于常见|连续或重复/, pw)
  })

  it('refuses counting, repeating and keyboard runs', () => {
    for (const pw of ['Spring-123456x', 'Spring-4321x!Y', 'Xyz-aaaa-2026', 'Zk-asdfg-2026', 'Tea-Abcd-2026'])
      assert.match(passwordProblem(pw)!, /连续或重复/, pw)
  })

  it("refuses the account's user name or display name inside it, ignoring case", () => {
    assert.match(passwordProblem('Ganlin-Spring-26', { username: 'ganlin' })!, /用户名或姓名/)
    assert.match(passwordProblem('Spring-王小明-26x', { username: 'wxm', displayName: '王小明' })!, /用户名或姓名/)
    assert.equal(passwordProblem('Tea-Garden-2026x', { username: 'ganlin', displayName: '甘霖镇总工会' }), null)
  })
})
