/**
 * The API contract of the member register: members, the ledger, transfers, joining, cards, imports.
 */
import { z } from 'zod'
import { zDocumentType, zEmploymentStatus, zGender, zMembershipReason, zNewEmploymentOccupation } from './codes'
import { zDate, zPage } from './api'

const zId = z.coerce.number().int().positive()
const zOptText = (max: number) => z.string().trim().max(max, `不能超过${max}个字`).nullish()

const memberFields = {
  name: z.string().trim().min(1, '不能为空').max(40, '不能超过40个字'),
  gender: zGender.optional(),
  ethnicity: z.string().regex(/^\d{2}$/, '民族代码应为2位数字').nullish(),
  birthDate: zDate.nullish(),
  phone: z.string().trim().nullish(),
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
  documentNumber: z.string().trim().min(1, '不能为空'),
  unionId: zId,
  joinedOn: zDate.optional(),
})
export const memberUpdateBody = z.object({
  ...memberFields,
  documentType: zDocumentType.optional(),
  documentNumber: z.string().trim().min(1, '不能为空').optional(),
}).partial()
export const memberListQuery = z.object({
  org: zId.optional(),
  q: z.string().trim().max(40).optional(),
  status: z.enum(['active', 'retained', 'reserve', 'left']).optional(),
  quality: z.string().max(30).optional(),
  occupation: zNewEmploymentOccupation.optional(),
  sort: z.enum(['name', '-joinedOn', 'joinedOn', 'memberNo']).default('-joinedOn'),
  ...zPage,
})
/** 保留 / 除名 / 退会, or 恢复 of a retained membership */
export const memberStatusBody = z.object({
  event: z.enum(['3', '5', '6', 'restore']),
  reason: zMembershipReason.optional(),
  occurredOn: zDate.optional(),
})
export const memberRevealBody = z.object({
  field: z.enum(['documentNumber', 'phone']),
  reason: z.string().trim().min(2, '请说明查看原因').max(200),
})

export interface MemberView {
  id: number
  memberNo: string
  name: string
  gender: string
  ethnicity: string | null
  birthDate: string | null
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
export const transferCreateBody = z.object({
  memberId: zId.optional(),
  documentType: zDocumentType.optional(),
  documentNumber: z.string().trim().optional(),
  toUnionId: zId,
  reason: zMembershipReason.default('1'),
  note: zOptText(200),
}).refine((b) => b.memberId || b.documentNumber, { message: '请指定会员或其证件号码', path: ['documentNumber'] })
export const transferDecisionBody = z.object({ note: zOptText(200) })
export const transferListQuery = z.object({
  direction: z.enum(['in', 'out', 'all']).default('all'),
  status: z.enum(['pending', 'accepted', 'rejected', 'cancelled']).optional(),
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
