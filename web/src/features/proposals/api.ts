import type { Page } from '../../../../common/api'
import type { ProposalCadreDetail, ProposalRow, ProposalRules, WorkPlanItem } from '../../../../common/proposals'
import { request, toQueryString } from '../../api/client'

/** The proposal calls of the cadre pages (in this feature's chunk, not the shell's client). */
export type ProposalQuery = { org?: number; status?: string; overdue?: 'true' | 'false'; q?: string; page?: number; pageSize?: number }
const get = <T>(path: string, q?: Record<string, string | number | undefined>) => request<T>('GET', path + toQueryString(q))
export const proposalApi = {
  proposals: (q: ProposalQuery) => get<Page<ProposalRow>>('/proposals', q),
  proposal: (id: number) => get<ProposalCadreDetail>(`/proposals/${id}`),
  answerProposal: (id: number, verdict: 'accept' | 'decline', reply: string) =>
    request<ProposalCadreDetail>('POST', `/proposals/${id}/answer`, { verdict, reply }),
  proposalProgress: (id: number, percent: number, note: string) =>
    request<ProposalCadreDetail>('POST', `/proposals/${id}/progress`, { percent, note }),
  hideProposal: (id: number, hiddenReason: string) => request<ProposalCadreDetail>('POST', `/proposals/${id}/hide`, { hiddenReason }),
  workPlan: (q: { org?: number; page?: number; pageSize?: number }) => get<Page<WorkPlanItem>>('/proposals/work-plan', q),
  proposalRules: (org?: number) => get<ProposalRules>('/proposals/rules', { org }),
  saveProposalRule: (b: { orgId?: number; level: string; threshold: number; answerDays: number; periodDays: number }) =>
    request<ProposalRules>('PUT', '/proposals/rules', b),
}
