/** LIKE patterns from what a user typed: their % and _ are characters, not wildcards. */
const escape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)
export const contains = (s: string) => `%${escape(s)}%`
export const startsWith = (s: string) => `${escape(s)}%`
