/**
 * The one typed client of the JSON API. The browser session lives in the httpOnly cookie; every
 * non-GET request carries the CSRF token handed out by login and /api/auth/me.
 */
import type {
  AuditView, EnterpriseView, LoginResponse, OrgDetail, OrgSummary, Page, RegionView, RuleValues, UserView,
} from '../../../common/api'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message)
  }
}

let csrfToken: string | null = null
let onUnauthorized: (() => void) | null = null

export function setCsrfToken(token: string | null) {
  csrfToken = token
}
/** Called when a request (other than the session probe) answers 401, so the app can show the login page. */
export function setUnauthorizedHandler(fn: (() => void) | null) {
  onUnauthorized = fn
}

export type Query = Record<string, string | number | boolean | null | undefined>

/** '?a=1&b=x', leaving out empty values */
export function toQueryString(q: Query = {}): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue
    p.set(k, String(v))
  }
  const s = p.toString()
  return s ? `?${s}` : ''
}

async function request<T>(method: string, path: string, body?: unknown, opts: { silent401?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken
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
  let data: unknown = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = null
    }
  }
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; fields?: Record<string, string> } } | null)?.error
    if (res.status === 401 && !opts.silent401) onUnauthorized?.()
    throw new ApiError(res.status, e?.code ?? 'http', e?.message ?? `请求失败（${res.status}）`, e?.fields ?? {})
  }
  return data as T
}

const get = <T>(path: string, q?: Query, opts?: { silent401?: boolean }) => request<T>('GET', path + toQueryString(q), undefined, opts)
const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {})
const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body)
const put = <T>(path: string, body: unknown) => request<T>('PUT', path, body)

export interface MeResponse {
  user: UserView
  csrfToken: string
  scope: { orgId: number; orgName: string } | null
}
export interface OrgOption {
  id: number
  code: string
  name: string
}
export interface RuleResponse {
  regionCode: string
  own: boolean
  rule: RuleValues
}
export interface ChainCheck {
  chainId: string
  entries: number
  ok: boolean
  firstBad?: { id: number | string; problem: string }
}

export type OrgListQuery = {
  parent?: number
  q?: string
  asOf?: string
  hierarchy?: 'geo' | 'industry'
  joint?: boolean
  includeDissolved?: boolean
  page?: number
  pageSize?: number
}
export type EnterpriseQuery = {
  org?: number
  q?: string
  nature?: string
  sizeBand?: string
  coverage?: string
  regionCode?: string
  shouldHaveUnion?: boolean
  jointUnion?: number
  sort?: string
  page?: number
  pageSize?: number
}
export type AuditQuery = { q?: string; action?: string; actor?: string; from?: string; to?: string; page?: number; pageSize?: number }

/** Body of create/update calls: the fields the forms send (the server validates them with the shared zod schemas). */
export type Body = Record<string, unknown>

export const api = {
  login: (username: string, password: string) => post<LoginResponse>('/auth/login', { username, password }),
  logout: () => post<{ ok: boolean }>('/auth/logout'),
  me: () => get<MeResponse>('/auth/me', undefined, { silent401: true }),

  orgs: (q: OrgListQuery) => get<Page<OrgSummary>>('/orgs', q),
  org: (id: number) => get<OrgDetail>(`/orgs/${id}`),
  createOrg: (b: Body) => post<OrgDetail>('/orgs', b),
  updateOrg: (id: number, b: Body) => patch<OrgDetail>(`/orgs/${id}`, b),
  moveOrg: (id: number, parentId: number, effectiveDate?: string) => post<OrgDetail>(`/orgs/${id}/move`, { parentId, effectiveDate }),
  dissolveOrg: (id: number, b: { effectiveDate?: string; reason?: string }) => post<OrgDetail>(`/orgs/${id}/dissolve`, b),
  setOrgEnterprises: (id: number, enterpriseIds: number[]) => put<unknown>(`/orgs/${id}/enterprises`, { enterpriseIds }),
  revealOrg: (id: number, field: 'chairPhone' | 'contactPhone', reason: string) => post<{ value: string }>(`/orgs/${id}/reveal`, { field, reason }),

  enterprises: (q: EnterpriseQuery) => get<Page<EnterpriseView>>('/enterprises', q),
  enterprise: (id: number) => get<EnterpriseView>(`/enterprises/${id}`),
  createEnterprise: (b: Body) => post<EnterpriseView>('/enterprises', b),
  updateEnterprise: (id: number, b: Body) => patch<EnterpriseView>(`/enterprises/${id}`, b),
  enterpriseExportUrl: (q: EnterpriseQuery) => `/api/enterprises/export${toQueryString(q)}`,

  regions: (parent: string) => get<RegionView[]>('/regions', { parent }),
  rule: (regionCode: string) => get<RuleResponse>(`/rules/${regionCode}`),
  saveRule: (regionCode: string, r: RuleValues) => put<RuleResponse>(`/rules/${regionCode}`, r),

  users: (q: { q?: string; page?: number; pageSize?: number }) => get<Page<UserView>>('/users', q),
  createUser: (b: { username: string; displayName: string; password: string }) => post<UserView>('/users', b),
  updateUser: (id: number, b: { displayName?: string; active?: boolean; password?: string }) => patch<UserView>(`/users/${id}`, b),
  setUserRoles: (id: number, roles: string[], orgId: number | null) => put<UserView>(`/users/${id}/roles`, { roles, orgId }),
  orgOptions: (q: string) => get<OrgOption[]>('/users/org-options', { q }),

  audit: (q: AuditQuery) => get<Page<AuditView>>('/audit', q),
  verifyAudit: () => get<ChainCheck[]>('/audit/verify'),
}
