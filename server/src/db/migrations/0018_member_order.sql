-- The member list's default order (newest first) read off an index, instead of sorting every
-- member of a city for each page (issue 12); the same for its oldest-first order.
create index member_joined on member (joined_on, id);

-- stat_add and stat_shift write the statistics tallies; only the statistics triggers (security
-- definer, as the owner) may call them. They were left executable by PUBLIC, so any request's
-- role could add numbers to any union's tallies past row-level security (found by definer.test.ts).
revoke all on function stat_add(stat_delta[]) from public;
revoke all on function stat_shift(bigint, bigint[], bigint[], bigint[], bigint[]) from public;
