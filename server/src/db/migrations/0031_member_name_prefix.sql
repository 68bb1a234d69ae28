-- The registers' searches and filters at the size of a city (issue 12).
--
-- A name: the search box finds members whose name starts with what was typed. Under row-level
-- security PostgreSQL may only search an index with leakproof operators before it applies the
-- policies, and LIKE is not one: the city's search read every member of the city (291 ms at
-- 300,000 members, 6 searches a second at 50 connections). The search is now a range in the
-- text_pattern_ops order (db/like.ts prefixRange: ~>=~ and ~<~ are leakproof), on this index; its
-- second column lets a town's search pass over the other towns' members inside the index.
create index member_name_prefix on member (name text_pattern_ops, org_path);

-- 信息质量 other than 合格 (few records among many): the newest first, as the register lists them,
-- so a page reads its own rows, not every newer record of the subtree (the city's first page: 128
-- ms → 0.5 ms at 300,000 members); and the capped count from the index alone (the columns the
-- filter and the row-level policy read: 69 → 7 ms).
create index member_quality_joined on member (joined_on, id, org_path) where quality <> 'ok';
create index member_quality_issue on member (org_path, quality, status, id) where quality <> 'ok';

-- The same for the enterprise register's 所在地区 (a town's or a village's code is the start of its
-- units' region codes): at 30,000 units the filter's capped count read every unit (33 → 4 ms in
-- EXPLAIN) and a page sorted by 职工人数 16 → 0.2 ms.
create index enterprise_region_prefix on enterprise (region_code text_pattern_ops);
