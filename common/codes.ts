/**
 * Code tables of the domain (see /work/shared/design/PRODUCT.md).
 *
 * Every table is an `as const` array of rows with at least `{ code, label }`, so
 * that the same literal drives the TypeScript union type, the zod enum used to
 * validate input, and the Chinese label shown to users. The order of the rows
 * is the display order (forms print their rows in table order).
 *
 * Codes are what is stored in the database; never store labels.
 */
import { z } from 'zod'
import './zod-zh.js'

/** A row of any code table. */
export interface CodeRow {
  readonly code: string
  readonly label: string
}

/** A code table: a non-empty, read-only list of rows. */
export type CodeTable = readonly [CodeRow, ...CodeRow[]]

/** The union of the codes of a table. */
export type CodeOf<T extends readonly CodeRow[]> = T[number]['code']

/** The row type of a table, narrowed to one code. */
export type RowOf<T extends readonly CodeRow[], C extends CodeOf<T> = CodeOf<T>> = Extract<T[number], { code: C }>

/** The codes of a table in table order, typed as the literal union. */
export function codesOf<const T extends CodeTable>(table: T): [CodeOf<T>, ...CodeOf<T>[]] {
  return table.map((row) => row.code) as [CodeOf<T>, ...CodeOf<T>[]]
}

/**
 * A zod enum accepting exactly the codes of a table. Its error message is in
 * Chinese because it reaches end users through form validation.
 */
export function codeEnum<const T extends CodeTable>(table: T, what = '代码') {
  return z.enum(codesOf(table), { error: () => `${what}无效` })
}

/** True if `value` is one of the codes of `table` (a type guard). */
export function isCode<const T extends CodeTable>(table: T, value: unknown): value is CodeOf<T> {
  return typeof value === 'string' && table.some((row) => row.code === value)
}

/** The row with this code, or undefined. */
export function rowOf<const T extends CodeTable>(table: T, code: string | null | undefined): T[number] | undefined {
  if (code == null) return undefined
  return table.find((row) => row.code === code)
}

/**
 * The Chinese label of a code. An unknown code is returned as is, so that a bad
 * value stays visible on screen instead of turning into a blank cell; null and
 * undefined give ''.
 */
export function labelOf(table: readonly CodeRow[], code: string | null | undefined): string {
  if (code == null) return ''
  return table.find((row) => row.code === code)?.label ?? code
}

/** `{ value, label }` options for select boxes, in table order. */
export function optionsOf<const T extends CodeTable>(table: T): { value: CodeOf<T>; label: string }[] {
  return table.map((row) => ({ value: row.code as CodeOf<T>, label: row.label }))
}

// ---------------------------------------------------------------------------
// Union organizations

/** 组织类型. */
export const orgTypes = [
  { code: '1', label: '独立基层工会' },
  { code: '2', label: '联合基层工会' },
  { code: '3', label: '街道' },
  { code: '4', label: '园区' },
  { code: '5', label: '行业' },
  { code: '6', label: '集团' },
  { code: '7', label: '系统' },
  { code: '8', label: '分会/小组' },
  // not in the national 组织类型 list, which classifies grassroots unions: the unions of a region
  // (市/县/乡镇 总工会, 工会工作委员会) that lead them
  { code: '9', label: '地方工会' },
] as const
export type OrgType = CodeOf<typeof orgTypes>
export const zOrgType = codeEnum(orgTypes, '组织类型')

/** 组织形式. */
export const orgForms = [
  { code: 'federation', label: '总工会' },
  { code: 'work_committee', label: '工会工作委员会' },
  { code: 'committee', label: '工会委员会' },
  { code: 'joint_committee', label: '联合工会委员会' },
  { code: 'joint_federation', label: '工会联合会' },
  { code: 'branch', label: '分会' },
  { code: 'group', label: '工会小组' },
] as const
export type OrgForm = CodeOf<typeof orgForms>
export const zOrgForm = codeEnum(orgForms, '组织形式')

