import { z } from 'zod'
import './zod-zh.js'
import { zId } from './api.js'

/**
 * In-app messages (消息): to a member on the phone, or to a union's cadres (their menu's badge).
 * Each kind has the label the lists show; the important ones also go by SMS (the member may opt out).
 */
export const messageKinds = {
  application: '入会申请',
  transfer: '会员接转',
  waitlist_promoted: '候补转正',
  activity_full: '活动报名',
  activity_changed: '活动变更',
  threshold_reached: '建议达到支持数',
  answer_due: '建议待答复',
  proposal_answered: '建议答复',
  proposal_progress: '建议办理进度',
  proposal_hidden: '建议被隐藏',
  proposal_closed: '建议关闭',
  round_reminder: '催报',
} as const
export type MessageKind = keyof typeof messageKinds
export const messageKindLabel = (k: string) => (messageKinds as Record<string, string>)[k] ?? '通知'

export interface MessageView {
  id: number
  kind: string
  kindLabel: string
  title: string
  body: string
  link: string | null
  createdAt: string
  read: boolean
}
export interface MessagePage {
  items: MessageView[]
  total: number
  unread: number
}

export const messageListQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  unread: z.enum(['true', 'false']).optional(),
})
/** marks the given messages read, or every message when no ids are given */
export const messageReadBody = z.object({ ids: z.array(zId).max(500).optional() })
export const memberSettingsBody = z.object({ smsOptOut: z.boolean() })
