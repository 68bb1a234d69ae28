-- Masks that cannot be reversed (issue 9).
--
-- The old mask kept the first 6 and last 4 characters of a document number, and the birth date
-- was stored and shown in clear: together they rebuilt every 居民身份证号 (region + birth date +
-- the last 4 = the whole number). Now (common/id-card.ts maskDocument) a mask shows only the last
-- 3 characters and hides at least 5, and the birth date is never shown without an audited reveal:
-- with the region known (the union gives it away) ~18,000 numbers stay possible.

-- ── stored masks: narrowed in place ───────────────────────────────────────────
-- The same rule as maskDocument, applied to the old mask: it showed the last 3 (or fewer) too.
create function pg_temp.narrow_mask(m text) returns text language sql immutable as $$
  select repeat('*', char_length(m) - least(3, greatest(0, char_length(m) - 5)))
         || right(m, least(3, greatest(0, char_length(m) - 5)))
$$;
update member set document_masked = pg_temp.narrow_mask(document_masked)
  where document_masked <> pg_temp.narrow_mask(document_masked);
update application set document_masked = pg_temp.narrow_mask(document_masked)
  where document_masked <> pg_temp.narrow_mask(document_masked);
update transfer set document_masked = pg_temp.narrow_mask(document_masked)
  where document_masked <> pg_temp.narrow_mask(document_masked);
-- import problem lists quote the mask of a member found elsewhere ('330683********1234')
update import_problem set message = regexp_replace(message, '[0-9]{6}[*]{8}[0-9X]([0-9X]{3})', '***************\1', 'g')
  where message ~ '[0-9]{6}[*]{8}[0-9X]{4}';

-- ── birth dates: no longer in clear ───────────────────────────────────────────
-- A 居民身份证 or 港澳台居民居住证 encodes the birth date: it is derived from the (encrypted)
-- number on a reveal, and not kept. Other documents keep an entered birth date encrypted in
-- birth_enc; the clear dates of such rows left here are sealed by the server when it starts
-- (members.repository sealBirthDates), after which birth_date stays empty.
alter table member add column birth_enc text;
alter table application add column birth_enc text;
update member set birth_date = null where birth_date is not null and document_type in ('resident_id', 'hmt_residence');
update application set birth_date = null where birth_date is not null and document_type in ('resident_id', 'hmt_residence');
comment on column member.birth_date is 'legacy: emptied; the birth date is birth_enc or derived from the document';
comment on column application.birth_date is 'legacy: emptied; the birth date is birth_enc or derived from the document';
drop function pg_temp.narrow_mask(text);
