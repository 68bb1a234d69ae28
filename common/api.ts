/**
 * The API contract: request schemas shared by the server (validation, OpenAPI) and the web app
 * (forms), and the shapes of responses. Dates are 'YYYY-MM-DD' strings.
 */
import { z } from 'zod'
import './zod-zh.js'
import {
  zCoverage,
  zEconomicType,
  zFoundingMethod,
  zIndustry,
  zJointCategory,
  zJointScope,
  zOrgForm,
  zOrgStatus,
  zOrgType,
  zRole,
  zSizeBand,
  zUnitNature,
} from './codes'
import { zCreditCode } from './credit-code'

const isRealDate = (s: string) => {
  const d = new Date(s + 'T00:00:00Z')
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
}
/** 中华全国总工会 was founded on 1 May 1925: no union, membership or election is older */
export const ACFTU_FOUNDED = '1925-05-01'
/**
 * Today where the calendar is furthest ahead (UTC+14): a schema never refuses anyone's today; the
 * services compare with the users' own day (ctx.today) where it matters.
 */
let furthestAhead: Intl.DateTimeFormat | undefined
const latestToday = () =>
  (furthestAhead ??= new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Pacific/Kiritimati',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })).format(new Date())
/**
 * A 'YYYY-MM-DD' date within plausible bounds: min and max are dates, or 'today'. Every date the
 * API accepts is one of these, so 0001-01-01 or 9999-12-31 never reaches a service.
 */
export function dateField(min = '1900-01-01', max: string = '2100-12-31') {
  return z
    .string()
    .max(10, '日期格式应为YYYY-MM-DD')
    .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为YYYY-MM-DD')
    .refine(isRealDate, '日期不存在')
    .refine((s) => s >= min, `不能早于${min}`)
    .refine((s) => s <= (max === 'today' ? latestToday() : max), max === 'today' ? '不能晚于今天' : `不能晚于${max}`)
}
/** any date: 1900-01-01 to 2100-12-31 */
export const zDate = dateField()
/** a date that has happened: 1900-01-01 to today */
export const zPastDate = dateField('1900-01-01', 'today')
/** a date of a union or a membership (founded, joined, elected): since 1925-05-01, not in the future */
export const zUnionDate = dateField(ACFTU_FOUNDED, 'today')
/** a date a figure is read for (statistics, reports): since 1925-05-01, not in the future */
export const zAsOf = dateField(ACFTU_FOUNDED, 'today')
/** the largest id PostgreSQL's integer holds: a larger one is refused, not sent to the database */
export const MAX_ID = 2_147_483_647
export const zId = z.coerce.number().int('应为整数').min(1, '不正确').max(MAX_ID, '不正确')
/** an id in a JSON body: a number, not coerced */
export const zRef = z.number().int('应为整数').min(1, '不正确').max(MAX_ID, '不正确')
/** free text of at most max characters, optional */
export const zText = (max: number) => z.string().trim().max(max, `不能超过${max}个字`)
const zName = (max: number) => z.string().trim().min(1, '不能为空').max(max, `不能超过${max}个字`)
const zCount = z.coerce.number().int('应为整数').min(0, '不能为负数').max(10_000_000, '数值过大')
const zPhone = z
  .string()
  .trim()
  .max(20, '应为手机号码或带区号的固定电话')
  .regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, '应为手机号码或带区号的固定电话')
export { zCreditCode }

/** A boolean in a query string: 'true'/'1' or 'false'/'0' ('false' must not mean true). */
export const zQueryBool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'], { error: () => '应为 true 或 false' })])
  .transform((v) => v === true || v === 'true' || v === '1')

// ── lists ─────────────────────────────────────────────────────────────────────
export const zPage = {
  page: z.coerce.number().int('应为整数').min(1, '页码从1开始').max(100_000, '页码过大').default(1),
  pageSize: z.coerce.number().int().min(1).max(200, '每页最多200条').default(20),
}
export interface Page<T> {
  items: T[]
  total: number
  /** true when there are more than `total` (large lists are counted up to a cap) */
  totalCapped?: boolean
}
export interface ApiError {
  error: { code: string; message: string; fields: Record<string, string> }
}

