import { sql } from 'kysely'

/** LIKE patterns from what a user typed: their % and _ are characters, not wildcards. */
const escape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)
export const contains = (s: string) => `%${escape(s)}%`
export const startsWith = (s: string) => `${escape(s)}%`

/**
 * "The column starts with `s`" as a range in the byte order of text_pattern_ops (`~>=~`, `~<~`),
 * for a column with an index in that order. Unlike LIKE these operators are leakproof, so under
 * row-level security PostgreSQL may search the index with them before it applies the policies (it
 * filters every row of a subtree with LIKE instead: a name in the city's register, 0031). The upper
 * bound is `s` with its last character's successor (UTF-8's byte order is the code points' order).
 */
export const prefixRange = (column: string, s: string) => {
  const chars = [...s]
  const last = chars.pop()!.codePointAt(0)! + 1
  // past the surrogates (not text); past the last code point there is no successor: LIKE bounds it
  const next = last === 0xd800 ? 0xe000 : last
  const ref = sql.ref(column)
  if (next > 0x10ffff) return sql<boolean>`(${ref} ~>=~ ${s} and ${ref} like ${startsWith(s)})`
  return sql<boolean>`(${ref} ~>=~ ${s} and ${ref} ~<~ ${chars.join('') + String.fromCodePoint(next)})`
}
