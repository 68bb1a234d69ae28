import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { percentText } from './percent.js'

describe('a share as the pages print it', () => {
  it('rounds to one place', () => {
    assert.equal(percentText(0.4523), '45.2%')
    assert.equal(percentText(0.5), '50.0%')
    assert.equal(percentText(0.00051), '0.1%')
    assert.equal(percentText(1), '100.0%')
    assert.equal(percentText(0), '0.0%')
    assert.equal(percentText(0.12345, 2), '12.35%')
  })
  it('a share that is not nothing never reads 0.0%, one short of the whole never 100.0%', () => {
    assert.equal(percentText(1 / 11726), '<0.1%')
    assert.equal(percentText(11725 / 11726), '>99.9%')
    assert.equal(percentText(1 / 30000, 2), '<0.01%')
  })
  it('above the whole as it is; nothing to divide by is a dash', () => {
    assert.equal(percentText(1.2), '120.0%')
    assert.equal(percentText(null), '—')
    assert.equal(percentText(undefined), '—')
    assert.equal(percentText(Number.NaN), '—')
  })
})
