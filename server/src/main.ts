import { loadConfig } from './config.js'
import { openDatabase } from './db/client.js'
import { migrate } from './db/migrate.js'
import { bootstrap } from './bootstrap.js'
import { loadDemo } from './demo/demo.js'
import { buildApp } from './app.js'
import { createPii, loadKeyRing } from './security/pii.js'
import { sealBirthDates } from './modules/members/members.repository.js'

/** config → database → migrate → bootstrap (and demo data) → listen */
async function main() {
  const config = loadConfig()
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir })
  const applied = await migrate(database)
  if (applied.length) console.log(`已执行数据库迁移：${applied.join(', ')}`)
  const pii = createPii(loadKeyRing({ key: config.piiKey, keyFile: config.piiKeyFile }), config.piiCipher)
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
  const app = await buildApp({
    db: database.db,
    pii,
    sessionIdleMinutes: config.sessionIdleMinutes,
    sessionMaxHours: config.sessionMaxHours,
    logger: { level: config.logLevel },
    trustProxy: config.trustProxy,
    secureCookie: config.secureCookie,
    embeddedImportMaxRows: database.kind === 'pglite' ? config.embeddedImportMaxRows : null,
  })
  const close = async () => {
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
  console.error('启动失败：', err instanceof Error ? err.message : err)
  if (process.env.DEBUG) console.error(err)
  process.exit(1)
})
