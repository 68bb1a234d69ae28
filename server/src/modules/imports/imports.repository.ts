import { sql, type Insertable, type Selectable, type Updateable } from 'kysely'
import type { ImportJobTable, MemberTable } from '../../db/schema.js'
import type { Tx } from '../../http/context.js'
import { paged } from '../../db/count.js'
import { copyIn, type Db } from '../../db/client.js'
import { stageColumns, type RosterColumns } from './rows.js'
import { under } from '../../db/paths.js'

export type JobRow = Selectable<ImportJobTable> & { union_name: string | null }
export type JobPatch = Updateable<ImportJobTable>

export async function insertJob(db: Tx, row: Insertable<ImportJobTable>) {
  return db.insertInto('import_job').values(row).returning('id').executeTakeFirstOrThrow()
}

export async function findJob(db: Tx, id: number): Promise<JobRow | undefined> {
  return db
    .selectFrom('import_job as j')
    .selectAll('j')
    .leftJoin('org as o', 'o.id', 'j.union_id')
    .select('o.name as union_name')
    .where('j.id', '=', id)
    .executeTakeFirst()
}

export async function updateJob(db: Tx, id: number, patch: JobPatch) {
  await db.updateTable('import_job').set(patch).where('id', '=', id).execute()
}

export async function listJobs(db: Tx, f: { kind: 'roster' | 'enterprise'; unionId?: number; page: number; pageSize: number }) {
  let q = db.selectFrom('import_job as j').where('j.kind', '=', f.kind)
  if (f.unionId) q = q.where('j.union_id', '=', f.unionId)
  const rows = q
    .selectAll('j')
    .leftJoin('org as o', 'o.id', 'j.union_id')
    .select('o.name as union_name')
    .orderBy('j.created_at', 'desc')
    .orderBy('j.id', 'desc')
  const { items, total } = await paged(q, rows, f)
  return { items: items as JobRow[], total }
}

