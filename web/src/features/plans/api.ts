/**
 * The calls of plans and targets (计划与目标). The shared client keeps its request helper to
 * itself, so this module asks /api/auth/me for the CSRF token once before its first write.
 */
import type { Page } from '../../../../common/api'
import type { FormTable } from '../../../../common/forms'
import type { AllocationLevel, PlanDetail, PlanProgress, PlanSummary } from '../../../../common/plans'
import { api, ApiError, toQueryString, type Query } from '../../api/client'

let csrf: string | null = null

async function call<T>(method: string, path: string, body?: unknown, retry = true): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (method !== 'GET') {
    csrf ??= (await api.me()).csrfToken
    headers['x-csrf-token'] = csrf
  }
  let res: Response
  try {
    res = await fetch(`/api${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试')
  }
  const text = await res.text()
  const data = text
    ? (() => {
        try {
          return JSON.parse(text)
        } catch {
          return null
        }
      })()
    : null
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; fields?: Record<string, string> } } | null)?.error
    if (res.status === 403 && e?.code === 'csrf' && retry) {
      csrf = null
      return call<T>(method, path, body, false)
    }
    throw new ApiError(res.status, e?.code ?? 'http', e?.message ?? `请求失败（${res.status}）`, e?.fields ?? {})
  }
  return data as T
}

const get = <T>(path: string, q?: Query) => call<T>('GET', path + toQueryString(q))

export type ProgressQuery = { org?: number; asOf?: string; rankBy?: string }

export const plansApi = {
  list: (q: { org?: number; page?: number; pageSize?: number }) => get<Page<PlanSummary>>('/plans', q),
  get: (id: number) => get<PlanDetail>(`/plans/${id}`),
  create: (b: unknown) => call<PlanDetail>('POST', '/plans', b),
  update: (id: number, b: unknown) => call<PlanDetail>('PUT', `/plans/${id}`, b),
  remove: (id: number) => call<void>('DELETE', `/plans/${id}`),
  allocations: (id: number, org?: number) => get<AllocationLevel>(`/plans/${id}/allocations`, { org }),
  saveAllocations: (id: number, b: unknown) => call<AllocationLevel>('PUT', `/plans/${id}/allocations`, b),
  progress: (id: number, q: ProgressQuery) => get<PlanProgress>(`/plans/${id}/progress`, q),
  exportUrl: (id: number, q: ProgressQuery) => `/api/plans/${id}/export${toQueryString(q)}`,
  form: (code: 'form3' | 'monitoring', q: { org?: number; asOf?: string }) => get<FormTable>(`/forms/${code}`, q),
  formExportUrl: (code: 'form3' | 'monitoring', q: { org?: number; asOf?: string }) => `/api/forms/${code}/export${toQueryString(q)}`,
}
