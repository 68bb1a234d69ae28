/**
 * The shape of the code, checked by reading the source tree (docs/ARCHITECTURE.md, "Imports").
 * A small helper lists the files and their imports; each rule is one `it`.
 */
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const SERVER = path.dirname(fileURLToPath(import.meta.url))

/** Every .ts file under `dir` (relative to server/src), as paths relative to server/src with '/'. */
function sourceFiles(dir = '.'): string[] {
  const out: string[] = []
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(SERVER, rel), { withFileTypes: true })) {
      const child = path.posix.join(rel, e.name)
      if (e.isDirectory()) walk(child)
      else if (e.isFile() && e.name.endsWith('.ts')) out.push(path.posix.normalize(child))
    }
  }
  walk(dir)
  return out.sort()
}

const isTest = (f: string) => f.endsWith('.test.ts') || f.startsWith('test/')
const read = (f: string) => fs.readFileSync(path.join(SERVER, f), 'utf8')

/** The modules a file imports statically or dynamically (import … from, export … from, import()), resolved to paths relative to server/src when relative. */
function importsOf(file: string): { spec: string; target: string | null; line: number }[] {
  const text = read(file)
  const found: { spec: string; target: string | null; line: number }[] = []
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const spec = m[1]!
    const line = text.slice(0, m.index).split('\n').length
    const target = spec.startsWith('.')
      ? path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts')
      : null
    found.push({ spec, target, line })
  }
  return found
}

/** Each line of the files that matches, as 'file:line: text'. */
function offending(files: string[], pattern: RegExp): string[] {
  return files.flatMap((f) =>
    read(f)
      .split('\n')
      .flatMap((line, i) => (pattern.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
  )
}

describe('architecture', () => {
  it('no service imports another service (shared steps live in files that import repositories)', () => {
    const isService = (f: string) => /\.service\.ts$/.test(f)
    const found: string[] = []
    for (const file of sourceFiles().filter((f) => isService(f) && !isTest(f))) {
      for (const i of importsOf(file)) {
        if (i.target && isService(i.target) && i.target !== file) found.push(`${file}:${i.line} imports ${i.spec}`)
      }
    }
    assert.deepEqual(found, [], `services importing services:\n${found.join('\n')}`)
  })

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

  it('the web app’s generic components import no feature', () => {
    const components = path.join(SERVER, '../../web/src/components')
    const found: string[] = []
    for (const name of fs.readdirSync(components).filter((n) => /\.tsx?$/.test(n))) {
      const text = fs.readFileSync(path.join(components, name), 'utf8')
      text.split('\n').forEach((line, i) => {
        if (/from\s+['"][^'"]*\/features\//.test(line)) found.push(`web/src/components/${name}:${i + 1}: ${line.trim()}`)
      })
    }
    assert.deepEqual(found, [], 'a generic component imports a feature: move what it needs into components/ or common/')
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
  it('names a time zone only in config.ts, and writes moments for people one way (local-time.ts)', () => {
    // an IANA name ('Asia/Shanghai', 'UTC' as a timeZone …) or a hand-built formatter of moments
    const files = sourceFiles().filter((f) => !isTest(f) && f !== 'config.ts' && f !== 'local-time.ts')
    const found = [
      ...offending(files, /['"](Asia|Europe|America|Africa|Australia|Pacific|Etc)\/[A-Za-z_]+['"]|timeZone:\s*['"]/),
      ...offending(files, /\.toLocale(Date|Time)String\(|Date\([^)]*\)\.toLocaleString\(|new Intl\.DateTimeFormat\([^)]*\{[^}]*hour/),
    ]
    assert.deepEqual(
      found,
      [],
      'a time zone or a moment format outside config.ts / local-time.ts: use localDateTime (the configured GONGHUI_TIMEZONE)',
    )
  })
})
