/**
 * Roster imports (会员名册导入): upload → dry run (every problem with row, column and reason) →
 * commit, all or nothing for the file or the valid rows only, in ONE transaction under the
 * caller's jurisdiction. Large files are checked and committed in the background. The parts:
 * job.ts (environment, limits), progress.ts (in memory), dry-run.ts, commit.ts, report.ts (the
 * workbooks), upkeep.ts (purge, recovery: main.ts), pipeline.ts (batches through the workers).
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { z } from 'zod'
import type { ImportJobView, ImportProblemView, importProblemQuery } from '../../../../common/api-members.js'
import type { Page } from '../../../../common/api.js'
import type { Ctx } from '../../http/context.js'
import { runInScope } from '../../http/scope.js'
import { AppError, badRequest, conflict, notFound } from '../../http/errors.js'
import * as orgs from '../orgs/orgs.repository.js'
import { requireWriter } from '../../policies/policy.js'
import * as repo from './imports.repository.js'
import { ensureUploadDir } from './sealed.js'
import { FileProblem, sniffFormat, type Encoding, type FileFormat } from './reader.js'
import { defaultWorkers } from './workers.js'
import { SYNC_CHECK_BYTES, embeddedLimitMessage, loadJob, type ImportEnv, type InScope } from './job.js'
import { present, track } from './progress.js'
import { dryRun } from './dry-run.js'
import { commitJob, type CommitOptions } from './commit.js'
import { commitEnterprises, dryRunEnterprises } from './enterprise-import.js'
import { UPLOAD_KEEP_DAYS } from './upkeep.js'

export { SYNC_CHECK_BYTES, embeddedLimitMessage, type ImportEnv } from './job.js'
export { progressOf, settled } from './progress.js'
export { commitJob, type CommitOptions } from './commit.js'
export { enterpriseTemplate, report, template } from './report.js'
export { ORPHAN_GRACE_MS, UPLOAD_KEEP_DAYS, purgeUploads, recoverInterrupted } from './upkeep.js'

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

/**
 * An uploaded file: a roster into the union `unionId`, or (kind 'enterprise') units into the
 * register within the caller's jurisdiction (the job belongs to the caller's own union).
 */
export async function upload(
  ctx: Ctx,
  env: ImportEnv,
  unionId: number | null,
  fileName: string,
  file: Upload | null,
  kind: 'roster' | 'enterprise' = 'roster',
): Promise<{ view: ImportJobView; after: AfterCommit }> {
  requireWriter(ctx)
  // units: into the jurisdiction of the union chosen (the caller's own by default)
  const target = unionId ?? (kind === 'enterprise' ? ctx.actor.orgId : null)
  const union = target ? await orgs.findById(ctx.db, target) : undefined
  if (!union) throw target ? notFound('工会') : badRequest('您的账号未关联工会，不能导入用人单位')
  if (union.status === 'dissolved') throw badRequest('该工会已注销，不能导入会员', { union: '该工会已注销' })
  if (!file) throw badRequest('请上传 .xlsx 或 .csv 文件（请求体为文件内容，Content-Type: application/octet-stream）')
  if (file.size === 0) throw badRequest('上传的文件是空的')
  const name = path.basename(fileName || `${kind}.csv`).slice(0, 200)
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
    kind,
  })
  ctx.audit({
    action: kind === 'roster' ? 'member.import.upload' : 'enterprise.import.upload',
    targetType: 'import_job',
    targetId: id,
    targetName: name,
    scopePath: union.path,
    detail: { size: file.size, sha256: file.sha256, format, encoding: file.encoding },
  })
  const job = (await repo.findJob(ctx.db, id))!
  const maxRows = env.embeddedMaxRows ?? null
  if (file.size <= SYNC_CHECK_BYTES) {
    if (kind === 'enterprise') await dryRunEnterprises(job, (fn) => fn(ctx), ctx.pii, maxRows)
    else await dryRun(job, (fn) => fn(ctx), ctx.pii, ctx.today, 0, maxRows)
    return { view: present((await repo.findJob(ctx.db, id))!), after: null }
  }
  const actor = ctx.actor
  const ip = ctx.ip
  const inScope: InScope = (fn) => runInScope(env.db, env.pii, actor, ip, fn)
  return {
    view: present(job),
    after: () =>
      void track(
        id,
        kind === 'enterprise'
          ? dryRunEnterprises(job, inScope, env.pii, maxRows)
          : dryRun(
              job,
              inScope,
              env.pii,
              ctx.today, // the users' day: UTC would check a file against yesterday before 08:00 in Beijing
              env.workers ?? defaultWorkers(),
              maxRows,
            ),
      ),
  }
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
  const work = () => (job.kind === 'enterprise' ? commitEnterprises(env, actor, ip, id, mode) : commitJob(env, actor, ip, id, mode, opts))
  return { view, after: () => track(id, work()) }
}

// ── reading ───────────────────────────────────────────────────────────────────
export async function list(
  ctx: Ctx,
  q: { union?: number; page: number; pageSize: number },
  kind: 'roster' | 'enterprise' = 'roster',
): Promise<Page<ImportJobView>> {
  const r = await repo.listJobs(ctx.db, { kind, unionId: q.union, page: q.page, pageSize: q.pageSize })
  return { items: r.items.map(present), total: r.total }
}

export async function get(ctx: Ctx, id: number): Promise<ImportJobView> {
  return present(await loadJob(ctx, id))
}

export async function problems(ctx: Ctx, id: number, q: z.output<typeof importProblemQuery>): Promise<Page<ImportProblemView>> {
  await loadJob(ctx, id)
  const r = await repo.problems(ctx.db, id, q)
  return {
    items: r.items.map((p) => ({
      rowNo: p.row_no,
      column: p.column_name,
      kind: p.kind,
      message: p.message,
      canTransfer: p.can_transfer === true,
    })),
    total: r.total,
  }
}
