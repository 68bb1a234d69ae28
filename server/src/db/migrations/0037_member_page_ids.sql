-- A page of the members list reads its ids from its order's index alone (an index-only scan: the
-- row-level policy and the list's own filter read only org_path, status and id), then its 20 rows;
-- before, every member skipped on the way to a deep page was read from the table (issue 12).
drop index member_joined;
create index member_joined on member (joined_on, id) include (org_path, status);
