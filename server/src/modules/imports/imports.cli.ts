/**
 * `npm run cli -- members import FILE --union CODE [--mode all|valid_only] [--as USERNAME]`:
 * the same check and import as the web app, with a progress bar in the terminal.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Config } from '../../config.js'
import type { Database } from '../../db/client.js'
import { accountActor, cliActor, type Actor } from '../../http/context.js'
import { runInScope } from '../../http/scope.js'
import { AppError } from '../../http/errors.js'
import { createPii, loadKeyRing } from '../../security/pii.js'
import * as service from './imports.service.js'
import * as repo from './imports.repository.js'
import { saveUpload } from './reader.js'
import { ensureUploadDir } from './sealed.js'

export class ImportCliError extends Error {}

function bar(label: string, p: { done: number; total: number; rate: number; secondsLeft: number | null }, final = false) {
  const total = Math.max(p.total, p.done, 1)
  const frac = Math.min(1, p.done / total)
  const width = 30
  const full = Math.round(frac * width)
  const left =
    p.secondsLeft == null
      ? '—'
      : p.secondsLeft >= 60
        ? `${Math.floor(p.secondsLeft / 60)}分${Math.round(p.secondsLeft % 60)}秒`
        : `${Math.round(p.secondsLeft)}秒`
  return `${label} [${'█'.repeat(full)}${'░'.repeat(width - full)}] ${(frac * 100).toFixed(0).padStart(3)}%  ${p.done.toLocaleString('en-US')}/${final ? p.done.toLocaleString('en-US') : '~' + total.toLocaleString('en-US')} 行  ${Math.round(p.rate).toLocaleString('en-US')} 行/秒  剩余 ${final ? '0秒' : left}`
}

export async function membersImport(
  opts: { file: string; union: string; mode: 'all' | 'valid_only'; as?: string },
  d: Database,
  config: Config,
  out: (l: string) => void,
  progressStream: NodeJS.WriteStream = process.stderr,
): Promise<number> {
  if (!fs.existsSync(opts.file)) throw new ImportCliError(`文件不存在：${opts.file}`)
  const pii = createPii(loadKeyRing({ key: config.piiKey, keyFile: config.piiKeyFile }), config.piiCipher)
  const union = await repo.unionByCode(d.db, opts.union)
  if (!union) throw new ImportCliError(`工会代码 ${opts.union} 不存在`)
  let actor: Actor
  if (opts.as) {
    const u = await repo.accountByUsername(d.db, opts.as)
    if (!u) throw new ImportCliError(`账号 ${opts.as} 不存在`)
    actor = accountActor(u)
  } else {
    // the operator acts as the union's own administrator: its subtree, nothing else
    actor = cliActor(['org_admin'], union)
  }
  const env: service.ImportEnv = { db: d.db, pii, dir: path.join(config.dataDir, 'imports') }
  ensureUploadDir(env.dir)
  const tmp = path.join(env.dir, `upload-${Date.now()}-${crypto.randomBytes(6).toString('hex')}.part`)
  const saved = await saveUpload(fs.createReadStream(opts.file), tmp, crypto.createHash('sha256'), pii)
  const tty = progressStream.isTTY
  // not on a terminal: a line every 5 s (none at 0 %), and the final line once
  let lastLine = Date.now()
  const show = (line: string, final = false) => {
    if (tty) progressStream.write(`\r${line}\x1b[K${final ? '\n' : ''}`)
    else if (final || Date.now() - lastLine > 5000) {
      progressStream.write(line + '\n')
      lastLine = Date.now()
    }
  }
  const watch = (id: number, label: string) => {
    const t = setInterval(() => {
      const p = service.progressOf(id)
      if (p) show(bar(label, p))
    }, 250)
    return () => clearInterval(t)
  }
  let view
  try {
    const r = await runInScope(d.db, pii, actor, 'cli', (ctx) =>
      service.upload(ctx, env, union.id, path.basename(opts.file), { tmpPath: tmp, ...saved }),
    )
    view = r.view
    if (r.after) {
      const stop = watch(view.id, '检查')
      r.after()
      await service.settled(view.id)
      stop()
    }
  } catch (e) {
    fs.rmSync(tmp, { force: true })
    if (e instanceof AppError) throw new ImportCliError(e.message)
    throw e
  }
  const id = view.id
  const checked = await runInScope(d.db, pii, actor, 'cli', (ctx) => service.get(ctx, id))
  if (tty) progressStream.write('\r\x1b[K')
  out(`导入任务 #${id}：${path.basename(opts.file)} → ${union.name}`)
  if (checked.status === 'failed') throw new ImportCliError(checked.message ?? '检查失败')
  out(
    `检查完成：共 ${checked.totalRows} 行；可导入 ${checked.validRows} 人，有错误 ${checked.errorRows} 行，已是本工会会员 ${checked.existingRows} 人，已是其他工会会员 ${checked.elsewhereRows} 人`,
  )
  if (checked.message) out(checked.message)
  const shown = await runInScope(d.db, pii, actor, 'cli', (ctx) => repo.problems(ctx.db, id, { page: 1, pageSize: 20 }))
  for (const p of shown.items) out(`  第${p.row_no}行 ${p.column_name}：${p.message}`)
  if (shown.total > shown.items.length) out(`  ……共 ${shown.total} 条问题（可在网页下载问题清单）`)
  if (opts.mode === 'all' && checked.errorRows > 0) {
    out(`文件有错误，按 --mode all 未导入任何人；修正后重新运行，或加 --mode valid_only 只导入正确的行`)
    return 1
  }
  await runInScope(d.db, pii, actor, 'cli', (ctx) => service.startCommit(ctx, env, id, opts.mode))
  let final: { done: number; rate: number } = { done: 0, rate: 0 }
  await service.commitJob(env, actor, 'cli', id, opts.mode, {
    onProgress: (p) => {
      final = p
      if (p.done < p.total) show(bar('导入', p))
    },
  })
  const done = await runInScope(d.db, pii, actor, 'cli', (ctx) => service.get(ctx, id))
  show(bar('导入', { done: final.done, total: final.done, rate: final.rate, secondsLeft: 0 }, true), true)
  if (done.status !== 'done') throw new ImportCliError(done.message ?? '导入失败')
  out(done.message ?? `已导入 ${done.importedRows} 人`)
  return 0
}
