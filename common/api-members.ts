/**
 * The API contract of the member register: members, the ledger, transfers, joining, cards, imports.
 */
import { z } from 'zod'
import './zod-zh.js'
import { zDocumentType, zEmploymentStatus, zGender, zMembershipReason, zNewEmploymentOccupation } from './codes'
import { zId, zPage, zPastDate, zUnionDate } from './api'
import { zMemberQuality } from './member-codes'

const zOptText = (max: number) => z.string().trim().max(max, `不能超过${max}个字`).nullish()

const memberFields = {
  name: z.string().trim().min(1, '不能为空').max(40, '不能超过40个字'),
  gender: zGender.optional(),
  ethnicity: z
    .string()
    .max(2, '民族代码应为2位数字')
    .regex(/^\d{2}$/, '民族代码应为2位数字')
    .nullish(),
  birthDate: zPastDate.nullish(),
  phone: z.string().trim().max(20, '手机号应为11位').nullish(),
  education: z.string().max(4).nullish(),
  politicalStatus: z.string().max(4).nullish(),
  employmentStatus: zEmploymentStatus.optional(),
  skillLevel: z.string().max(2).nullish(),
  householdType: z.string().max(2).nullish(),
  householdPlace: zOptText(100),
  isMigrant: z.boolean().optional(),
  enterpriseId: zId.nullish(),
  workplace: zOptText(100),
  jobTitle: zOptText(40),
  isModelWorker: z.boolean().optional(),
  occupation: zNewEmploymentOccupation.nullish(),
}

export const memberCreateBody = z.object({
  ...memberFields,
  documentType: zDocumentType.default('resident_id'),
  documentNumber: z.string().trim().min(1, '不能为空').max(40, '证件号码过长'),
  unionId: zId,
  joinedOn: zUnionDate.optional(),
})
export const memberUpdateBody = z
  .object({
    ...memberFields,
    documentType: zDocumentType.optional(),
    documentNumber: z.string().trim().min(1, '不能为空').max(40, '证件号码过长').optional(),
  })
  .partial()
export const memberListQuery = z.object({
  org: zId.optional(),
  q: z.string().trim().max(40).optional(),
  status: z.enum(['active', 'retained', 'reserve', 'left']).optional(),
  quality: zMemberQuality.optional(),
  occupation: zNewEmploymentOccupation.optional(),
  sort: z.enum(['name', '-joinedOn', 'joinedOn', 'memberNo']).default('-joinedOn'),
  ...zPage,
})
/** The members page's cards: exact counts of a subtree, in one request. */
export const memberSummaryQuery = z.object({ org: zId.optional() })
export interface MemberSummary {
  /** by status code (active, retained, reserve, left) */
  byStatus: Record<string, number>
  /** members on the register (not left) with complete, valid real-name data */
  ok: number
  /** members on the register (not left) */
  reported: number
  /** members on the register (not left) in a 新就业形态 occupation */
  newEmployment: number
}
/** 保留 / 除名 / 退会, or 恢复 of a retained membership */
export const memberStatusBody = z.object({
  event: z.enum(['3', '5', '6', 'restore']),
  reason: zMembershipReason.optional(),
  occurredOn: zUnionDate.optional(),
})
export const memberRevealBody = z.object({
  field: z.enum(['documentNumber', 'phone', 'birthDate']),
  reason: z.string().trim().min(2, '请说明查看原因').max(200),
})

export interface MemberView {
  id: number
  memberNo: string
  name: string
  gender: string
  ethnicity: string | null
  /** whether a birth date is known; the date itself only through an audited reveal (with the masked number it would rebuild the 身份证号) */
  birthDateKnown: boolean
  documentType: string
  documentNumber: string // masked
  phone: string | null // masked
  education: string | null
  politicalStatus: string | null
  employmentStatus: string
  skillLevel: string | null
  householdType: string | null
  householdPlace: string | null
  isMigrant: boolean
  enterpriseId: number | null
  workplace: string | null
  jobTitle: string | null
  isModelWorker: boolean
  occupation: string | null
  unionId: number
  unionName: string | null
  status: string
  joinedOn: string
  leftOn: string | null
  quality: string
}
export interface MembershipEventView {
  id: number
  eventType: string
  reason: string | null
  occurredOn: string
  unionId: number
  unionName: string | null
  transferId: number | null
}
export interface MemberDetail extends MemberView {
  events: MembershipEventView[]
  openTransfer: TransferView | null
}
/** The answer when the person is a member elsewhere already: where, masked, and how to move them. */
export interface MemberElsewhere {
  memberId: number
  unionId: number
  unionName: string
  status: string
  documentNumber: string
  name: string
}

