-- Statistics of activities and proposals (issue 11, "what the dashboard gains"): kept as tallies by
-- statement-level triggers, like every other indicator (0006_stats.sql), rolled up to every
-- ancestor (geographic and industry) in the same transaction as the write, recomputed by
-- stat_recompute (`npm run cli -- stats verify`).
--
-- Metrics (docs/INDICATORS.md says what each indicator reads):
--   at the organizing union (activity.org_path), on the local day the activity starts:
--     act.held           a published activity (a cancelled one or a draft counts nowhere)
--     act.member_origin  … of those, one from a member's proposal or a member suggestion
--     act.attended       a checked-in registration of a published activity (人次)
--     act.rating.sum / act.rating.count   the ratings of those
--   at the member's union (activity_registration.member_path, where they were a member when they
--   signed up), on the local day of the first activity they attended that year:
--     act.participants.YYYY   a member who attended at least one published activity in year YYYY:
--                             one per member and year, however many they attended. A distinct
--                             count per year is kept as a tally because it is a flow of "firsts":
--                             a check-in adds the member only when no earlier check-in of theirs
--                             in that year exists (the trigger reads that member's registrations,
--                             a handful of rows by index).
--   at the union the proposal was posted to (proposal.org_path); hidden proposals count nowhere:
--     prop.received   on the day it was posted
--     prop.planned    entered the work plan (reached its threshold), on that day
--     prop.answered   answered (accepted or declined), on the day of the answer
--     prop.accepted   answered with acceptance (accepted, in progress, done)
--     prop.late       answered after its due date (answer_due_on), on the day of the answer
--     prop.done       done, on that day
-- The "local day" is the session's time zone: every request sets it (db/scope.ts), and verify
-- sets the same one (stats.repository `verify`).
--
-- An activity is dated on the day it starts, so the tallies hold facts dated in the future (an
-- activity published for next week); the panel reads the value of the day asked for (never the
-- bare total). A union that moves takes these figures with their history (stat_shift below).

-- ── where the member was a member when they signed up ─────────────────────────
alter table activity_registration add column member_path text collate "C";
update activity_registration r set member_path = m.org_path from member m where m.id = r.member_id;
alter table activity_registration alter column member_path set not null;
create index activity_registration_member_path on activity_registration (member_path);

-- registrations are inserted by activity_sign_up (the owner) only
create function activity_registration_member_path() returns trigger language plpgsql as $$
begin
  if new.member_path is null then
    select m.org_path into new.member_path from member m where m.id = new.member_id;
  end if;
  return new;
end $$;
create trigger activity_registration_member_path before insert on activity_registration
  for each row execute function activity_registration_member_path();

-- ── what a row contributes (the one definition of each metric) ────────────────
create function stat_activity_row(status text, origin text, starts_at timestamptz)
returns table (metric text, day date, delta bigint) language sql stable as $$
  select v.m, starts_at::date, 1::bigint
    from (values ('act.held'), (case when origin in ('proposal', 'suggestion') then 'act.member_origin' end)) v(m)
   where status = 'published' and v.m is not null
$$;

create function stat_registration_row(a_status text, starts_at timestamptz, checked_in_at timestamptz, rating smallint)
returns table (metric text, day date, delta bigint) language sql stable as $$
  select v.m, starts_at::date, v.d
    from (values ('act.attended', 1::bigint),
                 ('act.rating.sum', rating::bigint),
                 ('act.rating.count', case when rating is not null then 1::bigint end)) v(m, d)
   where a_status = 'published' and checked_in_at is not null and v.d is not null and v.d <> 0
$$;

create function stat_proposal_row(status text, created_at timestamptz, reached_at timestamptz, answered_at timestamptz,
                                  answer_due_on date, done_at timestamptz)
returns table (metric text, day date, delta bigint) language sql stable as $$
  select v.m, v.d, 1::bigint from (values
    ('prop.received', created_at::date),
    ('prop.planned', reached_at::date),
    ('prop.answered', answered_at::date),
    (case when status in ('accepted', 'in_progress', 'done') then 'prop.accepted' end, answered_at::date),
    (case when answered_at::date > answer_due_on then 'prop.late' end, answered_at::date),
    (case when status = 'done' then 'prop.done' end, done_at::date)
  ) v(m, d)
   where status <> 'hidden' and v.m is not null and v.d is not null
