import { sql } from 'kysely'

/**
 * The one condition "this path column lies within the subtree at `path`" (the node itself and
 * everything below it), as a btree range: paths are "C"-collated and '~' sorts after every
 * segment ('/1/5/' … '/1/5/~'). Its counterpart in code is `isWithin` (policies/policy.ts).
 */
export const under = (column: string, path: string) =>
  sql<boolean>`(${sql.raw(PLANNED_EACH_TIME)} ${sql.ref(column)} >= ${path} and ${sql.ref(column)} < ${path + '~'})`

/**
 * Marks a statement that must be planned for its own parameters every time (db/client.ts prepares
 * every other statement and lets PostgreSQL keep one generic plan for it): a subtree's range of
 * paths selects a few rows for a union and every row for the city, and a plan made for one is wrong
 * for the other — measured on the demo, the city's page of the register took 17 → 59 ms once a
 * generic plan sorted the whole city; at 3,000,000 members it would sort them all.
 */
export const PLANNED_EACH_TIME = '/* planned each time */'

/** The other way round: the subtree at the column's path holds `path` (the column is `path` or an ancestor of it). */
export const encloses = (column: string, path: string) =>
  sql<boolean>`(${path} >= ${sql.ref(column)} and ${path} < ${sql.ref(column)} || '~')`
