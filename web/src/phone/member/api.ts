/**
 * The member's client (会员端): the same request() as the cadres' client, with the phone session's
 * CSRF token (from the sign-in or /my/session) and its own answer to a 401: back to /m/login.
 */
import { request, toQueryString, type Query } from '../../api/client'

let csrf: string | null = null

/** The phone session's CSRF token, for its writes (the session cookie is httpOnly). */
export function setMemberCsrf(token: string | null) {
  csrf = token
}

/** Where a page goes when the phone session is missing or has ended. */
export const loginPath = (next = window.location.pathname + window.location.search) =>
  `/m/login${next && next !== '/m/login' ? `?next=${encodeURIComponent(next)}` : ''}`

const session = () => ({
  csrf,
  on401: () => {
    if (!window.location.pathname.startsWith('/m/login')) window.location.assign(loginPath())
  },
})

export const memberApi = {
  get: <T>(path: string, q?: Query) => request<T>('GET', path + toQueryString(q), undefined, { session: session() }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}, { session: session() }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body, { session: session() }),
  del: <T>(path: string) => request<T>('DELETE', path, undefined, { session: session() }),
}
