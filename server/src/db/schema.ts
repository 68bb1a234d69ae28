import type { ColumnType, Generated } from 'kysely'
import type { FormTable } from '../../../common/forms.js'

/** Row types of the tables in migrations/, as Kysely sees them. Dates are 'YYYY-MM-DD' strings. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type DefaultedBool = ColumnType<boolean, boolean | undefined, boolean>
type DefaultedInt = ColumnType<number, number | undefined, number>

export interface RegionTable {
  code: string
  name: string
  parent_code: string | null
  level: number
}

export interface OrgTable {
  id: ColumnType<number, number, never>
  code: string
  name: string
  short_name: string | null
  credit_code: string | null
  parent_id: number | null
  path: string
  industry_union_id: number | null
  industry_path: string | null
  org_type: string
  org_form: string
  is_regional: DefaultedBool
  is_industry_union: DefaultedBool
  region_code: string
  joint_scope: string | null
  joint_category: string | null
  status: ColumnType<string, string | undefined, string>
  founded_on: string | null
  founding_method: string | null
  prep_group_on: string | null
  approval_no: string | null
  chair_name: string | null
  chair_phone_enc: string | null
  contact_name: string | null
  contact_phone_enc: string | null
  elected_on: string | null
  term_years: number | null
  fulltime_workers: DefaultedInt
  parttime_workers: DefaultedInt
  has_audit_committee: DefaultedBool
  has_women_committee: DefaultedBool
  has_labor_supervision: DefaultedBool
  has_workers_congress: DefaultedBool
  has_open_affairs: DefaultedBool
  has_collective_contract: DefaultedBool
  home_star: number | null
  female_count: DefaultedInt
  migrant_count: DefaultedInt
  needy_count: DefaultedInt
  model_worker_count: DefaultedInt
  member_count: DefaultedInt
  covered_enterprises: ColumnType<number, never, number>
  covered_employees: ColumnType<number, never, number>
  dissolved_on: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface OrgHistoryTable {
  org_id: number
  valid_from: string
  valid_to: string | null
  parent_id: number | null
  path: string
  industry_union_id: number | null
  industry_path: string | null
  code: string
  name: string
  org_type: string
  org_form: string
  region_code: string
  joint_category: string | null
  status: string
}

export interface OrgCodeSeqTable {
  region_code: string
  last_value: number
}

export interface RegionRuleTable {
  region_code: string
  own_union_min_employees: number
  grace_months: number
  large_min_employees: number
  zone_min_employees: number
  updated_at: Timestamp
}

export interface TownRuleView {
  town_code: string
  own_union_min_employees: number
  grace_months: number
  large_min_employees: number
  zone_min_employees: number
}

export interface EnterpriseTable {
  id: Generated<number>
  credit_code: string
  name: string
  address: string | null
  region_code: string
  town_code: string
  nature: string
  economic_type: string | null
  industry: string | null
  employees: DefaultedInt
  migrant_workers: DefaultedInt
  dispatched_workers: DefaultedInt
  above_scale: DefaultedBool
  zone_name: string | null
  is_platform: DefaultedBool
  founded_on: string | null
  own_union_id: number | null
  joint_union_id: number | null
  coverage: ColumnType<'own' | 'joint' | 'none', never, never>
  org_id: number
  org_path: string
  member_count: ColumnType<number, never, number>
  created_at: Timestamp
  updated_at: Timestamp
  legal_rep_enc: string | null
  contact_name_enc: string | null
  contact_phone_enc: string | null
  status: ColumnType<string, string | undefined, string>
  closed_on: string | null
  counted_from: ColumnType<string, string | undefined, string>
}

export interface EnterpriseStatusEventTable {
  id: Generated<number>
  enterprise_id: number
  org_path: string
  status: string
  effective_on: string
  note: string | null
  actor_id: number | null
  actor_name: string | null
  at: Timestamp
}

export interface EnterpriseRegisterView extends Omit<EnterpriseTable, 'id' | 'coverage'> {
  id: number
  coverage: 'own' | 'joint' | 'none'
  due_reasons: string[]
  own_union_min_employees: number
  large_min_employees: number
  zone_min_employees: number
  grace_months: number
}

export interface AppUserTable {
  id: Generated<number>
  username: string
  display_name: string
  password_hash: string
  roles: ColumnType<string[], string[] | undefined, string[]>
  org_id: number | null
  active: DefaultedBool
  failed_logins: DefaultedInt
  locked_until: Date | null
  last_login_at: Date | null
  created_at: Timestamp
  updated_at: Timestamp
  must_change_password: DefaultedBool
  password_changed_at: Date | null
}

export interface LoginAddressTable {
  user_id: number
  ip: string
  last_success_at: Timestamp
}

export interface AppSessionTable {
  token_hash: string
  user_id: number
  csrf_token: string
  created_at: Timestamp
  last_seen_at: Timestamp
  ip: string | null
}

export interface AuditChainTable {
  chain_id: string
  last_id: number | null
  last_hash: string
  last_seq: Generated<number>
}

export interface AuditLogTable {
  id: Generated<number>
  chain_id: string
  at: Date
  actor_id: number | null
  actor_name: string | null
  ip: string | null
  action: string
  target_type: string | null
  target_id: string | null
  target_name: string | null
  scope_path: string | null
  detail: unknown
  prev_hash: string
  hash: string
  /** position in its chain, 1, 2, 3 …: a deleted entry leaves a gap */
  seq: number
  /** the key the entry is sealed with (HMAC); null only for an entry written before 0015 and not yet re-sealed */
  key_id: string | null
  /** a re-sealed entry's unkeyed hash from before 0015 */
  legacy_hash: string | null
  /** what the unkeyed check found wrong with it when it was re-sealed (null: nothing) */
  legacy_problem: string | null
}

