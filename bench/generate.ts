/**
 * A deterministic, city-sized dataset for the benchmarks: the union tree of a city (嵊州市 and, at
 * large sizes, synthetic extra towns), its enterprise register, and one org_history version per
 * organization. The same seed and sizes always give the same rows.
 *
 * Loads as the owner with bulk `insert … select from unnest($1::type[], …)` in batches, so row-level
 * security is bypassed and the same SQL runs on PGlite and PostgreSQL. Expects a migrated database
 * on which bootstrap() has created the regions of 330683 and the root 总工会, and nothing else.
 *
 * The tree (depth counts the root as 1):
 *   1 root 总工会 → 2 town 总工会 (one per town-level region) → 3 joint unions (联合工会委员会 /
 *   工会联合会) and park 工会工作委员会 → 4 base unions (工会委员会) under a park committee or
 *   directly under the town at 3 → 分会 → 5 工会小组. Two industry unions (教育、卫生) under the root
 *   link the base unions of schools and hospitals through industry_path.
 *
 * Enterprises: one per base union (its own union, 单独建会), small ones covered by the town's joint
 * unions (联合建会), and the rest without a union. org_id/org_path follow the rules of the register:
 * own union, else joint union, else the town's union.
 */
import { sql, type Kysely } from 'kysely'
import type { DB } from '../server/src/db/schema.js'
import { prng } from '../server/src/demo/demo.js'
import { makeCreditCode, makeOrganizationCode } from '../common/credit-code.js'

export interface CityOptions {
  seed: number
  orgs: number
  enterprises: number
  /** progress lines; default console.log */
  log?: (line: string) => void
  /** rows per INSERT statement */
  batch?: number
}

export interface TownSample {
  code: string
  name: string
  orgId: number
  path: string
  /** organizations directly under the town union */
  children: number
  /** organizations in the town subtree, town union included */
  orgs: number
  enterprises: number
}

export interface NodeSample {
  id: number
  name: string
  path: string
  depth: number
  children: number
}

export interface CitySummary {
  seed: number
  root: { id: number; path: string; name: string }
  orgs: number
  enterprises: number
  orgHistory: number
  regions: { towns: number; syntheticTowns: number; villages: number }
  byForm: Record<string, number>
  coverage: { own: number; joint: number; none: number }
  maxDepth: number
  /** the towns, largest first */
  towns: TownSample[]
  /** nodes with children at every depth, for "children of a node" queries */
  nodes: NodeSample[]
  /** name fragments that occur in organization names, with how many orgs contain each */
  nameTerms: { term: string; orgs: number }[]
  /** code prefixes, with how many orgs start with each */
  codePrefixes: { prefix: string; orgs: number }[]
  /** ids of the first enterprises with their own union, joint union, and none */
  enterpriseIds: { own: number[]; joint: number[]; none: number[] }
  millis: number
}

// ── vocabulary ──────────────────────────────────────────────────────────────
const brandChars = [
  ...'越华丰泰利明达金盛恒远新港宏图鼎瑞天马永兴东鑫巨龙嘉禾绿源正大万通百川中联海同创博雅隆晨光辉锦程康宁安信诚德佳美顺昌荣亿发旺鸿运星宇立峰凯旋合众和谐久隆腾飞翔宝晟',
]
const trades: [string, string, string][] = [
  // name, industry, typical nature
  ['领带织造', 'C', 'private'],
  ['领带', 'C', 'private'],
  ['服饰', 'C', 'private'],
  ['电器', 'C', 'private'],
  ['厨具', 'C', 'private'],
  ['机械制造', 'C', 'private'],
  ['机电', 'C', 'private'],
  ['五金', 'C', 'private'],
  ['建材', 'C', 'private'],
  ['食品', 'C', 'private'],
  ['印染', 'C', 'foreign'],
  ['纺织', 'C', 'private'],
  ['针织', 'C', 'private'],
  ['塑业', 'C', 'private'],
  ['电子', 'C', 'foreign'],
  ['汽车配件', 'C', 'private'],
  ['包装', 'C', 'private'],
  ['化工', 'C', 'private'],
  ['竹木制品', 'C', 'private'],
  ['茶业', 'A', 'private'],
  ['农业开发', 'A', 'collective'],
  ['物流', 'G', 'private'],
  ['运输', 'G', 'private'],
  ['建设工程', 'E', 'private'],
  ['建筑安装', 'E', 'private'],
  ['商贸', 'F', 'individual'],
  ['超市', 'F', 'individual'],
  ['贸易', 'F', 'private'],
  ['网络科技', 'I', 'private'],
  ['信息技术', 'I', 'private'],
  ['餐饮管理', 'H', 'individual'],
  ['酒店', 'H', 'private'],
  ['物业管理', 'K', 'private'],
  ['房地产开发', 'K', 'private'],
  ['人力资源', 'L', 'private'],
  ['广告', 'L', 'private'],
  ['医疗器械', 'C', 'state_owned'],
  ['水务', 'D', 'state_owned'],
  ['燃气', 'D', 'state_owned'],
  ['家政服务', 'O', 'individual'],
  ['汽车维修', 'O', 'individual'],
  ['培训学校', 'P', 'social_org'],
  ['幼儿园', 'P', 'social_org'],
  ['诊所', 'Q', 'individual'],
  ['文化传媒', 'R', 'private'],
]
const suffixes = ['有限公司', '有限公司', '有限公司', '有限公司', '股份有限公司', '厂', '经营部', '有限责任公司']
const departments = [
  '生产车间',
  '一车间',
  '二车间',
  '三车间',
  '销售部',
  '行政部',
  '质检部',
  '技术部',
  '后勤',
  '仓储部',
  '财务部',
  '研发中心',
]
const townSyllables = [...'东西南北上下新老大小青石金玉龙凤清溪桥山湖塘岭坑田坪岩']
const jointCategoryWeights: [string, number][] = [
  ['village_community', 45],
  ['industrial_park', 12],
  ['building_business', 8],
  ['specialized_market', 6],
  ['logistics', 5],
  ['construction', 5],
  ['cooperative', 5],
  ['creative_park', 3],
  ['characteristic_town', 3],
  ['other', 8],
]
const natureWeights: [string, number][] = [
  ['private', 68],
  ['individual', 16],
  ['foreign', 3],
  ['state_owned', 2],
  ['collective', 2],
  ['social_org', 5],
  ['institution', 2],
  ['organ', 2],
]
const economicOf: Record<string, string> = {
  private: '170',
  individual: '400',
  foreign: '300',
  state_owned: '110',
  collective: '120',
  social_org: '900',
  institution: '110',
  organ: '110',
}

