-- The members page's cards from the kept tallies (issue 12).
--
-- The cards (会员名册: 在册, 保留, 预备, 已退会, 新就业形态, 实名制录入率) counted every member of
-- the subtree on each visit: 400 ms for the city at 300,000 members, seconds at 3,000,000. Each of
-- them is now a tally read (members.service summary), like the dashboard's figures, and so the
-- same figures as the dashboard's: 新就业形态 and 实名制录入率 count the members in good standing,
-- as the indicators do (the cards counted the retained and the reserve members too). The one card
-- with no tally was 已退会: members.left, kept by every writer of the register through
-- stat_member_row (the triggers of 0006 and `stat_recompute`, which `stats verify` holds them to).

create or replace function stat_member_row(status text, quality text, occupation text)
returns table (metric text, delta bigint) language sql immutable as $$
  select v.metric, 1::bigint from (values
    (case status when 'active' then 'members' when 'retained' then 'members.retained' when 'reserve' then 'members.reserve'
                 when 'left' then 'members.left' end),
    (case when status = 'active' and quality = 'ok' then 'members.ok' end),
    (case when status = 'active' and occupation in ('truck_driver', 'courier', 'ride_hailing', 'food_delivery') then 'members.ne' end),
    (case when status = 'active' and occupation in ('truck_driver', 'courier', 'ride_hailing', 'food_delivery') then 'members.ne.' || occupation end)
  ) v(metric)
  where v.metric is not null
$$;

-- the members who left before: counted on the day they left, as the update trigger counts a
-- leaving (a row without the day, on the day it joined, as the insert trigger counts one)
select stat_add(array(
  select row(n.node_id, n.h, x.day, 'members.left', x.n)::stat_delta
    from (select o.path, coalesce(m.left_on, m.joined_on) as day, count(*) as n
            from member m join org o on o.id = m.union_id
           where m.status = 'left'
           group by 1, 2) x
    cross join lateral (select unnest(stat_path_ids(x.path)), 'g'::"char"
                        union all select unnest(stat_industry_ids(x.path)), 'i'::"char") n(node_id, h)));
