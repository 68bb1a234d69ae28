// temporary: prints unbounded fields of the OpenAPI document
import { openDatabase } from '../db/client.js'
import { migrate } from '../db/migrate.js'
import { buildApp } from '../app.js'
import { createPii } from '../security/pii.js'
import { testKeyRing } from './harness.js'
const d = await openDatabase({ url: null, dataDir: null })
await migrate(d)
const app = await buildApp({ db: d.db, pii: createPii(testKeyRing()), sessionIdleMinutes: 30, webDir: null })
await app.ready()
const doc = app.swagger() as any
console.log(JSON.stringify(doc))
await app.close(); await d.close()
