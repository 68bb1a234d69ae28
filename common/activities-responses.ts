/**
 * What the activity routes answer (活动), as Zod schemas for `response: { 200: … }` (see
 * common/responses.ts): each checked against the type the web uses, field for field.
 */
import { z } from 'zod'
import { page } from './responses.js'
import type { ActivityDetail, ActivityView, MyActivities, MyActivity, RegistrationView } from './activities.js'

const audience = z.enum(['own', 'subtree', 'covered'])
const origin = z.enum(['proposal', 'suggestion', 'plan'])
const activityStatus = z.enum(['draft', 'published', 'cancelled'])
const registrationStatus = z.enum(['registered', 'waiting', 'cancelled'])

export const activityView = z.object({
  id: z.number(),
  orgId: z.number(),
  orgName: z.string(),
  title: z.string(),
  body: z.string(),
  place: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number(),
  signupOpens: z.string(),
  signupCloses: z.string(),
  cancelDeadline: z.string(),
  audience,
  origin,
  proposalId: z.number().nullable(),
  status: activityStatus,
  cancelReason: z.string().nullable(),
  registered: z.number(),
  waiting: z.number(),
  publishedAt: z.string().nullable(),
})
export const activityDetail = activityView.extend({
  attended: z.number(),
  ratings: z.object({ count: z.number(), average: z.number().nullable(), byScore: z.array(z.number()) }),
  mayCheckIn: z.boolean(),
  mayEdit: z.boolean(),
})
export const registrationView = z.object({
  id: z.number(),
  memberName: z.string(),
  unionName: z.string(),
  status: registrationStatus,
  position: z.number(),
  waitlistPlace: z.number().nullable(),
  createdAt: z.string(),
  checkedInAt: z.string().nullable(),
  rating: z.number().nullable(),
  comment: z.string().nullable(),
})
export const myActivity = z.object({
  id: z.number(),
  title: z.string(),
  body: z.string(),
  place: z.string(),
  orgName: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  signupOpens: z.string(),
  signupCloses: z.string(),
  cancelDeadline: z.string(),
  capacity: z.number(),
  registered: z.number(),
  waiting: z.number(),
  status: activityStatus,
  cancelReason: z.string().nullable(),
  origin,
  mine: z
    .object({
      status: registrationStatus,
      waitlistPlace: z.number().nullable(),
      code: z.string().nullable(),
      checkedInAt: z.string().nullable(),
      rating: z.number().nullable(),
      comment: z.string().nullable(),
    })
    .nullable(),
})
export const myActivities = z.object({ open: z.array(myActivity), mine: z.array(myActivity) })
export const activityPage = page(activityView)
export const registrationPage = page(registrationView)

type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
export type ActivityChecks = [
  Same<z.output<typeof activityView>, ActivityView>,
  Same<z.output<typeof activityDetail>, ActivityDetail>,
  Same<z.output<typeof registrationView>, RegistrationView>,
  Same<z.output<typeof myActivity>, MyActivity>,
  Same<z.output<typeof myActivities>, MyActivities>,
] extends true[]
  ? true
  : never
export const activitiesChecked: ActivityChecks = true
