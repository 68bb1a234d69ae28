import path from 'node:path'
import { loadConfig } from './config.js'
import { openDatabase } from './db/client.js'
import { migrate } from './db/migrate.js'
import { bootstrap } from './bootstrap.js'
import { loadDemo } from './demo/demo.js'
import { buildApp } from './app.js'
import { createPii } from './security/pii.js'
import { openKeyRing } from './security/keys.js'
import { sealBirthDates } from './modules/members/members.repository.js'
import { configureSms } from './modules/sms/sms.js'
import { purgeUploads, recoverInterrupted } from './modules/imports/upkeep.js'
import * as proposals from './modules/proposals/proposals.service.js'
import { TIME_ZONE, todayIn } from './http/scope.js'

const config = loadConfig()

/** config → database → migrate → bootstrap (and demo data) → background work → listen */
async function main() {
  configureSms({
    gatewayUrl: config.smsGatewayUrl,
    gatewayToken: config.smsGatewayToken,
    signature: config.smsSignature,
    demo: config.demo,
  })
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir })
  const applied = await migrate(database)
  if (applied.length) console.log(`已执行数据库迁移：${applied.join(', ')}`)
  // the key ring must be the one the data was sealed with; a new one only for an empty database
  const keys = await openKeyRing(database.db, { key: config.piiKey, keyFile: config.piiKeyFile }, { create: true })
  if (keys.created)
    console.log(`已为空数据库生成个人信息密钥环 ${config.piiKeyFile}：请另行备份，不要与数据库备份放在一起（见 README 备份与恢复）`)
  if (keys.resealed) console.log(`已用密钥封存升级前的 ${keys.resealed} 条审计日志记录`)
  const pii = createPii(keys.ring, config.piiCipher)
  const sealed = await sealBirthDates(database.db, (plain) => pii.encrypt(plain))
  if (sealed) console.log(`已加密 ${sealed} 条明文出生日期`)
  const boot = await bootstrap(database.db, { countyCode: config.cityCode, adminPassword: config.adminPassword })
  if (boot.created) {
    if (boot.generated) {
      console.log('\n══════════════════════════════════════════════')
      console.log(' 首个系统管理员已创建（密码只显示这一次，请妥善保存）')
      console.log(`   用户名：admin    密码：${boot.generated}`)
      console.log('══════════════════════════════════════════════\n')
    }
    if (config.demo) {
      console.log('正在载入演示数据……')
      const demo = await loadDemo(database.db, pii, { rootId: boot.rootId, password: boot.adminPassword!, countyCode: config.cityCode })
      console.log(
        `演示数据：${demo.unions} 个工会组织，${demo.enterprises} 家用人单位，${demo.members} 名会员；演示账号（密码同 admin）：${demo.users.join(', ')}`,
      )
    }
  }
  const importDir = path.join(config.dataDir, 'imports')
  // a previous process may have died mid-import: its transaction rolled back, say so
  await recoverInterrupted(database.db)
  const app = await buildApp({
    db: database.db,
    pii,
    sessionIdleMinutes: config.sessionIdleMinutes,
    sessionMaxHours: config.sessionMaxHours,
    logger: { level: config.logLevel },
    trustProxy: config.trustProxy,
    secureCookie: config.secureCookie,
    embeddedImportMaxRows: database.kind === 'pglite' ? config.embeddedImportMaxRows : null,
    importDir,
  })
  // the background work, at start and every hour: uploaded rosters not imported within the keeping
  // period are deleted, and files no job needs; dead sessions are deleted, not only refused
  const purgeOldUploads = () =>
    purgeUploads(database.db, new Date(), importDir).catch((e) => app.log.warn({ err: e }, 'purging old uploads failed'))
  await purgeOldUploads()
  // proposals whose support period ended without the threshold close; overdue answers are named to the union
  const sweepProposals = () =>
    proposals.sweep(database.db, todayIn(TIME_ZONE)).catch((e) => app.log.warn({ err: e }, 'sweeping proposals failed'))
  await sweepProposals()
  // a proposal that reached its threshold is told of once the commit that reached it holds (0026):
  // at once when the database announces it, at start and hourly what a server that was down missed;
  // one telling at a time, and one more when asked meanwhile
  let telling = false
  let askedAgain = false
  const tellReached = (): void => {
    if (telling) {
      askedAgain = true
      return
    }
    telling = true
    void proposals
      .announceReached(database.db, pii)
      .catch((e) => app.log.warn({ err: e }, 'telling of reached proposals failed'))
      .finally(() => {
        telling = false
        if (askedAgain) {
          askedAgain = false
          tellReached()
        }
      })
  }
  await database.listen('proposal_reached', tellReached)
  tellReached()
  const hourly = setInterval(() => {
    void purgeOldUploads()
    void sweepProposals()
    tellReached()
    app.purgeIdleSessions().catch((e) => app.log.warn({ err: e }, 'purging idle sessions failed'))
  }, 3_600_000)
  hourly.unref()
  const close = async () => {
    clearInterval(hourly)
    await app.close()
    await database.close()
    process.exit(0)
  }
  process.on('SIGINT', close)
  process.on('SIGTERM', close)
  await app.listen({ port: config.port, host: config.host })
  console.log(
    `\nGonghui 工会 已启动：http://localhost:${config.port}  （${database.kind === 'pglite' ? `内置数据库 ${config.dataDir}` : 'PostgreSQL'}）`,
  )
  console.log('登录：用户名 shengzhou（市总）或 ganlin、chongren 等（各镇街），密码为 admin 的密码；接口文档 /api/openapi.json\n')
}

main().catch((err) => {
  // a refused key ring (KeyRingMismatch) says what to do in its message
  console.error('启动失败：', err instanceof Error ? err.message : err)
  if (config.debug) console.error(err)
  process.exit(1)
})
