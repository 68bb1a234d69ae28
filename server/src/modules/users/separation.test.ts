import ExcelJS from 'exceljs'
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { creditCode, fixture, type Fixture } from '../../test/harness.js'

/** 三员分立: the system, security and audit administrators each govern one thing and see no business data. */
describe('三员 separation of duties', () => {
  let f: Fixture
  const h: Record<string, Record<string, string>> = {}
  before(async () => {
    f = await fixture()
    for (const u of ['admin', 'secadmin', 'auditor', 'city', 'ganlin', 'viewer']) h[u] = await f.login(u)
  })
  after(() => f.close())

  const call = (user: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    f.app.inject({ method, url, headers: h[user], ...(payload ? { payload } : {}) })

  const businessReads = () => [
    '/api/orgs',
    `/api/orgs/${f.ids.ganlin}`,
    `/api/orgs?parent=${f.ids.city}`,
    '/api/enterprises',
    '/api/enterprises?shouldHaveUnion=true',
    `/api/enterprises/${f.ids.ganlinEnterprise}`,
    '/api/enterprises/export',
  ]

  it('the system administrator creates accounts, and gets nothing of the business data (403)', async () => {
    const r = await call('admin', 'POST', '/api/users', { username: 'newbie', displayName: '新同事', password: 'Fresh-Hire-2026' })
    assert.equal(r.statusCode, 201, r.body)
    assert.deepEqual(r.json().roles, [], 'a new account has no role until the security administrator grants one')
    for (const url of businessReads()) {
      const x = await call('admin', 'GET', url)
      assert.equal(x.statusCode, 403, `sysadmin GET ${url}`)
      assert.ok(!x.body.includes('甘霖'), `sysadmin GET ${url} leaks data`)
    }
    assert.equal(
      (
        await call('admin', 'POST', '/api/enterprises', {
          creditCode: creditCode(),
          name: 'x',
          regionCode: '330683100',
          nature: 'private',
          employees: 1,
        })
      ).statusCode,
      403,
    )
    // nor may it grant roles
    const id = r.json().id
    assert.equal((await call('admin', 'PUT', `/api/users/${id}/roles`, { roles: ['org_admin'], orgId: f.ids.ganlin })).statusCode, 403)
  })

  it('the security administrator grants roles but cannot create accounts', async () => {
    const created = await call('secadmin', 'POST', '/api/users', { username: 'sneaky', displayName: '越权', password: 'Sneaky-Pass-2026' })
    assert.equal(created.statusCode, 403)
    assert.equal(await f.database.db.selectFrom('app_user').select('id').where('username', '=', 'sneaky').executeTakeFirst(), undefined)
    assert.equal(
      (await call('secadmin', 'PATCH', `/api/users/${(await f.actor('viewer')).id}`, { password: 'Changed-Pass-2026' })).statusCode,
      403,
    )

    const newbie = await f.actor('newbie')
    const r = await call('secadmin', 'PUT', `/api/users/${newbie.id}/roles`, { roles: ['org_admin'], orgId: f.ids.ganlin })
    assert.equal(r.statusCode, 200, r.body)
    assert.deepEqual(r.json().roles, ['org_admin'])
    assert.equal(r.json().orgName, '甘霖镇总工会')
    // the role works, within 甘霖镇 only
    const nh = await f.login('newbie', 'Fresh-Hire-2026')
    // the administrator's password is good for choosing one's own, nothing else
    const before = await f.app.inject({ method: 'GET', url: '/api/enterprises', headers: nh })
    assert.equal(before.statusCode, 403)
    assert.equal(before.json().error.code, 'password_change_required')
    const changed = await f.send('POST', '/api/auth/password', nh, { currentPassword: 'Fresh-Hire-2026', newPassword: 'Tea-Garden-2026x' })
    assert.equal(changed.statusCode, 200, changed.body)
    const list = await f.app.inject({ method: 'GET', url: '/api/enterprises', headers: nh })
    assert.equal(list.statusCode, 200)
    const names = list.json().items.map((e: { name: string }) => e.name)
    assert.ok(names.includes('甘霖小微五金厂'))
    assert.ok(!names.some((n: string) => n.startsWith('崇仁')))
    // and it cannot change its own roles
    const self = await call('secadmin', 'PUT', `/api/users/${(await f.actor('secadmin')).id}/roles`, {
      roles: ['org_admin'],
      orgId: f.ids.city,
    })
    assert.equal(self.statusCode, 400)
  })

  it('grants no system role through the API (operators appoint the 三员), and gives business roles an organization', async () => {
    const id = (await f.actor('newbie')).id
    const put = (body: object) => call('secadmin', 'PUT', `/api/users/${id}/roles`, body)
    for (const roles of [
      ['sysadmin', 'org_admin'],
      ['secadmin', 'auditadmin'],
      ['auditadmin', 'org_viewer'],
      ['sysadmin', 'secadmin', 'auditadmin'],
    ]) {
      const r = await put({ roles, orgId: roles.some((x) => x.startsWith('org_')) ? f.ids.ganlin : null })
      assert.equal(r.statusCode, 400, roles.join('+'))
      assert.match(r.json().error.fields.roles, /三员角色只能由运维人员通过命令行设置/)
    }
    const noOrg = await put({ roles: ['org_viewer'], orgId: null })
    assert.equal(noOrg.statusCode, 400)
    assert.match(noOrg.json().error.fields.orgId, /须指定所属组织/)
    assert.match(noOrg.json().error.message, /^所属组织：/)
    const sysWithOrg = await put({ roles: ['auditadmin'], orgId: f.ids.ganlin })
    assert.equal(sysWithOrg.statusCode, 400)
    assert.ok(sysWithOrg.json().error.fields.roles)
    // the refused changes wrote nothing
    const u = await f.database.db.selectFrom('app_user').select(['roles', 'org_id']).where('id', '=', id).executeTakeFirstOrThrow()
    assert.deepEqual(u.roles, ['org_admin'])
    assert.equal(u.org_id, f.ids.ganlin)
  })

  it('the security administrator sees organization names and codes only, and no business data', async () => {
    const opts = await call('secadmin', 'GET', '/api/users/org-options?q=' + encodeURIComponent('甘霖'))
    assert.equal(opts.statusCode, 200)
    assert.ok(opts.json().length >= 1)
    for (const o of opts.json()) assert.deepEqual(Object.keys(o).sort(), ['code', 'id', 'name', 'region_code'])
    for (const url of businessReads()) assert.equal((await call('secadmin', 'GET', url)).statusCode, 403, `secadmin GET ${url}`)
  })

  it('the audit administrator exports the log as filtered, in words, and the export is itself recorded', async () => {
    const r = await call('auditor', 'GET', `/api/audit/export?action=user.create`)
    assert.equal(r.statusCode, 200, r.body)
    assert.match(String(r.headers['content-disposition']), /attachment/)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    assert.deepEqual((ws.getRow(1).values as unknown[]).slice(1), [
      '序号',
      '时间',
      '操作人',
      'IP',
      '操作',
      '对象',
      '日志链',
      '记录编号',
      '详情',
    ])
    const rows = []
    for (let i = 2; i <= ws.rowCount; i++) {
      const v = ws.getRow(i).values as unknown[]
      if (typeof v[1] === 'number') rows.push(v)
    }
    assert.ok(rows.length > 0, 'no entry exported')
    for (const v of rows) {
      assert.equal(v[5], '新建账号', 'an action exported as its code, or the filter ignored')
      assert.match(String(v[2]), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
      assert.match(String(v[6]), /（账号 #\d+）$/)
      assert.equal(v[7], '系统')
    }
    assert.match(String(ws.getRow(ws.rowCount).values), /共 \d+ 条/)
    const list = await call('auditor', 'GET', '/api/audit?action=audit.export')
    assert.equal(list.json().items[0].detail.rows, rows.length)
  })

  it('only the audit administrator reads the audit log, and it reads nothing else', async () => {
    const r = await call('auditor', 'GET', '/api/audit?pageSize=200')
    assert.equal(r.statusCode, 200)
    assert.ok(r.json().total > 0)
    assert.ok(r.json().items.some((x: { action: string }) => x.action === 'user.create'))
    const v = await call('auditor', 'GET', '/api/audit/verify')
    assert.equal(v.statusCode, 200)
    assert.ok(
      v.json().every((c: { ok: boolean }) => c.ok),
      v.body,
    )
    for (const u of ['admin', 'secadmin', 'city', 'ganlin', 'viewer']) {
      assert.equal((await call(u, 'GET', '/api/audit')).statusCode, 403, `${u} GET /api/audit`)
      assert.equal((await call(u, 'GET', '/api/audit/verify')).statusCode, 403, `${u} GET /api/audit/verify`)
      assert.equal((await call(u, 'GET', '/api/audit/export')).statusCode, 403, `${u} GET /api/audit/export`)
    }
    for (const url of [...businessReads(), '/api/users'])
      assert.equal((await call('auditor', 'GET', url)).statusCode, 403, `auditor GET ${url}`)
    assert.equal(
      (await call('auditor', 'POST', '/api/users', { username: 'x-user', displayName: 'x', password: 'Xxxxxx-2026!' })).statusCode,
      403,
    )
  })

  it('the database itself shows the 三员 no business rows and business roles no audit rows', async () => {
    for (const u of ['admin', 'secadmin', 'auditor']) {
      const rows = await f.as(u, async (ctx) => ({
        orgs: await ctx.db.selectFrom('org').select('id').execute(),
        enterprises: await ctx.db.selectFrom('enterprise').select('id').execute(),
        register: await ctx.db.selectFrom('enterprise_register').select('id').execute(),
        history: await ctx.db.selectFrom('org_history').select('org_id').execute(),
      }))
      assert.deepEqual(rows, { orgs: [], enterprises: [], register: [], history: [] }, u)
    }
    for (const u of ['city', 'ganlin', 'viewer', 'admin', 'secadmin']) {
      assert.deepEqual(await f.as(u, (ctx) => ctx.db.selectFrom('audit_log').select('id').execute()), [], u)
    }
    assert.ok((await f.as('auditor', (ctx) => ctx.db.selectFrom('audit_log').select('id').execute())).length > 0)
  })
  it('no 三员 takes over another: the system administrator cannot reset the security administrator', async () => {
    const sec = (await f.actor('secadmin')).id
    const r = await call('admin', 'POST', `/api/users/${sec}/password-reset`)
    assert.equal(r.statusCode, 403)
    assert.match(r.json().error.message, /命令行/)
    // nor set one through the account's fields
    const patch = await call('admin', 'PATCH', `/api/users/${sec}`, { password: 'Taken-Over-2026!' })
    assert.equal(patch.statusCode, 400)
    const row = await f.database.db
      .selectFrom('app_user')
      .select(['must_change_password', 'updated_at'])
      .where('id', '=', sec)
      .executeTakeFirstOrThrow()
    assert.equal(row.must_change_password, false)
    assert.equal(
      (await f.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'secadmin', password: 'Taken-Over-2026!' } }))
        .statusCode,
      401,
    )
  })
})