$$;

-- The participation facts of the members in `who`: +1 for each (member, year) as the tables are
-- now (`now_`: member_id, member_path, starts_at, registration id of their attended registrations
-- of published activities), −1 as they were (`was`, the same columns), each on the day of that
-- year's first activity. Both CTEs are written by the trigger that uses this text.
create function stat_participation_sql() returns text language sql immutable as $f$
  select $q$
    select y.member_path, 'act.participants.' || y.yr, y.starts_at::date, y.s::bigint
      from (select distinct on (x.member_id, x.yr, x.s) x.member_id, x.member_path, x.yr, x.starts_at, x.s
              from (select n.*, to_char(n.starts_at::date, 'YYYY') as yr, 1 as s from now_ n
                    union all
                    select w.*, to_char(w.starts_at::date, 'YYYY'), -1 from was w) x
             order by x.member_id, x.yr, x.s, x.starts_at, x.id) y$q$
$f$;

-- ── triggers ─────────────────────────────────────────────────────────────────
-- activities: their own facts; a change of status, origin or day also moves their registrations'
-- facts and their attendees' participation
do $do$ begin execute format($fn$
create function stat_activity_insert() returns trigger language plpgsql security definer set search_path = public as $body$
begin
  if not exists (select 1 from new_rows where status = 'published') then return null; end if;
  %s;
  return null;
end $body$
$fn$, stat_upsert_sql($sql$
    select n.org_path, f.metric, f.day, f.delta from new_rows n cross join lateral stat_activity_row(n.status, n.origin, n.starts_at) f
$sql$)); end $do$;

-- A row trigger with a WHEN condition: a sign-up updates the activity's counters under its lock,
-- and such an update must not pay for a trigger call (a statement trigger with transition tables
-- costs about 0.1 ms per statement even when it has nothing to count).
do $do$ begin execute format($fn$
create function stat_activity_update() returns trigger language plpgsql security definer set search_path = public as $body$
begin
  %s;
  return null;
end $body$
$fn$, stat_upsert_sql($sql$
    with new_rows as (
      select new.id as id, new.org_path as org_path, new.status as status, new.origin as origin, new.starts_at as starts_at
    ), old_rows as (
      select old.id as id, old.org_path as org_path, old.status as status, old.origin as origin, old.starts_at as starts_at
    ), ch as (
      select n.id from new_rows n join old_rows o using (id)
       where (n.status, n.origin, n.starts_at::date) is distinct from (o.status, o.origin, o.starts_at::date)
    ), who as (
      select distinct r.member_id from activity_registration r join ch on r.activity_id = ch.id where r.checked_in_at is not null
    ), now_ as (
      select r.member_id, r.member_path, a.starts_at, r.id
        from activity_registration r join activity a on a.id = r.activity_id
       where r.member_id in (select member_id from who) and r.checked_in_at is not null and a.status = 'published'
    ), was as (
      select r.member_id, r.member_path, coalesce(o.starts_at, a.starts_at) as starts_at, r.id
        from activity_registration r join activity a on a.id = r.activity_id left join old_rows o on o.id = a.id
       where r.member_id in (select member_id from who) and r.checked_in_at is not null and coalesce(o.status, a.status) = 'published'
    )
    -- (both sides at the new path: a move is carried by stat_shift)
    select n.org_path, f.metric, f.day, f.delta from new_rows n join ch using (id)
      cross join lateral stat_activity_row(n.status, n.origin, n.starts_at) f
    union all
    select n.org_path, f.metric, f.day, -f.delta from old_rows o join ch using (id) join new_rows n using (id)
      cross join lateral stat_activity_row(o.status, o.origin, o.starts_at) f
    union all
    select n.org_path, f.metric, f.day, f.delta from new_rows n join ch using (id) join activity_registration r on r.activity_id = n.id
      cross join lateral stat_registration_row(n.status, n.starts_at, r.checked_in_at, r.rating) f
    union all
    select n.org_path, f.metric, f.day, -f.delta from old_rows o join ch using (id) join new_rows n using (id)
      join activity_registration r on r.activity_id = o.id
      cross join lateral stat_registration_row(o.status, o.starts_at, r.checked_in_at, r.rating) f
    union all
    $sql$ || stat_participation_sql())); end $do$;

