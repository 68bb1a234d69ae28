/**
 * Activities (活动): schemas shared by the server and the web, and the shapes of answers.
 * Times are ISO 8601 instants with their offset ('2026-12-10T14:00:00+08:00' or '…Z').
 */
import { z } from 'zod'
import './zod-zh.js'
import { zId, zPage, zRef, zText } from './api.js'

export const audiences = {
  own: '本工会会员',
  subtree: '本工会及下级工会会员',
  covered: '覆盖单位的会员',
} as const
export type Audience = keyof typeof audiences

export const origins = {
  proposal: '会员建议（打call）',
  suggestion: '会员意见征集',
  plan: '工会工作计划',
} as const
export type Origin = keyof typeof origins

export const activityStatuses = { draft: '草稿', published: '已发布', cancelled: '已取消' } as const
export type ActivityStatus = keyof typeof activityStatuses

export const registrationStatuses = { registered: '已报名', waiting: '候补中', cancelled: '已取消' } as const
export type RegistrationStatus = keyof typeof registrationStatuses

const zInstant = z
  .string()
  .trim()
  .max(40, '时间格式不正确')
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, '时间格式不正确')
  .refine((s) => !Number.isNaN(Date.parse(s)), '时间不存在')
  .refine((s) => {
    const y = new Date(s).getUTCFullYear()
    return y >= 2000 && y <= 2100
  }, '时间应在2000年至2100年之间')

const fields = {
  title: z.string().trim().min(1, '不能为空').max(100, '不能超过100个字'),
  body: zText(5000).default(''),
  place: z.string().trim().min(1, '不能为空').max(200, '不能超过200个字'),
  startsAt: zInstant,
  endsAt: zInstant,
  capacity: z.number().int('应为整数').min(1, '至少1人').max(100_000, '不能超过100000人'),
  signupOpens: zInstant,
  signupCloses: zInstant,
  cancelDeadline: zInstant,
  audience: z.enum(['own', 'subtree', 'covered'], { error: () => '请选择参加范围' }),
  origin: z.enum(['proposal', 'suggestion', 'plan'], { error: () => '请选择活动来源' }),
  proposalId: zRef.nullable().optional(),
}

type Times = { startsAt: string; endsAt: string; signupOpens: string; signupCloses: string; cancelDeadline: string }
const ms = (s: string) => new Date(s).getTime()
/** the times of an activity in order: sign-up opens ≤ closes ≤ start ≤ end, cancel deadline ≤ start */
export function timeProblems(t: Times): Record<string, string> {
  const p: Record<string, string> = {}
  if (ms(t.endsAt) < ms(t.startsAt)) p.endsAt = '结束时间不能早于开始时间'
  if (ms(t.signupCloses) < ms(t.signupOpens)) p.signupCloses = '报名截止不能早于报名开始'
  if (ms(t.signupCloses) > ms(t.startsAt)) p.signupCloses = '报名截止不能晚于活动开始'
  if (ms(t.cancelDeadline) > ms(t.startsAt)) p.cancelDeadline = '取消报名截止不能晚于活动开始'
  return p
}

export const activityCreateBody = z.object({ orgId: zId.optional(), ...fields })
export const activityUpdateBody = z.object(fields).partial()
export const activityCancelBody = z.object({ cancelReason: z.string().trim().min(1, '请填写取消原因').max(500, '不能超过500个字') })
export const activityListQuery = z.object({
  ...zPage,
  org: zId.optional(),
  status: z.enum(['draft', 'published', 'cancelled'], { error: () => '状态不正确' }).optional(),
  q: zText(50).optional(),
})
export const registrationListQuery = z.object({
  ...zPage,
  status: z.enum(['registered', 'waiting', 'cancelled', 'attended'], { error: () => '状态不正确' }).optional(),
})
/** the code on the member's phone: '<registration>-<10 digits>' (spaces and dashes typed in are ignored) */
export const checkInBody = z.object({ checkInCode: z.string().trim().min(1, '请输入签到码').max(40, '签到码不正确') })
export const ratingBody = z.object({
  rating: z.number().int('应为整数').min(1, '请打1到5分').max(5, '请打1到5分'),
  ratingComment: zText(500).default(''),
})

export interface ActivityView {
  id: number
  orgId: number
  orgName: string
  title: string
  body: string
  place: string
  startsAt: string
  endsAt: string
  capacity: number
  signupOpens: string
  signupCloses: string
  cancelDeadline: string
  audience: Audience
  origin: Origin
  proposalId: number | null
  status: ActivityStatus
  cancelReason: string | null
  registered: number
  waiting: number
  publishedAt: string | null
}

export interface ActivityDetail extends ActivityView {
  attended: number
  ratings: { count: number; average: number | null; byScore: number[] }
  /** the caller may check members in (a cadre of the organizing union) */
  mayCheckIn: boolean
  mayEdit: boolean
}

export interface RegistrationView {
  id: number
  memberName: string
  unionName: string
  status: RegistrationStatus
  position: number
  /** place on the waitlist (1 = next), for a waiting registration */
  waitlistPlace: number | null
  createdAt: string
  checkedInAt: string | null
  rating: number | null
  comment: string | null
}

export interface CheckInAnswer {
  /** true when this scan checked the member in; false when they were already */
  checkedIn: boolean
  message: string
  memberName: string
  checkedInAt: string
}

/** The member's view of an activity (会员端). */
export interface MyActivity {
  id: number
  title: string
  body: string
  place: string
  orgName: string
  startsAt: string
  endsAt: string
  signupOpens: string
  signupCloses: string
  cancelDeadline: string
  capacity: number
  registered: number
  waiting: number
  status: ActivityStatus
  cancelReason: string | null
  origin: Origin
  mine: null | {
    status: RegistrationStatus
    waitlistPlace: number | null
    /** the check-in code (and the QR's text) while registered */
    code: string | null
    checkedInAt: string | null
    rating: number | null
    comment: string | null
  }
}
export interface MyActivities {
  open: MyActivity[]
  mine: MyActivity[]
}
export interface SignUpAnswer {
  status: RegistrationStatus
  waitlistPlace: number | null
  message: string
}
