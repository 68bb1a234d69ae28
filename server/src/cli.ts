/**
 * The operators' command line: `npm run cli -- <command>`. Same configuration as the server
 * (DATABASE_URL, or the built-in database in DATA_DIR). Account commands act as the owner
 * connection, like the server's own login code, and each is recorded in the audit log
 * (chain 'system', actor 'cli').
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { loadConfig } from './config.js'
import { openDatabase, type Database } from './db/client.js'
import { migrate } from './db/migrate.js'
import { BackupError, backup, restore, tableCounts } from './db/backup.js'
import type { AuditEntry } from './http/context.js'
import { appendAudit } from './modules/audit/audit.repository.js'
import { verifyAuditChains } from './modules/audit/audit.service.js'
import { generatePassword, hashPassword, passwordProblem } from './modules/auth/auth.service.js'
import { createPii, rotateKeyRing, type KeyRing } from './security/pii.js'
import * as smsRepo from './modules/sms/sms.repository.js'
import * as usersRepo from './modules/users/users.repository.js'
import { KeyRingMismatch, openKeyRing, recordRotation, writeKeyFile, type OpenedKeys } from './security/keys.js'
import { userCreateBody } from '../../common/api.js'
import { roles as roleTable } from '../../common/codes.js'
import { ImportCliError, membersImport } from './modules/imports/imports.cli.js'
import { verify as verifyStats } from './modules/stats/stats.repository.js'
import { ReportCliError, reportCommand } from './modules/forms/forms.cli.js'
import { FormRegistry } from './modules/forms/registry.js'
import { jointForms } from './modules/forms/forms.service.js'
import { planForms } from './modules/plans/plans.forms.js'

const HELP = `工会平台运维命令行

用法：npm run cli -- <命令> [参数]

  migrate                                   执行数据库迁移
  audit verify                              校验审计日志的全部哈希链；有链被篡改时退出码为 1
  users list                                列出全部账号
  users create <用户名> --name <姓名> [--password <密码>]
                                            新建账号（不带角色，由安全管理员分配）；不给密码时生成并显示一个；首次登录须修改
  users reset-password <用户名> [--password <密码>]
                                            重置密码（同时解除锁定、注销该账号的全部会话）；不给密码时生成并显示一个；首次登录须修改
  users unlock <用户名>                     解除因连续登录失败造成的锁定
  members import <文件> --union <工会代码> [--mode all|valid_only] [--as <用户名>]
                                            导入会员名册（.xlsx 或 .csv，UTF-8 或 GBK）：先检查并列出问题，再在一个事务中导入；
                                            all（默认）有任何错误行即不导入，valid_only 只导入正确的行；显示进度（行数、每秒行数、剩余时间）
  sms outbox [--mark-sent]                  未配置短信网关（SMS_GATEWAY_URL）时，列出待发短信（手机号、内容，含验证码，请勿外传）；
                                            --mark-sent 将列出的标记为已发送
  stats verify                              从基础数据重新计算全部统计汇总数，与系统保存的汇总数逐项核对
  report <报表> --org <组织代码> [--as-of <YYYY-MM-DD>] --out <文件.xlsx>
                                            生成报表并导出 xlsx（版式同文件附件）：form1 已建联合工会基本情况登记表、
                                            form2 拟建联合工会规划申报表，及其他模块登记的报表（form3、monitoring）；
                                            截止时间默认今天，只统计该组织及其下级
  keys rotate                               在密钥文件中新增一把个人信息加密密钥并设为当前密钥；旧密文仍可解密
  backup --out <目录>                       备份数据库到一个新目录（不含密钥环；密钥文件另行备份，见 README 备份与恢复）
  restore --from <目录>                     把备份恢复到新的 DATA_DIR 或空的 DATABASE_URL 数据库，核对行数并检查密钥环
  help                                      显示本帮助

配置与服务相同：DATABASE_URL（PostgreSQL），否则使用 DATA_DIR 下的内置数据库（使用前请先停止服务）；
密钥文件为 GONGHUI_PII_KEY_FILE（默认 DATA_DIR/pii-keys.json）。账号操作均记入审计日志（操作人 cli）。`

/** A failure the operator can act on: printed as it is, exit code 1 (2 for a wrong command line). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message)
  }
}
const usage = (message: string) => new CliError(`${message}\n运行 npm run cli -- help 查看用法`, 2)

export interface CliOptions {
  env?: NodeJS.ProcessEnv
  /** an already open database (tests); otherwise opened from the configuration and closed after */
  database?: Database
  out?: (line: string) => void
  err?: (line: string) => void
  /** the official forms `report` draws up (default: every module's, as the server's) */
  forms?: FormRegistry
}

