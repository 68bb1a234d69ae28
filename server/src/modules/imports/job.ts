/**
 * What every part of a roster import shares: its environment, the limit of the embedded database,
 * the size up to which a file is checked inside the upload request, a job read within the
 * jurisdiction, and how background work runs in a scope.
 */
import type { Db } from '../../db/client.js'
import type { Ctx } from '../../http/context.js'
import { notFound } from '../../http/errors.js'
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
