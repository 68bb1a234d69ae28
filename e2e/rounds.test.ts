import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { RoundBoard } from '../common/forms.js'
import { cadreHeaders, launchBrowser, shotDir, signIn, startServer } from './harness.js'

/**
 * Reporting rounds with a deadline (issue 13 item 8), in Chromium against the real server with
 * demo data: the city opens 附件1 for its towns with a 报送截止日期, 甘霖镇 submits, the board
 * shows every town's state (counts, bar, table), and 催报 reaches the towns that have not
 * submitted — once a day.
 */
describe('the city opens a round with a deadline, watches the board and sends 催报 (Chromium)', () => {
  let server: Awaited<ReturnType<typeof startServer>>
  let browser: Browser
  let page: Page
  const shot = (n: string) => page.screenshot({ path: path.join(shotDir, `rounds-${n}.png`), fullPage: true })
  const token = (username: string) => cadreHeaders(server.url, username)
  const board = async () => {
    const r = await page.request.get(`${server.url}/api/report-rounds/board`)
    assert.equal(r.status(), 200)
    return (await r.json()) as RoundBoard
  }
  const count = (state: string) => page.getByTestId(`board-count-${state}`).innerText()

  before(async () => {
    fs.mkdirSync(shotDir, { recursive: true })
    server = await startServer()
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    page.setDefaultTimeout(20_000)
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('opens 附件1 for every town with a 报送截止日期', async () => {
    await signIn(page, server.url, 'shengzhou')
    await page.waitForURL(/\/dashboard/)
    await page.goto(`${server.url}/forms?tab=board`)
    await page.getByTestId('board-empty').waitFor()
    await page.goto(`${server.url}/forms?tab=rounds`)
    await page.getByTestId('round-new').click()
    // the deadline is asked for, a week ahead by default
    const deadline = page.locator('input[data-testid="round-deadline"], [data-testid="round-deadline"] input')
    await deadline.waitFor()
    const due = await deadline.inputValue()
    assert.match(due, /^\d{4}-\d{2}-\d{2}$/)
    await page.locator('.ant-checkbox-wrapper').nth(1).waitFor()
    await page.getByTestId('round-open-submit').click()
    await page.getByText(/已发起 \d+ 个单位的填报/).waitFor()
    const b = await board()
    assert.ok(b.items.length >= 10, `a round per town: ${b.items.length}`)
    assert.equal(b.batch?.deadline, due)
    assert.equal(b.counts.open, b.items.length)
  })

  it('甘霖镇 submits; the board shows each town at a glance; 催报 goes to those that have not', async () => {
    const ganlin = await token('ganlin')
    const own = (await (await fetch(`${server.url}/api/report-rounds`, { headers: ganlin })).json()) as { items: { id: number }[] }
    const sub = await fetch(`${server.url}/api/report-rounds/${own.items[0]!.id}/submit`, { method: 'POST', headers: ganlin, body: '{}' })
    assert.equal(sub.status, 200, await sub.text())

    await page.getByTestId('forms-tab-board').click()
    await page.getByTestId('round-board').waitFor()
    await page.getByTestId('board-bar').locator('canvas').waitFor()
    const b = await board()
    assert.equal(b.counts.submitted, 1)
    assert.match(await count('submitted'), /已提交\s*1\s*个/)
    assert.match(await count('open'), new RegExp(`未填\\s*${b.items.length - 1}\\s*个`))
    assert.match(await page.getByTestId('board-deadline').innerText(), new RegExp(b.batch!.deadline!))
    // the submitted town is listed, not chased
    const ganlinRow = page.getByTestId(`board-row-${own.items[0]!.id}`)
    assert.match(await ganlinRow.innerText(), /甘霖镇总工会[\s\S]*已提交/)
    assert.equal(await page.getByTestId(`board-remind-${own.items[0]!.id}`).count(), 0)
    await page.waitForTimeout(600) // the bar's animation, for the picture only
    await shot('01-board')

    await page.getByTestId('board-remind').click()
    await page.getByTestId('board-remind-ok').click()
    await page.getByText(`已向 ${b.items.length - 1} 个单位发送催报`).waitFor()
    await page.getByText('今日已催报').first().waitFor()
    assert.equal(await page.getByTestId('board-remind').count(), 0, 'no second 催报 the same day')

    // 崇仁镇's cadres have the message, 甘霖镇's not
    const chongren = await token('chongren')
    const msgs = (await (await fetch(`${server.url}/api/messages`, { headers: chongren })).json()) as {
      items: { kind: string; title: string; link: string }[]
    }
    const m = msgs.items.find((x) => x.kind === 'round_reminder')
    assert.ok(m, 'chongren got 催报')
    assert.match(m.title, /催报：附件1/)
    const gmsgs = (await (await fetch(`${server.url}/api/messages`, { headers: ganlin })).json()) as { items: { kind: string }[] }
    assert.equal(gmsgs.items.filter((x) => x.kind === 'round_reminder').length, 0)
    await shot('02-reminded')
  })
})
