import { percentText } from '../../../../common/percent'

/** 1234567 → "1,234,567" */
export const fmt = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('zh-CN'))

/** numerator ÷ denominator as "45.2%" ("<0.1%" for one in many), "—" without a denominator */
export const pct = (numerator: number, denominator: number | null | undefined, digits = 1): string =>
  denominator ? percentText(numerator / denominator, digits) : '—'

/** a mean: 9 points ÷ 2 ratings → "4.5", "—" without a denominator */
export const mean = (numerator: number, denominator: number | null | undefined, digits = 1) =>
  denominator ? (numerator / denominator).toFixed(digits) : '—'

/** "1,234 / 5,678" */
export const fraction = (numerator: number, denominator: number | null) => `${fmt(numerator)} / ${fmt(denominator)}`

/** "+12.5%" / "-3.0%" / "—" */
export function changeText(current: number, previous: number): string {
  if (!previous) return current ? '新增' : '持平'
  const r = (current - previous) / previous
  return `${r >= 0 ? '+' : ''}${(r * 100).toFixed(1)}%`
}

export const today = () => {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/** A month grain series of 24 months ending on `to`: its first day. */
export function monthsBack(to: string, months: number): string {
  const [y, m] = to.split('-').map(Number) as [number, number]
  const d = new Date(Date.UTC(y, m - 1 - (months - 1), 1))
  return d.toISOString().slice(0, 10)
}
