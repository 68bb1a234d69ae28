import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { auditActions, auditTargets } from '../../../../common/audit-labels.js'

const SERVER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
function sources(dir = SERVER): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : []
  })
}

/** The audit log's page and export show labels: every code the server writes has one. */
describe('audit labels', () => {
  const text = sources()
    .map((f) => fs.readFileSync(f, 'utf8'))
    .join('\n')
  const found = (re: RegExp) => new Set([...text.matchAll(re)].map((m) => m[1]!))

  it('name every action the server records', () => {
    const actions = found(/action: '([a-z_.]+)'/g)
    // written through helpers or built from a decision
    for (const a of found(/auditLogin\([^)]*?'([a-z_.]+)'/g)) actions.add(a)
    for (const a of found(/'((?:form\.round|member\.export)\.?[a-z_.]*)'/g)) actions.add(a)
    for (const d of ['approve', 'reject', 'need_info']) actions.add(`application.${d}`) // application.${b.decision}
    for (const d of ['cancel', 'reject']) actions.add(`transfer.${d}`) // transfer.${…}
    actions.delete('deny') // helmet's frameguard, not an audit action
    assert.ok(actions.size > 40, `only ${actions.size} actions found: the search is broken`)
    assert.deepEqual(
      [...actions].filter((a) => !(a in auditActions)),
      [],
      'audit actions without a label in common/audit-labels.ts',
    )
  })

  it('name every kind of object the server records', () => {
    const kinds = found(/targetType: '([a-z_]+)'/g)
    kinds.delete('test')
    assert.ok(kinds.size > 10)
    assert.deepEqual(
      [...kinds].filter((k) => !(k in auditTargets)),
      [],
      'audit target types without a label in common/audit-labels.ts',
    )
  })
})
