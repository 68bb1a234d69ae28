import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The server's source tree (server/src), and its TypeScript files as paths relative to it ('modules/orgs/orgs.service.ts'). */
const root = path.dirname(fileURLToPath(import.meta.url))
function sourceFiles(dir = root): string[] {
  const files: string[] = []
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) files.push(...sourceFiles(p))
    else if (e.name.endsWith('.ts')) files.push(path.relative(root, p).split(path.sep).join('/'))
  }
  return files.sort()
}
const isTest = (f: string) => f.endsWith('.test.ts') || f.startsWith('test/')
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8')
/** Each line of a file that matches, as 'file:line: text'. */
function offending(files: string[], pattern: RegExp): string[] {
  return files.flatMap((f) =>
    read(f)
      .split('\n')
      .flatMap((line, i) => (pattern.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
  )
}

describe('architecture', () => {
  it('has SQL only in repositories and the database layer', () => {
    // Kysely's query builders, and sql`…` / sql<T>`…` templates and sql.raw / sql.ref … helpers
    const sqlPattern =
      /\b(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql(<[^`]*>)?`|\bsql<[^>]*$|\bsql\.(raw|ref|lit|val|join|id|table)\(/
    const allowed: Record<string, string> = {
      // the demo city is seeded as the owner connection, next to the services it calls
      'demo/demo.ts': 'demo data',
    }
    const files = sourceFiles().filter((f) => !isTest(f) && !f.startsWith('db/') && !f.endsWith('.repository.ts') && !(f in allowed))
    assert.deepEqual(offending(files, sqlPattern), [], 'SQL outside a repository: move it into the module’s *.repository.ts')
  })

  it('reads the environment only in config.ts', () => {
    const allowed: Record<string, string> = {
      'config.ts': 'every environment variable, read once',
      // tests: DATABASE_URL chooses the engine of the test databases, GONGHUI_TEST_LOG_DIR where their logs go (npm test)
      'test/harness.ts': 'the test harness',
    }
    const files = sourceFiles().filter((f) => !f.endsWith('.test.ts') && !(f in allowed))
    assert.deepEqual(offending(files, /\bprocess\.env\b/), [], 'process.env outside config.ts: add the setting to config.ts and pass it in')
  })
})
