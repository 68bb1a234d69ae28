/**
 * The server log keeps no personal data: no ID or phone number, no applicant's or card's token,
 * no password, cookie or session. Requests are logged by path, with the values of the query string
 * hidden (a search `?q=` is often an ID number, `?token=` is a key); bodies and the headers that
 * carry secrets are redacted by path; errors keep their type, code and a scrubbed message, not
 * the input they may carry; and every message and string field is scrubbed of whole ID and
 * mobile numbers and token-like strings before it is written.
 */
import type { FastifyServerOptions } from 'fastify'
import { maskDocument, maskPhone } from '../../../common/id-card.js'

const HIDDEN = '[已隐藏]'

/** Query parameters whose values are harmless (paging, sorting, filters by code or id). */
const PLAIN_QUERY = new Set(['page', 'pageSize', 'sort', 'status', 'format', 'org', 'quality', 'overdue', 'occupation', 'level', 'kind'])
const PLAIN_VALUE = /^[\w.-]{1,24}$/

/** '/api/members?q=330…&page=2' → '/api/members?q=[已隐藏]&page=2' */
export function redactUrl(url: string | undefined): string {
  if (!url) return ''
  const at = url.indexOf('?')
  if (at < 0) return scrub(url)
  const parts = url
    .slice(at + 1)
    .split('&')
    .filter(Boolean)
    .map((p) => {
      const eq = p.indexOf('=')
      const key = eq < 0 ? p : p.slice(0, eq)
      const value = eq < 0 ? '' : p.slice(eq + 1)
      let k = key
      try {
        k = decodeURIComponent(key)
      } catch {
        // a malformed escape: keep it as sent
      }
      return PLAIN_QUERY.has(k) && PLAIN_VALUE.test(value) ? `${key}=${value}` : `${scrub(key)}=${HIDDEN}`
    })
  return `${scrub(url.slice(0, at))}?${parts.join('&')}`
}

/** A whole 居民身份证号 (or 15-digit one), in text. */
const ID_IN_TEXT = /(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g
/** A mainland mobile number in text, as people write it: 13905751234, 139 0575 1234, +86 139-0575-1234. */
const MOBILE_IN_TEXT = /(?<!\d)(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)/g
/** Token-like strings (applicants' and cards' tokens, session ids): 20+ characters of base64url. */
const TOKEN_IN_TEXT =
  /(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{20,}(?:\.[A-Za-z0-9_-]{10,})*(?![A-Za-z0-9_-])/g

/** Text with whole ID and mobile numbers masked and token-like strings hidden. */
export function scrub(text: string): string {
  return text
    .replace(ID_IN_TEXT, (m) => maskDocument(m))
    .replace(MOBILE_IN_TEXT, (m) => maskPhone(m))
    .replace(TOKEN_IN_TEXT, HIDDEN)
}

/** Any logged value, scrubbed (strings inside objects and arrays too; depth-limited). */
function scrubValue(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return scrub(v)
  if (depth > 6 || v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map((x) => scrubValue(x, depth + 1))
  if (v instanceof Error) return serializeError(v)
  const proto = Object.getPrototypeOf(v)
  // only plain objects: requests, replies, streams and buffers go through their serializers
  if (proto !== Object.prototype && proto !== null) return v
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(v)) out[k] = scrubValue(x, depth + 1)
  return out
}

/** An error without the input it may carry: type, code, status, scrubbed message and stack. */
function serializeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return err && typeof err === 'object' ? (err as Record<string, unknown>) : { message: scrub(String(err)) }
  const e = err as Error & { code?: unknown; statusCode?: unknown; constraint?: unknown; cause?: unknown }
  return {
    type: e.name,
    message: scrub(e.message),
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.statusCode === 'number' ? { statusCode: e.statusCode } : {}),
    ...(typeof e.constraint === 'string' ? { constraint: e.constraint } : {}),
    stack: e.stack ? scrub(e.stack) : undefined,
    ...(e.cause ? { cause: serializeError(e.cause) } : {}),
    // pg's `detail` ('Key (x)=(value) …'), `where`, a validation's input and the like are left out
  }
}

/** Paths redacted whatever their value: secrets in headers, and bodies wherever they are logged. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'body',
  'req.body',
  'request.body',
  'query',
  'req.query',
  'params',
  'password',
  'token',
  '*.password',
  '*.token',
  '*.documentNumber',
  '*.phone',
  '*.birthDate',
]

/** Fastify's logger options: the level, and where to write (a test passes a stream). */
export function loggerOptions(level: string, stream?: NodeJS.WritableStream): NonNullable<FastifyServerOptions['logger']> {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: { paths: REDACT, censor: HIDDEN },
    serializers: {
      req: (req: { method?: string; url?: string; routeOptions?: { url?: string }; ip?: string; hostname?: string }) => ({
        method: req.method,
        url: redactUrl(req.url),
        route: req.routeOptions?.url,
        remoteAddress: req.ip,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: serializeError,
    },
    hooks: {
      // every message and string field, whatever a module logs
      logMethod(args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(
          this,
          args.map((a) => scrubValue(a)),
        )
      },
    },
  } as unknown as NonNullable<FastifyServerOptions['logger']>
}
