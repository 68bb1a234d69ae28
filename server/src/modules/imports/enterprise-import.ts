/**
 * The dry run and the commit of an enterprise register file (kind 'enterprise'): the job, its
 * progress, problems, report and upload are the roster's (job.ts, progress.ts, report.ts); the
 * rows are checked as the 登记单位 form checks them (enterprise-rows.ts) and written through the
 * same register path (enterprises/register.ts), all in ONE transaction.
 */
import type { Actor, Ctx } from '../../http/context.js'
import { conflict } from '../../http/errors.js'
import { auditable, register } from '../enterprises/register.js'
import * as repo from './imports.repository.js'
import { checkEnterpriseRows, checkState, enterpriseHeaderMissing, mapEnterpriseHeader, type CheckedRow } from './enterprise-rows.js'
import { asDryRun, embeddedLimitMessage, fileNotes, inCommit, markChecked, type ImportEnv, type InScope } from './job.js'
import { progress, type Progress } from './progress.js'
import { FileProblem, openTable, type Encoding, type FileFormat } from './reader.js'

export const openEnterprises = (job: repo.JobRow, pii: Ctx['pii']) =>
  openTable(job.file_path, job.file_format as FileFormat, job.encoding as Encoding, pii, mapEnterpriseHeader, enterpriseHeaderMissing)

const problemRows = (checked: CheckedRow[]): repo.ProblemRow[] =>
  checked.flatMap((c) => c.problems.map((p) => ({ row_no: c.rowNo, column_name: p.column, kind: 'error', message: p.message })))

/** The dry run: every row checked, every problem recorded; writes nothing but the job and its problems. */
export async function dryRunEnterprises(job: repo.JobRow, inScope: InScope, pii: Ctx['pii'], maxRows: number | null) {
  const p: Progress = { phase: 'checking', done: 0, total: Math.max(1, Math.round(job.file_size / 100)), startedAt: Date.now() }
  progress.set(job.id, p)
  const counts = { total: 0, error: 0, valid: 0 }
  await asDryRun(
    inScope,
    job.id,
    () => counts.total,
    async () => {
      const opened = await openEnterprises(job, pii)
      const state = checkState({ path: job.org_path, name: job.union_name ?? '' })
      for await (const batch of opened.batches) {
        counts.total += batch.length
        if (maxRows !== null && counts.total > maxRows) throw new FileProblem(embeddedLimitMessage(maxRows))
        await inScope(async (ctx) => {
          const checked = await checkEnterpriseRows(ctx, opened.header, batch, state)
          for (const c of checked) c.body ? counts.valid++ : counts.error++
          const found = problemRows(checked)
          if (found.length) await repo.addProblems(ctx.db, job.id, job.org_path, found)
        })
        p.done = counts.total
        if (p.total < p.done) p.total = Math.round(p.done * 1.1)
      }
      const notes = fileNotes(counts.total, opened.header.ignored)
      await inScope((ctx) => markChecked(ctx, job.id, counts, notes))
    },
  )
}

/**
 * The commit, in ONE transaction as the requesting actor: the file re-read and every row checked
 * again (a unit registered since the dry run is caught too); 'all' writes nothing when any row is
 * in error, 'valid_only' writes the rows without problems. Each unit goes in as the form's does,
 * with its audit entry; one more entry for the import.
 */
export async function commitEnterprises(env: ImportEnv, actor: Actor, ip: string, id: number, mode: 'all' | 'valid_only') {
  const startedAt = Date.now()
  await inCommit(env, actor, ip, id, '未写入任何单位', async (ctx, job) => {
    const p: Progress = { phase: 'importing', done: 0, total: job.total_rows, startedAt }
    progress.set(id, p)
    await repo.lockImports(ctx.db)
    const opened = await openEnterprises(job, ctx.pii)
    const state = checkState({ path: job.org_path, name: job.union_name ?? '' })
    let imported = 0
    let skipped = 0
    for await (const batch of opened.batches) {
      for (const c of await checkEnterpriseRows(ctx, opened.header, batch, state)) {
        p.done++
        if (!c.body || !c.place) {
          const first = c.problems[0]
          if (mode === 'all')
            throw conflict(`第${c.rowNo}行「${first?.column ?? ''}」${first?.message ?? '有错误'}；按“全部导入”整个文件未导入`)
          skipped++
          continue
        }
        const unit = await register(ctx, c.body, c.place)
        ctx.audit({
          action: 'enterprise.create',
          targetType: 'enterprise',
          targetId: unit,
          targetName: c.body.name,
          scopePath: c.place.home.path,
          detail: { after: auditable(c.body), importJob: id, rowNo: c.rowNo },
        })
        imported++
      }
    }
    const parts = [`已登记 ${imported} 家单位`]
    if (skipped) parts.push(`跳过有错误的行 ${skipped} 行`)
    await repo.updateJob(ctx.db, id, {
      status: 'done',
      imported_rows: imported,
      processed_rows: p.done,
      finished_at: new Date(),
      message: parts.join('；'),
    })
    ctx.audit({
      action: 'enterprise.import',
      targetType: 'import_job',
      targetId: id,
      targetName: job.file_name,
      scopePath: job.org_path,
      detail: { mode, imported, skipped, sha256: job.file_sha256 },
    })
  })
}