export interface KeyCheckTable {
  kind: 'pii' | 'hash'
  key_id: string
  check_value: string
  created_at: Generated<Date>
}

/** A person's document and birth date as sealed (members/identity.ts): the same columns in member and application. */
interface SealedDocumentColumns {
  /** legacy, emptied by 0013 and sealBirthDates: never written (the birth date is birth_enc, or derived from the document) */
  birth_date: ColumnType<string | null, never, null>
  /** the birth date, encrypted, only for a document that does not encode it (a 身份证 does) */
  birth_enc: string | null
  document_type: string
  document_enc: string
  document_hash: string
  document_masked: string
}

export interface MemberTable extends SealedDocumentColumns {
  id: Generated<number>
  member_no: string
  name: string
  gender: string
  ethnicity: string | null
  phone_enc: string | null
  phone_hash: string | null
  phone_masked: string | null
  education: string | null
  political_status: string | null
  employment_status: ColumnType<string, string | undefined, string>
  skill_level: string | null
  household_type: string | null
  household_place: string | null
  is_migrant: DefaultedBool
  enterprise_id: number | null
  workplace: string | null
  job_title: string | null
  is_model_worker: DefaultedBool
  occupation: string | null
  union_id: number
  org_path: string
  status: ColumnType<string, string | undefined, string>
  joined_on: string
  left_on: string | null
  quality: ColumnType<string, string | undefined, string>
  consent_at: Date | null
  import_job_id: number | null
  created_at: Timestamp
  updated_at: Timestamp
  /** 0019: the member prefers no SMS (in-app messages stay) */
  sms_opt_out: ColumnType<boolean, boolean | undefined, boolean>
}

export interface MembershipEventTable {
  id: Generated<number>
  member_id: number
  union_id: number
  org_path: string
  event_type: string
  reason: string | null
  occurred_on: string
  transfer_id: number | null
  actor_id: number | null
  created_at: Timestamp
}

export interface TransferTable {
  id: Generated<number>
  member_id: number
  member_name: string
  document_masked: string
  from_union_id: number
  from_path: string
  to_union_id: number
  to_path: string
  requested_by: string
  status: ColumnType<string, string | undefined, string>
  reason: string | null
  note: string | null
  decision_note: string | null
  requested_at: Timestamp
  decided_at: Date | null
  decided_by: number | null
}

