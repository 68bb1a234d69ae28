import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from './errors.js'
import { fieldLabel } from '../../../common/labels.js'

/**
 * Characters no field may hold: NUL and the other C0 controls but tab, newline and carriage
 * return (PostgreSQL refuses NUL in text; XML — xlsx exports — refuses the rest), and UTF-16
 * surrogates that are not part of a pair (they are no characters at all).
 */
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

export const hasForbiddenCharacter = (s: string) => FORBIDDEN.test(s)

/** the path of the first string (or object key) holding a forbidden character, or null */
export function forbiddenAt(value: unknown, path: string[] = [], depth = 0): string[] | null {
  if (typeof value === 'string') return FORBIDDEN.test(value) ? path : null
  if (value === null || typeof value !== 'object' || depth > 32) return null
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return null
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = forbiddenAt(value[i], [...path, String(i)], depth + 1)
      if (hit) return hit
    }
    return null
  }
  for (const [k, v] of Object.entries(value)) {
    if (FORBIDDEN.test(k)) return path
    const hit = forbiddenAt(v, [...path, k], depth + 1)
    if (hit) return hit
  }
  return null
}

function refuse(path: string[]): AppError {
  const key = path.join('.') || '_'
  const message = '含有不允许的字符（如空字符或残缺的文字编码）'
  const text = key === '_' ? `请求${message}` : `「${fieldLabel(key)}」${message}`
  return new AppError(400, 'invalid', text, { [key]: text })
}

/**
 * One check for every request, before any route sees it: the path parameters, the query and a
 * parsed body may hold no NUL, control character or lone surrogate, in any string at any depth.
 * A hook on the root instance runs for every route, those registered later included, so a new
 * route cannot forget it.
 */
export function installInputCheck(app: FastifyInstance) {
  app.addHook('preValidation', async (req: FastifyRequest) => {
    for (const part of [req.params, req.query, req.body]) {
      const hit = forbiddenAt(part)
      if (hit) throw refuse(hit)
    }
  })
}
