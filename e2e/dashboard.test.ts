import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import type { Browser, Download, Page } from 'playwright-core'
import type { StatsPanel } from '../common/stats.js'
import { INITIAL_PASSWORD, launchBrowser, PASSWORD, shotDir, signIn, startServer } from './harness.js'

/**
 * The dashboard (工作台) as the city cadre uses it, in Chromium against the real server with demo
 * data: it is the landing page; the key figures are the API's; a lagging town in the ranking
 * opens that town's dashboard (the URL carries it, Back goes up again); its 应建未建 list; an
 * export of the town's form (or of the ranking) is a real xlsx naming the town; the wall screen.
 */
describe('the city cadre reads the dashboard and drills down to a lagging town (Chromium)', () => {
  let server: Awaited<ReturnType<typeof startServer>>
  const cspViolations: string[] = []
  let browser: Browser
  let page: Page
  let town: { id: number; name: string }
  const shot = async (n: string) => {
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: path.join(shotDir, `dashboard-${n}.png`), fullPage: true })
  }
  const fmt = (n: number | null) => (n === null ? '—' : n.toLocaleString('zh-CN'))
  const api = async <T>(url: string): Promise<T> => {
    const r = await page.request.get(`${server.url}${url}`)
    assert.equal(r.status(), 200, `${url}: ${await r.text()}`)
    return (await r.json()) as T
  }
  /** waits until the element's text (spaces removed) is `want` (polled in the page, 10 s at most) */
  const textOf = async (testid: string, want: string) => {
    const reached = await page
      .waitForFunction(
        ([id, w]) => (document.querySelector(`[data-testid="${id}"]`) as HTMLElement | null)?.innerText.replace(/\s/g, '') === w,
        [testid, want] as const,
        { timeout: 10_000 },
      )
      .then(() => true)
      .catch(() => false)
    if (!reached) assert.equal((await page.getByTestId(testid).innerText()).replace(/\s/g, ''), want, testid)
  }
  /**
   * For screenshots only (they decide no result): waits until every chart canvas shows the same
   * pixels on two looks 100 ms apart, i.e. its animation has ended; after 10 s the picture is taken anyway.
   */
  const chartsStill = () =>
    page
      .waitForFunction(
        () => {
          const w = window as unknown as { __chartPixels?: string }
          const now = [...document.querySelectorAll('canvas')].map((c) => c.toDataURL()).join('|')
          const same = w.__chartPixels === now
          w.__chartPixels = now
          return same
        },
        undefined,
        { polling: 100, timeout: 10_000 },
      )
      .catch(() => {})
  const figure = (p: StatsPanel, key: string) => p.indicators.find((i) => i.key === key)!
  /** the key figures on screen are the API's numbers, numerator and denominator */
  const checkFigures = async (org?: number) => {
    const p = await api<StatsPanel>(`/api/stats/panel${org ? `?org=${org}` : ''}`)
    const due = await api<{ total: number }>(`/api/enterprises/due-summary?org=${p.org.id}`)
    await page.getByTestId('dashboard-title').getByText(p.org.name).waitFor()
    await textOf('kpi-unions-value', `${fmt(figure(p, 'unions').numerator)}家`)
    await textOf('kpi-members-value', `${fmt(figure(p, 'members').numerator)}人`)
    const rate = figure(p, 'member_rate')
    assert.match(await page.getByTestId('kpi-member-rate-sub').innerText(), new RegExp(`${fmt(rate.numerator)} / ${fmt(rate.denominator)}`))
    const real = figure(p, 'realname_rate')
    assert.match(
      await page.getByTestId('kpi-realname-rate-sub').innerText(),
      new RegExp(`${fmt(real.numerator)} / ${fmt(real.denominator)}`),
    )
    const np25 = figure(p, 'union_rate.np25')
    assert.match(await page.getByTestId('union-rate-np25').innerText(), new RegExp(`${fmt(np25.numerator)} / ${fmt(np25.denominator)}`))
    await textOf('kpi-due-value', `${fmt(due.total)}家`)
    return { panel: p, due }
  }

  before(async () => {
    fs.mkdirSync(shotDir, { recursive: true })
    server = await startServer({ firstLogin: ['shengzhou'] })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true })
    page.setDefaultTimeout(20_000)
    // the Content-Security-Policy must let the built app run: any violation is a failure
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text())
    })
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it("sets a new password at first login, then lands on the dashboard, with the API's key figures", async () => {
    await page.goto(server.url)
    await page.getByTestId('login-username').fill('shengzhou')
    await page.getByTestId('login-password').fill(INITIAL_PASSWORD)
    await page.getByTestId('login-submit').click()
    // a demo account's first password must be changed before anything else
    await page.getByTestId('password-change-page').waitFor()
    await page.getByTestId('password-current').fill(INITIAL_PASSWORD)
    await page.getByTestId('password-new').fill('Shengzhou-2026!x')
    await page.getByTestId('password-confirm').fill('Shengzhou-2026!x')
    await page.getByTestId('password-submit').click()
    await page.getByText('密码不能包含用户名或姓名').waitFor()
    await page.getByTestId('password-new').fill(PASSWORD)
    await page.getByTestId('password-confirm').fill(PASSWORD)
    await page.getByTestId('password-submit').click()
    await page.waitForURL(/\/dashboard/)
    const { panel } = await checkFigures()
    assert.equal(panel.org.name, '嵊州市总工会')
    // every chart drew
    for (const id of ['dashboard-trend-chart', 'dashboard-ranking-chart', 'dashboard-joint-chart', 'dashboard-due-chart']) {
      await page.getByTestId(id).locator('canvas').first().waitFor()
    }
    await chartsStill()
    await shot('01-city')
    assert.deepEqual(cspViolations, [])
  })

  it("clicks a lagging town in the ranking: the town's dashboard, a shareable URL, Back goes up", async () => {
    // the chart: its last bar is the last of the ranking, a lagging one (grid top 22 px, x axis 24 px)
    const ranking = await api<{ rows: { org: { id: number; name: string }; lagging: boolean }[] }>(
      '/api/stats/ranking?indicator=member_rate',
    )
    const last = ranking.rows.at(-1)!
    assert.ok(last.lagging, 'the last of the ranking is flagged lagging')
    const chart = page.getByTestId('dashboard-ranking-chart')
    await chart.scrollIntoViewIfNeeded()
    const box = (await chart.boundingBox())!
    const band = (box.height - 22 - 24) / ranking.rows.length
    await page.mouse.click(box.x + 150, box.y + 22 + (ranking.rows.length - 0.5) * band)
    await page.waitForURL(new RegExp(`[?&]org=${last.org.id}\\b`))
    await page.getByTestId('dashboard-title').getByText(last.org.name).waitFor()
    await page.goBack()
    await page.getByTestId('dashboard-title').getByText('嵊州市总工会').waitFor()

    // the table
    await page.getByTestId('dashboard-ranking-view').getByText('表').click()
    const lagging = page.locator('[data-testid^="dashboard-ranking-row-"][data-lagging="true"]').first()
    await lagging.waitFor()
    town = {
      id: Number((await lagging.getAttribute('data-testid'))!.replace('dashboard-ranking-row-', '')),
      name: (await lagging.getAttribute('data-name'))!,
    }
    assert.match(await lagging.innerText(), /末位/)
    await shot('02-ranking-table')
    await lagging.getByTestId(`dashboard-ranking-link-${town.id}`).click()
    await page.waitForURL(new RegExp(`[?&]org=${town.id}\\b`))
    await checkFigures(town.id)
    // the breadcrumb leads back to the city
    await page.getByTestId('dashboard-breadcrumb').getByText('嵊州市总工会').waitFor()
    await page.getByTestId(`dashboard-crumb-${town.id}`).getByText(town.name).waitFor()
    await chartsStill()
    await shot('03-town')

    await page.goBack()
    await page.getByTestId('dashboard-title').getByText('嵊州市总工会').waitFor()
    await page.goForward()
    await page.getByTestId('dashboard-title').getByText(town.name).waitFor()
    // a bookmarked drill-down opens as it was
    await page.goto(`${server.url}/dashboard?org=${town.id}`)
    await checkFigures(town.id)
  })

  it("opens the town's 应建未建 list from its dashboard", async () => {
    const due = await api<{ total: number }>(`/api/enterprises/due-summary?org=${town.id}`)
    assert.ok(due.total > 0, 'the demo town has enterprises that should have a union')
    await page.getByTestId('kpi-due').click()
    await page.waitForURL(/\/due$/)
    await page.getByTestId('due-page').waitFor()
    await page.getByTestId('scope-switch').getByText(`${town.name}及下级`).waitFor()
    await page.getByTestId('due-total').getByText(String(due.total)).waitFor()
    await page.locator('[data-testid^="due-row-"]').first().waitFor()
    await shot('04-town-due')
    await page.goBack()
    await page.getByTestId('dashboard-title').getByText(town.name).waitFor()
  })

  it("exports the town's form as an xlsx that names the town", async () => {
    const forms = await page.request.get(`${server.url}/api/forms`)
    let download: Download
    if (forms.ok() && (await forms.json()).some((f: { code: string }) => f.code === 'form1')) {
      await page.getByTestId('dashboard-forms').click()
      const wait = page.waitForEvent('download')
      await page.getByTestId('dashboard-form-export-form1').click()
      download = await wait
    } else {
      // without the forms module: the town's ranking table, built in the browser
      const wait = page.waitForEvent('download')
      await page.getByTestId('dashboard-ranking-export').click()
      download = await wait
    }
    assert.match(download.suggestedFilename(), /\.xlsx$/)
    const file = path.join(shotDir, `dashboard-export-${download.suggestedFilename()}`)
    await download.saveAs(file)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
    const text = wb.worksheets.flatMap((ws) => ws.getSheetValues().flat().map(String)).join('\n')
    assert.ok(text.includes(town.name), `the export names ${town.name}`)
    fs.rmSync(file)
  })

  it('exports the ranking table built in the browser: a valid xlsx with numerator and denominator', async () => {
    const wait = page.waitForEvent('download')
    await page.getByTestId('dashboard-ranking-export').click()
    const download = await wait
    const file = path.join(shotDir, 'dashboard-export-ranking.xlsx')
    await download.saveAs(file)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
    const ws = wb.worksheets[0]!
    assert.equal(ws.name, '下级排名')
    assert.match(String(ws.getCell('A1').value), new RegExp(town.name))
    assert.deepEqual((ws.getRow(3).values as unknown[]).slice(1), ['排名', '单位', '代码', '分子', '分母', '比率(%)', '末位'])
    const ranking = await api<{ rows: { org: { name: string }; numerator: number; denominator: number | null }[] }>(
      `/api/stats/ranking?org=${town.id}&indicator=member_rate`,
    )
    assert.equal(ws.rowCount, 3 + ranking.rows.length)
    if (ranking.rows[0]) {
      assert.equal(ws.getCell('B4').value, ranking.rows[0].org.name)
      assert.equal(ws.getCell('D4').value, ranking.rows[0].numerator)
      assert.equal(ws.getCell('E4').value, ranking.rows[0].denominator)
    }
    fs.rmSync(file)
  })

  it('shows the city on a 1920×1080 wall screen', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 })
    await page.goto(`${server.url}/dashboard?wall=1`)
    await page.getByTestId('dashboard-title').getByText('数据看板').waitFor()
    await page.getByTestId('dashboard-ranking-chart').locator('canvas').first().waitFor()
    await chartsStill()
    await page.screenshot({ path: path.join(shotDir, 'dashboard-05-wall.png') })
    await page.getByTestId('dashboard-wall').click()
    await page.waitForURL((u) => !u.search.includes('wall'))
    await page.getByTestId('dashboard-breadcrumb').waitFor()
  })

  it('shows a town cadre the plan the city set, split down to the town, with the town’s progress', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const town = await context.newPage()
    town.setDefaultTimeout(20_000)
    await signIn(town, server.url, 'ganlin')
    await town.getByTestId('dashboard-title').waitFor()
    // the first count target against the town's share, as the API gives it
    const target = town.locator('[data-testid^="dashboard-plan-target-"]').first()
    await target.waitFor()
    assert.doesNotMatch(await town.getByTestId('dashboard-plan').innerText(), /无在期计划/)
    const key = (await target.getAttribute('data-testid'))!.replace('dashboard-plan-target-', '')
    const call = async <T>(url: string) => (await town.evaluate(async (u) => (await fetch(u, { credentials: 'include' })).json(), url)) as T
    const me = await call<{ user: { orgId: number } }>('/api/auth/me')
    const plans = await call<{ items: { id: number; org: { id: number }; startOn: string; endOn: string }[] }>(
      `/api/plans?org=${me.user.orgId}`,
    )
    const today = new Date().toISOString().slice(0, 10)
    const cityPlan = plans.items.find((p) => p.org.id !== me.user.orgId && p.startOn <= today && today <= p.endOn)
    assert.ok(cityPlan, 'the town reads no plan in force set above it')
    const progress = await call<{ own: { key: string; target: number | null; numerator: number }[] }>(
      `/api/plans/${cityPlan.id}/progress?org=${me.user.orgId}`,
    )
    const t = progress.own.find((x) => x.key === key)!
    assert.ok(t.target !== null, 'the city plan is not split down to the town')
    assert.match(await target.innerText(), new RegExp(`${fmt(t.numerator)}\\s*/\\s*${fmt(t.target)}`))
    await town.screenshot({ path: path.join(shotDir, 'dashboard-06-town-plan.png') })
    await context.close()
  })

  it('a page of another of the 三员, opened by its address, says so and leads back', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', acceptDownloads: true })
    const auditor = await context.newPage()
    auditor.setDefaultTimeout(20_000)
    await signIn(auditor, server.url, 'auditor')
    await auditor.waitForURL(/\/admin\/audit/)
    for (const page of ['/admin/roles', '/admin/users']) {
      await auditor.goto(`${server.url}${page}`)
      await auditor.getByTestId('not-your-page').waitFor()
      assert.match(await auditor.getByTestId('not-your-page').innerText(), /审计管理员/)
    }
    await auditor.screenshot({ path: path.join(shotDir, 'admin-01-not-your-page.png') })
    await auditor.getByTestId('not-your-page-back').click()
    await auditor.waitForURL(/\/admin\/audit/)
    await auditor.getByTestId('not-your-page').waitFor({ state: 'detached' })
    // the log in words: no action code, no chain id, no raw target type on the page
    const table = auditor.locator('[data-testid="audit-page"] .ant-table-tbody')
    await table.locator('tr.ant-table-row').first().waitFor()
    const shown = await table.innerText()
    assert.doesNotMatch(shown, /\b(login|user|member|org|enterprise)\.[a-z_]+\b|org:\d|\b(report_round|import_job)\b/, shown.slice(0, 300))
    assert.match(shown, /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/)
    await auditor.screenshot({ path: path.join(shotDir, 'admin-02-audit.png') })
    // and its export, as filtered
    const [download] = await Promise.all([auditor.waitForEvent('download'), auditor.getByTestId('audit-export').click()])
    const file = path.join(os.tmpdir(), `audit-${Date.now()}.xlsx`)
    await download.saveAs(file)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(file)
    assert.equal(wb.worksheets[0]!.name, '审计日志')
    assert.equal(wb.worksheets[0]!.getCell('E1').value, '操作')
    assert.ok(wb.worksheets[0]!.rowCount > 3)
    fs.rmSync(file)
    await context.close()
  })
})
