import { z } from 'zod'
import './zod-zh.js'
import { zId, zPage, zQueryBool, zRef, zText } from './api.js'

/**
 * Proposals (建议 · 打call): a member posts a proposal to their union; members of its subtree
 * support it (one support each); at the threshold pinned when it was published it enters the
 * union's work plan, and the union answers within a number of working days.
 */
export const proposalCategories = [
  { code: 'pay', label: '工资待遇' },
  { code: 'safety', label: '劳动安全' },
  { code: 'welfare', label: '福利关爱' },
  { code: 'culture', label: '文体活动' },
  { code: 'skills', label: '技能培训' },
  { code: 'rights', label: '权益维护' },
  { code: 'other', label: '其他' },
] as const
export type ProposalCategory = (typeof proposalCategories)[number]['code']
const categoryCodes = proposalCategories.map((c) => c.code) as [ProposalCategory, ...ProposalCategory[]]
export const categoryLabel = (c: string) => proposalCategories.find((x) => x.code === c)?.label ?? c

export const proposalStatuses = {
  open: '征集支持中',
  reached: '已达支持数·待答复',
  accepted: '已纳入工作计划',
  declined: '不予采纳',
  in_progress: '办理中',
  done: '已办结',
  closed: '未达支持数·已关闭',
  hidden: '已隐藏',
} as const
export type ProposalStatus = keyof typeof proposalStatuses
export const proposalStatusLabel = (s: string) => (proposalStatuses as Record<string, string>)[s] ?? s
const statusCodes = Object.keys(proposalStatuses) as [ProposalStatus, ...ProposalStatus[]]

export const proposalLevels = { regional: '地方工会（市、乡镇街道总工会等）', grassroots: '基层工会' } as const
export type ProposalLevel = keyof typeof proposalLevels

/** the rule when no union above has set one */
export const DEFAULT_PROPOSAL_RULE = { threshold: 200, answerDays: 10, periodDays: 90 } as const

const zTitle = z.string().trim().min(2, '至少2个字').max(100, '不能超过100个字')
const zBody = z.string().trim().min(10, '至少10个字').max(5000, '不能超过5000个字')
const zReason = (what: string) => z.string().trim().min(2, `请填写${what}`).max(1000, '不能超过1000个字')

// ── member (会员端) ─────────────────────────────────────────────────────────────
export const proposalCreateBody = z.object({
  title: zTitle,
  body: zBody,
  category: z.enum(categoryCodes, { error: () => '请选择类别' }),
  /** the member's union or one of its ancestors; default the member's own */
  unionId: zId.optional(),
})
export const proposalEditBody = proposalCreateBody.omit({ unionId: true })
export const myProposalListQuery = z.object({
  tab: z.enum(['open', 'mine', 'supported', 'all'], { error: () => '不正确' }).default('open'),
  ...zPage,
})

// ── cadres ────────────────────────────────────────────────────────────────────
export const proposalListQuery = z.object({
  org: zId.optional(),
  status: z.enum(statusCodes, { error: () => '不正确' }).optional(),
  overdue: zQueryBool.optional(),
  q: zText(50).optional(),
  ...zPage,
})
export const proposalAnswerBody = z.object({
  verdict: z.enum(['accept', 'decline'], { error: () => '请选择纳入工作计划或不予采纳' }),
  reply: zReason('答复意见'),
})
export const proposalProgressBody = z.object({
  percent: z.number().int('应为整数').min(0, '应在0到100之间').max(100, '应在0到100之间'),
  note: zReason('进展说明'),
})
export const proposalHideBody = z.object({ hiddenReason: zReason('隐藏原因') })
export const proposalRuleBody = z.object({
  /** the union whose rule this is (default the caller's own); a union above may set its subtree's */
  orgId: zRef.optional(),
  level: z.enum(['regional', 'grassroots'], { error: () => '请选择工会层级' }),
  threshold: z.number().int('应为整数').min(1, '至少为1').max(100_000, '不能超过100000'),
  answerDays: z.number().int('应为整数').min(1, '至少1个工作日').max(100, '不能超过100个工作日'),
  periodDays: z.number().int('应为整数').min(1, '至少1天').max(730, '不能超过730天'),
})
export const proposalRulesQuery = z.object({ org: zId.optional() })
export const workPlanQuery = z.object({ org: zId.optional(), ...zPage })

// ── answers ───────────────────────────────────────────────────────────────────
export interface ProposalSummary {
  id: number
  title: string
  category: string
  categoryLabel: string
  status: ProposalStatus
  statusLabel: string
  unionId: number
  unionName: string
  supportsCount: number
  threshold: number
  createdAt: string
  closesOn: string
  reachedAt: string | null
  answerDueOn: string | null
  answeredAt: string | null
  progress: number
  /** not answered and the due date has passed */
  overdue: boolean
}
export interface ProgressEntry {
  id: number
  onDate: string
  percent: number
  note: string
}
export interface ProposalDetail extends ProposalSummary {
  body: string
  frozen: boolean
  answer: string | null
  /** answered after its due date */
  answeredLate: boolean
  doneAt: string | null
  hiddenReason: string | null
  progressEntries: ProgressEntry[]
}
/** a proposal as a member sees it */
export interface MyProposal extends ProposalSummary {
  mine: boolean
  supported: boolean
}
export interface MyProposalDetail extends ProposalDetail {
  mine: boolean
  supported: boolean
  /** the member may support it now (not theirs, not yet supported, still taking supports) */
  canSupport: boolean
  /** the author may still change the text (no support counted yet) */
  editable: boolean
}
export interface MyProposalPage {
  items: MyProposal[]
  total: number
  /** where the member may post: their union and its ancestors, own union last */
  unions: { id: number; name: string }[]
}
export interface SupportAnswer {
  /** 'added' (counted when the request commits; supportsCount: the count then, this support included) or 'already' */
  outcome: 'added' | 'already'
  supportsCount: number
  threshold: number
  status: ProposalStatus
}
/** a proposal in the cadres' queue */
export interface ProposalRow extends ProposalSummary {
  authorName: string
}
export interface ProposalCadreDetail extends ProposalDetail {
  authorName: string
  workPlanItemId: number | null
  /** the caller may answer, record progress, hide */
  canWrite: boolean
}
export interface WorkPlanItem {
  id: number
  proposalId: number
  title: string
  unionName: string
  createdAt: string
  status: ProposalStatus
  statusLabel: string
  progress: number
  answerDueOn: string | null
  overdue: boolean
}
export interface ProposalRuleView {
  level: ProposalLevel
  levelLabel: string
  threshold: number
  answerDays: number
  periodDays: number
  /** where the values come from: this union's own rule, a union above, or the default */
  source: 'own' | 'inherited' | 'default'
  sourceName: string | null
}
export interface ProposalRules {
  unionId: number
  unionName: string
  rules: ProposalRuleView[]
  canWrite: boolean
}
