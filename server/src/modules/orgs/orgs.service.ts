import type { z } from 'zod'
import type { orgCreateBody, orgUpdateBody, OrgDetail, OrgSummary, Page } from '../../../../common/api.js'
import { maskPhone } from '../../../../common/id-card.js'
import type { Ctx } from '../../http/context.js'
import { AppError, badRequest, conflict, fieldError, notFound } from '../../http/errors.js'
import * as repo from './orgs.repository.js'
import * as enterprises from '../enterprises/enterprises.repository.js'
import * as regions from '../regions/regions.repository.js'
import * as stats from '../stats/stats.repository.js'
import { admitReserve } from '../members/reserve.js'
import { isWithin, requireRevealer, requireWriter } from '../../policies/policy.js'
import type { OrgRow } from './orgs.repository.js'

type CreateBody = z.output<typeof orgCreateBody>
type UpdateBody = z.output<typeof orgUpdateBody>

const JOINT_FORMS = ['joint_committee', 'joint_federation']
const REGIONAL_FORMS = ['federation', 'work_committee']
const PII_FIELDS = { chairPhone: 'chair_phone_enc', contactPhone: 'contact_phone_enc' } as const

function summary(r: repo.OrgSummaryFields & { child_count?: number | string | null }): OrgSummary {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    shortName: r.short_name,
    parentId: r.parent_id,
    orgType: r.org_type,
    orgForm: r.org_form,
    status: r.status,
    regionCode: r.region_code,
    isRegional: r.is_regional,
    isIndustryUnion: r.is_industry_union,
    jointScope: r.joint_scope,
    jointCategory: r.joint_category,
    foundedOn: r.founded_on,
    memberCount: r.member_count,
    childCount: Number(r.child_count ?? 0),
  }
}

function addYears(date: string, years: number) {
  const d = new Date(date + 'T00:00:00Z')
  d.setUTCFullYear(d.getUTCFullYear() + years)
  return d.toISOString().slice(0, 10)
}

/** What the audit log keeps of an organization: its fields with personal data masked. */
function auditView(ctx: Ctx, r: OrgRow) {
  // child_count is a counter kept by triggers (0009), not a field anyone edits
  const {
    chair_phone_enc,
    contact_phone_enc,
    created_at,
    updated_at,
    child_count: _children,
    ...rest
  } = r as OrgRow & { child_count?: number }
  return {
    ...rest,
    chair_phone: chair_phone_enc ? maskPhone(ctx.pii.decrypt(chair_phone_enc)) : null,
    contact_phone: contact_phone_enc ? maskPhone(ctx.pii.decrypt(contact_phone_enc)) : null,
  }
}

function changed(before: Record<string, unknown>, after: Record<string, unknown>) {
  const b: Record<string, unknown> = {}
  const a: Record<string, unknown> = {}
  for (const k of Object.keys(after)) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) {
      b[k] = before[k]
      a[k] = after[k]
    }
  }
  return { before: b, after: a }
}

async function checkEffectiveDate(ctx: Ctx, path: string, date: string, whole: 'node' | 'subtree') {
  const latest = await repo.latestVersionDate(ctx.db, path, whole)
  if (latest && date < latest) throw fieldError('effectiveDate', `不能早于该组织最近一次变更的生效日期 ${latest}`)
  if (date > addYears(ctx.today, 1)) throw fieldError('effectiveDate', '不能晚于一年之后')
}

/** Field rules that depend on the organization form: joint unions need their classification, others must not have one. */
function checkJointFields(form: string, jointScope: string | null | undefined, jointCategory: string | null | undefined) {
  if (JOINT_FORMS.includes(form)) {
    if (!jointScope) throw fieldError('jointScope', '联合工会须选择区域性或行业性')
    if (!jointCategory) throw fieldError('jointCategory', '联合工会须选择类型')
  } else if (jointScope || jointCategory) {
    throw fieldError('jointCategory', '只有联合工会委员会或工会联合会才有联合工会类型')
  }
}

async function industryLink(ctx: Ctx, id: number | null | undefined) {
  if (!id) return { industry_union_id: null, industry_path: null }
  const u = await repo.findById(ctx.db, id)
  if (!u || !u.is_industry_union) throw fieldError('industryUnionId', '所选组织不是产业工会或不在您的管辖范围内')
  return { industry_union_id: u.id, industry_path: u.path }
}

