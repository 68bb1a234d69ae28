import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, PASSWORD, shotDir, signIn, signInOnPhone, startServer } from './harness.js'
import { DEMO_MEMBER_PHONE } from '../common/api-my.js'

/**
 * 活动与建议 on the dashboard (issue 11), in Chromium against the real server with demo data: the
 * city's cadre reads the group, an activity is published, the demo member signs up on the phone,
 * the activity takes place and the member is checked in and rates it; the dashboard then shows one
 * more activity held, one more member who took part (numerator and denominator), the attendance,
 * the rating and the share against the ≥ 50% goal, and the proposals chart.
 */
describe('dashboard: activities and proposals (Chromium)', () => {
  let server: Awaited<ReturnType<typeof startServer>>
  let browser: Browser
  let d: Page
  let m: Page
  let token = ''
  const title = `职工趣味运动会${Date.now() % 10000}`
  const hour = 3600_000
  const at = (h: number) => new Date(Date.now() + h * hour).toISOString()

  const api = async (method: string, url: string, body?: object) => {
    const r = await fetch(`${server.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await r.text()
    assert.ok(r.ok, `${method} ${url}: ${r.status} ${text}`)
    return JSON.parse(text)
  }
  const text = async (id: string) => (await d.getByTestId(id).innerText()).trim()
  const fractionOf = async (id: string) => (await text(id)).split('/').map((s) => Number(s.replace(/[,\s]/g, '')))

  before(async () => {
    fs.mkdirSync(shotDir, { recursive: true })
    server = await startServer()
    browser = await launchBrowser()
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    const phone = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
    d = await desk.newPage()
    m = await phone.newPage()
    for (const p of [d, m]) p.setDefaultTimeout(30_000)
    const r = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'shengzhou', password: PASSWORD }),
    })
    token = (await r.json()).token
    assert.ok(token)
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  let held0 = 0
  let took0: number[] = []

  it('the dashboard shows the group: figures with numerator and denominator, the goal, the proposals chart', async () => {
    await signIn(d, server.url, 'shengzhou')
    await d.getByTestId('dashboard-activities').waitFor()
    await d.getByTestId('activity-activities-value').waitFor()
    held0 = Number(await text('activity-activities-value'))
    took0 = await fractionOf('activity-participation_rate-fraction')
    assert.ok(took0[1]! > 0, 'the members of the city are the denominator')
    await d.getByTestId('activity-member_origin_rate').getByText('目标 ≥50%').waitFor()
    await d.getByTestId('dashboard-proposals-chart').locator('canvas').first().waitFor()
  })

  it('after an activity is held and attended, the dashboard shows it at once', async () => {
    const a = await api('POST', '/api/activities', {
      title,
      body: '拔河、跳绳、接力。',
      place: '市职工文化中心',
      startsAt: at(48),
      endsAt: at(50),
      capacity: 50,
      signupOpens: at(-1),
      signupCloses: at(24),
      cancelDeadline: at(24),
      audience: 'subtree',
      origin: 'suggestion',
    })
    await api('POST', `/api/activities/${a.id}/publish`)
    // the member signs up on the phone
    await signInOnPhone(m, server.url, DEMO_MEMBER_PHONE, '/m/activities')
    await m.locator(`[data-testid="m-activity"][data-title="${title}"]`).click()
    await m.getByTestId('m-sign-up').click()
    const code = await m.getByTestId('m-checkin-code').innerText()
    // not held yet: published for the day after tomorrow
    await d.reload()
    await d.getByTestId('activity-activities-value').waitFor()
    assert.equal(Number(await text('activity-activities-value')), held0)
    // it takes place (the organizers record its time) and the member is checked in, then rates it
    await api('PATCH', `/api/activities/${a.id}`, {
      startsAt: at(-1),
      endsAt: at(-0.5),
      signupOpens: at(-3),
      signupCloses: at(-2),
      cancelDeadline: at(-2),
    })
    await api('POST', `/api/activities/${a.id}/check-in`, { checkInCode: code })
    await m.reload()
    await m.getByTestId('m-rating').waitFor()
    await m.getByTestId('m-rate').getByRole('radio', { name: '4 星' }).click()
    await m.getByTestId('m-rating-submit').click()
    await m.getByTestId('m-rating').getByText('感谢您的评价').waitFor()

    await d.reload()
    await d.getByTestId('activity-activities-value').waitFor()
    assert.equal(Number(await text('activity-activities-value')), held0 + 1)
    const took = await fractionOf('activity-participation_rate-fraction')
    assert.deepEqual(took, [took0[0]! + 1, took0[1]])
    assert.match(await d.getByTestId('activity-activities').innerText(), /参与 \d+ 人次/)
    const origin = await fractionOf('activity-member_origin_rate-fraction')
    assert.ok(origin[0]! >= 1 && origin[1] === held0 + 1, `member origin ${origin.join('/')}`)
    if (held0 === 0) {
      // the only activity came from a member suggestion: 100%, the goal met, rated 4
      assert.equal(await text('activity-member_origin_rate-value'), '100.0%')
      assert.equal(await text('activity-member_origin_rate-goal'), '已达标')
      assert.equal(await text('activity-rating-value'), '4.0')
    }
    // the same figures in the detail table
    await d.getByTestId('dashboard-indicator-activities').waitFor()
    await d.getByTestId('dashboard-activities').scrollIntoViewIfNeeded()
    await d.getByTestId('dashboard-activities').screenshot({ path: path.join(shotDir, 'dashboard-activities.png') })
  })
})
