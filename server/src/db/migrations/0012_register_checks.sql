-- Bulk writes to the register (roster imports: a million members and their 入会 entries in one
-- statement) were dominated by per-row work that is not the product: a foreign-key check per row
-- per reference, each an index probe that also locks the referenced row (FOR KEY SHARE, one WAL
-- record per newly inserted member the ledger points at). The references of the member table to its
-- union and of the ledger to its member and union are now checked once per statement, over the
-- statement's rows (transition tables), with the same meaning as the foreign keys they replace
-- (a missing row fails the whole statement, error 23503), and deleting a union or a member that is
-- still referenced fails the same way. Measured: bench/members.ts, docs/BENCHMARKS.md.
--
-- Also: the keyed hashes and member numbers are compared byte by byte (COLLATE "C"): equality is
-- unchanged, their btree indexes no longer pay for locale-aware comparison.

alter table membership_event drop constraint membership_event_member_id_fkey;
alter table membership_event drop constraint membership_event_union_id_fkey;
alter table member drop constraint member_union_id_fkey;

alter table member alter column document_hash type text collate "C";
alter table member alter column phone_hash type text collate "C";
alter table member alter column member_no type text collate "C";

create function register_refs_fail(what text, id bigint) returns void language plpgsql as $$
begin
  raise exception using errcode = 'foreign_key_violation', message = format('%s %s does not exist or is still referenced', what, id);
end $$;

-- the rows a statement wrote must point at existing unions (member, ledger) and members (ledger)
create function register_check_refs() returns trigger language plpgsql security definer set search_path = public as $$
declare bad bigint;
begin
  select n.union_id into bad from (select distinct union_id from new_rows) n
   where not exists (select 1 from org o where o.id = n.union_id) limit 1;
  if found then perform register_refs_fail('org', bad); end if;
  if tg_table_name = 'membership_event' then
    select n.member_id into bad from new_rows n
     where not exists (select 1 from member m where m.id = n.member_id) limit 1;
    if found then perform register_refs_fail('member', bad); end if;
  end if;
  return null;
end $$;
create trigger member_refs_insert after insert on member referencing new table as new_rows
  for each statement execute function register_check_refs();
create trigger member_refs_update after update on member referencing new table as new_rows
  for each statement execute function register_check_refs();
create trigger membership_event_refs_insert after insert on membership_event referencing new table as new_rows
  for each statement execute function register_check_refs();
create trigger membership_event_refs_update after update on membership_event referencing new table as new_rows
  for each statement execute function register_check_refs();

-- a union or member still referenced cannot be deleted (the register never deletes them; this keeps
-- the owner from doing it by hand)
create function org_check_unreferenced() returns trigger language plpgsql security definer set search_path = public as $$
declare bad bigint;
begin
  select o.id into bad from old_rows o
   where exists (select 1 from member m where m.union_id = o.id) or exists (select 1 from membership_event e where e.union_id = o.id) limit 1;
  if found then perform register_refs_fail('org', bad); end if;
  return null;
end $$;
create trigger org_refs_delete after delete on org referencing old table as old_rows
  for each statement execute function org_check_unreferenced();

create function member_check_unreferenced() returns trigger language plpgsql security definer set search_path = public as $$
declare bad bigint;
begin
  select o.id into bad from old_rows o where exists (select 1 from membership_event e where e.member_id = o.id) limit 1;
  if found then perform register_refs_fail('member', bad); end if;
  return null;
end $$;
create trigger member_refs_delete after delete on member referencing old table as old_rows
  for each statement execute function member_check_unreferenced();

