import { sql } from 'kysely'

/**
 * The one condition "this path column lies within the subtree at `path`" (the node itself and
 * everything below it), as a btree range: paths are "C"-collated and '~' sorts after every
 * segment ('/1/5/' … '/1/5/~'). Its counterpart in code is `isWithin` (policies/policy.ts).
 * The bounds are literals (the path is the server's own; sql.lit quotes it), so the statement's text
 * is its subtree's own: see PER_SUBTREE.
 */
export const under = (column: string, path: string) =>
  sql<boolean>`(${sql.raw(PER_SUBTREE)} ${sql.ref(column)} >= ${sql.lit(path)} and ${sql.ref(column)} < ${sql.lit(path + '~')})`

/**
 * Marks a statement over one subtree, with the subtree's bounds written in its text (db/client.ts
 * prepares it per subtree, in a small cache per connection that closes the least recently used):
 * a range of paths selects a few rows for a union and every row for the city, and one plan cannot
 * serve both — measured on the demo, the city's page of the register took 17 → 59 ms once a generic
 * plan made for a town's range was used for the city's; at 3,000,000 members it would sort them all.
 * With the bounds in the text, each subtree has statements, and plans, of its own.
 */
export const PER_SUBTREE = '/* one per subtree */'

/** The other way round: the subtree at the column's path holds `path` (the column is `path` or an ancestor of it). */
export const encloses = (column: string, path: string) =>
  sql<boolean>`(${path} >= ${sql.ref(column)} and ${path} < ${sql.ref(column)} || '~')`
