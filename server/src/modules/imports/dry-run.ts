/** The dry run of a roster import: every row checked, every problem recorded, nothing registered. */
import type { Pii } from '../../security/pii.js'
import { locatePeople } from '../members/locate.js'
import * as repo from './imports.repository.js'
import { FirstRows } from './first-rows.js'
import { asDryRun, embeddedLimitMessage, fileNotes, markChecked, unionsFor, type InScope } from './job.js'
import { processed, readAhead } from './pipeline.js'
import { progress } from './progress.js'
import { FileProblem, openRoster, type Encoding, type FileFormat } from './reader.js'
import { startRunner } from './workers.js'

/** valid rows looked up in the register per transaction of a dry run */
const LOCATE_GROUP = 10_000
/** at most this many problems are kept per file (the counts stay exact) */
const MAX_PROBLEMS = 200_000

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
export async function dryRun(job: repo.JobRow, inScope: InScope, pii: Pii, today: string, workers: number, maxRows: number | null) {
  const started = Date.now()
  const est = Math.max(1, Math.round(job.file_size / 120))
  progress.set(job.id, { phase: 'checking', done: 0, total: est, startedAt: started })
  const counts = { total: 0, error: 0, existing: 0, elsewhere: 0, valid: 0 }
  let stored = 0
  let truncated = false
  let ignored: string[] = []
  await asDryRun(
    inScope,
    job.id,
    () => counts.total,
    async () => {
      const opened = await openRoster(job.file_path, job.file_format as FileFormat, job.encoding as Encoding, pii)
      ignored = opened.header.ignored
      const firstRow = new FirstRows(Math.max(1024, est))
      const docColumn = opened.header.names.documentNumber ?? '证件号码'
      const unions = await inScope((ctx) => unionsFor(ctx, opened.header))
      const runner = startRunner({ pii, header: opened.header, unions, today, purpose: 'check', workers })
      // problems and the people to look up, gathered over several batches (one transaction per group)
      let rows: repo.ProblemRow[] = []
      let recs: { rowNo: number; hash: string; union: number }[] = []
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
            // the union the row goes to: its 所属工会, else the one chosen at upload
            if (Number(f.union_id) === Number(rec.union || job.union_id) && f.status !== 'left') {
              counts.existing++
              found.push({
                row_no: rec.rowNo,
                column_name: docColumn,
                kind: 'existing',
                message: `已是本工会（${f.union_name}）会员，跳过`,
              })
            } else {
              counts.elsewhere++
              // one who left is registered anew, not transferred; where the lookups were withheld, nothing is known
              const transferable = f.status !== 'left' && !(f as { withheld?: boolean }).withheld
              found.push({
                row_no: rec.rowNo,
                column_name: docColumn,
                kind: 'elsewhere',
                message: elsewhereMessage(f),
                document_hash: transferable ? rec.hash : null,
              })
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
            } else recs.push({ rowNo, hash, union: out.unions[i]! })
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
      const notes = fileNotes(counts.total, ignored)
      if (truncated) notes.push(`问题超过${MAX_PROBLEMS}条，只保存了前${MAX_PROBLEMS}条`)
      await inScope(async (ctx) => {
        const same = await repo.sameFileDone(ctx.db, job.file_sha256, job.union_id, job.id)
        if (same) notes.push(`同一文件已于任务 #${same.id} 导入过；再次导入不会重复登记任何人`)
        await markChecked(ctx, job.id, counts, notes)
      })
    },
  )
}
