/** The calls of activities (活动), through the shared client (its CSRF token, its 401 handling). */
import type { z } from 'zod'
import type { Page } from '../../../../common/api'
import type {
  ActivityDetail,
  ActivityView,
  activityCreateBody,
  activityUpdateBody,
  CheckInAnswer,
  RegistrationView,
} from '../../../../common/activities'
import { request, toQueryString, type Query } from '../../api/client'

const get = <T>(path: string, q?: Query) => request<T>('GET', path + toQueryString(q))

export type ActivityQuery = { status?: string; q?: string; page?: number; pageSize?: number }

export const activitiesApi = {
  list: (q: ActivityQuery) => get<Page<ActivityView>>('/activities', q),
  get: (id: number) => get<ActivityDetail>(`/activities/${id}`),
  create: (b: z.input<typeof activityCreateBody>) => request<ActivityDetail>('POST', '/activities', b),
  update: (id: number, b: z.input<typeof activityUpdateBody>) => request<ActivityDetail>('PATCH', `/activities/${id}`, b),
  publish: (id: number) => request<ActivityDetail>('POST', `/activities/${id}/publish`, {}),
  cancel: (id: number, cancelReason: string) => request<ActivityDetail>('POST', `/activities/${id}/cancel`, { cancelReason }),
  registrations: (id: number, q: { status?: string; page?: number; pageSize?: number }) =>
    get<Page<RegistrationView>>(`/activities/${id}/registrations`, q),
  exportUrl: (id: number) => `/api/activities/${id}/export`,
  checkIn: (id: number, checkInCode: string) => request<CheckInAnswer>('POST', `/activities/${id}/check-in`, { checkInCode }),
}
