/**
 * What the proposal routes answer (建议 · 打call), as Zod schemas for `response: { 200: … }` (see
 * common/responses.ts): each checked against the type the web uses, field for field.
 */
import { z } from 'zod'
import { page } from './responses.js'
import type {
  MyProposal,
  MyProposalDetail,
  MyProposalPage,
  ProgressEntry,
  ProposalCadreDetail,
  ProposalRow,
  ProposalRuleView,
  ProposalRules,
  ProposalSummary,
  WorkPlanItem,
} from './proposals.js'

const status = z.enum(['open', 'reached', 'accepted', 'declined', 'in_progress', 'done', 'closed', 'hidden'])

export const proposalSummary = z.object({
  id: z.number(),
  title: z.string(),
  category: z.string(),
  categoryLabel: z.string(),
  status,
  statusLabel: z.string(),
  unionId: z.number(),
  unionName: z.string(),
  supportsCount: z.number(),
  threshold: z.number(),
  createdAt: z.string(),
  closesOn: z.string(),
  reachedAt: z.string().nullable(),
  answerDueOn: z.string().nullable(),
  answeredAt: z.string().nullable(),
  progress: z.number(),
  overdue: z.boolean(),
})
export const progressEntry = z.object({ id: z.number(), onDate: z.string(), percent: z.number(), note: z.string() })
const detailFields = {
  body: z.string(),
  frozen: z.boolean(),
  answer: z.string().nullable(),
  answeredLate: z.boolean(),
  doneAt: z.string().nullable(),
  hiddenReason: z.string().nullable(),
  progressEntries: z.array(progressEntry),
}
export const myProposal = proposalSummary.extend({ mine: z.boolean(), supported: z.boolean() })
export const myProposalDetail = proposalSummary.extend({
  ...detailFields,
  mine: z.boolean(),
  supported: z.boolean(),
  canSupport: z.boolean(),
  editable: z.boolean(),
})
export const myProposalPage = z.object({
  items: z.array(myProposal),
  total: z.number(),
  unions: z.array(z.object({ id: z.number(), name: z.string() })),
})
export const proposalRow = proposalSummary.extend({ authorName: z.string() })
export const proposalPage = page(proposalRow)
export const proposalCadreDetail = proposalSummary.extend({
  ...detailFields,
  authorName: z.string(),
  workPlanItemId: z.number().nullable(),
  canWrite: z.boolean(),
})
export const workPlanItem = z.object({
  id: z.number(),
  proposalId: z.number(),
  title: z.string(),
  unionName: z.string(),
  createdAt: z.string(),
  status,
  statusLabel: z.string(),
  progress: z.number(),
  answerDueOn: z.string().nullable(),
  overdue: z.boolean(),
})
export const workPlanPage = page(workPlanItem)
export const proposalRuleView = z.object({
  level: z.enum(['regional', 'grassroots']),
  levelLabel: z.string(),
  threshold: z.number(),
  answerDays: z.number(),
  periodDays: z.number(),
  source: z.enum(['own', 'inherited', 'default']),
  sourceName: z.string().nullable(),
})
export const proposalRules = z.object({
  unionId: z.number(),
  unionName: z.string(),
  rules: z.array(proposalRuleView),
  canWrite: z.boolean(),
})

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
export type ProposalChecks = [
  Same<z.output<typeof proposalSummary>, ProposalSummary>,
  Same<z.output<typeof progressEntry>, ProgressEntry>,
  Same<z.output<typeof myProposal>, MyProposal>,
  Same<z.output<typeof myProposalDetail>, MyProposalDetail>,
  Same<z.output<typeof myProposalPage>, MyProposalPage>,
  Same<z.output<typeof proposalRow>, ProposalRow>,
  Same<z.output<typeof proposalCadreDetail>, ProposalCadreDetail>,
  Same<z.output<typeof workPlanItem>, WorkPlanItem>,
  Same<z.output<typeof proposalRuleView>, ProposalRuleView>,
  Same<z.output<typeof proposalRules>, ProposalRules>,
] extends true[]
  ? true
  : never
export const proposalsChecked: ProposalChecks = true
