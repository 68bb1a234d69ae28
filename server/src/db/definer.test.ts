import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import type { Database } from './client.js'
import { testDatabase } from '../test/harness.js'

/**
 * Every SECURITY DEFINER function of a freshly migrated database, and what it may do. A definer
 * runs as the owner, past row-level security: each is a deliberate crossing of jurisdictions and
 * belongs in this list, with who may execute it. A new definer function fails this test until it
 * is written down here.
 *
 * Who may execute:
 * - 'app': the owner and gonghui_app only (EXECUTE revoked from PUBLIC, granted to gonghui_app);
 * - 'owner': the owner only (operators' commands, never a request);
 * - 'trigger': a trigger function. PostgreSQL refuses to call one except as a trigger, so the
 *   default EXECUTE for PUBLIC grants nothing; the trigger itself decides what it does;
 * - 'public (gap)': a plain function left with PUBLIC's default EXECUTE, which gonghui_app (any
 *   request) could call directly. Listed as found, so that the state is known; it is to be revoked
 *   by a migration, and then this entry changes to 'owner' (the test fails until it does).
 */
type Who = 'app' | 'owner' | 'trigger' | 'public (gap)'
/** An entry of the list: who may execute the function, and what it may do. */
const entry = (who: Who) => (may: string) => ({ who, may })
const app = entry('app')
const owner = entry('owner')
const trigger = entry('trigger')
const documented: Record<string, { who: Who; may: string }> = {
  // ── the public joining pages, by the applicant's token (0002, 0003, 0011, 0016) ──
  'application_status(token text)': app("reads one application by its token: state, reviewer's note, the answer"),
  'application_withdraw(token text)': app('withdraws the open application of that token (application: status)'),
  'application_answer(token text, answer text, new_workplace text, new_phone_enc text, new_phone_hash text, new_phone_masked text)': app(
    'writes the applicant’s answer to 需补充材料 (and a corrected workplace or sealed phone) on the application of that token',
  ),
  'joining_workplace(eid bigint)': app('reads one enterprise’s town, platform flag and whether it has a union of its own'),
  'joining_targets(enterprise bigint, town text)': app('reads where an application is routed: the unit’s union, joint union or town union'),
  'flexible_joint_targets(town text)': app('reads the town’s joint unions for 新就业形态 workers (ids and names)'),
  'enterprise_directory(q text, lim integer)': app('reads enterprise names (and routing facts) for the public workplace search'),
  'member_contact(doc_hash text, given_name text)': app(
    'reads the sealed phone on record of the member with this document hash and name (for a one-time code), nothing else',
  ),
  'member_transfer_status(token text)': app(
    'reads the transfer of that token (a request made on the joining page before it moved to the member’s phone): receiving union, state, member number once accepted',
  ),
  'card_status(no text)': app('reads a member number’s status and union name, for a card scanner'),
  'member_sign_in(tok text, phone text, csrf text, from_ip text, days integer)': app(
    'inserts a phone session (member_session) for a phone the caller proved with a code; reads the member on record with it',
  ),
  // ── crossings by signed-in users ──
  'enterprise_credit_codes_taken(codes text[])': app(
    'reads which of the given credit codes the enterprise register holds anywhere (a bulk import’s dry run: 另一辖区已有该代码), nothing else',
  ),
  'message_to_members(ids bigint[], msg_kind text, msg_title text, msg_body text, msg_link text, want_sms boolean)': app(
    'inserts one message per member (by id, not left) with the member’s union path; returns the sealed phones of those who take SMS',
  ),
  // activities (0021): the member's sign-up and cancellation under the activity row's lock
  'activity_open_to_me(a_org_id bigint, a_org_path text, a_audience text)': app(
    'reads whether the calling member may join an activity of that union (their union’s path, their unit’s coverage)',
  ),
  'activity_sign_up(act bigint, my_name text, my_union text)': app(
    'locks an activity open to the calling member; inserts or revives their own registration (registered or waiting); updates the activity’s counters and warning flags',
  ),
  'activity_cancel_sign_up(act bigint)': app(
    'cancels the calling member’s own registration; promotes the oldest waiting registration of that activity; updates its counters',
  ),
  'activity_fill_seats(act bigint)': app(
    'for a writer whose scope holds the activity: promotes its oldest waiting registrations into free seats; updates its counters',
  ),
  'activity_waitlist_place(reg bigint)': app(
    'counts the waiting registrations ahead of one registration, for its own member or a cadre whose scope holds it',
  ),
  'proposal_support_add(pid bigint)': app(
    'as the signed-in member: reads one proposal published to them and adds their support once (proposal_support); returns the outcome and the count as it stood',
  ),
  'proposal_support_count()': trigger(
    'at the commit of a support: counts it, refusing one for a proposal that is not there (23503, 0030), (proposal: supports_count, frozen_at) under the proposal’s row lock, and at the threshold sets reached_at, the answer’s due date and the work plan item (work_plan_item), and announces it (pg_notify proposal_reached)',
  ),
  'member_locate(hashes text[])': app('reads where persons (by document hash) are members, masked, and whether inside the caller’s scope'),
  'member_readmit(mid bigint, uid bigint, upath text, no text, on_day date)': app(
    'updates a member who left (status left only) into a union the caller may write in, joined on the day given',
  ),
  'org_brief(ids bigint[])': app('reads the name, path, status and region of unions in any jurisdiction (transfers)'),
  'org_directory(q text, lim integer)': app('reads unions’ code and name only (the 安全管理员 attaching roles)'),
  'org_search_ids(q text)': app('reads org ids matching a name or code, filtered by the caller’s scope itself'),
  'org_search_page(q text, include_dissolved boolean, lim integer, skip integer, cap integer, OUT ids bigint[], OUT total integer)': app(
    'reads a page of org ids matching a search and their count, filtered by the caller’s scope itself',
  ),
  'enterprise_search_ids(q text)': app('reads enterprise ids matching a name or credit code, filtered by the caller’s scope itself'),
  'org_paths_rewrite(old_path text, new_path text)': app(
    'updates the paths of a moved union’s rows (members, enterprises, …) when the caller holds both places; history keeps its paths',
  ),
  'reserve_admit(eids bigint[], uid bigint)': app(
    'updates the 预备会员 of the units (no transfer in flight) from their pool union (any town) to 在册 in uid, member rows only (the ledger is the service’s); caller must write in uid',
  ),
  'pool_applications_reroute(eids bigint[], uid bigint)': app(
    'updates the open applications parked in those units’ pool to go to union uid',
  ),
  'end_user_sessions(uid bigint)': app('deletes the sessions of one account (the 系统管理员 resetting or disabling it)'),
  // ── operators only ──
  'stat_recompute()': owner('reads every base table to recompute the statistics tallies (stats verify)'),
  // ── helpers of the statistics triggers ──
  'stat_add(ds stat_delta[])': owner(
    'adds deltas to stat_day and stat_total of any node; for the stat_* triggers only (revoked from PUBLIC in 0018)',
  ),
  'stat_shift(node bigint, old_g bigint[], new_g bigint[], old_i bigint[], new_i bigint[])': owner(
    'moves a subtree’s stocks between ancestors via stat_add; for stat_org_update only (revoked from PUBLIC in 0018)',
  ),
  // ── triggers: counters and tallies of ancestors the writer may only read; references checked beneath writes ──
  'member_count_after_insert()': trigger('updates org.member_count and enterprise.member_count of the new members’ unions'),
  'member_count_after_update()': trigger('updates org.member_count and enterprise.member_count when members move or leave'),
  'org_child_count_after_insert()': trigger('updates the parent’s child_count and coverage counters'),
  'org_child_count_after_update()': trigger('updates child_count and coverage counters of old and new parents'),
  'org_child_count_after_delete()': trigger('updates the parent’s child_count and coverage counters'),
  'stat_org_insert()': trigger('adds the new unions’ facts to stat_day/stat_total of every ancestor'),
  'stat_org_update()': trigger('adds changed unions’ facts (and moves) to stat_day/stat_total of every ancestor'),
  'stat_enterprise_insert()': trigger('adds the new enterprises’ facts to the tallies of every ancestor'),
  'stat_enterprise_update()': trigger('adds changed enterprises’ facts to the tallies of every ancestor'),
  'stat_member_insert()': trigger('adds the new members’ facts to the tallies of every ancestor'),
  'stat_member_update()': trigger('adds changed members’ facts to the tallies of every ancestor'),
  'stat_event_insert()': trigger('adds ledger entries (flows) to stat_day/stat_total where they happened'),
  'stat_activity_insert()': trigger('adds published activities’ facts (act.*) to the tallies of every ancestor (0024)'),
  'stat_activity_update()': trigger(
    'adds changed activities’ facts, their check-ins’ and their attendees’ participation (reads those members’ registrations) to the tallies (0024)',
  ),
  'stat_registration_insert()': trigger('adds checked-in registrations’ facts and participation to the tallies (0024)'),
  'stat_registration_update()': trigger(
    'adds a check-in’s or rating’s facts and the member’s participation (reads that member’s registrations) to the tallies (0024)',
  ),
  'stat_proposal_insert()': trigger('adds new proposals’ facts (prop.*) to the tallies of every ancestor (0024)'),
  'stat_proposal_update()': trigger('adds changed proposals’ facts (planned, answered, done, hidden) to the tallies (0024)'),
  'refs_check()': trigger('reads referenced rows beyond RLS to refuse a reference outside the writer’s scope (0016)'),
  'register_check_refs()': trigger('reads org and member to refuse a member or ledger entry pointing nowhere (23503)'),
  'member_check_unreferenced()': trigger('reads the ledger to refuse deleting a member it references (23503)'),
  'org_check_unreferenced()': trigger('reads members and the ledger to refuse deleting a union they reference (23503)'),
  'proposal_check_unreferenced()': trigger('reads the supports to refuse deleting a proposal they reference (23503, 0030)'),
}

