import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import type { Actor } from '../http/context.js'
import { runInScope } from '../http/scope.js'
import type { Pii } from '../security/pii.js'
import { hashPassword } from '../modules/auth/auth.service.js'
import * as orgs from '../modules/orgs/orgs.service.js'
import * as enterprises from '../modules/enterprises/enterprises.service.js'
import { makeCreditCode, makeOrganizationCode } from '../../../common/credit-code.js'
import type { Industry, JointCategory, UnitNature } from '../../../common/codes.js'

/** Login names of the town unions' cadres in the demo (嵊州市), by division code. */
export const demoTownUsers: Record<string, string> = {
  '330683001': 'shanhu', '330683002': 'sanjiang', '330683003': 'lushan', '330683005': 'pukou', '330683100': 'ganlin',
  '330683101': 'changle', '330683102': 'chongren', '330683103': 'huangze', '330683104': 'sanjie', '330683105': 'shihuang',
  '330683106': 'gulai', '330683107': 'xianyan', '330683108': 'jinting', '330683110': 'xiawang', '330683200': 'guimen',
}

/** Deterministic pseudo-random numbers (mulberry32), so every demo database is the same. */
export function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
  }
}

const brands = ['越星', '华丰', '泰利', '明达', '金盛', '恒远', '新港', '宏图', '鼎新', '瑞丰', '天马', '永兴', '东鑫', '巨龙', '嘉禾', '绿源', '正大', '万通', '百川', '中联', '海天', '同创', '博雅', '兴隆']
const trades: [string, Industry, UnitNature][] = [
  ['领带织造', 'C', 'private'], ['电器', 'C', 'private'], ['机械制造', 'C', 'private'], ['茶业', 'A', 'private'], ['服饰', 'C', 'private'],
  ['五金', 'C', 'private'], ['建材', 'C', 'private'], ['食品', 'C', 'private'], ['印染', 'C', 'foreign'], ['物流', 'G', 'private'],
  ['建设工程', 'E', 'private'], ['商贸', 'F', 'individual'], ['网络科技', 'I', 'private'], ['餐饮管理', 'H', 'individual'], ['医疗器械', 'C', 'state_owned'],
]
const suffixes = ['有限公司', '有限公司', '有限公司', '股份有限公司', '厂', '经营部']

export interface DemoResult {
  users: string[]
  enterprises: number
  unions: number
}

