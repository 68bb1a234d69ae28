import { sql, type SelectQueryBuilder } from 'kysely'
import type { Tx } from '../http/context.js'

/** Counting a whole city exactly costs seconds: past COUNT_CAP a list says "more than 10,000". */
export const COUNT_CAP = 10_000

/** The rows of a filtered query, counted up to cap: { total ≤ cap, totalCapped when there are more }. */
export async function cappedCount(
  db: Tx,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any filtered query, its aliases included
  q: SelectQueryBuilder<any, any, any>,
  cap = COUNT_CAP,
): Promise<{ total: number; totalCapped: boolean }> {
  const r = await db
    .selectFrom(
      q
        .clearSelect()
        .select(sql.lit(1).as('x'))
        .limit(cap + 1)
        .as('c'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  const n = Number(r.n)
  return { total: Math.min(n, cap), totalCapped: n > cap }
}

/** Where a page starts: the API's page and page size, or a limit and offset. */
export type PageWindow = { page: number; pageSize: number } | { limit: number; offset: number }

/**
 * A page's window. In a statement over a subtree (`subtree`: one with db/paths.ts `under`), it is
 * written into the text: such a statement is prepared per subtree and keeps its plan (db/client.ts),
 * but with LIMIT and OFFSET as parameters PostgreSQL plans for a tenth of the rows and keeps making
 * custom plans (the city's first page was planned on every request). In any other statement it is
 * two parameters: one prepared statement serves every page (written in, a text without parameters
 * would not be prepared at all).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any query, its aliases included
export function windowed<Q extends SelectQueryBuilder<any, any, any>>(q: Q, w: PageWindow, subtree: boolean): Q {
  const [limit, offset] = windowOf(w)
  return (subtree ? q.limit(sql.lit(limit)).offset(sql.lit(offset)) : q.limit(limit).offset(offset)) as Q
}

const windowOf = (w: PageWindow): [number, number] => ('page' in w ? [w.pageSize, (w.page - 1) * w.pageSize] : [w.limit, w.offset])

/**
 * One page of a filtered query and how many rows the filter gives in all, read at once: `rows` is
 * `filtered` with its selection and order, `filtered` is counted as it stands; `subtree`: whether
 * it is over a subtree (see `windowed`).
 */
export async function paged<O>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any filtered query, its aliases included
  filtered: SelectQueryBuilder<any, any, any>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the same query, selected and ordered
  rows: SelectQueryBuilder<any, any, O>,
  w: PageWindow,
  o: { subtree?: boolean } = {},
) {
  const [items, total] = await Promise.all([
    windowed(rows, w, o.subtree ?? false).execute(),
    filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { items, total: Number(total.n) }
}
