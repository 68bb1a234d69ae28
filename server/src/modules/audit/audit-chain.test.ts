import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import { sql } from 'kysely'
import type { Database } from '../../db/client.js'
import { testDatabase, testKeyRing } from '../../test/harness.js'
import { auditKeysOf, openKeyRing } from '../../security/keys.js'
import { rotateKeyRing, type KeyRing } from '../../security/pii.js'
import { appendAudit, GENESIS, legacyEntryHash, sealEntry, sealedFields, useAuditKeys } from './audit.repository.js'
import { verifyAuditChains } from './audit.service.js'

/**
 * The keyed, canonical audit chain on its own (no fixture): what is stored is what was sealed,
 * verification reports every broken entry and every gap, a rewrite without the key is found,
 * rotation keeps old entries verifying, and entries from before 0015 are sealed once.
 */
describe('audit chain: keyed and canonical', () => {
  let d: Database
  let ring: KeyRing
  before(async () => {
    d = await testDatabase()
    ring = testKeyRing()
    await openKeyRing(d.db, { key: JSON.stringify(ring), keyFile: '' }, { create: false })
  })
  after(() => d.close())

  const actor = { id: null, name: 'tester', ip: '127.0.0.1' }
  async function chainOf(chain: string, n: number, name = (i: number) => `第${i}步`) {
    for (let i = 1; i <= n; i++) {
      await d.db
        .transaction()
        .execute((tx) =>
          appendAudit(tx, chain, actor, [
            { action: 'test.step', targetType: 'test', targetId: i, targetName: name(i), detail: { step: i, note: '原始内容' } },
          ]),
        )
    }
    return (await d.db.selectFrom('audit_log').select('id').where('chain_id', '=', chain).orderBy('seq').execute()).map((r) => r.id)
  }
  const reportOf = async (chain: string) => (await verifyAuditChains(d.db)).find((c) => c.chainId === chain)!

  it('stores exactly what it sealed: a lone surrogate and NUL become U+FFFD, in text and in detail, and verify', async () => {
    const evil = '张\ud800三\u0000'
    await d.db.transaction().execute((tx) =>
      appendAudit(tx, 'test:text', { id: null, name: `干部${evil}`, ip: null }, [
        {
          action: 'member.create',
          targetType: 'member',
          targetId: 1,
          targetName: evil,
          detail: { name: evil, [`k\udc00`]: [evil, 1.5] },
        },
      ]),
    )
    const row = await d.db.selectFrom('audit_log').selectAll().where('chain_id', '=', 'test:text').executeTakeFirstOrThrow()
    assert.equal(row.target_name, '张\ufffd三\ufffd')
    assert.equal(row.actor_name, '干部张\ufffd三\ufffd')
    assert.deepEqual(row.detail, { name: '张\ufffd三\ufffd', 'k\ufffd': ['张\ufffd三\ufffd', 1.5] })
    assert.deepEqual(await reportOf('test:text'), { chainId: 'test:text', entries: 1, ok: true, problems: [], firstBad: undefined })
    // a well-formed pair is kept as it is
    await d.db.transaction().execute((tx) => appendAudit(tx, 'test:text', actor, [{ action: 'x', targetName: '𠀀' }]))
    assert.equal(
      (
        await d.db
          .selectFrom('audit_log')
          .select('target_name')
          .where('seq', '=', 2)
          .where('chain_id', '=', 'test:text')
          .executeTakeFirstOrThrow()
      ).target_name,
      '𠀀',
    )
    assert.equal((await reportOf('test:text')).ok, true)
  })

  it('still reports an edit after an entry with a lone surrogate, and only that one', async () => {
    const ids = await chainOf('test:after', 4, (i) => (i === 2 ? '李\udbff四' : `第${i}步`))
    assert.equal((await reportOf('test:after')).ok, true)
    await sql`update audit_log set detail = jsonb_set(detail, '{note}', '"改过"') where id = ${ids[3]}`.execute(d.db)
    const r = await reportOf('test:after')
    assert.equal(r.ok, false)
    assert.deepEqual(
      r.problems.map((p) => [p.id, p.seq]),
      [[ids[3], 4]],
    )
    assert.match(r.problems[0]!.problem, /内容与签封不符/)
  })

  it('reports every broken entry and every gap, not just the first', async () => {
    const ids = await chainOf('test:many', 8)
    await sql`delete from audit_log where id in (${ids[1]}, ${ids[2]})`.execute(d.db) // seq 2, 3
    await sql`update audit_log set target_name = '别的' where id = ${ids[4]}`.execute(d.db) // seq 5
    await sql`delete from audit_log where id = ${ids[5]}`.execute(d.db) // seq 6
    await sql`update audit_log set action = 'test.other' where id = ${ids[7]}`.execute(d.db) // seq 8
    const r = await reportOf('test:many')
    assert.equal(r.entries, 5)
    assert.deepEqual(
      r.problems.map((p) => p.seq),
      [4, 5, 7, 8],
    )
    assert.match(r.problems[0]!.problem, /此前缺少第 2–3 条记录，共 2 条（被删除）/)
    assert.match(r.problems[1]!.problem, /内容与签封不符/)
    assert.match(r.problems[2]!.problem, /此前缺少第 6 条记录（被删除）/)
    assert.doesNotMatch(r.problems[2]!.problem, /签封不符/, 'the entry after a gap is itself intact')
    assert.match(r.problems[3]!.problem, /内容与签封不符/)
    assert.equal(r.firstBad!.id, ids[3])

    // a cut tail: the head still names the deleted last entry
    const tail = await chainOf('test:tail', 3)
    await sql`delete from audit_log where id = ${tail[2]}`.execute(d.db)
    const t = await reportOf('test:tail')
    assert.deepEqual(
      t.problems.map((p) => [p.id, p.seq]),
      [[tail[2], 3]],
    )
    assert.match(t.problems[0]!.problem, /链尾与记录不符（末尾的记录被删除，缺少第 3 条）/)
  })

  /** Rewrites entries seq >= from of a chain, consistently, each hash recomputed by `reseal`; moves the head along. */
  async function rewrite(
    chain: string,
    from: number,
    reseal: (prev: string, row: Parameters<typeof sealedFields>[0]) => { hash: string; key_id: string | null },
  ) {
    const rows = await d.db.selectFrom('audit_log').selectAll().where('chain_id', '=', chain).orderBy('seq').execute()
    let prev = GENESIS
    for (const r of rows) {
      if (Number(r.seq) < from) {
        prev = r.hash
        continue
      }
      const forged = { ...r, target_name: `伪造${r.seq}`, key_id: r.key_id ?? 'k1' }
      const { hash, key_id } = reseal(prev, forged)
      await d.db
        .updateTable('audit_log')
        .set({ target_name: forged.target_name, prev_hash: prev, hash, key_id })
        .where('id', '=', r.id)
        .execute()
      prev = hash
    }
    await d.db.updateTable('audit_chain').set({ last_hash: prev }).where('chain_id', '=', chain).execute()
  }

  it('detects a consistent rewrite of an entry and all its successors without the key', async () => {
    await chainOf('test:unkeyed', 5)
    // recomputed with the old unkeyed rule, marked as an old entry
    await rewrite('test:unkeyed', 3, (prev, r) => ({ hash: legacyEntryHash(prev, r), key_id: null }))
    const u = await reportOf('test:unkeyed')
    assert.deepEqual(
      u.problems.map((p) => p.seq),
      [3, 4, 5],
    )
    assert.ok(u.problems.every((p) => /没有密钥签封/.test(p.problem)))

    await chainOf('test:wrongkey', 5)
    // recomputed with the right algorithm under a key of the forger's own
    const forgerKey = crypto.randomBytes(32)
    await rewrite('test:wrongkey', 2, (prev, r) => ({
      hash: sealEntry(forgerKey, prev, sealedFields({ ...r, key_id: r.key_id! })),
      key_id: r.key_id,
    }))
    const w = await reportOf('test:wrongkey')
    assert.deepEqual(
      w.problems.map((p) => p.seq),
      [2, 3, 4, 5],
    )
    assert.ok(w.problems.every((p) => /内容与签封不符/.test(p.problem)))
    // the same rewrite with the real key passes: the key is what protects the chain
    const real = auditKeysOf(ring).keys.get('k1')!
    await rewrite('test:wrongkey', 2, (prev, r) => ({ hash: sealEntry(real, prev, sealedFields({ ...r, key_id: 'k1' })), key_id: 'k1' }))
    assert.equal((await reportOf('test:wrongkey')).ok, true)
  })

  it('keeps old entries verifying after a rotation, each with the key it was sealed with', async () => {
    await chainOf('test:rotate', 2)
    const next = rotateKeyRing(ring)
    useAuditKeys(auditKeysOf(next))
    try {
      await chainOf('test:rotate', 2)
      const rows = await d.db
        .selectFrom('audit_log')
        .select(['seq', 'key_id'])
        .where('chain_id', '=', 'test:rotate')
        .orderBy('seq')
        .execute()
      assert.deepEqual(
        rows.map((r) => [Number(r.seq), r.key_id]),
        [
          [1, 'k1'],
          [2, 'k1'],
          [3, 'k2'],
          [4, 'k2'],
        ],
      )
      assert.equal((await reportOf('test:rotate')).ok, true)
      // a ring without k1 cannot vouch for the old entries, and says so
      const withoutOld = auditKeysOf({ ...next, keys: { k2: next.keys.k2! } })
      const r = (await verifyAuditChains(d.db, withoutOld)).find((c) => c.chainId === 'test:rotate')!
      assert.deepEqual(
        r.problems.map((p) => p.seq),
        [1, 2],
      )
      assert.match(r.problems[0]!.problem, /签封密钥 k1 不在密钥环中/)
    } finally {
      useAuditKeys(auditKeysOf(ring))
    }
  })
})

