-- 打call at a thousand a second (issue 11): a support no longer waits for the proposal's lock.
--
-- Until now proposal_support_add locked the proposal's row, added the support, counted it and made
-- the threshold transition, and the lock was held until the request committed: the function, a
-- round trip back to the server, the server's turn to send COMMIT, the commit. The supports of one
-- proposal queued behind each other for all of that, so one proposal took at most a few hundred
-- supports a second, whatever the hardware.
--
-- Now the support is inserted alone (once: the unique index proposal_support_once), and the count
-- is taken at commit by a deferred constraint trigger: the proposal's row is locked only while the
-- transaction commits, inside the database. The transition stays one locked step, exactly once:
-- the commit whose count reaches the pinned threshold sets reached_at, the answer's due date and
-- the work plan item, under that row lock. It also raises the notification 'proposal_reached'
-- (delivered only if the commit holds); the server listens and tells the union's cadres, the
-- author and the supporters, and audits the transition (proposals.service announceReached),
-- exactly once by proposal.reached_told_at; the hourly sweep and the server's start tell what a
-- server that was down missed.
--
-- What a support's answer says changes: 'added' with the count as it stood when the support was
-- made (the commits of others meanwhile are not yet visible), no longer 'reached': whether this
-- support was the one that reached the threshold is known only at commit. The page reads the
-- proposal again and shows it reached.

alter table proposal add column reached_told_at timestamptz;
update proposal set reached_told_at = reached_at where reached_at is not null;
create index proposal_reached_untold on proposal (id) where reached_at is not null and reached_told_at is null;

-- outcome: 'added' | 'already' | 'not_found' | 'own' | 'not_member' | 'not_open'
drop function proposal_support_add(bigint);
create function proposal_support_add(pid bigint)
returns table (outcome text, supports_count integer, threshold integer, status text)
language plpgsql volatile security definer set search_path = public as $$
#variable_conflict use_column
declare
  me bigint := app_member_id();
  p proposal%rowtype;
  n integer;
begin
  if not app_has_role('member') or me is null then
    raise exception 'proposal_support_add: not a signed-in member' using errcode = '42501';
  end if;
  select * into p from proposal where id = pid;
  if not found or not member_sees(p.org_path) or (p.status = 'hidden') then
    return query select 'not_found'::text, 0, 0, ''::text; return;
  end if;
  if p.author_id = me then
    return query select 'own'::text, p.supports_count, p.threshold, p.status; return;
  end if;
  if not exists (select 1 from member m where m.id = me and m.status in ('active', 'retained')
                   and left(m.org_path, length(p.org_path)) = p.org_path collate "C") then
    return query select 'not_member'::text, p.supports_count, p.threshold, p.status; return;
  end if;
  if p.status not in ('open', 'reached', 'accepted', 'in_progress') or (p.status = 'open' and p.closes_on < current_date) then
    return query select 'not_open'::text, p.supports_count, p.threshold, p.status; return;
  end if;
  insert into proposal_support (proposal_id, member_id, org_path) values (pid, me, p.org_path)
    on conflict (proposal_id, member_id) do nothing;
  get diagnostics n = row_count;
  if n = 0 then
    return query select 'already'::text, p.supports_count, p.threshold, p.status; return;
  end if;
  return query select 'added'::text, p.supports_count + 1, p.threshold, p.status;
end $$;
revoke all on function proposal_support_add(bigint) from public;
grant execute on function proposal_support_add(bigint) to gonghui_app;

-- At commit: count the support, freeze the text, and at the threshold make the transition.
create function proposal_support_count() returns trigger
language plpgsql security definer set search_path = public as $$
declare
  p proposal%rowtype;
begin
  update proposal set supports_count = supports_count + 1, frozen_at = coalesce(frozen_at, now())
   where id = new.proposal_id returning * into p;
  if found and p.reached_at is null and p.status = 'open' and p.supports_count >= p.threshold then
    update proposal set reached_at = now(), status = 'reached', answer_due_on = add_working_days(current_date, p.answer_days),
           updated_at = now()
     where id = p.id returning * into p;
    insert into work_plan_item (org_id, org_path, proposal_id, title) values (p.org_id, p.org_path, p.id, p.title);
    perform pg_notify('proposal_reached', p.id::text);
  end if;
  return null;
end $$;
create constraint trigger proposal_support_count after insert on proposal_support
  deferrable initially deferred for each row execute function proposal_support_count();
