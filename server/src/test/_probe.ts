import { openDatabase } from '../db/client.js'
import { migrate } from '../db/migrate.js'
import { buildApp } from '../app.js'
import { createPii } from '../security/pii.js'
import { testKeyRing } from './harness.js'
const d = await openDatabase({ url: null, dataDir: null })
await migrate(d)
const app = await buildApp({ db: d.db, pii: createPii(testKeyRing()), sessionIdleMinutes: 30, webDir: null })
for (const url of ['/api/orgs/%ED%A0%80', '/api/orgs/' + 'x'.repeat(300), '/api/orgs/a%00b', '/api/public/workplaces?q=%ED%A0%80abc', '/api/public/workplaces?q=%FFabc', '/api/public/workplaces?q=%E4%B8%AD%E6%96%87', '/api/public/workplaces?q=%zz']) {
  const r = await app.inject({ method: 'GET', url })
  console.log(url.slice(0, 60), r.statusCode, r.body.slice(0, 200))
}
await app.close(); await d.close()
