/**
 * Roster imports (会员名册导入): upload → dry run (every problem with row, column and reason) →
 * commit, all or nothing for the file or the valid rows only, in ONE transaction under the
 * caller's jurisdiction. Large files are checked and committed in the background; progress is
 * kept in memory (rows done, rows/s, time left) and merged into the job's view.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import ExcelJS from 'exceljs'
import type { z } from 'zod'
import type { ImportJobView, ImportProblemView, importProblemQuery } from '../../../../common/api-members.js'
import type { Page } from '../../../../common/api.js'
import type { Db } from '../../db/client.js'
import type { Actor, Ctx } from '../../http/context.js'
import { runInScope } from '../../http/scope.js'
import { AppError, badRequest, conflict, notFound } from '../../http/errors.js'
import type { Pii } from '../../security/pii.js'
import * as orgs from '../orgs/orgs.repository.js'
import { requireWriter } from '../../policies/policy.js'
import * as members from '../members/members.repository.js'
import { locatePeople } from '../members/locate.js'
import { enroll } from '../members/enroll.js'
import * as repo from './imports.repository.js'
import { appendAudit } from '../audit/audit.repository.js'
import { columns } from './columns.js'
import { FirstRows } from './first-rows.js'
import { ensureUploadDir } from './sealed.js'
import { FileProblem, openRoster, sniffFormat, type Encoding, type FileFormat, type Row } from './reader.js'
import type { BatchOut } from './rows.js'
import { commitWorkers, defaultWorkers, startRunner, type BatchRunner } from './workers.js'

export interface ImportEnv {
  /** the owner connection: background work opens its own scoped transactions on it */
  db: Db
  pii: Pii
  /** where uploads are kept between the dry run and the commit */
  dir: string
  /** worker threads that validate and seal large files (default: dry run one per CPU, at most 4, commit one fewer; 0 = inline) */
  workers?: number
  /**
   * The embedded database (PGlite) only: the most rows one file may have. PGlite runs in this
   * process on one thread, and a commit holds its only connection: the server answers nothing else
   * until it ends. Larger files are refused at the dry run. null/undefined: no limit (PostgreSQL, or
   * the command line, which runs with the server stopped).
   */
  embeddedMaxRows?: number | null
}

/** Why a file is refused on the embedded database, in Chinese, naming the way out. */
export function embeddedLimitMessage(max: number) {
  return `内置数据库单次导入不超过 ${max} 行，本文件超过了 ${max} 行（导入期间内置数据库无法响应其他操作）：请拆分为每份不超过 ${max} 行分批上传；大批量导入请使用 PostgreSQL（设置 DATABASE_URL），或停止服务后用命令行导入（npm run cli -- members import）`
}

/** Files up to this size are checked inside the upload request; larger ones in the background. */
export const SYNC_CHECK_BYTES = 2 * 1024 * 1024
/** rows staged (COPY) per INSERT … SELECT of a commit */
const STAGE_ROWS = 100_000
/** valid rows looked up in the register per transaction of a dry run */
const LOCATE_GROUP = 10_000
/** at most this many problems are kept per file (the counts stay exact) */
const MAX_PROBLEMS = 200_000

// ── progress, in memory ──────────────────────────────────────────────────────
interface Progress {
  phase: 'checking' | 'importing'
  done: number
  total: number
  startedAt: number
}
const progress = new Map<number, Progress>()
const running = new Map<number, Promise<void>>()

/** Resolves when the job's background work (if any) has finished. */
export function settled(jobId: number): Promise<void> {
  return running.get(jobId) ?? Promise.resolve()
}

function track(jobId: number, work: Promise<void>) {
  const p = work.finally(() => {
    running.delete(jobId)
    progress.delete(jobId)
  })
  running.set(jobId, p)
  return p
}

/** Progress of a job running in this process: rows done, rows per second, seconds left. */
export function progressOf(jobId: number): { phase: string; done: number; total: number; rate: number; secondsLeft: number | null } | null {
  const p = progress.get(jobId)
  if (!p) return null
  const secs = (Date.now() - p.startedAt) / 1000
  const rate = secs > 0 ? p.done / secs : 0
  return {
    phase: p.phase,
    done: p.done,
    total: p.total,
    rate,
    secondsLeft: rate > 0 && p.total ? Math.max(0, (p.total - p.done) / rate) : null,
  }
}

