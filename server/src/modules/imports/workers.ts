/**
 * The batches of a large import are validated and sealed (AES-GCM/SM4 encryption, keyed hashes)
 * in worker threads, in parallel with reading the file and with the database. A worker that fails
 * or dies fails the whole import: every pending and later batch is rejected with the reason.
 * Small files are processed inline (starting threads costs more than it saves).
 */
import os from 'node:os'
import { Worker } from 'node:worker_threads'
import { piiSpec, type Pii, type PiiSpec } from '../../security/pii.js'
import type { HeaderMap, UnionIndex } from './columns.js'
import { processBatch, type BatchOut, type BatchRow } from './rows.js'

export interface WorkerSetup {
  pii: PiiSpec
  header: HeaderMap
  unions?: UnionIndex
  today: string
  purpose: 'check' | 'commit'
  /** tests: the worker exits when it receives this batch */
  crashAt?: number
}

export interface BatchRunner {
  /** processes a batch; results of successive calls may be awaited in order */
  run(rows: BatchRow[]): Promise<BatchOut>
  /** how many batches may be in flight for the threads to stay busy */
  readonly depth: number
  close(): Promise<void>
}

/** Threads for a dry run: one per CPU, at most 4 (the reader needs CPU too). */
export function defaultWorkers() {
  return Math.min(4, Math.max(1, os.availableParallelism?.() ?? os.cpus().length))
}

/**
 * Threads for a commit: one CPU fewer, at least one. The commit waits on the database (≈ 50 µs a
 * row against ≈ 30 µs of sealing on one thread, bench/members.ts), which needs a core of its own —
 * PGlite runs on the import's main thread — and every thread costs memory.
 */
export function commitWorkers() {
  return Math.max(1, defaultWorkers() - 1)
}

/**
 * The worker's module. tsx runs the sources directly but does not hook worker threads itself: a
 * small ESM bootstrap registers it in the thread first. Compiled, the .js beside this file runs.
 */
function workerEntry(): URL {
  if (!import.meta.url.endsWith('.ts')) return new URL('./rows.worker.js', import.meta.url)
  const entry = new URL('./rows.worker.ts', import.meta.url)
  const code = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(entry.href)});`
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`)
}

export function startRunner(opts: {
  pii: Pii
  header: HeaderMap
  /** the unions a 所属工会 column may name (only when the file has one) */
  unions?: UnionIndex
  today: string
  purpose: 'check' | 'commit'
  workers: number
  crashAt?: number
}): BatchRunner {
  if (opts.workers <= 0) {
    const rc = { header: opts.header, unions: opts.unions, pii: opts.pii, today: opts.today, seal: false }
    return { depth: 1, run: async (rows) => processBatch(rc, rows, opts.purpose), close: async () => undefined }
  }
  const setup: WorkerSetup = {
    pii: piiSpec(opts.pii),
    header: opts.header,
    unions: opts.unions,
    today: opts.today,
    purpose: opts.purpose,
    crashAt: opts.crashAt,
  }
  const file = workerEntry()
  const pending = new Map<number, { resolve: (o: BatchOut) => void; reject: (e: Error) => void; worker: number }>()
  let failure: Error | null = null
  let closing = false
  const fail = (e: Error) => {
    if (!failure) failure = e
    for (const p of pending.values()) p.reject(failure)
    pending.clear()
  }
  const threads = Array.from({ length: opts.workers }, (_, i) => {
    // a batch is small: a tight heap makes the thread collect its garbage instead of growing
    const w = new Worker(file, { workerData: setup, resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 } })
    w.on('message', (m: { seq: number; out?: BatchOut; error?: string }) => {
      const p = pending.get(m.seq)
      if (!p) return
      pending.delete(m.seq)
      if (m.out) p.resolve(m.out)
      else fail(new Error(`导入工作线程出错：${m.error}`))
    })
    w.on('error', (e) => fail(new Error(`导入工作线程出错：${e.message}`)))
    w.on('exit', (code) => {
      if (!closing) fail(new Error(`导入工作线程意外退出（退出码 ${code}）`))
    })
    void i
    return w
  })
  let seq = 0
  return {
    depth: opts.workers * 2,
    run(rows) {
      if (failure) return Promise.reject(failure)
      const s = seq++
      const worker = s % threads.length
      return new Promise<BatchOut>((resolve, reject) => {
        pending.set(s, { resolve, reject, worker })
        threads[worker]!.postMessage({ seq: s, rows })
      })
    },
    async close() {
      closing = true
      fail(new Error('导入已结束'))
      await Promise.all(threads.map((w) => w.terminate()))
    },
  }
}