/** The demo city: every town union of 嵊州市, its enterprises, base and joint unions, and a cadre account for each. */
export async function loadDemo(db: Kysely<DB>, pii: Pii, opts: { rootId: number; password: string; countyCode: string }): Promise<DemoResult> {
  const rnd = prng(330683)
  const hash = await hashPassword(opts.password)
  const root = await db.selectFrom('org').selectAll().where('id', '=', opts.rootId).executeTakeFirstOrThrow()
  const towns = await db.selectFrom('region').selectAll().where('parent_code', '=', opts.countyCode).orderBy('code').execute()

  const cityUser = await db.insertInto('app_user').values({ username: 'shengzhou', display_name: '市总工会组织部', password_hash: hash, roles: ['org_admin'], org_id: root.id }).returning('id').executeTakeFirstOrThrow()
  await db.insertInto('app_user').values([
    { username: 'secadmin', display_name: '安全管理员', password_hash: hash, roles: ['secadmin'], org_id: null },
    { username: 'auditor', display_name: '审计管理员', password_hash: hash, roles: ['auditadmin'], org_id: null },
  ]).execute()
  const city: Actor = { id: cityUser.id, username: 'shengzhou', displayName: '市总工会组织部', roles: ['org_admin'], orgId: root.id, orgName: root.name, scopePath: root.path, csrfToken: '', viaCookie: false }

  let serial = 1
  let enterpriseCount = 0
  let unionCount = 0
  const users = ['admin', 'secadmin', 'auditor', 'shengzhou']
  await runInScope(db, pii, city, '127.0.0.1', async (ctx) => {
    const industry = await orgs.create(ctx, {
      parentId: root.id, name: '嵊州市教育工会', orgType: '5', orgForm: 'committee', regionCode: opts.countyCode, isIndustryUnion: true, foundedOn: '1985-05-01',
    })
    for (const town of towns) {
      const isStreet = town.name.endsWith('街道')
      const townUnion = await orgs.create(ctx, {
        parentId: root.id, name: `${town.name}总工会`, orgType: '9', orgForm: 'federation', regionCode: town.code,
        foundedOn: '2005-03-01', chairName: '主席' + town.name.slice(0, 2), chairPhone: `1390575${String(rnd.int(1000, 9999))}`,
        fulltimeWorkers: rnd.int(1, 3), parttimeWorkers: rnd.int(2, 6), hasAuditCommittee: true, hasWomenCommittee: true,
      })
      unionCount++
      const villages = await ctx.db.selectFrom('region').select(['code', 'name']).where('parent_code', '=', town.code).orderBy('code').limit(8).execute()
      const zone = town.code === '330683005' ? '嵊州经济开发区' : null
      const created: { id: number; employees: number; regionCode: string }[] = []
      const count = isStreet ? 30 : 22
      for (let i = 0; i < count; i++) {
        const [trade, industryCode, nature] = rnd.pick(trades)
        const village = villages.length ? rnd.pick(villages) : null
        const employees = rnd.next() < 0.55 ? rnd.int(3, 24) : rnd.next() < 0.7 ? rnd.int(25, 99) : rnd.int(100, 800)
        const year = rnd.int(2008, 2025)
        const e = await enterprises.create(ctx, {
          creditCode: makeCreditCode('9', '1', opts.countyCode, makeOrganizationCode(serial++ * 7919)),
          name: `嵊州市${rnd.pick(brands)}${trade}${rnd.pick(suffixes)}`.replace(/^(嵊州市)(.*)$/, (_, a, b) => a + b),
          address: `${town.name}${village?.name.replace(/(居委会|村委会)$/, '') ?? ''}${rnd.int(1, 300)}号`,
          regionCode: village?.code ?? town.code, nature, industry: industryCode, employees,
          migrantWorkers: Math.floor(employees * rnd.next() * 0.6), aboveScale: employees >= 100 && industryCode === 'C',
          zoneName: zone, foundedOn: `${year}-${String(rnd.int(1, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`,
        }).catch((err) => { if (String(err.message).includes('统一社会信用代码')) return null; throw err })
        if (e) { created.push({ id: e.id, employees, regionCode: e.regionCode }); enterpriseCount++ }
      }
      // the larger enterprises have their own union
      for (const e of created.filter((x) => x.employees >= 100).slice(0, 4)) {
        const ent = await enterprises.get(ctx, e.id)
        await orgs.create(ctx, {
          parentId: townUnion.id, name: `${ent.name.replace(/(有限公司|股份有限公司|厂|经营部)$/, '')}工会委员会`, orgType: '1', orgForm: 'committee',
          regionCode: e.regionCode, enterpriseId: e.id, foundedOn: '2015-06-01', foundingMethod: 'offline',
          industryUnionId: ent.industry === 'P' ? industry.id : null, fulltimeWorkers: e.employees >= 200 ? 1 : 0, parttimeWorkers: 2,
        })
        unionCount++
      }
      // small ones are covered by joint unions of the town's villages and parks
      const small = created.filter((x) => x.employees < 25)
      const categories: JointCategory[] = zone ? ['industrial_park', 'building_business'] : ['village_community', 'other']
      for (let j = 0; j < categories.length && small.length > 0; j++) {
        const chunk = small.splice(0, rnd.int(3, 6))
        await orgs.create(ctx, {
          parentId: townUnion.id, name: `${town.name}${j === 0 && zone ? '经济开发区' : villages[j]?.name.replace(/(居委会|村委会)$/, '') ?? ''}联合工会`,
          orgType: '2', orgForm: 'joint_committee', regionCode: town.code, jointScope: 'regional', jointCategory: categories[j]!,
          foundedOn: '2017-10-01', foundingMethod: j === 0 ? 'offline' : 'online', enterpriseIds: chunk.map((c) => c.id),
          fulltimeWorkers: 0, parttimeWorkers: 1,
        })
        unionCount++
      }
    }
  })

  for (const town of towns) {
    const townUnion = await db.selectFrom('org').select('id').where('code', '=', town.code).executeTakeFirstOrThrow()
    const username = demoTownUsers[town.code] ?? `u${town.code}`
    await db.insertInto('app_user').values({ username, display_name: `${town.name}总工会`, password_hash: hash, roles: ['org_admin'], org_id: townUnion.id }).execute()
    users.push(username)
  }
  return { users, enterprises: enterpriseCount, unions: unionCount }
}
