import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, shotDir, signInOnPhone, startServer } from './harness.js'
import { DEMO_MEMBER_PHONE } from '../common/api-my.js'

/**
 * The member's phone app (会员端, 375 px) in Chromium against the real server with demo data: a
 * page of /m without a session leads to the sign-in; the demo member signs in with the code the demo
 * shows, sees the e-card, the union chain and the settings; a phone without membership signs in as an
 * applicant; signing out ends the session.
 */
describe('the member app on the phone: sign-in and 我的 (Chromium)', () => {
  let server: Awaited<ReturnType<typeof startServer>>
  let browser: Browser
  let phone: BrowserContext
  let p: Page

  before(async () => {
    fs.mkdirSync(shotDir, { recursive: true })
    server = await startServer()
    browser = await launchBrowser()
    phone = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
    p = await phone.newPage()
    p.setDefaultTimeout(20_000)
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('a page of the member app without a session leads to the sign-in, and back to it afterwards', async () => {
    await p.goto(`${server.url}/m/messages`)
    await p.waitForURL(/\/m\/login\?next=%2Fm%2Fmessages/)
    assert.match(await p.getByTestId('m-login-demo').innerText(), new RegExp(DEMO_MEMBER_PHONE))
    // a wrong code is refused in words, nobody signed in
    await p.getByTestId('m-login-phone').fill(DEMO_MEMBER_PHONE)
    await p.getByTestId('m-login-code-send').click()
    const code = await p.getByTestId('m-login-code-demo').innerText()
    await p.getByTestId('m-login-code').fill(code === '000000' ? '111111' : '000000')
    await p.getByTestId('m-login-submit').click()
    await p
      .getByText(/验证码/)
      .filter({ hasText: /错误|无效|不正确/ })
      .first()
      .waitFor()
    await p.getByTestId('m-login-code').fill(code)
    await p.getByTestId('m-login-submit').click()
    await p.waitForURL(`${server.url}/m/messages`)
    assert.equal(await p.getByTestId('m-title').innerText(), '消息')
  })

  it('the member sees the e-card, the union chain and the settings, and signs out', async () => {
    await p.getByRole('link', { name: /首页/ }).click()
    await p.getByTestId('member-card').waitFor()
    assert.match(await p.getByTestId('m-union').innerText(), /^嵊州市总工会 › .+ › .+/)
    assert.match(await p.getByTestId('m-card-valid').innerText(), /有效期至 \d{4}-\d{2}-\d{2}/)
    await p.screenshot({ path: path.join(shotDir, 'member-home.png'), fullPage: true })
    // the SMS choice is saved on the server (read back after a reload)
    const sw = p.getByTestId('m-sms-switch')
    assert.equal(await sw.getAttribute('aria-checked'), 'true')
    await sw.click()
    await p.waitForFunction(() => document.querySelector('[data-testid="m-sms-switch"]')?.getAttribute('aria-checked') === 'false')
    await p.reload()
    await p.getByTestId('member-card').waitFor()
    assert.equal(await p.getByTestId('m-sms-switch').getAttribute('aria-checked'), 'false')
    await p.getByTestId('m-sms-switch').click()
    await p.waitForFunction(() => document.querySelector('[data-testid="m-sms-switch"]')?.getAttribute('aria-checked') === 'true')
    // signing out asks first, then the session is over
    await p.getByTestId('m-sign-out').click()
    await p.getByTestId('confirm-ok').click()
    await p.waitForURL(/\/m\/login/)
    await p.goto(`${server.url}/m`)
    await p.waitForURL(/\/m\/login/)
  })

  it('a phone without membership signs in as an applicant and is shown the way to join', async () => {
    await signInOnPhone(p, server.url, '13912345678')
    await p.getByTestId('m-not-member').waitFor()
    assert.equal(await p.getByTestId('member-card').count(), 0)
    await p
      .getByTestId('m-not-member')
      .getByRole('link', { name: /网上入会/ })
      .click()
    await p.waitForURL(/\/join$/)
  })
})
