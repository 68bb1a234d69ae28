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
