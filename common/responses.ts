/**
 * What the API answers, as Zod schemas: on the routes (`response: { 200: … }`), so that
 * /api/openapi.json documents every answer. Each schema is checked against the type the web uses
 * (the interfaces beside the request schemas) by `Checks` below — a field added to one and not the
 * other is a type error — and the route handlers' return types against the schemas by the type
 * provider. The server sends answers as JSON.stringify does (app.ts): a schema documents, it does
 * not filter, so nothing the service returns is dropped (http/responses.test.ts checks answers
 * against their schemas).
 */
import { z } from 'zod'
import type {
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
  MembershipEventView,
  TransferView,
} from './api-members'
import type { MyApplication, MyHome, MySession, MyTransfer, MyTransferTarget } from './api-my'
import type { AuditView, DueReason, EnterpriseStatusEvent, EnterpriseView, OrgDetail, OrgSummary, RegionView, UserView } from './api'
import type {
  CellProblem,
  FormColumn,
  FormInfo,
  FormRow,
  FormTable,
  PlannedUnionView,
  RoundBoard,
  RoundEvent,
  RoundSummary,
  RoundView,
} from './forms'
import type { MessagePage, MessageView } from './messages'
import type { TodoCounts } from './todo'
import type {
  AllocationLevel,
  AllocationRowView,
  PlanDetail,
  PlanMilestoneView,
  PlanProgress,
  PlanSummary,
  PlanTargetView,
  ProgressRow,
  TargetProgress,
} from './plans'
import type {
  OrgRef,
  PeriodFigure,
  RankingRow,
  Ratio,
  SeriesPoint,
  StatsPanel,
  StatsPeriod,
  StatsRanking,
  StatsSeries,
  WorkforceView,
} from './stats'

/** A page of a list (Page<T>). */
export const page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number(),
    /** more than `total`: large lists are counted up to a cap */
    totalCapped: z.boolean().optional(),
  })

/** A file (xlsx, csv): documented as binary; sent as it is, never serialized. */
export const fileAnswer = z.any().meta({ type: 'string', format: 'binary', description: '文件' })