function columnsOf(ctx: Ctx, b: UpdateBody) {
  const enc = (v: string | null | undefined) => (v === undefined ? undefined : v ? ctx.pii.encrypt(v) : null)
  const cols = {
    name: b.name,
    short_name: b.shortName,
    credit_code: b.creditCode,
    org_type: b.orgType,
    org_form: b.orgForm,
    region_code: b.regionCode,
    joint_scope: b.jointScope,
    joint_category: b.jointCategory,
    status: b.status,
    is_industry_union: b.isIndustryUnion,
    founded_on: b.foundedOn,
    founding_method: b.foundingMethod,
    prep_group_on: b.prepGroupOn,
    approval_no: b.approvalNo,
    chair_name: b.chairName,
    chair_phone_enc: enc(b.chairPhone),
    contact_name: b.contactName,
    contact_phone_enc: enc(b.contactPhone),
    elected_on: b.electedOn,
    term_years: b.termYears,
    fulltime_workers: b.fulltimeWorkers,
    parttime_workers: b.parttimeWorkers,
    has_audit_committee: b.hasAuditCommittee,
    has_women_committee: b.hasWomenCommittee,
    has_labor_supervision: b.hasLaborSupervision,
    has_workers_congress: b.hasWorkersCongress,
    has_open_affairs: b.hasOpenAffairs,
    has_collective_contract: b.hasCollectiveContract,
    home_star: b.homeStar,
    female_count: b.femaleCount,
    migrant_count: b.migrantCount,
    needy_count: b.needyCount,
    model_worker_count: b.modelWorkerCount,
  }
  return Object.fromEntries(Object.entries(cols).filter(([, v]) => v !== undefined))
}

/** The joint union takes over the jurisdiction of the enterprises it covers; each must be visible and not have its own union. */
async function coverEnterprises(ctx: Ctx, union: OrgRow, ids: number[]) {
  const unique = [...new Set(ids)]
  const rows = await enterprises.findRawByIds(ctx.db, unique)
  if (rows.length !== unique.length) throw fieldError('enterpriseIds', '部分企业不存在或不在您的管辖范围内')
  const own = rows.find((r) => r.own_union_id !== null && r.own_union_id !== union.id)
  if (own) throw fieldError('enterpriseIds', `「${own.name}」已单独建会，不能再由联合工会涵盖`)
  const taken = rows.find((r) => r.joint_union_id !== null && r.joint_union_id !== union.id)
  if (taken) throw fieldError('enterpriseIds', `「${taken.name}」已由其他联合工会涵盖，请先从原联合工会移出`)
  const outside = rows.find((r) => !r.region_code.startsWith(union.region_code.slice(0, 9)))
  if (outside) throw fieldError('enterpriseIds', `「${outside.name}」不在该联合工会所在政区`)
  await enterprises.setJointUnion(ctx.db, unique, union)
  return rows.map((r) => ({ id: r.id, name: r.name }))
}

/** An audit entry on a union, in its own scope. */
function auditOrg(ctx: Ctx, action: string, org: { id: number; name: string; path: string }, detail: Record<string, unknown>) {
  ctx.audit({ action, targetType: 'org', targetId: org.id, targetName: org.name, scopePath: org.path, detail })
}

async function homeOf(ctx: Ctx, townCode: string) {
  const home = await repo.regionalUnionFor(ctx.db, townCode)
  if (!home) throw new AppError(409, 'no_regional_union', `政区 ${townCode} 没有可管辖的乡镇（街道）工会`)
  return home
}

export async function list(
  ctx: Ctx,
  q: {
    q?: string
    parent?: number
    hierarchy: 'geo' | 'industry'
    asOf?: string
    includeDissolved?: boolean
    orgType?: string
    joint?: boolean
    page: number
    pageSize: number
  },
): Promise<Page<OrgSummary>> {
  if (q.asOf) {
    const rows = await repo.listAsOf(ctx.db, q.parent ?? null, q.asOf, q.hierarchy)
    const items = rows.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      shortName: null,
      parentId: r.parent_id,
      orgType: r.org_type,
      orgForm: r.org_form,
      status: r.status,
      regionCode: r.region_code,
      isRegional: false,
      isIndustryUnion: false,
      jointScope: null,
      jointCategory: r.joint_category,
      foundedOn: null,
      memberCount: 0,
      childCount: Number(r.child_count ?? 0),
    }))
    return { items: items.slice((q.page - 1) * q.pageSize, q.page * q.pageSize), total: items.length }
  }
  if (q.parent === undefined && q.hierarchy === 'industry') {
    const r = await repo.list(ctx.db, { hierarchy: 'industry', industryRoots: true, q: q.q, page: q.page, pageSize: q.pageSize })
    return { items: r.items.map(summary), total: r.total }
  }
  if (q.parent === undefined && !q.q && !q.orgType && !q.joint) {
    // the root of a caller's tree is their own organization
    const own = ctx.actor.orgId ? await repo.summaryById(ctx.db, ctx.actor.orgId) : undefined
    return { items: own ? [summary(own)] : [], total: own ? 1 : 0 }
  }
  const r = await repo.list(ctx.db, {
    parentId: q.parent,
    hierarchy: q.hierarchy,
    q: q.q,
    includeDissolved: q.includeDissolved,
    orgType: q.orgType,
    joint: q.joint,
    page: q.page,
    pageSize: q.pageSize,
  })
  // a search counts up to a cap: totalCapped says there are more than total
  return { items: r.items.map(summary), total: r.total, totalCapped: r.totalCapped }
}