export function present(j: repo.JobRow): ImportJobView {
  const p = progress.get(j.id)
  let processed = j.processed_rows
  let rate: number | null = null
  let secondsLeft: number | null = null
  if (p) {
    processed = p.done
    const secs = (Date.now() - p.startedAt) / 1000
    if (secs > 0.2 && p.done > 0) {
      rate = Math.round(p.done / secs)
      secondsLeft = p.total > 0 ? Math.max(0, Math.round((p.total - p.done) / rate)) : null
    }
  }
  return {
    id: j.id,
    unionId: j.union_id,
    unionName: j.union_name,
    fileName: j.file_name,
    status: j.status as ImportJobView['status'],
    mode: j.mode as ImportJobView['mode'],
    totalRows: j.total_rows,
    validRows: j.valid_rows,
    errorRows: j.error_rows,
    existingRows: j.existing_rows,
    elsewhereRows: j.elsewhere_rows,
    importedRows: j.imported_rows,
    processedRows: processed,
    rate,
    secondsLeft,
    message: j.message,
    createdAt: new Date(j.created_at).toISOString(),
    finishedAt: j.finished_at ? new Date(j.finished_at).toISOString() : null,
  }
}

async function loadJob(ctx: Ctx, id: number) {
  const j = await repo.findJob(ctx.db, id)
  if (!j) throw notFound('导入任务')
  return j
}

// ── upload ────────────────────────────────────────────────────────────────────
export interface Upload {
  tmpPath: string
  size: number
  sha256: string
  encoding: Encoding
  head: Buffer
}

/** What the upload request should start after its transaction commits. */
export type AfterCommit = (() => void) | null

export async function upload(
  ctx: Ctx,
  env: ImportEnv,
  unionId: number,
  fileName: string,
  file: Upload | null,
): Promise<{ view: ImportJobView; after: AfterCommit }> {
  requireWriter(ctx)
  const union = await orgs.findById(ctx.db, unionId)
  if (!union) throw notFound('工会')
  if (union.status === 'dissolved') throw badRequest('该工会已注销，不能导入会员', { union: '该工会已注销' })
  if (!file) throw badRequest('请上传 .xlsx 或 .csv 文件（请求体为文件内容，Content-Type: application/octet-stream）')
  if (file.size === 0) throw badRequest('上传的文件是空的')
  const name = path.basename(fileName || 'roster.csv').slice(0, 200)
  let format: FileFormat
  try {
    format = sniffFormat(file.head, name)
  } catch (e) {
    if (e instanceof FileProblem) throw badRequest(e.message, { file: e.message })
    throw e
  }
  ensureUploadDir(env.dir)
  const stored = path.join(env.dir, `${Date.now()}-${crypto.randomBytes(6).toString('hex')}.${format}`)
  fs.renameSync(file.tmpPath, stored)
  const { id } = await repo.insertJob(ctx.db, {
    union_id: union.id,
    org_path: union.path,
    file_name: name,
    file_sha256: file.sha256,
    file_path: stored,
    file_format: format,
    encoding: format === 'csv' ? file.encoding : 'utf8',
    file_size: file.size,
    status: 'checking',
    created_by: ctx.actor.id,
  })
  ctx.audit({
    action: 'member.import.upload',
    targetType: 'import_job',
    targetId: id,
    targetName: name,
    scopePath: union.path,
    detail: { size: file.size, sha256: file.sha256, format, encoding: file.encoding },
  })
  const job = (await repo.findJob(ctx.db, id))!
  if (file.size <= SYNC_CHECK_BYTES) {
    await dryRun(job, (fn) => fn(ctx), ctx.pii, ctx.today, 0, env.embeddedMaxRows ?? null)
    return { view: present((await repo.findJob(ctx.db, id))!), after: null }
  }
  const actor = ctx.actor
  const ip = ctx.ip
  return {
    view: present(job),
    after: () =>
      void track(
        id,
        dryRun(
          job,
          (fn) => runInScope(env.db, env.pii, actor, ip, fn),
          env.pii,
          ctx.today, // the users' day: UTC would check a file against yesterday before 08:00 in Beijing
          env.workers ?? defaultWorkers(),
          env.embeddedMaxRows ?? null,
        ),
      ),
  }
}

type InScope = <T>(fn: (ctx: Ctx) => Promise<T>) => Promise<T>

