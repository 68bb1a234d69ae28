-- A statement-level trigger reads its transition tables, which have no index and no statistics.
-- Joined to each other under LIMIT 1 (or EXISTS), the planner expects an early match and picks a
-- nested loop: when no row matches, every old row meets every new row. Updating the member count
-- of 15,358 unions (one import's or generator's insert) spent 50 s in org_child_count_after_update's
-- check that no parent changed. The checks below compare the two sets by EXCEPT, which hashes or
-- sorts: linear however many rows the statement touched.

create or replace function org_child_count_after_update() returns trigger language plpgsql security definer set search_path = public as $$
begin
  -- nothing to do unless a row changed parent or became (or stopped being) dissolved; the
  -- counter's own update changes neither, which ends the recursion here
  perform 1 from (select id, parent_id, status = 'dissolved' from old_rows
                  except all
                  select id, parent_id, status = 'dissolved' from new_rows) changed
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