export const userView = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(z.string()),
  orgId: z.number().nullable(),
  orgName: z.string().nullable(),
  active: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  mustChangePassword: z.boolean(),
})
export const mySession = z.object({
  csrfToken: z.string(),
  member: z
    .object({
      id: z.number(),
      name: z.string(),
      unionId: z.number(),
      unionName: z.string().nullable(),
    })
    .nullable(),
  unread: z.number(),
})
export const myApplication = z.object({
  id: z.number(),
  status: z.string(),
  unionName: z.string().nullable(),
  workplace: z.string(),
  createdAt: z.string(),
  dueOn: z.string(),
  reviewNote: z.string().nullable(),
})
export const myTransfer = z.object({
  id: z.number(),
  status: z.string(),
  fromName: z.string().nullable(),
  toName: z.string().nullable(),
  requestedAt: z.string(),
  decisionNote: z.string().nullable(),
  byMe: z.boolean(),
  canCancel: z.boolean(),
})
export const myTransferTarget = z.object({
  enterpriseId: z.number(),
  enterpriseName: z.string(),
  townName: z.string().nullable(),
  unionId: z.number().nullable(),
  unionName: z.string().nullable(),
  route: z.string().nullable(),
  current: z.boolean(),
})
export const myHome = z.object({
  member: z
    .object({
      id: z.number(),
      name: z.string(),
      memberNo: z.string(),
      status: z.string(),
      joinedOn: z.string(),
      unionId: z.number(),
      unionName: z.string(),
      unionChain: z.array(z.string()),
      chairName: z.string().nullable(),
      contactName: z.string().nullable(),
      contactPhone: z.string().nullable(),
      card: z.object({
        token: z.string(),
        validUntil: z.string(),
      }),
      smsOptOut: z.boolean(),
    })
    .nullable(),
  applications: z.array(myApplication),
  transfers: z.array(myTransfer),
  unread: z.number(),
})
export const messageView = z.object({
  id: z.number(),
  kind: z.string(),
  kindLabel: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  createdAt: z.string(),
  read: z.boolean(),
})
export const messagePage = z.object({
  items: z.array(messageView),
  total: z.number(),
  unread: z.number(),
})
export const orgSummary = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  shortName: z.string().nullable(),
  parentId: z.number().nullable(),
  orgType: z.string(),
  orgForm: z.string(),
  status: z.string(),
  regionCode: z.string(),
  isRegional: z.boolean(),
  isIndustryUnion: z.boolean(),
  jointScope: z.string().nullable(),
  jointCategory: z.string().nullable(),
  foundedOn: z.string().nullable(),
  memberCount: z.number(),
  childCount: z.number(),
})
export const orgDetail = orgSummary.extend({
  creditCode: z.string().nullable(),
  path: z.string(),
  industryUnionId: z.number().nullable(),
  industryUnionName: z.string().nullable(),
  parentName: z.string().nullable(),
  regionName: z.string().nullable(),
  foundingMethod: z.string().nullable(),
  prepGroupOn: z.string().nullable(),
  approvalNo: z.string().nullable(),
  chairName: z.string().nullable(),
  chairPhone: z.string().nullable(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  electedOn: z.string().nullable(),
  termYears: z.number().nullable(),
  termEndsOn: z.string().nullable(),
  fulltimeWorkers: z.number(),
  parttimeWorkers: z.number(),
  hasAuditCommittee: z.boolean(),
  hasWomenCommittee: z.boolean(),
  hasLaborSupervision: z.boolean(),
  hasWorkersCongress: z.boolean(),
  hasOpenAffairs: z.boolean(),
  hasCollectiveContract: z.boolean(),
  homeStar: z.number().nullable(),
  femaleCount: z.number(),
  migrantCount: z.number(),
  needyCount: z.number(),
  modelWorkerCount: z.number(),
  dissolvedOn: z.string().nullable(),
  ancestors: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
    }),
  ),
  counts: z.object({
    children: z.number(),
    enterprises: z.number(),
    coveredEnterprises: z.number(),
    coveredWorkers: z.number(),
    dueEnterprises: z.number(),
  }),
})
export const dueReason = z.object({
  code: z.string(),
  label: z.string(),
})
const enterpriseStatus = z.enum(['active', 'deregistered', 'suspended', 'moved_out'])
export const enterpriseView = z.object({
  id: z.number(),
  creditCode: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  regionCode: z.string(),
  regionName: z.string().nullable(),
  townCode: z.string(),
  townName: z.string().nullable(),
  nature: z.string(),
  economicType: z.string().nullable(),
  industry: z.string().nullable(),
  employees: z.number(),
  migrantWorkers: z.number(),
  dispatchedWorkers: z.number(),
  aboveScale: z.boolean(),
  zoneName: z.string().nullable(),
  isPlatform: z.boolean(),
  foundedOn: z.string().nullable(),
  coverage: z.enum(['joint', 'own', 'none']),
  ownUnionId: z.number().nullable(),
  ownUnionName: z.string().nullable(),
  jointUnionId: z.number().nullable(),
  jointUnionName: z.string().nullable(),
  orgId: z.number(),
  dueReasons: z.array(dueReason),
  legalRep: z.string().nullable(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  status: enterpriseStatus,
  closedOn: z.string().nullable(),
})
export const enterpriseStatusEvent = z.object({
  status: enterpriseStatus,
  effectiveOn: z.string(),
  note: z.string().nullable(),
  actorName: z.string().nullable(),
  at: z.string(),
})
export const regionView = z.object({
  code: z.string(),
  name: z.string(),
  parentCode: z.string().nullable(),
  level: z.number(),
})
export const auditView = z.object({
  id: z.number(),
  chainId: z.string(),
  at: z.string(),
  actorName: z.string().nullable(),
  ip: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  targetName: z.string().nullable(),
  detail: z.unknown(),
})
export const memberView = z.object({
  id: z.number(),
  memberNo: z.string(),
  name: z.string(),
  gender: z.string(),
  ethnicity: z.string().nullable(),
  birthDateKnown: z.boolean(),
  documentType: z.string(),
  documentNumber: z.string(),
  phone: z.string().nullable(),
  education: z.string().nullable(),
  politicalStatus: z.string().nullable(),
  employmentStatus: z.string(),
  skillLevel: z.string().nullable(),
  householdType: z.string().nullable(),
  householdPlace: z.string().nullable(),
  isMigrant: z.boolean(),
  enterpriseId: z.number().nullable(),
  workplace: z.string().nullable(),
  jobTitle: z.string().nullable(),
  isModelWorker: z.boolean(),
  occupation: z.string().nullable(),
  unionId: z.number(),
  unionName: z.string().nullable(),
  status: z.string(),
  joinedOn: z.string(),
  leftOn: z.string().nullable(),
  quality: z.string(),
})
export const memberSummary = z.object({
  byStatus: z.record(z.string(), z.number()),
  ok: z.number(),
  reported: z.number(),
  newEmployment: z.number(),
})
export const membershipEventView = z.object({
  id: z.number(),
  eventType: z.string(),
  reason: z.string().nullable(),
  occurredOn: z.string(),
  unionId: z.number(),
  unionName: z.string().nullable(),
  transferId: z.number().nullable(),
})
export const transferView = z.object({
  id: z.number(),
  memberId: z.number(),
  memberName: z.string(),
  documentNumber: z.string(),
  fromUnionId: z.number(),
  fromUnionName: z.string().nullable(),
  toUnionId: z.number(),
  toUnionName: z.string().nullable(),
  requestedBy: z.string(),
  status: z.string(),
  reason: z.string().nullable(),
  note: z.string().nullable(),
  decisionNote: z.string().nullable(),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  canAccept: z.boolean(),
  canReject: z.boolean(),
  canCancel: z.boolean(),
})
export const memberDetail = memberView.extend({
  events: z.array(membershipEventView),
  openTransfer: transferView.nullable(),
})
export const importJobView = z.object({
  id: z.number(),
  kind: z.enum(['roster', 'enterprise']),
  unionId: z.number(),
  unionName: z.string().nullable(),
  fileName: z.string(),
  status: z.enum(['done', 'checking', 'checked', 'importing', 'failed']),
  mode: z.enum(['all', 'valid_only']).nullable(),
  totalRows: z.number(),
  validRows: z.number(),
  errorRows: z.number(),
  existingRows: z.number(),
  elsewhereRows: z.number(),
  importedRows: z.number(),
  processedRows: z.number(),
  rate: z.number().nullable(),
  secondsLeft: z.number().nullable(),
  message: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
})
export const importProblemView = z.object({
  rowNo: z.number(),
  column: z.string(),
  kind: z.string(),
  message: z.string(),
  canTransfer: z.boolean(),
})
export const joiningWorkplace = z.object({
  id: z.number(),
  name: z.string(),
  townCode: z.string(),
  townName: z.string().nullable(),
  hasUnion: z.boolean(),
})
export const applicationStatusView = z.object({
  id: z.number(),
  status: z.string(),
  route: z.string(),
  unionName: z.string(),
  dueOn: z.string(),
  reviewNote: z.string().nullable(),
  memberNo: z.string().nullable(),
  createdAt: z.string(),
  cardToken: z.string().nullable(),
  kind: z.enum(['transfer', 'application']),
  infoAnswer: z.string().nullable(),
  infoAnsweredAt: z.string().nullable(),
  canWithdraw: z.boolean(),
  canAnswer: z.boolean(),
  joinedOn: z.string().nullable(),
})
export const applicationView = z.object({
  id: z.number(),
  name: z.string(),
  gender: z.string(),
  birthDateKnown: z.boolean(),
  documentType: z.string(),
  documentNumber: z.string(),
  phone: z.string(),
  enterpriseId: z.number().nullable(),
  workplace: z.string(),
  residenceRegion: z.string().nullable(),
  occupation: z.string().nullable(),
  route: z.string(),
  unionId: z.number(),
  unionName: z.string().nullable(),
  status: z.string(),
  dueOn: z.string(),
  overdue: z.boolean(),
  applicantNote: z.string().nullable(),
  reviewNote: z.string().nullable(),
  infoAnswer: z.string().nullable(),
  infoAnsweredAt: z.string().nullable(),
  createdAt: z.string(),
  memberId: z.number().nullable(),
})
export const cardView = z.object({
  memberNo: z.string(),
  name: z.string(),
  unionName: z.string(),
  joinedOn: z.string(),
  status: z.string(),
  token: z.string(),
})
export const cardVerification = z.object({
  valid: z.boolean(),
  reason: z.string().nullable(),
  memberNo: z.string().nullable(),
  unionName: z.string().nullable(),
  status: z.string().nullable(),
})
export const orgRef = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  path: z.string().optional(),
})
export const ratio = z.object({
  key: z.string(),
  label: z.string(),
  group: z.enum(['member', 'org', 'quality', 'union_rate', 'member_rate', 'new_employment', 'flow', 'activity']),
  numerator: z.number(),
  denominator: z.number().nullable(),
  note: z.string().optional(),
})
export const statsPanel = z.object({
  org: orgRef,
  asOf: z.string(),
  hierarchy: z.enum(['geo', 'industry']),
  memberRateBasis: z.enum(['all', 'covered']),
  indicators: z.array(ratio),
  jointByCategory: z.array(
    z.object({
      category: z.string(),
      label: z.string(),
      committees: z.number(),
      federations: z.number(),
      members: z.number(),
      employees: z.number(),
      enterprises: z.number(),
      workers: z.number(),
    }),
  ),
  jointByScope: z.array(
    z.object({
      scope: z.string(),
      label: z.string(),
      count: z.number(),
    }),
  ),
})
export const rankingRow = z.object({
  org: orgRef,
  numerator: z.number(),
  denominator: z.number().nullable(),
  rate: z.number().nullable(),
  rank: z.number(),
  lagging: z.boolean(),
})
export const statsRanking = z.object({
  org: orgRef,
  asOf: z.string(),
  indicator: z.object({
    key: z.string(),
    label: z.string(),
  }),
  rows: z.array(rankingRow),
  laggingRule: z.string(),
})
export const seriesPoint = z.object({
  date: z.string(),
  members: z.number(),
  joined: z.number(),
  left: z.number(),
  unions: z.number(),
})
export const statsSeries = z.object({
  org: orgRef,
  grain: z.string(),
  points: z.array(seriesPoint),
})
export const periodFigure = z.object({
  key: z.string(),
  label: z.string(),
  current: z.number(),
  previous: z.number(),
  change: z.number(),
  changeRate: z.number().nullable(),
})
export const statsPeriod = z.object({
  org: orgRef,
  kind: z.enum(['year', 'month', 'quarter']),
  current: z.object({
    from: z.string(),
    to: z.string(),
  }),
  previous: z.object({
    from: z.string(),
    to: z.string(),
  }),
  figures: z.array(periodFigure),
})
export const workforceView = z.object({
  id: z.number(),
  orgId: z.number(),
  orgName: z.string(),
  platformName: z.string(),
  occupation: z.string(),
  workers: z.number(),
  asOf: z.string(),
  note: z.string().nullable(),
})
export const planSummary = z.object({
  id: z.number(),
  org: orgRef,
  name: z.string(),
  docNo: z.string().nullable(),
  startOn: z.string(),
  endOn: z.string(),
  targetCount: z.number(),
  milestoneCount: z.number(),
  editable: z.boolean(),
  updatedAt: z.string(),
})
export const planTargetView = z.object({
  key: z.string(),
  kind: z.enum(['count', 'rate']),
  label: z.string(),
  unit: z.string(),
  value: z.number(),
  note: z.string().nullable(),
})
export const planMilestoneView = z.object({
  dueOn: z.string(),
  share: z.number(),
  label: z.string().nullable(),
})
export const planDetail = planSummary.extend({
  note: z.string().nullable(),
  targets: z.array(planTargetView),
  milestones: z.array(planMilestoneView),
})
export const allocationRowView = z.object({
  org: orgRef,
  values: z.record(z.string(), z.number().nullable()),
  note: z.string().nullable(),
  childMismatch: z.array(z.string()),
  basis: z.object({ due: z.number(), workers: z.number(), members: z.number() }),
})
export const allocationLevel = z.object({
  parent: orgRef,
  totals: z.record(z.string(), z.number().nullable()),
  rows: z.array(allocationRowView),
  editable: z.boolean(),
})
export const targetProgress = z.object({
  key: z.string(),
  kind: z.enum(['count', 'rate']),
  label: z.string(),
  unit: z.string(),
  target: z.number().nullable(),
  expected: z.number().nullable(),
  numerator: z.number(),
  denominator: z.number().nullable(),
  rate: z.number().nullable(),
  status: z.enum(['none', 'met', 'unmet', 'behind', 'nodata']),
})
export const progressRow = z.object({
  org: orgRef,
  targets: z.array(targetProgress),
  completion: z.number().nullable(),
  rank: z.number().nullable(),
  lagging: z.boolean(),
  behind: z.boolean(),
})
export const planProgress = z.object({
  plan: planSummary,
  org: orgRef,
  asOf: z.string(),
  window: z.object({
    from: z.string(),
    to: z.string(),
  }),
  milestone: z.object({
    passed: planMilestoneView.nullable(),
    next: planMilestoneView.nullable(),
    expectedShare: z.number(),
  }),
  own: z.array(targetProgress),
  rows: z.array(progressRow),
  rankBy: z.object({
    key: z.string(),
    label: z.string(),
  }),
  laggingRule: z.string(),
})
export const formInfo = z.object({
  code: z.string(),
  label: z.string(),
  editable: z.boolean(),
})
export const formColumn = z.object({
  key: z.string(),
  label: z.string(),
  kind: z.enum(['count', 'text']),
  width: z.number().optional(),
})
export const formRow = z.object({
  key: z.string(),
  caption: z.string(),
  cells: z.array(z.union([z.string(), z.number()]).nullable()),
})
export const formTable = z.object({
  form: z.string(),
  attachment: z.string().optional(),
  title: z.string(),
  filler: z.string().nullable(),
  asOf: z.string().nullable(),
  org: z.object({
    id: z.number(),
    code: z.string(),
    name: z.string(),
  }),
  captionHeader: z.string(),
  columns: z.array(formColumn),
  rows: z.array(formRow),
  total: z.object({
    caption: z.string(),
    cells: z.array(z.union([z.string(), z.number()]).nullable()),
  }),
  notes: z.array(z.string()),
  editable: z.boolean(),
  paper: z.enum(['a4-portrait', 'a3-landscape']).optional(),
  groups: z.array(z.object({ label: z.string(), span: z.number() })).optional(),
})
export const plannedUnionView = z.object({
  id: z.number(),
  orgId: z.number(),
  orgName: z.string(),
  name: z.string(),
  category: z.string(),
  jointForm: z.enum(['joint_committee', 'joint_federation']),
  members: z.number(),
  employees: z.number(),
  enterprises: z.number(),
  workers: z.number(),
  plannedOn: z.string().nullable(),
  declaredOn: z.string(),
  note: z.string().nullable(),
  updatedAt: z.string(),
})
export const roundSummary = z.object({
  id: z.number(),
  form: z.string(),
  formLabel: z.string(),
  orgId: z.number(),
  orgName: z.string(),
  asOf: z.string(),
  status: z.enum(['approved', 'draft', 'submitted', 'returned']),
  comment: z.string().nullable(),
  submittedAt: z.string().nullable(),
  decidedAt: z.string().nullable(),
  updatedAt: z.string(),
  canEdit: z.boolean(),
  canSubmit: z.boolean(),
  canDecide: z.boolean(),
  deadline: z.string().nullable(),
  state: z.enum(['open', 'submitted', 'approved', 'returned', 'overdue']),
})
export const cellProblem = z.object({
  row: z.string(),
  rowCaption: z.string(),
  column: z.string(),
  columnLabel: z.string(),
  message: z.string(),
})
const roundBatch = z.object({
  form: z.string(),
  formLabel: z.string(),
  asOf: z.string(),
  units: z.number(),
  overdue: z.number(),
  deadline: z.string().nullable(),
  lastDeadline: z.string().nullable(),
})
export const todoCounts = z.object({
  applications: z.number(),
  overdueApplications: z.number(),
  transfers: z.number(),
  roundsToSubmit: z.number(),
  overdueRoundsToSubmit: z.number(),
  roundsToApprove: z.number(),
  overdueRoundsBelow: z.number(),
  unreadMessages: z.number(),
  menu: z.record(z.string(), z.number()),
})
export const roundBoard = z.object({
  batches: z.array(roundBatch),
  batch: roundBatch.nullable(),
  today: z.string(),
  counts: z.object({ open: z.number(), submitted: z.number(), approved: z.number(), returned: z.number(), overdue: z.number() }),
  items: z.array(
    z.object({
      id: z.number(),
      orgId: z.number(),
      orgName: z.string(),
      status: z.enum(['approved', 'draft', 'submitted', 'returned']),
      state: z.enum(['open', 'submitted', 'approved', 'returned', 'overdue']),
      deadline: z.string().nullable(),
      submittedAt: z.string().nullable(),
      decidedAt: z.string().nullable(),
      comment: z.string().nullable(),
      remindedOn: z.string().nullable(),
      reminders: z.number(),
      canRemind: z.boolean(),
    }),
  ),
  canSetDeadline: z.boolean(),
})
export const roundEvent = z.object({
  action: z.string(),
  actorName: z.string().nullable(),
  comment: z.string().nullable(),
  at: z.string(),
})
export const roundView = roundSummary.extend({
  editable: z.boolean(),
  table: formTable,
  problems: z.array(cellProblem),
  history: z.array(roundEvent),
})

