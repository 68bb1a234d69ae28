/**
 * The 15 working days within which a union answers an application (PRODUCT.md, Members).
 * Saturdays and Sundays are skipped; public holidays (and the weekend days made working days
 * around them, 调休) are not modelled, so a due date across 国庆 or 春节 is earlier than the
 * official calendar's.
 */
export const REVIEW_WORKING_DAYS = 15

/** The date `days` working days after `from` (both 'YYYY-MM-DD'; `from` itself does not count). */
export function addWorkingDays(from: string, days: number): string {
  const d = new Date(`${from}T00:00:00Z`)
  let left = days
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1)
    const wd = d.getUTCDay()
    if (wd !== 0 && wd !== 6) left--
  }
  return d.toISOString().slice(0, 10)
}
