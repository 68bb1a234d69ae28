import { sql } from 'kysely'

/**
 * The one condition "this path column lies within the subtree at `path`" (the node itself and
 * everything below it), as a btree range: paths are "C"-collated and '~' sorts after every
 * segment ('/1/5/' … '/1/5/~'). Its counterpart in code is `isWithin` (policies/policy.ts).
 */
export const under = (column: string, path: string) => sql<boolean>`(${sql.ref(column)} >= ${path} and ${sql.ref(column)} < ${path + '~'})`

/** The other way round: the subtree at the column's path holds `path` (the column is `path` or an ancestor of it). */
export const encloses = (column: string, path: string) =>
  sql<boolean>`(${path} >= ${sql.ref(column)} and ${path} < ${sql.ref(column)} || '~')`
