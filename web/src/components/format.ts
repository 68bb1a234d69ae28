import dayjs from 'dayjs'

/** The one way a moment is written on every page: 2026-12-02 23:02 (with seconds where they matter). */
export const dateTime = (v: string | null | undefined, seconds = false) =>
  v ? dayjs(v).format(seconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm') : '—'
