/** The file's batches through the worker threads, in file order, read ahead of the database. */
import type { Row } from './reader.js'
import type { BatchOut } from './rows.js'
import type { BatchRunner } from './workers.js'

/**
 * Pulls `source` ahead of its consumer, holding up to `limit` (by `weight`) of results: the file is
 * read and sealed while the database works on what came before. Ends quietly when the consumer
 * stops or `stop()` is called (a source waiting on its runner ends when the runner is closed).
 */
export function readAhead<T>(source: AsyncGenerator<T>, weight: (t: T) => number, limit: number): AsyncGenerator<T> & { stop(): void } {
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
export async function* processed(
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
