/**
 * Requests started by main.tsx before React and the page's code have loaded, so they run while
 * the scripts download instead of after them: the session probe (/api/auth/me) and, on the
 * dashboard, its first statistics. The API client takes a prefetched answer once, for the same
 * GET path, instead of asking again (api/client.ts request()); TanStack Query thus reuses it.
 *
 * No React, no Ant Design here: this module is part of the tiny entry chunk.
 */
const started = new Map<string, { at: number; res: Promise<Response> }>()

/** a prefetched answer is used only this soon after it was started (a later request asks anew) */
const FRESH_MS = 30_000

/** Starts a GET of `/api${path}` unless one is already waiting. */
export function prefetch(path: string): Promise<Response> {
  const have = started.get(path)
  if (have && performance.now() - have.at < FRESH_MS) return have.res
  const res = fetch(`/api${path}`, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
  res.catch(() => undefined) // an unused failed prefetch is no unhandled rejection
  started.set(path, { at: performance.now(), res })
  return res
}

/** The prefetched answer of a GET of `/api${path}`, once; undefined when there is none (or it is stale). */
export function takePrefetched(path: string): Promise<Response> | undefined {
  const have = started.get(path)
  if (!have) return undefined
  started.delete(path)
  return performance.now() - have.at < FRESH_MS ? have.res : undefined
}

/** Forgets every prefetched answer (login, logout: they belonged to the previous session). */
export function dropPrefetched() {
  started.clear()
}

/** '?a=1&b=x', leaving out empty values (the API client builds its query strings the same way). */
export function toQueryString(q: Record<string, string | number | boolean | null | undefined> = {}): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue
    p.set(k, String(v))
  }
  const s = p.toString()
  return s ? `?${s}` : ''
}

/** The worker's phone pages (会员端 H5: joining, the card check, the member's /m): the light phone app, not the cadre one. */
export const isPhonePath = (p: string) =>
  p === '/join' || p.startsWith('/join/') || p.startsWith('/card/verify') || p === '/m' || p.startsWith('/m/')
