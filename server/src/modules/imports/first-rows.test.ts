import { test } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { createPii } from '../../security/pii.js'
import { FirstRows } from './first-rows.js'

const pii = createPii({
  current: 'k1',
  keys: { k1: crypto.randomBytes(32).toString('base64') },
  hashKey: crypto.randomBytes(32).toString('base64'),
})

test('FirstRows: the first row of each person, across growth, agrees with a Map', () => {
  // a small start forces many rehashes; every 7th row repeats an earlier person
  const seen = new FirstRows(4)
  const map = new Map<string, number>()
  for (let row = 2; row < 60_000; row++) {
    const person = row % 7 === 0 ? Math.floor(row / 3) : row
    const h = pii.hash(`resident_id:${person}`)
    const want = map.get(h)
    if (want === undefined) map.set(h, row)
    assert.equal(seen.firstOrAdd(h, row), want, `row ${row}`)
  }
  assert.equal(seen.size, map.size)
  // asked again, each person answers with the row first recorded
  for (const [h, row] of [...map].slice(0, 2000)) assert.equal(seen.firstOrAdd(h, 1), row)
})

test('FirstRows: hashes differing only after the first 64 bits are different people', () => {
  const seen = new FirstRows()
  const base = Buffer.alloc(32, 7)
  const other = Buffer.from(base)
  other[12] = 8
  assert.equal(seen.firstOrAdd(base.toString('base64url'), 2), undefined)
  assert.equal(seen.firstOrAdd(other.toString('base64url'), 3), undefined)
  assert.equal(seen.firstOrAdd(base.toString('base64url'), 4), 2)
  assert.equal(seen.firstOrAdd(other.toString('base64url'), 5), 3)
})