function elsewhereMessage(f: {
  union_id: number
  union_name: string
  status: string
  name_masked: string
  document_masked: string
  withheld?: boolean
}) {
  // over the hourly allowance of lookups beyond the jurisdiction (members/locate.ts): not where
  if (f.withheld) return `已是其他工会会员（${f.document_masked}），一人只能有一个会籍；查询他处会籍过于频繁，所在工会暂不显示`
  if (f.status === 'left')
    return `曾是「${f.union_name}」会员（${f.name_masked}，${f.document_masked}），已离会；请在会员登记中单独办理重新入会`
  return `已是「${f.union_name}」会员（${f.name_masked}，${f.document_masked}），一人只能有一个会籍；请发起会员接转`
}

/**
 * The dry run: reads the whole file, validates every row, finds duplicates within the file and
 * people who are members already (here: 'existing', elsewhere: 'elsewhere'), and records each
 * problem. Writes nothing but the job and its problems.
 */
async function dryRun(job: repo.JobRow, inScope: InScope, pii: Pii, today: string, workers: number, maxRows: number | null) {
  const started = Date.now()
  const est = Math.max(1, Math.round(job.file_size / 120))
  progress.set(job.id, { phase: 'checking', done: 0, total: est, startedAt: started })
  const counts = { total: 0, error: 0, existing: 0, elsewhere: 0, valid: 0 }
  let stored = 0
  let truncated = false
  let ignored: string[] = []
  try {
    await inScope((ctx) => repo.clearProblems(ctx.db, job.id))
    const opened = await openRoster(job.file_path, job.file_format as FileFormat, job.encoding as Encoding, pii)
    ignored = opened.header.ignored
    const firstRow = new FirstRows(Math.max(1024, est))
    const docColumn = opened.header.names.documentNumber ?? '证件号码'
    const runner = startRunner({ pii, header: opened.header, today, purpose: 'check', workers })
    // problems and the people to look up, gathered over several batches (one transaction per group)
    let rows: repo.ProblemRow[] = []
    let recs: { rowNo: number; hash: string }[] = []
    const flush = async () => {
      const group = recs
      const found = rows
      recs = []
      rows = []
      await inScope(async (ctx) => {
        const located = await locatePeople(
          ctx,
          group.map((r) => r.hash),
          'import',
          { soft: true },
        )
        const where = new Map(located.map((f) => [f.document_hash, f]))
        for (const rec of group) {
          const f = where.get(rec.hash)
          if (!f) {
            counts.valid++
            continue
          }
          if (f.union_id === job.union_id && f.status !== 'left') {
            counts.existing++
            found.push({ row_no: rec.rowNo, column_name: docColumn, kind: 'existing', message: `已是本工会（${f.union_name}）会员，跳过` })
          } else {
            counts.elsewhere++
            found.push({ row_no: rec.rowNo, column_name: docColumn, kind: 'elsewhere', message: elsewhereMessage(f) })
          }
        }
        const room = MAX_PROBLEMS - stored
        if (found.length > room) truncated = true
        const keep = found.slice(0, Math.max(0, room))
        stored += keep.length
        if (keep.length) await repo.addProblems(ctx.db, job.id, job.org_path, keep)
      })
    }
    const results = readAhead(processed(opened.batches, runner, new Set()), (r) => r.out.rows, 5 * LOCATE_GROUP)
    try {
      for await (const { out } of results) {
        counts.total += out.rows
        // on the embedded database: refused as soon as the file is known to be too big
        if (maxRows !== null && counts.total > maxRows) throw new FileProblem(embeddedLimitMessage(maxRows))
        counts.error += out.errorRows
        // several problems of one cell become one line
        const byCell = new Map<string, repo.ProblemRow>()
        for (const p of out.problems) {
          const k = `${p.rowNo}\u0000${p.column}`
          const had = byCell.get(k)
          if (had) had.message += `；${p.message}`
          else {
            const row = { row_no: p.rowNo, column_name: p.column, kind: 'error', message: p.message }
            byCell.set(k, row)
            rows.push(row)
          }
        }
        for (let i = 0; i < out.rowNos.length; i++) {
          const rowNo = out.rowNos[i]!
          const hash = out.hashes[i]!
          const first = firstRow.firstOrAdd(hash, rowNo)
          if (first !== undefined) {
            counts.error++
            rows.push({
              row_no: rowNo,
              column_name: docColumn,
              kind: 'error',
              message: `证件号码与第${first}行重复（同一人在文件中出现多次）`,
            })
          } else recs.push({ rowNo, hash })
        }
        if (recs.length >= LOCATE_GROUP || rows.length >= LOCATE_GROUP) await flush()
        const p = progress.get(job.id)!
        p.done = counts.total
        if (p.total < p.done) p.total = Math.round(p.done * 1.1)
      }
      if (recs.length || rows.length) await flush()
    } finally {
      results.stop()
      await runner.close()
    }
    const notes: string[] = []
    if (counts.total === 0) notes.push('文件中没有数据行')
    if (ignored.length) notes.push(`未识别的列已忽略：${ignored.slice(0, 10).join('、')}${ignored.length > 10 ? ' 等' : ''}`)
    if (truncated) notes.push(`问题超过${MAX_PROBLEMS}条，只保存了前${MAX_PROBLEMS}条`)
    await inScope(async (ctx) => {
      const same = await repo.sameFileDone(ctx.db, job.file_sha256, job.union_id, job.id)
      if (same) notes.push(`同一文件已于任务 #${same.id} 导入过；再次导入不会重复登记任何人`)
      await repo.updateJob(ctx.db, job.id, {
        status: 'checked',
        checked_at: new Date(),
        total_rows: counts.total,
        valid_rows: counts.valid,
        error_rows: counts.error,
        existing_rows: counts.existing,
        elsewhere_rows: counts.elsewhere,
        processed_rows: counts.total,
        message: notes.join('；') || null,
      })
    })
  } catch (e) {
    const message = e instanceof FileProblem ? e.message : `检查失败：${(e as Error).message}`
    if (!(e instanceof FileProblem)) console.error(`import job ${job.id}: dry run failed`, e)
    await inScope((ctx) => repo.updateJob(ctx.db, job.id, { status: 'failed', message, finished_at: new Date(), total_rows: counts.total }))
  } finally {
    if (!running.has(job.id)) progress.delete(job.id)
  }
}