create trigger stat_activity_insert after insert on activity referencing new table as new_rows
  for each statement execute function stat_activity_insert();
create trigger stat_activity_update after update on activity for each row
  when ((old.status, old.origin, old.starts_at) is distinct from (new.status, new.origin, new.starts_at))
  execute function stat_activity_update();

-- registrations: a check-in or a rating (a sign-up, a cancellation, a promotion count nowhere)
do $do$ begin execute format($fn$
create function stat_registration_insert() returns trigger language plpgsql security definer set search_path = public as $body$
begin
  if not exists (select 1 from new_rows where checked_in_at is not null) then return null; end if;
  %s;
  return null;
end $body$
$fn$, stat_upsert_sql($sql$
    with who as (
      select distinct member_id from new_rows where checked_in_at is not null
    ), now_ as (
      select r.member_id, r.member_path, a.starts_at, r.id
        from activity_registration r join activity a on a.id = r.activity_id
       where r.member_id in (select member_id from who) and r.checked_in_at is not null and a.status = 'published'
    ), was as (
      select * from now_ where id not in (select id from new_rows)
    )
    select a.org_path, f.metric, f.day, f.delta from new_rows n join activity a on a.id = n.activity_id
      cross join lateral stat_registration_row(a.status, a.starts_at, n.checked_in_at, n.rating) f
    union all
    $sql$ || stat_participation_sql())); end $do$;

do $do$ begin execute format($fn$
create function stat_registration_update() returns trigger language plpgsql security definer set search_path = public as $body$
begin
  if not exists (select 1 from new_rows n join old_rows o using (id)
                  where (n.checked_in_at is null) <> (o.checked_in_at is null) or n.rating is distinct from o.rating) then
    return null;
  end if;
  %s;
  return null;
end $body$
$fn$, stat_upsert_sql($sql$
    with ch as (
      select n.id from new_rows n join old_rows o using (id)
       where (n.checked_in_at is null) <> (o.checked_in_at is null) or n.rating is distinct from o.rating
    ), who as (
      select distinct n.member_id from new_rows n join old_rows o using (id) where (n.checked_in_at is null) <> (o.checked_in_at is null)
    ), now_ as (
      select r.member_id, r.member_path, a.starts_at, r.id
        from activity_registration r join activity a on a.id = r.activity_id
       where r.member_id in (select member_id from who) and r.checked_in_at is not null and a.status = 'published'
    ), was as (
      select * from now_ where id not in (select id from new_rows)
      union all
      select o.member_id, o.member_path, a.starts_at, o.id
        from old_rows o join activity a on a.id = o.activity_id
       where o.member_id in (select member_id from who) and o.checked_in_at is not null and a.status = 'published'
    )
    select a.org_path, f.metric, f.day, f.delta from new_rows n join ch using (id) join activity a on a.id = n.activity_id
      cross join lateral stat_registration_row(a.status, a.starts_at, n.checked_in_at, n.rating) f
    union all
    select a.org_path, f.metric, f.day, -f.delta from old_rows o join ch using (id) join activity a on a.id = o.activity_id
      cross join lateral stat_registration_row(a.status, a.starts_at, o.checked_in_at, o.rating) f
    union all
    $sql$ || stat_participation_sql())); end $do$;

create trigger stat_registration_insert after insert on activity_registration referencing new table as new_rows
  for each statement execute function stat_registration_insert();
create trigger stat_registration_update after update on activity_registration referencing old table as old_rows new table as new_rows
  for each statement execute function stat_registration_update();

-- proposals: posted, entered into the plan, answered (late or not), done; hiding removes them
do $do$ begin execute format($fn$
create function stat_proposal_insert() returns trigger language plpgsql security definer set search_path = public as $body$
begin
  %s;
  return null;
end $body$
$fn$, stat_upsert_sql($sql$
    select n.org_path, f.metric, f.day, f.delta from new_rows n
      cross join lateral stat_proposal_row(n.status, n.created_at, n.reached_at, n.answered_at, n.answer_due_on, n.done_at) f
$sql$)); end $do$;

