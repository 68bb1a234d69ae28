import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'

type Q = Kysely<DB> | Transaction<DB>

export const findByCode = (db: Q, code: string) => db.selectFrom('region').selectAll().where('code', '=', code).executeTakeFirst()

export const children = (db: Q, parentCode: string) =>
  db.selectFrom('region').selectAll().where('parent_code', '=', parentCode).orderBy('code').execute()

export const namesOf = async (db: Q, codes: string[]) => {
  if (codes.length === 0) return new Map<string, string>()
  const rows = await db
    .selectFrom('region')
    .select(['code', 'name'])
    .where('code', 'in', [...new Set(codes)])
    .execute()
  return new Map(rows.map((r) => [r.code, r.name]))
}

export async function insertMany(db: Q, rows: { code: string; name: string; parent_code: string | null; level: number }[]) {
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('region')
      .values(rows.slice(i, i + 1000))
      .onConflict((oc) => oc.column('code').doNothing())
      .execute()
  }
}

export const ruleOf = (db: Q, regionCode: string) =>
  db.selectFrom('region_rule').selectAll().where('region_code', '=', regionCode).executeTakeFirst()

export const townRule = (db: Q, townCode: string) =>
  db.selectFrom('town_rule').selectAll().where('town_code', '=', townCode).executeTakeFirst()

export async function upsertRule(
  db: Q,
  r: {
    region_code: string
    own_union_min_employees: number
    grace_months: number
    large_min_employees: number
    zone_min_employees: number
  },
) {
  return db
    .insertInto('region_rule')
    .values(r)
    .onConflict((oc) =>
      oc.column('region_code').doUpdateSet({
        own_union_min_employees: r.own_union_min_employees,
        grace_months: r.grace_months,
        large_min_employees: r.large_min_employees,
        zone_min_employees: r.zone_min_employees,
        updated_at: new Date(),
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** The county-level division this deployment serves (its regions were loaded at bootstrap). */
export const county = (db: Q) =>
  db.selectFrom('region').select(['code', 'name']).where('level', '=', 3).orderBy('code').limit(1).executeTakeFirst()

/** Towns (乡镇、街道) by name, as a file writes them: every town of each name (the same name may recur in other counties). */
export const townsNamed = async (db: Q, names: string[]) => {
  if (names.length === 0) return []
  return db
    .selectFrom('region')
    .select(['code', 'name'])
    .where('level', '=', 4)
    .where('name', 'in', [...new Set(names)])
    .orderBy('code')
    .execute()
}
