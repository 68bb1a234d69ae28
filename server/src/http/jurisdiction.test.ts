import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import {
  applyPublic,
  fixture,
  openActivity,
  PERSONAL,
  creditCode,
  joiningCode,
  memberDocument,
  plannedUnion,
  residentId,
  signInMember,
  type Fixture,
} from '../test/harness.js'
import type { Ctx } from './context.js'
import * as transfers from '../modules/transfers/transfers.service.js'
import * as enterprises from '../modules/enterprises/enterprises.service.js'
import * as stats from '../modules/stats/stats.service.js'
import * as forms from '../modules/forms/forms.service.js'
import * as plans from '../modules/plans/plans.service.js'
import * as members from '../modules/members/members.service.js'
import { notify } from '../modules/messages/notify.js'
import { checkInCode } from '../modules/activities/activities.service.js'

/**
 * Walks every route of the API and proves jurisdiction: a cadre of 甘霖镇 can neither read nor
 * change anything of 崇仁镇, and anonymous callers get nothing. Every route must have a probe
 * here; a new route without one fails the first test, so nobody can add a route unexamined.
 */
interface Probe {
  url: string
  query?: Record<string, string | number | boolean>
  body?: unknown
}

const PUBLIC = new Set([
  'GET /api/health',
  'GET /api/openapi.json',
  'POST /api/auth/login',
  'GET /api/public/config',
  // online joining and card checks (no login): each is probed below for personal data in its answers
  'GET /api/public/workplaces',
  'GET /api/public/regions',
  'POST /api/public/applications',
  'GET /api/public/applications/status',
  'GET /api/cards/verify',
  'POST /api/public/applications/withdraw',
  'POST /api/public/applications/answer',
  'POST /api/public/codes',
  // the member's sign-in (会员端): a code to any valid number, the same answer for members and strangers
  'POST /api/public/sign-in/code',
  'POST /api/public/sign-in',
])
const SESSION = new Set(['POST /api/auth/logout', 'GET /api/auth/me', 'POST /api/auth/password', 'POST /api/my/sign-out'])

/**
 * The member's own routes (会员端, a phone session): they take no id of anybody else's, so the
 * probe is the call itself, made by the member of 甘霖镇; what comes back must hold nothing of 崇仁镇.
 */
const MEMBER: Record<string, Probe> = {
  'GET /api/my/session': { url: '/api/my/session' },
  'GET /api/my/home': { url: '/api/my/home' },
  'PATCH /api/my/settings': { url: '/api/my/settings', body: { smsOptOut: false } },
  'GET /api/my/messages': { url: '/api/my/messages' },
  'GET /api/my/messages/unread': { url: '/api/my/messages/unread' },
  'POST /api/my/messages/read': { url: '/api/my/messages/read', body: {} },
}