// ── transfers ────────────────────────────────────────────────────────────────
export const transferCreateBody = z
  .object({
    memberId: zId.optional(),
    documentType: zDocumentType.optional(),
    documentNumber: z.string().trim().max(40, '证件号码过长').optional(),
    toUnionId: zId,
    reason: zMembershipReason.default('1'),
    note: zOptText(200),
  })
  .refine((b) => b.memberId || b.documentNumber, { message: '请指定会员或其证件号码', path: ['documentNumber'] })
export const transferDecisionBody = z.object({ note: zOptText(200) })
export const transferListQuery = z.object({
  direction: z.enum(['in', 'out', 'all']).default('all'),
  status: z.enum(['pending', 'accepted', 'rejected', 'cancelled']).optional(),
  /** 'member': the requests members made on the joining page (会员申请转入) */
  requestedBy: z.enum(['from', 'to', 'member']).optional(),
  ...zPage,
})
export interface TransferView {
  id: number
  memberId: number
  memberName: string
  documentNumber: string // masked
  fromUnionId: number
  fromUnionName: string | null
  toUnionId: number
  toUnionName: string | null
  requestedBy: string
  status: string
  reason: string | null
  note: string | null
  decisionNote: string | null
  requestedAt: string
  decidedAt: string | null
  /** what the caller may do with it */
  canAccept: boolean
  canReject: boolean
  canCancel: boolean
}