const CLI_ACTOR = { id: null, name: 'cli', ip: null }

/** Runs one command; returns the exit code. */
export async function runCli(argv: string[], opts: CliOptions = {}): Promise<number> {
  const out = opts.out ?? ((l: string) => console.log(l))
  const err = opts.err ?? ((l: string) => console.error(l))
  const config = loadConfig(opts.env)
  let opened: Database | null = null
  const database = async () => {
    if (opts.database) return opts.database
    if (!opened) opened = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir })
    return opened
  }
  // commands that read personal data or write the audit log: the key ring must match the data
  let keys: OpenedKeys | null = null
  const keyed = async () => {
    const d = await database()
    if (!keys) {
      try {
        keys = await openKeyRing(d.db, { key: config.piiKey, keyFile: config.piiKeyFile }, { create: false })
      } catch (e) {
        if (e instanceof KeyRingMismatch) throw new CliError(e.message)
        throw e
      }
      if (keys.resealed) out(`已用密钥封存升级前的 ${keys.resealed} 条审计日志记录`)
    }
    return { d, keys: keys! }
  }
  try {
    const [command, sub, ...rest] = argv
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out(HELP)
        return 0
      case 'migrate': {
        noExtra(argv.slice(1))
        const applied = await migrate(await database())
        out(applied.length ? `已执行数据库迁移：${applied.join(', ')}` : '数据库已是最新，无需迁移')
        return 0
      }
      case 'audit':
        if (sub !== 'verify') throw usage(`未知的审计命令：${sub ?? '（缺少）'}，可用：audit verify`)
        noExtra(rest)
        return await auditVerify((await keyed()).d, out)
      case 'users':
        return await users(sub, rest, async () => (await keyed()).d, out)
      case 'members': {
        if (sub !== 'import') throw usage(`未知的会员命令：${sub ?? '（缺少）'}，可用：members import`)
        const { values, positionals } = parse(rest, { union: { type: 'string' }, mode: { type: 'string' }, as: { type: 'string' } })
        if (positionals.length !== 1) throw usage('请给出一个要导入的文件')
        if (!values.union) throw usage('请用 --union 给出工会代码')
        const mode = values.mode ?? 'all'
        if (mode !== 'all' && mode !== 'valid_only') throw usage('--mode 只能是 all 或 valid_only')
        try {
          return await membersImport({ file: positionals[0]!, union: values.union, mode, as: values.as }, (await keyed()).d, config, out)
        } catch (e) {
          if (e instanceof ImportCliError) throw new CliError(e.message)
          throw e
        }
      }
      case 'sms': {
        if (sub !== 'outbox') throw usage(`未知的短信命令：${sub ?? '（缺少）'}，可用：sms outbox`)
        if (rest.some((a) => a !== '--mark-sent')) throw usage('sms outbox 只接受 --mark-sent')
        const values = { 'mark-sent': rest.includes('--mark-sent') }
        const { d, keys } = await keyed()
        const pii = createPii(keys.ring, config.piiCipher)
        const pending = await smsRepo.outboxPending(d.db)
        if (pending.length === 0) out('短信待发箱为空')
        // the operator reads phone numbers and codes in clear: recorded like any reveal
        else
          await audit(d.db, {
            action: 'sms.outbox_read',
            targetType: 'sms_outbox',
            targetName: `${pending.length}条待发短信`,
            detail: { messages: pending.map((m) => m.id), markSent: values['mark-sent'], via: 'cli' },
          })
        for (const m of pending)
          out(`#${m.id}  ${new Date(m.created_at).toISOString()}  ${pii.decrypt(m.phone_enc)}  ${pii.decrypt(m.body_enc)}`)
        if (values['mark-sent'] && pending.length > 0) {
          await smsRepo.outboxMarkSent(
            d.db,
            pending.map((m) => m.id),
          )
          out(`已将 ${pending.length} 条标记为已发送`)
        }
        return 0
      }
      case 'stats': {
        if (sub !== 'verify') throw usage(`未知的统计命令：${sub ?? '（缺少）'}，可用：stats verify`)
        noExtra(rest)
        return await statsVerify(await database(), out)
      }
      case 'report': {
        const { values, positionals } = parse(
          [sub, ...rest].filter((x) => x !== undefined),
          { org: { type: 'string' }, 'as-of': { type: 'string' }, out: { type: 'string' } },
        )
        if (positionals.length !== 1) throw usage('请给出一个报表代码，例如：report form1 --org 330683 --as-of 2017-06-30 --out 附件1.xlsx')
        if (!values.org) throw usage('请用 --org 给出组织代码')
        if (!values.out) throw usage('请用 --out 给出输出文件（.xlsx）')
        try {
          return await reportCommand(
            { form: positionals[0]!, org: values.org, asOf: values['as-of'], out: values.out },
            await database(),
            opts.forms ?? new FormRegistry([...jointForms, ...planForms]),
            out,
          )
        } catch (e) {
          if (e instanceof ReportCliError) throw new CliError(e.message)
          throw e
        }
      }
      case 'keys': {
        if (sub !== 'rotate') throw usage(`未知的密钥命令：${sub ?? '（缺少）'}，可用：keys rotate`)
        noExtra(rest)
        return await keysRotate(config, keyed, out)
      }
      case 'backup': {
        const { values, positionals } = parse(
          [sub, ...rest].filter((x) => x !== undefined),
          { out: { type: 'string' } },
        )
        noExtra(positionals)
        if (!values.out) throw usage('请用 --out 给出备份目录')
        const m = await backupOrRestoreError(() =>
          database().then((d) => backup(d, { out: values.out!, url: config.databaseUrl, keyFile: config.piiKeyFile })),
        )
        out(`已备份数据库到 ${path.resolve(values.out)}（${m.file}，${m.engine === 'pglite' ? '内置数据库' : 'PostgreSQL'}）：`)
        out(
          `  ${Object.entries(m.counts)
            .map(([t, n]) => `${t} ${n}`)
            .join('，')}`,
        )
        out(
          `备份中不含个人信息密钥环：恢复时还需要密钥环（密钥 ${m.keyIds.join('、') || '—'}，当前在 ${config.piiKey ? '环境变量 GONGHUI_PII_KEY' : config.piiKeyFile}），请把它另行保存在与本备份不同的地方`,
        )
        return 0
      }
      case 'restore': {
        const { values, positionals } = parse(
          [sub, ...rest].filter((x) => x !== undefined),
          { from: { type: 'string' } },
        )
        noExtra(positionals)
        if (!values.from) throw usage('请用 --from 给出备份目录')
        if (opts.database) throw usage('restore 总是恢复到配置的 DATA_DIR 或 DATABASE_URL')
        const r = await backupOrRestoreError(() => restore({ from: values.from!, url: config.databaseUrl, dataDir: config.dataDir }))
        opened = r.database
        const counts = await tableCounts(r.database.db)
        const differ = Object.keys(r.manifest.counts).filter((t) => counts[t] !== r.manifest.counts[t])
        if (differ.length)
          throw new CliError(
            `恢复后的行数与备份时不符：${differ.map((t) => `${t} 备份 ${r.manifest.counts[t]}，恢复 ${counts[t]}`).join('；')}`,
          )
        out(
          `已恢复数据库（备份于 ${r.manifest.createdAt}）到 ${config.databaseUrl ? 'DATABASE_URL 指定的数据库' : config.dataDir}，各表行数与备份一致`,
        )
        const applied = await migrate(r.database)
        if (applied.length) out(`已执行数据库迁移：${applied.join(', ')}`)
        try {
          await keyed()
        } catch (e) {
          if (e instanceof CliError) throw new CliError(`数据库已恢复，但不能使用：${e.message}`)
          throw e
        }
        out('密钥环与数据库匹配，可以启动服务')
        return 0
      }
      default:
        throw usage(`未知命令：${command}`)
    }
  } catch (e) {
    if (e instanceof CliError) {
      err(`错误：${e.message}`)
      return e.exitCode
    }
    err(`错误：${describe(e)}`)
    if (config.debug) err(String((e as Error)?.stack ?? e))
    return 1
  } finally {
    if (opened) await (opened as Database).close()
  }
}

