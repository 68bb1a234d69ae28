-- Foundation: regions, the union organization tree (effective-dated), the enterprise register,
-- accounts and sessions, the hash-chained audit log, and row-level security for jurisdiction.
--
-- Jurisdiction lives here, beneath every query: each request runs as role gonghui_app with
-- app.scope set to the materialized path of the caller's organization ('/1/5/'). A row is
-- visible when its path lies in that subtree. Paths use the "C" collation so that a subtree is
-- one btree range: [scope, scope || '~').

create extension if not exists pg_trgm;

do $$
begin
  -- the role is per cluster; databases migrating at the same moment may race to create it
  begin
    if not exists (select 1 from pg_roles where rolname = 'gonghui_app') then
      create role gonghui_app nologin;
    end if;
  exception when duplicate_object or unique_violation then null;
  end;
  -- a non-superuser owner needs membership to SET ROLE; a superuser already may
  begin
    execute format('grant gonghui_app to %I', current_user);
  exception when others then null;
  end;
end $$;

grant usage on schema public to gonghui_app;

create function app_scope() returns text language sql stable as $$
  select coalesce(current_setting('app.scope', true), '')
$$;

create function app_user_id() returns bigint language sql stable as $$
  select nullif(current_setting('app.user_id', true), '')::bigint
$$;

create function app_has_role(r text) returns boolean language sql stable as $$
  select r = any (string_to_array(coalesce(current_setting('app.roles', true), ''), ','))
$$;

-- true when path lies in the caller's subtree; an empty scope sees nothing
create function in_scope(p text) returns boolean language sql stable as $$
  select app_scope() <> '' and p >= app_scope() collate "C" and p < (app_scope() || '~') collate "C"
$$;

-- ── regions (GB/T 2260) ───────────────────────────────────────────────────────
create table region (
  code        text primary key,
  name        text not null,
  parent_code text references region (code),
  level       smallint not null check (level between 1 and 5)
);
create index region_parent on region (parent_code);
grant select on region to gonghui_app;

-- ── union organizations ──────────────────────────────────────────────────────
create sequence org_id_seq;

create table org (
  id                    bigint primary key default nextval('org_id_seq'),
  code                  text not null unique,
  name                  text not null,
  short_name            text,
  credit_code           text unique,
  parent_id             bigint references org (id),
  path                  text collate "C" not null unique,
  industry_union_id     bigint references org (id),
  industry_path         text collate "C",
  org_type              text not null,
  org_form              text not null,
  is_regional           boolean not null default false,
  is_industry_union     boolean not null default false,
  region_code           text not null references region (code),
  joint_scope           text,
  joint_category        text,
  status                text not null default 'active' check (status in ('preparing', 'active', 'dissolved')),
  founded_on            date,
  founding_method       text,
  prep_group_on         date,
  approval_no           text,
  chair_name            text,
  chair_phone_enc       text,
  contact_name          text,
  contact_phone_enc     text,
  elected_on            date,
  term_years            smallint,
  fulltime_workers      integer not null default 0 check (fulltime_workers >= 0),
  parttime_workers      integer not null default 0 check (parttime_workers >= 0),
  has_audit_committee   boolean not null default false,
  has_women_committee   boolean not null default false,
  has_labor_supervision boolean not null default false,
  has_workers_congress  boolean not null default false,
  has_open_affairs      boolean not null default false,
  has_collective_contract boolean not null default false,
  home_star             smallint check (home_star between 0 and 5),
  female_count          integer not null default 0,
  migrant_count         integer not null default 0,
  needy_count           integer not null default 0,
  model_worker_count    integer not null default 0,
  member_count          integer not null default 0 check (member_count >= 0),
  dissolved_on          date,
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now()
);
create index org_parent on org (parent_id, name);
create index org_industry on org (industry_union_id);
create index org_industry_path on org (industry_path) where industry_path is not null;
create index org_region on org (region_code) where is_regional;
create index org_name_trgm on org using gin (name gin_trgm_ops);
create index org_code_prefix on org (code text_pattern_ops);

-- generated codes for unions that are not a region's own union: <region>-<5-digit sequence>
create table org_code_seq (
  region_code text primary key,
  last_value  integer not null
);

