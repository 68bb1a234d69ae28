-- The members page's 信息质量 filter from the kept tallies (issue 12).
--
-- The filter (会员名册: 证件号码有误, 重复, 必填项缺失) took its total from a capped count: at
-- 3,000,000 members each page of the city's filter read 10,000 index entries to say "10,000+",
-- 143 requests/s at 50 connections against ≥ 500 for every other list page. The number of members
-- with each problem, by status, is now a tally like the others: `<status metric>.q.<quality>`
-- (members.q.missing_fields, members.retained.q.duplicate, members.left.q.invalid_document, …),
-- kept by every writer of the register through stat_member_row (the triggers of 0006 and
-- `stat_recompute`, which `stats verify` holds them to). A record in good standing (quality ok)
-- has no such tally; 合格 among the active members stays members.ok.

create or replace function stat_member_row(status text, quality text, occupation text)
returns table (metric text, delta bigint) language sql immutable as $$
  select v.metric, 1::bigint from (values
    (case status when 'active' then 'members' when 'retained' then 'members.retained' when 'reserve' then 'members.reserve'
                 when 'left' then 'members.left' end),
    (case when quality <> 'ok' then
       (case status when 'active' then 'members' when 'retained' then 'members.retained' when 'reserve' then 'members.reserve'
                    when 'left' then 'members.left' end) || '.q.' || quality end),
    (case when status = 'active' and quality = 'ok' then 'members.ok' end),
    (case when status = 'active' and occupation in ('truck_driver', 'courier', 'ride_hailing', 'food_delivery') then 'members.ne' end),
    (case when status = 'active' and occupation in ('truck_driver', 'courier', 'ride_hailing', 'food_delivery') then 'members.ne.' || occupation end)
  ) v(metric)
  where v.metric is not null
$$;

-- the records with a problem before: on the day their status is counted (the day they joined; the
-- day they left for those who left, as 0032 counts members.left)
select stat_add(array(
  select row(n.node_id, n.h, x.day, x.metric, x.n)::stat_delta
    from (select o.path, case when m.status = 'left' then coalesce(m.left_on, m.joined_on) else m.joined_on end as day,
                 f.metric, count(*) as n
            from member m join org o on o.id = m.union_id
            cross join lateral stat_member_row(m.status, m.quality, m.occupation) f
           where m.quality <> 'ok' and f.metric like '%.q.%'
           group by 1, 2, 3) x
    cross join lateral (select unnest(stat_path_ids(x.path)), 'g'::"char"
                        union all select unnest(stat_industry_ids(x.path)), 'i'::"char") n(node_id, h)));
