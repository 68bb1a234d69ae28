-- A cadre's request in one round trip fewer (issue 12), as 0029 did for a phone's: the session is
-- looked up by the statement that opens the request's scope, not by a query of its own before it.
--
-- Every list a cadre opens made four round trips to the database: the session lookup, the begin
-- with the scope (db/scope.ts), the page's statement, the commit. On the embedded database each is
-- a call into its engine (protocol, planning, the reply parsed back), on PostgreSQL a socket write
-- and a statement; the lookup goes with the begin now.
--
-- app_session_of(hash, idle, max) is what a cadre's session stands for, in one place (one row; all
-- null when there is none): the session if it is neither idle past `idle_minutes` nor older than
-- `max_hours`, its account (whether on or off: the server refuses an account that is off) and the
-- account's organization. The server reads it as the first statement of a scoped request, which
-- sets the scope from it (db/scope.ts enterCadreScope), and alone for the routes that run outside
-- a scope and for logging out (auth.repository findSession).
--
-- Not SECURITY DEFINER: it reads app_session and app_user with the rights of its caller, the
-- server's own connection before the request's role is taken; gonghui_app may not call it.

create function app_session_of(hash text, idle_minutes integer, max_hours integer)
returns table (csrf_token text, last_seen_at timestamptz, id bigint, username text, display_name text, roles text[],
               org_id bigint, active boolean, must_change_password boolean, org_path text, org_name text)
language plpgsql stable
set search_path = public
as $$
#variable_conflict use_column
begin
  return query
  select s.csrf_token, s.last_seen_at, u.id, u.username, u.display_name, u.roles, u.org_id, u.active,
         u.must_change_password, o.path, o.name
    from app_session s
    join app_user u on u.id = s.user_id
    left join org o on o.id = u.org_id
   where s.token_hash = hash
     and s.last_seen_at > now() - make_interval(mins => idle_minutes)
     and s.created_at > now() - make_interval(hours => max_hours);
  if not found then
    -- a row of nulls: the statement that opens a cadre's request sets its scope and takes the
    -- request's role from the row this returns, so there is one whether or not the session is live
    return query select null::text, null::timestamptz, null::bigint, null::text, null::text, null::text[], null::bigint,
                        null::boolean, null::boolean, null::text, null::text;
  end if;
end
$$;

revoke execute on function app_session_of(text, integer, integer) from public;