// ── commit ────────────────────────────────────────────────────────────────────
export interface CommitOptions {
  /** tests: throw inside the transaction after this many batches, as a crash would */
  failAfterBatches?: number
  /** tests: worker threads (0 = inline), a worker that dies at this batch, rows per staged chunk */
  workers?: number
  crashWorkerAt?: number
  stageRows?: number
  onProgress?: (p: { done: number; total: number; rate: number; secondsLeft: number | null }) => void
}

/** Checks that the job may be committed and marks it 'importing'; the work runs after the caller's commit. */
export async function startCommit(
  ctx: Ctx,
  env: ImportEnv,
  id: number,
  mode: 'all' | 'valid_only',
  opts: CommitOptions = {},
): Promise<{ view: ImportJobView; after: () => Promise<void> }> {
  requireWriter(ctx)
  const job = await loadJob(ctx, id)
  if (job.status === 'checking') throw conflict('文件还在检查中，请稍候')
  if (job.status === 'importing') throw conflict('该文件正在导入中')
  if (job.status === 'done') throw conflict('该文件已导入完成；再次导入请重新上传（已登记的人员不会重复登记）')
  if (!job.checked_at) throw conflict('该文件未通过检查，不能导入；请修正后重新上传')
  if (env.embeddedMaxRows != null && job.total_rows > env.embeddedMaxRows) throw conflict(embeddedLimitMessage(env.embeddedMaxRows))
  if (!fs.existsSync(job.file_path)) throw conflict(`上传的文件已删除（超过${UPLOAD_KEEP_DAYS}天未导入），请重新上传`)
  if (mode === 'all' && job.error_rows > 0) {
    throw new AppError(
      409,
      'has_errors',
      `文件中有 ${job.error_rows} 行有错误，按“全部导入”不能导入；请修正后重新上传，或选择“只导入正确的行”`,
    )
  }
  // guarded: of two clicks at the same moment, one starts the import and the other is told so
  if (!(await repo.claimForCommit(ctx.db, id, mode))) throw conflict('该文件正在导入中或已导入')
  const actor = ctx.actor
  const ip = ctx.ip
  const view = present({ ...job, status: 'importing', mode, processed_rows: 0, imported_rows: 0, message: null })
  return { view, after: () => track(id, commitJob(env, actor, ip, id, mode, opts)) }
}