// ── answers without an interface of their own ─────────────────────────────────
export const health = z.object({ ok: z.boolean() })
export const authMe = z.object({
  user: userView,
  csrfToken: z.string(),
  scope: z.object({ orgId: z.number(), orgName: z.string().nullable() }).nullable(),
})
export const unreadCount = z.object({ unread: z.number() })
export const orgDirectory = z.array(z.object({ id: z.number(), code: z.string(), name: z.string(), regionCode: z.string() }))
export const userOrgOptions = z.array(z.object({ id: z.number(), code: z.string(), name: z.string(), region_code: z.string() }))
export const dueSummary = z.object({
  total: z.number(),
  workers: z.number(),
  bySizeBand: z.array(
    z.object({
      code: z.enum(['lt25', '25to49', '50to99', '100to299', '300plus']),
      label: z.enum(['25人以下', '25-49人', '50-99人', '100-299人', '300人以上']),
      count: z.number(),
    }),
  ),
  byTown: z.array(z.object({ code: z.string(), label: z.string(), count: z.number(), workers: z.number() })),
  byReason: z.array(z.object({ code: z.string(), label: z.string(), count: z.number() })),
})
export const publicConfig = z.object({
  cityCode: z.string().nullable(),
  cityName: z.string().nullable(),
  /** the demo's member to sign in as (会员端), null outside the demo */
  demoMemberPhone: z.string().nullable(),
})
export const regionRule = z.object({
  regionCode: z.string(),
  own: z.boolean(),
  rule: z.object({
    ownUnionMinEmployees: z.number(),
    graceMonths: z.number(),
    largeMinEmployees: z.number(),
    zoneMinEmployees: z.number(),
  }),
})
export const auditChainReports = z.array(
  z.object({
    chainId: z.string(),
    entries: z.number(),
    ok: z.boolean(),
    problems: z.array(
      z.object({
        id: z.number(),
        seq: z.number().nullable(),
        at: z.string().optional(),
        action: z.string().optional(),
        problem: z.string(),
      }),
    ),
    firstBad: z.object({ id: z.number(), problem: z.string() }).optional(),
  }),
)
export const jointUnions = z.object({
  org: orgRef,
  category: z.string().nullable(),
  items: z.array(
    z.object({
      id: z.number(),
      code: z.string(),
      name: z.string(),
      parentName: z.string().nullable(),
      orgForm: z.string(),
      jointScope: z.string().nullable(),
      jointCategory: z.string().nullable(),
      foundedOn: z.string().nullable(),
      members: z.number(),
      enterprises: z.number(),
      employees: z.number(),
      unionWorkers: z.number(),
    }),
  ),
})
export const statsSettings = z.object({
  memberRateBasis: z.enum(['all', 'covered']),
  bases: z.array(z.object({ code: z.enum(['all', 'covered']), label: z.string(), note: z.string() })).readonly(),
})
/** lists answered whole, not paged */
export const plannedUnionList = z.object({ items: z.array(plannedUnionView), total: z.number() })
export const roundList = z.object({ items: z.array(roundSummary), total: z.number() })

