import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { EnterpriseView, Page as ApiPage } from '../common/api.js'
import { launchBrowser, PASSWORD, pickOption, shotDir, signIn, startServer } from './harness.js'

/**
 * The enterprise register for outreach (issue 13 item 4), in Chromium against the real server
 * with demo data: the city cadre filters by town, sees the unit's people masked and reveals one
 * with a reason, closes (注销) a unit that owes a union — it leaves 应建未建 at once, keeps its
 * row and history — and sees 应建未建 by town.
 */
describe('the city closes a unit: it leaves 应建未建 (Chromium)', () => {
  let server: Awaited<ReturnType<typeof startServer>>
  let browser: Browser
  let page: Page
  let firm: EnterpriseView
  const shot = (n: string) => page.screenshot({ path: path.join(shotDir, `enterprise-close-${n}.png`), fullPage: true })
  const api = async <T>(url: string): Promise<T> => {
    const r = await page.request.get(`${server.url}${url}`)
    assert.ok(r.ok(), `${url}: ${r.status()} ${await r.text()}`)
    return (await r.json()) as T
  }
  const dueTotal = async () => (await api<ApiPage<EnterpriseView>>('/api/enterprises?shouldHaveUnion=true&pageSize=1')).total

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

  it("filters the register by town; the unit's people are masked and revealed with a reason", async () => {
    await signIn(page, server.url, 'shengzhou')
    await page.waitForURL(/\/dashboard/)
    // a unit of 甘霖镇 that owes a union, the largest; its people registered (through the API, as a town would)
    const ganlinTown = (await api<{ code: string; name: string }[]>('/api/regions?parent=330683')).find((r) => r.name === '甘霖镇')!
    const due = await api<ApiPage<EnterpriseView>>(`/api/enterprises?shouldHaveUnion=true&regionCode=${ganlinTown.code}&pageSize=1`)
    firm = due.items[0]!
    const token = await (
      await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'shengzhou', password: PASSWORD }),
      })
    ).json()
    const patched = await fetch(`${server.url}/api/enterprises/${firm.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${(token as { token: string }).token}` },
      body: JSON.stringify({ legalRep: '钱建国', contactName: '孙丽', contactPhone: '13957512345' }),
    })
    assert.equal(patched.status, 200, await patched.text())

    await page.goto(`${server.url}/enterprises`)
    await pickOption(page, 'enterprise-table-town', '甘霖镇')
    await page.getByTestId('enterprise-table-search').fill(firm.name)
    const row = page.getByTestId(`enterprise-row-${firm.id}`)
    await row.waitFor()
    assert.match(await row.getByTestId('enterprise-town').innerText(), /甘霖镇/)
    await row.getByTestId('enterprise-name').click()
    const drawer = page.getByTestId('enterprise-detail')
    await drawer.waitFor()
    assert.match(await drawer.getByTestId('enterprise-legalRep').innerText(), /钱\*\*/)
    assert.match(await drawer.getByTestId('enterprise-contactPhone').innerText(), /139\*\*\*\*2345/)
    assert.ok(!(await drawer.innerText()).includes('钱建国'))
    await drawer.getByTestId('enterprise-reveal-legalRep').click()
    await page.getByTestId('reveal-reason').fill('联系该单位商谈建会')
    await page
      .getByRole('button', { name: '查 看' })
      .or(page.getByRole('button', { name: '查看', exact: true }))
      .click()
    assert.equal(await page.getByTestId('reveal-value').innerText(), '钱建国')
    await shot('01-revealed')
    await page.keyboard.press('Escape')
    await page.keyboard.press('Escape')
  })

  it('注销 from today: the unit leaves 应建未建, keeps its row marked and its history', async () => {
    const before = await dueTotal()
    const row = page.getByTestId(`enterprise-row-${firm.id}`)
    await row.getByTestId(`enterprise-close-${firm.id}`).click()
    await page.getByTestId('enterprise-status-ok').click()
    await page.getByText(`已将${firm.name}标为注销`).waitFor()
    await row.getByTestId('enterprise-status').waitFor()
    assert.match(await row.getByTestId('enterprise-status').innerText(), /注销/)
    assert.equal(await dueTotal(), before - 1)
    const view = await api<EnterpriseView>(`/api/enterprises/${firm.id}`)
    assert.deepEqual([view.status, view.dueReasons.length], ['deregistered', 0])
    await shot('02-closed')

    // 应建未建 no longer lists it; the summary by town is there
    await page.goto(`${server.url}/due`)
    await page.getByTestId('due-by-town').locator('canvas').waitFor()
    await page
      .getByTestId('due-total')
      .getByText(String(before - 1))
      .waitFor()
    const searched = page.waitForResponse((r) => r.url().includes('/api/enterprises?') && r.url().includes('q='))
    await page.getByTestId('due-table-search').fill(firm.name)
    const found = (await (await searched).json()) as ApiPage<EnterpriseView>
    assert.ok(!found.items.some((e) => e.id === firm.id), 'the closed unit is not in 应建未建')
    assert.equal(await page.getByTestId(`due-row-${firm.id}`).count(), 0)
    await page.waitForTimeout(500) // the chart's animation, for the picture only
    await shot('03-due')

    // the register keeps it, with its history
    await page.goto(`${server.url}/enterprises`)
    await page.getByTestId('enterprise-table-search').fill(firm.name)
    await page.getByTestId(`enterprise-row-${firm.id}`).getByTestId('enterprise-name').click()
    await page.getByTestId('enterprise-history').waitFor()
    assert.match(await page.getByTestId('enterprise-history').innerText(), /注销/)
    await shot('04-history')
  })
})