/**
 * The import itself, in ONE transaction as the requesting actor: re-reads the file; worker
 * threads validate, encrypt and hash the rows (large files); the sealed rows are COPYed into a
 * temporary staging table and moved into member and the ledger by one INSERT … SELECT per
 * STAGE_ROWS rows, while the threads seal the next rows. A person who became a member meanwhile is
 * skipped by the unique index. Either the whole result commits with the job marked 'done', or
 * nothing does and the job is 'failed' and can be run again (a worker that dies fails it too).
 */
export async function commitJob(
  env: ImportEnv,
  actor: Actor,
  ip: string,
  id: number,
  mode: 'all' | 'valid_only',
  opts: CommitOptions = {},
): Promise<void> {
  const startedAt = Date.now()
  let filePath: string | null = null
  try {
    await runInScope(env.db, env.pii, actor, ip, async (ctx) => {
      const job = await loadJob(ctx, id)
      filePath = job.file_path
      const union = await orgs.findById(ctx.db, job.union_id)
      if (!union) throw notFound('工会')
      if (union.status === 'dissolved') throw conflict('该工会已注销，不能导入会员')
      const total = job.total_rows
      const p: Progress = { phase: 'importing', done: 0, total, startedAt }
      progress.set(id, p)
      // imports commit one at a time: two files with the same people in a different order would
      // otherwise wait on each other's rows (a deadlock); the unique index still decides who wins
      await repo.lockImports(ctx.db)
      const skip = mode === 'valid_only' ? await repo.errorRowNos(ctx.db, id) : new Set<number>()
      const opened = await openRoster(job.file_path, job.file_format as FileFormat, job.encoding as Encoding, ctx.pii)
      await repo.createStage(ctx.db)
      const runner = startRunner({
        pii: ctx.pii,
        header: opened.header,
        today: ctx.today,
        purpose: 'commit',
        workers: opts.workers ?? env.workers ?? (job.file_size > SYNC_CHECK_BYTES ? commitWorkers() : 0),
        crashAt: opts.crashWorkerAt,
      })
      // no Set of the file's people here (a million hashes is 100+ MB): the dry run marked every
      // second occurrence as an error row, and the unique index skips anyone met twice anyway
      let candidates = 0
      let inserted = 0
      let chunks = 0
      let rowsWithErrors = 0
      let results: ReturnType<typeof readAhead<{ out: BatchOut; skipped: number }>> | null = null
      const report = () => {
        const secs = (Date.now() - startedAt) / 1000
        const rate = secs > 0 ? p.done / secs : 0
        opts.onProgress?.({ done: p.done, total, rate, secondsLeft: rate > 0 ? Math.max(0, (total - p.done) / rate) : null })
      }
      try {
        // the batches come back validated and sealed, in file order; the threads work on the next
        // ones while the database takes these
        const ahead = readAhead(processed(opened.batches, runner, skip), (r) => r.out.valid + 1, opts.stageRows ?? STAGE_ROWS)
        results = ahead
        let next = await ahead.next()
        while (!next.done) {
          let staged = 0
          // one COPY into the staging table per chunk, then one INSERT … SELECT
          async function* lines(): AsyncGenerator<Buffer> {
            while (!next.done && staged < (opts.stageRows ?? STAGE_ROWS)) {
              const { out, skipped } = next.value
              p.done += out.rows + skipped
              rowsWithErrors += out.errorRows + skipped
              if (out.errorRows && mode === 'all') {
                const first = out.problems[0]
                throw conflict(
                  `第${first?.rowNo ?? ''}行「${first?.column ?? ''}」${first?.message ?? '有错误'}；按“全部导入”整个文件未导入`,
                )
              }
              candidates += out.valid
              staged += out.valid
              if (out.copy) yield Buffer.from(out.copy.buffer, out.copy.byteOffset, out.copy.byteLength)
              report()
              next = await ahead.next()
            }
          }
          await repo.copyToStage(ctx.db, lines())
          // into the register and its ledger as every 入会 is (members/enroll.ts)
          if (staged) inserted += (await enroll(ctx, union, { stagedJobId: id })).inserted
          chunks++
          if (opts.failAfterBatches !== undefined && chunks > opts.failAfterBatches) throw new Error('模拟中途崩溃（测试）')
        }
      } finally {
        results?.stop()
        await runner.close()
      }
      const skippedMembers = candidates - inserted
      const parts = [`已导入 ${inserted} 人`]
      if (rowsWithErrors) parts.push(`跳过有错误的行 ${rowsWithErrors} 行`)
      if (skippedMembers > 0)
        parts.push(
          `跳过已是会员的 ${skippedMembers} 人（本工会 ${job.existing_rows}，其他工会 ${job.elsewhere_rows}${skippedMembers > job.existing_rows + job.elsewhere_rows ? `，检查之后才登记的 ${skippedMembers - job.existing_rows - job.elsewhere_rows}` : ''}）`,
        )
      await repo.updateJob(ctx.db, id, {
        status: 'done',
        imported_rows: inserted,
        processed_rows: p.done,
        finished_at: new Date(),
        message: parts.join('；'),
      })
      ctx.audit({
        action: 'member.import',
        targetType: 'import_job',
        targetId: id,
        targetName: job.file_name,
        scopePath: union.path,
        detail: { mode, imported: inserted, skippedMembers, rowsWithErrors, sha256: job.file_sha256 },
      })
      report()
    })
    // imported: the uploaded file (personal data in clear) is not kept; a failed import keeps it to run again
    if (filePath) fs.rmSync(filePath, { force: true })
  } catch (e) {
    const message =
      e instanceof AppError || e instanceof FileProblem ? e.message : `导入失败，未写入任何会员，可重新导入：${(e as Error).message}`
    if (!(e instanceof AppError || e instanceof FileProblem)) console.error(`import job ${id}: commit failed`, e)
    await runInScope(env.db, env.pii, actor, ip, (ctx) =>
      repo.updateJob(ctx.db, id, { status: 'failed', message, finished_at: new Date() }),
    )
  }
}