function describe(e: unknown): string {
  const pe = e as { code?: string; message?: string; constraint?: string }
  if (pe?.code === '42P01') return '数据库尚未初始化，请先运行：npm run cli -- migrate'
  if (pe?.code === 'ECONNREFUSED') return `无法连接数据库（${pe.message}）`
  if (pe?.code === '23505' && pe.constraint === 'app_user_username_key') return '用户名已存在'
  return pe?.message ?? String(e)
}

async function backupOrRestoreError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    if (e instanceof BackupError) throw new CliError(e.message)
    throw e
  }
}

function noExtra(args: string[]) {
  if (args.length) throw usage(`多余的参数：${args.join(' ')}`)
}

function parse(args: string[], options: Record<string, { type: 'string' }>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true })
  } catch (e) {
    throw usage(`参数有误：${(e as Error).message}`)
  }
}

// ── audit ─────────────────────────────────────────────────────────────────────

async function auditVerify(d: Database, out: (l: string) => void): Promise<number> {
  const reports = await verifyAuditChains(d.db)
  if (reports.length === 0) {
    out('审计日志为空，没有需要校验的链')
    return 0
  }
  let broken = 0
  for (const r of reports) {
    if (r.ok) {
      out(`链 ${r.chainId}：${r.entries} 条记录，完好`)
      continue
    }
    broken++
    out(`链 ${r.chainId}：${r.entries} 条记录，已被篡改！共 ${r.problems.length} 处异常：`)
    for (const p of r.problems) {
      const where = [
        `编号 ${p.id}`,
        p.seq !== null ? `第 ${p.seq} 条` : null,
        p.at ? `时间 ${p.at}` : null,
        p.action ? `操作 ${p.action}` : null,
      ]
      out(`  ${where.filter(Boolean).join('，')}：${p.problem}`)
    }
  }
  out(broken ? `共 ${reports.length} 条链，其中 ${broken} 条校验失败` : `共 ${reports.length} 条链，全部完好`)
  return broken ? 1 : 0
}