export async function get(ctx: Ctx, id: number): Promise<OrgDetail> {
  const r = await repo.findById(ctx.db, id)
  if (!r) throw notFound('组织')
  const ancestorIds = r.path
    .split('/')
    .filter(Boolean)
    .map(Number)
    .filter((x) => x !== r.id)
  const names = await repo.namesOf(ctx.db, [...ancestorIds, ...(r.industry_union_id ? [r.industry_union_id] : [])])
  const [children, counts, region] = await Promise.all([
    repo.countChildren(ctx.db, r.id),
    repo.subtreeCounts(ctx.db, r.path),
    regions.findByCode(ctx.db, r.region_code),
  ])
  return {
    ...summary({ ...r, child_count: children }),
    creditCode: r.credit_code,
    path: r.path,
    industryUnionId: r.industry_union_id,
    industryUnionName: r.industry_union_id ? (names.get(r.industry_union_id) ?? null) : null,
    parentName: r.parent_id ? (names.get(r.parent_id) ?? null) : null,
    regionName: region?.name ?? null,
    foundingMethod: r.founding_method,
    prepGroupOn: r.prep_group_on,
    approvalNo: r.approval_no,
    chairName: r.chair_name,
    chairPhone: r.chair_phone_enc ? maskPhone(ctx.pii.decrypt(r.chair_phone_enc)) : null,
    contactName: r.contact_name,
    contactPhone: r.contact_phone_enc ? maskPhone(ctx.pii.decrypt(r.contact_phone_enc)) : null,
    electedOn: r.elected_on,
    termYears: r.term_years,
    termEndsOn: r.elected_on && r.term_years ? addYears(r.elected_on, r.term_years) : null,
    fulltimeWorkers: r.fulltime_workers,
    parttimeWorkers: r.parttime_workers,
    hasAuditCommittee: r.has_audit_committee,
    hasWomenCommittee: r.has_women_committee,
    hasLaborSupervision: r.has_labor_supervision,
    hasWorkersCongress: r.has_workers_congress,
    hasOpenAffairs: r.has_open_affairs,
    hasCollectiveContract: r.has_collective_contract,
    homeStar: r.home_star,
    femaleCount: r.female_count,
    migrantCount: r.migrant_count,
    needyCount: r.needy_count,
    modelWorkerCount: r.model_worker_count,
    dissolvedOn: r.dissolved_on,
    ancestors: ancestorIds.filter((a) => names.has(a)).map((a) => ({ id: a, name: names.get(a)! })),
    counts: {
      children,
      enterprises: counts.enterprises,
      coveredEnterprises: counts.covered,
      coveredWorkers: counts.coveredWorkers,
      dueEnterprises: counts.due,
    },
  }
}