/** Status of a union organization. */
export const orgStatuses = [
  { code: 'preparing', label: '筹备' },
  { code: 'active', label: '正常' },
  { code: 'dissolved', label: '注销' },
] as const
export type OrgStatus = CodeOf<typeof orgStatuses>
export const zOrgStatus = codeEnum(orgStatuses, '组织状态')

/** 建会方式. */
export const foundingMethods = [
  { code: 'offline', label: '线下' },
  { code: 'online', label: '网上' },
] as const
export type FoundingMethod = CodeOf<typeof foundingMethods>
export const zFoundingMethod = codeEnum(foundingMethods, '建会方式')

/** Whether a joint union covers a region or an industry. */
export const jointScopes = [
  { code: 'regional', label: '区域性' },
  { code: 'industry', label: '行业性' },
] as const
export type JointScope = CodeOf<typeof jointScopes>
export const zJointScope = codeEnum(jointScopes, '联合工会性质')

/**
 * Where a joint union sits, in the row order of the Shengzhou forms.
 * `form1Label` / `form2Label` are the row captions printed by 附件1
 * (已建联合工会基本情况登记表) and 附件2 (拟建联合工会规划申报表); they differ
 * only for logistics (物流行业类 / 货运快递类). Note the full-width brackets in
 * 村（社区）类, as printed.
 */
export const jointCategories = [
  { code: 'industrial_park', label: '工业园区', form1Label: '工业园区类', form2Label: '工业园区类' },
  { code: 'village_community', label: '村(社区)', form1Label: '村（社区）类', form2Label: '村（社区）类' },
  { code: 'building_business', label: '楼宇商圈', form1Label: '楼宇商圈类', form2Label: '楼宇商圈类' },
  { code: 'creative_park', label: '创意产业园', form1Label: '创意产业园类', form2Label: '创意产业园类' },
  { code: 'specialized_market', label: '专业市场', form1Label: '专业市场类', form2Label: '专业市场类' },
  { code: 'logistics', label: '物流(货运快递)', form1Label: '物流行业类', form2Label: '货运快递类' },
  { code: 'construction', label: '建筑行业', form1Label: '建筑行业类', form2Label: '建筑行业类' },
  { code: 'cooperative', label: '合作经济', form1Label: '合作经济类', form2Label: '合作经济类' },
  { code: 'characteristic_town', label: '特色小镇', form1Label: '特色小镇类', form2Label: '特色小镇类' },
  { code: 'other', label: '其他', form1Label: '其他类型', form2Label: '其他类型' },
] as const
export type JointCategory = CodeOf<typeof jointCategories>
export const zJointCategory = codeEnum(jointCategories, '联合工会类型')

/** Caption of the total row of 附件1 and 附件2, spaced as printed. */
export const jointFormTotalLabel = '总    计'

// ---------------------------------------------------------------------------
// The enterprise register (用人单位)

/** 单位性质. */
export const unitNatures = [
  { code: 'organ', label: '机关' },
  { code: 'institution', label: '事业单位' },
  { code: 'state_owned', label: '国有企业' },
  { code: 'collective', label: '集体企业' },
  { code: 'private', label: '非公有制企业' },
  { code: 'foreign', label: '外商投资企业' },
  { code: 'social_org', label: '社会组织' },
  { code: 'individual', label: '个体工商户' },
] as const
export type UnitNature = CodeOf<typeof unitNatures>
export const zUnitNature = codeEnum(unitNatures, '单位性质')

/** How a unit is covered by a union. */
export const coverages = [
  { code: 'own', label: '单独建会' },
  { code: 'joint', label: '联合建会' },
  { code: 'none', label: '未建会' },
] as const
export type Coverage = CodeOf<typeof coverages>
export const zCoverage = codeEnum(coverages, '建会情况')

/**
 * Size bands by 职工人数, bounds inclusive; `max: null` means no upper bound.
 * 25 is the threshold for a unit's own union committee, 50 and 100 are the
 * thresholds of the Hangzhou coverage targets.
 */
