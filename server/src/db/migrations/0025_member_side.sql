-- The member's side, the gaps left (issue 11).
--
-- 1. References that had no foreign key. 0021 (activities) came before 0022 (proposals), so an
--    activity's proposal was a bare number ("no foreign key yet"); 0022 named the author of a
--    proposal and the member behind a support by number only. Nothing deletes these rows (members
--    leave with status 'left', proposals close or are hidden), so the keys refuse nothing that is
--    done today; they refuse a number that names no row. The actor columns (created_by,
--    checked_in_by …) stay numbers, as every other table's do (accounts are never deleted; the
--    audit log names the actor).
--    An activity's proposal must moreover be one the organizing cadre can read: the statement-level
--    reference check (refs_check, 0016) gets the proposal as a 'scope' reference.
--
-- 2. A member's own transfer request (转会申请) moves from the anonymous joining page to the
--    member's signed-in phone (会员端): the member inserts it, and withdraws it while pending,
--    under row-level security as the member ('member' role, app.member_id / app.member_path).

-- ── 1. references ─────────────────────────────────────────────────────────────────────────
alter table activity add foreign key (proposal_id) references proposal (id);
create index activity_proposal on activity (proposal_id) where proposal_id is not null;
alter table proposal add foreign key (author_id) references member (id);
alter table proposal_support add foreign key (member_id) references member (id);

drop trigger activity_refs_scope_insert on activity;
drop trigger activity_refs_scope_update on activity;
create trigger activity_refs_scope_insert after insert on activity referencing new table as new_rows
  for each statement execute function refs_check('same|org_id|org|path|org_path', 'scope|proposal_id|proposal|org_path');
create trigger activity_refs_scope_update after update on activity referencing old table as old_rows new table as new_rows
  for each statement execute function refs_check('same|org_id|org|path|org_path', 'scope|proposal_id|proposal|org_path');

-- ── 2. the member's own transfer request, signed in ───────────────────────────────────────
-- The member (role 'member') inserts their own request: their row, from their own union (the path
-- of the session, app.member_path; refs_check holds from_union_id to it), asked by 'member',
-- pending. The receiving union decides it (transfers.service accept / decline), as before.
create policy transfer_member_insert on transfer for insert with check (
  app_has_role('member') and member_id = app_member_id() and requested_by = 'member' and status = 'pending'
  and from_path = app_member_path() and decided_at is null and decided_by is null and token_hash is null);
-- and withdraws it while it is pending: the only change a member makes to a transfer
create policy transfer_member_cancel on transfer for update
  using (app_has_role('member') and member_id = app_member_id() and requested_by = 'member' and status = 'pending')
  with check (app_has_role('member') and member_id = app_member_id() and requested_by = 'member' and status = 'cancelled');

-- The anonymous path is retired: the joining page no longer takes a transfer request (it sends a
-- member to sign in), so the functions that let an anonymous request find a member by document
-- number, insert the request and withdraw it by token go. member_transfer_status stays: a link
-- followed from before still shows its request's state (read-only; withdrawing is signed in).
drop function member_transfer_subject(text, text, text);
drop function member_transfer_insert(text, bigint, text, text);
drop function member_transfer_withdraw(text, text);
