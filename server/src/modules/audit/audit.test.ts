import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { creditCode, fixture, PASSWORD, until, type Fixture } from '../../test/harness.js'
import { appendAudit } from './audit.repository.js'
import { verifyAuditChains } from './audit.service.js'
import { runCli } from '../../cli.js'

const IP = '10.9.8.7'

describe('audit log', () => {
  let f: Fixture
  const h: Record<string, Record<string, string>> = {}
  before(async () => {
    f = await fixture()
    for (const u of ['admin', 'secadmin', 'ganlin']) h[u] = await f.login(u)
  })
  after(() => f.close())

  const maxId = async () =>
    Number(
      (
        await f.database.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.max('id').as('m'))
          .executeTakeFirstOrThrow()
      ).m ?? 0,
    )

  /**
   * Makes one write through the API from IP and returns the audit entries it added,
   * after checking that there is at least one and that each names actor, ip, action and target.
   */
  async function write(user: string, method: 'POST' | 'PUT' | 'PATCH', url: string, payload: object, action: string) {
    const from = await maxId()
    const r = await f.app.inject({ method, url, payload, headers: h[user], remoteAddress: IP })
    assert.ok(r.statusCode >= 200 && r.statusCode < 300, `${method} ${url}: ${r.statusCode} ${r.body}`)
    const rows = await f.database.db.selectFrom('audit_log').selectAll().where('id', '>', from).orderBy('id').execute()
    assert.ok(rows.length >= 1, `${method} ${url} left no audit entry`)
    const entry = rows.find((x) => x.action === action)
    assert.ok(entry, `${method} ${url}: no '${action}' entry among ${rows.map((x) => x.action).join(', ')}`)
    for (const e of rows) {
      assert.equal(e.actor_name, user, `${method} ${url}: actor`)
      assert.equal(e.actor_id, (await f.actor(user)).id)
      assert.equal(e.ip, IP, `${method} ${url}: ip`)
      assert.ok(e.target_type, `${method} ${url}: target type`)
      assert.ok(e.target_id || e.target_name, `${method} ${url}: target`)
    }
    return { body: r.json(), entry: entry! }
  }

  it('records every write through the API with actor, ip, action and target, and masks phone numbers', async () => {
    const CHAIR = '13905759876'
    const CONTACT = '13800002222'
    const LANDLINE = '0575-83012345'
    const e1 = await write(
      'ganlin',
      'POST',
      '/api/enterprises',
      { creditCode: creditCode(), name: '甘霖审计测试厂', regionCode: '330683100', nature: 'private', employees: 40 },
      'enterprise.create',
    )
    assert.equal(e1.entry.target_id, String(e1.body.id))
    assert.equal(e1.entry.target_name, '甘霖审计测试厂')
    const ep = await write('ganlin', 'PATCH', `/api/enterprises/${e1.body.id}`, { employees: 45 }, 'enterprise.update')
    assert.deepEqual(ep.entry.detail, { before: { employees: 40 }, after: { employees: 45 } })

    const org = await write(
      'ganlin',
      'POST',
      '/api/orgs',
      {
        parentId: f.ids.ganlin,
        name: '甘霖审计测试厂工会委员会',
        orgType: '1',
        orgForm: 'committee',
        regionCode: '330683100',
        enterpriseId: e1.body.id,
        chairName: '王五',
        chairPhone: CHAIR,
        contactPhone: LANDLINE,
      },
      'org.create',
    )
    assert.equal(org.entry.target_id, String(org.body.id))
    await write('ganlin', 'PATCH', `/api/orgs/${org.body.id}`, { contactPhone: CONTACT }, 'org.update')
    await write('ganlin', 'PUT', `/api/orgs/${f.ids.ganlinJoint}/enterprises`, { enterpriseIds: [f.ids.ganlinEnterprise] }, 'org.coverage')
    const reveal = await write(
      'ganlin',
      'POST',
      `/api/orgs/${org.body.id}/reveal`,
      { field: 'chairPhone', reason: '核实联系方式' },
      'pii.reveal',
    )
    assert.equal(reveal.body.value, CHAIR)

    const user = await write(
      'admin',
      'POST',
      '/api/users',
      { username: 'auditee', displayName: '被审计者', password: 'Harbor-Lantern-91' },
      'user.create',
    )
    await write('admin', 'PATCH', `/api/users/${user.body.id}`, { displayName: '被审计者甲' }, 'user.update')
    const reset = await write('admin', 'POST', `/api/users/${user.body.id}/password-reset`, {}, 'user.password.reset')
    await write('secadmin', 'PUT', `/api/users/${user.body.id}/roles`, { roles: ['org_viewer'], orgId: f.ids.ganlin }, 'user.roles')
    await write(
      'admin',
      'PUT',
      '/api/rules/330683102',
      { ownUnionMinEmployees: 25, graceMonths: 12, largeMinEmployees: 100, zoneMinEmployees: 50 },
      'rule.update',
    )

    // logging in and out are recorded too
    const from = await maxId()
    const li = await f.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'auditee', password: reset.body.temporaryPassword },
      remoteAddress: IP,
    })
    assert.equal(li.statusCode, 200)
    h.auditee = { authorization: `Bearer ${li.json().token}` }
    await write('auditee', 'POST', '/api/auth/logout', {}, 'logout')
    const session = await f.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name', 'ip'])
      .where('id', '>', from)
      .orderBy('id')
      .execute()
    assert.deepEqual(
      session.map((x) => [x.action, x.actor_name, x.ip]),
      [
        ['login', 'auditee', IP],
        ['logout', 'auditee', IP],
      ],
    )

    // the phone numbers appear masked in the log, never in clear
    const all = await f.database.db.selectFrom('audit_log').selectAll().execute()
    const text = JSON.stringify(all)
    for (const clear of [CHAIR, CONTACT, LANDLINE, LANDLINE.replace('-', ''), '13905751234', '13905755678', '13800001111']) {
      assert.ok(!text.includes(clear), `the audit log contains the phone number ${clear} in clear`)
    }
    const created = all.find((x) => x.action === 'org.create' && x.target_id === String(org.body.id))!
    const after = (created.detail as { after: Record<string, unknown> }).after
    assert.equal(after.chair_phone, '139****9876')
    assert.match(String(after.contact_phone), /^057\*+2345$/)
    const updated = all.find((x) => x.action === 'org.update' && x.target_id === String(org.body.id))!
    assert.equal((updated.detail as { after: Record<string, unknown> }).after.contact_phone, '138****2222')
    // nor the password of the account
    assert.ok(!text.includes('Auditee-Pass'))
    // and the log still verifies
    assert.ok((await verifyAuditChains(f.database.db)).every((c) => c.ok))
  })

  /** A chain of n entries in its own transactions, as the owner; returns their ids in order. */
  async function chainOf(chain: string, n: number) {
    for (let i = 1; i <= n; i++) {
      await f.database.db.transaction().execute((tx) =>
        appendAudit(tx, chain, { id: null, name: 'tester', ip: '127.0.0.1' }, [
          {
            action: 'test.step',
            targetType: 'test',
            targetId: i,
            targetName: `第${i}步`,
            detail: { step: i, note: '原始内容', nested: { b: 2, a: [1, 'x'] } },
          },
        ]),
      )
    }
    const rows = await f.database.db.selectFrom('audit_log').select('id').where('chain_id', '=', chain).orderBy('id').execute()
    assert.equal(rows.length, n)
    return rows.map((r) => r.id)
  }
  const reportOf = async (chain: string) => (await verifyAuditChains(f.database.db)).find((c) => c.chainId === chain)!

  it('names exactly the entry whose content was altered', async () => {
    const ids = await chainOf('test:alter', 5)
    assert.deepEqual(await reportOf('test:alter'), { chainId: 'test:alter', entries: 5, ok: true, problems: [], firstBad: undefined })
    await sql`update audit_log set detail = jsonb_set(detail, '{note}', '"改过的内容"') where id = ${ids[2]}`.execute(f.database.db)
    const r = await reportOf('test:alter')
    assert.equal(r.ok, false)
    assert.equal(r.entries, 5)
    assert.equal(r.firstBad!.id, ids[2])
    assert.match(r.firstBad!.problem, /篡改/)
    // the other chains are not affected
    assert.ok((await verifyAuditChains(f.database.db)).filter((c) => c.chainId !== 'test:alter').every((c) => c.ok))
    // other fields are covered by the hash too
    await sql`update audit_log set detail = jsonb_set(detail, '{note}', '"原始内容"') where id = ${ids[2]}`.execute(f.database.db)
    assert.equal((await reportOf('test:alter')).ok, true, 'restoring the content restores the chain')
    for (const [col, value] of [
      ['actor_name', 'someone'],
      ['ip', '1.2.3.4'],
      ['action', 'test.other'],
      ['target_name', '别的'],
      ['at', new Date('2020-01-01T00:00:00Z')],
    ] as const) {
      const before = await f.database.db.selectFrom('audit_log').selectAll().where('id', '=', ids[1]!).executeTakeFirstOrThrow()
      await sql`update audit_log set ${sql.ref(col)} = ${value} where id = ${ids[1]}`.execute(f.database.db)
      assert.equal((await reportOf('test:alter')).firstBad?.id, ids[1], `changing ${col} is detected`)
      await sql`update audit_log set ${sql.ref(col)} = ${before[col]} where id = ${ids[1]}`.execute(f.database.db)
    }
    assert.equal((await reportOf('test:alter')).ok, true)
  })

  it('names the entry after one that was deleted, and notices a deleted last entry', async () => {
    const ids = await chainOf('test:delete', 5)
    await sql`delete from audit_log where id = ${ids[2]}`.execute(f.database.db)
    const r = await reportOf('test:delete')
    assert.equal(r.ok, false)
    assert.equal(r.entries, 4)
    assert.equal(r.firstBad!.id, ids[3])
    assert.match(r.firstBad!.problem, /删除/)

    const tail = await chainOf('test:tail', 3)
    await sql`delete from audit_log where id = ${tail[2]}`.execute(f.database.db)
    const t = await reportOf('test:tail')
    assert.equal(t.ok, false)
    assert.equal(t.firstBad!.id, tail[2])
    assert.match(t.firstBad!.problem, /末尾/)
  })

  /**
   * Holds the head of an audit chain locked while the request runs, so the request's transaction cannot
   * commit; tells whether the answer arrived anyway. On PostgreSQL it waits for the event that decides
   * it: the request answered, or its transaction blocked behind the lock (pg_blocking_pids names the
   * holder). The built-in database runs one transaction at a time: there the request cannot reach the
   * database while the holder has its one connection, so nothing is awaited and it simply waits.)
   */
  async function answeredBeforeCommit(chain: string, request: () => Promise<{ statusCode: number; body: string }>) {
    let release!: () => void
    const released = new Promise<void>((r) => {
      release = r
    })
    let locked!: () => void
    const isLocked = new Promise<void>((r) => {
      locked = r
    })
    let holderPid = 0
    const holder = f.database.db.transaction().execute(async (tx) => {
      await tx.selectFrom('audit_chain').select('chain_id').where('chain_id', '=', chain).forUpdate().execute()
      if (f.database.kind === 'postgres') holderPid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx)).rows[0]!.pid
      locked()
      await released
    })
    await isLocked
    let answered = false
    const pending = request().then((r) => {
      answered = true
      return r
    })
    if (f.database.kind === 'postgres') {
      await until(
        async () =>
          answered ||
          (
            await sql<{
              n: number
            }>`select count(*)::int as n from pg_stat_activity where ${holderPid}::int = any(pg_blocking_pids(pid))`.execute(f.database.db)
          ).rows[0]!.n > 0,
        { what: 'the request to answer or to wait for the locked audit chain' },
      )
    }
    const early = answered
    release()
    await holder
    const r = await pending
    assert.ok(r.statusCode < 300, r.body)
    return early
  }

  it('answers a write only after it and its audit entry are committed', async () => {
    const rootChain = `org:${f.ids.city}`
    assert.equal(
      await answeredBeforeCommit(rootChain, () =>
        f.send('POST', '/api/enterprises', h.ganlin, {
          creditCode: creditCode(),
          name: '提交顺序测试厂',
          regionCode: '330683100',
          nature: 'private',
          employees: 3,
        }),
      ),
      false,
      'POST /api/enterprises',
    )
    assert.equal(
      await answeredBeforeCommit(rootChain, () => f.app.inject({ method: 'GET', url: '/api/enterprises/export', headers: h.ganlin })),
      false,
      'GET /api/enterprises/export (audited)',
    )
    assert.equal(
      await answeredBeforeCommit('system', () =>
        f.send('POST', '/api/users', h.admin, { username: 'order-test', displayName: '顺序', password: 'Meadow-Copper-73' }),
      ),
      false,
      'POST /api/users',
    )
    assert.equal(
      await answeredBeforeCommit(rootChain, () => f.send('PATCH', `/api/orgs/${f.ids.ganlin}`, h.ganlin, { chairName: '顺序' })),
      false,
      'PATCH /api/orgs/:id',
    )
  })

  it('answers POST /api/orgs only after it is committed', async () => {
    const early = await answeredBeforeCommit(`org:${f.ids.city}`, () =>
      f.send('POST', '/api/orgs', h.ganlin, {
        parentId: f.ids.ganlin,
        name: '提交顺序测试工会',
        orgType: '2',
        orgForm: 'joint_committee',
        regionCode: '330683100',
        jointScope: 'regional',
        jointCategory: 'other',
      }),
    )
    assert.equal(early, false)
  })

  it('does not let the application role update, delete or truncate the log', async () => {
    for (const user of ['auditor', 'admin', 'city']) {
      for (const stmt of [sql`update audit_log set detail = '{}'::jsonb`, sql`delete from audit_log`, sql`truncate audit_log`]) {
        await assert.rejects(
          f.as(user, (ctx) => stmt.execute(ctx.db)),
          (e: { code?: string; message?: string }) => e.code === '42501' && /permission denied/.test(String(e.message)),
          `${user} may not: ${stmt.compile(f.database.db).sql}`,
        )
      }
    }
    // nothing was lost
    assert.ok((await f.database.db.selectFrom('audit_log').select('id').execute()).length > 0)
  })

  it('the CLI `audit verify` exits 1 and names the tampered entry', async () => {
    const lines: string[] = []
    const io = {
      out: (l: string) => lines.push(l),
      err: (l: string) => lines.push(l),
      database: f.database,
      env: { GONGHUI_PII_KEY: JSON.stringify(f.ring) },
    }
    const ids = await chainOf('test:cli', 4)
    await sql`update audit_log set detail = '{"step": 99}'::jsonb where id = ${ids[1]}`.execute(f.database.db)
    const code = await runCli(['audit', 'verify'], io)
    assert.equal(code, 1, lines.join('\n'))
    const at = lines.findIndex((l) => l.includes('test:cli'))
    assert.equal(lines[at], '链 test:cli：4 条记录，已被篡改！共 1 处异常：')
    assert.match(
      lines[at + 1]!,
      new RegExp(`^  编号 ${ids[1]}，第 2 条，时间 \\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z，操作 test\\.step：内容与签封不符`),
    )
    assert.ok(lines.some((l) => /^链 system：\d+ 条记录，完好$/.test(l)))
    assert.match(lines.at(-1)!, /条校验失败/)
  })

  it('keeps the password out of the log even when an operator sets it', async () => {
    const lines: string[] = []
    const code = await runCli(['users', 'reset-password', 'viewer', '--password', PASSWORD + 'x'], {
      database: f.database,
      env: { GONGHUI_PII_KEY: JSON.stringify(f.ring) },
      out: (l) => lines.push(l),
      err: (l) => lines.push(l),
    })
    assert.equal(code, 0, lines.join('\n'))
    const text = JSON.stringify(await f.database.db.selectFrom('audit_log').selectAll().execute())
    assert.ok(!text.includes(PASSWORD))
  })
})
