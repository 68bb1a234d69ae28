import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { fixture, PASSWORD, type Fixture } from '../../test/harness.js'
import { runCli } from '../../cli.js'
import { verifyAuditChains } from '../audit/audit.service.js'

/** The operators' account commands (`npm run cli -- users …`), run in-process against the fixture's database. */
describe('command line: users', () => {
  let f: Fixture
  before(async () => {
    f = await fixture()
  })
  after(() => f.close())

  async function cli(...argv: string[]) {
    const out: string[] = []
    const err: string[] = []
    const code = await runCli(argv, {
      database: f.database,
      env: { GONGHUI_PII_KEY: JSON.stringify(f.ring) },
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    })
    return { code, out: out.join('\n'), err: err.join('\n') }
  }
  const login = (username: string, password: string) =>
    f.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })
  const cliAudit = (action: string, target: string) =>
    f.database.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('target_name', '=', target).execute()
  const userCount = async () => (await f.database.db.selectFrom('app_user').select('id').execute()).length

  it('prints help, and refuses unknown commands with exit code 2', async () => {
    const help = await cli('help')
    assert.equal(help.code, 0)
    assert.match(help.out, /users create <用户名> --name <姓名>/)
    assert.match(help.out, /audit verify/)
    for (const argv of [
      ['bogus'],
      ['users'],
      ['users', 'delete', 'x'],
      ['audit'],
      ['keys', 'burn'],
      ['users', 'create', 'a', 'b', '--name', 'x'],
      ['users', 'create', 'abc', '--nmae', 'x'],
    ]) {
      const r = await cli(...argv)
      assert.equal(r.code, 2, argv.join(' '))
      assert.match(r.err, /^错误：/)
      assert.match(r.err, /npm run cli -- help/)
    }
  })

  it('lists the accounts with their roles and organizations', async () => {
    const r = await cli('users', 'list')
    assert.equal(r.code, 0)
    const lines = r.out.split('\n')
    assert.equal(lines[0], '编号\t用户名\t姓名\t角色\t所属组织\t状态\t最近登录')
    assert.ok(
      lines.some((l) => /\tadmin\t系统管理员\t系统管理员\t—\t正常\t/.test(l)),
      r.out,
    )
    assert.ok(
      lines.some((l) => /\tganlin\t甘霖镇总工会\t工会管理员\t甘霖镇总工会\t正常\t/.test(l)),
      r.out,
    )
    assert.match(lines.at(-1)!, new RegExp(`^共 ${await userCount()} 个账号$`))
  })

  it('creates an account with a generated password that works, and audits it as cli', async () => {
    const r = await cli('users', 'create', 'wang.er', '--name', '王二')
    assert.equal(r.code, 0, r.err)
    const password = /初始密码（只显示这一次）：(\S+)/.exec(r.out)?.[1]
    assert.ok(password, r.out)
    const li = await login('wang.er', password)
    assert.equal(li.statusCode, 200)
    assert.equal(li.json().mustChangePassword, true, 'a password the operator made is changed at first use')
    assert.deepEqual(li.json().user.roles, [], 'no role until the security administrator grants one')
    assert.equal(li.json().user.displayName, '王二')
    const [a] = await cliAudit('user.create', 'wang.er')
    assert.ok(a)
    assert.equal(a.chain_id, 'system')
    assert.equal(a.actor_name, 'cli')
    assert.equal(a.actor_id, null)
    assert.ok(!JSON.stringify(a).includes(password))
    // with a given password
    assert.equal((await cli('users', 'create', 'li-si', '--name', '李四', '--password', 'Spring-Tea-2026')).code, 0)
    assert.equal((await login('li-si', 'Spring-Tea-2026')).json().mustChangePassword, true)
    // a given password must not contain the account's name
    const named = await cli('users', 'create', 'zhou', '--name', '周', '--password', 'Zhou-Spring-2026')
    assert.equal(named.code, 1)
    assert.match(named.err, /不能包含用户名或姓名/)
  })

  it('refuses a bad account in Chinese and writes nothing', async () => {
    const n0 = await userCount()
    const cases: [string[], RegExp][] = [
      [['users', 'create', 'zhao'], /姓名：请用 --name 给出姓名/],
      [['users', 'create', 'Zhao', '--name', '赵'], /用户名：用户名为3-32位小写字母/],
      [['users', 'create', 'zhao', '--name', '赵', '--password', 'short'], /密码：密码至少10位/],
      [['users', 'create', 'zhao', '--name', '赵', '--password', 'alllowercaseletters'], /至少三类/],
      [['users', 'create', 'ganlin', '--name', '重名'], /用户名 ganlin 已存在/],
    ]
    for (const [argv, message] of cases) {
      const r = await cli(...argv)
      assert.equal(r.code, 1, argv.join(' '))
      assert.match(r.err, message)
    }
    assert.equal(await userCount(), n0)
  })

  it('resets a password: the old one and the open sessions stop working', async () => {
    const headers = await f.login('viewer')
    const r = await cli('users', 'reset-password', 'viewer')
    assert.equal(r.code, 0, r.err)
    const password = /新密码（只显示这一次）：(\S+)/.exec(r.out)?.[1]
    assert.ok(password)
    assert.equal((await f.app.inject({ method: 'GET', url: '/api/auth/me', headers })).statusCode, 401, 'open session ended')
    assert.equal((await login('viewer', PASSWORD)).statusCode, 401)
    const li = await login('viewer', password)
    assert.equal(li.statusCode, 200)
    assert.equal(li.json().mustChangePassword, true)
    const [a] = await cliAudit('user.update', 'viewer')
    assert.equal(a!.actor_name, 'cli')
    assert.equal((a!.detail as { sessionsEnded: number }).sessionsEnded, 1)
    // a weak one is refused
    const weak = await cli('users', 'reset-password', 'viewer', '--password', '12345678')
    assert.equal(weak.code, 1)
    assert.match(weak.err, /密码至少10位/)
    const common = await cli('users', 'reset-password', 'viewer', '--password', 'Qwerty-2026!x')
    assert.equal(common.code, 1)
    assert.match(common.err, /过于常见/)
    assert.equal((await login('viewer', password)).statusCode, 200)
    const missing = await cli('users', 'reset-password', 'no-such-user', '--password', 'Whatever-2026')
    assert.equal(missing.code, 1)
    assert.match(missing.err, /账号 no-such-user 不存在/)
  })

  it('unlocks a locked account', async () => {
    // guesses no longer lock an account (auth.service.ts); a lock left from before is lifted here
    await f.database.db
      .updateTable('app_user')
      .set({ failed_logins: 5, locked_until: new Date(Date.now() + 600_000) })
      .where('username', '=', 'chongren')
      .execute()
    const r = await cli('users', 'unlock', 'chongren')
    assert.equal(r.code, 0, r.err)
    assert.match(r.out, /已解除账号 chongren 的锁定/)
    assert.equal((await login('chongren', PASSWORD)).statusCode, 200)
    const [a] = await cliAudit('user.unlock', 'chongren')
    assert.equal(a!.actor_name, 'cli')
    assert.equal((a!.detail as { before: { failedLogins: number } }).before.failedLogins, 5)
    assert.match((await cli('users', 'unlock', 'chongren')).out, /未被锁定/)
    assert.equal((await cli('users', 'unlock', 'ghost')).code, 1)
  })

  it('leaves every audit chain intact', async () => {
    assert.ok((await verifyAuditChains(f.database.db)).every((c) => c.ok))
    const r = await cli('audit', 'verify')
    assert.equal(r.code, 0, r.out)
    assert.match(r.out, /链 system：\d+ 条记录，完好/)
    assert.match(r.out, /全部完好$/)
  })
})
