-- Coarser buckets beside the daily changes (0006): a row per month and per year; and an index for
-- the unions founded in a period (at the end).
--
-- A value on a past date is the total less every change after it. Read from stat_day alone that
-- is one row per (day, metric) in between: thousands for a date years back (at 3,000,000 members
-- a city's panel on 2018-06-30 took 77 ms, the ranking of its towns on that day 388 ms). With
--   stat_period (node, h, grain, start, metric)   grain 'm': the month beginning `start`,
--                                                 grain 'y': the year beginning `start`
-- the changes after a date are the rest of its month by day, the rest of its year by month and
-- the later years whole: at most 30 + 11 + a row per later year, per metric, however far back.
--
-- Kept by statement-level triggers on stat_day itself, so every writer of the daily changes (the
-- stat_* triggers, stat_add, stat_shift) keeps the buckets in the same statement without knowing
-- of them (stat_day rows are only ever inserted or added to, never deleted). `stats verify` checks
-- every bucket against the sum of its days.
create table stat_period (
  node_id bigint not null,
  h       "char" not null check (h in ('g', 'i')),
  grain   "char" not null check (grain in ('m', 'y')),
  start   date not null,
  metric  text not null,
  delta   bigint not null,
  primary key (node_id, h, grain, start, metric),
  constraint stat_period_start_check check (start = date_trunc(case grain when 'm' then 'month' else 'year' end, start)::date)
);
grant select on stat_period to gonghui_app;
alter table stat_period enable row level security;
-- visible exactly when its organization is, like the daily changes
create policy stat_period_read on stat_period for select using (exists (select 1 from org o where o.id = stat_period.node_id));

-- What a statement changed in stat_day (inserted rows, or updated ones: new less old, summed
-- apart: the transition tables have no index to join by), added to the month and the year of each
-- day; rows in key order, so concurrent writers wait, not deadlock.
create function stat_period_keep() returns trigger language plpgsql set search_path = public as $$
begin
  if tg_op = 'INSERT' then
    insert into stat_period (node_id, h, grain, start, metric, delta)
    select c.node_id, c.h, g.grain, g.start, c.metric, sum(c.delta)
      from new_days c
     cross join lateral (values ('m'::"char", date_trunc('month', c.day)::date), ('y'::"char", date_trunc('year', c.day)::date)) g (grain, start)
     group by 1, 2, 3, 4, 5 having sum(c.delta) <> 0 order by 1, 2, 3, 4, 5
    on conflict (node_id, h, grain, start, metric) do update set delta = stat_period.delta + excluded.delta;
  else
    insert into stat_period (node_id, h, grain, start, metric, delta)
    select c.node_id, c.h, g.grain, g.start, c.metric, sum(c.delta)
      from (select node_id, h, day, metric, delta from new_days
            union all
            select node_id, h, day, metric, -delta from old_days) c
     cross join lateral (values ('m'::"char", date_trunc('month', c.day)::date), ('y'::"char", date_trunc('year', c.day)::date)) g (grain, start)
     group by 1, 2, 3, 4, 5 having sum(c.delta) <> 0 order by 1, 2, 3, 4, 5
    on conflict (node_id, h, grain, start, metric) do update set delta = stat_period.delta + excluded.delta;
  end if;
  return null;
end $$;
create trigger stat_period_insert after insert on stat_day referencing new table as new_days
  for each statement execute function stat_period_keep();
create trigger stat_period_update after update on stat_day referencing old table as old_days new table as new_days
  for each statement execute function stat_period_keep();

-- the buckets of what is there already
insert into stat_period (node_id, h, grain, start, metric, delta)
select d.node_id, d.h, g.grain, g.start, d.metric, sum(d.delta)
  from stat_day d
 cross join lateral (values ('m'::"char", date_trunc('month', d.day)::date), ('y'::"char", date_trunc('year', d.day)::date)) g (grain, start)
 group by 1, 2, 3, 4, 5 having sum(d.delta) <> 0;

-- The unions founded in a period (新建基层工会, this year against last year): the organizations
-- founded between two days, then those of the subtree, not every organization of a city's subtree
-- checked against the dates (at 20,000 unions: 55 → 2 ms for the city).
create index org_founded on org (founded_on);