describe('audit chain: entries from before the keyed chain', () => {
  let d: Database
  after(() => d?.close())

  it('are checked by the old rule and sealed once on the first start with the key; what was wrong stays reported', async () => {
    d = await testDatabase()
    // as a database migrated from before 0015 holds them: unkeyed hashes, no key id
    const at = new Date('2025-03-01T08:00:00Z')
    const rows: { target_name: string; hashed_name?: string }[] = [
      { target_name: '第1步' },
      { target_name: '王\ufffd五', hashed_name: '王\ud800五' }, // the old bug: hashed with the lone surrogate, stored without
      { target_name: '第3步' },
      { target_name: '被改过', hashed_name: '第4步' }, // altered before the upgrade
      { target_name: '第5步' },
    ]
    let prev = GENESIS
    let seq = 0
    let lastId = 0
    for (const r of rows) {
      const f = {
        chain_id: 'org:9',
        at,
        actor_id: null,
        actor_name: 'old',
        ip: null,
        action: 'test.old',
        target_type: 'test',
        target_id: String(++seq),
        target_name: r.target_name,
        scope_path: null,
        detail: { seq },
      }
      const hash = legacyEntryHash(prev, { ...f, target_name: r.hashed_name ?? r.target_name })
      const { id } = await d.db
        .insertInto('audit_log')
        .values({ ...f, detail: JSON.stringify(f.detail), seq, prev_hash: prev, hash })
        .returning('id')
        .executeTakeFirstOrThrow()
      prev = hash
      lastId = id
    }
    await d.db.insertInto('audit_chain').values({ chain_id: 'org:9', last_id: lastId, last_hash: prev, last_seq: seq }).execute()

    const ring = testKeyRing()
    const opened = await openKeyRing(d.db, { key: JSON.stringify(ring), keyFile: '' }, { create: false })
    assert.equal(opened.resealed, 5)
    const stored = await d.db.selectFrom('audit_log').selectAll().orderBy('seq').execute()
    assert.ok(stored.every((r) => r.key_id === 'k1' && r.legacy_hash !== null))
    const r = (await verifyAuditChains(d.db)).find((c) => c.chainId === 'org:9')!
    assert.equal(r.entries, 5)
    assert.deepEqual(
      r.problems.map((p) => p.seq),
      [2, 4],
    )
    assert.match(r.problems[0]!.problem, /升级前已发现：内容与旧哈希不符（含无效字符 U\+FFFD/)
    assert.match(r.problems[1]!.problem, /升级前已发现：内容与旧哈希不符（被篡改）/)

    // once only: a later start seals nothing, and an entry turned back into the old format is reported, not sealed
    const tampered = stored[2]!
    await d.db
      .updateTable('audit_log')
      .set({ key_id: null, target_name: '后来改的', hash: legacyEntryHash(tampered.prev_hash, { ...tampered, target_name: '后来改的' }) })
      .where('id', '=', tampered.id)
      .execute()
    assert.equal((await openKeyRing(d.db, { key: JSON.stringify(ring), keyFile: '' }, { create: false })).resealed, 0)
    const again = (await verifyAuditChains(d.db)).find((c) => c.chainId === 'org:9')!
    assert.deepEqual(
      again.problems.map((p) => p.seq),
      [2, 3, 4],
    )
    assert.match(again.problems[1]!.problem, /没有密钥签封/)
  })
})