-- the tree as it was: one row per version of a node; valid_to is exclusive, null = current
create table org_history (
  org_id            bigint not null references org (id),
  valid_from        date not null,
  valid_to          date,
  parent_id         bigint,
  path              text collate "C" not null,
  industry_union_id bigint,
  industry_path     text collate "C",
  code              text not null,
  name              text not null,
  org_type          text not null,
  org_form          text not null,
  region_code       text not null,
  joint_category    text,
  status            text not null,
  primary key (org_id, valid_from),
  check (valid_to is null or valid_to > valid_from)
);
create index org_history_parent on org_history (parent_id, valid_from);

-- ── 应建未建 rules, configurable per region (nearest configured ancestor wins) ─────
create table region_rule (
  region_code             text primary key references region (code),
  own_union_min_employees integer not null check (own_union_min_employees > 0),
  grace_months            integer not null check (grace_months >= 0),
  large_min_employees     integer not null check (large_min_employees > 0),
  zone_min_employees      integer not null check (zone_min_employees > 0),
  updated_at              timestamptz not null default now()
);
grant select on region_rule to gonghui_app;
grant insert, update on region_rule to gonghui_app;

-- ── enterprise register (用人单位) ─────────────────────────────────────────────
create table enterprise (
  id                 bigint primary key generated by default as identity,
  credit_code        text not null unique,
  name               text not null,
  address            text,
  region_code        text not null references region (code),
  town_code          text not null references region (code),
  nature             text not null,
  economic_type      text,
  industry           text,
  employees          integer not null default 0 check (employees >= 0),
  migrant_workers    integer not null default 0 check (migrant_workers >= 0),
  dispatched_workers integer not null default 0 check (dispatched_workers >= 0),
  above_scale        boolean not null default false,
  zone_name          text,
  is_platform        boolean not null default false,
  founded_on         date,
  own_union_id       bigint references org (id),
  joint_union_id     bigint references org (id),
  coverage           text generated always as (
                       case when own_union_id is not null then 'own'
                            when joint_union_id is not null then 'joint'
                            else 'none' end) stored,
  -- the union whose jurisdiction holds it: its own union, else its joint union, else its town's union
  org_id             bigint not null references org (id),
  org_path           text collate "C" not null,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  check (migrant_workers <= employees and dispatched_workers <= employees)
);
create unique index enterprise_own_union on enterprise (own_union_id) where own_union_id is not null;
create index enterprise_joint_union on enterprise (joint_union_id) where joint_union_id is not null;
create index enterprise_scope_name on enterprise (org_path, name);
create index enterprise_scope_employees on enterprise (org_path, employees desc);
create index enterprise_employees on enterprise (employees desc, id);
create index enterprise_name_trgm on enterprise using gin (name gin_trgm_ops);
create index enterprise_town on enterprise (town_code);

-- rules resolved per town: the nearest ancestor region with a rule, else the documents' defaults
create view town_rule with (security_invoker = true) as
select r.code as town_code,
       coalesce(rr.own_union_min_employees, 25) as own_union_min_employees,
       coalesce(rr.grace_months, 12)             as grace_months,
       coalesce(rr.large_min_employees, 100)     as large_min_employees,
       coalesce(rr.zone_min_employees, 50)       as zone_min_employees
from region r
left join lateral (
  select x.* from region_rule x
  where r.code like x.region_code || '%'
  order by length(x.region_code) desc
  limit 1
) rr on true
where r.level = 4;

-- The register as read: every enterprise with its 应建未建 reasons (empty = nothing owed).
-- The one definition of why an enterprise should have a union it does not have.
create view enterprise_register with (security_invoker = true) as
select e.*,
       array_remove(array[
         case when e.own_union_id is null and e.employees >= t.own_union_min_employees
              then case when e.joint_union_id is null then 'over_threshold' else 'own_union_required' end end,
         case when e.coverage = 'none' and e.employees >= t.large_min_employees then 'large' end,
         case when e.coverage = 'none' and e.zone_name is not null and e.employees >= t.zone_min_employees then 'zone' end,
         case when e.coverage = 'none' and e.founded_on is not null
                   and e.founded_on <= (current_date - make_interval(months => t.grace_months))::date then 'grace_expired' end
       ], null) as due_reasons,
       t.own_union_min_employees, t.large_min_employees, t.zone_min_employees, t.grace_months
from enterprise e
join town_rule t on t.town_code = e.town_code;

-- ── accounts ─────────────────────────────────────────────────────────────────
create table app_user (
  id              bigint primary key generated by default as identity,
  username        text not null unique,
  display_name    text not null,
  password_hash   text not null,
  roles           text[] not null default '{}',
  org_id          bigint references org (id),
  active          boolean not null default true,
  failed_logins   integer not null default 0,
  locked_until    timestamptz,
  last_login_at   timestamptz,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);

