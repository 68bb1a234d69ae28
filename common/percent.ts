/**
 * A share as the pages print it: 0.4523 → "45.2%". A share that is not nothing never reads "0.0%"
 * (one member of 11,726 who took part is "<0.1%"), and one that falls short of the whole never
 * reads "100.0%" (">99.9%"); above the whole (a target exceeded) it reads as it is: "120.0%".
 */
export function percentText(ratio: number | null | undefined, digits = 1): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—'
  const v = ratio * 100
  const step = 10 ** -digits
  if (v > 0 && v < step / 2) return `<${step.toFixed(digits)}%`
  if (v < 100 && v >= 100 - step / 2) return `>${(100 - step).toFixed(digits)}%`
  return `${v.toFixed(digits)}%`
}
