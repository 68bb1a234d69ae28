/**
 * A worker thread of a roster import: validates batches of rows and, for a commit, encrypts and
 * hashes the personal numbers and writes the valid rows as COPY text (see rows.ts processBatch).
 * Started by workers.ts with the key ring; answers each batch with its sequence number.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { createPii } from '../../security/pii.js'
import { processBatch, type BatchRow } from './rows.js'
import type { WorkerSetup } from './workers.js'

const setup = workerData as WorkerSetup
const rc = { header: setup.header, unions: setup.unions, pii: createPii(setup.pii.ring, setup.pii.cipher), today: setup.today, seal: false }

parentPort!.on('message', (m: { seq: number; rows: BatchRow[] }) => {
  if (setup.crashAt !== undefined && m.seq >= setup.crashAt) process.exit(70) // tests: a worker that dies
  try {
    const out = processBatch(rc, m.rows, setup.purpose)
    parentPort!.postMessage({ seq: m.seq, out }, out.copy ? [out.copy.buffer as ArrayBuffer] : [])
  } catch (e) {
    parentPort!.postMessage({ seq: m.seq, error: (e as Error)?.stack ?? String(e) })
  }
})