// ── auth & accounts ───────────────────────────────────────────────────────────
export const loginBody = z.object({
  username: z.string().trim().min(1, '请输入用户名').max(64, '用户名不能超过64个字符'),
  password: z.string().min(1, '请输入密码').max(256, '密码不能超过256个字符'),
})
export interface UserView {
  id: number
  username: string
  displayName: string
  roles: string[]
  orgId: number | null
  orgName: string | null
  active: boolean
  lockedUntil: string | null
  lastLoginAt: string | null
  /** the password was set by an administrator (or is the first one) and must be changed before anything else */
  mustChangePassword: boolean
}
export interface LoginResponse {
  token: string
  csrfToken: string
  user: UserView
  /** the session may only change the password (POST /api/auth/password) until that is done */
  mustChangePassword: boolean
}
export const passwordChangeBody = z.object({
  currentPassword: z.string().min(1, '请输入原密码').max(1024, '原密码不正确'),
  newPassword: z.string().min(1, '请输入新密码').max(1024, '密码过长'),
})
/** A password made by the server for a reset: shown once to the administrator, changed by the user at first use. */
export interface PasswordResetResponse {
  user: UserView
  temporaryPassword: string
}
export const userCreateBody = z.object({
  username: z
    .string()
    .trim()
    .max(32, '用户名为3-32位小写字母、数字或._-，以字母开头')
    .regex(/^[a-z][a-z0-9_.-]{2,31}$/, '用户名为3-32位小写字母、数字或._-，以字母开头'),
  displayName: zName(40),
  password: z.string().max(256, '密码不能超过256个字符'),
})
export const userUpdateBody = z.object({
  displayName: zName(40).optional(),
  active: z.boolean().optional(),
  // a password is no longer set here: POST /api/users/:id/password-reset makes a one-time one
  password: z.never({ error: '密码请用"重置密码"生成一次性密码' }).optional(),
})
export const userRolesBody = z.object({
  roles: z.array(zRole).min(1, '至少选择一个角色').max(10, '角色过多'),
  orgId: zId.nullable(),
})
export const userListQuery = z.object({ q: zText(50).optional(), ...zPage })

// ── regions ───────────────────────────────────────────────────────────────────
export interface RegionView {
  code: string
  name: string
  parentCode: string | null
  level: number
}

// ── organizations ─────────────────────────────────────────────────────────────
const orgFields = {
  name: zName(100),
  shortName: z.string().trim().max(40).nullish(),
  creditCode: zCreditCode.nullish(),
  orgType: zOrgType,
  orgForm: zOrgForm,
  regionCode: z
    .string()
    .max(12, '应为6、9或12位行政区划代码')
    .regex(/^\d{6}(\d{3}(\d{3})?)?$/, '应为6、9或12位行政区划代码'),
  industryUnionId: zId.nullish(),
  isIndustryUnion: z.boolean().optional(),
  jointScope: zJointScope.nullish(),
  jointCategory: zJointCategory.nullish(),
  status: zOrgStatus.exclude(['dissolved']).optional(),
  foundedOn: zUnionDate.nullish(),
  foundingMethod: zFoundingMethod.nullish(),
  prepGroupOn: zUnionDate.nullish(),
  approvalNo: z.string().trim().max(60).nullish(),
  chairName: z.string().trim().max(40).nullish(),
  chairPhone: zPhone.nullish(),
  contactName: z.string().trim().max(40).nullish(),
  contactPhone: zPhone.nullish(),
  electedOn: zUnionDate.nullish(),
  termYears: z.coerce.number().int().min(1, '任期至少1年').max(5, '任期最长5年').nullish(),
  fulltimeWorkers: zCount.optional(),
  parttimeWorkers: zCount.optional(),
  hasAuditCommittee: z.boolean().optional(),
  hasWomenCommittee: z.boolean().optional(),
  hasLaborSupervision: z.boolean().optional(),
  hasWorkersCongress: z.boolean().optional(),
  hasOpenAffairs: z.boolean().optional(),
  hasCollectiveContract: z.boolean().optional(),
  homeStar: z.coerce.number().int().min(0).max(5, '星级为0-5').nullish(),
  femaleCount: zCount.optional(),
  migrantCount: zCount.optional(),
  needyCount: zCount.optional(),
  modelWorkerCount: zCount.optional(),
  effectiveDate: dateField(ACFTU_FOUNDED).optional(),
}
export const orgCreateBody = z.object({
  ...orgFields,
  parentId: zId,
  /** for a joint union: the enterprises it covers */
  enterpriseIds: z.array(zId).max(5000).optional(),
  /** for a base union (独立基层工会): the enterprise whose own union it is */
  enterpriseId: zId.nullish(),
})
export const orgUpdateBody = z.object(orgFields).partial()
export const orgMoveBody = z.object({ parentId: zId, effectiveDate: dateField(ACFTU_FOUNDED).optional() })
export const orgDissolveBody = z.object({ effectiveDate: dateField(ACFTU_FOUNDED).optional(), reason: zText(200).optional() })
export const orgCoverageBody = z.object({ enterpriseIds: z.array(zId).max(5000) })
export const orgListQuery = z.object({
  q: z.string().trim().max(50).optional(),
  parent: zId.optional(),
  hierarchy: z.enum(['geo', 'industry']).default('geo'),
  asOf: zDate.optional(),
  includeDissolved: zQueryBool.optional(),
  orgType: zOrgType.optional(),
  joint: zQueryBool.optional(),
  ...zPage,
})
export const revealBody = z.object({
  field: z.enum(['chairPhone', 'contactPhone']),
  reason: z.string().trim().min(2, '请说明查看原因').max(200),
})

