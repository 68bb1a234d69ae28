-- Jurisdiction, the remaining holes (issue 9).
--
-- 1. The references a write sets. Row-level security checks the path a row carries (org_path), not
--    the rows it points at: a town cadre could attach its own member to another town's enterprise
--    and so change that town's statistics. One mechanism beneath every write: statement-level
--    triggers over the statement's rows (transition tables, as in 0012) that, for statements run
--    by the application role (gonghui_app), check each reference the statement set:
--      'same'  — the referenced union's path is the path the row carries (member.union_id and
--                member.org_path …): row-level security on that path then covers the reference;
--      'scope' — the referenced row lies in the caller's jurisdiction (a member's enterprise, an
--                enterprise's own or joint union, an org's parent or industry union), when the
--                caller has a business scope (the anonymous applicant and the 三员 have none).
--    Deliberate crossings stay possible: transfers carry both sides' paths on purpose ('same'
--    only); 预备会员 parked in a town pool keep the unit they named in another town (the routing of
--    the joining page decided it); the security-definer functions act as their owner.
--    A refused statement fails with 42501 (超出管辖范围).
--
-- 2. Locating a person is audited even when the request is refused (scope.ts), and limited per user.
--
-- 3. One-time codes (短信验证码) for public acts on a membership, and the SMS outbox used when no
--    gateway is configured.
--
-- 4. The public workplace search takes what was typed literally, at least two characters, and at
--    most 20 rows.

-- ── 1. references ─────────────────────────────────────────────────────────────────────
create function refs_refuse(tbl text, col text, val text) returns void language plpgsql as $$
begin
  raise exception using errcode = 'insufficient_privilege',
    message = format('%s.%s = %s: outside the caller''s jurisdiction', tbl, col, val);
end $$;

-- tg_argv: one spec per reference, fields separated by '|':
--   same|<ref column>|<referenced table>|<its path column>|<this row's path column>
--   scope|<ref column>|<referenced table>|<its path column>[|<exemption: a condition on n (the row) and r (the referenced row)>]
-- On update only the rows whose reference (or path) changed are checked.
create function refs_check() returns trigger language plpgsql security definer set search_path = public as $$
declare
  spec text;
  p text[];
  changed text;
  q text;
  bad text;