function probes(
  f: Fixture,
  chongrenUser: number,
  chongrenTransfer: number,
  chongrenApplication: number,
  chongrenImport: number,
  chongrenWorkforce: number,
  chongrenMessage: number,
): Record<string, Probe> {
  const { ids } = f
  const town = '330683102' // 崇仁镇
  return {
    'GET /api/orgs': { url: '/api/orgs', query: { parent: ids.chongren } },
    'GET /api/messages': { url: '/api/messages' },
    'GET /api/messages/unread': { url: '/api/messages/unread' },
    'POST /api/messages/read': { url: '/api/messages/read', body: { ids: [chongrenMessage] } },
    // counts of the caller's own union: 崇仁镇's application, transfer and message count for 崇仁镇 only (todo.test.ts)
    'GET /api/todo': { url: '/api/todo' },
    'GET /api/orgs/directory': { url: '/api/orgs/directory', query: { q: '崇仁' } },
    'GET /api/orgs/:id': { url: `/api/orgs/${ids.chongrenBase}` },
    'POST /api/orgs': {
      url: '/api/orgs',
      body: { parentId: ids.chongren, name: '越权新建工会', orgType: '1', orgForm: 'committee', regionCode: town },
    },
    'PATCH /api/orgs/:id': { url: `/api/orgs/${ids.chongrenBase}`, body: { name: '越权改名' } },
    'POST /api/orgs/:id/move': { url: `/api/orgs/${ids.chongrenBase}/move`, body: { parentId: ids.ganlin } },
    'POST /api/orgs/:id/dissolve': { url: `/api/orgs/${ids.chongrenBase}/dissolve`, body: { reason: '越权注销' } },
    'PUT /api/orgs/:id/enterprises': {
      url: `/api/orgs/${ids.ganlinJoint}/enterprises`,
      body: { enterpriseIds: [ids.ganlinEnterprise, ids.chongrenEnterprise] },
    },
    'POST /api/orgs/:id/reveal': { url: `/api/orgs/${ids.chongren}/reveal`, body: { field: 'chairPhone', reason: '越权查看' } },
    'GET /api/enterprises': { url: '/api/enterprises', query: { org: ids.chongren } },
    'GET /api/enterprises/due-summary': { url: '/api/enterprises/due-summary', query: { org: ids.chongren } },
    'GET /api/enterprises/export': { url: '/api/enterprises/export', query: { org: ids.chongren } },
    'GET /api/enterprises/:id': { url: `/api/enterprises/${ids.chongrenEnterprise}` },
    'POST /api/enterprises': {
      url: '/api/enterprises',
      body: { creditCode: creditCode(), name: '越权登记企业', regionCode: town, nature: 'private', employees: 10 },
    },
    'PATCH /api/enterprises/:id': { url: `/api/enterprises/${ids.chongrenEnterprise}`, body: { employees: 1 } },
    'POST /api/enterprises/:id/status': {
      url: `/api/enterprises/${ids.chongrenEnterprise}/status`,
      body: { status: 'deregistered', effectiveOn: '2026-01-01' },
    },
    'GET /api/enterprises/:id/status-history': { url: `/api/enterprises/${ids.chongrenEnterprise}/status-history` },
    'POST /api/enterprises/:id/reveal': {
      url: `/api/enterprises/${ids.chongrenEnterprise}/reveal`,
      body: { field: 'contactPhone', reason: '越权查看' },
    },
    'GET /api/users': { url: '/api/users' },
    'POST /api/users': { url: '/api/users', body: { username: 'intruder', displayName: '越权账号', password: 'Strong-Pass-123' } },
    'PATCH /api/users/:id': { url: `/api/users/${chongrenUser}`, body: { active: false } },
    'POST /api/users/:id/password-reset': { url: `/api/users/${chongrenUser}/password-reset` },
    'PUT /api/users/:id/roles': { url: `/api/users/${chongrenUser}/roles`, body: { roles: ['org_admin'], orgId: ids.chongren } },
    'GET /api/users/org-options': { url: '/api/users/org-options', query: { q: '崇仁' } },
    'GET /api/regions': { url: '/api/regions', query: { parent: '330683' } },
    'GET /api/rules/:regionCode': { url: `/api/rules/${town}` },
    'PUT /api/rules/:regionCode': {
      url: `/api/rules/${town}`,
      body: { ownUnionMinEmployees: 1, graceMonths: 0, largeMinEmployees: 1, zoneMinEmployees: 1 },
    },
    'GET /api/members': { url: '/api/members', query: { org: ids.chongren } },
    'GET /api/members/summary': { url: '/api/members/summary', query: { org: ids.chongren } },
    'GET /api/members/:id': { url: `/api/members/${ids.chongrenMember}` },
    'POST /api/members': {
      url: '/api/members',
      body: { name: '越权会员', documentType: 'resident_id', documentNumber: residentId('19900101'), unionId: ids.chongrenBase },
    },
    'PATCH /api/members/:id': { url: `/api/members/${ids.chongrenMember}`, body: { name: '越权改名' } },
    'POST /api/members/:id/status': { url: `/api/members/${ids.chongrenMember}/status`, body: { event: '6', reason: '5' } },
    'POST /api/members/:id/reveal': {
      url: `/api/members/${ids.chongrenMember}/reveal`,
      body: { field: 'documentNumber', reason: '越权查看' },
    },
    'GET /api/transfers': { url: '/api/transfers', query: { direction: 'all' } },
    'GET /api/transfers/:id': { url: `/api/transfers/${chongrenTransfer}` },
    'POST /api/transfers': { url: '/api/transfers', body: { memberId: ids.chongrenMember, toUnionId: ids.ganlinJoint } },
    'POST /api/transfers/from-import': { url: '/api/transfers/from-import', body: { jobId: chongrenImport, rowNo: 2 } },
    'POST /api/transfers/:id/accept': { url: `/api/transfers/${chongrenTransfer}/accept`, body: {} },
    'POST /api/transfers/:id/decline': { url: `/api/transfers/${chongrenTransfer}/decline`, body: { note: '越权退回' } },
    'GET /api/members/:id/card': { url: `/api/members/${ids.chongrenMember}/card` },
    'GET /api/applications': { url: '/api/applications', query: { org: ids.chongren } },
    'GET /api/applications/:id': { url: `/api/applications/${chongrenApplication}` },
    'POST /api/applications/:id/decision': { url: `/api/applications/${chongrenApplication}/decision`, body: { decision: 'approve' } },
    'GET /api/imports/template': { url: '/api/imports/template' },
    'POST /api/imports': { url: '/api/imports', query: { union: ids.chongrenBase, fileName: '越权.csv' }, body: { file: '姓名,证件号码' } },
    'GET /api/imports': { url: '/api/imports', query: { union: ids.chongrenBase } },
    'GET /api/imports/:id': { url: `/api/imports/${chongrenImport}` },
    'GET /api/imports/:id/problems': { url: `/api/imports/${chongrenImport}/problems` },
    'GET /api/imports/:id/report': { url: `/api/imports/${chongrenImport}/report` },
    'POST /api/imports/:id/commit': { url: `/api/imports/${chongrenImport}/commit`, body: { mode: 'valid_only' } },
    'GET /api/members/export': { url: '/api/members/export', query: { org: ids.chongren } },
    'GET /api/stats/panel': { url: '/api/stats/panel', query: { org: ids.chongren } },
    'GET /api/stats/ranking': { url: '/api/stats/ranking', query: { org: ids.chongren, indicator: 'members' } },
    'GET /api/stats/series': { url: '/api/stats/series', query: { org: ids.chongren } },
    'GET /api/stats/period': { url: '/api/stats/period', query: { org: ids.chongren } },
    'GET /api/stats/joint-unions': { url: '/api/stats/joint-unions', query: { org: ids.chongren } },
    'GET /api/stats/settings': { url: '/api/stats/settings' },
    'PUT /api/stats/settings': { url: '/api/stats/settings', body: { memberRateBasis: 'all' } },
    'GET /api/stats/workforce': { url: '/api/stats/workforce', query: { org: ids.chongren } },
    'POST /api/stats/workforce': {
      url: '/api/stats/workforce',
      body: { orgId: ids.chongren, platformName: '越权平台', occupation: 'courier', workers: 1, asOf: '2026-01-01' },
    },
    'DELETE /api/stats/workforce/:id': { url: `/api/stats/workforce/${chongrenWorkforce}` },
    'GET /api/audit': { url: '/api/audit' },
    'GET /api/audit/verify': { url: '/api/audit/verify' },
    'GET /api/audit/export': { url: '/api/audit/export' },
  }
}

/** The plans of 崇仁镇 (plans and targets): its own plan, split among its unions. */
/** 建议: a proposal of 崇仁镇's textile union that reached its threshold (in the work plan). */
function proposalProbes(f: Fixture, chongrenProposal: number): Record<string, Probe> {
  const { ids } = f
  const url = `/api/proposals/${chongrenProposal}`
  return {
    'GET /api/proposals': { url: '/api/proposals', query: { org: ids.chongren } },
    'GET /api/proposals/work-plan': { url: '/api/proposals/work-plan', query: { org: ids.chongren } },
    'GET /api/proposals/rules': { url: '/api/proposals/rules' },
    'PUT /api/proposals/rules': {
      url: '/api/proposals/rules',
      body: { orgId: ids.chongren, level: 'grassroots', threshold: 1, answerDays: 1, periodDays: 1 },
    },
    'GET /api/proposals/:id': { url },
    'POST /api/proposals/:id/answer': { url: `${url}/answer`, body: { verdict: 'decline', reply: '越权答复' } },
    'POST /api/proposals/:id/progress': { url: `${url}/progress`, body: { percent: 10, note: '越权登记' } },
    'POST /api/proposals/:id/hide': { url: `${url}/hide`, body: { hiddenReason: '越权隐藏' } },
  }
}

/**
 * The member's proposal routes take ids: the probes name 甘霖镇's own (one by another member of
 * 甘霖镇 to read and support, one of the member's own to edit); 崇仁镇's are refused in proposals.test.ts.
 */
/**
 * 申请转会 (the member's own transfer request): a unit of 鹿山街道, where no union is (the city's union
 * receives: neither town's cadres see the request or its message), and a request of the member to
 * it to withdraw (the withdrawal is probed before the next request, which one in flight would refuse).
 */
async function memberTransferProbes(f: Fixture): Promise<Record<string, Probe>> {
  const unit = await f.as('city', (ctx) =>
    enterprises.create(ctx, {
      creditCode: creditCode(),
      name: '鹿山新开服装厂',
      regionCode: '330683003',
      nature: 'private',
      employees: 8,
    }),
  )
  const body = { enterpriseId: unit.id, transferReason: '到鹿山新开服装厂工作' }
  const mine = await f.app.inject({
    method: 'POST',
    url: '/api/my/transfers',
    headers: await signInMember(f, '13905750001'),
    payload: body,
  })
  assert.equal(mine.statusCode, 201, mine.body)
  assert.equal(mine.json().toName, '嵊州市总工会')
  return {
    'GET /api/my/transfer-targets': { url: '/api/my/transfer-targets', query: { q: '甘霖' } },
    'POST /api/my/transfers/:id/cancel': { url: `/api/my/transfers/${mine.json().id}/cancel` },
    'POST /api/my/transfers': { url: '/api/my/transfers', body },
  }
}

