-- Accounts hardening (issue 9): a password set by someone else must be changed at first use,
-- addresses an account has logged in from (they pass the per-account throttle of strangers),
-- and the end of an account's sessions when the 系统管理员 resets or disables it.

alter table app_user add column must_change_password boolean not null default false;
alter table app_user add column password_changed_at timestamptz;

-- only the authentication layer (owner connection) reads and writes it
create table login_address (
  user_id         bigint not null references app_user (id) on delete cascade,
  ip              text not null,
  last_success_at timestamptz not null default now(),
  primary key (user_id, ip)
);

-- The 系统管理员 ends the sessions of an account it resets or disables, in the same transaction;
-- sessions stay out of reach of requests otherwise (no grant on app_session).
create function end_user_sessions(uid bigint) returns integer
language plpgsql volatile security definer set search_path = public as $$
declare n integer;
begin
  if not app_has_role('sysadmin') then
    raise exception 'only the system administrator ends sessions' using errcode = '42501';
  end if;
  delete from app_session where user_id = uid;
  get diagnostics n = row_count;
  return n;
end
$$;
revoke all on function end_user_sessions(bigint) from public;
grant execute on function end_user_sessions(bigint) to gonghui_app;
