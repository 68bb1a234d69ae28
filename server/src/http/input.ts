import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from './errors.js'
import { fieldLabel } from '../../../common/labels.js'

/**
 * Characters no field may hold: NUL and the other C0 controls but tab, newline and carriage
 * return (PostgreSQL refuses NUL in text; XML — xlsx exports — refuses the rest), and UTF-16
 * surrogates that are not part of a pair (they are no characters at all).
 */
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * The path of the first string (or object key) holding a forbidden character, or null. Iterative,
 * so no nesting is too deep, and linear in the input: each value keeps a link to its parent's
 * place, and the path is spelled out only for the one found (a path copied per level made a
 * 40 KB body nested 20,000 deep hold the server 29 s).
 */
export function forbiddenAt(root: unknown): string[] | null {
  interface Place {
    key: string
    parent: Place | null
  }
  const pathOf = (p: Place | null) => {
    const path: string[] = []
    for (; p; p = p.parent) path.push(p.key)
    return path.reverse()
  }
  const stack: [unknown, Place | null][] = [[root, null]]
  while (stack.length > 0) {
    const [value, place] = stack.pop()!
    if (typeof value === 'string') {
      if (FORBIDDEN.test(value)) return pathOf(place)
      continue
    }
    if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || ArrayBuffer.isView(value)) continue
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value)
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, v] = entries[i]!
      if (FORBIDDEN.test(k)) return pathOf(place)
      stack.push([v, { key: k, parent: place }])
    }
  }
  return null
}

const BAD_CHARACTERS = '含有不允许的字符（如空字符或残缺的文字编码）'

function refuse(path: string[], message = BAD_CHARACTERS): AppError {
  const key = path.join('.') || '_'
  const text = key === '_' ? `请求${message}` : `「${fieldLabel(key)}」${message}`
  return new AppError(400, 'invalid', text, { [key]: text })
}

const decodes = (s: string) => {
  try {
    decodeURIComponent(s)
    return true
  } catch {
    return false
  }
}

/**
 * The query parser keeps a malformed escape (%FF, a lone surrogate's %ED%A0%80, %zz) as it is,
 * silently: such a parameter is refused, as the one that cannot be read.
 */
function malformedQueryParameter(url: string): string | null {
  const q = url.indexOf('?')
  if (q < 0) return null
  for (const pair of url.slice(q + 1).split('&')) {
    const eq = pair.indexOf('=')
    const key = eq < 0 ? pair : pair.slice(0, eq)
    const value = eq < 0 ? '' : pair.slice(eq + 1)
    if (!decodes(key.replace(/\+/g, ' '))) return '_'
    if (!decodes(value.replace(/\+/g, ' '))) return decodeURIComponent(key.replace(/\+/g, ' '))
  }
  return null
}

/**
 * A path the router cannot read (a malformed escape, a parameter over its length limit): the
 * answer names the parameter of the route the path was meant for, as any other refusal does.
 */
export function badUrlError(routes: { method: string; url: string }[], method: string, rawUrl: string, tooLong: boolean): AppError {
  const path = rawUrl.split('?')[0] ?? ''
  const segments = path.split('/')
  const message = tooLong ? '过长' : BAD_CHARACTERS
  for (const r of routes) {
    if (r.method !== method) continue
    const pattern = r.url.split('/')
    if (pattern.length !== segments.length) continue
    let param: string | null = null
    let matches = true
    for (let i = 0; i < pattern.length && matches; i++) {
      const p = pattern[i]!
      const seg = segments[i]!
      if (p.startsWith(':')) {
        if (param === null && (!decodes(seg) || (tooLong && seg.length > 100))) param = p.slice(1)
      } else if (p !== seg) matches = false
    }
    if (matches && param) return refuse([param], message)
  }
  return refuse([], tooLong ? '地址过长' : BAD_CHARACTERS)
}

/**
 * One check for every request, before any route sees it: the path parameters, the query and a
 * parsed body may hold no NUL, control character or lone surrogate, in any string at any depth.
 * A hook on the root instance runs for every route, those registered later included, so a new
 * route cannot forget it.
 */
export function installInputCheck(app: FastifyInstance) {
  app.addHook('preValidation', async (req: FastifyRequest) => {
    const malformed = malformedQueryParameter(req.url)
    if (malformed) throw refuse(malformed === '_' ? [] : [malformed])
    for (const part of [req.params, req.query, req.body]) {
      const hit = forbiddenAt(part)
      if (hit) throw refuse(hit)
    }
  })
}
