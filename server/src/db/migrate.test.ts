import { test } from 'node:test'
import assert from 'node:assert/strict'
import { migrationFiles } from './migrate.js'

test('the migrations in the tree are numbered without gaps (0010 excepted)', () => {
  const files = migrationFiles()
  assert.ok(files.includes('0012_register_checks.sql'))
  assert.ok(files[0]!.startsWith('0001_'))
})

test('a gap or a number used twice is refused with the file named', () => {
  assert.deepEqual(migrationFiles(['0002_b.sql', '0001_a.sql', 'notes.txt']), ['0001_a.sql', '0002_b.sql'])
  assert.throws(() => migrationFiles(['0001_a.sql', '0003_c.sql']), /应为 0002，实际为 0003_c\.sql/)
  assert.throws(() => migrationFiles(['0001_a.sql', '0002_b.sql', '0002_c.sql']), /应为 0003，实际为 0002_c\.sql/)
  const through11 = Array.from({ length: 11 }, (_, i) => `${String(i + 1).padStart(4, '0')}_m.sql`).filter((f) => !f.startsWith('0010'))
  assert.equal(migrationFiles(through11).length, 10)
})
