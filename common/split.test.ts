import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { splitByWeights, splitEvenly } from './split.js'

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0)

describe('splitting a target (largest remainder)', () => {
  it('splits evenly, the remainder to the first parts', () => {
    assert.deepEqual(splitEvenly(10, 3), [4, 3, 3])
    assert.deepEqual(splitEvenly(2, 4), [1, 1, 0, 0])
    assert.deepEqual(splitEvenly(0, 3), [0, 0, 0])
  })

  it('splits in proportion and places the remainder by the largest fractional parts', () => {
    // quotas 100 × 5/12 = 41.67, 100 × 4/12 = 33.33, 100 × 3/12 = 25: 41 + 33 + 25 = 99, the one left to the .67
    assert.deepEqual(splitByWeights(100, [5, 4, 3]).shares, [42, 33, 25])
    // quotas 3.5, 3.5, 3: one left, the tie goes to the larger weight then the earlier part
    assert.deepEqual(splitByWeights(10, [7, 7, 6]).shares, [4, 3, 3])
    assert.deepEqual(splitByWeights(7, [1, 2, 4]).shares, [1, 2, 4])
  })

  it('keeps the total for any weights', () => {
    let seed = 7
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647
    for (let k = 0; k < 500; k++) {
      const n = 1 + Math.floor(rnd() * 30)
      const weights = Array.from({ length: n }, () => (rnd() < 0.2 ? 0 : Math.floor(rnd() * 5000)))
      const total = Math.floor(rnd() * 100_000)
      const { shares } = splitByWeights(total, weights)
      assert.equal(sum(shares), total)
      assert.ok(shares.every((s) => Number.isInteger(s) && s >= 0))
      // no part is more than one away from its exact quota (Hamilton's quota property)
      const ws = sum(weights)
      if (ws > 0) weights.forEach((w, i) => assert.ok(Math.abs(shares[i]! - (total * w) / ws) < 1))
      // a part without weight gets nothing
      if (ws > 0) weights.forEach((w, i) => w === 0 && assert.equal(shares[i], 0))
    }
  })

  it('falls back to an even split when every weight is 0, and says so', () => {
    assert.deepEqual(splitByWeights(5, [0, 0]), { shares: [3, 2], fellBackToEven: true })
    assert.deepEqual(splitByWeights(5, []), { shares: [], fellBackToEven: false })
  })

  it('refuses a total that is not a whole number', () => {
    assert.throws(() => splitByWeights(2.5, [1]), RangeError)
    assert.throws(() => splitByWeights(-1, [1]), RangeError)
  })
})
