/**
 * Entering the register (入会), the one way: a cadre registers a person (members.service create),
 * a reviewer approves an application (applications.service decide), a roster import commits
 * (imports.service). Each writes the member row and its 入会 entry of the ledger here, in the
 * caller's transaction; the caller checks its own input first and writes its own audit entries.
 *
 * - One person, one membership: the person is looked up across jurisdictions (locate.ts). A person
 *   who left takes their row back (member_readmit: the row is theirs for life) at the new union,
 *   with a new member number; a member anywhere else is refused, saying where (elsewhereError).
 * - The status is 'active' (在册), or 'reserve' (预备会员) for an application routed to a town's pool.
 * - The member number is the union's county code and the next number of member_no_seq.
 * - A roster's rows staged by the import (import_stage) enter in one statement per chunk, with the
 *   same number and ledger entry; a person already in the register is skipped (the unique index).
 */
import type { MemberElsewhere } from '../../../../common/api-members.js'
import type { Ctx } from '../../http/context.js'
import { AppError, conflict } from '../../http/errors.js'
import * as repo from './members.repository.js'
import * as imports from '../imports/imports.repository.js'
import { locatePeople, type LocatePurpose } from './locate.js'

/** The union a person enters. */
export interface EnrollUnion {
  id: number
  path: string
  region_code: string
}

/** A new member row without what enrolling sets (number, union, status, date, quality). */
export type PersonRow = Omit<repo.MemberInsert, 'member_no' | 'union_id' | 'org_path' | 'status' | 'joined_on' | 'quality'> & {
  name: string
  gender: string
  document_hash: string
  phone_hash: string | null
  workplace: string | null
  enterprise_id: number | null
}

/** One person. */
export interface OnePerson {
  documentHash: string
  status: 'active' | 'reserve'
  joinedOn: string
  /** why the register is searched for the person (audited when found beyond the jurisdiction) */
  purpose: LocatePurpose
  /** the new row, built only for a person the register does not know (it may still refuse: a missing field) */
  row: () => PersonRow
  /** what a readmitted person's row takes from this enrollment besides union and number */
  readmitWith?: repo.MemberPatch
}

/** The rows of a roster import staged in import_stage (imports.repository). */
export interface StagedRoster {
  stagedJobId: number
}

/** 合格 = valid document (checked before any write), no duplicate (a unique index), required fields present. */
export function qualityOf(m: {
  name: string
  gender: string
  phone_hash: string | null
  workplace: string | null
  enterprise_id: number | null
}) {
  if (!m.name || !m.gender || !m.phone_hash || (!m.workplace && !m.enterprise_id)) return 'missing_fields'
  return 'ok'
}

/** The person is a member somewhere already: say where (masked) and offer a transfer, write nothing. */
export function elsewhereError(
  found: { member_id: number; union_id: number; union_name: string; status: string; document_masked: string; name_masked: string },
  unionId: number,
) {
  const where: MemberElsewhere = {
    memberId: found.member_id,
    unionId: found.union_id,
    unionName: found.union_name,
    status: found.status,
    documentNumber: found.document_masked,
    name: found.name_masked,
  }
  if (found.union_id === unionId) {
    return Object.assign(conflict(`该证件号码（${found.document_masked}）已是本工会会员`, { documentNumber: '已是本工会会员' }), {
      detail: where,
    })
  }
  return Object.assign(
    new AppError(
      409,
      'member_elsewhere',
      `该人员（${found.name_masked}，${found.document_masked}）已是「${found.union_name}」会员，一人只能有一个会籍；可发起会员接转`,
      { documentNumber: `已是「${found.union_name}」会员` },
    ),
    { detail: where },
  )
}

/** Enrolls one person (returns the member's id, and whether their old row was taken back) or a staged roster (returns how many entered). */
export async function enroll(ctx: Ctx, union: EnrollUnion, who: OnePerson): Promise<{ memberId: number; readmitted: boolean }>
export async function enroll(ctx: Ctx, union: EnrollUnion, who: StagedRoster): Promise<{ inserted: number }>
export async function enroll(
  ctx: Ctx,
  union: EnrollUnion,
  who: OnePerson | StagedRoster,
): Promise<{ memberId: number; readmitted: boolean } | { inserted: number }> {
  if ('stagedJobId' in who) {
    const inserted = await imports.insertStaged(ctx.db, {
      id: who.stagedJobId,
      union_id: union.id,
      actorId: ctx.actor.id,
    })
    return { inserted }
  }
  const [found] = await locatePeople(ctx, [who.documentHash], who.purpose)
  const memberNo = await repo.nextMemberNo(ctx.db, union.region_code)
  let memberId: number
  let readmitted = false
  if (found && found.status === 'left') {
    if (!(await repo.readmit(ctx.db, found.member_id, union, memberNo, who.joinedOn))) throw elsewhereError(found, union.id)
    memberId = found.member_id
    readmitted = true
    if (who.readmitWith) await repo.update(ctx.db, memberId, who.readmitWith)
  } else if (found) {
    throw elsewhereError(found, union.id)
  } else {
    const row = who.row()
    memberId = (
      await repo.insert(ctx.db, {
        ...row,
        member_no: memberNo,
        union_id: union.id,
        org_path: union.path,
        status: who.status,
        joined_on: who.joinedOn,
        quality: qualityOf(row),
      })
    ).id
  }
  await repo.addEvent(ctx.db, {
    member_id: memberId,
    union_id: union.id,
    org_path: union.path,
    event_type: '1',
    occurred_on: who.joinedOn,
    actor_id: ctx.actor.id,
  })
  return { memberId, readmitted }
}