export const sizeBands = [
  { code: 'lt25', label: '25人以下', min: 0, max: 24 },
  { code: '25to49', label: '25-49人', min: 25, max: 49 },
  { code: '50to99', label: '50-99人', min: 50, max: 99 },
  { code: '100to299', label: '100-299人', min: 100, max: 299 },
  { code: '300plus', label: '300人以上', min: 300, max: null },
] as const
export type SizeBand = CodeOf<typeof sizeBands>
export const zSizeBand = codeEnum(sizeBands, '职工人数规模')

/** The size band of a number of workers (negative or fractional input is a bug, so it throws). */
export function sizeBandOf(workers: number): SizeBand {
  if (!Number.isInteger(workers) || workers < 0) {
    throw new RangeError(`职工人数应为非负整数：${workers}`)
  }
  const band = sizeBands.find((b) => workers >= b.min && (b.max === null || workers <= b.max))
  // The bands cover 0..∞ without gaps, so a band is always found.
  return band!.code
}

/** 国民经济行业分类 (GB/T 4754-2017), 门类 level. */
export const industries = [
  { code: 'A', label: '农、林、牧、渔业' },
  { code: 'B', label: '采矿业' },
  { code: 'C', label: '制造业' },
  { code: 'D', label: '电力、热力、燃气及水生产和供应业' },
  { code: 'E', label: '建筑业' },
  { code: 'F', label: '批发和零售业' },
  { code: 'G', label: '交通运输、仓储和邮政业' },
  { code: 'H', label: '住宿和餐饮业' },
  { code: 'I', label: '信息传输、软件和信息技术服务业' },
  { code: 'J', label: '金融业' },
  { code: 'K', label: '房地产业' },
  { code: 'L', label: '租赁和商务服务业' },
  { code: 'M', label: '科学研究和技术服务业' },
  { code: 'N', label: '水利、环境和公共设施管理业' },
  { code: 'O', label: '居民服务、修理和其他服务业' },
  { code: 'P', label: '教育' },
  { code: 'Q', label: '卫生和社会工作' },
  { code: 'R', label: '文化、体育和娱乐业' },
  { code: 'S', label: '公共管理、社会保障和社会组织' },
  { code: 'T', label: '国际组织' },
] as const
export type Industry = CodeOf<typeof industries>
export const zIndustry = codeEnum(industries, '行业')

/**
 * 经济类型, a short list. The codes are the top-level codes of the statistical
 * 登记注册类型 (110 国有 … 300 外商投资); 400 个体 and 900 其他 are our own,
 * as that classification has no row for them.
 */
export const economicTypes = [
  { code: '110', label: '国有' },
  { code: '120', label: '集体' },
  { code: '130', label: '股份合作' },
  { code: '140', label: '联营' },
  { code: '150', label: '有限责任公司' },
  { code: '160', label: '股份有限公司' },
  { code: '170', label: '私营' },
  { code: '200', label: '港澳台商投资' },
  { code: '300', label: '外商投资' },
  { code: '400', label: '个体' },
  { code: '900', label: '其他' },
] as const
export type EconomicType = CodeOf<typeof economicTypes>
export const zEconomicType = codeEnum(economicTypes, '经济类型')

// ---------------------------------------------------------------------------
// Members (会员实名制)

/** 性别, GB/T 2261.1. */
export const genders = [
  { code: '0', label: '未知的性别' },
  { code: '1', label: '男' },
  { code: '2', label: '女' },
  { code: '9', label: '未说明的性别' },
] as const
export type Gender = CodeOf<typeof genders>
export const zGender = codeEnum(genders, '性别')

/** 证件类型. */
export const documentTypes = [
  { code: 'resident_id', label: '居民身份证' },
  { code: 'hk_macao_pass', label: '港澳居民来往内地通行证' },
  { code: 'taiwan_pass', label: '台湾居民来往大陆通行证' },
  { code: 'hmt_residence', label: '港澳台居民居住证' },
  { code: 'foreign_permanent', label: '外国人永久居留身份证' },
  { code: 'passport', label: '护照' },
] as const
export type DocumentType = CodeOf<typeof documentTypes>
export const zDocumentType = codeEnum(documentTypes, '证件类型')

