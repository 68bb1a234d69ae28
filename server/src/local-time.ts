import { TIME_ZONE } from './config.js'

/*
 * The one way the server writes a moment for people (messages, SMS, exports): "2026-12-03 16:27",
 * with seconds where they matter, in the users' time zone (GONGHUI_TIMEZONE, config.ts) — as the
 * web's dateTime (web/src/components/format.ts) writes it in the browser.
 */
const formats = new Map<string, Intl.DateTimeFormat>()

function formatOf(timeZone: string, seconds: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${seconds}`
  let f = formats.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' as const } : {}),
      hourCycle: 'h23',
    })
    formats.set(key, f)
  }
  return f
}

const days = new Map<string, Intl.DateTimeFormat>()

/**
 * The users' day of a moment, 'YYYY-MM-DD' (today, for every request: the formatter is made once per
 * zone, as making one costs more than the rest of a small request's own work).
 */
export function localDate(d: Date | string | number = new Date(), timeZone: string = TIME_ZONE): string {
  let f = days.get(timeZone)
  if (!f) days.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })))
  return f.format(new Date(d))
}

/** A moment as the users read it: 2026-12-03 16:27 (or 16:27:05); '' for none. */
export function localDateTime(d: Date | string | number | null | undefined, opts: { seconds?: boolean; timeZone?: string } = {}): string {
  if (d === null || d === undefined || d === '') return ''
  const parts = Object.fromEntries(
    formatOf(opts.timeZone ?? TIME_ZONE, opts.seconds ?? false)
      .formatToParts(new Date(d))
      .map((p) => [p.type, p.value]),
  )
  const time = `${parts.hour}:${parts.minute}${opts.seconds ? `:${parts.second}` : ''}`
  return `${parts.year}-${parts.month}-${parts.day} ${time}`
}
