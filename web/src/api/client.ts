/**
 * The one typed client of the JSON API. The browser session lives in the httpOnly cookie; every
 * non-GET request carries the CSRF token handed out by login and /api/auth/me.
 */
import type {
  AuditView,
  EnterpriseStatusEvent,
  EnterpriseView,
  LoginResponse,
  OrgDetail,
  OrgSummary,
  Page,
  PasswordResetResponse,
  RegionView,
  enterpriseCreateBody,
  enterpriseUpdateBody,
  orgCreateBody,
  orgDissolveBody,
  orgUpdateBody,
  ruleBody,
  RuleValues,
  userCreateBody,
  userUpdateBody,
  UserView,
} from '../../../common/api'
import type {
  JoiningCodeAnswer,
  ApplicationReceipt,
  ApplicationStatusView,
  ApplicationView,
  CardVerification,
  CardView,
  ImportJobView,
  ImportProblemView,
  JoiningWorkplace,
  MemberDetail,
  MemberSummary,
  MemberView,
  TransferView,
  applicationAnswerBody,
  applicationCreateBody,
  memberCreateBody,
  memberStatusBody,
  memberUpdateBody,
  transferCreateBody,
} from '../../../common/api-members'
import type { z } from 'zod'
import type { MessagePage } from '../../../common/messages'
import { takePrefetched, toQueryString } from '../boot'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
    /** extra data of some errors, e.g. where a person is a member already (409 member_elsewhere) */
    readonly detail?: unknown,
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
export { toQueryString }

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  opts: {
    silent401?: boolean
    raw?: Blob | ArrayBuffer
    /** another session's CSRF token and 401 handler (the member's phone session, phone/member/api.ts) */
    session?: { csrf: string | null; on401: () => void }
  } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (opts.raw !== undefined) headers['content-type'] = 'application/octet-stream'
  else if (body !== undefined) headers['content-type'] = 'application/json'
  const csrf = opts.session ? opts.session.csrf : csrfToken
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf
  let res: Response
  try {
    // a GET that main.tsx started before the app loaded (boot.ts) is answered by that request
    const early = method === 'GET' ? takePrefetched(path) : undefined
    res = await (early ??
      fetch(`/api${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        body: opts.raw !== undefined ? opts.raw : body === undefined ? undefined : JSON.stringify(body),
      }))
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
    if (res.status === 401 && !opts.silent401) (opts.session ? opts.session.on401 : onUnauthorized)?.()
    throw new ApiError(
      res.status,
      e?.code ?? 'http',
      e?.message ?? (res.status === 404 ? '接口不存在或记录未找到（404）' : `请求失败（${res.status}）`),
      e?.fields ?? {},
      (e as { detail?: unknown } | undefined)?.detail,
    )
  }
  return data as T
}

/** A GET of the JSON API (also for feature modules that keep their own calls, e.g. the dashboard). */
export const get = <T>(path: string, q?: Query, opts?: { silent401?: boolean }) =>
  request<T>('GET', path + toQueryString(q), undefined, opts)
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
  /** every altered, unsealed or inserted entry, every gap, a cut tail */
  problems?: { id: number | string; seq: number | null; problem: string }[]
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
  status?: string
  sort?: string
  page?: number
  pageSize?: number
}
export type MemberQuery = {
  org?: number
  q?: string
  status?: string
  quality?: string
  occupation?: string
  sort?: string
  page?: number
  pageSize?: number
}
export type ApplicationQuery = { org?: number; status?: string; overdue?: 'true' | 'false'; page?: number; pageSize?: number }
export type TransferQuery = {
  direction?: 'in' | 'out' | 'all'
  status?: string
  requestedBy?: 'from' | 'to' | 'member'
  page?: number
  pageSize?: number
}

export type AuditQuery = { q?: string; action?: string; actor?: string; from?: string; to?: string; page?: number; pageSize?: number }

/** The body of a write call: what the shared zod schema of its route accepts (the server validates with the same schema). */
export type In<T extends z.ZodType> = z.input<T>

export const api = {
  login: (username: string, password: string) => post<LoginResponse>('/auth/login', { username, password }),
  logout: () => post<{ ok: boolean }>('/auth/logout'),
  changePassword: (currentPassword: string, newPassword: string) =>
    post<{ ok: boolean }>('/auth/password', { currentPassword, newPassword }),
  me: () => get<MeResponse>('/auth/me', undefined, { silent401: true }),

  orgs: (q: OrgListQuery) => get<Page<OrgSummary>>('/orgs', q),
  org: (id: number) => get<OrgDetail>(`/orgs/${id}`),
  createOrg: (b: In<typeof orgCreateBody>) => post<OrgDetail>('/orgs', b),
  updateOrg: (id: number, b: In<typeof orgUpdateBody>) => patch<OrgDetail>(`/orgs/${id}`, b),
  moveOrg: (id: number, parentId: number, effectiveDate?: string) => post<OrgDetail>(`/orgs/${id}/move`, { parentId, effectiveDate }),
  dissolveOrg: (id: number, b: In<typeof orgDissolveBody>) => post<OrgDetail>(`/orgs/${id}/dissolve`, b),
  setOrgEnterprises: (id: number, enterpriseIds: number[]) => put<unknown>(`/orgs/${id}/enterprises`, { enterpriseIds }),
  revealOrg: (id: number, field: 'chairPhone' | 'contactPhone', reason: string) =>
    post<{ value: string }>(`/orgs/${id}/reveal`, { field, reason }),

  enterprises: (q: EnterpriseQuery) => get<Page<EnterpriseView>>('/enterprises', q),
  enterprise: (id: number) => get<EnterpriseView>(`/enterprises/${id}`),
  createEnterprise: (b: In<typeof enterpriseCreateBody>) => post<EnterpriseView>('/enterprises', b),
  updateEnterprise: (id: number, b: In<typeof enterpriseUpdateBody>) => patch<EnterpriseView>(`/enterprises/${id}`, b),
  enterpriseExportUrl: (q: EnterpriseQuery) => `/api/enterprises/export${toQueryString(q)}`,
  setEnterpriseStatus: (id: number, b: { status: string; effectiveOn: string; note?: string }) =>
    post<EnterpriseView & { history: EnterpriseStatusEvent[] }>(`/enterprises/${id}/status`, b),
  enterpriseHistory: (id: number) => get<EnterpriseStatusEvent[]>(`/enterprises/${id}/status-history`),
  revealEnterprise: (id: number, field: 'legalRep' | 'contactName' | 'contactPhone', reason: string) =>
    post<{ value: string }>(`/enterprises/${id}/reveal`, { field, reason }),
  dueByTown: (org?: number) =>
    get<{ total: number; byTown: { code: string; label: string; count: number; workers: number }[] }>('/enterprises/due-summary', { org }),

  regions: (parent: string) => get<RegionView[]>('/regions', { parent }),
  rule: (regionCode: string) => get<RuleResponse>(`/rules/${regionCode}`),
  saveRule: (regionCode: string, r: In<typeof ruleBody>) => put<RuleResponse>(`/rules/${regionCode}`, r),

  users: (q: { q?: string; page?: number; pageSize?: number }) => get<Page<UserView>>('/users', q),
  createUser: (b: In<typeof userCreateBody>) => post<UserView>('/users', b),
  updateUser: (id: number, b: In<typeof userUpdateBody>) => patch<UserView>(`/users/${id}`, b),
  resetPassword: (id: number) => post<PasswordResetResponse>(`/users/${id}/password-reset`),
  setUserRoles: (id: number, roles: string[], orgId: number | null) => put<UserView>(`/users/${id}/roles`, { roles, orgId }),
  orgOptions: (q: string) => get<OrgOption[]>('/users/org-options', { q }),

  members: (q: MemberQuery) => get<Page<MemberView>>('/members', q),
  memberSummary: (org: number | undefined) => get<MemberSummary>('/members/summary', { org }),
  member: (id: number) => get<MemberDetail>(`/members/${id}`),
  createMember: (b: In<typeof memberCreateBody>) => post<MemberView>('/members', b),
  updateMember: (id: number, b: In<typeof memberUpdateBody>) => patch<MemberView>(`/members/${id}`, b),
  memberStatus: (id: number, b: In<typeof memberStatusBody>) => post<MemberDetail>(`/members/${id}/status`, b),
  revealMember: (id: number, field: 'documentNumber' | 'phone' | 'birthDate', reason: string) =>
    post<{ value: string }>(`/members/${id}/reveal`, { field, reason }),
  memberCard: (id: number) => get<CardView>(`/members/${id}/card`),
  memberExportUrl: (q: {
    org?: number
    status?: string
    quality?: string
    occupation?: string
    format: 'xlsx' | 'csv'
    unmasked?: boolean
    reason?: string
  }) => `/api/members/export${toQueryString({ ...q, unmasked: q.unmasked ? 'true' : undefined })}`,

  transfers: (q: TransferQuery) => get<Page<TransferView>>('/transfers', q),
  transfer: (id: number) => get<TransferView>(`/transfers/${id}`),
  createTransfer: (b: In<typeof transferCreateBody>) => post<TransferView>('/transfers', b),
  acceptTransfer: (id: number, note?: string) => post<TransferView>(`/transfers/${id}/accept`, { note: note || undefined }),
  transferFromImport: (jobId: number, rowNo: number) => post<TransferView>('/transfers/from-import', { jobId, rowNo }),
  declineTransfer: (id: number, note?: string) => post<TransferView>(`/transfers/${id}/decline`, { note: note || undefined }),
  orgDirectory: (q: string) => get<OrgOption[]>('/orgs/directory', { q }),

  applications: (q: ApplicationQuery) => get<Page<ApplicationView>>('/applications', q),
  application: (id: number) => get<ApplicationView>(`/applications/${id}`),
  decideApplication: (id: number, decision: 'approve' | 'reject' | 'need_info', note?: string) =>
    post<ApplicationView>(`/applications/${id}/decision`, { decision, note: note || undefined }),

  imports: (q: { page?: number; pageSize?: number } = {}) => get<Page<ImportJobView>>('/imports', q),
  importJob: (id: number) => get<ImportJobView>(`/imports/${id}`),
  importProblems: (id: number, q: { kind?: string; page?: number; pageSize?: number }) =>
    get<Page<ImportProblemView>>(`/imports/${id}/problems`, q),
  uploadImport: (unionId: number, file: File) =>
    request<ImportJobView>('POST', `/imports${toQueryString({ union: unionId, fileName: file.name })}`, undefined, { raw: file }),
  commitImport: (id: number, mode: 'all' | 'valid_only') => post<ImportJobView>(`/imports/${id}/commit`, { mode }),
  importTemplateUrl: () => '/api/imports/template',
  enterpriseImports: (q: { page?: number; pageSize?: number } = {}) => get<Page<ImportJobView>>('/enterprise-imports', q),
  uploadEnterpriseImport: (file: File) =>
    request<ImportJobView>('POST', `/enterprise-imports${toQueryString({ fileName: file.name })}`, undefined, { raw: file }),
  enterpriseImportTemplateUrl: () => '/api/enterprise-imports/template',
  importReportUrl: (id: number) => `/api/imports/${id}/report`,

  messages: (q: { unread?: 'true'; page?: number; pageSize?: number }) => get<MessagePage>('/messages', q),
  unreadMessages: () => get<{ unread: number }>('/messages/unread'),
  readMessages: (ids?: number[]) => post<{ changed: number }>('/messages/read', ids ? { ids } : {}),

  audit: (q: AuditQuery) => get<Page<AuditView>>('/audit', q),
  verifyAudit: () => get<ChainCheck[]>('/audit/verify'),
  auditExportUrl: (q: AuditQuery) => `/api/audit/export${toQueryString(q)}`,
}

/** The public (no login) calls of the member app: joining, following an application, verifying a card. */
export const publicApi = {
  workplaces: (q: string) => get<JoiningWorkplace[] | Page<JoiningWorkplace>>('/public/workplaces', { q }),
  apply: (b: In<typeof applicationCreateBody>) => post<ApplicationReceipt>('/public/applications', b),
  /** a one-time code to the mobile number given, to prove it is the applicant's */
  requestCode: (phone: string) => post<JoiningCodeAnswer>('/public/codes', { purpose: 'joining', phone }),
  applicationStatus: (token: string) => get<ApplicationStatusView>('/public/applications/status', { token }, { silent401: true }),
  withdrawApplication: (token: string) => post<ApplicationStatusView>('/public/applications/withdraw', { token }),
  answerApplication: (b: In<typeof applicationAnswerBody>) => post<ApplicationStatusView>('/public/applications/answer', b),
  verifyCard: (token: string) => get<CardVerification>('/cards/verify', { token }, { silent401: true }),
  regions: (parent: string) => get<RegionView[]>('/public/regions', { parent }, { silent401: true }),
}