export async function create(ctx: Ctx, b: CreateBody): Promise<OrgDetail> {
  requireWriter(ctx)
  const parent = await repo.findById(ctx.db, b.parentId)
  if (!parent) throw fieldError('parentId', '上级工会不存在或不在您的管辖范围内')
  if (parent.status === 'dissolved') throw fieldError('parentId', '上级工会已注销')
  const region = await regions.findByCode(ctx.db, b.regionCode)
  if (!region) throw fieldError('regionCode', `行政区划代码 ${b.regionCode} 不存在`)
  if (!b.regionCode.startsWith(parent.region_code)) throw fieldError('regionCode', `应在上级工会所在政区（${parent.region_code}）之内`)
  checkJointFields(b.orgForm, b.jointScope, b.jointCategory)
  if (b.enterpriseIds?.length && !JOINT_FORMS.includes(b.orgForm)) throw fieldError('enterpriseIds', '只有联合工会才能涵盖多家企业')
  const date = b.effectiveDate ?? b.foundedOn ?? ctx.today
  if (date > addYears(ctx.today, 1)) throw fieldError('effectiveDate', '不能晚于一年之后')

  // a region's own union takes the division code; every other union gets a generated one
  const isRegional = REGIONAL_FORMS.includes(b.orgForm) && !b.isIndustryUnion && !(await repo.regionalUnionExists(ctx.db, b.regionCode))
  const id = await repo.nextId(ctx.db)
  const code = isRegional ? b.regionCode : await repo.nextCode(ctx.db, b.regionCode)
  const row = await repo.insert(ctx.db, {
    ...columnsOf(ctx, b),
    ...(await industryLink(ctx, b.industryUnionId)),
    id,
    code,
    name: b.name,
    org_type: b.orgType,
    org_form: b.orgForm,
    region_code: b.regionCode,
    parent_id: parent.id,
    path: `${parent.path}${id}/`,
    is_regional: isRegional,
  } as repo.OrgInsert)
  await repo.snapshot(ctx.db, row.path, date, 'node')

  const covered = b.enterpriseIds?.length ? await coverEnterprises(ctx, row, b.enterpriseIds) : []
  if (b.enterpriseId) {
    const [e] = await enterprises.findRawByIds(ctx.db, [b.enterpriseId])
    if (!e) throw fieldError('enterpriseId', '企业不存在或不在您的管辖范围内')
    if (e.own_union_id) throw fieldError('enterpriseId', `「${e.name}」已有单独建会的工会`)
    await enterprises.setOwnUnion(ctx.db, e.id, row)
    covered.push({ id: e.id, name: e.name })
  }
  // 预备会员 of these units leave the town's pool (members/reserve.ts)
  await admitReserve(
    ctx,
    row,
    covered.map((c) => c.id),
  )
  auditOrg(ctx, 'org.create', row, { after: auditView(ctx, row), enterprises: covered, effectiveDate: date })
  return get(ctx, row.id)
}

export async function update(ctx: Ctx, id: number, b: UpdateBody): Promise<OrgDetail> {
  requireWriter(ctx)
  const before = await repo.findById(ctx.db, id)
  if (!before) throw notFound('组织')
  if (before.status === 'dissolved') throw conflict('已注销的组织不能修改')
  const form = b.orgForm ?? before.org_form
  checkJointFields(
    form,
    b.jointScope === undefined ? before.joint_scope : b.jointScope,
    b.jointCategory === undefined ? before.joint_category : b.jointCategory,
  )
  if (b.regionCode && b.regionCode !== before.region_code) {
    if (before.is_regional) throw fieldError('regionCode', '地方总工会的所在政区不能修改')
    if (!(await regions.findByCode(ctx.db, b.regionCode))) throw fieldError('regionCode', `行政区划代码 ${b.regionCode} 不存在`)
    const parent = before.parent_id ? await repo.findById(ctx.db, before.parent_id) : undefined
    if (parent && !b.regionCode.startsWith(parent.region_code))
      throw fieldError('regionCode', `应在上级工会所在政区（${parent.region_code}）之内`)
  }
  const patch: repo.OrgPatch = { ...columnsOf(ctx, b) }
  if (b.industryUnionId !== undefined) Object.assign(patch, await industryLink(ctx, b.industryUnionId))
  const after = await repo.update(ctx.db, id, patch)
  const date = b.effectiveDate ?? ctx.today
  const treeFields = ['name', 'code', 'org_type', 'org_form', 'region_code', 'joint_category', 'status', 'industry_union_id'] as const
  if (treeFields.some((k) => before[k] !== after[k])) {
    await checkEffectiveDate(ctx, before.path, date, 'node')
    await repo.snapshot(ctx.db, after.path, date, 'node')
  }
  const diff = changed(auditView(ctx, before), auditView(ctx, after))
  auditOrg(ctx, 'org.update', after, { ...diff, effectiveDate: date })
  return get(ctx, id)
}

