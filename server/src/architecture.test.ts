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

const isTest = (file: string) => /\.test\.ts$/.test(file)

/** The modules a file imports statically or dynamically (import … from, export … from, import()), resolved to paths relative to server/src when relative. */
function importsOf(file: string): { spec: string; target: string | null; line: number }[] {
  const text = fs.readFileSync(path.join(SERVER, file), 'utf8')
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

describe('architecture', () => {
  it('no service imports another service (shared steps live in files that import repositories)', () => {
    const isService = (f: string) => /\.service\.ts$/.test(f)
    const offending: string[] = []
    for (const file of sourceFiles().filter((f) => isService(f) && !isTest(f))) {
      for (const i of importsOf(file)) {
        if (i.target && isService(i.target) && i.target !== file) offending.push(`${file}:${i.line} imports ${i.spec}`)
      }
    }
    assert.deepEqual(offending, [], `services importing services:\n${offending.join('\n')}`)
  })
})
