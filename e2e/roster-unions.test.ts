import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { cadreHeaders, launchBrowser, shotDir, signIn, startServer } from './harness.js'
import { makeResidentId } from '../common/id-card.js'

/**
 * A real roster holding several unions (issue 13 item 6), in Chromium against the real server with
 * demo data: 甘霖镇's cadre uploads one file whose 所属工会 column names a union of the town (by
 * name and by code), leaves one blank, and names one of 崇仁镇; the check lists that row with its
 * reason, the valid rows go in — each to the union it names — and the foreign row is never written.
 */
describe('roster import with a 所属工会 column (Chromium)', () => {
  let server: Awaited<ReturnType<typeof startServer>>
  let browser: Browser
  let page: Page
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-e2e-unions-'))
  const stamp = Date.now() % 100000

  const token = (username: string) => cadreHeaders(server.url, username)
  const get = async <T>(url: string, headers: Record<string, string>) => {
    const r = await fetch(`${server.url}${url}`, { headers })
    const text = await r.text()
    assert.equal(r.status, 200, `${url}: ${text}`)
    return JSON.parse(text) as T
  }
  /** a union below the account's own, not a town */
  const unionOf = async (username: string) => {
    const h = await token(username)
    const me = await get<{ scope: { orgId: number } }>('/api/auth/me', h)
    const list = await get<{ items: { id: number; code: string; name: string; status: string }[] }>(
      `/api/orgs?pageSize=200&parent=${me.scope.orgId}`,
      h,
    )
    const u = list.items.find((o) => o.status === 'active')
    assert.ok(u, `${username} has a union below`)
    return { ...u, top: me.scope.orgId, headers: h }
  }

  before(async () => {
    fs.mkdirSync(shotDir, { recursive: true })
    server = await startServer()
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    page.setDefaultTimeout(30_000)
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
    fs.rmSync(tmp, { recursive: true, force: true })
  })

  it('imports each row into the union it names; a union outside the town is an error row with its reason, never written', async () => {
    const own = await unionOf('ganlin')
    const other = await unionOf('chongren')
    const names = ['甲', '乙', '丙', '丁'].map((c) => `多会${c}${stamp}`.replace(/\d/g, (d) => '零一二三四五六七八九'[Number(d)]!))
    const ids = names.map((_, i) => makeResidentId('330683', `1987030${i + 1}`, 600 + (stamp % 300) + i))
    const file = [
      '姓名,身份证号码,所属工会',
      `${names[0]},${ids[0]},${own.name}`,
      `${names[1]},${ids[1]},`,
      `${names[2]},${ids[2]},${own.code}`,
      `${names[3]},${ids[3]},${other.name}`,
    ].join('\r\n')
    fs.writeFileSync(path.join(tmp, 'several.csv'), file + '\r\n')

    await signIn(page, server.url, 'ganlin')
    await page.waitForURL(/\/dashboard/)
    await page.getByTestId('menu-imports').click()
    await page.getByTestId('import-union-column-hint').waitFor()
    await page.getByTestId('import-upload').locator('input[type=file]').setInputFiles(path.join(tmp, 'several.csv'))
    await page.locator('[data-testid="import-job"][data-status="checked"]').waitFor()
    const problems = page.getByTestId('import-problems')
    await problems.getByText(`「${other.name}」不在您的管辖范围内`).first().waitFor()
    assert.match(await problems.innerText(), /所属工会/)
    assert.match(await page.getByTestId('import-valid').innerText(), /3/)
    assert.match(await page.getByTestId('import-errors').innerText(), /1/)
    assert.equal(await page.getByTestId('import-commit-all').isDisabled(), true)
    await page.screenshot({ path: path.join(shotDir, 'unions-01-problems.png'), fullPage: true })

    await page.getByTestId('import-commit-valid').click()
    await page.getByRole('button', { name: '确认导入' }).click()
    await page.locator('[data-testid="import-job"][data-status="done"]').waitFor()
    assert.match(await page.getByTestId('import-imported').innerText(), /3/)
    await page.screenshot({ path: path.join(shotDir, 'unions-02-done.png'), fullPage: true })

    // where each went: the named union, the chosen one (the town, the page's default), the named one by code; the foreign row nowhere
    const where = async (name: string) => {
      const r = await get<{ items: { name: string; unionId: number }[] }>(`/api/members?q=${encodeURIComponent(name)}`, own.headers)
      return r.items.find((m) => m.name === name)?.unionId
    }
    assert.equal(await where(names[0]!), own.id)
    assert.equal(await where(names[1]!), own.top)
    assert.equal(await where(names[2]!), own.id)
    const inOther = await get<{ items: { name: string }[] }>(`/api/members?q=${encodeURIComponent(names[3]!)}`, other.headers)
    assert.equal(inOther.items.length, 0, 'the row naming 崇仁镇’s union was not written')
  })
})
