import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, shotDir, signIn, startServer, typeSmsCode } from './harness.js'
import { makeResidentId } from '../common/id-card.js'

/**
 * The member register as its users meet it, in Chromium against the real server with demo data:
 * a worker applies on a phone → a cadre approves → the worker's card verifies; a cadre imports
 * a roster with errors, downloads the report, fixes the file and commits it.
 */
describe('the member register in the browser (Chromium)', () => {
  let server: Awaited<ReturnType<typeof startServer>>
  let browser: Browser
  let phone: BrowserContext
  let desk: BrowserContext
  let p: Page
  let d: Page
  const stamp = Date.now() % 100000
  const worker = `林小红${stamp}`.replace(/\d/g, (c) => '零一二三四五六七八九'[Number(c)]!)
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-e2e-roster-'))

  before(async () => {
    fs.mkdirSync(shotDir, { recursive: true })
    server = await startServer()
    browser = await launchBrowser()
    phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
    desk = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true })
    p = await phone.newPage()
    d = await desk.newPage()
    p.setDefaultTimeout(20_000)
    d.setDefaultTimeout(30_000)
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
    fs.rmSync(tmp, { recursive: true, force: true })
  })

  const loginDesk = async (username: string) => {
    await desk.clearCookies()
    await signIn(d, server.url, username)
    await d.getByTestId('org-tree').waitFor()
  }

  it('a worker applies on the phone, with both consents', async () => {
    await p.goto(`${server.url}/join`)
    await p.getByTestId('join-name').fill(worker)
    await p.getByTestId('join-documentNumber').fill(makeResidentId('330683', '19950607', 100 + (stamp % 800)))
    await p.getByTestId('join-documentNumber').blur()
    await p.getByTestId('join-derived').waitFor()
    await p.getByTestId('join-phone').fill(`139${String(stamp).padStart(8, '0')}`)
    await p.getByTestId('join-workplace').click()
    await p.getByTestId('join-workplace').pressSequentially('嵊州市', { delay: 50 })
    await p.locator('[data-testid^="join-workplace-option-"]:visible').first().click()
    await p.getByTestId('join-workplace-picked').waitFor()
    // a unit without a union of its own: the worker names the town they live in, for its pool
    if (await p.getByTestId('join-town').isVisible()) {
      // the phone's own picker (a native select): chosen once the towns have loaded into it
      await p.getByTestId('join-town').selectOption({ label: '甘霖镇' })
      assert.equal(await p.getByTestId('join-town').locator('option:checked').innerText(), '甘霖镇')
    }
    await p.getByTestId('join-consent-privacy').check()
    // without the separate consent for sensitive data nothing is sent
    await p.getByTestId('join-submit').click()
    await p
      .getByText(/敏感个人信息/)
      .first()
      .waitFor()
    await p.getByTestId('join-consent-sensitive').check()
    // nor without the code sent to the phone given
    await p.getByTestId('join-submit').click()
    await p.getByText('请填写短信验证码').first().waitFor()
    await typeSmsCode(p)
    await p.screenshot({ path: path.join(shotDir, '11-join-form.png') })
    await p.getByTestId('join-submit').click()
    await p.getByTestId('join-receipt').or(p.getByTestId('join-error')).first().waitFor()
    if (await p.getByTestId('join-error').isVisible()) assert.fail(`refused: ${await p.getByTestId('join-error').innerText()}`)
    assert.ok((await p.getByTestId('join-receipt-union').innerText()).length > 0)
    await p.screenshot({ path: path.join(shotDir, '12-join-receipt.png') })
    await p.getByTestId('join-receipt-status').click()
    await p.locator('[data-testid="status-view"][data-status="pending"]').waitFor()
  })

  it("the city cadre approves it, and the worker's card verifies", async () => {
    await loginDesk('shengzhou')
    await d.getByTestId('menu-applications').click()
    const row = d.locator(`[data-name="${worker}"]`)
    await row.waitFor()
    assert.doesNotMatch(await row.innerText(), /\d{17}[\dX]/, 'the queue shows the ID masked')
    await d.screenshot({ path: path.join(shotDir, '13-review-queue.png') })
    await row.locator('[data-testid^="application-approve-"]').click()
    await d.getByTestId('application-decision-submit').click()
    await row.waitFor({ state: 'detached' })

    await p.getByTestId('status-refresh').click()
    await p.getByTestId('status-card').waitFor()
    await p.screenshot({ path: path.join(shotDir, '14-card.png') })
    const verifyUrl = await p.getByTestId('member-card-qr').getAttribute('data-qr-text')
    assert.ok(verifyUrl && verifyUrl.includes('/card/verify?token='))
    await p.goto(verifyUrl!)
    await p.locator('[data-testid="verify-result"][data-valid="true"]').waitFor()
    assert.doesNotMatch(await p.getByTestId('verify-result').innerText(), new RegExp(worker), 'the scanner learns no name')
    // a forged card does not verify
    await p.goto(verifyUrl!.replace(/token=.{6}/, 'token=AAAAAA'))
    await p.locator('[data-testid="verify-result"][data-valid="false"]').waitFor()
  })

  it('a cadre imports a roster with errors, downloads the report, fixes it and commits', async () => {
    const people = Array.from({ length: 6 }, (_, i) => ({
      name: `导入测试${'甲乙丙丁戊己'[i]}${stamp}`,
      id: makeResidentId('330683', `1988010${i + 1}`, 500 + i),
      phone: `1370000${String(stamp).slice(-3)}${i}`,
    }))
    const bad = people.map((x, i) => (i === 2 ? { ...x, id: x.id.slice(0, 17) + (x.id[17] === '1' ? '2' : '1') } : x))
    const csv = (rows: typeof people) =>
      ['姓名,身份证号码,手机号码,入会日期', ...rows.map((r) => `${r.name},${r.id},${r.phone},2024-05-01`)].join('\r\n') + '\r\n'
    fs.writeFileSync(path.join(tmp, 'roster-bad.csv'), csv(bad))
    fs.writeFileSync(path.join(tmp, 'roster-fixed.csv'), csv(people))

    await loginDesk('ganlin')
    await d.getByTestId('menu-imports').click()
    await d.getByTestId('import-upload').locator('input[type=file]').setInputFiles(path.join(tmp, 'roster-bad.csv'))
    await d.locator('[data-testid="import-job"][data-status="checked"]').waitFor()
    const problems = d.getByTestId('import-problems')
    await problems
      .getByText(/校验位/)
      .first()
      .waitFor()
    assert.match(await problems.innerText(), /\b3\b|第3行|4/, 'the problem names its row')
    assert.equal(await d.getByTestId('import-commit-all').isDisabled(), true, 'all-or-nothing is refused while rows are wrong')
    await d.screenshot({ path: path.join(shotDir, '15-import-problems.png') })
    const [report] = await Promise.all([d.waitForEvent('download'), d.getByTestId('import-report').click()])
    const reportPath = path.join(tmp, 'report.xlsx')
    await report.saveAs(reportPath)
    assert.equal(fs.readFileSync(reportPath).subarray(0, 2).toString(), 'PK', 'the report is an xlsx')

    await d.getByTestId('import-reupload').click()
    await d.getByTestId('import-upload').locator('input[type=file]').setInputFiles(path.join(tmp, 'roster-fixed.csv'))
    await d.locator('[data-testid="import-job"][data-status="checked"]').waitFor()
    await d.getByTestId('import-commit-all').click()
    await d.getByRole('button', { name: '确认导入' }).click()
    await d.locator('[data-testid="import-job"][data-status="done"]').waitFor()
    assert.match(await d.getByTestId('import-imported').innerText(), /6/)
    await d.screenshot({ path: path.join(shotDir, '16-import-done.png') })

    // the imported people are in the register (among the demo town's thousands: searched by name)
    await d.getByTestId('menu-members').click()
    await d.getByTestId('member-search').locator('input').or(d.locator('input[data-testid="member-search"]')).first().fill(people[0]!.name)
    await d.locator(`[data-name="${people[0]!.name}"]`).waitFor()
  })
})
