/**
 * Registering a unit (登记单位), as the form and the bulk import (imports/enterprise-import.ts) both
 * do it: the town checked against the caller's jurisdiction, the credit code against the register,
 * the people sealed, one row through the repository (its triggers keep the statistics).
 */
import type { z } from 'zod'
import { enterpriseStatuses, type enterpriseCreateBody } from '../../../../common/api.js'
import { maskName, maskPhone } from '../../../../common/id-card.js'
import type { Ctx } from '../../http/context.js'
import { conflict, fieldError } from '../../http/errors.js'
import { inScope } from '../../policies/policy.js'
import * as orgs from '../orgs/orgs.repository.js'
import * as regions from '../regions/regions.repository.js'
import * as repo from './enterprises.repository.js'

export type CreateBody = z.output<typeof enterpriseCreateBody>
export type Place = { townCode: string; home: { id: number; path: string; name: string } }

/** The town an enterprise sits in, checked against the divisions; its jurisdiction starts at that town's union. */
export async function placeIn(ctx: Ctx, regionCode: string): Promise<Place> {
  const region = await regions.findByCode(ctx.db, regionCode)
  if (!region || region.level < 4) throw fieldError('regionCode', `行政区划代码 ${regionCode} 不存在或不是乡镇（街道）、村（社区）`)
  const townCode = regionCode.slice(0, 9)
  const home = await orgs.regionalUnionFor(ctx.db, townCode)
  if (!home || !inScope(ctx.actor, home.path)) {
    throw fieldError('regionCode', `所在政区「${region.name}」不在您的管辖范围内`)
  }
  return { townCode, home }
}

/** Sealed personal data of a unit, from the body's values (undefined: unchanged, null or '': cleared). */
export const seal = (ctx: Ctx, v: string | null | undefined) => (v === undefined ? undefined : v ? ctx.pii.encrypt(v) : null)

/** The body for the audit log: the unit's people masked like on screen (the phone is masked by its key anyway). */
export function auditable<T extends { legalRep?: string | null; contactName?: string | null; contactPhone?: string | null }>(b: T): T {
  const out = { ...b }
  if (b.legalRep) out.legalRep = maskName(b.legalRep)
  if (b.contactName) out.contactName = maskName(b.contactName)
  if (b.contactPhone) out.contactPhone = maskPhone(b.contactPhone)
  return out
}

/** A holder of a credit code the caller can see: the unit named, with its town and state. */
export function heldBy(held: { name: string; status: string; town_name: string | null }) {
  const closed = held.status !== 'active' ? `，状态：${enterpriseStatuses.find((x) => x.code === held.status)?.label}` : ''
  return `该统一社会信用代码已登记为「${held.name}」（${held.town_name ?? '本辖区'}${closed}）`
}

/**
 * A credit code already registered: the unit that has it is named when it is in the caller's
 * jurisdiction (they can open it anyway); otherwise the unique index answers that it is
 * registered elsewhere (http/errors.ts) — naming another town's unit or town would tell a cadre
 * what their jurisdiction does not cover, and the city union above both can sort it out.
 */
export async function checkCreditCode(ctx: Ctx, creditCode: string, self?: number) {
  const held = await repo.findByCreditCode(ctx.db, creditCode)
  if (held && Number(held.id) !== self) {
    throw conflict(`${heldBy(held)}，请直接打开该单位修改，不要重复登记`, { creditCode: `已登记为「${held.name}」` })
  }
}

/** The new unit's row, in the town `place` and the caller's transaction; the id. */
export async function register(ctx: Ctx, b: CreateBody, place: Place): Promise<number> {
  const row = await repo.insert(ctx.db, {
    credit_code: b.creditCode,
    name: b.name,
    address: b.address ?? null,
    region_code: b.regionCode,
    town_code: place.townCode,
    nature: b.nature,
    economic_type: b.economicType ?? null,
    industry: b.industry ?? null,
    employees: b.employees,
    migrant_workers: b.migrantWorkers ?? 0,
    dispatched_workers: b.dispatchedWorkers ?? 0,
    above_scale: b.aboveScale ?? false,
    zone_name: b.zoneName || null,
    is_platform: b.isPlatform ?? false,
    founded_on: b.foundedOn ?? null,
    org_id: place.home.id,
    org_path: place.home.path,
    legal_rep_enc: seal(ctx, b.legalRep) ?? null,
    contact_name_enc: seal(ctx, b.contactName) ?? null,
    contact_phone_enc: seal(ctx, b.contactPhone) ?? null,
  })
  return Number(row.id)
}
