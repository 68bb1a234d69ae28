/**
 * Progress of the imports running in this process, kept in memory (rows done, rows/s, time left)
 * and merged into a job's view; the background work of each job, to wait for it.
 */
import type { ImportJobView } from '../../../../common/api-members.js'
import type * as repo from './imports.repository.js'

export interface Progress {
  phase: 'checking' | 'importing'
  done: number
  total: number
  startedAt: number
}
export const progress = new Map<number, Progress>()
export const running = new Map<number, Promise<void>>()

/** Resolves when the job's background work (if any) has finished. */
export function settled(jobId: number): Promise<void> {
  return running.get(jobId) ?? Promise.resolve()
}

export function track(jobId: number, work: Promise<void>) {
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
    kind: j.kind,
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