/**
 * Pulls `source` ahead of its consumer, holding up to `limit` (by `weight`) of results: the file is
 * read and sealed while the database works on what came before. Ends quietly when the consumer
 * stops or `stop()` is called (a source waiting on its runner ends when the runner is closed).
 */
function readAhead<T>(source: AsyncGenerator<T>, weight: (t: T) => number, limit: number): AsyncGenerator<T> & { stop(): void } {
  const buf: T[] = []
  const st = { held: 0, done: false, stop: false, failed: null as { error: unknown } | null }
  // who waits: the consumer for an item, the pump for room
  const waiting: { item: (() => void) | null; room: (() => void) | null } = { item: null, room: null }
  const wake = (k: 'item' | 'room') => {
    const w = waiting[k]
    waiting[k] = null
    w?.()
  }
  void (async () => {
    try {
      for await (const item of source) {
        if (st.stop) break
        buf.push(item)
        st.held += weight(item)
        wake('item')
        while (st.held >= limit && !st.stop) await new Promise<void>((r) => (waiting.room = r))
        if (st.stop) break
      }
    } catch (e) {
      st.failed = { error: e }
    } finally {
      st.done = true
      wake('item')
    }
  })()
  const stop = () => {
    st.stop = true
    wake('room')
  }
  const gen = (async function* () {
    try {
      while (true) {
        if (buf.length) {
          const item = buf.shift()!
          st.held -= weight(item)
          wake('room')
          yield item
        } else if (st.failed) throw st.failed.error
        else if (st.done) return
        else await new Promise<void>((r) => (waiting.item = r))
      }
    } finally {
      stop()
    }
  })()
  return Object.assign(gen, { stop })
}

/**
 * The file's batches through the runner, results in file order, with up to `runner.depth` batches
 * in flight. Rows the dry run found in error are dropped first in a valid_only commit (`skipped`).
 */
async function* processed(
  batches: AsyncIterable<Row[]>,
  runner: BatchRunner,
  skip: Set<number>,
): AsyncGenerator<{ out: BatchOut; skipped: number }> {
  const queue: { out: Promise<BatchOut>; skipped: number }[] = []
  for await (const batch of batches) {
    const rows = skip.size ? batch.filter((r) => !skip.has(r.rowNo)) : batch
    const out = runner.run(rows)
    out.catch(() => undefined) // awaited in order below; a failure must not go unhandled meanwhile
    queue.push({ out, skipped: batch.length - rows.length })
    while (queue.length >= runner.depth) {
      const q = queue.shift()!
      yield { out: await q.out, skipped: q.skipped }
    }
  }
  while (queue.length) {
    const q = queue.shift()!
    yield { out: await q.out, skipped: q.skipped }
  }
}

/** Days an uploaded roster that was not imported is kept for its commit; then it is deleted. */
export const UPLOAD_KEEP_DAYS = 7

