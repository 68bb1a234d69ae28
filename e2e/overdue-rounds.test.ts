import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { TodoCounts } from '../common/todo.js'
import type { RoundBoard } from '../common/forms.js'
import { cadreHeaders, launchBrowser, shotDir, signIn, startServer } from './harness.js'

/**
 * Overdue reporting rounds in 待办 (issue 13 items 12 and 8), in Chromium against the real server:
 * the city opens 附件1 for its towns due today, 甘霖镇 submits in time; then the day passes — the
 * same data served again a day later (the server's time zone moved from UTC−12 to UTC+14: its
 * 'today' is always a later date) — and the towns that did not submit are 逾期: the city's 待办
 * panel and menu badge count them and lead to the board on that batch, which prints as an A4 sheet;
 * a late town's 待办 shows its own overdue round.
 */
describe('overdue rounds in 待办, the board and its print (Chromium)', () => {
  let server: Awaited<ReturnType<typeof startServer>>
  let browser: Browser
  let page: Page
  let asOf: string
  let towns: number
  const shot = (n: string, fullPage = false) => page.screenshot({ path: path.join(shotDir, `overdue-${n}.png`), fullPage })
  const token = (username: string) => cadreHeaders(server.url, username)
  const call = async <T>(method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<T> => {
    const r = await fetch(`${server.url}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await r.text()
    assert.ok(r.ok, `${method} ${url}: ${r.status} ${text}`)
    return JSON.parse(text) as T
  }
  const login = async (username: string) => {
    await page.context().clearCookies()
    await signIn(page, server.url, username)
    await page.waitForURL(/\/dashboard/)
  }

  before(async () => {
    fs.mkdirSync(shotDir, { recursive: true })
    // the first day: UTC−12
    server = await startServer({ env: { GONGHUI_TIMEZONE: 'Etc/GMT+12' } })
    const city = await token('shengzhou')
    const empty = await call<RoundBoard>('GET', '/api/report-rounds/board', city)
    const today = empty.today
    const children = await call<{ items: { id: number; isRegional: boolean }[] }>(
      'GET',
      '/api/orgs?pageSize=200&parent=' + (await root(city)),
      city,
    )
    const townIds = children.items.filter((o) => o.isRegional).map((o) => o.id)
    assert.ok(townIds.length >= 10, `towns: ${townIds.length}`)
    asOf = today
    const opened = await call<{ created: number; ids: number[] }>('POST', '/api/report-rounds', city, {
      form: 'form1',
      asOf,
      orgIds: townIds,
      deadline: today,
    })
    towns = opened.created
    const ganlin = await token('ganlin')
    const own = await call<{ items: { id: number }[] }>('GET', '/api/report-rounds', ganlin)
    await call('POST', `/api/report-rounds/${own.items[0]!.id}/submit`, ganlin, {})
    // not late yet: due today
    const t = await call<TodoCounts>('GET', '/api/todo', city)
    assert.equal(t.overdueRoundsBelow, 0)
    // the next day: the same data, UTC+14
    const dataDir = server.dataDir
    await server.stop({ keep: true })
    server = await startServer({ dataDir, env: { GONGHUI_TIMEZONE: 'Etc/GMT-14' } })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN' })
    page.setDefaultTimeout(20_000)
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  async function root(h: Record<string, string>) {
    const me = await call<{ scope: { orgId: number } }>('GET', '/api/auth/me', h)
    return me.scope.orgId
  }

  it("counts the towns that did not submit in time in the city's 待办 and menu badge, and leads to their batch", async () => {
    await login('shengzhou')
    const counts = (await (await page.request.get(`${server.url}/api/todo`)).json()) as TodoCounts
    assert.equal(counts.overdueRoundsBelow, towns - 1, 'every town but 甘霖镇 is late')
    assert.equal(counts.menu.rounds, counts.roundsToSubmit + counts.roundsToApprove + counts.overdueRoundsBelow)

    // a later batch, opened today and not late, is the board's latest: 待办 still leads to the late one
    const city = await token('shengzhou')
    const children = await call<{ items: { id: number; isRegional: boolean }[] }>(
      'GET',
      '/api/orgs?pageSize=200&parent=' + (await root(city)),
      city,
    )
    const town = children.items.find((o) => o.isRegional)!.id
    const today = (await call<RoundBoard>('GET', '/api/report-rounds/board', city)).today
    assert.ok(today > asOf, `a later day: ${today} after ${asOf}`)
    await call('POST', '/api/report-rounds', city, { form: 'form2', asOf: today, orgIds: [town], deadline: today })
    assert.equal((await call<RoundBoard>('GET', '/api/report-rounds/board', city)).batch?.asOf, today, 'the later batch is the latest')

    await page.getByTestId('menu-todo').click()
    await page.waitForURL(/\/todo$/)
    const line = page.getByTestId('todo-overdueRoundsBelow')
    assert.equal(await line.locator('.todo-count').innerText(), String(towns - 1))
    assert.match((await line.getAttribute('class')) ?? '', /todo-line-urgent/)
    const badge = await page.getByTestId('menu-badge-forms').locator('.ant-scroll-number').getAttribute('title')
    const now = (await (await page.request.get(`${server.url}/api/todo`)).json()) as TodoCounts
    assert.equal(badge, String(now.menu.rounds))
    await shot('01-todo')

    await line.click()
    await page.waitForURL(/\/forms\?tab=board&overdue=1$/)
    await page.getByTestId('round-board').waitFor()
    await page
      .locator('[data-testid="board-batch"]')
      .filter({ hasText: `截止时间 ${asOf}` })
      .waitFor()
    assert.match(await page.getByTestId('board-count-overdue').innerText(), new RegExp(`逾期\\s*${towns - 1}\\s*个`))
    assert.match(await page.getByTestId('board-batch').innerText(), new RegExp(`${towns - 1} 个逾期`))
    await page.getByTestId('board-bar').locator('canvas').waitFor()
    await page.waitForTimeout(600) // the bar's animation, for the picture only
    await shot('02-board')
  })

  it('prints the board: the batch and every unit on A4, without the menu', async () => {
    await page.getByTestId('board-print').waitFor()
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')))
    await page.emulateMedia({ media: 'print' })
    await page.getByTestId('print-root').getByTestId('board-sheet').waitFor()
    assert.ok(await page.locator('.app-layout').isHidden(), 'the menu and the tree are printed')
    assert.equal(await page.getByTestId('board-sheet-row').count(), towns, 'every unit printed')
    assert.match(await page.getByTestId('board-sheet-counts').innerText(), new RegExp(`共 ${towns} 个单位[\\s\\S]*逾期 ${towns - 1} 个`))
    // nothing in the sheet wider than its cell, the table inside the page
    const bad = await page.evaluate(() => {
      const out: string[] = []
      for (const c of document.querySelectorAll<HTMLElement>('.print-root .board-sheet th, .print-root .board-sheet td'))
        if (c.scrollWidth > c.clientWidth + 1) out.push(c.innerText)
      return out
    })
    assert.deepEqual(bad, [])
    await shot('03-board-print', true)
    const pdf = (await page.pdf({ preferCSSPageSize: true, printBackground: true })).toString('latin1')
    const m = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf)
    assert.deepEqual([Math.round(Number(m?.[1])), Math.round(Number(m?.[2]))], [595, 842], 'A4 portrait')
    await page.emulateMedia({ media: 'screen' })
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')))
    await page.getByTestId('print-root').waitFor({ state: 'detached' })
  })

  it("a late town's 待办 shows its own overdue round, leading to it", async () => {
    await login('chongren')
    const counts = (await (await page.request.get(`${server.url}/api/todo`)).json()) as TodoCounts
    assert.equal(counts.overdueRoundsToSubmit, 1)
    await page.getByTestId('todo-panel').waitFor()
    const line = page.getByTestId('todo-overdueRoundsToSubmit')
    assert.equal(await line.locator('.todo-count').innerText(), '1')
    await shot('04-town-dashboard')
    await line.click()
    await page.waitForURL(/\/forms\?tab=rounds$/)
    await page.getByTestId('round-overdue').first().waitFor()
  })
})