async function memberProposalProbes(f: Fixture): Promise<Record<string, Probe>> {
  const other = await f.as('ganlin', (ctx) =>
    members.create(ctx, {
      name: '甘霖提议人',
      documentType: 'resident_id',
      documentNumber: residentId('19880808'),
      unionId: f.ids.ganlinJoint,
    }),
  )
  const add = (author: number, title: string) =>
    f.database.db
      .insertInto('proposal')
      .values({
        org_id: f.ids.ganlinJoint,
        org_path: sql<string>`(select path from org where id = ${f.ids.ganlinJoint})`,
        author_id: author,
        title,
        body: '甘霖镇联合工会的一条建议正文',
        category: 'welfare',
        threshold: 200,
        answer_days: 10,
        closes_on: '2099-12-31',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  const theirs = await add(other.id, '甘霖他人建议')
  const mine = await add(f.ids.ganlinMember, '甘霖本人建议')
  const text = { title: '甘霖本人建议', body: '甘霖镇联合工会的一条建议正文', category: 'welfare' }
  return {
    'GET /api/my/proposals': { url: '/api/my/proposals', query: { tab: 'all' } },
    'POST /api/my/proposals': { url: '/api/my/proposals', body: text },
    'GET /api/my/proposals/:id': { url: `/api/my/proposals/${theirs.id}` },
    'PATCH /api/my/proposals/:id': { url: `/api/my/proposals/${mine.id}`, body: text },
    'POST /api/my/proposals/:id/support': { url: `/api/my/proposals/${theirs.id}/support` },
  }
}

function planProbes(f: Fixture, chongrenPlan: number): Record<string, Probe> {
  const { ids } = f
  const body = { name: '越权计划', startOn: '2026-01-01', endOn: '2026-12-31', targets: [{ key: 'new.members', value: 1 }], milestones: [] }
  return {
    'GET /api/plans': { url: '/api/plans', query: { org: ids.chongren } },
    'POST /api/plans': { url: '/api/plans', body: { orgId: ids.chongren, ...body } },
    'GET /api/plans/:id': { url: `/api/plans/${chongrenPlan}` },
    'PUT /api/plans/:id': { url: `/api/plans/${chongrenPlan}`, body },
    'DELETE /api/plans/:id': { url: `/api/plans/${chongrenPlan}` },
    'GET /api/plans/:id/allocations': { url: `/api/plans/${chongrenPlan}/allocations`, query: { org: ids.chongren } },
    'PUT /api/plans/:id/allocations': {
      url: `/api/plans/${chongrenPlan}/allocations`,
      body: { parentOrgId: ids.chongren, rows: [{ orgId: ids.chongrenBase, values: { 'new.members': 10 } }] },
    },
    'GET /api/plans/:id/progress': { url: `/api/plans/${chongrenPlan}/progress`, query: { org: ids.chongren } },
    'GET /api/plans/:id/export': { url: `/api/plans/${chongrenPlan}/export`, query: { org: ids.chongren } },
  }
}

/** The activities of 崇仁镇 (one published, its member signed up) and, for the member walk, two of 甘霖镇. */
function activityProbes(f: Fixture, chongrenActivity: number, chongrenCode: string): Record<string, Probe> {
  const { ids } = f
  const body = openActivity({ title: '越权活动', place: '崇仁' })
  return {
    'GET /api/activities': { url: '/api/activities', query: { org: ids.chongren } },
    'POST /api/activities': { url: '/api/activities', body: { orgId: ids.chongren, ...body } },
    'GET /api/activities/:id': { url: `/api/activities/${chongrenActivity}` },
    'PATCH /api/activities/:id': { url: `/api/activities/${chongrenActivity}`, body: { title: '越权改名' } },
    'POST /api/activities/:id/publish': { url: `/api/activities/${chongrenActivity}/publish` },
    'POST /api/activities/:id/cancel': { url: `/api/activities/${chongrenActivity}/cancel`, body: { cancelReason: '越权取消' } },
    'GET /api/activities/:id/registrations': { url: `/api/activities/${chongrenActivity}/registrations` },
    'GET /api/activities/:id/export': { url: `/api/activities/${chongrenActivity}/export` },
    'POST /api/activities/:id/check-in': { url: `/api/activities/${chongrenActivity}/check-in`, body: { checkInCode: chongrenCode } },
  }
}

/** The forms of 崇仁镇: a planned joint union it declared (附件2) and its reporting round. */
function formProbes(f: Fixture, chongrenPlanned: number, chongrenRound: number): Record<string, Probe> {
  const { ids } = f
  const cells = { rows: [], total: [0, 0, 0, 0, 0, 0] }
  return {
    'GET /api/forms': { url: '/api/forms' },
    'GET /api/forms/:form': { url: '/api/forms/form1', query: { org: ids.chongren } },
    'GET /api/forms/:form/export': { url: '/api/forms/form1/export', query: { org: ids.chongren } },
    'GET /api/planned-unions': { url: '/api/planned-unions', query: { org: ids.chongren } },
    'POST /api/planned-unions': { url: '/api/planned-unions', body: plannedUnion(ids.chongren, '越权拟建') },
    'PATCH /api/planned-unions/:id': { url: `/api/planned-unions/${chongrenPlanned}`, body: { name: '越权改名' } },
    'DELETE /api/planned-unions/:id': { url: `/api/planned-unions/${chongrenPlanned}` },
    'GET /api/report-rounds': { url: '/api/report-rounds' },
    'POST /api/report-rounds': { url: '/api/report-rounds', body: { form: 'form2', asOf: '2025-06-30', orgIds: [ids.chongren] } },
    'GET /api/report-rounds/board': { url: '/api/report-rounds/board', query: { org: ids.chongren, form: 'form2', asOf: '2025-06-30' } },
    'PUT /api/report-rounds/board/deadline': {
      url: '/api/report-rounds/board/deadline',
      body: { org: ids.chongren, form: 'form2', asOf: '2025-06-30', deadline: '2099-12-31' },
    },
    'POST /api/report-rounds/board/remind': {
      url: '/api/report-rounds/board/remind',
      body: { form: 'form2', asOf: '2025-06-30', ids: [chongrenRound] },
    },
    'GET /api/report-rounds/:id': { url: `/api/report-rounds/${chongrenRound}` },
    'PUT /api/report-rounds/:id': { url: `/api/report-rounds/${chongrenRound}`, body: cells },
    'POST /api/report-rounds/:id/submit': { url: `/api/report-rounds/${chongrenRound}/submit`, body: { cells } },
    'POST /api/report-rounds/:id/approve': { url: `/api/report-rounds/${chongrenRound}/approve`, body: {} },
    'POST /api/report-rounds/:id/return': { url: `/api/report-rounds/${chongrenRound}/return`, body: { comment: '越权退回' } },
    'GET /api/report-rounds/:id/export': { url: `/api/report-rounds/${chongrenRound}/export` },
  }
}

/**
 * Reference data that any logged-in account may read: divisions, rules, and the names and codes
 * of unions (a transfer may go to any union, so the sender must find it) — nothing else of a town.
 */
const SHARED_READS = new Set([
  'GET /api/regions',
  'GET /api/rules/:regionCode',
  'GET /api/orgs/directory',
  'GET /api/imports/template',
  'GET /api/enterprise-imports/template',
  'GET /api/stats/settings',
  'GET /api/forms',
])
/** Files (xlsx, csv) rather than JSON: their text cannot be searched for a town's name. */
const FILES = (key: string) => key.endsWith('/export') || key.endsWith('/report')

const joiningForm = (over: Record<string, unknown>) => ({
  documentType: 'resident_id',
  consentPrivacy: true,
  consentSensitive: true,
  ...over,
})

/** 18-character document numbers and mobile numbers, in any answer of a public route */

const withQuery = (p: Probe) =>
  p.url + (p.query ? '?' + new URLSearchParams(Object.entries(p.query).map(([k, v]) => [k, String(v)])).toString() : '')

describe('jurisdiction, route by route', () => {
  let f: Fixture
  let ganlin: Record<string, string>
  let chongren: Record<string, string>
  let table: Record<string, Probe>

  /**
   * Everything of 崇仁镇 (and the accounts and rules), as one fingerprint read as the owner. With
   * `ownChain`, the tallies of activities and proposals (0024) of those unions are left out: a
   * member's own proposal or sign-up counts there, at once, as it should.
   */
  const fingerprint = async (ownChain: number[] = []) => {
    const r = await sql<{ h: string }>`select md5(
      (select coalesce(string_agg(o::text, '|' order by id), '') from org o) ||
      (select coalesce(string_agg(e::text, '|' order by id), '') from enterprise e) ||
      (select coalesce(string_agg(h::text, '|' order by org_id, valid_from), '') from org_history h) ||
      (select coalesce(string_agg(u.username || u.active || u.roles::text || coalesce(u.org_id, 0), '|' order by id), '') from app_user u) ||
      (select coalesce(string_agg(r::text, '|' order by region_code), '') from region_rule r) ||
      (select coalesce(string_agg(m::text, '|' order by id), '') from member m) ||
      (select coalesce(string_agg(t::text, '|' order by id), '') from transfer t
        where not (t.requested_by = 'member' and t.member_id = ${f.ids.ganlinMember})) ||
      (select coalesce(string_agg(a::text, '|' order by id), '') from application a) ||
      (select count(*)::text from membership_event) ||
      (select coalesce(string_agg(s::text, '|' order by node_id, h, metric), '') from stat_total s
        where not (s.node_id = any (${ownChain}::bigint[]) and (s.metric like 'act.%' or s.metric like 'prop.%'))) ||
      (select coalesce(string_agg(s::text, '|' order by key), '') from stat_setting s) ||
      (select coalesce(string_agg(w::text, '|' order by id), '') from platform_workforce w) ||
      (select coalesce(string_agg(x::text, '|' order by id), '') from planned_joint_union x) ||
      (select coalesce(string_agg(x::text, '|' order by id), '') from report_round x) ||
      (select count(*)::text from report_round_event) ||
      (select coalesce(string_agg(p::text, '|' order by id), '') from plan p) ||
      (select coalesce(string_agg(x::text, '|' order by plan_id, key), '') from plan_target x) ||
      (select coalesce(string_agg(x::text, '|' order by plan_id, due_on), '') from plan_milestone x) ||
      (select coalesce(string_agg(x::text, '|' order by plan_id, org_id), '') from plan_allocation x) ||
      (select coalesce(string_agg(x::text, '|' order by id), '') from message x
        where not (x.kind = 'transfer' and x.title = '会员申请转入' and x.body like '甘霖会员%')) ||
      (select coalesce(string_agg(x::text, '|' order by id), '') from activity x where x.title like '崇仁%') ||
      (select coalesce(string_agg(x::text, '|' order by id), '') from activity_registration x where x.member_name like '崇仁%')) as h`.execute(
      f.database.db,
    )
    return r.rows[0]!.h
  }

  before(async () => {
    f = await fixture()
    ganlin = await f.login('ganlin')
    chongren = await f.login('chongren')
    // an enterprise 崇仁镇 still has to organize, so its 应建未建 is not empty
    await f.as('chongren', (ctx) =>
      enterprises.create(ctx, {
        creditCode: creditCode(),
        name: '崇仁应建未建企业',
        regionCode: '330683102',
        nature: 'private',
        employees: 40,
      }),
    )
    // a unit of 崇仁镇 that stopped business for a while and reopened: its status history
    await f.as('chongren', async (ctx) => {
      await enterprises.setStatus(ctx, f.ids.chongrenEnterprise, { status: 'suspended', effectiveOn: ctx.today, note: '崇仁停业整顿' })
      await enterprises.setStatus(ctx, f.ids.chongrenEnterprise, { status: 'active', effectiveOn: ctx.today, note: '崇仁复业' })
    })
    // a transfer inside 崇仁镇 (from its base union to its joint union), pending
    const joint = await f.as(
      'chongren',
      async (ctx) => (await ctx.db.selectFrom('org').select('id').where('name', '=', '崇仁镇联合工会').executeTakeFirstOrThrow()).id,
    )
    const t = await f.as('chongren', (ctx) => transfers.request(ctx, { memberId: f.ids.chongrenMember, toUnionId: joint, reason: '1' }))
    // an application to join 崇仁纺织, made on the public joining page
    const applied = await applyPublic(
      f,
      joiningForm({
        name: '崇仁申请人',
        documentNumber: residentId('19920202'),
        phone: '13905750003',
        enterpriseId: f.ids.chongrenEnterprise,
        workplace: '崇仁纺织有限公司',
      }),
    )
    assert.equal(applied.statusCode, 201, applied.body)
    // a roster import of 崇仁镇, checked: its problems name the union (the member it holds already)
    const held = await memberDocument(f, f.ids.chongrenMember)
    const upload = await f.app.inject({
      method: 'POST',
      url: `/api/imports?union=${f.ids.chongrenBase}&fileName=roster.csv`,
      headers: { ...chongren, 'content-type': 'text/csv' },
      payload: `姓名,证件号码\r\n崇仁会员,${held}\r\n新会员,${residentId('19930303')}\r\n`,
    })
    assert.equal(upload.statusCode, 201, upload.body)
    // the 新就业形态 workforce 崇仁镇 entered
    const wf = await f.as('chongren', (ctx) =>
      stats.putWorkforce(ctx, {
        orgId: f.ids.chongren,
        platformName: '崇仁快递站',
        occupation: 'courier',
        workers: 30,
        asOf: '2026-01-01',
      }),
    )
    // a plan of 崇仁镇 for its unions, split among them
    const cp = await f.as('chongren', (ctx) =>
      plans.create(ctx, {
        orgId: f.ids.chongren,
        name: '崇仁镇建会计划',
        startOn: '2026-01-01',
        endOn: '2026-12-31',
        targets: [{ key: 'new.members', value: 10 }],
        milestones: [{ dueOn: '2026-06-30', share: 50 }],
      }),
    )
    await f.as('chongren', (ctx) =>
      plans.putAllocations(ctx, cp.id, {
        parentOrgId: f.ids.chongren,
        rows: [{ orgId: f.ids.chongrenBase, values: { 'new.members': 10 } }],
      }),
    )
    // 崇仁镇's forms: a planned joint union, and its 附件2 round, submitted and waiting for the city
    const planned = await f.as('chongren', (ctx) =>
      forms.plannedCreate(ctx, {
        orgId: f.ids.chongren,
        name: '崇仁拟建联合工会',
        category: 'logistics',
        jointForm: 'joint_committee',
        members: 10,
        employees: 20,
        enterprises: 2,
        workers: 1,
        declaredOn: '2025-01-01',
      }),
    )
    const round = await f.as('chongren', (ctx) =>
      forms.roundCreate(ctx, f.app.forms, { form: 'form2', asOf: '2025-06-30', orgIds: [f.ids.chongren] }),
    )
    await f.as('chongren', (ctx) => forms.roundSubmit(ctx, f.app.forms, round.ids[0]!, {}))
    // a message to the union of 崇仁镇 (its cadres' mailbox) and one to its member
    await f.as('chongren', async (ctx) => {
      await notify(
        ctx,
        { orgId: f.ids.chongren, orgPath: ctx.actor.scopePath! },
        { kind: 'answer_due', title: '崇仁待办消息', body: '崇仁' },
      )
      await notify(ctx, { members: [f.ids.chongrenMember] }, { kind: 'activity_changed', title: '崇仁会员消息', body: '崇仁' })
    })
    const message = await f.database.db.selectFrom('message').select('id').where('title', '=', '崇仁待办消息').executeTakeFirstOrThrow()
    // activities: 崇仁镇's, its member signed up; 甘霖镇's for the member walk (one to sign up for,
    // one the member attended, to rate)
    const act = (title: string, capacity = 100) => openActivity({ title, place: title, capacity })
    const publishAs = async (headers: Record<string, string>, title: string) => {
      const c = await f.app.inject({ method: 'POST', url: '/api/activities', headers, payload: act(title) })
      assert.equal(c.statusCode, 201, c.body)
      await f.app.inject({ method: 'POST', url: `/api/activities/${c.json().id}/publish`, headers })
      return c.json().id as number
    }
    const chongrenActivity = await publishAs(chongren, '崇仁镇职工运动会')
    const crMember = await signInMember(f, '13905750002')
    const crSigned = await f.app.inject({ method: 'POST', url: `/api/my/activities/${chongrenActivity}/sign-up`, headers: crMember })
    assert.equal(crSigned.statusCode, 200, crSigned.body)
    const crReg = await f.database.db
      .selectFrom('activity_registration')
      .select('id')
      .where('activity_id', '=', chongrenActivity)
      .executeTakeFirstOrThrow()
    const ganlinOpen = await publishAs(ganlin, '甘霖镇读书会')
    const ganlinAttended = await publishAs(ganlin, '甘霖镇健步走')
    const glMember = await signInMember(f, '13905750001')
    await f.app.inject({ method: 'POST', url: `/api/my/activities/${ganlinAttended}/sign-up`, headers: glMember })
    const glReg = await f.database.db
      .selectFrom('activity_registration')
      .select('id')
      .where('activity_id', '=', ganlinAttended)
      .executeTakeFirstOrThrow()
    const checked = await f.send('POST', `/api/activities/${ganlinAttended}/check-in`, ganlin, {
      checkInCode: checkInCode(f, Number(glReg.id)),
    })
    assert.equal(checked.statusCode, 200, checked.body)
    Object.assign(MEMBER, {
      'GET /api/my/activities': { url: '/api/my/activities' },
      'GET /api/my/activities/:id': { url: `/api/my/activities/${ganlinOpen}` },
      'POST /api/my/activities/:id/sign-up': { url: `/api/my/activities/${ganlinOpen}/sign-up` },
      'POST /api/my/activities/:id/cancel': { url: `/api/my/activities/${ganlinOpen}/cancel` },
      'POST /api/my/activities/:id/rating': { url: `/api/my/activities/${ganlinAttended}/rating`, body: { rating: 5 } },
    })
    // an enterprise register file of 崇仁镇, checked (its job belongs to 崇仁镇's union)
    const units = await f.app.inject({
      method: 'POST',
      url: '/api/enterprise-imports?fileName=units.csv',
      headers: { ...chongren, 'content-type': 'text/csv' },
      payload: `单位名称,统一社会信用代码,所在镇街,单位性质,职工人数\r\n崇仁新厂,${creditCode()},崇仁镇,private,30\r\n`,
    })
    assert.equal(units.statusCode, 201, units.body)
    assert.equal(units.json().validRows, 1, units.body)
    table = probes(f, (await f.actor('chongren')).id, t.id, applied.json().id, upload.json().id, wf.id, Number(message.id))
    Object.assign(table, formProbes(f, planned.id, round.ids[0]!))
    Object.assign(table, {
      'GET /api/enterprise-imports/template': { url: '/api/enterprise-imports/template' },
      // into 崇仁镇's jurisdiction: not 甘霖镇's to choose
      'POST /api/enterprise-imports': {
        url: '/api/enterprise-imports',
        query: { org: f.ids.chongren, fileName: '越权.csv' },
        body: { file: '单位名称,统一社会信用代码' },
      },
      'GET /api/enterprise-imports': { url: '/api/enterprise-imports' },
    })
    Object.assign(table, planProbes(f, cp.id))
    Object.assign(table, activityProbes(f, chongrenActivity, checkInCode(f, Number(crReg.id))))
    // a proposal of 崇仁纺织's union that reached its threshold and entered the work plan
    const cprop = await f.database.db
      .insertInto('proposal')
      .values({
        org_id: f.ids.chongrenBase,
        org_path: sql<string>`(select path from org where id = ${f.ids.chongrenBase})`,
        author_id: f.ids.chongrenMember,
        title: '崇仁纺织车间降温',
        body: '崇仁纺织车间夏季高温，建议加装降温设备',
        category: 'safety',
        status: 'reached',
        threshold: 1,
        answer_days: 10,
        closes_on: '2099-12-31',
        supports_count: 1,
        reached_at: sql<Date>`now()`,
        answer_due_on: '2099-12-31',
      })
      .returning(['id', 'org_path'])
      .executeTakeFirstOrThrow()
    await f.database.db
      .insertInto('work_plan_item')
      .values({ org_id: f.ids.chongrenBase, org_path: cprop.org_path, proposal_id: cprop.id, title: '崇仁纺织车间降温' })
      .execute()
    Object.assign(table, proposalProbes(f, cprop.id))
    Object.assign(MEMBER, await memberProposalProbes(f))
    Object.assign(MEMBER, await memberTransferProbes(f))
  })
  after(() => f.close())

  it('has a probe for every route, and only the known routes skip the scoped transaction', () => {
    const routes = f.app.routeTable.map((r) => `${r.method} ${r.url}`)
    const missing = routes.filter((r) => !PUBLIC.has(r) && !SESSION.has(r) && !table[r] && !MEMBER[r])
    assert.deepEqual(missing, [], `routes without a jurisdiction probe: ${missing.join(', ')}`)
    const unscoped = f.app.routeTable.filter((r) => !r.scoped).map((r) => `${r.method} ${r.url}`)
    for (const r of unscoped) assert.ok(PUBLIC.has(r) || SESSION.has(r), `${r} runs outside the jurisdiction scope`)
    assert.ok(routes.length >= 20)
  })

  it('gives anonymous callers nothing', async () => {
    for (const [key, p] of Object.entries(table)) {
      const method = key.split(' ')[0] as 'GET'
      const r = await f.app.inject({ method, url: withQuery(p), payload: p.body as object })
      assert.equal(r.statusCode, 401, `${key} answered ${r.statusCode} to an anonymous caller`)
      assert.doesNotMatch(r.body, /崇仁|甘霖/, `${key} leaked data to an anonymous caller`)
    }
    for (const key of SESSION) {
      const [method, url] = key.split(' ') as ['GET', string]
      assert.equal((await f.app.inject({ method, url })).statusCode, 401, key)
    }
  })

  it('a member reads and changes nothing but their own; a member session opens no cadre route, a cadre session no member route', async () => {
    const member = await signInMember(f, '13905750001')
    // the member's union and its ancestors: their own acts count in these tallies
    const chain = [f.ids.ganlinJoint, f.ids.ganlin, f.ids.city]
    const before = await fingerprint(chain)
    for (const [key, p] of Object.entries(MEMBER)) {
      const method = key.split(' ')[0] as 'GET'
      const mine = await f.app.inject({ method, url: withQuery(p), payload: p.body as object, headers: member })
      assert.ok(mine.statusCode < 300, `${key} as the member of 甘霖镇: ${mine.statusCode} ${mine.body.slice(0, 200)}`)
      assert.doesNotMatch(mine.body, /崇仁/, `${key} showed the member of 甘霖镇 something of 崇仁镇`)
      assert.equal((await f.app.inject({ method, url: withQuery(p), payload: p.body as object })).statusCode, 401, `${key} anonymous`)
      assert.equal(
        (await f.app.inject({ method, url: withQuery(p), payload: p.body as object, headers: ganlin })).statusCode,
        401,
        `${key} with a cadre's session`,
      )
    }
    for (const [key, p] of Object.entries(table)) {
      const method = key.split(' ')[0] as 'GET'
      const r = await f.app.inject({ method, url: withQuery(p), payload: p.body as object, headers: member })
      assert.equal(r.statusCode, 401, `${key} answered ${r.statusCode} to a member`)
      assert.doesNotMatch(r.body, /崇仁|甘霖/, `${key} leaked data to a member`)
    }
    assert.equal(await fingerprint(chain), before, 'a member changed something')
    // the member's own transfer requests (申请转会) leave with the walk: 甘霖镇's cadres, walked
    // below, are to see none of their own in the lists probed for 崇仁镇's rows
    await f.database.db.deleteFrom('message').where('kind', '=', 'transfer').where('body', 'like', '甘霖会员%').execute()
    await f.database.db.deleteFrom('transfer').where('requested_by', '=', 'member').where('member_id', '=', f.ids.ganlinMember).execute()
  })

  it('the public routes answer no personal data', async () => {
    const seen: Record<string, string[]> = {}
    const call = async (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>, headers: Record<string, string> = {}) => {
      // an applicant proves the phone they give first (unless the payload says otherwise)
      if (url === '/api/public/applications' && payload && !('smsCode' in payload))
        payload = { ...payload, smsCode: await joiningCode(f, String(payload.phone)) }
      const r = await f.app.inject({ method, url, payload, headers, remoteAddress: '203.0.113.9' })
      const key = `${method} ${url.split('?')[0]}`
      ;(seen[key] ??= []).push(r.body)
      assert.doesNotMatch(r.body, PERSONAL, `${key} answered personal data: ${r.body.slice(0, 300)}`)
      assert.doesNotMatch(r.body, /崇仁会员|甘霖会员|公开申请人/, `${key} answered a person's name`)
      return r
    }
    assert.equal((await call('GET', `/api/public/workplaces?q=${encodeURIComponent('崇仁')}`)).statusCode, 200)
    assert.equal((await call('GET', '/api/public/regions?parent=330683')).statusCode, 200)
    assert.equal((await call('GET', '/api/public/config')).json().cityCode, '330683')
    const application = joiningForm({
      name: '公开申请人',
      documentNumber: residentId('19930303'),
      phone: '13905750004',
      enterpriseId: f.ids.chongrenEnterprise,
      workplace: '崇仁纺织有限公司',
    })
    const receipt = await call('POST', '/api/public/applications', application)
    assert.equal(receipt.statusCode, 201, receipt.body)
    const token = receipt.json().token as string
    // the same person again, and a member of 崇仁纺织: refused without saying where
    assert.equal((await call('POST', '/api/public/applications', application)).statusCode, 409)
    // a member who proves the phone on record is told so, without where
    const member = await f.database.db
      .selectFrom('member')
      .select(['document_enc', 'phone_enc', 'name'])
      .where('id', '=', f.ids.chongrenMember)
      .executeTakeFirstOrThrow()
    const already = await call(
      'POST',
      '/api/public/applications',
      joiningForm({
        name: member.name,
        documentNumber: f.pii.decrypt(member.document_enc),
        phone: f.pii.decrypt(member.phone_enc!),
        enterpriseId: f.ids.ganlinEnterprise,
        workplace: '甘霖小微五金厂',
      }),
    )
    assert.equal(already.statusCode, 409)
    assert.doesNotMatch(already.body, /崇仁/, 'the refusal says where the person is a member')
    // a member who proves the phone on record is sent to sign in for a transfer (我的 → 申请转会):
    // the joining page takes no transfer request any more, and says nothing of where they are
    const jointMemberDoc = residentId('19950505')
    await f.as('chongren', async (ctx) => {
      const joint = await ctx.db.selectFrom('org').select('id').where('name', '=', '崇仁镇联合工会').executeTakeFirstOrThrow()
      await members.create(ctx, {
        name: '崇仁转会人',
        documentType: 'resident_id',
        documentNumber: jointMemberDoc,
        phone: '13905750008',
        unionId: joint.id,
      })
    })
    // signing in on the phone: the code's answer and a refused sign-in name nobody
    assert.equal((await call('POST', '/api/public/sign-in/code', { phone: '13905750001' })).statusCode, 200)
    assert.equal((await call('POST', '/api/public/sign-in', { phone: '13905750001', smsCode: '000000' })).statusCode, 400)
    const codeAnswer = await call('POST', '/api/public/codes', { purpose: 'joining', phone: '13905750008' })
    assert.equal(codeAnswer.statusCode, 200, codeAnswer.body)
    assert.match(codeAnswer.json().message, /139\*+0008/)
    const transfer = await call(
      'POST',
      '/api/public/applications',
      joiningForm({
        name: '崇仁转会人',
        documentNumber: jointMemberDoc,
        phone: '13905750008',
        enterpriseId: f.ids.chongrenEnterprise,
        workplace: '崇仁纺织有限公司',
        requestTransfer: true,
      }),
    )
    assert.equal(transfer.statusCode, 409, transfer.body)
    assert.equal(transfer.json().error.detail.signIn, '/m/transfer')
    assert.doesNotMatch(transfer.body, /联合工会|转会人/, 'the answer says where the person is a member')
    // 需补充材料 answered by token (the reviewer's note and the answer come back, nothing personal)
    const asked = await call(
      'POST',
      '/api/public/applications',
      joiningForm({
        name: '公开申请人',
        documentNumber: residentId('19940404'),
        phone: '13905750006',
        enterpriseId: f.ids.chongrenEnterprise,
        workplace: '崇仁纺织有限公司',
      }),
    )
    assert.equal(
      (
        await f.app.inject({
          method: 'POST',
          url: `/api/applications/${asked.json().id}/decision`,
          payload: { decision: 'need_info', note: '请补充工号' },
          headers: chongren,
        })
      ).statusCode,
      200,
    )
    const answered = await call('POST', '/api/public/applications/answer', {
      token: asked.json().token,
      answer: '工号 A1',
      phone: '13905750007',
      smsCode: await joiningCode(f, '13905750007'),
    })
    assert.equal(answered.statusCode, 200, answered.body)
    assert.equal(answered.json().status, 'pending')
    assert.equal((await call('POST', '/api/public/applications/answer', { token: 'z'.repeat(32), answer: '猜测' })).statusCode, 404)
    assert.equal((await call('POST', '/api/public/applications/withdraw', { token: 'z'.repeat(32) })).statusCode, 404)
    assert.equal((await call('GET', `/api/public/applications/status?token=${token}`)).statusCode, 200)
    const id = receipt.json().id as number
    const approved = await f.app.inject({
      method: 'POST',
      url: `/api/applications/${id}/decision`,
      payload: { decision: 'approve' },
      headers: chongren,
    })
    assert.equal(approved.statusCode, 200, approved.body)
    const status = await call('GET', `/api/public/applications/status?token=${token}`)
    assert.equal(status.json().status, 'approved')
    const verified = await call('GET', `/api/cards/verify?token=${encodeURIComponent(status.json().cardToken)}`)
    assert.equal(verified.json().valid, true)
    assert.equal((await call('GET', '/api/cards/verify?token=forged.20991231.AAAAAAAAAAAAAAAAAAAAAA')).json().valid, false)
    for (const key of PUBLIC) {
      if (key.includes('/health') || key.includes('/openapi') || key.includes('/auth/')) continue
      assert.ok(seen[key], `${key} has no probe for personal data`)
    }
  })

  it('the probes reach real data: the owner of 崇仁镇 reads each of them', async () => {
    for (const [key, p] of Object.entries(table)) {
      if (!key.startsWith('GET') || key.includes('/users') || key.includes('/audit')) continue
      const r = await f.app.inject({ method: 'GET', url: withQuery(p), headers: chongren })
      assert.equal(r.statusCode, 200, `${key} as 崇仁镇: ${r.body.slice(0, 200)}`)
      if (key.endsWith('/due-summary')) assert.ok(r.json().total > 0, `${key} as 崇仁镇 counts nothing`)
      else if (key.endsWith('/messages/unread')) assert.ok(r.json().unread > 0, `${key} as 崇仁镇 counts nothing`)
      else if (key === 'GET /api/todo') assert.ok(r.json().menu.total > 0, `${key} as 崇仁镇 counts nothing`)
      else if (key.endsWith('/members/summary')) assert.ok(r.json().reported > 0, `${key} as 崇仁镇 counts nothing`)
      else if (!SHARED_READS.has(key) && !FILES(key)) assert.match(r.body, /崇仁/, `${key} as 崇仁镇 shows none of its data`)
    }
  })

  it('a cadre of 甘霖镇 reads nothing of 崇仁镇', async () => {
    for (const [key, p] of Object.entries(table)) {
      if (!key.startsWith('GET') || SHARED_READS.has(key)) continue
      const r = await f.app.inject({ method: 'GET', url: withQuery(p), headers: ganlin })
      if (FILES(key) || key.endsWith('/due-summary')) {
        assert.notEqual(r.statusCode, 200, `${key} exported another town's register`)
        continue
      }
      assert.ok(r.statusCode >= 400 || (r.json().items ?? []).length === 0, `${key} answered ${r.statusCode}: ${r.body.slice(0, 200)}`)
      assert.doesNotMatch(r.body, /崇仁/, `${key} leaked 崇仁镇 data to 甘霖镇`)
    }
    // the unfiltered lists hold only 甘霖镇
    const orgs = await f.app.inject({ method: 'GET', url: '/api/orgs?q=工会', headers: ganlin })
    assert.ok(orgs.json().items.length > 0)
    assert.doesNotMatch(orgs.body, /崇仁/)
    const ents = await f.app.inject({ method: 'GET', url: '/api/enterprises', headers: ganlin })
    assert.ok(ents.json().items.length > 0)
    assert.doesNotMatch(ents.body, /崇仁/)
  })

  /**
   * Writes on 甘霖镇's own rows that point at 崇仁镇 (an enterprise, a union, a parent): each
   * would change 崇仁镇's statistics or tree, so each is refused and writes nothing.
   */
  it('a cadre of 甘霖镇 points nothing of its own at 崇仁镇', async () => {
    const { ids } = f
    const plan = await f.as('ganlin', (ctx) =>
      plans.create(ctx, {
        orgId: ids.ganlin,
        name: '甘霖镇计划',
        startOn: '2026-01-01',
        endOn: '2026-12-31',
        targets: [{ key: 'new.members', value: 5 }],
        milestones: [],
      }),
    )
    const ganlinTown = '330683100'
    const foreign: Record<string, { method: 'POST' | 'PATCH' | 'PUT'; url: string; body: unknown }> = {
      'member with 崇仁镇 enterprise': {
        method: 'POST',
        url: '/api/members',
        body: {
          name: '挂靠会员',
          documentType: 'resident_id',
          documentNumber: residentId('19910101'),
          unionId: ids.ganlinJoint,
          enterpriseId: ids.chongrenEnterprise,
        },
      },
      'member moved to 崇仁镇 enterprise': {
        method: 'PATCH',
        url: `/api/members/${ids.ganlinMember}`,
        body: { enterpriseId: ids.chongrenEnterprise },
      },
      'union for 崇仁镇 enterprise': {
        method: 'POST',
        url: '/api/orgs',
        body: {
          parentId: ids.ganlin,
          name: '越界建会',
          orgType: '1',
          orgForm: 'committee',
          regionCode: ganlinTown,
          enterpriseId: ids.chongrenEnterprise,
        },
      },
      'joint union covering 崇仁镇 enterprise': {
        method: 'POST',
        url: '/api/orgs',
        body: {
          parentId: ids.ganlin,
          name: '越界联合工会',
          orgType: '2',
          orgForm: 'joint_committee',
          regionCode: ganlinTown,
          jointScope: 'regional',
          jointCategory: 'other',
          enterpriseIds: [ids.chongrenEnterprise],
        },
      },
      'union under 崇仁镇 industry union': {
        method: 'PATCH',
        url: `/api/orgs/${ids.ganlinJoint}`,
        body: { industryUnionId: ids.chongrenBase },
      },
      'union moved under 崇仁镇': { method: 'POST', url: `/api/orgs/${ids.ganlinJoint}/move`, body: { parentId: ids.chongren } },
      'coverage of 崇仁镇 enterprise': {
        method: 'PUT',
        url: `/api/orgs/${ids.ganlinJoint}/enterprises`,
        body: { enterpriseIds: [ids.chongrenEnterprise] },
      },
      'enterprise moved to 崇仁镇': { method: 'PATCH', url: `/api/enterprises/${ids.ganlinEnterprise}`, body: { regionCode: '330683102' } },
      'plan allocated to 崇仁镇 union': {
        method: 'PUT',
        url: `/api/plans/${plan.id}/allocations`,
        body: { parentOrgId: ids.ganlin, rows: [{ orgId: ids.chongrenBase, values: { 'new.members': 5 } }] },
      },
    }
    for (const [what, p] of Object.entries(foreign)) {
      const before = await fingerprint()
      const r = await f.app.inject({ method: p.method, url: p.url, payload: p.body as object, headers: ganlin })
      assert.ok(r.statusCode >= 400 && r.statusCode < 500, `${what}: ${r.statusCode} ${r.body.slice(0, 200)}`)
      assert.match(r.json().error.message, /管辖范围|不存在|下级/, `${what}: refused for the wrong reason: ${r.body}`)
      assert.equal(await fingerprint(), before, `${what} changed data although it was refused`)
    }
    // the same references inside 甘霖镇 are accepted (the probes are refused for the town, not the shape)
    const own = await f.app.inject({
      method: 'PATCH',
      url: `/api/members/${ids.ganlinMember}`,
      payload: { enterpriseId: ids.ganlinEnterprise },
      headers: ganlin,
    })
    assert.equal(own.statusCode, 200, own.body)
  })

  it("beneath the services, the database refuses a reference outside the writer's jurisdiction", async () => {
    const { ids } = f
    const refused = async (what: string, write: (db: Ctx['db']) => Promise<unknown>) => {
      const before = await fingerprint()
      await assert.rejects(
        f.as('ganlin', (ctx) => write(ctx.db)),
        (e: { code?: string }) => e.code === '42501',
        `${what} was not refused by the database`,
      )
      assert.equal(await fingerprint(), before, what)
    }
    const ganlinPath = (await f.database.db.selectFrom('org').select('path').where('id', '=', ids.ganlin).executeTakeFirstOrThrow()).path
    await refused('member → 崇仁镇 enterprise', (db) =>
      db.updateTable('member').set({ enterprise_id: ids.chongrenEnterprise }).where('id', '=', ids.ganlinMember).execute(),
    )
    await refused('enterprise → 崇仁镇 joint union', (db) =>
      db.updateTable('enterprise').set({ joint_union_id: ids.chongren }).where('id', '=', ids.ganlinEnterprise).execute(),
    )
    await refused('enterprise held by 崇仁镇 under 甘霖镇 path', (db) =>
      db.updateTable('enterprise').set({ org_id: ids.chongren }).where('id', '=', ids.ganlinEnterprise).execute(),
    )
    await refused('union → 崇仁镇 parent', (db) =>
      db.updateTable('org').set({ parent_id: ids.chongren }).where('id', '=', ids.ganlinJoint).execute(),
    )
    await refused('ledger entry of a 崇仁镇 union under 甘霖镇 path', (db) =>
      db
        .insertInto('membership_event')
        .values({
          member_id: ids.ganlinMember,
          union_id: ids.chongrenBase,
          org_path: ganlinPath,
          event_type: '3',
          occurred_on: '2026-01-01',
        })
        .execute(),
    )
    // the city holds both towns: the same reference is its to set
    await f.as('city', (ctx) =>
      ctx.db.updateTable('member').set({ enterprise_id: ids.chongrenEnterprise }).where('id', '=', ids.ganlinMember).execute(),
    )
    await f.as('city', (ctx) =>
      ctx.db.updateTable('member').set({ enterprise_id: ids.ganlinEnterprise }).where('id', '=', ids.ganlinMember).execute(),
    )
  })

  it('a cadre of 甘霖镇 changes nothing of 崇仁镇', async () => {
    for (const [key, p] of Object.entries(table)) {
      if (key.startsWith('GET')) continue
      const before = await fingerprint()
      const method = key.split(' ')[0] as 'POST'
      const r = await f.app.inject({ method, url: withQuery(p), payload: p.body as object, headers: ganlin })
      assert.ok(r.statusCode >= 400, `${key} succeeded for 甘霖镇 on 崇仁镇: ${r.statusCode} ${r.body.slice(0, 200)}`)
      if (r.statusCode === 400) assert.match(r.json().error.message, /管辖范围/, `${key}: refused for the wrong reason: ${r.body}`)
      assert.doesNotMatch(r.body, /1380000|1390575/, `${key} leaked a phone number`)
      assert.equal(await fingerprint(), before, `${key} changed data although it was refused`)
    }
  })
})
