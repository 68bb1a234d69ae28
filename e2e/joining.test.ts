import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, shotDir, signIn, startServer, typeSmsCode } from './harness.js'
import { makeResidentId } from '../common/id-card.js'

/**
 * Online joining on the phone (375×812), in Chromium against the real server with demo data:
 * an applicant answers 需补充材料 on the phone → the cadre approves; then, now a member, the same
 * worker moves to another unit: the joining page sends them to sign in, and they ask for the
 * transfer on the member side (我的 → 申请转会) → the receiving cadre accepts → the card verifies at
 * the new union.
 */
describe('online joining on the phone: answers and transfers (Chromium)', () => {
  let server: Awaited<ReturnType<typeof startServer>>
  let browser: Browser
  let phone: BrowserContext
  let desk: BrowserContext
  let p: Page
  let d: Page
  const stamp = Date.now() % 100000
  const worker = `周晓梅${stamp}`.replace(/\d/g, (c) => '零一二三四五六七八九'[Number(c)]!)
  const documentNumber = makeResidentId('330683', '19960708', 100 + (stamp % 800))
  const mobile = `138${String(stamp).padStart(8, '0')}`
  let firstUnion = ''

  before(async () => {
    fs.mkdirSync(shotDir, { recursive: true })
    server = await startServer()
    browser = await launchBrowser()
    phone = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
    desk = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    p = await phone.newPage()
    d = await desk.newPage()
    p.setDefaultTimeout(20_000)
    d.setDefaultTimeout(30_000)
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  const loginDesk = async (username: string) => {
    await desk.clearCookies()
    await signIn(d, server.url, username)
    await d.getByTestId('org-tree').waitFor()
  }

  /** fills the joining form with a workplace from the register that has a union */
  const fillForm = async (search: string) => {
    await p.goto(`${server.url}/join`)
    await p.getByTestId('join-name').fill(worker)
    await p.getByTestId('join-documentNumber').fill(documentNumber)
    await p.getByTestId('join-documentNumber').blur()
    await p.getByTestId('join-derived').waitFor()
    await p.getByTestId('join-phone').fill(mobile)
    await p.getByTestId('join-workplace').click()
    await p.getByTestId('join-workplace').pressSequentially(search, { delay: 50 })
    await p.locator('[data-testid^="join-workplace-option-"]:visible').filter({ hasText: '已建工会' }).first().click()
    await p.getByTestId('join-workplace-picked').waitFor()
    assert.match(await p.getByTestId('join-workplace-picked').innerText(), /由本单位工会受理/)
    await p.getByTestId('join-consent-privacy').check()
    await p.getByTestId('join-consent-sensitive').check()
    await typeSmsCode(p)
  }

  it('an applicant answers 需补充材料 on the phone, and is approved', async () => {
    await fillForm('万通印染股份')
    await p.getByTestId('join-submit').click()
    await p.getByTestId('join-receipt').or(p.getByTestId('join-error')).first().waitFor()
    if (await p.getByTestId('join-error').isVisible()) assert.fail(`refused: ${await p.getByTestId('join-error').innerText()}`)
    firstUnion = await p.getByTestId('join-receipt-union').innerText()
    await p.getByTestId('join-receipt-status').click()
    await p.locator('[data-testid="status-view"][data-status="pending"]').waitFor()

    // the cadre asks for more information
    await loginDesk('shengzhou')
    await d.getByTestId('menu-applications').click()
    const row = d.locator(`[data-name="${worker}"]`)
    await row.waitFor()
    await row.locator('[data-testid^="application-needinfo-"]').click()
    await d.getByTestId('application-decision-note').fill('请补充所在车间和工号')
    await d.getByTestId('application-decision-submit').click()
    await row.waitFor({ state: 'detached' }) // the queue shows pending ones

    // the applicant sees the note and answers it on the phone
    await p.getByTestId('status-refresh').click()
    await p.locator('[data-testid="status-view"][data-status="need_info"]').waitFor()
    assert.equal(await p.getByTestId('status-note').innerText(), '请补充所在车间和工号')
    await p.getByTestId('status-answer-card').waitFor()
    await p.screenshot({ path: path.join(shotDir, '21-join-need-info.png'), fullPage: true })
    await p.getByTestId('status-answer-phone').fill('12345')
    await p.getByTestId('status-answer-phone').blur()
    await p
      .getByText(/手机号应为11位/)
      .first()
      .waitFor()
    await p.getByTestId('status-answer-phone').fill('')
    await p.getByTestId('status-answer-text').fill('印染二车间，工号 B-207')
    await p.getByTestId('status-answer-submit').click()
    await p.locator('[data-testid="status-view"][data-status="pending"]').waitFor()
    assert.equal(await p.getByTestId('status-answer').innerText(), '印染二车间，工号 B-207')
    await p.screenshot({ path: path.join(shotDir, '22-join-answered.png'), fullPage: true })

    // back in the queue, with the answer beside it; approved
    await d.reload()
    await row.waitFor()
    assert.match(await row.getByTestId('application-answer').innerText(), /B-207/)
    await d.screenshot({ path: path.join(shotDir, '23-review-answered.png') })
    await row.locator('[data-testid^="application-approve-"]').click()
    await d.getByTestId('application-decision-submit').click()
    await row.waitFor({ state: 'detached' })

    await p.getByTestId('status-refresh').click()
    await p.getByTestId('status-card').waitFor()
  })

  it('now a member, the worker is sent to sign in and asks for the transfer on the member side; withdraws, asks again; the receiving cadre accepts; the card verifies at the new union', async () => {
    await fillForm('万通建材有限')
    await p.getByTestId('join-submit').click()
    // a member: not taken as an applicant, but sent to sign in to ask for a transfer
    await p.getByTestId('join-transfer-offer').waitFor()
    const target = await p.getByTestId('join-transfer-union').innerText()
    assert.notEqual(target, firstUnion)
    assert.doesNotMatch(
      await p.getByTestId('join-transfer-offer').innerText(),
      new RegExp(firstUnion),
      'the page says where the person is a member',
    )
    await p.screenshot({ path: path.join(shotDir, '24-join-transfer-offer.png'), fullPage: true })
    await p.getByTestId('join-transfer-sign-in').click()
    // the member's sign-in: the phone on record and the code (the demo shows it), then 申请转会
    await p.waitForURL(/\/m\/login\?next=/)
    await p.getByTestId('m-login-phone').fill(mobile)
    await typeSmsCode(p, 'm-login-code')
    await p.getByTestId('m-login-submit').click()
    await p.waitForURL(`${server.url}/m/transfer`)
    const ask = async (reason: string) => {
      await p.getByTestId('m-transfer-search').fill('万通建材')
      const option = p.locator('[data-testid^="m-transfer-option-"]').first()
      await option.waitFor()
      assert.match(await option.innerText(), new RegExp(`转入「${target}」`))
      await option.click()
      assert.equal(await p.getByTestId('m-transfer-union').innerText(), target)
      await p.getByTestId('m-transfer-reason').fill(reason)
    }
    // no reason: refused on the page, naming the field
    await ask('')
    await p.getByTestId('m-transfer-submit').click()
    await p.getByText('请说明转会理由（至少2个字）').waitFor()
    await p.getByTestId('m-transfer-reason').fill('已调到万通建材工作')
    await p.screenshot({ path: path.join(shotDir, '25-m-transfer-request.png'), fullPage: true })
    await p.getByTestId('m-transfer-submit').click()
    const pending = p.locator('[data-testid^="m-transfer-"][data-status="pending"]')
    await pending.waitFor()
    assert.match(await pending.innerText(), new RegExp(`${firstUnion} → ${target}`))
    assert.match(await pending.innerText(), /本人申请/)
    await p.getByTestId('m-transfer-pending').waitFor()
    // withdrawn (after a confirmation), then asked again
    await pending.locator('[data-testid^="m-transfer-cancel-"]').click()
    await p.getByTestId('confirm-ok').click()
    await p.locator('[data-testid^="m-transfer-"][data-status="cancelled"]').waitFor()
    await ask('已调到万通建材工作，请接收')
    await p.getByTestId('m-transfer-submit').click()
    await p.locator('[data-testid^="m-transfer-"][data-status="pending"]').waitFor()
    await p.screenshot({ path: path.join(shotDir, '25b-m-transfer-pending.png'), fullPage: true })

    // the receiving side's review queue shows it as 会员申请转入
    await d.reload()
    const req = d.locator(`[data-testid="member-transfer-requests"] [data-name="${worker}"]`)
    await req.waitFor()
    assert.match(await req.innerText(), new RegExp(firstUnion))
    await d.screenshot({ path: path.join(shotDir, '26-review-member-transfer.png') })
    await req.locator('[data-testid^="member-transfer-accept-"]').click()
    await d.getByTestId('member-transfer-submit').click()
    try {
      await d.getByText(/已接收，/).waitFor()
      await req.waitFor({ state: 'detached' })
    } catch (e) {
      await d.screenshot({ path: path.join(shotDir, '26-review-member-transfer-failed.png') })
      throw e
    }

    // the member sees it accepted; 我的 shows the new union and the card verifies there
    await p.reload()
    await p.locator('[data-testid^="m-transfer-"][data-status="accepted"]').waitFor()
    await p.goto(`${server.url}/m`)
    await p.getByTestId('m-union').waitFor()
    assert.match(await p.getByTestId('m-union').innerText(), new RegExp(target))
    await p.screenshot({ path: path.join(shotDir, '27-m-transfer-card.png'), fullPage: true })
    const verifyUrl = await p.getByTestId('member-card-qr').getAttribute('data-qr-text')
    assert.ok(verifyUrl && verifyUrl.includes('/card/verify?token='))
    await p.goto(verifyUrl!)
    await p.locator('[data-testid="verify-result"][data-valid="true"]').waitFor()
    const verified = await p.getByTestId('verify-result').innerText()
    assert.match(verified, new RegExp(target), 'the card verifies at the new union')
    assert.doesNotMatch(verified, new RegExp(worker), 'the scanner learns no name')
    await p.screenshot({ path: path.join(shotDir, '28-card-verify-new-union.png'), fullPage: true })
  })
})
