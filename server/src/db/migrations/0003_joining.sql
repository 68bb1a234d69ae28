-- Online joining (网上入会), part two: what the anonymous joining page may learn about a
-- workplace, and which unions take 新就业形态 workers. The applicant acts in the role 'applicant'
-- with an empty scope: row-level security shows them nothing, so these answers come from
-- security-definer functions that return names and routing facts only.

-- The workplace an applicant picked from the directory: its town (for the local union's pool),
-- whether it is a platform company (平台企业) and whether it has a union of its own.
create function joining_workplace(eid bigint)
returns table (id bigint, name text, town_code text, is_platform boolean, has_own_union boolean)
language sql stable security definer set search_path = public as $$
  select e.id, e.name, e.town_code, e.is_platform, e.own_union_id is not null from enterprise e where e.id = eid
$$;
revoke all on function joining_workplace(bigint) from public;
grant execute on function joining_workplace(bigint) to gonghui_app;

-- The town's joint union for flexible (新就业形态) workers. No column marks it; the rule is:
-- a joint union (联合工会委员会 / 工会联合会) of the town or one of its villages, not dissolved,
-- whose 类型 is 物流(货运快递) or whose name mentions 新就业形态. Named ones come first.
create function flexible_joint_targets(town text)
returns table (union_id bigint, union_name text, org_path text)
language sql stable security definer set search_path = public as $$
  select o.id, o.name, o.path from org o
   where o.org_form in ('joint_committee', 'joint_federation') and o.status <> 'dissolved'
     and o.region_code like town || '%'
     and (o.joint_category = 'logistics' or o.name like '%新就业形态%')
   order by (o.name like '%新就业形态%') desc, o.id
$$;
revoke all on function flexible_joint_targets(text) from public;
grant execute on function flexible_joint_targets(text) to gonghui_app;