begin
  if coalesce(current_setting('role', true), '') <> 'gonghui_app' then return null; end if;
  foreach spec in array tg_argv loop
    p := string_to_array(spec, '|');
    if p[1] = 'scope' and app_scope() = '' then continue; end if;
    changed := case when tg_op = 'UPDATE' then
      format(' and not exists (select 1 from old_rows o where o.id = n.id and o.%1$I is not distinct from n.%1$I%2$s)', p[2],
             case when p[1] = 'same' then format(' and o.%1$I is not distinct from n.%1$I', p[5]) else '' end)
      else '' end;
    if p[1] = 'same' then
      q := format('select n.%1$I::text from new_rows n left join %2$I r on r.id = n.%1$I
                    where n.%1$I is not null and r.%3$I is distinct from n.%4$I%5$s limit 1', p[2], p[3], p[4], p[5], changed);
    else
      q := format('select n.%1$I::text from new_rows n join %2$I r on r.id = n.%1$I
                    where not in_scope(r.%3$I)%4$s%5$s limit 1', p[2], p[3], p[4],
                  case when p[5] is not null then format(' and not (%s)', p[5]) else '' end, changed);
    end if;
    execute q into bad;
    if bad is not null then perform refs_refuse(tg_table_name, p[2], bad); end if;
  end loop;
  return null;
end $$;

-- members: their union's path is the row's; their enterprise lies in the caller's jurisdiction,
-- except for 预备会员 of a town pool whose unit (in another town, without a union) they named
create trigger member_refs_scope_insert after insert on member referencing new table as new_rows
  for each statement execute function refs_check(
    'same|union_id|org|path|org_path',
    'scope|enterprise_id|enterprise|org_path|n.status = ''reserve'' and r.coverage = ''none''');
create trigger member_refs_scope_update after update on member referencing old table as old_rows new table as new_rows
  for each statement execute function refs_check(
    'same|union_id|org|path|org_path',
    'scope|enterprise_id|enterprise|org_path|n.status = ''reserve'' and r.coverage = ''none''');
create trigger membership_event_refs_scope_insert after insert on membership_event referencing new table as new_rows
  for each statement execute function refs_check('same|union_id|org|path|org_path');

-- applications: routed by the joining page (anonymous, no scope); a cadre entering one is checked
create trigger application_refs_scope_insert after insert on application referencing new table as new_rows
  for each statement execute function refs_check(
    'same|union_id|org|path|org_path', 'scope|enterprise_id|enterprise|org_path|n.route = ''town_pool'' and r.coverage = ''none''');
create trigger application_refs_scope_update after update on application referencing old table as old_rows new table as new_rows
  for each statement execute function refs_check(
    'same|union_id|org|path|org_path', 'scope|enterprise_id|enterprise|org_path|n.route = ''town_pool'' and r.coverage = ''none''');

-- enterprises: held by the union whose path they carry; their own and joint unions in jurisdiction
create trigger enterprise_refs_scope_insert after insert on enterprise referencing new table as new_rows
  for each statement execute function refs_check(
    'same|org_id|org|path|org_path', 'scope|own_union_id|org|path', 'scope|joint_union_id|org|path');
create trigger enterprise_refs_scope_update after update on enterprise referencing old table as old_rows new table as new_rows
  for each statement execute function refs_check(
    'same|org_id|org|path|org_path', 'scope|own_union_id|org|path', 'scope|joint_union_id|org|path');

-- unions: the parent and the industry union in jurisdiction
create trigger org_refs_scope_insert after insert on org referencing new table as new_rows
  for each statement execute function refs_check('scope|parent_id|org|path', 'scope|industry_union_id|org|path');
create trigger org_refs_scope_update after update on org referencing old table as old_rows new table as new_rows
  for each statement execute function refs_check('scope|parent_id|org|path', 'scope|industry_union_id|org|path');

-- transfers cross on purpose: each side's union carries that side's path
create trigger transfer_refs_scope_insert after insert on transfer referencing new table as new_rows
  for each statement execute function refs_check('same|from_union_id|org|path|from_path', 'same|to_union_id|org|path|to_path');

-- the rest name one union and carry its path
create trigger import_job_refs_scope_insert after insert on import_job referencing new table as new_rows
  for each statement execute function refs_check('same|union_id|org|path|org_path');
create trigger platform_workforce_refs_scope_insert after insert on platform_workforce referencing new table as new_rows
  for each statement execute function refs_check('same|org_id|org|path|org_path');
create trigger platform_workforce_refs_scope_update after update on platform_workforce referencing old table as old_rows new table as new_rows
  for each statement execute function refs_check('same|org_id|org|path|org_path');
create trigger plan_refs_scope_insert after insert on plan referencing new table as new_rows
  for each statement execute function refs_check('same|org_id|org|path|org_path');
create trigger plan_allocation_refs_scope_insert after insert on plan_allocation referencing new table as new_rows
  for each statement execute function refs_check('same|org_id|org|path|org_path');
create trigger planned_joint_union_refs_scope_insert after insert on planned_joint_union referencing new table as new_rows
  for each statement execute function refs_check('same|org_id|org|path|org_path');
create trigger planned_joint_union_refs_scope_update after update on planned_joint_union referencing old table as old_rows new table as new_rows
  for each statement execute function refs_check('same|org_id|org|path|org_path');
create trigger report_round_refs_scope_insert after insert on report_round referencing new table as new_rows
  for each statement execute function refs_check('same|org_id|org|path|org_path');

-- ── 4. the public workplace search ────────────────────────────────────────────────────
create or replace function enterprise_directory(q text, lim integer)
returns table (id bigint, name text, town_code text, has_union boolean)
language sql stable security definer set search_path = public as $$
  select e.id, e.name, e.town_code, e.coverage <> 'none' from enterprise e
  where char_length(btrim(q)) >= 2
    and e.name like '%' || replace(replace(replace(btrim(q), '\', '\\'), '%', '\%'), '_', '\_') || '%'
  order by e.name, e.id limit least(greatest(lim, 0), 20)
$$;

-- ── 2. locating a person: the answer says whether the union lies in the caller's jurisdiction,
--       so that only lookups beyond it are counted against the caller's hourly allowance ──────────
drop function member_locate(text[]);
create function member_locate(hashes text[])
returns table (document_hash text, member_id bigint, union_id bigint, union_name text, status text, document_masked text, name_masked text,
               in_scope boolean)
language sql stable security definer set search_path = public as $$
  select m.document_hash, m.id, m.union_id, o.name, m.status, m.document_masked,
         left(m.name, 1) || repeat('*', greatest(char_length(m.name) - 1, 1)), in_scope(o.path)
  from member m join org o on o.id = m.union_id
  where m.document_hash = any (hashes)
$$;
revoke all on function member_locate(text[]) from public;
grant execute on function member_locate(text[]) to gonghui_app;

-- ── 3. one-time codes and the SMS outbox ────────────────────────────────────────────────────
-- A code is for one purpose and one subject (e.g. 'member_transfer' and the keyed hash of the
-- document number); only its keyed hash is kept. 6 digits, valid 5 minutes, at most 5 tries.
create table one_time_code (
  id          bigint primary key generated by default as identity,
  purpose     text not null,
  subject     text collate "C" not null,
  code_hash   text collate "C" not null,
  phone_hash  text collate "C",
  ip          text,
  expires_at  timestamptz not null,
  tries       integer not null default 0,
  used_at     timestamptz,
  created_at  timestamptz not null default now()
);
create index one_time_code_subject on one_time_code (purpose, subject, created_at desc);
create index one_time_code_phone on one_time_code (phone_hash, created_at desc) where phone_hash is not null;
create index one_time_code_ip on one_time_code (ip, created_at desc);

-- messages waiting for an operator when no gateway is configured (npm run cli -- sms outbox);
-- the number and the text are sealed like any personal data
create table sms_outbox (
  id           bigint primary key generated by default as identity,
  phone_enc    text not null,
  phone_masked text not null,
  body_enc     text not null,
  created_at   timestamptz not null default now(),
  sent_at      timestamptz
);

-- codes and messages belong to no jurisdiction: the anonymous pages (empty scope) use them; a
-- cadre's request (with a scope) sees and writes none; nobody reads the outbox through the API
grant select, insert, update on one_time_code to gonghui_app;
grant insert on sms_outbox to gonghui_app;
alter table one_time_code enable row level security;
create policy one_time_code_anonymous on one_time_code using (app_scope() = '') with check (app_scope() = '');
alter table sms_outbox enable row level security;
create policy sms_outbox_anonymous on sms_outbox for insert with check (app_scope() = '');

-- Where a one-time code for an act on a membership goes: the phone on record of the member with
-- this document hash and this name, while the membership can move. Nothing else, to the caller
-- (applications.service), which never tells the anonymous page whether there was one.
create function member_contact(doc_hash text, given_name text)
returns table (phone_enc text)
language sql stable security definer set search_path = public as $$
  select m.phone_enc from member m
   where m.document_hash = doc_hash and m.name = given_name and m.status in ('active', 'retained', 'reserve') and m.phone_enc is not null
$$;
revoke all on function member_contact(text, text) from public;
grant execute on function member_contact(text, text) to gonghui_app;