// ── stats ─────────────────────────────────────────────────────────────────────

async function statsVerify(d: Database, out: (l: string) => void): Promise<number> {
  const started = Date.now()
  const r = await d.db.transaction().execute((tx) => verifyStats(tx))
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (r.differences.length === 0 && r.ledgerMismatches.length === 0) {
    out(`统计核对通过：${r.compared} 项汇总数与基础数据重新计算的结果一致（用时 ${seconds} 秒）`)
    return 0
  }
  for (const x of r.differences.slice(0, 50))
    out(`不一致：组织 ${x.nodeId}（${x.h === 'g' ? '行政区域' : '产业'}）${x.metric}：汇总 ${x.kept}，重新计算 ${x.recomputed}`)
  for (const x of r.ledgerMismatches.slice(0, 50))
    out(`不一致：组织 ${x.nodeId} ${x.metric}：${x.period ? `${x.period} 的变化` : '总数'} ${x.total}，逐日变化之和 ${x.sumOfDays}`)
  out(`统计核对失败：${r.differences.length} 项汇总数与重新计算不符，${r.ledgerMismatches.length} 项总数与逐日变化不符`)
  return 1
}

// ── users ─────────────────────────────────────────────────────────────────────

async function users(
  sub: string | undefined,
  args: string[],
  database: () => Promise<Database>,
  out: (l: string) => void,
): Promise<number> {
  switch (sub) {
    case 'list': {
      noExtra(args)
      const { db } = await database()
      const rows = await usersRepo.listAll(db)
      const label = (code: string) => roleTable.find((r) => r.code === code)?.label ?? code
      out(['编号', '用户名', '姓名', '角色', '所属组织', '状态', '最近登录'].join('\t'))
      for (const u of rows) {
        const state = !u.active
          ? '已停用'
          : u.locked_until && u.locked_until > new Date()
            ? `锁定至 ${u.locked_until.toISOString()}`
            : '正常'
        out(
          [
            u.id,
            u.username,
            u.display_name,
            u.roles.map(label).join('、') || '（未分配）',
            u.org_name ?? '—',
            state,
            u.last_login_at?.toISOString() ?? '—',
          ].join('\t'),
        )
      }
      out(`共 ${rows.length} 个账号`)
      return 0
    }
    case 'create': {
      const { values, positionals } = parse(args, { name: { type: 'string' }, password: { type: 'string' } })
      const username = onePositional(positionals)
      const checked = userCreateBody.safeParse({ username, displayName: values.name ?? '', password: values.password ?? '' })
      if (!checked.success) {
        const issue = checked.error.issues.find((i) => i.path[0] !== 'password')
        if (issue)
          throw new CliError(
            issue.path[0] === 'displayName'
              ? `姓名：${values.name === undefined ? '请用 --name 给出姓名' : issue.message}`
              : `用户名：${issue.message}`,
          )
      }
      const password = passwordOrGenerated(values.password, { username, displayName: values.name })
      const { db } = await database()
      const hash = await hashPassword(password)
      const id = await db.transaction().execute(async (tx) => {
        // the server creates the first administrator only in a database without accounts
        if (!(await usersRepo.anyAccount(tx))) {
          throw new CliError('数据库中还没有任何账号：请先启动一次服务，由它创建首个系统管理员 admin，再用本命令新建账号')
        }
        if (await usersRepo.findIdByUsername(tx, username)) throw new CliError(`用户名 ${username} 已存在`)
        // must_change_password: true, as every new account
        const { id } = await usersRepo.insert(tx, { username, display_name: values.name!.trim(), password_hash: hash })
        await audit(tx, {
          action: 'user.create',
          targetType: 'user',
          targetId: id,
          targetName: username,
          detail: { after: { username, displayName: values.name!.trim(), mustChangePassword: true }, via: 'cli' },
        })
        return id
      })
      out(`已创建账号 ${username}（编号 ${id}），尚无角色，请由安全管理员分配角色与所属组织；首次登录须修改密码`)
      if (!values.password) out(`初始密码（只显示这一次）：${password}`)
      return 0
    }
    case 'reset-password': {
      const { values, positionals } = parse(args, { password: { type: 'string' } })
      const username = onePositional(positionals)
      const password = passwordOrGenerated(values.password, { username })
      const hash = await hashPassword(password)
      const { db } = await database()
      await db.transaction().execute(async (tx) => {
        const u = await findUser(tx, username)
        await usersRepo.update(tx, u.id, { password_hash: hash, must_change_password: true, failed_logins: 0, locked_until: null })
        const sessionsEnded = await usersRepo.deleteSessions(tx, u.id)
        await audit(tx, {
          action: 'user.update',
          targetType: 'user',
          targetId: u.id,
          targetName: username,
          detail: { after: { passwordReset: true, mustChangePassword: true }, sessionsEnded, via: 'cli' },
        })
      })
      out(`已重置账号 ${username} 的密码，并解除锁定、注销其全部会话；用户首次登录须修改密码`)
      if (!values.password) out(`新密码（只显示这一次）：${password}`)
      return 0
    }
    case 'unlock': {
      const { positionals } = parse(args, {})
      const username = onePositional(positionals)
      const { db } = await database()
      const wasLocked = await db.transaction().execute(async (tx) => {
        const u = await findUser(tx, username)
        const locked = u.locked_until !== null && u.locked_until > new Date()
        await usersRepo.update(tx, u.id, { failed_logins: 0, locked_until: null })
        await audit(tx, {
          action: 'user.unlock',
          targetType: 'user',
          targetId: u.id,
          targetName: username,
          detail: { before: { failedLogins: u.failed_logins, lockedUntil: u.locked_until?.toISOString() ?? null }, via: 'cli' },
        })
        return locked
      })
      out(wasLocked ? `已解除账号 ${username} 的锁定` : `账号 ${username} 未被锁定；已清零登录失败次数`)
      return 0
    }
    default:
      throw usage(`未知的账号命令：${sub ?? '（缺少）'}，可用：users list | create | reset-password | unlock`)
  }
}