-- (a row trigger with a WHEN condition: a support updates the count only and calls nothing)
do $do$ begin execute format($fn$
create function stat_proposal_update() returns trigger language plpgsql security definer set search_path = public as $body$
begin
  %s;
  return null;
end $body$
$fn$, stat_upsert_sql($sql$
    -- (both sides at the new path: a move is carried by stat_shift)
    select new.org_path, f.metric, f.day, f.delta
      from stat_proposal_row(new.status, new.created_at, new.reached_at, new.answered_at, new.answer_due_on, new.done_at) f
    union all
    select new.org_path, f.metric, f.day, -f.delta
      from stat_proposal_row(old.status, old.created_at, old.reached_at, old.answered_at, old.answer_due_on, old.done_at) f
$sql$)); end $do$;

create trigger stat_proposal_insert after insert on proposal referencing new table as new_rows
  for each statement execute function stat_proposal_insert();
create trigger stat_proposal_update after update on proposal for each row
  when ((old.status, old.created_at, old.reached_at, old.answered_at, old.answer_due_on, old.done_at)
        is distinct from (new.status, new.created_at, new.reached_at, new.answered_at, new.answer_due_on, new.done_at))
  execute function stat_proposal_update();

-- ── a union that moves ────────────────────────────────────────────────────────
-- The stocks of its subtree move to the new ancestors on the effective day, as before. Activities
-- and proposals (act.*, prop.*) move with their whole history, day by day: the panel reads them
-- per calendar year (the value on the date less the value on 31 December before), so a move
-- dated today would leave the old ancestors below zero for the year, and an activity still to
-- come must stay on its own day. Those figures of the ancestors read as if the union had always
-- been where it is now.
create or replace function stat_shift(node bigint, old_g bigint[], new_g bigint[], old_i bigint[], new_i bigint[]) returns void
language sql security definer set search_path = public as $$
  with target (node_id, h, sign) as (
    select x, 'g'::"char", sum(s) from (select unnest(old_g) x, -1 s union all select unnest(new_g), 1) t
     where x <> node group by x having sum(s) <> 0
    union all
    select x, 'i'::"char", sum(s) from (select unnest(old_i) x, -1 s union all select unnest(new_i), 1) t
     group by x having sum(s) <> 0
  ), moved as (
    select s.metric, stat_today() as day, s.value as delta
      from stat_total s
     where s.node_id = node and s.h = 'g' and s.metric not like 'new.%' and s.metric not like 'act.%' and s.metric not like 'prop.%'
    union all
    select d.metric, d.day, d.delta
      from stat_day d
     where d.node_id = node and d.h = 'g' and (d.metric like 'act.%' or d.metric like 'prop.%')
  )
  select stat_add(array(
    select row(t.node_id, t.h, m.day, m.metric, t.sign * m.delta)::stat_delta
      from target t cross join moved m
     where m.delta <> 0))
$$;

-- … and takes the member paths of the sign-ups with it (the rest as 0022)
create or replace function org_paths_rewrite(old_path text, new_path text) returns void
language plpgsql security definer set search_path = public as $$
declare
  cut int := length(old_path) + 1;
  t text;
begin
  if not (app_can_write() and in_scope(old_path) and in_scope(new_path)) then
    raise exception 'org_paths_rewrite outside the caller''s scope' using errcode = '42501';
  end if;
  foreach t in array array['member', 'application', 'import_job', 'import_problem', 'plan', 'plan_target',
                           'plan_milestone', 'plan_allocation', 'planned_joint_union', 'platform_workforce', 'report_round',
                           'report_round_event', 'activity', 'activity_registration', 'message', 'proposal_rule', 'proposal',
                           'proposal_support', 'proposal_progress', 'work_plan_item'] loop
    execute format('update %I set org_path = $1 || substr(org_path, $3) where org_path >= $2 collate "C" and org_path < ($2 || ''~'') collate "C"', t)
      using new_path, old_path, cut;
  end loop;
  update activity_registration set member_path = new_path || substr(member_path, cut)
   where member_path >= old_path collate "C" and member_path < (old_path || '~') collate "C";
  update plan_allocation set parent_path = new_path || substr(parent_path, cut)
   where parent_path >= old_path collate "C" and parent_path < (old_path || '~') collate "C";
  update transfer set from_path = new_path || substr(from_path, cut)
   where from_path >= old_path collate "C" and from_path < (old_path || '~') collate "C";
  update transfer set to_path = new_path || substr(to_path, cut)
   where to_path >= old_path collate "C" and to_path < (old_path || '~') collate "C";