/** A file in the upload directory that no job needs is deleted once it has not changed for this long. */
export const ORPHAN_GRACE_MS = 3_600_000

/**
 * Uploaded rosters hold personal data (encrypted, sealed.ts): an imported one is deleted when its
 * commit succeeds, one never imported after UPLOAD_KEEP_DAYS — its job is marked failed (the
 * problems stay) and audited in the same transaction, then the file is deleted. With `dir`, every
 * other file there that no pending job points at (an upload cut off by a crash, a file whose
 * deletion failed) is deleted too, once untouched for ORPHAN_GRACE_MS (an upload being received or
 * a job not yet committed is younger). Run at start and every hour. Returns the number of files deleted.
 */
export async function purgeUploads(owner: Db, now = new Date(), dir?: string): Promise<number> {
  const before = new Date(now.getTime() - UPLOAD_KEEP_DAYS * 86_400_000)
  const expired = await owner.transaction().execute(async (tx) => {
    const jobs = await repo.expireUploads(tx, before, `上传的文件超过${UPLOAD_KEEP_DAYS}天未导入，已删除；如需导入请重新上传`)
    // each on the audit chain of its top-level organization, as a request in that scope would be
    const byChain = new Map<string, typeof jobs>()
    for (const j of jobs) {
      const chain = `org:${j.org_path.split('/')[1]}`
      byChain.set(chain, [...(byChain.get(chain) ?? []), j])
    }
    for (const [chain, js] of byChain) {
      await appendAudit(
        tx,
        chain,
        { id: null, name: 'system', ip: null },
        js.map((j) => ({
          action: 'member.import.expire',
          targetType: 'import_job',
          targetId: j.id,
          targetName: j.file_name,
          scopePath: j.org_path,
          detail: { keepDays: UPLOAD_KEEP_DAYS },
        })),
      )
    }
    return jobs
  })
  for (const j of expired) fs.rmSync(j.file_path, { force: true })
  return expired.length + (dir ? await sweepOrphans(owner, dir, now) : 0)
}

async function sweepOrphans(owner: Db, dir: string, now: Date): Promise<number> {
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0
    throw e
  }
  if (names.length === 0) return 0
  // listed before the jobs are read: a file stored meanwhile is young, so kept
  const pending = new Set((await repo.pendingUploadPaths(owner)).map((p) => path.resolve(p)))
  let n = 0
  for (const name of names) {
    const file = path.resolve(dir, name)
    if (pending.has(file)) continue
    const st = fs.statSync(file, { throwIfNoEntry: false })
    if (!st?.isFile() || now.getTime() - st.mtimeMs < ORPHAN_GRACE_MS) continue
    fs.rmSync(file, { force: true })
    n++
  }
  return n
}

/** On server start: jobs a crash or restart interrupted committed nothing; they can be run again. */
export function recoverInterrupted(owner: Db) {
  return repo.failInterrupted(owner, {
    importing: '导入过程中服务重启或中断，本次未写入任何会员；可重新执行导入',
    checking: '检查过程中服务重启或中断；请重新上传文件',
  })
}

// ── reading ───────────────────────────────────────────────────────────────────
export async function list(ctx: Ctx, q: { union?: number; page: number; pageSize: number }): Promise<Page<ImportJobView>> {
  const r = await repo.listJobs(ctx.db, { unionId: q.union, page: q.page, pageSize: q.pageSize })
  return { items: r.items.map(present), total: r.total }
}

export async function get(ctx: Ctx, id: number): Promise<ImportJobView> {
  return present(await loadJob(ctx, id))
}

export async function problems(ctx: Ctx, id: number, q: z.output<typeof importProblemQuery>): Promise<Page<ImportProblemView>> {
  await loadJob(ctx, id)
  const r = await repo.problems(ctx.db, id, q)
  return { items: r.items.map((p) => ({ rowNo: p.row_no, column: p.column_name, kind: p.kind, message: p.message })), total: r.total }
}

const kindLabels: Record<string, string> = { error: '错误', elsewhere: '已是其他工会会员（可接转）', existing: '已是本工会会员（跳过）' }

