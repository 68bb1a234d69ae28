-- A phone's request in one round trip fewer (issues 11 and 12): the phone session is looked up by
-- the statement that opens the request's scope, not by a query of its own before it.
--
-- Until now every request from a phone made four round trips to the database: the session lookup,
-- the transaction's begin with its scope (db/scope.ts), the request's own statement, the commit.
-- Measured with 200 supports at once (bench/proposals.ts), the lookup cost the server ≈ 0.15 ms of
-- CPU per request (a socket write to the database and its answer) and the database a statement
-- and a transaction of its own; without it 865 → ≈ 1,000 supports/s on 2 cores.
--
-- member_session_of(hash) is what a phone session stands for, in one place (one row; all null when
-- there is no such session): the session if it is neither revoked nor expired, with the member on record for its number (a phone signed in without
-- a membership becomes a member's once one is on record with it, an applicant approved, without
-- signing in again) and the member's union. The server reads it in two ways: as the first
-- statement of a scoped request, which also sets the scope from it (db/scope.ts enterPhoneScope),
-- and alone for the few routes that run outside a scope (auth.repository findMemberSession).
--
-- Not SECURITY DEFINER: it reads member_session with the rights of its caller, the server's own
-- connection before the request's role is taken; gonghui_app, which may not read sessions, may not
-- call it either.

create function member_session_of(hash text)
returns table (phone_hash text, csrf_token text, last_seen_at timestamptz, member_id bigint, name text, union_id bigint,
               org_path text, org_name text)
language plpgsql stable
set search_path = public
as $$
#variable_conflict use_column
begin
  -- PL/pgSQL keeps the plan of its statement for the connection: the statement that opens a
  -- phone's request has no parameters (it carries the begin) and is planned each time, this not
  return query
  select s.phone_hash, s.csrf_token, s.last_seen_at, m.id, m.name, m.union_id, m.org_path, o.name
    from member_session s
    left join member m
      on m.id = coalesce(s.member_id, (select x.id from member x where x.phone_hash = s.phone_hash
                                          and x.status in ('active', 'retained', 'reserve') order by x.id limit 1))
     and m.status in ('active', 'retained', 'reserve')
    left join org o on o.id = m.union_id
   where s.token_hash = hash and s.revoked_at is null and s.expires_at > now();
  if not found then
    -- a row of nulls: the statement that opens a phone's request sets its scope and takes the
    -- request's role from the row this returns, so there is one whether or not the session is live
    return query select null::text, null::text, null::timestamptz, null::bigint, null::text, null::bigint, null::text, null::text;
  end if;
end
$$;

revoke execute on function member_session_of(text) from public;