export async function move(ctx: Ctx, id: number, parentId: number, effectiveDate?: string): Promise<OrgDetail> {
  requireWriter(ctx)
  const node = await repo.findById(ctx.db, id)
  if (!node) throw notFound('组织')
  if (!node.parent_id) throw badRequest('最高一级的总工会不能移动')
  const parent = await repo.findById(ctx.db, parentId)
  if (!parent) throw fieldError('parentId', '新的上级工会不存在或不在您的管辖范围内')
  if (isWithin(parent.path, node.path)) throw fieldError('parentId', '不能移动到自身或其下级组织之下')
  if (parent.status === 'dissolved') throw fieldError('parentId', '新的上级工会已注销')
  if (parent.id === node.parent_id) throw fieldError('parentId', '已在该上级工会之下')
  const date = effectiveDate ?? ctx.today
  await checkEffectiveDate(ctx, node.path, date, 'subtree')
  const newPath = `${parent.path}${node.id}/`
  await repo.update(ctx.db, id, { parent_id: parent.id })
  // the statistics move the subtree's totals on the effective date, so a past date reads the tree as it was
  await stats.setEffectiveDay(ctx.db, date)
  await repo.rewritePaths(ctx.db, node.path, newPath)
  await stats.setEffectiveDay(ctx.db, null)
  await repo.snapshot(ctx.db, newPath, date, 'subtree')
  auditOrg(
    ctx,
    'org.move',
    { ...node, path: newPath },
    { before: { parent_id: node.parent_id, path: node.path }, after: { parent_id: parent.id, path: newPath }, effectiveDate: date },
  )
  return get(ctx, id)
}

export async function dissolve(ctx: Ctx, id: number, effectiveDate?: string, reason?: string): Promise<OrgDetail> {
  requireWriter(ctx)
  const node = await repo.findById(ctx.db, id)
  if (!node) throw notFound('组织')
  if (node.status === 'dissolved') throw conflict('该组织已经注销')
  if (!node.parent_id) throw badRequest('最高一级的总工会不能注销')
  if (node.member_count > 0) throw conflict(`该工会还有${node.member_count}名会员，请先办理会员转出后再注销`)
  const children = await repo.countChildren(ctx.db, id)
  if (children > 0) throw conflict(`该工会还有${children}个下级组织，请先注销或移走下级组织`)
  if (node.is_regional) {
    const held = await repo.subtreeCounts(ctx.db, node.path)
    if (held.enterprises > 0) throw conflict(`该地方工会管辖下还有${held.enterprises}家单位，不能注销`)
  }
  const date = effectiveDate ?? ctx.today
  await checkEffectiveDate(ctx, node.path, date, 'node')
  const released = await enterprises.releaseFromUnion(ctx.db, id, [], (town) => homeOf(ctx, town))
  const after = await repo.update(ctx.db, id, { status: 'dissolved', dissolved_on: date })
  await repo.snapshot(ctx.db, after.path, date, 'node')
  auditOrg(ctx, 'org.dissolve', node, {
    before: { status: node.status },
    after: { status: 'dissolved', dissolved_on: date },
    reason,
    releasedEnterprises: released,
  })
  return get(ctx, id)
}

/** Sets the enterprises a joint union covers: the ones removed go back to their town's union. */
export async function setCoverage(ctx: Ctx, id: number, enterpriseIds: number[]) {
  requireWriter(ctx)
  const union = await repo.findById(ctx.db, id)
  if (!union) throw notFound('组织')
  if (!JOINT_FORMS.includes(union.org_form)) throw fieldError('enterpriseIds', '只有联合工会才能涵盖多家企业')
  if (union.status === 'dissolved') throw conflict('已注销的工会不能涵盖企业')
  const released = await enterprises.releaseFromUnion(ctx.db, id, enterpriseIds, (town) => homeOf(ctx, town))
  const covered = await coverEnterprises(ctx, union, enterpriseIds)
  await admitReserve(
    ctx,
    union,
    covered.map((c) => c.id),
  ) // as in create
  auditOrg(ctx, 'org.coverage', union, { after: { enterprises: covered.map((c) => c.id) }, released })
  return get(ctx, id)
}

/** The full value of a masked field, for a role allowed to see it; every reveal is audited with its reason. */
export async function reveal(ctx: Ctx, id: number, field: keyof typeof PII_FIELDS, reason: string) {
  requireRevealer(ctx)
  const r = await repo.findById(ctx.db, id)
  if (!r) throw notFound('组织')
  const enc = r[PII_FIELDS[field]]
  ctx.audit({ action: 'pii.reveal', targetType: 'org', targetId: id, targetName: r.name, scopePath: r.path, detail: { field, reason } })
  return { value: enc ? ctx.pii.decrypt(enc) : null }
}

/**
 * Every union's name and code, across jurisdictions: a transfer may go to any union, so the
 * sending side must be able to find it. Nothing but the name and code is exposed.
 */
export async function directory(ctx: Ctx, q: string) {
  return repo.directory(ctx.db, q)
}