/** The problems as an xlsx workbook: 行号, 列, 类型, 问题. */
export async function report(ctx: Ctx, id: number): Promise<{ fileName: string; data: Buffer }> {
  const job = await loadJob(ctx, id)
  const out = new PassThrough()
  const chunks: Buffer[] = []
  out.on('data', (c: Buffer) => chunks.push(c))
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true })
  const ws = wb.addWorksheet('问题清单')
  ws.columns = [
    { header: '行号', key: 'r', width: 8 },
    { header: '列', key: 'c', width: 14 },
    { header: '类型', key: 'k', width: 24 },
    { header: '问题', key: 'm', width: 80 },
  ]
  let n = 0
  for await (const rows of repo.iterateProblems(ctx.db, id)) {
    for (const p of rows) {
      ws.addRow([p.row_no, p.column_name, kindLabels[p.kind] ?? p.kind, p.message]).commit()
      n++
    }
  }
  ws.addRow([]).commit()
  ws.addRow([
    `文件：${job.file_name}  共 ${job.total_rows} 行，有错误 ${job.error_rows} 行，已是本工会会员 ${job.existing_rows} 人，已是其他工会会员 ${job.elsewhere_rows} 人；行号为原文件中的行号`,
  ]).commit()
  ws.commit()
  await wb.commit()
  ctx.audit({
    action: 'member.import.report',
    targetType: 'import_job',
    targetId: id,
    targetName: job.file_name,
    scopePath: job.org_path,
    detail: { problems: n },
  })
  return { fileName: `导入问题清单-${job.file_name.replace(/\.[^.]+$/, '')}.xlsx`, data: Buffer.concat(chunks) }
}

// ── the template ──────────────────────────────────────────────────────────────
/** The roster template: one sheet to fill, drop-down lists for the coded fields, and instructions. */
export async function template(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.creator = '工会平台'
  const ws = wb.addWorksheet('会员信息')
  const lists = wb.addWorksheet('代码表', { state: 'veryHidden' })
  const help = wb.addWorksheet('填写说明')
  ws.columns = columns.map((c) => ({ header: c.required ? `${c.header}*` : c.header, key: c.key, width: c.width }))
  ws.getRow(1).font = { bold: true }
  ws.views = [{ state: 'frozen', ySplit: 1 }]
  const last = 5001
  const validations = (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations
  let listCol = 0
  columns.forEach((c, i) => {
    const letter = ws.getColumn(i + 1).letter
    if (c.key === 'documentNumber' || c.key === 'phone') ws.getColumn(i + 1).numFmt = '@'
    if (c.kind === 'date') ws.getColumn(i + 1).numFmt = 'yyyy-mm-dd'
    if (!c.codes) return
    listCol++
    const lc = lists.getColumn(listCol)
    lists.getCell(1, listCol).value = c.header
    c.codes.forEach((r, j) => {
      lists.getCell(j + 2, listCol).value = r.label
    })
    const ref = `'代码表'!$${lc.letter}$2:$${lc.letter}$${c.codes.length + 1}`
    validations.add(`${letter}2:${letter}${last}`, {
      type: 'list',
      allowBlank: true,
      formulae: [ref],
      showErrorMessage: true,
      errorStyle: 'warning',
      errorTitle: c.header,
      error: `请从下拉列表中选择${c.header}`,
    })
  })
  help.columns = [
    { header: '列', width: 16 },
    { header: '说明', width: 90 },
  ]
  help.getRow(1).font = { bold: true }
  const notes: Record<string, string> = {
    name: '必填',
    documentNumber: '必填；居民身份证18位（15位旧号自动转换）；请将单元格设为文本，以免末位被改成0',
    documentType: '不填为居民身份证',
    gender: '不填时按身份证号码推出',
    birthDate: '不填时按身份证号码推出；写成 1990-01-31',
    phone: '11位手机号',
    joinedOn: '不填为导入当天；写成 2020-03-01',
    isMigrant: '是 / 否',
    isModelWorker: '是 / 否',
  }
  for (const c of columns) help.addRow([c.header, [notes[c.key], c.codes ? '从下拉列表选择，也可填代码' : ''].filter(Boolean).join('；')])
  help.addRow([])
  help.addRow([
    '',
    '也可上传 CSV（UTF-8 或 GBK 编码均可）；列名可用常见写法，如「身份证号码」「公民身份号码」「手机」「联系电话」「会员姓名」「入会时间」',
  ])
  help.addRow(['', '上传后系统先检查，列出每一行的问题，确认后再导入；已是其他工会会员的人员不会重复登记，请办理接转'])
  return Buffer.from(await wb.xlsx.writeBuffer())
}
