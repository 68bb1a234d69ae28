/** The calls of plans and targets (计划与目标), through the shared client (its CSRF token, its 401 handling). */
import type { z } from 'zod'
import type { Page } from '../../../../common/api'
import type { FormTable } from '../../../../common/forms'
import type {
  allocationBody,
  AllocationLevel,
  planCreateBody,
  PlanDetail,
  PlanProgress,
  PlanSummary,
  planUpdateBody,
} from '../../../../common/plans'
import { request, toQueryString, type Query } from '../../api/client'

const get = <T>(path: string, q?: Query) => request<T>('GET', path + toQueryString(q))

export type ProgressQuery = { org?: number; asOf?: string; rankBy?: string }

export const plansApi = {
  list: (q: { org?: number; page?: number; pageSize?: number }) => get<Page<PlanSummary>>('/plans', q),
  get: (id: number) => get<PlanDetail>(`/plans/${id}`),
  create: (b: z.input<typeof planCreateBody>) => request<PlanDetail>('POST', '/plans', b),
  update: (id: number, b: z.input<typeof planUpdateBody>) => request<PlanDetail>('PUT', `/plans/${id}`, b),
  remove: (id: number) => request<void>('DELETE', `/plans/${id}`),
  allocations: (id: number, org?: number) => get<AllocationLevel>(`/plans/${id}/allocations`, { org }),
  saveAllocations: (id: number, b: z.input<typeof allocationBody>) => request<AllocationLevel>('PUT', `/plans/${id}/allocations`, b),
  progress: (id: number, q: ProgressQuery) => get<PlanProgress>(`/plans/${id}/progress`, q),
  exportUrl: (id: number, q: ProgressQuery) => `/api/plans/${id}/export${toQueryString(q)}`,
  form: (code: 'form3' | 'monitoring', q: { org?: number; asOf?: string }) => get<FormTable>(`/forms/${code}`, q),
  formExportUrl: (code: 'form3' | 'monitoring', q: { org?: number; asOf?: string }) => `/api/forms/${code}/export${toQueryString(q)}`,
}
