import { isDeepStrictEqual } from 'node:util'
import type { z } from 'zod'

/**
 * How answers with a response schema (common/responses.ts) are written: as JSON.stringify writes
 * them, the schema documents the answer in /api/openapi.json and types the handler, it does not
 * filter (no field the service returns is dropped) nor cost a validation per answer (a page of
 * members is sent at the speed it was before schemas). With `check` (the tests: harness.ts), every
 * answer is first held against its schema: a field missing or of another type, or one the schema
 * does not name, fails the request with the route and the difference — so the existing tests keep
 * the schemas true.
 */
export function answerSerializer(check: boolean) {
  return ({ schema, method, url }: { schema: unknown; method: string; url: string }) => {
    if (!check) return (data: unknown) => JSON.stringify(data)
    const s = schema as z.ZodType
    return (data: unknown) => {
      const json = JSON.stringify(data)
      const plain: unknown = JSON.parse(json)
      const r = s.safeParse(plain)
      if (!r.success) throw new Error(`${method} ${url}: the answer does not match its response schema: ${r.error.message}`)
      if (!isDeepStrictEqual(r.data, plain))
        throw new Error(`${method} ${url}: the answer has fields its response schema does not name: ${extra(plain, r.data).join(', ')}`)
      return json
    }
  }
}

/** Paths present in `a` and absent from `b` (what a schema would drop). */
function extra(a: unknown, b: unknown, at = ''): string[] {
  if (Array.isArray(a) && Array.isArray(b)) return a.flatMap((x, i) => extra(x, b[i], `${at}[${i}]`)).slice(0, 10)
  if (a && b && typeof a === 'object' && typeof b === 'object')
    return Object.entries(a).flatMap(([k, v]) => (k in b ? extra(v, (b as Record<string, unknown>)[k], `${at}.${k}`) : [`${at}.${k}`]))
  return []
}