export interface OrgSummary {
  id: number
  code: string
  name: string
  shortName: string | null
  parentId: number | null
  orgType: string
  orgForm: string
  status: string
  regionCode: string
  isRegional: boolean
  isIndustryUnion: boolean
  jointScope: string | null
  jointCategory: string | null
  foundedOn: string | null
  memberCount: number
  childCount: number
}
export interface OrgDetail extends OrgSummary {
  creditCode: string | null
  path: string
  industryUnionId: number | null
  industryUnionName: string | null
  parentName: string | null
  regionName: string | null
  foundingMethod: string | null
  prepGroupOn: string | null
  approvalNo: string | null
  chairName: string | null
  chairPhone: string | null // masked
  contactName: string | null
  contactPhone: string | null // masked
  electedOn: string | null
  termYears: number | null
  termEndsOn: string | null
  fulltimeWorkers: number
  parttimeWorkers: number
  hasAuditCommittee: boolean
  hasWomenCommittee: boolean
  hasLaborSupervision: boolean
  hasWorkersCongress: boolean
  hasOpenAffairs: boolean
  hasCollectiveContract: boolean
  homeStar: number | null
  femaleCount: number
  migrantCount: number
  needyCount: number
  modelWorkerCount: number
  dissolvedOn: string | null
  ancestors: { id: number; name: string }[]
  counts: { children: number; enterprises: number; coveredEnterprises: number; coveredWorkers: number; dueEnterprises: number }
}

// ── enterprises ──────────────────────────────────────────────────────────────
const enterpriseFields = {
  creditCode: zCreditCode,
  name: zName(100),
  address: z.string().trim().max(200).nullish(),
  regionCode: z
    .string()
    .max(12, '应为乡镇（9位）或村社区（12位）行政区划代码')
    .regex(/^\d{9}(\d{3})?$/, '应为乡镇（9位）或村社区（12位）行政区划代码'),
  nature: zUnitNature,
  economicType: zEconomicType.nullish(),
  industry: zIndustry.nullish(),
  employees: zCount,
  migrantWorkers: zCount.optional(),
  dispatchedWorkers: zCount.optional(),
  aboveScale: z.boolean().optional(),
  zoneName: z.string().trim().max(60).nullish(),
  isPlatform: z.boolean().optional(),
  foundedOn: dateField('1600-01-01', 'today').nullish(),
  /** personal data: sealed, shown masked, revealed on an audited request */
  legalRep: z.string().trim().max(40, '不能超过40个字').nullish(),
  contactName: z.string().trim().max(40, '不能超过40个字').nullish(),
  contactPhone: zPhone.nullish(),
}
const workerCheck = <T extends { employees?: number; migrantWorkers?: number; dispatchedWorkers?: number }>(v: T, ctx: z.RefinementCtx) => {
  if (v.employees !== undefined && v.migrantWorkers !== undefined && v.migrantWorkers > v.employees) {
    ctx.addIssue({ code: 'custom', path: ['migrantWorkers'], message: '不能多于职工人数' })
  }
  if (v.employees !== undefined && v.dispatchedWorkers !== undefined && v.dispatchedWorkers > v.employees) {
    ctx.addIssue({ code: 'custom', path: ['dispatchedWorkers'], message: '不能多于职工人数' })
  }
}
export const enterpriseCreateBody = z.object(enterpriseFields).superRefine(workerCheck)
export const enterpriseUpdateBody = z.object(enterpriseFields).partial().superRefine(workerCheck)
export const enterpriseSorts = ['name', '-name', 'employees', '-employees', 'foundedOn', '-foundedOn', 'createdAt', '-createdAt'] as const
export const enterpriseListQuery = z.object({
  org: zId.optional(),
  q: z.string().trim().max(50).optional(),
  nature: zUnitNature.optional(),
  sizeBand: zSizeBand.optional(),
  coverage: zCoverage.optional(),
  regionCode: z
    .string()
    .max(12, '应为6至12位行政区划代码')
    .regex(/^\d{6,12}$/, '应为6至12位行政区划代码')
    .optional(),
  shouldHaveUnion: zQueryBool.optional(),
  jointUnion: zId.optional(),
  status: z.enum(['active', 'deregistered', 'suspended', 'moved_out', 'closed'], { error: () => '状态不正确' }).optional(),
  sort: z.enum(enterpriseSorts).default('-employees'),
  ...zPage,
})

