/** The commit of a roster import: the checked file into the register, in one transaction. */
import type { Actor } from '../../http/context.js'
import { conflict, notFound } from '../../http/errors.js'
import * as orgs from '../orgs/orgs.repository.js'
import { enroll } from '../members/enroll.js'
import * as repo from './imports.repository.js'
import { SYNC_CHECK_BYTES, inCommit, unionsFor, type ImportEnv } from './job.js'
import { processed, readAhead } from './pipeline.js'
import { progress, type Progress } from './progress.js'
import { openRoster, type Encoding, type FileFormat } from './reader.js'
import type { BatchOut } from './rows.js'
import { commitWorkers, startRunner } from './workers.js'

/** rows staged (COPY) per INSERT … SELECT of a commit */
const STAGE_ROWS = 100_000

export interface CommitOptions {
  /** tests: throw inside the transaction after this many batches, as a crash would */
  failAfterBatches?: number
  /** tests: worker threads (0 = inline), a worker that dies at this batch, rows per staged chunk */
  workers?: number
  crashWorkerAt?: number
  stageRows?: number
  onProgress?: (p: { done: number; total: number; rate: number; secondsLeft: number | null }) => void
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
  await inCommit(env, actor, ip, id, '未写入任何会员', async (ctx, job) => {
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
      unions: await unionsFor(ctx, opened.header),
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
              throw conflict(`第${first?.rowNo ?? ''}行「${first?.column ?? ''}」${first?.message ?? '有错误'}；按“全部导入”整个文件未导入`)
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
}