type Rnd = ReturnType<typeof prng>

function weighted<T>(rnd: Rnd, xs: [T, number][]): T {
  let total = 0
  for (const [, w] of xs) total += w
  let r = rnd.next() * total
  for (const [x, w] of xs) if ((r -= w) < 0) return x
  return xs[xs.length - 1]![0]
}

function pad(n: number, width: number) {
  return String(n).padStart(width, '0')
}

/** Yesterday (UTC): no generated day lies ahead of the users' today, as the register refuses a date to come. */
const YESTERDAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)

/** A day in the years [fromYear, toYear], yesterday at the latest. */
function date(rnd: Rnd, fromYear: number, toYear: number) {
  const d = `${rnd.int(fromYear, toYear)}-${pad(rnd.int(1, 12), 2)}-${pad(rnd.int(1, 28), 2)}`
  return d > YESTERDAY ? YESTERDAY : d
}

/** Workers of an enterprise without its own union: most under 25. */
function smallEmployees(rnd: Rnd) {
  const r = rnd.next()
  if (r < 0.78) return 1 + Math.floor(24 * rnd.next() ** 1.6)
  if (r < 0.9) return rnd.int(25, 49)
  if (r < 0.96) return rnd.int(50, 99)
  if (r < 0.993) return rnd.int(100, 299)
  return rnd.int(300, 1200)
}

/** Workers of an enterprise with its own union: mostly 25 and more. */
function unionizedEmployees(rnd: Rnd) {
  const r = rnd.next()
  if (r < 0.12) return rnd.int(8, 24)
  if (r < 0.45) return rnd.int(25, 99)
  if (r < 0.85) return rnd.int(100, 299)
  if (r < 0.98) return rnd.int(300, 999)
  return rnd.int(1000, 6000)
}

// ── rows, as column arrays ───────────────────────────────────────────────────
interface OrgRow {
  id: number
  code: string
  name: string
  short_name: string | null
  credit_code: string | null
  parent_id: number
  path: string
  industry_union_id: number | null
  industry_path: string | null
  org_type: string
  org_form: string
  is_regional: boolean
  is_industry_union: boolean
  region_code: string
  joint_scope: string | null
  joint_category: string | null
  status: string
  founded_on: string
  founding_method: string | null
  chair_name: string | null
  elected_on: string | null
  term_years: number | null
  fulltime_workers: number
  parttime_workers: number
  member_count: number
  dissolved_on: string | null
  depth: number
  children: number
}
const orgColumns: [keyof OrgRow, string][] = [
  ['id', 'bigint'],
  ['code', 'text'],
  ['name', 'text'],
  ['short_name', 'text'],
  ['credit_code', 'text'],
  ['parent_id', 'bigint'],
  ['path', 'text'],
  ['industry_union_id', 'bigint'],
  ['industry_path', 'text'],
  ['org_type', 'text'],
  ['org_form', 'text'],
  ['is_regional', 'boolean'],
  ['is_industry_union', 'boolean'],
  ['region_code', 'text'],
  ['joint_scope', 'text'],
  ['joint_category', 'text'],
  ['status', 'text'],
  ['founded_on', 'date'],
  ['founding_method', 'text'],
  ['chair_name', 'text'],
  ['elected_on', 'date'],
  ['term_years', 'smallint'],
  ['fulltime_workers', 'integer'],
  ['parttime_workers', 'integer'],
  ['member_count', 'integer'],
  ['dissolved_on', 'date'],
]