/** A unit's state in the register: 正常, or closed (注销 / 停业 / 迁出) from a date. */
export const enterpriseStatuses = [
  { code: 'active', label: '正常', color: 'default' },
  { code: 'deregistered', label: '注销', color: 'default' },
  { code: 'suspended', label: '停业', color: 'warning' },
  { code: 'moved_out', label: '迁出', color: 'purple' },
] as const
export type EnterpriseStatus = (typeof enterpriseStatuses)[number]['code']
export const enterpriseStatusBody = z.object({
  status: z.enum(['active', 'deregistered', 'suspended', 'moved_out'], { error: () => '状态不正确' }),
  effectiveOn: zPastDate,
  note: z.string().trim().max(200, '不能超过200个字').optional(),
})
export const enterpriseRevealBody = z.object({
  field: z.enum(['legalRep', 'contactName', 'contactPhone']),
  reason: z.string().trim().min(2, '请说明查看原因').max(200),
})
export interface EnterpriseStatusEvent {
  status: EnterpriseStatus
  effectiveOn: string
  note: string | null
  actorName: string | null
  at: string
}

export interface DueReason {
  code: string
  label: string
}
export interface EnterpriseView {
  id: number
  creditCode: string
  name: string
  address: string | null
  regionCode: string
  regionName: string | null
  townCode: string
  townName: string | null
  nature: string
  economicType: string | null
  industry: string | null
  employees: number
  migrantWorkers: number
  dispatchedWorkers: number
  aboveScale: boolean
  zoneName: string | null
  isPlatform: boolean
  foundedOn: string | null
  coverage: 'own' | 'joint' | 'none'
  ownUnionId: number | null
  ownUnionName: string | null
  jointUnionId: number | null
  jointUnionName: string | null
  orgId: number
  dueReasons: DueReason[]
  /** masked */
  legalRep: string | null
  contactName: string | null
  contactPhone: string | null
  status: EnterpriseStatus
  closedOn: string | null
}

// ── rules (应建未建) ──────────────────────────────────────────────────────────
export const ruleBody = z.object({
  ownUnionMinEmployees: z.coerce.number().int().min(1).max(1000),
  graceMonths: z.coerce.number().int().min(0).max(60),
  largeMinEmployees: z.coerce.number().int().min(1).max(100000),
  zoneMinEmployees: z.coerce.number().int().min(1).max(100000),
})
export type RuleValues = z.infer<typeof ruleBody>
export const defaultRules: RuleValues = { ownUnionMinEmployees: 25, graceMonths: 12, largeMinEmployees: 100, zoneMinEmployees: 50 }

/** Why an enterprise is on the 应建未建 list; thresholds come from the region's rules. */
export function dueReasonLabel(code: string, r: RuleValues): string {
  switch (code) {
    case 'over_threshold':
      return `${r.ownUnionMinEmployees}人以上未建会`
    case 'own_union_required':
      return `${r.ownUnionMinEmployees}人以上应单独建会`
    case 'large':
      return `${r.largeMinEmployees}人以上企业应建会`
    case 'zone':
      return `开发区（园区）内${r.zoneMinEmployees}人以上应建会`
    case 'grace_expired':
      return `成立满${r.graceMonths}个月未建会`
    default:
      return code
  }
}

// ── audit ─────────────────────────────────────────────────────────────────────
export const auditListQuery = z.object({
  q: zText(100).optional(),
  action: zText(100).optional(),
  actor: zText(100).optional(),
  from: zDate.optional(),
  to: zDate.optional(),
  ...zPage,
})
export interface AuditView {
  id: number
  chainId: string
  at: string
  actorName: string | null
  ip: string | null
  action: string
  targetType: string | null
  targetId: string | null
  targetName: string | null
  detail: unknown
}
