/** The forms' calls of the JSON API (typed with the shared schemas of common/forms.ts). */
import type { Page } from '../../../../common/api'
import type { z } from 'zod'
import type {
  FormCell,
  FormInfo,
  FormTable,
  plannedUnionBody,
  plannedUnionPatch,
  PlannedUnionView,
  RoundBoard,
  roundCreateBody,
  RoundCreateResult,
  RoundRemindResult,
  RoundSummary,
  RoundView,
} from '../../../../common/forms'
import { request, toQueryString, type Query } from '../../api/client'

export type RoundQuery = { org?: number; form?: string; status?: string; asOf?: string; page?: number; pageSize?: number }
export type PlannedQuery = { org?: number; category?: string; q?: string; page?: number; pageSize?: number }
export type Cells = { rows: { key: string; cells: FormCell[] }[]; total: FormCell[] }

const get = <T>(path: string, q?: Query) => request<T>('GET', path + toQueryString(q))

export const formsApi = {
  forms: () => get<FormInfo[]>('/forms'),
  form: (form: string, q: { org?: number; asOf?: string }) => get<FormTable>(`/forms/${form}`, q),
  formExportUrl: (form: string, q: { org?: number; asOf?: string }) => `/api/forms/${form}/export${toQueryString(q)}`,

  planned: (q: PlannedQuery) => get<Page<PlannedUnionView>>('/planned-unions', q),
  createPlanned: (b: z.input<typeof plannedUnionBody>) => request<PlannedUnionView>('POST', '/planned-unions', b),
  updatePlanned: (id: number, b: z.input<typeof plannedUnionPatch>) => request<PlannedUnionView>('PATCH', `/planned-unions/${id}`, b),
  deletePlanned: (id: number) => request<void>('DELETE', `/planned-unions/${id}`),

  rounds: (q: RoundQuery) => get<Page<RoundSummary>>('/report-rounds', q),
  round: (id: number) => get<RoundView>(`/report-rounds/${id}`),
  openRounds: (b: z.input<typeof roundCreateBody>) => request<RoundCreateResult>('POST', '/report-rounds', b),
  saveRound: (id: number, cells: Cells) => request<RoundView>('PUT', `/report-rounds/${id}`, cells),
  submitRound: (id: number, cells?: Cells) => request<RoundView>('POST', `/report-rounds/${id}/submit`, cells ? { cells } : {}),
  approveRound: (id: number) => request<RoundView>('POST', `/report-rounds/${id}/approve`, {}),
  returnRound: (id: number, comment: string) => request<RoundView>('POST', `/report-rounds/${id}/return`, { comment }),
  roundExportUrl: (id: number) => `/api/report-rounds/${id}/export`,

  board: (q: { org?: number; form?: string; asOf?: string }) => get<RoundBoard>('/report-rounds/board', q),
  setDeadline: (b: { org?: number; form: string; asOf: string; deadline: string }) =>
    request<{ changed: number }>('PUT', '/report-rounds/board/deadline', b),
  remind: (b: { org?: number; form: string; asOf: string; ids?: number[] }) =>
    request<RoundRemindResult>('POST', '/report-rounds/board/remind', b),
}