end;
$$;

-- ── recomputation (stats verify): the new facts from the base tables ─────────
create or replace function stat_recompute() returns table (node_id bigint, h "char", metric text, value bigint)
language sql stable security definer set search_path = public as $$
  with facts as (
    select o.path, f.metric, f.delta from member m join org o on o.id = m.union_id cross join lateral stat_member_row(m.status, m.quality, m.occupation) f
    union all
    select o.path, f.metric, f.delta from enterprise e join org o on o.id = e.org_id cross join lateral stat_enterprise_row(e.nature, e.employees, e.above_scale, e.own_union_id, e.joint_union_id, e.member_count) f
     where e.status = 'active'
    union all
    select o.path, f.metric, f.delta from org o cross join lateral stat_org_row(o.status, o.org_form, o.joint_scope, o.joint_category, o.fulltime_workers, o.parttime_workers, o.member_count, o.covered_employees, o.covered_enterprises) f
    union all
    select ev.org_path, f.metric, f.delta from membership_event ev cross join lateral stat_event_row(ev.event_type) f
    union all
    select a.org_path, f.metric, f.delta from activity a cross join lateral stat_activity_row(a.status, a.origin, a.starts_at) f
    union all
    select a.org_path, f.metric, f.delta from activity_registration r join activity a on a.id = r.activity_id
      cross join lateral stat_registration_row(a.status, a.starts_at, r.checked_in_at, r.rating) f
     where r.checked_in_at is not null
    union all
    select y.member_path, 'act.participants.' || y.yr, 1::bigint
      from (select distinct on (r.member_id, to_char(a.starts_at::date, 'YYYY')) r.member_path, to_char(a.starts_at::date, 'YYYY') as yr
              from activity_registration r join activity a on a.id = r.activity_id
             where r.checked_in_at is not null and a.status = 'published'
             order by r.member_id, to_char(a.starts_at::date, 'YYYY'), a.starts_at, r.id) y
    union all
    select p.org_path, f.metric, f.delta from proposal p
      cross join lateral stat_proposal_row(p.status, p.created_at, p.reached_at, p.answered_at, p.answer_due_on, p.done_at) f

  ), per_path as (
    select path, metric, sum(delta) as delta from facts group by 1, 2
  ), paths as (
    select p.path, stat_path_ids(p.path) as g, stat_industry_ids(p.path) as i from (select distinct path from per_path) p
  )
  select n.node_id, n.h, pp.metric, sum(pp.delta)::bigint
    from per_path pp join paths using (path)
    cross join lateral (select unnest(paths.g), 'g'::"char" union all select unnest(paths.i), 'i'::"char") n(node_id, h)
   group by 1, 2, 3 having sum(pp.delta) <> 0
$$;
revoke all on function stat_recompute() from public;

-- ── what is there already ───────────────────────────────────────────────────
-- (the tallies start from the rows as they are: added once, through the same definitions)
do $do$ begin execute stat_upsert_sql($sql$
    with who as (
      select distinct member_id from activity_registration where checked_in_at is not null
    ), now_ as (
      select r.member_id, r.member_path, a.starts_at, r.id
        from activity_registration r join activity a on a.id = r.activity_id
       where r.checked_in_at is not null and a.status = 'published'
    ), was as (
      select * from now_ where false
    )
    select a.org_path, f.metric, f.day, f.delta from activity a cross join lateral stat_activity_row(a.status, a.origin, a.starts_at) f
    union all
    select a.org_path, f.metric, f.day, f.delta from activity_registration r join activity a on a.id = r.activity_id
      cross join lateral stat_registration_row(a.status, a.starts_at, r.checked_in_at, r.rating) f
    union all
    select p.org_path, f.metric, f.day, f.delta from proposal p
      cross join lateral stat_proposal_row(p.status, p.created_at, p.reached_at, p.answered_at, p.answer_due_on, p.done_at) f
    union all
    $sql$ || stat_participation_sql()); end $do$;
