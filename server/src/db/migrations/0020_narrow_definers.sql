-- Decisions in TypeScript, data operations in SQL (issue 10). The security-definer functions that
-- decided who may do what, wrote text a user reads, or re-implemented the ledger of a transfer are
-- narrowed to the one data operation row-level security forbids; the rules are in the services
-- (policies/policy.ts `transferable`, applications.service requestTransfer, members/reserve.ts),
-- the ledger of a move is written in one place (members.repository addMoves), and the words in
-- the services.

-- ── a member's own transfer request, from the joining page ────────────────────────────────
-- member_transfer_request decided (which statuses may transfer — differently from transfers.service
-- —, the same union, a transfer in flight, a dissolved union) and wrote the note for the receiving
-- union in Chinese. It becomes a read of the facts and an insert.
drop function member_transfer_request(text, text, text, bigint, text, text);

-- The member on record with this document hash (a person who left is no member), locked for the
-- request: whether the name given is the one on record and, only then, what the rules need — the
-- status, the union, whether a transfer is in flight, whether the phone given is the one on
-- record. No row: no member on record. Never where the person is.
create function member_transfer_subject(doc_hash text, given_name text, given_phone_hash text)
returns table (member_id bigint, name_matches boolean, status text, union_id bigint, open_transfer boolean, phone_matches boolean)
language plpgsql volatile security definer set search_path = public as $$
begin
  return query
    select m.id, true, m.status, m.union_id,
           exists (select 1 from transfer x where x.member_id = m.id and x.status = 'pending'),
           (m.phone_hash is not null and m.phone_hash = given_phone_hash)
      from member m
     where m.document_hash = doc_hash and m.status <> 'left' and m.name = given_name
       for update of m;
  if not found then
    return query
      select null::bigint, false, null::text, null::bigint, null::boolean, null::boolean
       where exists (select 1 from member m where m.document_hash = doc_hash and m.status <> 'left');
  end if;
end $$;
revoke all on function member_transfer_subject(text, text, text) from public;
grant execute on function member_transfer_subject(text, text, text) to gonghui_app;

-- Inserts the member's own request (requested_by 'member', reason 1, followed with the token) to
-- move to union to_union. The sending side is the member's current union, read here; the caller
-- has decided that the request may be made (applications.service requestTransfer).
create function member_transfer_insert(doc_hash text, to_union bigint, token text, note text)
returns table (transfer_id bigint, from_path text, to_path text)
language sql volatile security definer set search_path = public as $$
  insert into transfer (member_id, member_name, document_masked, from_union_id, from_path, to_union_id, to_path, requested_by, reason, note, token_hash)
  select m.id, m.name, m.document_masked, f.id, f.path, t.id, t.path, 'member', '1', note, token
    from member m join org f on f.id = m.union_id join org t on t.id = to_union
   where m.document_hash = doc_hash and m.status <> 'left'
  returning id, from_path, to_path
$$;
revoke all on function member_transfer_insert(text, bigint, text, text) from public;
grant execute on function member_transfer_insert(text, bigint, text, text) to gonghui_app;

-- The member withdraws their pending request; the decision note comes from the service.
drop function member_transfer_withdraw(text);
create function member_transfer_withdraw(token text, note text)
returns table (id bigint, to_path text, member_name text)
language sql volatile security definer set search_path = public as $$
  update transfer t set status = 'cancelled', decided_at = now(), decision_note = note
   where t.token_hash = token and t.requested_by = 'member' and t.status = 'pending'
  returning t.id, t.to_path, t.member_name
$$;
revoke all on function member_transfer_withdraw(text, text) from public;
grant execute on function member_transfer_withdraw(text, text) to gonghui_app;

-- ── 预备会员 leave a town's pool when their unit gets a union ──────────────────────────────
-- reserve_admit wrote the ledger of the move itself (转出/转入), a copy of a transfer's, and masked
-- names for the screen. It now only moves the member rows, the one write row-level security forbids
-- (the pool may lie in another town); the service writes the ledger with the same function as an
-- accepted transfer (members.repository addMoves) and masks the names.
-- The 预备会员 of units eids (none with a transfer in flight) become 在册 members of union uid,
-- which the caller must be able to write in. Returns the members moved, as they were.
drop function reserve_admit(bigint[], bigint, date);
create function reserve_admit(eids bigint[], uid bigint)
returns table (member_id bigint, name text, from_union_id bigint, from_path text, from_union_name text)
language plpgsql volatile security definer set search_path = public as $$
declare
  u org;
  ids bigint[];
begin
  ids := array(select m.id from member m
                where m.enterprise_id = any (eids) and m.status = 'reserve' and m.union_id <> uid
                  and not exists (select 1 from transfer t where t.member_id = m.id and t.status = 'pending')
                order by m.id for update);
  if coalesce(array_length(ids, 1), 0) = 0 then return; end if;
  select * into u from org where id = uid;
  if u.id is null or not (app_can_write() and in_scope(u.path)) then
    raise exception 'permission denied' using errcode = '42501';
  end if;
  return query select m.id, m.name, m.union_id, m.org_path, o.name
                 from member m join org o on o.id = m.union_id where m.id = any (ids) order by m.id;
  update member m set union_id = u.id, org_path = u.path, status = 'active', updated_at = now() where m.id = any (ids);
end $$;
revoke all on function reserve_admit(bigint[], bigint) from public;
grant execute on function reserve_admit(bigint[], bigint) to gonghui_app;

-- ── a person who left joins again ─────────────────────────────────────────────────────────
-- member_readmit dated the new membership with the database server's current_date (UTC on most
-- servers: yesterday before 08:00 in 嵊州); the day now comes from the service, the day of the
-- 入会 entry it writes.
drop function member_readmit(bigint, bigint, text, text);
create function member_readmit(mid bigint, uid bigint, upath text, no text, on_day date)
returns boolean language plpgsql security definer set search_path = public as $$
begin
  if not (app_can_write() and in_scope(upath)) then
    raise exception 'permission denied' using errcode = '42501';
  end if;
  update member set union_id = uid, org_path = upath, status = 'active', joined_on = on_day, left_on = null,
                    member_no = no, updated_at = now()
   where id = mid and status = 'left';
  return found;
end $$;
revoke all on function member_readmit(bigint, bigint, text, text, date) from public;
grant execute on function member_readmit(bigint, bigint, text, text, date) to gonghui_app;