/** Marks a checked (or failed) job 'importing'; false when another request got there first. */
export async function claimForCommit(db: Tx, id: number, mode: string) {
  const r = await db
    .updateTable('import_job')
    .set({ status: 'importing', mode, started_at: new Date(), finished_at: null, processed_rows: 0, imported_rows: 0, message: null })
    .where('id', '=', id)
    .where('status', 'in', ['checked', 'failed'])
    .where('file_path', '<>', '')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** The last finished import of the same file into the same union, if any. */
export async function sameFileDone(db: Tx, sha: string, unionId: number, notId: number) {
  return db
    .selectFrom('import_job')
    .select(['id', 'finished_at'])
    .where('file_sha256', '=', sha)
    .where('union_id', '=', unionId)
    .where('status', '=', 'done')
    .where('id', '<>', notId)
    .orderBy('id', 'desc')
    .executeTakeFirst()
}

export interface ProblemRow {
  row_no: number
  column_name: string
  kind: string
  message: string
  /** a member elsewhere who may be asked over (转入) */
  document_hash?: string | null
}

export async function clearProblems(db: Tx, jobId: number) {
  await db.deleteFrom('import_problem').where('job_id', '=', jobId).execute()
}

export async function addProblems(db: Tx, jobId: number, orgPath: string, rows: ProblemRow[]) {
  for (let i = 0; i < rows.length; i += 5000) {
    const part = rows.slice(i, i + 5000)
    await sql`insert into import_problem (job_id, row_no, column_name, kind, message, org_path, document_hash)
      select ${jobId}, r, c, k, m, ${orgPath}, h from unnest(${part.map((p) => p.row_no)}::int[], ${part.map((p) => p.column_name)}::text[],
        ${part.map((p) => p.kind)}::text[], ${part.map((p) => p.message)}::text[], ${part.map((p) => p.document_hash ?? null)}::text[]) as t(r, c, k, m, h)
      on conflict do nothing`.execute(db)
  }
}

export async function problems(db: Tx, jobId: number, f: { kind?: string; page: number; pageSize: number }) {
  let q = db.selectFrom('import_problem').where('job_id', '=', jobId)
  if (f.kind) q = q.where('kind', '=', f.kind)
  return paged(
    q,
    q
      .select(['row_no', 'column_name', 'kind', 'message', sql<boolean>`document_hash is not null`.as('can_transfer')])
      .orderBy('row_no')
      .orderBy('kind')
      .orderBy('column_name'),
    f,
  )
}

/** The member elsewhere behind a problem row of a job the caller sees, with the job's union. */
export async function problemPerson(db: Tx, jobId: number, rowNo: number) {
  return db
    .selectFrom('import_problem as p')
    .innerJoin('import_job as j', 'j.id', 'p.job_id')
    .select(['p.document_hash', 'j.union_id', 'j.file_name'])
    .where('p.job_id', '=', jobId)
    .where('p.row_no', '=', rowNo)
    .where('p.kind', '=', 'elsewhere')
    .where('p.document_hash', 'is not', null)
    .executeTakeFirst()
}

/** All problems in row order, in pages (for the xlsx report). */
export async function* iterateProblems(db: Tx, jobId: number) {
  let after = { row: -1, kind: '', col: '' }
  while (true) {
    const rows = await db
      .selectFrom('import_problem')
      .select(['row_no', 'column_name', 'kind', 'message'])
      .where('job_id', '=', jobId)
      .where(sql<boolean>`(row_no, kind, column_name) > (${after.row}, ${after.kind}, ${after.col})`)
      .orderBy('row_no')
      .orderBy('kind')
      .orderBy('column_name')
      .limit(10000)
      .execute()
    if (rows.length === 0) return
    yield rows
    const last = rows[rows.length - 1]!
    after = { row: last.row_no, kind: last.kind, col: last.column_name }
  }
}

/** Row numbers the dry run found in error: skipped by a valid_only commit. */
export async function errorRowNos(db: Tx, jobId: number): Promise<Set<number>> {
  const r = await sql<{ row_no: number }>`select distinct row_no from import_problem where job_id = ${jobId} and kind = 'error'`.execute(db)
  return new Set(r.rows.map((x) => x.row_no))
}

// ── the commit's staging table ──────────────────────────────────────────────────
/**
 * A temporary table private to the commit's transaction (dropped with it): the sealed rows are
 * COPYed into it, then moved into member and the ledger by one statement per chunk.
 */
/** The unions of the importer's own subtree (not those an industry union reads): what a 所属工会 column may name. */
export async function unionsInScope(db: Tx, path: string) {
  const rows = await db.selectFrom('org').where(under('path', path)).select(['id', 'code', 'name', 'short_name', 'status']).execute()
  return rows.map((r) => ({ ...r, id: Number(r.id) }))
}

export async function createStage(db: Tx) {
  const cols = stageColumns.map(([c, t]) => `${c} ${t}`).join(', ')
  await sql.raw(`create temp table import_stage (${cols}) on commit drop`).execute(db)
}

/** COPYs rows (COPY text lines in `stageColumns` order) into the staging table. */
export async function copyToStage(db: Tx, lines: AsyncIterable<Buffer | string>) {
  return copyIn(db, `copy import_stage (${stageColumns.map(([c]) => c).join(', ')}) from stdin`, lines)
}

/**
 * Moves the staged rows into member, with the 入会 entry of the ledger for each, in ONE statement,
 * and empties the stage. A person who is a member anywhere already (another union, a concurrent
 * import, a second line of the same file) is skipped by the unique index. Row-level security
 * applies (the union must lie in the caller's jurisdiction); foreign keys, the unique index and the
 * statement-level triggers of member and membership_event fire as for any insert. Member numbers
 * follow the file's row order; rows go in in document-hash order, so the unique index (random
 * keys) is walked once in order instead of being hit at random.
 */
export async function insertStaged(db: Tx, job: { id: number; union_id: number; actorId: number | null }): Promise<number> {
  // each row goes to the union its 所属工会 named, else to the job's; the member number carries that union's region
  const r = await sql`
    with numbered as (
      select s.*, coalesce(s.union_id, ${job.union_id}::bigint) as uid, nextval('member_no_seq')::text as n
        from import_stage s order by s.row_no
    ), ins as (
      insert into member (member_no, name, gender, ethnicity, birth_enc, document_type, document_enc, document_hash, document_masked,
        phone_enc, phone_hash, phone_masked, education, political_status, employment_status, skill_level, household_type, household_place,
        is_migrant, workplace, job_title, is_model_worker, occupation, union_id, org_path, status, joined_on, quality, import_job_id)
      select left(o.region_code, 6) || lpad(st.n, greatest(8, length(st.n)), '0'), st.name, st.gender, st.ethnicity, st.birth_enc,
        st.document_type, st.document_enc, st.document_hash, st.document_masked, st.phone_enc, st.phone_hash, st.phone_masked,
        st.education, st.political_status, st.employment_status, st.skill_level, st.household_type, st.household_place, st.is_migrant,
        st.workplace, st.job_title, st.is_model_worker, st.occupation, o.id, o.path, 'active', st.joined_on, st.quality, ${job.id}::bigint
      from numbered st join org o on o.id = st.uid
      order by st.document_hash, st.row_no
      on conflict (document_hash) do nothing
      returning id, joined_on, union_id, org_path
    )
    insert into membership_event (member_id, union_id, org_path, event_type, occurred_on, actor_id)
    select id, union_id, org_path, '1', joined_on, ${job.actorId}::bigint from ins`.execute(db)
  await sql`truncate import_stage`.execute(db)
  return Number(r.numAffectedRows ?? 0)
}

/**
 * Jobs not imported (checked or failed) uploaded before `before` whose file is still kept: marked
 * failed with `message` and their file path cleared in one statement (a commit claimed meanwhile
 * is not touched); returns each with the path of the file to delete.
 */
export async function expireUploads(db: Tx, before: Date, message: string) {
  const r = await sql<{ id: number; file_path: string; file_name: string; org_path: string }>`
    update import_job j set status = 'failed', message = ${message}, file_path = '', finished_at = now()
      from (select id, file_path from import_job
             where status in ('checked', 'failed') and created_at < ${before} and file_path <> '' for update) old
     where j.id = old.id and j.status in ('checked', 'failed')
    returning j.id, old.file_path, j.file_name, j.org_path`.execute(db)
  return r.rows.map((x) => ({ ...x, id: Number(x.id) }))
}

/** The stored files that jobs not yet imported still need (a failed one may be run again). */
export async function pendingUploadPaths(db: Db): Promise<string[]> {
  const r = await db.selectFrom('import_job').select('file_path').where('status', '<>', 'done').where('file_path', '<>', '').execute()
  return r.map((x) => x.file_path)
}

/** Jobs a crash or restart left running: none of their writes committed. */
export async function failInterrupted(owner: Db, message: { importing: string; checking: string }) {
  const a = await owner
    .updateTable('import_job')
    .set({ status: 'failed', message: message.importing, finished_at: new Date() })
    .where('status', '=', 'importing')
    .executeTakeFirst()
  const b = await owner
    .updateTable('import_job')
    .set({ status: 'failed', message: message.checking, finished_at: new Date() })
    .where('status', '=', 'checking')
    .executeTakeFirst()
  return Number(a.numUpdatedRows) + Number(b.numUpdatedRows)
}

export interface ExportRow extends RosterColumns, Pick<Selectable<MemberTable>, 'id' | 'member_no' | 'birth_enc' | 'status'> {
  union_name: string | null
}

/** One page of a subtree's roster (not those who left), in id order, for the export. */
export async function rosterPage(db: Tx, scope: string, after: number, f: { status?: string; quality?: string; occupation?: string } = {}) {
  const r = await sql<ExportRow>`
        select m.id, m.member_no, m.name, m.gender, m.ethnicity, m.birth_enc, m.birth_date, m.document_type, m.document_masked, m.document_enc,
               m.phone_masked, m.phone_enc, m.education, m.political_status, m.employment_status, m.skill_level, m.household_type,
               m.household_place, m.is_migrant, m.workplace, m.job_title, m.is_model_worker, m.occupation, m.joined_on, o.name as union_name, m.status
        from member m left join org o on o.id = m.union_id
        where ${under('m.org_path', scope)} and m.id > ${after}
          and ${f.status ? sql`m.status = ${f.status}` : sql`m.status <> 'left'`}
          and ${f.quality ? sql`m.quality = ${f.quality}` : sql`true`}
          and ${f.occupation ? sql`m.occupation = ${f.occupation}` : sql`true`}
        order by m.id limit 5000`.execute(db)
  return r.rows
}

/** Imports commit one at a time (see imports.service commitJob). */
export async function lockImports(db: Tx) {
  await sql`select pg_advisory_xact_lock(727272)`.execute(db)
}

// ── the command line (imports.cli.ts): as the owner connection, before any scope ──

/** The union a roster goes to, by its code. */
export const unionByCode = (db: Db, code: string) =>
  db.selectFrom('org').select(['id', 'name', 'path', 'status']).where('code', '=', code).executeTakeFirst()

/** The account the operator acts as (--as), with its organization's path and name. */
export const accountByUsername = (db: Db, username: string) =>
  db
    .selectFrom('app_user as u')
    .leftJoin('org as o', 'o.id', 'u.org_id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.roles', 'u.org_id', 'o.path', 'o.name'])
    .where('u.username', '=', username)
    .executeTakeFirst()
