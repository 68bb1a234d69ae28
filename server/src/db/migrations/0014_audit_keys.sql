-- Keys and the keyed audit chain.
--
-- key_check: for every key of the personal-data key ring, an HMAC of a fixed label under that key
-- (kind 'pii', one row per key id) and one for the lookup-hash key (kind 'hash'). Written when
-- the first key is used on an empty database and when keys rotate; on start the server and the
-- command line refuse a key ring that does not match (a missing key id, another hash key). The
-- values tell nothing about the keys.
create table key_check (
  kind        text not null check (kind in ('pii', 'hash')),
  key_id      text not null,
  check_value text not null,
  created_at  timestamptz not null default now(),
  primary key (kind, key_id)
);

-- The audit chain, version 2: every entry is sealed with an HMAC under the audit key of key_id
-- (derived from the personal-data key of that id, so it is never in the database), and numbered
-- per chain (seq), so a deleted entry leaves a gap. Entries written before this migration keep
-- their unkeyed hash in legacy_hash until the first start with the key ring re-seals them (the
-- key is not available here); what their old check found is kept, sealed, in legacy_problem.
alter table audit_log
  add column seq            bigint,
  add column key_id         text,
  add column legacy_hash    text,
  add column legacy_problem text;
update audit_log l set seq = s.n
from (select id, row_number() over (partition by chain_id order by id) as n from audit_log) s
where s.id = l.id;
alter table audit_log alter column seq set not null;
create unique index audit_log_chain_seq on audit_log (chain_id, seq);

alter table audit_chain add column last_seq bigint not null default 0;
update audit_chain c set last_seq = coalesce((select max(l.seq) from audit_log l where l.chain_id = c.chain_id), 0);
