import { defaultRules, type RegionView, type RuleValues } from '../../../../common/api.js'
import { hasRole, type Ctx } from '../../http/context.js'
import { fieldError, forbidden } from '../../http/errors.js'
import * as repo from './regions.repository.js'
import { smsSettings } from '../sms/sms.js'
import { DEMO_MEMBER_PHONE } from '../../../../common/api-my.js'

const view = (r: { code: string; name: string; parent_code: string | null; level: number }): RegionView => ({
  code: r.code,
  name: r.name,
  parentCode: r.parent_code,
  level: r.level,
})

/** The county (or city) this system serves, for the public joining pages. */
export async function publicConfig(ctx: Ctx) {
  const county = await repo.county(ctx.db)
  // the demo (no SMS gateway: codes shown on screen) names its member to sign in as
  const demo = smsSettings().demo && !smsSettings().gatewayUrl
  return { cityCode: county?.code ?? null, cityName: county?.name ?? null, demoMemberPhone: demo ? DEMO_MEMBER_PHONE : null }
}

/** The divisions directly below one. */
export async function children(ctx: Ctx, parent: string): Promise<RegionView[]> {
  return (await repo.children(ctx.db, parent)).map(view)
}

/** The 应建未建 rule of a region: its own, else its town's, else the defaults. */
export async function rule(ctx: Ctx, regionCode: string) {
  const own = await repo.ruleOf(ctx.db, regionCode)
  const town = regionCode.length === 9 ? await repo.townRule(ctx.db, regionCode) : undefined
  const r = own ?? town
  return {
    regionCode,
    own: own !== undefined,
    rule: r
      ? {
          ownUnionMinEmployees: r.own_union_min_employees,
          graceMonths: r.grace_months,
          largeMinEmployees: r.large_min_employees,
          zoneMinEmployees: r.zone_min_employees,
        }
      : defaultRules,
  }
}

/** Sets a region's own rule (system administrator). */
export async function setRule(ctx: Ctx, regionCode: string, b: RuleValues) {
  if (!hasRole(ctx.actor, 'sysadmin')) throw forbidden()
  if (!(await repo.findByCode(ctx.db, regionCode))) throw fieldError('regionCode', '行政区划代码不存在')
  const before = await repo.ruleOf(ctx.db, regionCode)
  const r = await repo.upsertRule(ctx.db, {
    region_code: regionCode,
    own_union_min_employees: b.ownUnionMinEmployees,
    grace_months: b.graceMonths,
    large_min_employees: b.largeMinEmployees,
    zone_min_employees: b.zoneMinEmployees,
  })
  ctx.audit({
    action: 'rule.update',
    targetType: 'region',
    targetId: regionCode,
    detail: { before: before ?? null, after: b },
  })
  return { regionCode: r.region_code, own: true, rule: b }
}