interface EnterpriseRow {
  credit_code: string
  name: string
  address: string
  region_code: string
  town_code: string
  nature: string
  economic_type: string
  industry: string
  employees: number
  migrant_workers: number
  dispatched_workers: number
  above_scale: boolean
  zone_name: string | null
  is_platform: boolean
  founded_on: string
  own_union_id: number | null
  joint_union_id: number | null
  org_id: number
  org_path: string
}
const enterpriseColumns: [keyof EnterpriseRow, string][] = [
  ['credit_code', 'text'],
  ['name', 'text'],
  ['address', 'text'],
  ['region_code', 'text'],
  ['town_code', 'text'],
  ['nature', 'text'],
  ['economic_type', 'text'],
  ['industry', 'text'],
  ['employees', 'integer'],
  ['migrant_workers', 'integer'],
  ['dispatched_workers', 'integer'],
  ['above_scale', 'boolean'],
  ['zone_name', 'text'],
  ['is_platform', 'boolean'],
  ['founded_on', 'date'],
  ['own_union_id', 'bigint'],
  ['joint_union_id', 'bigint'],
  ['org_id', 'bigint'],
  ['org_path', 'text'],
]

/** `insert into <table> (cols) select * from unnest($1::t1[], $2::t2[], …)`, one statement per batch. */
async function bulkInsert<R>(
  db: Kysely<DB>,
  table: string,
  columns: [keyof R, string][],
  rows: R[],
  batch: number,
  progress?: (done: number) => void,
) {
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch)
    const arrays = columns.map(([c, type]) => sql`${chunk.map((r) => r[c] ?? null)}::${sql.raw(type)}[]`)
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map(([c]) => sql.ref(String(c))))}) select * from unnest(${sql.join(arrays)})`.execute(
      db,
    )
    progress?.(Math.min(i + batch, rows.length))
  }
}

/**
 * Generates the city into a migrated and bootstrapped database (as the owner).
 * Returns what was made and sample nodes and terms for the benchmark queries.
 */
export async function generateCity(db: Kysely<DB>, opts: CityOptions): Promise<CitySummary> {
  const started = performance.now()
  const log = opts.log ?? ((l: string) => console.log(l))
  const batch = opts.batch ?? 5000
  const rnd = prng(opts.seed)
  const t = () => `${((performance.now() - started) / 1000).toFixed(1)}s`

  const root = await db
    .selectFrom('org')
    .select(['id', 'path', 'name', 'region_code'])
    .where('parent_id', 'is', null)
    .executeTakeFirstOrThrow()
  const countyCode = root.region_code
  const existing = await db
    .selectFrom('org')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  if (Number(existing.n) !== 1)
    throw new Error(`generateCity expects a database with only the root union, found ${existing.n} organizations`)

  // ── regions: the real towns and villages, plus synthetic towns for large sizes ──
  const realTowns = await db
    .selectFrom('region')
    .select(['code', 'name'])
    .where('parent_code', '=', countyCode)
    .where('level', '=', 4)
    .orderBy('code')
    .execute()
  const villageRows = await db
    .selectFrom('region')
    .select(['code', 'name', 'parent_code'])
    .where('level', '=', 5)
    .where('code', 'like', `${countyCode}%`)
    .execute()
  const townCount = Math.min(realTowns.length + 100, Math.max(realTowns.length, Math.round(opts.orgs / 2000)))
  const synthetic: { code: string; name: string; parent_code: string | null; level: number }[] = []
  const usedNames = new Set(realTowns.map((r) => r.name))
  for (let i = 0; i < townCount - realTowns.length; i++) {
    const code = `${countyCode}${300 + i}`
    let name: string
    do name = `${rnd.pick(townSyllables)}${rnd.pick(townSyllables)}${rnd.next() < 0.7 ? '镇' : '街道'}`
    while (usedNames.has(name))
    usedNames.add(name)
    synthetic.push({ code, name, parent_code: countyCode, level: 4 })
    const villages = rnd.int(12, 25)
    for (let v = 1; v <= villages; v++) {
      const vname = `${rnd.pick(townSyllables)}${rnd.pick(townSyllables)}${rnd.next() < 0.8 ? '村' : '社区'}`
      synthetic.push({
        code: `${code}${pad(v, 3)}`,
        name: `${vname}${vname.endsWith('村') ? '村委会' : '居委会'}`,
        parent_code: code,
        level: 5,
      })
    }
  }
  for (let i = 0; i < synthetic.length; i += 1000) {
    await db
      .insertInto('region')
      .values(synthetic.slice(i, i + 1000))
      .execute()
  }
  const towns = [...realTowns, ...synthetic.filter((s) => s.level === 4)]
  const villagesOf = new Map<string, { code: string; short: string }[]>()
  for (const v of [...villageRows, ...synthetic.filter((s) => s.level === 5)]) {
    const list = villagesOf.get(v.parent_code!) ?? []
    list.push({ code: v.code, short: v.name.replace(/(居委会|村委会|居民委员会|村民委员会)$/, '') })
    villagesOf.set(v.parent_code!, list)
  }
  log(
    `[generate ${t()}] regions: ${towns.length} towns (${synthetic.filter((s) => s.level === 4).length} synthetic), ${villageRows.length + synthetic.filter((s) => s.level === 5).length} villages`,
  )

  // ── the union tree ──
  const maxId = await sql<{ v: number }>`select last_value::bigint as v from org_id_seq`.execute(db)
  let nextId = Math.max(Number(maxId.rows[0]!.v), root.id) + 1
  const orgs: OrgRow[] = []
  const codeSeq = new Map<string, number>()
  const codeFor = (region: string) => {
    const n = (codeSeq.get(region) ?? 0) + 1
    codeSeq.set(region, n)
    return `${region}-${pad(n, 5)}`
  }
  let unionCreditSerial = 1
  const surname = [
    ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢钟姜崔谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤',
  ]
  const given = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力永林国荣海燕春晓云峰']
  const person = () => rnd.pick(surname) + rnd.pick(given) + (rnd.next() < 0.6 ? rnd.pick(given) : '')
  const parentOf = new Map<number, OrgRow>()
  const add = (
    o: Omit<OrgRow, 'id' | 'path' | 'depth' | 'children' | 'parent_id'>,
    parent: { id: number; path: string; depth: number },
  ) => {
    const id = nextId++
    const row: OrgRow = { ...o, id, parent_id: parent.id, path: `${parent.path}${id}/`, depth: parent.depth + 1, children: 0 }
    orgs.push(row)
    const p = parentOf.get(parent.id)
    if (p) p.children++
    parentOf.set(id, row)
    return row
  }
  const rootNode = { id: root.id, path: root.path, depth: 1 }
  const common = (founded: string) => ({
    short_name: null,
    credit_code: null,
    industry_union_id: null,
    industry_path: null,
    is_regional: false,
    is_industry_union: false,
    joint_scope: null,
    joint_category: null,
    status: 'active',
    founded_on: founded,
    founding_method: null,
    chair_name: person(),
    elected_on: null,
    term_years: null,
    fulltime_workers: 0,
    parttime_workers: 0,
    member_count: 0,
    dissolved_on: null,
  })
  let rootChildren = 0
  const industryUnions = [
    { name: `${root.name.replace(/总工会$/, '')}教育工会`, industries: ['P'] },
    { name: `${root.name.replace(/总工会$/, '')}卫生健康工会`, industries: ['Q'] },
  ].map((u) => {
    rootChildren++
    return {
      ...u,
      row: add(
        {
          ...common('1985-05-01'),
          code: codeFor(countyCode),
          name: u.name,
          org_type: '5',
          org_form: 'committee',
          is_industry_union: true,
          region_code: countyCode,
        },
        rootNode,
      ),
    }
  })

  // towns get a Zipf-like share, the first (the city's central street) the largest
  const weights = towns.map((_, i) => 1 / (i + 1) ** 0.7)
  const weightSum = weights.reduce((a, b) => a + b, 0)
  const budget = Math.max(0, opts.orgs - 1 - industryUnions.length - towns.length)
  const entBudget = opts.enterprises

  interface TownPlan {
    code: string
    name: string
    union: OrgRow
    joints: { row: OrgRow; capacity: number }[]
    /** enterprises with their own union, made with the union */
    own: EnterpriseRow[]
    enterprises: number
  }
  const plans: TownPlan[] = []
  const ownEnterprises: EnterpriseRow[] = []
  let entSerial = 0
  const nextCredit = () => makeCreditCode('9', '1', countyCode.slice(0, 6), makeOrganizationCode(10_000_000 + entSerial++ * 7))
  const makeEnterprise = (town: { code: string; name: string }, employees: number, zone: string | null): EnterpriseRow => {
    const [trade, industry, typical] = rnd.pick(trades)
    const nature = rnd.next() < 0.6 ? typical : weighted(rnd, natureWeights)
    const brand = rnd.pick(brandChars) + rnd.pick(brandChars)
    const villages = villagesOf.get(town.code) ?? []
    const village = villages.length && rnd.next() < 0.85 ? rnd.pick(villages) : null
    const suffix = nature === 'individual' ? rnd.pick(['经营部', '店', '商行', '工作室']) : rnd.pick(suffixes)
    const migrant = Math.floor(employees * rnd.next() * 0.6)
    return {
      credit_code: nextCredit(),
      name: `${root.name.replace(/总工会$/, '')}${brand}${trade}${suffix}`,
      address: `${town.name}${village?.short ?? ''}${rnd.int(1, 399)}号`,
      region_code: village?.code ?? town.code,
      town_code: town.code,
      nature,
      economic_type: economicOf[nature] ?? '900',
      industry,
      employees,
      migrant_workers: migrant,
      dispatched_workers: Math.min(employees - migrant, Math.floor(employees * rnd.next() * 0.05)),
      above_scale: employees >= 100 && industry === 'C',
      zone_name: zone,
      is_platform: rnd.next() < 0.002,
      founded_on: rnd.next() < 0.04 ? date(rnd, 2025, 2026) : date(rnd, 1985, 2024),
      own_union_id: null,
      joint_union_id: null,
      org_id: 0,
      org_path: '',
    }
  }

  // floor of each share, the remainder to the first (largest) town, so the totals come out exact
  const share = (total: number) => {
    const xs = weights.map((w) => Math.floor((total * w) / weightSum))
    xs[0]! += total - xs.reduce((a, b) => a + b, 0)
    return xs
  }
  const orgShares = share(budget)
  const entShares = share(entBudget)
  for (let ti = 0; ti < towns.length; ti++) {
    const town = towns[ti]!
    const n = orgShares[ti]! + 1
    const isStreet = town.name.endsWith('街道')
    const zone = ti % 4 === 3 || town.code === `${countyCode}005` ? `${town.name.replace(/(街道|镇|乡)$/, '')}经济开发区` : null
    rootChildren++
    const union = add(
      {
        ...common('2005-03-01'),
        code: town.code,
        name: `${town.name}总工会`,
        org_type: isStreet ? '3' : '9',
        org_form: 'federation',
        is_regional: true,
        region_code: town.code,
        fulltime_workers: rnd.int(1, 3),
        parttime_workers: rnd.int(2, 6),
        elected_on: date(rnd, 2021, 2024),
        term_years: 5,
      },
      rootNode,
    )
    const plan: TownPlan = { code: town.code, name: town.name, union, joints: [], own: [], enterprises: entShares[ti]! }
    plans.push(plan)
    const villages = villagesOf.get(town.code) ?? []

    // depth 3: joint unions of villages, parks, markets…, and park work committees
    const jointCount = Math.max(1, Math.round(n * 0.08))
    const committees: OrgRow[] = []
    for (let j = 0; j < jointCount; j++) {
      const category = weighted(rnd, jointCategoryWeights)
      const village = villages.length ? villages[j % villages.length]! : null
      const place =
        category === 'village_community' && village
          ? village.short
          : category === 'industrial_park'
            ? `${rnd.pick(townSyllables)}${rnd.pick(townSyllables)}工业园区`
            : category === 'building_business'
              ? `${rnd.pick(brandChars)}${rnd.pick(brandChars)}商务楼宇`
              : category === 'specialized_market'
                ? `${rnd.pick(['领带', '茶叶', '五金', '建材', '农贸'])}市场`
                : category === 'logistics'
                  ? '货运快递'
                  : category === 'construction'
                    ? '建筑行业'
                    : category === 'cooperative'
                      ? '专业合作社'
                      : `${rnd.pick(townSyllables)}${rnd.pick(townSyllables)}`
      const federation = rnd.next() < 0.1
      const serial = j >= villages.length ? `第${Math.floor(j / Math.max(1, villages.length)) + 1}` : ''
      const row = add(
        {
          ...common(date(rnd, 2008, 2024)),
          code: codeFor(village && category === 'village_community' ? village.code : town.code),
          name: `${town.name}${place}${serial}${federation ? '工会联合会' : '联合工会委员会'}`,
          org_type: '2',
          org_form: federation ? 'joint_federation' : 'joint_committee',
          region_code: village && category === 'village_community' ? village.code : town.code,
          joint_scope:
            category === 'village_community' || category === 'industrial_park' || category === 'building_business'
              ? 'regional'
              : 'industry',
          joint_category: category,
          founding_method: rnd.next() < 0.7 ? 'offline' : 'online',
          parttime_workers: rnd.int(1, 3),
          elected_on: date(rnd, 2019, 2024),
          term_years: 5,
        },
        union,
      )
      plan.joints.push({ row, capacity: rnd.int(3, 30) })
    }
    const workCommittees = Math.round(n * 0.006)
    for (let w = 0; w < workCommittees; w++) {
      committees.push(
        add(
          {
            ...common(date(rnd, 2005, 2020)),
            code: codeFor(town.code),
            name: `${town.name}${rnd.pick(townSyllables)}${rnd.pick(townSyllables)}园区工会工作委员会`,
            org_type: '4',
            org_form: 'work_committee',
            region_code: town.code,
            fulltime_workers: 1,
            parttime_workers: rnd.int(1, 3),
          },
          union,
        ),
      )
    }

    // base unions, each with its enterprise: most directly under the town, some under a park committee
    const baseCount = Math.max(1, Math.round(n * 0.7))
    const bases: OrgRow[] = []
    for (let b = 0; b < baseCount; b++) {
      const employees = unionizedEmployees(rnd)
      const e = makeEnterprise(town, employees, zone && rnd.next() < 0.3 ? zone : null)
      const parent = committees.length && rnd.next() < 0.25 ? rnd.pick(committees) : union
      const link = industryUnions.find((u) => u.industries.includes(e.industry))
      const preparing = rnd.next() < 0.015
      const row = add(
        {
          ...common(date(rnd, Number(e.founded_on.slice(0, 4)), 2025)),
          code: codeFor(e.region_code),
          name: `${e.name}工会委员会`,
          short_name: rnd.next() < 0.3 ? `${e.name.slice(3, 7)}工会` : null,
          credit_code: makeCreditCode('8', '1', countyCode.slice(0, 6), makeOrganizationCode(50_000_000 + unionCreditSerial++ * 3)),
          industry_union_id: link?.row.id ?? null,
          industry_path: link?.row.path ?? null,
          org_type: '1',
          org_form: 'committee',
          region_code: e.region_code,
          status: preparing ? 'preparing' : 'active',
          founding_method: rnd.next() < 0.8 ? 'offline' : 'online',
          elected_on: date(rnd, 2020, 2025),
          term_years: rnd.pick([3, 5]),
          fulltime_workers: employees >= 300 ? 1 : 0,
          parttime_workers: rnd.int(1, 5),
          member_count: Math.round(employees * (0.8 + rnd.next() * 0.2)),
        },
        parent,
      )
      e.own_union_id = row.id
      e.org_id = row.id
      e.org_path = row.path
      plan.own.push(e)
      ownEnterprises.push(e)
      bases.push(row)
    }

    // 分会 under larger base unions (depth 4 or 5), 工会小组 under 分会 at depth 4 (→ 5)
    const rest = Math.max(0, n - 1 - jointCount - workCommittees - baseCount)
    const branchCount = Math.round(rest * 0.75)
    const branches: OrgRow[] = []
    const big = bases.filter((b) => b.member_count >= 100)
    for (let i = 0; i < branchCount && big.length; i++) {
      const parent = big[Math.floor(big.length * rnd.next() ** 2)]!
      const dissolved = rnd.next() < 0.03
      const row = add(
        {
          ...common(date(rnd, 2010, 2025)),
          code: codeFor(parent.region_code),
          name: `${parent.name.replace(/工会委员会$/, '')}${rnd.pick(departments)}分会`,
          org_type: '8',
          org_form: 'branch',
          region_code: parent.region_code,
          status: dissolved ? 'dissolved' : 'active',
          dissolved_on: dissolved ? date(rnd, 2022, 2025) : null,
          member_count: rnd.int(10, 80),
          industry_union_id: parent.industry_union_id,
          industry_path: parent.industry_path,
        },
        parent,
      )
      if (row.depth === 4 && !dissolved) branches.push(row)
    }
    const groupCount = rest - branchCount
    for (let i = 0; i < groupCount && branches.length; i++) {
      const parent = rnd.pick(branches)
      add(
        {
          ...common(date(rnd, 2012, 2025)),
          code: codeFor(parent.region_code),
          name: `${parent.name.replace(/分会$/, '')}第${parent.children + 1}工会小组`,
          org_type: '8',
          org_form: 'group',
          region_code: parent.region_code,
          member_count: rnd.int(5, 30),
          industry_union_id: parent.industry_union_id,
          industry_path: parent.industry_path,
        },
        parent,
      )
    }
  }
  log(`[generate ${t()}] tree planned: ${orgs.length + 1} organizations`)

  await bulkInsert(db, 'org', orgColumns, orgs, batch, (done) => {
    if (done % (batch * 4) === 0 || done === orgs.length) log(`[generate ${t()}] org ${done}/${orgs.length}`)
  })
  await sql`select setval('org_id_seq', ${nextId - 1})`.execute(db)
  const seqRows = [...codeSeq.entries()].map(([region_code, last_value]) => ({ region_code, last_value }))
  for (let i = 0; i < seqRows.length; i += 1000) {
    await db
      .insertInto('org_code_seq')
      .values(seqRows.slice(i, i + 1000))
      .onConflict((oc) => oc.column('region_code').doUpdateSet((eb) => ({ last_value: eb.ref('excluded.last_value') })))
      .execute()
  }
  // one version per organization, from its founding
  await sql`
    insert into org_history (org_id, valid_from, valid_to, parent_id, path, industry_union_id, industry_path, code, name, org_type, org_form, region_code, joint_category, status)
    select id, coalesce(founded_on, date '2000-01-01'), null, parent_id, path, industry_union_id, industry_path, code, name, org_type, org_form, region_code, joint_category, status
    from org where id <> ${root.id}`.execute(db)
  log(`[generate ${t()}] org_history written`)

  // ── enterprises: own-union ones made above, then small ones under joint unions, the rest without ──
  const all: EnterpriseRow[] = [...ownEnterprises]
  for (const plan of plans) {
    const town = { code: plan.code, name: plan.name }
    const count = Math.max(0, plan.enterprises - plan.own.length)
    const zone = plan.own.find((e) => e.zone_name)?.zone_name ?? null
    const slots = plan.joints.reduce((a, j) => a + j.capacity, 0)
    // about 88% of enterprises are under 50 workers; fill the joint unions' capacity from them
    const pJoint = Math.min(0.9, slots / Math.max(1, count * 0.88))
    let j = 0
    let used = 0
    for (let i = 0; i < count; i++) {
      const employees = smallEmployees(rnd)
      const e = makeEnterprise(town, employees, zone && rnd.next() < 0.15 ? zone : null)
      if (employees < 50 && j < plan.joints.length && rnd.next() < pJoint) {
        const joint = plan.joints[j]!
        e.joint_union_id = joint.row.id
        e.org_id = joint.row.id
        e.org_path = joint.row.path
        if (++used >= joint.capacity) {
          j++
          used = 0
        }
      } else {
        e.org_id = plan.union.id
        e.org_path = plan.union.path
      }
      all.push(e)
    }
  }
  if (all.length > opts.enterprises)
    log(`[generate ${t()}] note: ${all.length} enterprises (every base union has one, more than the ${opts.enterprises} asked for)`)
  // insert in a shuffled order, as a register filled over years would be (no clustering by town)
  for (let i = all.length - 1; i > 0; i--) {
    const k = Math.floor(rnd.next() * (i + 1))
    const x = all[i]!
    all[i] = all[k]!
    all[k] = x
  }
  log(`[generate ${t()}] enterprises planned: ${all.length}`)
  await bulkInsert(db, 'enterprise', enterpriseColumns, all, batch, (done) => {
    if (done % (batch * 20) === 0 || done === all.length) log(`[generate ${t()}] enterprise ${done}/${all.length}`)
  })

  // ── summary and samples ──
  const counts = await sql<{ orgs: number; enterprises: number; history: number; own: number; joint: number; none: number }>`
    select (select count(*) from org)::int as orgs, (select count(*) from enterprise)::int as enterprises,
           (select count(*) from org_history)::int as history,
           (select count(*) from enterprise where coverage = 'own')::int as own,
           (select count(*) from enterprise where coverage = 'joint')::int as joint,
           (select count(*) from enterprise where coverage = 'none')::int as none`.execute(db)
  const c = counts.rows[0]!
  const byForm: Record<string, number> = {}
  for (const o of orgs) byForm[o.org_form] = (byForm[o.org_form] ?? 0) + 1
  const entPerTown = new Map<string, number>()
  for (const e of all) entPerTown.set(e.town_code, (entPerTown.get(e.town_code) ?? 0) + 1)
  const subtree = new Map<number, number>()
  for (const o of orgs) {
    const town = Number(o.path.split('/')[2])
    subtree.set(town, (subtree.get(town) ?? 0) + 1)
  }
  const townSamples: TownSample[] = plans
    .map((p) => ({
      code: p.code,
      name: p.name,
      orgId: p.union.id,
      path: p.union.path,
      children: p.union.children,
      orgs: subtree.get(p.union.id) ?? 1,
      enterprises: entPerTown.get(p.code) ?? 0,
    }))
    .sort((a, b) => b.orgs - a.orgs)

  // nodes with children at each depth: the most and a median number of children
  const nodes: NodeSample[] = [{ id: root.id, name: root.name, path: root.path, depth: 1, children: rootChildren }]
  for (const depth of [2, 3, 4]) {
    const withKids = orgs
      .filter((o) => o.depth === depth && o.children > 0 && o.status !== 'dissolved')
      .sort((a, b) => b.children - a.children || a.id - b.id)
    if (withKids.length === 0) continue
    const pickOne = (o: OrgRow) => nodes.push({ id: o.id, name: o.name, path: o.path, depth: o.depth, children: o.children })
    pickOne(withKids[0]!)
    const mid = withKids[Math.floor(withKids.length / 2)]!
    if (mid.id !== withKids[0]!.id) pickOne(mid)
  }
  const leaf = orgs.find((o) => o.depth === 5 && o.children === 0)
  if (leaf) nodes.push({ id: leaf.id, name: leaf.name, path: leaf.path, depth: 5, children: 0 })

  const countName = (term: string) =>
    orgs.reduce((a, o) => a + (o.name.includes(term) || (o.short_name?.includes(term) ?? false) ? 1 : 0), 0) +
    (root.name.includes(term) ? 1 : 0)
  const countCode = (prefix: string) => orgs.reduce((a, o) => a + (o.code.startsWith(prefix) ? 1 : 0), 0) + 0
  const someBase = orgs.find((o) => o.org_form === 'committee' && !o.is_industry_union)!
  const brand = someBase.name.slice(3, 5)
  const nameTerms = [brand, `${brand}${someBase.name.slice(5, 7)}`, '领带', someBase.name.replace(/工会委员会$/, ''), '不存在的名称'].map(
    (term) => ({ term, orgs: countName(term) }),
  )
  const bigTown = townSamples[0]!
  const codePrefixes = [bigTown.code, `${bigTown.code}-000`, someBase.code, `${countyCode}1`].map((prefix) => ({
    prefix,
    orgs: countCode(prefix),
  }))
  const ids = await sql<{ coverage: string; ids: number[] }>`
    select coverage, (array_agg(id order by id))[1:5] as ids from enterprise group by coverage`.execute(db)
  const idsOf = (cov: string) => (ids.rows.find((r) => r.coverage === cov)?.ids ?? []).map(Number)

  const summary: CitySummary = {
    seed: opts.seed,
    root: { id: root.id, path: root.path, name: root.name },
    orgs: c.orgs,
    enterprises: c.enterprises,
    orgHistory: c.history,
    regions: {
      towns: towns.length,
      syntheticTowns: towns.length - realTowns.length,
      villages: [...villagesOf.values()].reduce((a, v) => a + v.length, 0),
    },
    byForm,
    coverage: { own: c.own, joint: c.joint, none: c.none },
    maxDepth: Math.max(1, ...orgs.map((o) => o.depth)),
    towns: townSamples,
    nodes,
    nameTerms,
    codePrefixes,
    enterpriseIds: { own: idsOf('own'), joint: idsOf('joint'), none: idsOf('none') },
    millis: performance.now() - started,
  }
  log(
    `[generate ${t()}] done: ${c.orgs} orgs, ${c.enterprises} enterprises (own ${c.own}, joint ${c.joint}, none ${c.none}), ${c.history} history rows`,
  )
  return summary
}

// `npx tsx bench/generate.ts [--orgs N] [--enterprises N] [--seed N]`: generates into a fresh in-memory PGlite
// (or DATABASE_URL, which must point at an empty database) and prints the summary.
if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string, def: number) => {
    const i = process.argv.indexOf(`--${name}`)
    return i >= 0 ? Number(process.argv[i + 1]) : def
  }
  const { openDatabase } = await import('../server/src/db/client.js')
  const { migrate } = await import('../server/src/db/migrate.js')
  const { bootstrap } = await import('../server/src/bootstrap.js')
  const database = await openDatabase({ url: process.env.DATABASE_URL ?? null, dataDir: null })
  await migrate(database)
  await bootstrap(database.db, { countyCode: '330683', adminPassword: 'Bench-Pass-2026!' })
  const s = await generateCity(database.db, { seed: arg('seed', 1), orgs: arg('orgs', 100_000), enterprises: arg('enterprises', 500_000) })
  console.log(JSON.stringify({ ...s, towns: s.towns.slice(0, 5) }, null, 2))
  await database.close()
}

/**
 * `count` members spread over the base and joint unions, working in the units those unions hold;
 * three in five joined on the day their union was founded (the roster entered at once), the others
 * on any day since; 1 in 25 a 新就业形态 worker, 1 in 30 with a missing field,
 * 1 in 40 retired (保留), 1 in 50 gone (退会) — each with the ledger entries that say so.
 */
export async function generateMembers(db: Kysely<DB>, count: number, log: (line: string) => void = console.log): Promise<number> {
  await sql`create temp table bench_union as
    with unit as (
      select coalesce(own_union_id, joint_union_id) as union_id, min(id) as enterprise_id
        from enterprise where coalesce(own_union_id, joint_union_id) is not null group by 1)
    select row_number() over (order by o.id) - 1 as rn, o.id, o.path, unit.enterprise_id, greatest(o.founded_on, date '2000-01-01') as founded_on
      from org o left join unit on unit.union_id = o.id
     where o.org_form in ('committee', 'joint_committee', 'joint_federation') and o.status = 'active'`.execute(db)
  const n = Number((await sql<{ n: string }>`select count(*) as n from bench_union`.execute(db)).rows[0]!.n)
  const chunk = 200_000
  const started = performance.now()
  for (let from = 0; from < count; from += chunk) {
    const k = Math.min(chunk, count - from)
    await sql`
      with src as (
        select g, u.id as union_id, u.path as org_path, u.enterprise_id,
               -- most join when their union is founded (the roster entered at once), the others over the years since
               case when g % 5 < 3 then u.founded_on
                    else least(current_date - 30, u.founded_on + ((g::bigint * 7919) % 9500)::int) end as joined_on
          from generate_series(${from + 1}::int, ${from + k}::int) g
          join bench_union u on u.rn = g % ${n}),
      ins as (
        insert into member (member_no, name, gender, document_type, document_enc, document_hash, document_masked,
                            enterprise_id, workplace, union_id, org_path, status, joined_on, left_on, quality, occupation)
        select '8' || lpad(g::text, 13, '0'), '会员' || g, (1 + g % 2)::text, 'resident_id', 'aes:k1:bench' || g, 'bench-' || md5(g::text),
               '330683********' || lpad((g % 10000)::text, 4, '0'), enterprise_id, '单位', union_id, org_path,
               case when g % 50 = 0 then 'left' when g % 40 = 0 then 'retained' else 'active' end, joined_on,
               case when g % 50 = 0 then joined_on + 400 end,
               case when g % 30 = 0 then 'missing_fields' else 'ok' end,
               case when g % 25 = 0 then (array['truck_driver', 'courier', 'ride_hailing', 'food_delivery'])[1 + (g / 25) % 4] end
          from src
        returning id, union_id, org_path, joined_on, status, left_on)
      insert into membership_event (member_id, union_id, org_path, event_type, reason, occurred_on)
      select id, union_id, org_path, '1', null, joined_on from ins
      union all
      select id, union_id, org_path, case status when 'left' then '6' else '3' end, case status when 'left' then '5' end,
             coalesce(left_on, joined_on + 300) from ins where status in ('left', 'retained')`.execute(db)
    const done = from + k
    const s = (performance.now() - started) / 1000
    log(`${done.toLocaleString('en')} members (${Math.round(done / s).toLocaleString('en')} rows/s with the statistics triggers)`)
  }
  return (performance.now() - started) / 1000
}
