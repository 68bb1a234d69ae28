/**
 * Splitting a whole-number total among parts in proportion to their weights, by the largest
 * remainder method (Hamilton): each part gets the whole part of its exact quota, and the units
 * left over go one each to the parts with the largest fractional remainders (on a tie the larger
 * weight first, then the earlier part). The shares always add up to the total exactly.
 */

export type SplitBasis = 'even' | 'due' | 'workers' | 'members'

export const splitBases: { value: SplitBasis; label: string; hint: string }[] = [
  { value: 'even', label: '平均分配', hint: '各单位份额相同' },
  { value: 'due', label: '按应建未建单位数', hint: '尚需建会的单位越多，分得越多' },
  { value: 'workers', label: '按职工人数', hint: '辖区登记单位的职工人数' },
  { value: 'members', label: '按会员人数', hint: '现有在册会员人数' },
]

export interface SplitResult {
  shares: number[]
  /** every weight was 0 (or there were none positive): split evenly instead */
  fellBackToEven: boolean
}

/** Splits `total` (a whole number ≥ 0) by `weights` (≥ 0); all-zero weights split evenly. */
export function splitByWeights(total: number, weights: readonly number[]): SplitResult {
  if (!Number.isInteger(total) || total < 0) throw new RangeError('total must be a whole number ≥ 0')
  const n = weights.length
  if (n === 0) return { shares: [], fellBackToEven: false }
  const clean = weights.map((w) => (Number.isFinite(w) && w > 0 ? w : 0))
  const sum = clean.reduce((s, w) => s + w, 0)
  const fellBackToEven = sum === 0
  const w = fellBackToEven ? clean.map(() => 1) : clean
  const weightSum = fellBackToEven ? n : sum
  const quotas = w.map((x) => (total * x) / weightSum)
  const shares = quotas.map((q) => Math.floor(q))
  let left = total - shares.reduce((s, x) => s + x, 0)
  const order = quotas.map((q, i) => ({ i, rem: q - Math.floor(q), w: w[i]! })).sort((a, b) => b.rem - a.rem || b.w - a.w || a.i - b.i)
  for (const o of order) {
    if (left <= 0) break
    shares[o.i]! += 1
    left -= 1
  }
  return { shares, fellBackToEven }
}

/** The even split: the same as splitByWeights with equal weights (the first parts take the remainder). */
export function splitEvenly(total: number, parts: number): number[] {
  return splitByWeights(
    total,
    Array.from({ length: parts }, () => 1),
  ).shares
}