/** 就业状况. */
export const employmentStatuses = [
  { code: '1', label: '在岗' },
  { code: '2', label: '待(下)岗' },
  { code: '3', label: '失业' },
  { code: '4', label: '退休' },
  { code: '5', label: '离休' },
  { code: '6', label: '退职' },
  { code: '7', label: '退养(内退)' },
  { code: '8', label: '病休' },
  { code: '9', label: '其他' },
] as const
export type EmploymentStatus = CodeOf<typeof employmentStatuses>
export const zEmploymentStatus = codeEnum(employmentStatuses, '就业状况')

/** 会籍变化类型. */
export const membershipEventTypes = [
  { code: '1', label: '入会' },
  { code: '2', label: '转入' },
  { code: '3', label: '保留' },
  { code: '4', label: '转出' },
  { code: '5', label: '除名' },
  { code: '6', label: '退会' },
] as const
export type MembershipEventType = CodeOf<typeof membershipEventTypes>
export const zMembershipEventType = codeEnum(membershipEventTypes, '会籍变化类型')

/** 会籍变化原因. */
export const membershipReasons = [
  { code: '1', label: '劳动(工作)关系发生变化' },
  { code: '2', label: '下岗待岗' },
  { code: '3', label: '失业' },
  { code: '4', label: '所在企业破产' },
  { code: '5', label: '个人要求退会' },
  { code: '6', label: '因犯罪被开除会籍' },
] as const
export type MembershipReason = CodeOf<typeof membershipReasons>
export const zMembershipReason = codeEnum(membershipReasons, '会籍变化原因')

/** Occupation tag of 新就业形态 workers; the first four are the key groups of the targets. */
export const newEmploymentOccupations = [
  { code: 'truck_driver', label: '货车司机' },
  { code: 'courier', label: '快递员' },
  { code: 'ride_hailing', label: '网约车司机' },
  { code: 'food_delivery', label: '外卖配送员' },
  { code: 'other', label: '其他' },
] as const
export type NewEmploymentOccupation = CodeOf<typeof newEmploymentOccupations>
export const zNewEmploymentOccupation = codeEnum(newEmploymentOccupations, '新就业形态职业')

// ---------------------------------------------------------------------------
// Roles

/**
 * Roles of accounts. The three system roles (三员) administer the platform and
 * see no business data; they are kept apart so that none of them sees what
 * another governs. Business roles act within the jurisdiction of their union.
 */
export const roles = [
  {
    code: 'sysadmin',
    label: '系统管理员',
    kind: 'system',
    canWrite: false,
    canRevealPersonalData: false,
    description: '管理账号与系统配置',
  },
  {
    code: 'secadmin',
    label: '安全管理员',
    kind: 'system',
    canWrite: false,
    canRevealPersonalData: false,
    description: '管理角色与权限',
  },
  {
    code: 'auditadmin',
    label: '审计管理员',
    kind: 'system',
    canWrite: false,
    canRevealPersonalData: false,
    description: '查看审计日志',
  },
  {
    code: 'org_admin',
    label: '工会管理员',
    kind: 'business',
    canWrite: true,
    canRevealPersonalData: true,
    description: '在本工会管辖范围内查看和维护数据，可查看完整个人信息（留痕）',
  },
  {
    code: 'org_viewer',
    label: '工会查看员',
    kind: 'business',
    canWrite: false,
    canRevealPersonalData: false,
    description: '在本工会管辖范围内只读查看数据',
  },
] as const
export type Role = CodeOf<typeof roles>
export const zRole = codeEnum(roles, '角色')

export type AdminRole = Extract<(typeof roles)[number], { kind: 'system' }>['code']
export type BusinessRole = Extract<(typeof roles)[number], { kind: 'business' }>['code']

/** The three system roles (三员). */
export const adminRoles: readonly AdminRole[] = ['sysadmin', 'secadmin', 'auditadmin']
/** Roles that work with union data within a jurisdiction. */
export const businessRoles: readonly BusinessRole[] = ['org_admin', 'org_viewer']

export function isAdminRole(role: string): role is AdminRole {
  return (adminRoles as readonly string[]).includes(role)
}

export function isBusinessRole(role: string): role is BusinessRole {
  return (businessRoles as readonly string[]).includes(role)
}
