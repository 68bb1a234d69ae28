import { z } from 'zod'
import './zod-zh.js'

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
}
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