interface Definer {
  signature: string
  schema: string
  returns: string
  config: string[] | null
  /** roles holding EXECUTE, 'PUBLIC' for everyone, 'OWNER' for the owner */
  executors: string[]
}

describe('SECURITY DEFINER functions', () => {
  let d: Database
  let definers: Definer[]
  before(async () => {
    d = await testDatabase()
    const rows = await sql<{ schema: string; signature: string; returns: string; config: string[] | null; executors: string[] }>`
      select n.nspname as schema,
             p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as signature,
             p.prorettype::regtype::text as returns,
             to_json(p.proconfig) as config,
             to_json(array(select case when a.grantee = 0 then 'PUBLIC' when a.grantee = p.proowner then 'OWNER'
                                       else pg_get_userbyid(a.grantee)::text end
                             from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                            where a.privilege_type = 'EXECUTE' order by 1)) as executors
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where p.prosecdef and n.nspname not in ('pg_catalog', 'information_schema')
       order by 2`.execute(d.db)
    definers = rows.rows
  })
  after(() => d.close())

  it('are all documented here, and every one documented exists', () => {
    assert.ok(definers.length > 0, 'the catalog query finds the definer functions')
    const found = definers.map((f) => f.signature)
    const undocumented = found.filter((s) => !(s in documented))
    assert.deepEqual(
      undocumented,
      [],
      'a SECURITY DEFINER function not documented in definer.test.ts: say what it may do and who may run it',
    )
    const gone = Object.keys(documented).filter((s) => !found.includes(s))
    assert.deepEqual(gone, [], 'documented in definer.test.ts but no longer a SECURITY DEFINER function')
    assert.deepEqual([...new Set(definers.map((f) => f.schema))], ['public'])
  })

  it('fix their search_path, so that no object of the caller’s can stand in for one of theirs', () => {
    for (const f of definers) assert.ok(f.config?.includes('search_path=public'), `${f.signature}: ${JSON.stringify(f.config)}`)
  })

  it('may be executed only by the roles documented: EXECUTE revoked from PUBLIC, granted to gonghui_app where the app calls it', () => {
    const expected: Record<Who, string[]> = {
      app: ['OWNER', 'gonghui_app'],
      owner: ['OWNER'],
      trigger: ['OWNER', 'PUBLIC'],
      'public (gap)': ['OWNER', 'PUBLIC'],
    }
    const wrong = definers
      .filter((f) => f.signature in documented)
      .map((f) => ({ fn: f.signature, documented: documented[f.signature]!.who, executors: f.executors }))
      .filter((x) => JSON.stringify(x.executors) !== JSON.stringify(expected[x.documented]))
    assert.deepEqual(wrong, [], 'who may execute a definer function differs from definer.test.ts')
    // 'trigger' is harmless with PUBLIC only because it cannot be called: it must return trigger
    for (const f of definers) {
      const who = documented[f.signature]?.who
      if (who === 'trigger') assert.equal(f.returns, 'trigger', `${f.signature} is documented as a trigger`)
      else assert.notEqual(f.returns, 'trigger', `${f.signature} is a trigger function: document it as 'trigger'`)
    }
  })

  it('write no words for people: what a user reads is written by the services (issue 10)', async () => {
    // a name matched as data, not shown: the town's joint unions for 新就业形态 workers
    const matching = new Set(['flexible_joint_targets'])
    const r = await sql<{ name: string }>`
      select p.proname as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and p.prosrc ~ '[\u4e00-\u9fff]' order by 1`.execute(d.db)
    assert.deepEqual(
      r.rows.map((x) => x.name).filter((x) => !matching.has(x)),
      [],
      'a database function holds Chinese text: pass it in from the service',
    )
  })

  it('trigger functions cannot be called by the application role directly', async () => {
    await assert.rejects(
      d.db.transaction().execute(async (tx) => {
        await sql`set local role gonghui_app`.execute(tx)
        await sql`select refs_check()`.execute(tx)
      }),
      /trigger functions can only be called as triggers/,
    )
  })
})
