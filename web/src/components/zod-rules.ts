import type { Rule } from 'antd/es/form'

/** the shape of a Zod string schema this file reads (optional/nullable wrappers are looked through) */
type ZodLike = { maxLength?: number | null; minLength?: number | null; unwrap?: () => unknown }

const inner = (s: ZodLike): ZodLike => (s.maxLength === undefined && s.unwrap ? inner(s.unwrap() as ZodLike) : s)

/** The maximum length a shared Zod string schema allows (`z.string().max(n)`), for a form's maxLength. */
export function maxLengthOf(schema: unknown): number | undefined {
  return inner(schema as ZodLike).maxLength ?? undefined
}

/** The form rule of that maximum: `{ max: n }`, with Ant Design's own message or `不能超过n个字`. */
export function maxRule(schema: unknown, says = false): Rule {
  const max = maxLengthOf(schema)
  return says ? { max, message: `不能超过${max}个字` } : { max }
}
