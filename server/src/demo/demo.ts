import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { sql } from 'kysely'
import { accountActor, type Actor, type Ctx } from '../http/context.js'
import { runInScope, TIME_ZONE, todayIn } from '../http/scope.js'
import type { Pii } from '../security/pii.js'
import { hashPassword } from '../modules/auth/auth.service.js'
import * as orgs from '../modules/orgs/orgs.service.js'
import * as enterprises from '../modules/enterprises/enterprises.service.js'
import * as memberRepo from '../modules/members/members.repository.js'
import { qualityOf } from '../modules/members/enroll.js'
import { sealIdentity } from '../modules/members/identity.js'
import * as statsRepo from '../modules/stats/stats.repository.js'
import { loadDemoPlans } from '../modules/plans/plans.demo.js'
import { makeCreditCode, makeOrganizationCode } from '../../../common/credit-code.js'
import { makeResidentId } from '../../../common/id-card.js'
import type { Industry, JointCategory, UnitNature } from '../../../common/codes.js'
import { DEMO_MEMBER_PHONE } from '../../../common/api-my.js'

/** Login names of the town unions' cadres in the demo (嵊州市), by division code. */
export const demoTownUsers: Record<string, string> = {
  '330683001': 'shanhu',
  '330683002': 'sanjiang',
  '330683003': 'lushan',
  '330683005': 'pukou',
  '330683100': 'ganlin',
  '330683101': 'changle',
  '330683102': 'chongren',
  '330683103': 'huangze',
  '330683104': 'sanjie',
  '330683105': 'shihuang',
  '330683106': 'gulai',
  '330683107': 'xianyan',
  '330683108': 'jinting',
  '330683110': 'xiawang',
  '330683200': 'guimen',
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

const brands = [
  '越星',
  '华丰',
  '泰利',
  '明达',
  '金盛',
  '恒远',
  '新港',
  '宏图',
  '鼎新',
  '瑞丰',
  '天马',
  '永兴',
  '东鑫',
  '巨龙',
  '嘉禾',
  '绿源',
  '正大',
  '万通',
  '百川',
  '中联',
  '海天',
  '同创',
  '博雅',
  '兴隆',
]
const trades: [string, Industry, UnitNature][] = [
  ['领带织造', 'C', 'private'],
  ['电器', 'C', 'private'],
  ['机械制造', 'C', 'private'],
  ['茶业', 'A', 'private'],
  ['服饰', 'C', 'private'],
  ['五金', 'C', 'private'],
  ['建材', 'C', 'private'],
  ['食品', 'C', 'private'],
  ['印染', 'C', 'foreign'],
  ['物流', 'G', 'private'],
  ['建设工程', 'E', 'private'],
  ['商贸', 'F', 'individual'],
  ['网络科技', 'I', 'private'],
  ['餐饮管理', 'H', 'individual'],
  ['医疗器械', 'C', 'state_owned'],
]
const suffixes = ['有限公司', '有限公司', '有限公司', '股份有限公司', '厂', '经营部']

export interface DemoResult {
  users: string[]
  enterprises: number
  unions: number
  members: number
}

/** The demo city: every town union of 嵊州市, its enterprises, base and joint unions, and a cadre account for each. */
export async function loadDemo(
  db: Kysely<DB>,
  pii: Pii,
  opts: { rootId: number; password: string; countyCode: string },
): Promise<DemoResult> {
  const rnd = prng(330683)
  const hash = await hashPassword(opts.password)
  const root = await db.selectFrom('org').selectAll().where('id', '=', opts.rootId).executeTakeFirstOrThrow()
  const towns = await db.selectFrom('region').selectAll().where('parent_code', '=', opts.countyCode).orderBy('code').execute()

  const cityUser = await db
    .insertInto('app_user')
    .values({
      username: 'shengzhou',
      display_name: '市总工会组织部',
      password_hash: hash,
      must_change_password: true,
      roles: ['org_admin'],
      org_id: root.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('app_user')
    .values([
      {
        username: 'secadmin',
        display_name: '安全管理员',
        password_hash: hash,
        must_change_password: true,
        roles: ['secadmin'],
        org_id: null,
      },
      {
        username: 'auditor',
        display_name: '审计管理员',
        password_hash: hash,
        must_change_password: true,
        roles: ['auditadmin'],
        org_id: null,
      },
    ])
    .execute()
  const city = accountActor({
    id: cityUser.id,
    username: 'shengzhou',
    display_name: '市总工会组织部',
    roles: ['org_admin'],
    org_id: root.id,
    name: root.name,
    path: root.path,
  })

  let serial = 1
  let enterpriseCount = 0
  let unionCount = 0
  const users = ['admin', 'secadmin', 'auditor', 'shengzhou']
  await runInScope(db, pii, city, '127.0.0.1', async (ctx) => {
    const industry = await orgs.create(ctx, {
      parentId: root.id,
      name: '嵊州市教育工会',
      orgType: '5',
      orgForm: 'committee',
      regionCode: opts.countyCode,
      isIndustryUnion: true,
      foundedOn: '1985-05-01',
    })
    for (const town of towns) {
      const isStreet = town.name.endsWith('街道')
      const townUnion = await orgs.create(ctx, {
        parentId: root.id,
        name: `${town.name}总工会`,
        orgType: '9',
        orgForm: 'federation',
        regionCode: town.code,
        foundedOn: '2005-03-01',
        chairName: '主席' + town.name.slice(0, 2),
        chairPhone: `1390575${String(rnd.int(1000, 9999))}`,
        fulltimeWorkers: rnd.int(1, 3),
        parttimeWorkers: rnd.int(2, 6),
        hasAuditCommittee: true,
        hasWomenCommittee: true,
      })
      unionCount++
      const villages = await ctx.db
        .selectFrom('region')
        .select(['code', 'name'])
        .where('parent_code', '=', town.code)
        .orderBy('code')
        .limit(8)
        .execute()
      const zone = town.code === '330683005' ? '嵊州经济开发区' : null
      const created: { id: number; employees: number; regionCode: string }[] = []
      const count = isStreet ? 30 : 22
      for (let i = 0; i < count; i++) {
        const [trade, industryCode, nature] = rnd.pick(trades)
        const village = villages.length ? rnd.pick(villages) : null
        const employees = rnd.next() < 0.55 ? rnd.int(3, 24) : rnd.next() < 0.7 ? rnd.int(25, 99) : rnd.int(100, 800)
        const year = rnd.int(2008, 2025)
        const foundedOn = `${year}-${String(rnd.int(1, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`
        // the register as if it had been kept since then: the statistics date the entry on its founding
        await statsRepo.setEffectiveDay(ctx.db, foundedOn)
        const e = await enterprises
          .create(ctx, {
            creditCode: makeCreditCode('9', '1', opts.countyCode, makeOrganizationCode(serial++ * 7919)),
            name: `嵊州市${rnd.pick(brands)}${trade}${rnd.pick(suffixes)}`.replace(/^(嵊州市)(.*)$/, (_, a, b) => a + b),
            address: `${town.name}${village?.name.replace(/(居委会|村委会)$/, '') ?? ''}${rnd.int(1, 300)}号`,
            regionCode: village?.code ?? town.code,
            nature,
            industry: industryCode,
            employees,
            migrantWorkers: Math.floor(employees * rnd.next() * 0.6),
            aboveScale: employees >= 100 && industryCode === 'C',
            zoneName: zone,
            foundedOn,
          })
          .catch((err) => {
            if (String(err.message).includes('统一社会信用代码')) return null
            throw err
          })
        if (e) {
          created.push({ id: e.id, employees, regionCode: e.regionCode })
          enterpriseCount++
        }
      }
      // the larger enterprises have their own union
      for (const e of created.filter((x) => x.employees >= 100).slice(0, 4)) {
        const ent = await enterprises.get(ctx, e.id)
        const foundedOn = dayIn(rnd, Math.max(2010, Number(ent.foundedOn?.slice(0, 4) ?? 2010) + 1), 2026)
        await statsRepo.setEffectiveDay(ctx.db, foundedOn)
        await orgs.create(ctx, {
          parentId: townUnion.id,
          name: `${ent.name.replace(/(有限公司|股份有限公司|厂|经营部)$/, '')}工会委员会`,
          orgType: '1',
          orgForm: 'committee',
          regionCode: e.regionCode,
          enterpriseId: e.id,
          foundedOn,
          foundingMethod: rnd.next() < 0.5 ? 'offline' : 'online',
          industryUnionId: ent.industry === 'P' ? industry.id : null,
          fulltimeWorkers: e.employees >= 200 ? 1 : 0,
          parttimeWorkers: 2,
        })
        unionCount++
      }
      // small ones are covered by joint unions of the town's villages and parks
      const small = created.filter((x) => x.employees < 25)
      // (the first in the 2017 campaign, the others since; a logistics one for 新就业形态 workers in some towns)
      const categories: JointCategory[] = zone
        ? ['industrial_park', 'building_business', 'logistics']
        : ['village_community', 'other', ...(rnd.next() < 0.6 ? ['logistics' as const] : [])]
      for (let j = 0; j < categories.length && small.length > 0; j++) {
        const chunk = small.splice(0, rnd.int(3, 6))
        const foundedOn = j === 0 ? '2017-10-01' : dayIn(rnd, j === 1 ? 2018 : 2024, 2026)
        const logistics = categories[j] === 'logistics'
        await statsRepo.setEffectiveDay(ctx.db, foundedOn)
        await orgs.create(ctx, {
          parentId: townUnion.id,
          name: logistics
            ? `${town.name}新就业形态联合工会`
            : `${town.name}${j === 0 && zone ? '经济开发区' : (villages[j]?.name.replace(/(居委会|村委会)$/, '') ?? '')}联合工会`,
          orgType: '2',
          orgForm: logistics ? 'joint_federation' : 'joint_committee',
          regionCode: town.code,
          jointScope: logistics ? 'industry' : 'regional',
          jointCategory: categories[j]!,
          foundedOn,
          foundingMethod: j === 0 ? 'offline' : 'online',
          enterpriseIds: chunk.map((c) => c.id),
          fulltimeWorkers: logistics ? 1 : 0,
          parttimeWorkers: 1,
        })
        unionCount++
      }
      await statsRepo.setEffectiveDay(ctx.db, null)
    }
  })

  const memberCount = await runInScope(db, pii, city, '127.0.0.1', (ctx) => loadMembers(ctx, rnd, towns))
  // the plans: the 2017 joint-union plan with its 附件3 targets, and the current 2024-2026 plan
  await runInScope(db, pii, city, '127.0.0.1', (ctx) => loadDemoPlans(ctx, root.id))

  for (const town of towns) {
    const townUnion = await db.selectFrom('org').select('id').where('code', '=', town.code).executeTakeFirstOrThrow()
    const username = demoTownUsers[town.code] ?? `u${town.code}`
    await db
      .insertInto('app_user')
      .values({
        username,
        display_name: `${town.name}总工会`,
        password_hash: hash,
        must_change_password: true,
        roles: ['org_admin'],
        org_id: townUnion.id,
      })
      .execute()
    users.push(username)
  }
  return { users, enterprises: enterpriseCount, unions: unionCount, members: memberCount }
}

/** A day in [fromYear, toYear], not after today. */
function dayIn(rnd: ReturnType<typeof prng>, fromYear: number, toYear: number) {
  const d = `${rnd.int(fromYear, toYear)}-${String(rnd.int(1, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`
  const today = todayIn(TIME_ZONE)
  return d > today ? today : d
}

const surnames =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'
const givens = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志红文斌晓东海燕小红俊峰婷宇浩鑫凯佳琳晨阳慧颖'
const newEmployment = ['truck_driver', 'courier', 'ride_hailing', 'food_delivery'] as const

/**
 * Members of the demo city: most workers of the units that have a union, joined over the years
 * since their union was founded (more of them lately), a few retired (保留) or gone, some
 * 新就业形态 workers in the joint unions, and the platforms' workforce per town. Towns differ
 * in how far they got, so that rankings have a top and a bottom.
 */
async function loadMembers(ctx: Ctx, rnd: ReturnType<typeof prng>, towns: { code: string; name: string }[]) {
  const today = ctx.today
  const units = await ctx.db
    .selectFrom('enterprise as e')
    .innerJoin('org as o', (join) => join.on(sql<boolean>`o.id = coalesce(e.own_union_id, e.joint_union_id)`))
    .select([
      'e.id',
      'e.name',
      'e.employees',
      'e.town_code',
      'o.id as union_id',
      'o.path',
      'o.region_code',
      'o.founded_on',
      'o.org_form',
      'o.joint_category',
    ])
    .orderBy('e.id')
    .execute()
  const drive: Record<string, number> = {}
  for (const t of towns) drive[t.code] = 0.45 + rnd.next() * 0.5
  const rows: Parameters<typeof memberRepo.insertMany>[1] = []
  let person = 1
  for (const u of units) {
    const n = Math.min(500, Math.round(u.employees * drive[u.town_code]! * (0.8 + rnd.next() * 0.2)))
    const since = Date.parse((u.founded_on ?? '2015-01-01') + 'T00:00:00Z')
    const span = Date.parse(today + 'T00:00:00Z') - since
    for (let i = 0; i < n; i++) {
      // (birth day, sequence) differs for every person below seven million
      const birth = new Date(Date.UTC(1965, 0, 1) + ((person * 7919) % 14000) * 86_400_000).toISOString().slice(0, 10)
      const sealed = sealIdentity(
        ctx.pii,
        'resident_id',
        makeResidentId('330683', birth, (person++ % 998) + 1),
        // the first is the member a visitor signs in as (会员端, /m)
        person === 2 ? DEMO_MEMBER_PHONE : rnd.next() < 0.04 ? null : `1${rnd.pick(['3', '5', '8'])}${rnd.int(100000000, 999999999)}`,
      )
      if (!sealed.ok) continue
      const { birthDate: _birth, gender, ...id } = sealed.value
      const joint = u.org_form !== 'committee'
      const row = {
        member_no: '',
        name: rnd.pick([...surnames]) + rnd.pick([...givens]) + (rnd.next() < 0.5 ? rnd.pick([...givens]) : ''),
        gender: gender ?? '1',
        ...id,
        enterprise_id: u.id,
        workplace: u.name,
        union_id: u.union_id,
        org_path: u.path,
        occupation: joint && rnd.next() < (u.joint_category === 'logistics' ? 0.8 : 0.1) ? rnd.pick(newEmployment) : null,
        is_migrant: rnd.next() < 0.3,
        employment_status: '1',
        status: 'active',
        joined_on: new Date(since + span * Math.sqrt(rnd.next())).toISOString().slice(0, 10),
      }
      rows.push({ ...row, quality: qualityOf(row) })
    }
  }
  const numbers = await memberRepo.nextMemberNos(ctx.db, '330683', rows.length)
  rows.forEach((r, i) => {
    r.member_no = numbers[i]!
  })
  for (let i = 0; i < rows.length; i += 1000) await memberRepo.insertMany(ctx.db, rows.slice(i, i + 1000))
  // a few retired (保留) and a few who left, dated after they joined
  const some = await ctx.db
    .selectFrom('member')
    .select(['id', 'union_id', 'org_path', 'joined_on'])
    .where((eb) => sql<boolean>`${eb.ref('id')} % 37 = 0`)
    .execute()
  for (const m of some) {
    const retire = m.id % 2 === 0
    const on = new Date((Date.parse(m.joined_on + 'T00:00:00Z') + Date.parse(today + 'T00:00:00Z')) / 2).toISOString().slice(0, 10)
    await memberRepo.update(ctx.db, m.id, retire ? { status: 'retained', employment_status: '4' } : { status: 'left', left_on: on })
    await memberRepo.addEvent(ctx.db, {
      member_id: m.id,
      union_id: m.union_id,
      org_path: m.org_path,
      event_type: retire ? '3' : '6',
      reason: retire ? null : '5',
      occurred_on: on,
    })
  }
  // what the platforms report per town (日活跃 for 网约车 and 外卖, 从业人数 for the others)
  const platforms: Record<(typeof newEmployment)[number], string> = {
    truck_driver: '货拉拉',
    courier: '中通快递',
    ride_hailing: '滴滴出行',
    food_delivery: '美团',
  }
  for (const t of towns) {
    const union = await ctx.db.selectFrom('org').select(['id', 'path']).where('code', '=', t.code).executeTakeFirstOrThrow()
    for (const occupation of newEmployment) {
      await statsRepo.workforceUpsert(ctx.db, {
        org_id: union.id,
        org_path: union.path,
        platform_name: platforms[occupation],
        occupation,
        workers: rnd.int(6, 30),
        as_of: `${today.slice(0, 4)}-01-01`,
        note: null,
        created_by: ctx.actor.id,
      })
    }
  }
  return rows.length
}
