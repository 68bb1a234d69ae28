import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { testDatabase } from '../test/harness.js'
import { SNAPSHOT_FILE, schemaSnapshot } from './snapshot.js'

test('server/src/db/schema.sql is what a fresh migrate makes (run `npm run db:snapshot` after changing a migration)', async () => {
  const d = await testDatabase()
  try {
    const fresh = await schemaSnapshot(d.db)
    assert.match(fresh, /create table member \(/)
    assert.match(fresh, /create policy /)
    const kept = fs.readFileSync(SNAPSHOT_FILE, 'utf8')
    if (kept !== fresh) {
      const a = kept.split('\n')
      const b = fresh.split('\n')
      const i = a.findIndex((l, n) => l !== b[n])
      assert.fail(`schema.sql 与迁移不一致（第 ${i + 1} 行：「${a[i] ?? ''}」≠「${b[i] ?? ''}」），请运行 npm run db:snapshot`)
    }
  } finally {
    await d.close()
  }
})
