import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, shotDir, signIn, signInOnPhone, startServer } from './harness.js'
import { DEMO_MEMBER_PHONE } from '../common/api-my.js'

/**
 * Activities in Chromium against the real server with demo data: the city union's cadre publishes
 * an activity; the demo member signs in on the phone (375 px) with the code the demo shows, signs
 * up in one tap and shows the QR code; a cadre checks them in on the phone-sized page by the typed
 * code (a second time says 已签到); the member rates; the organizer sees it.
 */
describe('activities: publish, sign up on the phone, check in, rate (Chromium)', () => {
  let server: Awaited<ReturnType<typeof startServer>>
  let browser: Browser
  let desk: BrowserContext
  let phone: BrowserContext
  let cadrePhone: BrowserContext
  let d: Page
  let m: Page
  let c: Page
  let activityPath = ''
  let code = ''
  const title = `职工健步走${Date.now() % 10000}`

  const login = async (page: Page) => {
    await signIn(page, server.url, 'shengzhou')
    await page.getByTestId('login-submit').waitFor({ state: 'detached' })
  }

  before(async () => {
    fs.mkdirSync(shotDir, { recursive: true })
    server = await startServer()
    browser = await launchBrowser()
    desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    phone = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
    cadrePhone = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
    d = await desk.newPage()
    m = await phone.newPage()
    c = await cadrePhone.newPage()
    for (const p of [d, m, c]) p.setDefaultTimeout(30_000)
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('the organizer creates the activity and publishes it', async () => {
    await login(d)
    // the top menu folds its last entries at this width (the lead moves 活动 into the side menu)
    await d.goto(`${server.url}/activities`)
    await d.getByTestId('activities-page').waitFor()
    await d.getByTestId('activity-new').click()
    await d.getByTestId('activity-title').fill(title)
    await d.getByTestId('activity-place').fill('剡溪绿道')
    await d.getByTestId('activity-capacity').fill('20')
    await d.getByTestId('activity-save').click()
    await d.getByTestId('activity-page').waitFor()
    activityPath = new URL(d.url()).pathname
    assert.match(activityPath, /^\/activities\/\d+$/)
    await d.getByTestId('activity-publish').click()
    await d.locator('.ant-popconfirm .ant-btn-primary').click()
    await d.getByText('已发布').first().waitFor()
  })

  it('the member signs in on the phone with the code, signs up in one tap and shows the QR code', async () => {
    await signInOnPhone(m, server.url, DEMO_MEMBER_PHONE, '/m/activities')
    await m.locator(`[data-testid="m-activity"][data-title="${title}"]`).click()
    assert.equal(await m.getByTestId('m-activity-title').innerText(), title)
    await m.getByTestId('m-sign-up').click()
    await m.getByTestId('m-checkin-qr').waitFor()
    assert.match(await m.getByTestId('m-registration-status').innerText(), /已报名/)
    code = await m.getByTestId('m-checkin-code').innerText()
    assert.match(code, /^\d+-\d{10}$/)
    await m.screenshot({ path: path.join(shotDir, 'activity-member-qr.png'), fullPage: true })
  })

  it('a cadre checks the member in on the phone-sized page by the typed code; a second time says 已签到', async () => {
    await login(c)
    await c.goto(`${server.url}/checkin${activityPath.replace('/activities', '')}`)
    await c.getByTestId('checkin-page').waitFor()
    await c.getByTestId('checkin-code').fill(code)
    await c.getByTestId('checkin-submit').click()
    await c.getByTestId('checkin-result').getByText('签到成功').first().waitFor()
    await c.screenshot({ path: path.join(shotDir, 'activity-checkin.png'), fullPage: true })
    await c.getByTestId('checkin-code').fill(code)
    await c.getByTestId('checkin-submit').click()
    await c.getByTestId('checkin-result').getByText('无需重复签到').waitFor()
    // no horizontal scrolling at 375 px
    assert.ok(await c.evaluate(() => document.documentElement.scrollWidth <= 375))
  })

  it('the member sees the check-in and rates the activity; the organizer sees it', async () => {
    await m.reload()
    await m.getByTestId('m-rating').waitFor()
    await m.getByTestId('m-rate').getByRole('radio', { name: '5 星' }).click()
    await m.getByTestId('m-rating-comment').fill('路线很美，组织有序')
    await m.getByTestId('m-rating-submit').click()
    await m.getByTestId('m-rating').getByText('感谢您的评价').waitFor()
    await m.screenshot({ path: path.join(shotDir, 'activity-member-rated.png'), fullPage: true })
    await d.reload()
    await d.getByTestId('activity-page').waitFor()
    await d.locator('[data-testid="registration-row"]').getByText('路线很美，组织有序').waitFor()
    assert.match(await d.getByTestId('activity-stat-平均评分').innerText(), /5\.0/)
    assert.match(await d.getByTestId('activity-stat-签到').innerText(), /1/)
    await d.getByTestId('activity-ratings').locator('canvas').first().waitFor()
    await d.screenshot({ path: path.join(shotDir, 'activity-organizer.png'), fullPage: true })
  })
})
