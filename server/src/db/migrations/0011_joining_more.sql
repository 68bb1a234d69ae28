-- Online joining, part three (issue 3): what the applicant can do from the phone with the secret
-- token of their application, transfers a member asks for on the joining page, and 预备会员 who
-- leave the town union's pool when their unit gets a union.
--
-- The applicant acts in the role 'applicant' with an empty scope: row-level security shows them
-- nothing and lets them change nothing, so each of their acts is a small security-definer function
-- keyed by the hash of their token, which does that one act and returns the least needed.

-- ── the applicant's answer to 需补充材料 ─────────────────────────────────────────
alter table application add column info_answer text;
alter table application add column info_answered_at timestamptz;

-- ── transfers asked for by the member (requested_by = 'member'), followed with a token ──────
alter table transfer add column token_hash text;
create unique index transfer_token on transfer (token_hash) where token_hash is not null;

-- The status page shows the reviewer's note and the applicant's answer to it.
drop function application_status(text);
create function application_status(token text)
returns table (id bigint, status text, union_name text, route text, due_on date, review_note text, member_no text, created_at timestamptz,
               info_answer text, info_answered_at timestamptz, joined_on date)
language sql stable security definer set search_path = public as $$
  select a.id, a.status, o.name, a.route, a.due_on, a.review_note, m.member_no, a.created_at, a.info_answer, a.info_answered_at,
         case when a.status = 'approved' then m.joined_on end
  from application a join org o on o.id = a.union_id left join member m on m.id = a.member_id
  where a.token_hash = token
$$;
revoke all on function application_status(text) from public;
grant execute on function application_status(text) to gonghui_app;

-- The applicant withdraws an open application. Returns the row it changed (none: no open application).
create function application_withdraw(token text)
returns table (id bigint, before_status text, org_path text)
language sql volatile security definer set search_path = public as $$
  with a as (select x.id, x.status from application x where x.token_hash = token and x.status in ('pending', 'need_info') for update)
  update application u set status = 'withdrawn', updated_at = now() from a where u.id = a.id
  returning u.id, a.status, u.org_path
$$;
revoke all on function application_withdraw(text) from public;
grant execute on function application_withdraw(text) to gonghui_app;

-- The applicant answers 需补充材料: the answer, and optionally a corrected workplace (the name as
-- typed; the routing stays) or mobile number (sealed by the caller); back to the reviewer as pending.
create function application_answer(token text, answer text, new_workplace text, new_phone_enc text, new_phone_hash text, new_phone_masked text)
returns table (id bigint, org_path text, workplace_before text, phone_before text)
language sql volatile security definer set search_path = public as $$
  with a as (select x.id, x.workplace, x.phone_masked from application x where x.token_hash = token and x.status = 'need_info' for update)
  update application u set status = 'pending', info_answer = answer, info_answered_at = now(),
         workplace = coalesce(new_workplace, u.workplace),
         phone_enc = coalesce(new_phone_enc, u.phone_enc), phone_hash = coalesce(new_phone_hash, u.phone_hash),
         phone_masked = coalesce(new_phone_masked, u.phone_masked), updated_at = now()
    from a where u.id = a.id
  returning u.id, u.org_path, a.workplace, a.phone_masked
$$;
revoke all on function application_answer(text, text, text, text, text, text) from public;
grant execute on function application_answer(text, text, text, text, text, text) to gonghui_app;

-- A member asks, on the joining page, to move their membership to the union the routing picked.
-- The person is named by the keyed hash of their document number and must give the name on
-- record; the phone is compared and the result noted for the receiving union. The member stays
-- where they are until the receiving union accepts (transfers.service accept), so they are never
-- counted twice nor lost. Returns the new transfer, or the reason there is none ('problem'), and
-- nothing about where the person is a member.
create function member_transfer_request(doc_hash text, given_name text, given_phone_hash text, to_union bigint, token text, note text)
returns table (transfer_id bigint, problem text, to_path text, from_path text, member_id bigint, phone_matches boolean)
language plpgsql volatile security definer set search_path = public as $$
declare
  m member;
  f org;
  t org;
  tid bigint;
begin
  select * into m from member x where x.document_hash = doc_hash for update;
  if m.id is null or m.status = 'left' then
    return query select null::bigint, 'not_member', null::text, null::text, null::bigint, null::boolean; return;
  end if;
  if m.name <> given_name then
    return query select null::bigint, 'name_mismatch', null::text, null::text, null::bigint, null::boolean; return;
  end if;
  if m.status not in ('active', 'retained', 'reserve') then
    return query select null::bigint, 'not_transferable', null::text, null::text, null::bigint, null::boolean; return;
  end if;
  select * into t from org where id = to_union;
  if t.id is null or t.status = 'dissolved' then
    return query select null::bigint, 'no_union', null::text, null::text, null::bigint, null::boolean; return;
  end if;
  if m.union_id = t.id then
    return query select null::bigint, 'same_union', null::text, null::text, null::bigint, null::boolean; return;
  end if;
  if exists (select 1 from transfer x where x.member_id = m.id and x.status = 'pending') then
    return query select null::bigint, 'open_transfer', null::text, null::text, null::bigint, null::boolean; return;
  end if;
  select * into f from org where id = m.union_id;
  insert into transfer (member_id, member_name, document_masked, from_union_id, from_path, to_union_id, to_path, requested_by, reason, note, token_hash)
  values (m.id, m.name, m.document_masked, f.id, f.path, t.id, t.path, 'member', '1',
          note || case when m.phone_hash is distinct from given_phone_hash then '（提交的手机号与会籍登记不一致，请与本人核实身份后再接收）' else '' end,
          token)
  returning id into tid;
  return query select tid, null::text, t.path::text, f.path::text, m.id, (m.phone_hash is not null and m.phone_hash = given_phone_hash);
