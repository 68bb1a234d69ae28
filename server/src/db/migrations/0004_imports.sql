-- Roster imports: what the upload was (format, detected text encoding, size) and whether its dry
-- run finished, so that a failed commit can be run again and a failed check cannot be committed.
alter table import_job add column file_format text not null default 'csv' check (file_format in ('csv', 'xlsx'));
alter table import_job add column encoding text not null default 'utf8' check (encoding in ('utf8', 'gb18030'));
alter table import_job add column file_size bigint not null default 0;
alter table import_job add column checked_at timestamptz;
create index import_job_sha on import_job (file_sha256, union_id);
