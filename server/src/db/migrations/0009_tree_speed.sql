-- Findings of the benchmark after 0005 (docs/BENCHMARKS.md): the root's children counted ~28,000
-- grandchildren per page, wide organization searches joined thousands of ids back twice (page and
-- count), and a town's register sorted by name fetched all of the town's rows from the heap.

-- ── child_count: kept on the row, in the same transaction as every change ───────
-- The number of children that are not dissolved (geographic tree). Statement-level triggers, one
-- update per parent per statement, like member_count (0002). Security definer: moving a node
-- changes the count of a parent the cadre may only read (an industry union's node, say); the
-- functions change nothing but the counter.
alter table org add column child_count integer not null default 0 check (child_count >= 0);

update org p set child_count = c.n
  from (select parent_id, count(*) as n from org where parent_id is not null and status <> 'dissolved' group by parent_id) c
 where p.id = c.parent_id;

create function org_child_count_after_insert() returns trigger language plpgsql security definer set search_path = public as $$
begin
  update org p set child_count = p.child_count + d.n
    from (select parent_id, count(*) as n from new_rows
           where parent_id is not null and status <> 'dissolved' group by parent_id) d
   where p.id = d.parent_id;
  return null;
end $$;

create function org_child_count_after_update() returns trigger language plpgsql security definer set search_path = public as $$
begin
  -- nothing to do unless a row changed parent or became (or stopped being) dissolved; the
  -- counter's own update changes neither, which ends the recursion here
  perform 1 from old_rows o join new_rows n on n.id = o.id
   where n.parent_id is distinct from o.parent_id or (n.status = 'dissolved') <> (o.status = 'dissolved')
   limit 1;
  if not found then return null; end if;
  update org p set child_count = p.child_count + d.n
    from (select parent_id, sum(n) as n from (
            select o.parent_id, -1 as n from old_rows o where o.status <> 'dissolved'
            union all
            select n.parent_id, 1 from new_rows n where n.status <> 'dissolved') x
          where parent_id is not null
          group by parent_id having sum(n) <> 0) d
   where p.id = d.parent_id;
  return null;
end $$;

create function org_child_count_after_delete() returns trigger language plpgsql security definer set search_path = public as $$
begin
  update org p set child_count = p.child_count - d.n
    from (select parent_id, count(*) as n from old_rows
           where parent_id is not null and status <> 'dissolved' group by parent_id) d
   where p.id = d.parent_id;
  return null;
end $$;

create trigger org_child_count_insert after insert on org referencing new table as new_rows
  for each statement execute function org_child_count_after_insert();
create trigger org_child_count_update after update on org referencing old table as old_rows new table as new_rows
  for each statement execute function org_child_count_after_update();
create trigger org_child_count_delete after delete on org referencing old table as old_rows
  for each statement execute function org_child_count_after_delete();

-- ── organization search: one page and a capped count, as the owner ──────────────
-- org_search_ids (0005) returned every matching id; the list then joined thousands of them back
-- under RLS and sorted them, twice (page and count). org_search_page counts the matches (up to
-- cap + 1) and picks the page itself, applying the caller's scope as the RLS policy org_read does;
-- the list reads the page's rows back by id under RLS. Two ways to pick the page:
--   few matches: fetch them (bigram index, code-prefix range) and sort;
--   many matches: walk org_list_order in list order and stop at the page's end (index only).
create index org_list_order on org (is_regional desc, name, id) include (short_name, code, status, path, industry_path);
drop index org_code_prefix;
create index org_code_prefix on org (code text_pattern_ops) include (id, status, path, industry_path, is_regional, name);

create function org_search_page(q text, include_dissolved boolean, lim integer, skip integer, cap integer,
                                out ids bigint[], out total integer)
language plpgsql stable security definer set search_path = public
-- planned with the actual term and scope each time: a generic plan cannot tell a whole city's scope
-- (every row) from a town's, and chose the path index for it
set plan_cache_mode = force_custom_plan as $$
declare
  hi text := q || '~';
  -- the caller's scope, read once: the same test as in_scope(), without three current_setting calls a row
  lo_scope text collate "C" := app_scope();
  hi_scope text collate "C" := app_scope() || '~';
  rows_in_table float8;
begin
  ids := '{}';
  total := 0;
  if lo_scope = '' then return; end if;
  -- how many match, up to cap + 1: names through the bigram index, plus code prefixes (index only)
  -- that are not name matches already
  if char_length(q) >= 2 then
    select count(*)::integer into total from (
      select 1 from org o
       where bigrams(o.name || ' ' || coalesce(o.short_name, '')) @> bigrams(q)
         and (strpos(o.name, q) > 0 or strpos(coalesce(o.short_name, ''), q) > 0)
         and not (o.code ~>=~ q and o.code ~<~ hi)
         and (include_dissolved or o.status <> 'dissolved')
         and ((o.path >= lo_scope and o.path < hi_scope) or (o.industry_path >= lo_scope and o.industry_path < hi_scope))
      union all
      select 1 from org o
       where o.code ~>=~ q and o.code ~<~ hi
         and (include_dissolved or o.status <> 'dissolved')
         and ((o.path >= lo_scope and o.path < hi_scope) or (o.industry_path >= lo_scope and o.industry_path < hi_scope))
      limit cap + 1) m;
  else
    select count(*)::integer into total from (
      select 1 from org o
       where (strpos(o.name, q) > 0 or strpos(coalesce(o.short_name, ''), q) > 0 or (o.code ~>=~ q and o.code ~<~ hi))
         and (include_dissolved or o.status <> 'dissolved')
         and ((o.path >= lo_scope and o.path < hi_scope) or (o.industry_path >= lo_scope and o.industry_path < hi_scope))
      limit cap + 1) m;
  end if;
  -- past the last match (when the count is exact, not capped): an empty page
  if total = 0 or (total <= cap and skip >= total) then return; end if;
  select greatest(c.reltuples, 1) into rows_in_table from pg_class c where c.oid = 'org'::regclass;
  -- walking the list order reads about (skip + lim) * rows / total index entries; fetching the
  -- matches reads total rows from the heap and sorts them, several times dearer per row
  if char_length(q) >= 2 and (skip + lim)::float8 * rows_in_table > 5.0 * total * total then
    ids := array(
      select m.id from (
        select o.id, o.is_regional, o.name from org o
         where bigrams(o.name || ' ' || coalesce(o.short_name, '')) @> bigrams(q)
           and (strpos(o.name, q) > 0 or strpos(coalesce(o.short_name, ''), q) > 0)
           and not (o.code ~>=~ q and o.code ~<~ hi)
           and (include_dissolved or o.status <> 'dissolved')
           and ((o.path >= lo_scope and o.path < hi_scope) or (o.industry_path >= lo_scope and o.industry_path < hi_scope))
        union all
        select o.id, o.is_regional, o.name from org o
         where o.code ~>=~ q and o.code ~<~ hi
           and (include_dissolved or o.status <> 'dissolved')
           and ((o.path >= lo_scope and o.path < hi_scope) or (o.industry_path >= lo_scope and o.industry_path < hi_scope))) m
      order by m.is_regional desc, m.name, m.id
      limit lim offset skip);
  else
    ids := array(
      select o.id from org o
       where (strpos(o.name, q) > 0 or strpos(coalesce(o.short_name, ''), q) > 0 or (o.code ~>=~ q and o.code ~<~ hi))
         and (include_dissolved or o.status <> 'dissolved')
         and ((o.path >= lo_scope and o.path < hi_scope) or (o.industry_path >= lo_scope and o.industry_path < hi_scope))
       order by o.is_regional desc, o.name, o.id
       limit lim offset skip);
  end if;
end $$;
revoke all on function org_search_page(text, boolean, integer, integer, integer) from public;
grant execute on function org_search_page(text, boolean, integer, integer, integer) to gonghui_app;

-- ── the register: pick a page's ids from the index alone ─────────────────────────
-- A town's enterprises are spread over the whole table; sorting them by name fetched every one of
-- them from the heap (62,000 for the largest town). With the scope columns in the sort indexes the
-- page is found walking the index in order and filtering by org_path without touching the heap
-- (the list selects the page's ids first and only then the 20 rows it shows).
drop index enterprise_name;
create index enterprise_name on enterprise (name, id) include (org_path, town_code);
drop index enterprise_employees;
create index enterprise_employees on enterprise (employees, id) include (org_path, town_code);
-- 单位性质 with a size band (the register's filters): the band of one nature, in the index alone
create index enterprise_nature on enterprise (nature, employees) include (name, id, org_path, town_code);