function onePositional(p: string[]): string {
  if (p.length === 0) throw usage('缺少用户名')
  if (p.length > 1) throw usage(`多余的参数：${p.slice(1).join(' ')}`)
  return p[0]!
}

function passwordOrGenerated(given: string | undefined, who: { username: string; displayName?: string }): string {
  if (given === undefined) return generatePassword()
  const problem = passwordProblem(given, who)
  if (problem) throw new CliError(`密码：${problem}`)
  return given
}

async function findUser(db: Database['db'], username: string) {
  const u = await usersRepo.findLoginState(db, username)
  if (!u) throw new CliError(`账号 ${username} 不存在`)
  return u
}

const audit = (db: Database['db'], entry: AuditEntry) => appendAudit(db, 'system', CLI_ACTOR, [entry])

// ── keys ──────────────────────────────────────────────────────────────────────

async function keysRotate(
  config: ReturnType<typeof loadConfig>,
  keyed: () => Promise<{ d: Database; keys: OpenedKeys }>,
  out: (l: string) => void,
): Promise<number> {
  if (config.piiKey)
    throw new CliError('密钥由环境变量 GONGHUI_PII_KEY 提供，命令行无法修改；请在该变量的 JSON 密钥环中新增密钥并设为 current')
  const file = config.piiKeyFile
  if (!fs.existsSync(file)) throw new CliError(`密钥文件 ${file} 不存在（服务首次启动时生成）；请检查 DATA_DIR 或 GONGHUI_PII_KEY_FILE`)
  // the ring is checked against the database first: a rotation never starts from a wrong ring
  const { d, keys } = await keyed()
  const ring = keys.ring
  const next = rotateKeyRing(ring)
  // recorded and written together: the audit entry and the new key's check value commit only when the new key file is in place
  await d.db.transaction().execute(async (tx) => {
    await audit(tx, {
      action: 'keys.rotate',
      targetType: 'pii_key',
      targetId: next.current,
      detail: { before: { current: ring.current }, after: { current: next.current }, keys: Object.keys(next.keys), via: 'cli' },
    })
    await recordRotation(tx, next)
    writeKeyFile(file, next)
  })
  out(
    `已在 ${file} 中新增密钥 ${next.current} 并设为当前密钥；原有密钥（${Object.keys(ring.keys).join('、')}）保留，已加密的数据仍可解密。重启服务后新数据使用新密钥加密。请重新备份密钥文件（见 README 备份与恢复）。`,
  )
  return 0
}

// ── entry point ───────────────────────────────────────────────────────────────

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runCli(process.argv.slice(2)).then((code) => process.exit(code))
}
