-- Bulk import of the enterprise register (用人单位批量导入): an import job knows what it imports.
alter table import_job add column kind text not null default 'roster' check (kind in ('roster', 'enterprise'));
create index import_job_kind on import_job (kind, created_at);

-- The credit codes of a list already in the register, wherever the unit is. A dry run tells a row
-- whose code is held outside the caller's jurisdiction apart from a new one without naming the
-- holder (the unique index would say as much at the insert); nothing else is read.
create function enterprise_credit_codes_taken(codes text[]) returns setof text
language sql stable security definer set search_path = public as $$
  select credit_code from enterprise where credit_code = any (codes)
$$;
revoke execute on function enterprise_credit_codes_taken(text[]) from public;
grant execute on function enterprise_credit_codes_taken(text[]) to gonghui_app;
