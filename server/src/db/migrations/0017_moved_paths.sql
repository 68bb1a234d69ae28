-- A union that moves takes its rows with it. Rows of the register, the ledger, applications,
-- transfers, imports, plans and forms carry the path of their union (row-level security reads
-- it); before this, a move rewrote only org and enterprise, so the members of a moved union
-- stayed visible to the old parent and invisible to the new one.
--
-- A deliberate crossing: the caller must hold both the old and the new place in its scope (the
-- move itself is checked by the service and by org's policies). History keeps the paths it had:
-- org_history, the audit log and the ledger (membership_event: a flow is counted where it happened,
-- which `stats verify` recomputes from that path).
create function org_paths_rewrite(old_path text, new_path text) returns void
language plpgsql security definer set search_path = public as $$
declare
  cut int := length(old_path) + 1;
  t text;
begin
  if not (app_can_write() and in_scope(old_path) and in_scope(new_path)) then
    raise exception 'org_paths_rewrite outside the caller''s scope' using errcode = '42501';
  end if;
  foreach t in array array['member', 'application', 'import_job', 'import_problem', 'plan', 'plan_target',
                           'plan_milestone', 'plan_allocation', 'planned_joint_union', 'platform_workforce', 'report_round',
                           'report_round_event'] loop
    execute format('update %I set org_path = $1 || substr(org_path, $3) where org_path >= $2 collate "C" and org_path < ($2 || ''~'') collate "C"', t)
      using new_path, old_path, cut;
  end loop;
  update plan_allocation set parent_path = new_path || substr(parent_path, cut)
   where parent_path >= old_path collate "C" and parent_path < (old_path || '~') collate "C";
  update transfer set from_path = new_path || substr(from_path, cut)
   where from_path >= old_path collate "C" and from_path < (old_path || '~') collate "C";
  update transfer set to_path = new_path || substr(to_path, cut)
   where to_path >= old_path collate "C" and to_path < (old_path || '~') collate "C";
end;
$$;
revoke all on function org_paths_rewrite(text, text) from public;
grant execute on function org_paths_rewrite(text, text) to gonghui_app;
