import type { Kysely } from 'kysely'
import type { DB } from './db/schema.js'
import { divisionsOf } from './modules/regions/divisions.js'
import * as regions from './modules/regions/regions.repository.js'
import * as orgs from './modules/orgs/orgs.repository.js'
import { authRepository } from './modules/auth/auth.repository.js'
import { generatePassword, hashPassword, passwordProblem } from './modules/auth/auth.service.js'

/**
 * An empty database gets the divisions of the configured county, its 总工会 as the root of
 * the tree, and the first administrator. Runs as the owner, before any request.
 */
export async function bootstrap(db: Kysely<DB>, opts: { countyCode: string; adminPassword: string | null }) {
  const hasRoot = await orgs.findRoot(db)
  let rootId = hasRoot?.id
  if (!hasRoot) {
    const divisions = divisionsOf(opts.countyCode)
    await regions.insertMany(db, divisions)
    const county = divisions.find((d) => d.code === opts.countyCode)!
    rootId = await orgs.insertRoot(db, county)
  }
  const auth = authRepository(db)
  let generated: string | null = null
  if ((await auth.countUsers()) === 0) {
    let password = opts.adminPassword
    if (password) {
      const problem = passwordProblem(password)
      if (problem) throw new Error(`GONGHUI_ADMIN_PASSWORD：${problem}`)
    } else {
      password = generatePassword()
      generated = password
    }
    await auth.insertUser({
      username: 'admin',
      display_name: '系统管理员',
      password_hash: await hashPassword(password),
      roles: ['sysadmin'],
      org_id: null,
      // whether printed or given by GONGHUI_ADMIN_PASSWORD, it is changed at first login
      must_change_password: true,
    })
    return { created: true, rootId: rootId!, adminPassword: password, generated }
  }
  return { created: false, rootId: rootId!, adminPassword: null, generated }
}
