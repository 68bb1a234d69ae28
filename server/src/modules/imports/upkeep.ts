/**
 * The upkeep of imports, run by main.ts at start and every hour (never by a request): uploads no
 * job needs deleted, jobs a restart interrupted marked failed.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Db } from '../../db/client.js'
import { appendAudit } from '../audit/audit.repository.js'
import * as repo from './imports.repository.js'

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
