/**
 * The modules of common/ are imported by the browser app as well as the
 * server, so they must not use Node APIs. tsconfig cannot enforce this (the
 * tests need @types/node), so this test scans the sources.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

const NODE_ONLY = [
  /from\s+['"]node:/,
  /from\s+['"](fs|path|os|crypto|child_process|url|util|buffer|stream)['"]/,
  /\brequire\(/,
  /\bBuffer\b/,
  /\bprocess\./,
  /\b__dirname\b/,
]

test('sources of common/ use no Node-only APIs', () => {
  const sources = readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  assert.ok(sources.length > 0)
  for (const file of sources) {
    const text = readFileSync(join(here, file), 'utf8')
    for (const pattern of NODE_ONLY) {
      assert.doesNotMatch(text, pattern, `${file} uses a Node-only API (${pattern})`)
    }
  }
})