// ── online joining (入会申请), public and for reviewers ──────────────────────────
export const joiningSearchQuery = z.object({ q: z.string().trim().min(2, '请至少输入2个字').max(40) })
export interface JoiningWorkplace {
  id: number
  name: string
  townCode: string
  townName: string | null
  hasUnion: boolean
}
/** a one-time code: checked (and its absence refused, after the other fields) by the service */
const zSmsCode = z.string().trim().max(6, '请输入6位数字验证码')
export const applicationCreateBody = z.object({
  name: z.string().trim().min(1, '不能为空').max(40),
  documentType: zDocumentType.default('resident_id'),
  documentNumber: z.string().trim().min(1, '不能为空').max(40, '证件号码过长'),
  gender: zGender.optional(),
  phone: z.string().trim().min(1, '不能为空').max(20, '手机号应为11位'),
  /** the workplace from the register, or a unit typed in that is not in it */
  enterpriseId: zId.nullish(),
  workplace: z.string().trim().min(1, '不能为空').max(100),
  /** town (9 digits) or village (12) of residence or household registration, for the local union's pool */
  residenceRegion: z
    .string()
    .max(12, '请选择居住地或户籍所在乡镇（街道）')
    .regex(/^\d{9}(\d{3})?$/, '请选择居住地或户籍所在乡镇（街道）')
    .nullish(),
  occupation: zNewEmploymentOccupation.nullish(),
  /** 新就业形态: join the platform company's union, or the town's joint union for flexible workers */
  preferredRoute: z.enum(['platform', 'flexible_joint']).nullish(),
  platformEnterpriseId: zId.nullish(),
  note: zOptText(200),
  consentPrivacy: z.literal(true, { error: () => '请阅读并同意隐私政策' }),
  consentSensitive: z.literal(true, { error: () => '请单独同意处理身份证号码、手机号等敏感个人信息' }),
  /** the one-time code sent to the mobile number given (POST /api/public/codes) */
  smsCode: zSmsCode.nullish(),
})
/** Asks for a one-time code to the mobile number the applicant gives, to prove it is theirs. */
export const joiningCodeBody = z.object({
  purpose: z.enum(['joining']),
  phone: z.string().trim().min(1, '不能为空').max(20, '手机号应为11位'),
})
export interface JoiningCodeAnswer {
  /** where the code went (the number masked) */
  message: string
  /** only in the demo without an SMS gateway */
  demoCode?: string
}
/** 'application' to join, or a member's 'transfer' request (转会申请) made on the joining page */
export type JoiningKind = 'application' | 'transfer'
export interface ApplicationReceipt {
  kind?: JoiningKind
  id: number
  /** the secret with which the applicant follows the application; shown once */
  token: string
  status: string
  route: string
  unionName: string
  dueOn: string
}
export interface ApplicationStatusView {
  id: number
  status: string
  route: string
  unionName: string
  dueOn: string
  reviewNote: string | null
  memberNo: string | null
  createdAt: string
  /** when approved: the card token to render as a QR code */
  cardToken: string | null
  /** an application, or a member's transfer request (status then: pending, approved = accepted, rejected, withdrawn) */
  kind: JoiningKind
  /** the applicant's answer to 需补充材料, and when it was given */
  infoAnswer: string | null
  infoAnsweredAt: string | null
  /** what the applicant may still do: withdraw (pending, need_info), answer (need_info) */
  canWithdraw: boolean
  canAnswer: boolean
  /** when approved (or the transfer accepted): the membership's 入会日期, for the card */
  joinedOn: string | null
}
/** The applicant's acts on the phone, authorized by the token of the application only. */
export const applicationWithdrawBody = z.object({ token: z.string().trim().min(16, '查询码不正确').max(100, '查询码不正确') })
export const applicationAnswerBody = z.object({
  token: z.string().trim().min(16, '查询码不正确').max(100, '查询码不正确'),
  /** 1 to 500 characters (checked by the service, so that the message names the field in Chinese) */
  answer: z.string().max(5000, '补充说明：不能超过500字'),
  /** a corrected workplace name (the routing stays) */
  workplace: z.string().trim().max(100, '单位名称不能超过100字').nullish(),
  /** a corrected mobile number, with the one-time code sent to it */
  phone: z.string().trim().max(20, '手机号应为11位').nullish(),
  smsCode: zSmsCode.nullish(),
})
export const applicationListQuery = z.object({
  org: zId.optional(),
  status: z.enum(['pending', 'need_info', 'approved', 'rejected', 'withdrawn']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  ...zPage,
})
export interface ApplicationView {
  id: number
  name: string
  gender: string
  /** whether a birth date is known; the date itself only through an audited reveal (with the masked number it would rebuild the 身份证号) */
  birthDateKnown: boolean
  documentType: string
  documentNumber: string // masked
  phone: string // masked
  enterpriseId: number | null
  workplace: string
  residenceRegion: string | null
  occupation: string | null
  route: string
  unionId: number
  unionName: string | null
  status: string
  dueOn: string
  overdue: boolean
  applicantNote: string | null
  reviewNote: string | null
  /** the applicant's answer to 需补充材料 (then the application is pending again) */
  infoAnswer: string | null
  infoAnsweredAt: string | null
  createdAt: string
  memberId: number | null
}
export const applicationDecisionBody = z.object({
  decision: z.enum(['approve', 'reject', 'need_info']),
  note: zOptText(200),
})

// ── membership cards ────────────────────────────────────────────────────────
export interface CardView {
  memberNo: string
  name: string
  unionName: string
  joinedOn: string
  status: string
  token: string
}
export interface CardVerification {
  valid: boolean
  reason: string | null
  memberNo: string | null // masked
  unionName: string | null
  status: string | null
}

// ── roster imports ──────────────────────────────────────────────────────────
export interface ImportJobView {
  id: number
  /** what the file imports: members (名册) or units of the enterprise register */
  kind: 'roster' | 'enterprise'
  unionId: number
  unionName: string | null
  fileName: string
  status: 'checking' | 'checked' | 'importing' | 'done' | 'failed'
  mode: 'all' | 'valid_only' | null
  totalRows: number
  validRows: number
  errorRows: number
  existingRows: number
  elsewhereRows: number
  importedRows: number
  processedRows: number
  /** rows per second and seconds left, while running */
  rate: number | null
  secondsLeft: number | null
  message: string | null
  createdAt: string
  finishedAt: string | null
}
export const importCommitBody = z.object({ mode: z.enum(['all', 'valid_only']) })
export const importProblemQuery = z.object({ kind: z.enum(['error', 'elsewhere', 'existing']).optional(), ...zPage })
export interface ImportProblemView {
  rowNo: number
  column: string
  kind: string
  message: string
  /** a member elsewhere whose transfer to the importing union may be asked from the list */
  canTransfer: boolean
}
/** Asks for the transfer (转入) of the member elsewhere behind a row of a roster import. */
export const transferFromImportBody = z.object({ jobId: zId, rowNo: z.number().int().min(1).max(10_000_000), note: zOptText(200) })
export const memberExportQuery = z.object({
  org: zId.optional(),
  /** the list's filters: the export holds what the page shows */
  status: memberListQuery.shape.status,
  quality: memberListQuery.shape.quality,
  occupation: memberListQuery.shape.occupation,
  format: z.enum(['xlsx', 'csv']).default('xlsx'),
  unmasked: z.enum(['true', 'false']).default('false'),
  reason: z.string().trim().max(200).optional(),
})
