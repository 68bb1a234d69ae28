-- Findings of the first benchmark (docs/BENCHMARKS.md): under row-level security a LIKE written by
-- a query is never an index condition (textlike is not LEAKPROOF), and the register's sorts had no
-- index in the direction they are read.

-- Two-character words are most Chinese searches (华丰, 领带); pg_trgm needs three. A portable
-- bigram index (plain SQL, also on PGlite) narrows them down.
create function bigrams(t text) returns text[] language sql immutable parallel safe as $$
  select coalesce(array_agg(distinct substr(t, i, 2)), '{}') from generate_series(1, greatest(char_length(t) - 1, 0)) i
$$;
create index org_name_bigram on org using gin (bigrams(name || ' ' || coalesce(short_name, '')));

-- The search runs as the owner, so the indexes can be used, and applies the caller's scope itself:
-- names through the bigram index, code prefixes as a range of the code_prefix index. The caller
-- joins the ids back by primary key (int8eq is leakproof, so that join works under RLS).
create function org_search_ids(q text) returns setof bigint
language plpgsql stable security definer set search_path = public rows 50 as $$
-- plpgsql keeps each statement's plan for the session; a condition inside CASE could not use the index
begin
  if char_length(q) >= 2 then
    return query select o.id from org o
      where bigrams(o.name || ' ' || coalesce(o.short_name, '')) @> bigrams(q)
        and (strpos(o.name, q) > 0 or strpos(coalesce(o.short_name, ''), q) > 0)
        and (in_scope(o.path) or in_scope(o.industry_path));
  else
    return query select o.id from org o
      where (strpos(o.name, q) > 0 or strpos(coalesce(o.short_name, ''), q) > 0)
        and (in_scope(o.path) or in_scope(o.industry_path));
  end if;
  return query select o.id from org o
    where o.code ~>=~ q and o.code ~<~ (q || '~')
      and (in_scope(o.path) or in_scope(o.industry_path));
end $$;

revoke all on function org_search_ids(text) from public;
grant execute on function org_search_ids(text) to gonghui_app;

-- the register's sorts, in the direction the list reads them
drop index enterprise_employees;
create index enterprise_employees on enterprise (employees, id);
create index enterprise_name on enterprise (name, id);
create index enterprise_created on enterprise (created_at, id);

-- children in the order the tree lists them
create index org_children_order on org (parent_id, is_regional desc, name, id);

-- the rules per town without a LATERAL subquery evaluated for every enterprise row
create or replace view town_rule with (security_invoker = true) as
select r.code as town_code,
       coalesce(rr.own_union_min_employees, 25) as own_union_min_employees,
       coalesce(rr.grace_months, 12)             as grace_months,
       coalesce(rr.large_min_employees, 100)     as large_min_employees,
       coalesce(rr.zone_min_employees, 50)       as zone_min_employees
from region r
left join (
  select distinct on (t.code) t.code, x.own_union_min_employees, x.grace_months, x.large_min_employees, x.zone_min_employees
  from region t join region_rule x on t.code like x.region_code || '%'
  where t.level = 4
  order by t.code, length(x.region_code) desc
) rr on rr.code = r.code
where r.level = 4;

-- the register's keyword search, the same way: names by bigrams, or the exact credit code
create index enterprise_name_bigram on enterprise using gin (bigrams(name));
create function enterprise_search_ids(q text) returns setof bigint
language plpgsql stable security definer set search_path = public rows 50 as $$
begin
  if char_length(q) >= 2 then
    return query select e.id from enterprise e
      where bigrams(e.name) @> bigrams(q) and strpos(e.name, q) > 0 and in_scope(e.org_path);
  else
    return query select e.id from enterprise e where strpos(e.name, q) > 0 and in_scope(e.org_path);
  end if;
  return query select e.id from enterprise e where e.credit_code = upper(q) and in_scope(e.org_path);
end $$;
revoke all on function enterprise_search_ids(text) from public;
grant execute on function enterprise_search_ids(text) to gonghui_app;