// ── every schema is the type the web uses, field for field ─────────────────────
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
export type Checks = [
  Same<z.output<typeof userView>, UserView>,
  Same<z.output<typeof mySession>, MySession>,
  Same<z.output<typeof myApplication>, MyApplication>,
  Same<z.output<typeof myTransfer>, MyTransfer>,
  Same<z.output<typeof myTransferTarget>, MyTransferTarget>,
  Same<z.output<typeof myHome>, MyHome>,
  Same<z.output<typeof messageView>, MessageView>,
  Same<z.output<typeof messagePage>, MessagePage>,
  Same<z.output<typeof orgSummary>, OrgSummary>,
  Same<z.output<typeof orgDetail>, OrgDetail>,
  Same<z.output<typeof dueReason>, DueReason>,
  Same<z.output<typeof enterpriseView>, EnterpriseView>,
  Same<z.output<typeof regionView>, RegionView>,
  Same<z.output<typeof auditView>, AuditView>,
  Same<z.output<typeof memberView>, MemberView>,
  Same<z.output<typeof memberSummary>, MemberSummary>,
  Same<z.output<typeof membershipEventView>, MembershipEventView>,
  Same<z.output<typeof transferView>, TransferView>,
  Same<z.output<typeof memberDetail>, MemberDetail>,
  Same<z.output<typeof importJobView>, ImportJobView>,
  Same<z.output<typeof importProblemView>, ImportProblemView>,
  Same<z.output<typeof joiningWorkplace>, JoiningWorkplace>,
  Same<z.output<typeof applicationStatusView>, ApplicationStatusView>,
  Same<z.output<typeof applicationView>, ApplicationView>,
  Same<z.output<typeof cardView>, CardView>,
  Same<z.output<typeof cardVerification>, CardVerification>,
  Same<z.output<typeof orgRef>, OrgRef>,
  Same<z.output<typeof ratio>, Ratio>,
  Same<z.output<typeof statsPanel>, StatsPanel>,
  Same<z.output<typeof rankingRow>, RankingRow>,
  Same<z.output<typeof statsRanking>, StatsRanking>,
  Same<z.output<typeof seriesPoint>, SeriesPoint>,
  Same<z.output<typeof statsSeries>, StatsSeries>,
  Same<z.output<typeof periodFigure>, PeriodFigure>,
  Same<z.output<typeof statsPeriod>, StatsPeriod>,
  Same<z.output<typeof workforceView>, WorkforceView>,
  Same<z.output<typeof planSummary>, PlanSummary>,
  Same<z.output<typeof planTargetView>, PlanTargetView>,
  Same<z.output<typeof planMilestoneView>, PlanMilestoneView>,
  Same<z.output<typeof planDetail>, PlanDetail>,
  Same<z.output<typeof allocationRowView>, AllocationRowView>,
  Same<z.output<typeof allocationLevel>, AllocationLevel>,
  Same<z.output<typeof targetProgress>, TargetProgress>,
  Same<z.output<typeof progressRow>, ProgressRow>,
  Same<z.output<typeof planProgress>, PlanProgress>,
  Same<z.output<typeof formInfo>, FormInfo>,
  Same<z.output<typeof formColumn>, FormColumn>,
  Same<z.output<typeof formRow>, FormRow>,
  Same<z.output<typeof formTable>, FormTable>,
  Same<z.output<typeof plannedUnionView>, PlannedUnionView>,
  Same<z.output<typeof roundSummary>, RoundSummary>,
  Same<z.output<typeof cellProblem>, CellProblem>,
  Same<z.output<typeof roundEvent>, RoundEvent>,
  Same<z.output<typeof roundView>, RoundView>,
  Same<z.output<typeof roundBoard>, RoundBoard>,
  Same<z.output<typeof todoCounts>, TodoCounts>,
  Same<z.output<typeof enterpriseStatusEvent>, EnterpriseStatusEvent>,
] extends true[]
  ? true
  : never
export const checked: Checks = true