end $$;
revoke all on function member_transfer_request(text, text, text, bigint, text, text) from public;
grant execute on function member_transfer_request(text, text, text, bigint, text, text) to gonghui_app;

-- The member follows their transfer request with its token: the receiving union, the state and,
-- once accepted, the member number for the card. Nothing about the union they come from.
create function member_transfer_status(token text)
returns table (id bigint, status text, union_name text, requested_at timestamptz, decided_at timestamptz, decision_note text, member_no text, joined_on date)
language sql stable security definer set search_path = public as $$
  select t.id, t.status, o.name, t.requested_at, t.decided_at, t.decision_note,
         case when t.status = 'accepted' and m.union_id = t.to_union_id then m.member_no end,
         case when t.status = 'accepted' and m.union_id = t.to_union_id then m.joined_on end
  from transfer t join org o on o.id = t.to_union_id join member m on m.id = t.member_id
  where t.token_hash = token and t.requested_by = 'member'
$$;
revoke all on function member_transfer_status(text) from public;
grant execute on function member_transfer_status(text) to gonghui_app;

-- The member withdraws their transfer request while it is pending.
create function member_transfer_withdraw(token text)
returns table (id bigint, to_path text, member_name text)
language sql volatile security definer set search_path = public as $$
  update transfer t set status = 'cancelled', decided_at = now(), decision_note = '会员本人撤回'
   where t.token_hash = token and t.requested_by = 'member' and t.status = 'pending'
  returning t.id, t.to_path, t.member_name
$$;
revoke all on function member_transfer_withdraw(text) from public;
grant execute on function member_transfer_withdraw(text) to gonghui_app;

-- ── 预备会员 leave the pool when their unit gets a union ───────────────────────────────
-- The members parked as 预备会员 (status 'reserve') whose unit is one of eids move to the union
-- uid as 在册 members: 转出 at the pool union, 转入 at the new union, on the given day. The pool
-- may lie in another town (residence decided it), hence security definer; the caller must be
-- able to write in the new union. Members with a transfer in flight are left to it. Returns the
-- members moved (as they were), for the response and the audit.
create function reserve_admit(eids bigint[], uid bigint, on_day date)
returns table (member_id bigint, from_union_id bigint, from_union_name text, name_masked text)
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
  return query select m.id, m.union_id, o.name, left(m.name, 1) || repeat('*', greatest(char_length(m.name) - 1, 1))
                 from member m join org o on o.id = m.union_id where m.id = any (ids) order by m.id;
  insert into membership_event (member_id, union_id, org_path, event_type, reason, occurred_on, actor_id)
  select m.id, m.union_id, m.org_path, '4', null, on_day, app_user_id() from member m where m.id = any (ids) order by m.id;
  update member m set union_id = u.id, org_path = u.path, status = 'active', updated_at = now() where m.id = any (ids);
  insert into membership_event (member_id, union_id, org_path, event_type, reason, occurred_on, actor_id)
  select m.id, u.id, u.path, '2', null, on_day, app_user_id() from member m where m.id = any (ids) order by m.id;
end $$;
revoke all on function reserve_admit(bigint[], bigint, date) from public;
grant execute on function reserve_admit(bigint[], bigint, date) to gonghui_app;

-- Open applications parked for the same units' pool go to the new union too, so that approving
-- them later makes 在册 members there rather than new 预备会员 of a pool the unit has left.
-- Returns the applications moved.
create function pool_applications_reroute(eids bigint[], uid bigint)
returns table (application_id bigint, from_union_id bigint)
language plpgsql volatile security definer set search_path = public as $$
declare
  u org;
  ids bigint[];
begin
  ids := array(select a.id from application a
                where a.enterprise_id = any (eids) and a.route = 'town_pool' and a.status in ('pending', 'need_info') and a.union_id <> uid
                order by a.id for update);
  if coalesce(array_length(ids, 1), 0) = 0 then return; end if;
  select * into u from org where id = uid;
  if u.id is null or not (app_can_write() and in_scope(u.path)) then
    raise exception 'permission denied' using errcode = '42501';
  end if;
  return query select a.id, a.union_id from application a where a.id = any (ids) order by a.id;
  update application a set union_id = u.id, org_path = u.path, updated_at = now(),
         route = case when u.org_form in ('joint_committee', 'joint_federation') then 'joint_union' else 'own_union' end
   where a.id = any (ids);
end $$;
revoke all on function pool_applications_reroute(bigint[], bigint) from public;
grant execute on function pool_applications_reroute(bigint[], bigint) to gonghui_app;