export interface ApplicationTable extends SealedDocumentColumns {
  id: Generated<number>
  token_hash: string
  name: string
  gender: string
  phone_enc: string
  phone_hash: string
  phone_masked: string
  enterprise_id: number | null
  workplace: string
  residence_region: string | null
  occupation: string | null
  route: string
  union_id: number
  org_path: string
  status: ColumnType<string, string | undefined, string>
  due_on: string
  consent_privacy_at: Date
  consent_sensitive_at: Date
  applicant_note: string | null
  review_note: string | null
  /** the applicant's answer to 需补充材料 (0011_joining_more.sql) */
  info_answer: ColumnType<string | null, string | null | undefined, string | null>
  info_answered_at: ColumnType<Date | null, Date | null | undefined, Date | null>
  reviewed_by: number | null
  reviewed_at: Date | null
  member_id: number | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ImportJobTable {
  id: Generated<number>
  union_id: number
  org_path: string
  file_name: string
  file_sha256: string
  file_path: string
  status: ColumnType<string, string | undefined, string>
  mode: string | null
  total_rows: DefaultedInt
  valid_rows: DefaultedInt
  error_rows: DefaultedInt
  existing_rows: DefaultedInt
  elsewhere_rows: DefaultedInt
  imported_rows: DefaultedInt
  processed_rows: DefaultedInt
  message: string | null
  created_by: number | null
  created_at: Timestamp
  started_at: Date | null
  finished_at: Date | null
  file_format: ColumnType<string, string | undefined, string>
  encoding: ColumnType<string, string | undefined, string>
  file_size: ColumnType<number, number | undefined, number>
  checked_at: Date | null
  /** what the file imports: the member roster or the enterprise register */
  kind: ColumnType<'roster' | 'enterprise', 'roster' | 'enterprise' | undefined, 'roster' | 'enterprise'>
}

export interface ImportProblemTable {
  job_id: number
  row_no: number
  column_name: ColumnType<string, string | undefined, string>
  kind: string
  message: string
  org_path: string
  /** a member elsewhere: their document hash, for a transfer asked from the list */
  document_hash: string | null
}

export interface StatTotalTable {
  node_id: number
  h: string
  metric: string
  value: ColumnType<number, never, never>
}

export interface StatDayTable {
  node_id: number
  h: string
  day: string
  metric: string
  delta: ColumnType<number, never, never>
}

/** The daily changes summed by month (grain 'm') and by year ('y'), kept by triggers on stat_day (0028). */
export interface StatPeriodTable {
  node_id: number
  h: string
  grain: 'm' | 'y'
  start: string
  metric: string
  delta: ColumnType<number, never, never>
}

export interface StatSettingTable {
  key: string
  value: string
  updated_at: Timestamp
}

export interface PlatformWorkforceTable {
  id: Generated<number>
  org_id: number
  org_path: string
  platform_name: string
  occupation: string
  workers: number
  as_of: string
  note: string | null
  created_by: number | null
  created_at: Timestamp
}

export interface OneTimeCodeTable {
  id: Generated<number>
  purpose: string
  subject: string
  code_hash: string
  phone_hash: string | null
  ip: string | null
  expires_at: Timestamp
  tries: DefaultedInt
  used_at: Date | string | null
  created_at: Timestamp
}

export interface SmsOutboxTable {
  id: Generated<number>
  phone_enc: string
  phone_masked: string
  body_enc: string
  created_at: Timestamp
  sent_at: Date | string | null
}

/** 0019_member_accounts.sql: a phone's session (会员端), 30 days, revocable */
export interface MemberSessionTable {
  token_hash: string
  phone_hash: string
  member_id: number | null
  csrf_token: string
  ip: string | null
  created_at: Timestamp
  last_seen_at: Timestamp
  expires_at: Date | string
  revoked_at: Date | string | null
}

/** 0019_member_accounts.sql: an in-app message to a member or to a union's cadres */
export interface MessageTable {
  id: Generated<number>
  org_path: string
  member_id: number | null
  org_id: number | null
  kind: string
  title: string
  body: string
  link: string | null
  created_at: Timestamp
  read_at: Date | string | null
}

/** 0021_activities.sql */
export interface ActivityTable {
  id: Generated<number>
  org_id: number
  org_path: string
  title: string
  body: ColumnType<string, string | undefined, string>
  place: string
  starts_at: Timestamp
  ends_at: Timestamp
  capacity: number
  signup_opens: Timestamp
  signup_closes: Timestamp
  cancel_deadline: Timestamp
  audience: string
  origin: string
  proposal_id: number | null
  status: ColumnType<string, string | undefined, string>
  cancel_reason: string | null
  registered_count: DefaultedInt
  waiting_count: DefaultedInt
  signup_seq: DefaultedInt
  warned_80: DefaultedBool
  warned_100: DefaultedBool
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
  published_at: Date | string | null
}

export interface ActivityRegistrationTable {
  id: Generated<number>
  activity_id: number
  member_id: number
  org_path: string
  /** where the member was a member when they signed up (0024; set by a trigger on insert) */
  member_path: ColumnType<string, string | undefined, string>
  member_name: string
  union_name: ColumnType<string, string | undefined, string>
  status: string
  position: number
  created_at: Timestamp
  updated_at: Timestamp
  cancelled_at: Date | string | null
  promoted_at: Date | string | null
  checked_in_at: Date | string | null
  checked_in_by: number | null
  rating: number | null
  comment: string | null
  rated_at: Date | string | null
}

/** 0022_proposals.sql */
export interface ProposalRuleTable {
  org_id: number
  org_path: string
  level: string
  threshold: number
  answer_days: number
  period_days: number
  updated_at: Timestamp
}
export interface ProposalTable {
  id: Generated<number>
  org_id: number
  org_path: string
  author_id: number
  title: string
  body: string
  category: string
  status: ColumnType<string, string | undefined, string>
  threshold: number
  answer_days: number
  closes_on: string
  supports_count: DefaultedInt
  created_at: Timestamp
  updated_at: Timestamp
  frozen_at: Date | string | null
  reached_at: Date | string | null
  answer_due_on: string | null
  answered_at: Date | string | null
  answer: string | null
  progress: DefaultedInt
  done_at: Date | string | null
  closed_at: Date | string | null
  hidden_at: Date | string | null
  hidden_reason: string | null
  hidden_from: string | null
  due_notified_at: Date | string | null
  reached_told_at: Date | string | null
}
export interface ProposalSupportTable {
  proposal_id: number
  member_id: number
  org_path: string
  created_at: Timestamp
}
export interface ProposalProgressTable {
  id: Generated<number>
  proposal_id: number
  org_path: string
  on_date: string
  percent: number
  note: string
  created_by: number | null
  created_at: Timestamp
}
export interface WorkPlanItemTable {
  id: Generated<number>
  org_id: number
  org_path: string
  proposal_id: number
  title: string
  created_at: Timestamp
}

/** 0007_plans.sql */
export interface PlanTable {
  id: Generated<number>
  org_id: number
  org_path: string
  name: string
  doc_no: string | null
  start_on: string
  end_on: string
  note: string | null
  created_by: number | null
  created_at: ColumnType<Date, never, never>
  updated_at: ColumnType<Date, Date | undefined, Date>
}

export interface PlanTargetTable {
  plan_id: number
  key: string
  kind: string
  value: ColumnType<string, number, number>
  note: string | null
  position: number
  org_path: string
}

export interface PlanMilestoneTable {
  plan_id: number
  due_on: string
  share: ColumnType<string, number, number>
  label: string | null
  org_path: string
}

export interface PlanAllocationTable {
  plan_id: number
  org_id: number
  org_path: string
  parent_org_id: number
  parent_path: string
  vals: ColumnType<Record<string, number>, string, string>
  note: string | null
  position: number
  updated_at: ColumnType<Date, Date | undefined, Date>
}

/** 0008_forms.sql */
export interface PlannedJointUnionTable {
  id: Generated<number>
  org_id: number
  org_path: string
  name: string
  category: string
  joint_form: string
  members: number
  employees: number
  enterprises: number
  workers: number
  planned_on: string | null
  declared_on: string
  note: string | null
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface ReportRoundTable {
  id: Generated<number>
  form: string
  org_id: number
  org_path: string
  as_of: string
  status: ColumnType<string, string | undefined, string>
  snapshot: ColumnType<FormTable, unknown, unknown>
  comment: string | null
  created_by: number | null
  created_at: Timestamp
  updated_at: Timestamp
  submitted_by: number | null
  submitted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  decided_by: number | null
  decided_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  deadline: ColumnType<string | null, string | null | undefined, string | null>
  reminded_on: ColumnType<string | null, string | null | undefined, string | null>
  reminders: ColumnType<number, number | undefined, number>
}

export interface ReportRoundEventTable {
  id: Generated<number>
  round_id: number
  org_path: string
  action: string
  actor_id: number | null
  actor_name: string | null
  comment: string | null
  at: Timestamp
}

export interface DB {
  activity: ActivityTable
  activity_registration: ActivityRegistrationTable
  member_session: MemberSessionTable
  message: MessageTable
  one_time_code: OneTimeCodeTable
  sms_outbox: SmsOutboxTable
  stat_total: StatTotalTable
  stat_day: StatDayTable
  stat_period: StatPeriodTable
  stat_setting: StatSettingTable
  platform_workforce: PlatformWorkforceTable
  member: MemberTable
  membership_event: MembershipEventTable
  transfer: TransferTable
  application: ApplicationTable
  import_job: ImportJobTable
  import_problem: ImportProblemTable
  region: RegionTable
  org: OrgTable
  org_history: OrgHistoryTable
  org_code_seq: OrgCodeSeqTable
  region_rule: RegionRuleTable
  town_rule: TownRuleView
  enterprise: EnterpriseTable
  enterprise_register: EnterpriseRegisterView
  enterprise_status_event: EnterpriseStatusEventTable
  app_user: AppUserTable
  app_session: AppSessionTable
  login_address: LoginAddressTable
  audit_chain: AuditChainTable
  audit_log: AuditLogTable
  key_check: KeyCheckTable
  plan: PlanTable
  proposal_rule: ProposalRuleTable
  proposal: ProposalTable
  proposal_support: ProposalSupportTable
  proposal_progress: ProposalProgressTable
  work_plan_item: WorkPlanItemTable
  plan_target: PlanTargetTable
  plan_milestone: PlanMilestoneTable
  plan_allocation: PlanAllocationTable
  planned_joint_union: PlannedJointUnionTable
  report_round: ReportRoundTable
  report_round_event: ReportRoundEventTable
}
