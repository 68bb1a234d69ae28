/**
 * What every part of a roster import shares: its environment, the limit of the embedded database,
 * the size up to which a file is checked inside the upload request, a job read within the
 * jurisdiction, and how background work runs in a scope.
 */
import fs from 'node:fs'
import type { Db } from '../../db/client.js'
import type { Actor, Ctx } from '../../http/context.js'
import { AppError, notFound } from '../../http/errors.js'
import { runInScope } from '../../http/scope.js'
import { FileProblem } from './reader.js'
import { progress, running } from './progress.js'
import type { Pii } from '../../security/pii.js'
import * as repo from './imports.repository.js'
import { unionIndex, type HeaderMap, type UnionIndex } from './columns.js'

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
/** Runs `fn` in a scoped transaction: the request's own, or a new one for background work. */
export type InScope = <T>(fn: (ctx: Ctx) => Promise<T>) => Promise<T>

/** The job, if the caller's jurisdiction holds it. */
export async function loadJob(ctx: Ctx, id: number) {
  const j = await repo.findJob(ctx.db, id)
  if (!j) throw notFound('导入任务')
  return j
}

/**
 * With a 所属工会 column, the unions its rows may name: the importer's own jurisdiction (a row
 * naming any other is an error row, never written). Without it, none: the file goes to the union
 * chosen at upload.
 */
export async function unionsFor(ctx: Ctx, header: HeaderMap): Promise<UnionIndex | undefined> {
  if (header.at.union === undefined) return undefined
  const path = ctx.actor.scopePath
  return unionIndex(path ? await repo.unionsInScope(ctx.db, path) : [])
}

/** The notes of a checked file: no data rows, the columns not recognized. */
export function fileNotes(total: number, ignored: string[]): string[] {
  const notes: string[] = []
  if (total === 0) notes.push('文件中没有数据行')
  if (ignored.length) notes.push(`未识别的列已忽略：${ignored.slice(0, 10).join('、')}${ignored.length > 10 ? ' 等' : ''}`)
  return notes
}

/**
 * A dry run's frame: the job's problems cleared, then `check` reads and checks the file; when it fails the job says why (a problem
 * with the file as it is; anything else is logged too); the progress is dropped at the end.
 */
export async function asDryRun(inScope: InScope, jobId: number, rowsSeen: () => number, check: () => Promise<void>) {
  try {
    await inScope((ctx) => repo.clearProblems(ctx.db, jobId))
    await check()
  } catch (e) {
    const message = e instanceof FileProblem ? e.message : `检查失败：${(e as Error).message}`
    if (!(e instanceof FileProblem)) console.error(`import job ${jobId}: dry run failed`, e)
    await inScope((ctx) => repo.updateJob(ctx.db, jobId, { status: 'failed', message, finished_at: new Date(), total_rows: rowsSeen() }))
  } finally {
    if (!running.has(jobId)) progress.delete(jobId)
  }
}

/** The job checked: its counts and notes, ready to be committed. */
export function markChecked(
  ctx: Ctx,
  jobId: number,
  counts: { total: number; valid: number; error: number; existing?: number; elsewhere?: number },
  notes: string[],
) {
  return repo.updateJob(ctx.db, jobId, {
    status: 'checked',
    checked_at: new Date(),
    total_rows: counts.total,
    valid_rows: counts.valid,
    error_rows: counts.error,
    existing_rows: counts.existing ?? 0,
    elsewhere_rows: counts.elsewhere ?? 0,
    processed_rows: counts.total,
    message: notes.join('；') || null,
  })
}

/**
 * A commit: `work` in ONE transaction as the requesting actor, on the job read within the
 * jurisdiction. Imported, the uploaded file (personal data) is not kept; a failed import keeps it
 * to run again, the job 'failed' with the reason (`nothing`: what was not written).
 */
export async function inCommit(
  env: ImportEnv,
  actor: Actor,
  ip: string,
  id: number,
  nothing: string,
  work: (ctx: Ctx, job: repo.JobRow) => Promise<void>,
): Promise<void> {
  let filePath: string | null = null
  try {
    await runInScope(env.db, env.pii, actor, ip, async (ctx) => {
      const job = await loadJob(ctx, id)
      filePath = job.file_path
      await work(ctx, job)
    })
    if (filePath) fs.rmSync(filePath, { force: true })
  } catch (e) {
    const known = e instanceof AppError || e instanceof FileProblem
    const message = known ? e.message : `导入失败，${nothing}，可重新导入：${(e as Error).message}`
    if (!known) console.error(`import job ${id}: commit failed`, e)
    await runInScope(env.db, env.pii, actor, ip, (ctx) =>
      repo.updateJob(ctx.db, id, { status: 'failed', message, finished_at: new Date() }),
    )
  }
}
