/**
 * `npm run cli -- report FORM --org CODE [--as-of DATE] --out FILE.xlsx`: the same form as the
 * API, for the organization with that code. The operator reads as the organization's own
 * viewer: its subtree, nothing else, and nothing written.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Database } from '../../db/client.js'
import { cliActor } from '../../http/context.js'
import { runInScope } from '../../http/scope.js'
import { AppError } from '../../http/errors.js'
import { createPii } from '../../security/pii.js'
import * as service from './forms.service.js'
import * as repo from './forms.repository.js'
import { formXlsx } from './forms.xlsx.js'
import type { FormRegistry } from './registry.js'

export class ReportCliError extends Error {}

export async function reportCommand(
  opts: { form: string; org: string; asOf?: string; out: string },
  d: Database,
  forms: FormRegistry,
  out: (l: string) => void,
): Promise<number> {
  if (!forms.find(opts.form)) throw new ReportCliError(`未知的报表：${opts.form}；可选：${forms.describe()}`)
  if (opts.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf))
    throw new ReportCliError(`截止时间格式应为 YYYY-MM-DD：${opts.asOf}`)
  if (opts.asOf !== undefined && new Date(opts.asOf + 'T00:00:00Z').toISOString().slice(0, 10) !== opts.asOf)
    throw new ReportCliError(`截止时间不存在：${opts.asOf}`)
  if (!/\.xlsx$/i.test(opts.out)) throw new ReportCliError(`输出文件应以 .xlsx 结尾：${opts.out}`)
  const o = await repo.orgIdByCode(d.db, opts.org)
  if (!o) throw new ReportCliError(`组织代码 ${opts.org} 不存在`)
  const actor = cliActor(['org_viewer'], { ...o, id: Number(o.id) })
  // forms hold no personal data: a throwaway key ring, never the real one
  const pii = createPii({
    current: 'k1',
    keys: { k1: crypto.randomBytes(32).toString('base64') },
    hashKey: crypto.randomBytes(32).toString('base64'),
  })
  let table
  try {
    table = await runInScope(d.db, pii, actor, 'cli', async (ctx) => {
      const org = await repo.org(ctx.db, Number(o.id))
      if (!org) throw new ReportCliError(`组织代码 ${opts.org} 不存在`)
      return service.generate(ctx, forms, opts.form, { org: org.id, asOf: opts.asOf })
    })
  } catch (e) {
    if (e instanceof AppError) throw new ReportCliError(e.message)
    throw e
  }
  const file = path.resolve(opts.out)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  // write beside it and rename: a failed run never leaves half a file
  const tmp = `${file}.${process.pid}.part`
  fs.writeFileSync(tmp, await formXlsx(table))
  fs.renameSync(tmp, file)
  const [count, total] = [table.rows.length, table.total.cells.filter((c) => typeof c === 'number').join('/')]
  out(
    `已生成 ${table.title.replace(/\n/g, '')}（填报单位：${table.filler ?? table.org.name}，截止时间：${table.asOf ?? '—'}）：${count} 行，${table.total.caption.replace(/\s+/g, '')} ${total} → ${file}`,
  )
  return 0
}