-- sessions are only touched by the authentication layer (owner connection), never by a request
create table app_session (
  token_hash   text primary key,
  user_id      bigint not null references app_user (id),
  csrf_token   text not null,
  created_at   timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  ip           text
);
create index app_session_user on app_session (user_id);

-- ── audit log: append-only (no update/delete grant) and hash-chained ───────────
create table audit_chain (
  chain_id  text primary key,
  last_id   bigint,
  last_hash text not null
);

create table audit_log (
  id          bigint primary key generated by default as identity,
  chain_id    text not null,
  at          timestamptz not null,
  actor_id    bigint,
  actor_name  text,
  ip          text,
  action      text not null,
  target_type text,
  target_id   text,
  target_name text,
  scope_path  text collate "C",
  detail      jsonb,
  prev_hash   text not null,
  hash        text not null
);
create index audit_log_chain on audit_log (chain_id, id);
create index audit_log_at on audit_log (at desc);
create index audit_log_actor on audit_log (actor_id, at desc);

-- ── privileges and row-level security ────────────────────────────────────────
grant select, insert, update on org, org_history, enterprise to gonghui_app;
grant delete on org_history to gonghui_app;
grant usage, select on sequence org_id_seq to gonghui_app;
grant select, insert, update on org_code_seq to gonghui_app;
grant select, insert, update on app_user to gonghui_app;
grant usage, select on all sequences in schema public to gonghui_app;
grant select, insert on audit_log to gonghui_app;
grant select, insert, update on audit_chain to gonghui_app;
grant select on town_rule, enterprise_register to gonghui_app;

create function app_can_write() returns boolean language sql stable as $$
  select app_has_role('org_admin')
$$;

alter table org enable row level security;
create policy org_read on org for select using (in_scope(path) or in_scope(industry_path));
create policy org_insert on org for insert with check (app_can_write() and in_scope(path));
create policy org_update on org for update using (app_can_write() and in_scope(path)) with check (in_scope(path));

alter table org_history enable row level security;
create policy org_history_read on org_history for select using (in_scope(path) or in_scope(industry_path));
create policy org_history_insert on org_history for insert with check (app_can_write() and in_scope(path));
create policy org_history_update on org_history for update using (app_can_write() and in_scope(path));
create policy org_history_delete on org_history for delete using (app_can_write() and in_scope(path));

alter table org_code_seq enable row level security;
create policy org_code_seq_all on org_code_seq using (app_can_write()) with check (app_can_write());

alter table enterprise enable row level security;
create policy enterprise_read on enterprise for select using (in_scope(org_path));
create policy enterprise_insert on enterprise for insert with check (app_can_write() and in_scope(org_path));
create policy enterprise_update on enterprise for update using (app_can_write() and in_scope(org_path)) with check (in_scope(org_path));

alter table region_rule enable row level security;
create policy region_rule_read on region_rule for select using (true);
create policy region_rule_write on region_rule for insert with check (app_has_role('sysadmin'));
create policy region_rule_update on region_rule for update using (app_has_role('sysadmin'));

-- accounts: administrators see all accounts; everyone sees their own
alter table app_user enable row level security;
create policy app_user_read on app_user for select
  using (app_has_role('sysadmin') or app_has_role('secadmin') or id = app_user_id());
create policy app_user_insert on app_user for insert with check (app_has_role('sysadmin'));
-- nobody changes their own account through the API (no self-promotion)
create policy app_user_update on app_user for update
  using ((app_has_role('sysadmin') or app_has_role('secadmin')) and id <> app_user_id());

alter table audit_log enable row level security;
create policy audit_log_append on audit_log for insert with check (true);
create policy audit_log_read on audit_log for select using (app_has_role('auditadmin'));

-- the security administrator attaches roles to organizations without reading business data:
-- a directory of code and name only
create function org_directory(q text, lim integer)
returns table (id bigint, code text, name text, region_code text)
language sql stable security definer set search_path = public as $$
  select o.id, o.code, o.name, o.region_code from org o
  where o.status <> 'dissolved' and (q = '' or o.name like '%' || q || '%' or o.code like q || '%')
  order by o.path limit lim
$$;
revoke all on function org_directory(text, integer) from public;
grant execute on function org_directory(text, integer) to gonghui_app;
