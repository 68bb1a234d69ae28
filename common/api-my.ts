import { z } from 'zod'
import './zod-zh.js'
import { MAX_ID } from './api.js'

/**
 * The member's side (会员端, /m on the phone): sign-in by mobile number and one-time code, and
 * 我的 — the e-card, my union, my applications and transfers, messages.
 */
/** The demo city's member to sign in as (the demo shows the code on screen, marked 演示). */
export const DEMO_MEMBER_PHONE = '13800138000'

export const signInCodeBody = z.object({
  phone: z.string().trim().min(1, '不能为空').max(20, '手机号应为11位'),
})
export const signInBody = z.object({
  phone: z.string().trim().min(1, '不能为空').max(20, '手机号应为11位'),
  smsCode: z.string().trim().min(1, '请填写短信验证码').max(6, '请输入6位数字验证码'),
})
export interface SignInAnswer {
  /** bearer token of the phone session (the browser keeps the cookie instead) */
  token: string
  csrfToken: string
  /** a membership is on record for this phone (else: signed in as an applicant) */
  member: boolean
}

export interface MySession {
  csrfToken: string
  member: { id: number; name: string; unionId: number; unionName: string | null } | null
  unread: number
}

export interface MyApplication {
  id: number
  status: string
  unionName: string | null
  workplace: string
  createdAt: string
  dueOn: string
  reviewNote: string | null
}
export interface MyTransfer {
  id: number
  status: string
  fromName: string | null
  toName: string | null
  requestedAt: string
  decisionNote: string | null
  /** asked by the member (申请转会), not by a union */
  byMe: boolean
  /** the member may withdraw it (their own request, still pending) */
  canCancel: boolean
}

/**
 * 申请转会 (the member's own transfer request, signed in on the phone): the member names the unit
 * they now work at, found in the register's directory; the union that receives is the one the
 * joining page would route them to (the unit's own union, else its joint union, else the town's).
 */
export const myTransferTargetsQuery = z.object({
  q: z.string().trim().min(2, '请至少输入2个字').max(50, '不能超过50个字'),
})
export interface MyTransferTarget {
  enterpriseId: number
  enterpriseName: string
  townName: string | null
  /** the union that would receive the membership; null: none can (the member is told to call) */
  unionId: number | null
  unionName: string | null
  /** own_union | joint_union | town_pool */
  route: string | null
  /** the member's union already: nothing to transfer */
  current: boolean
}
export const myTransferBody = z.object({
  enterpriseId: z
    .number({ error: () => '请搜索并选择新的工作单位' })
    .int('请搜索并选择新的工作单位')
    .min(1, '不正确')
    .max(MAX_ID, '不正确'),
  transferReason: z.string().trim().min(2, '请说明转会理由（至少2个字）').max(200, '不能超过200个字'),
})
export interface MyHome {
  member: null | {
    id: number
    name: string
    memberNo: string
    status: string
    joinedOn: string
    unionId: number
    unionName: string
    /** the union chain from the top (市总工会 … 本工会) */
    unionChain: string[]
    chairName: string | null
    contactName: string | null
    /** the union's contact phone, given to its members to call */
    contactPhone: string | null
    card: { token: string; validUntil: string }
    smsOptOut: boolean
  }
  applications: MyApplication[]
  transfers: MyTransfer[]
  unread: number
}
