import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import type { TodoCounts } from '../common/todo.js'
import type { AllocationLevel, PlanSummary } from '../common/plans.js'
import { splitByWeights } from '../common/split.js'
import { GROUPS_PER_SHEET, type FormTable } from '../common/forms.js'
import { launchBrowser, shotDir, signIn, startServer } from './harness.js'

/** Every entry of the side menu, as the city cadre has it. */
const ENTRIES = [
  'dashboard',
  'todo',
  'orgs',
  'enterprises',
  'due',
  'members',
  'applications',
  'transfers',
  'imports',
  'plans',
  'forms',
  'activities',
  'proposals',
]

/**
 * The cadre's daily work (issue 13): the grouped side menu holds every entry at the usual
 * government laptop's 1280 × 720 and at 1920 × 1080; the menu and the union tree fold away; the
 * 待办 panel's counts are the API's, each line leads to its page, and the menu carries the badges.
 */
describe("the cadre's daily work: side menu, 待办 (Chromium)", () => {
  let server: Awaited<ReturnType<typeof startServer>>
  let browser: Browser
  let page: Page
  const shot = (n: string, fullPage = false) => page.screenshot({ path: path.join(shotDir, `daily-${n}.png`), fullPage })
  const api = async <T>(url: string): Promise<T> => {
    const r = await page.request.get(`${server.url}${url}`)
    assert.equal(r.status(), 200, `${url}: ${await r.text()}`)
    return (await r.json()) as T
  }

  before(async () => {
    fs.mkdirSync(shotDir, { recursive: true })
    server = await startServer()
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN', acceptDownloads: true })
    page.setDefaultTimeout(20_000)
    await signIn(page, server.url, 'shengzhou')
    await page.waitForURL(/\/dashboard/)
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  /** every entry lies inside the window, none hidden behind an overflow "···" nor cut off */
  const everyEntryVisible = async (size: string) => {
    const { width, height } = page.viewportSize()!
    for (const key of ENTRIES) {
      const item = page.getByTestId(`menu-${key}`)
      await item.waitFor()
      const box = await item.boundingBox()
      assert.ok(box, `${key} has no box at ${size}`)
      assert.ok(
        box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height,
        `${key} lies outside ${size}: ${JSON.stringify(box)}`,
      )
    }
    assert.equal(await page.locator('.ant-menu-overflow-item-rest:visible').count(), 0, `an overflow "···" at ${size}`)
  }

  it('holds every menu entry at 1280 × 720, grouped, and opens each page from it', async () => {
    await page.getByTestId('dashboard-title').waitFor()
    await everyEntryVisible('1280×720')
    const groups = await page.locator('.side-menu .ant-menu-item-group-title').allInnerTexts()
    assert.deepEqual(groups, ['工作台', '组织建设', '会员管理', '统计报表', '会员服务'])
    await shot('01-layout-1280')
    for (const [key, url] of [
      ['enterprises', /\/enterprises$/],
      ['imports', /\/imports$/],
      ['plans', /\/plans$/],
      ['forms', /\/forms$/],
      ['orgs', /\/orgs\/\d+$/],
    ] as const) {
      await page.getByTestId(`menu-${key}`).click()
      await page.waitForURL(url)
      const label = await page.getByTestId(`menu-${key}`).innerText()
      await page.locator('.side-menu .ant-menu-item-selected').filter({ hasText: label }).waitFor()
    }
  })

  it('folds the union tree and the menu away, and keeps them folded', async () => {
    await page.getByTestId('org-tree').waitFor()
    const wide = (await page.locator('.app-content').boundingBox())!.width
    await page.getByTestId('tree-fold').click()
    await page.getByTestId('tree-unfold').waitFor()
    assert.equal(await page.getByTestId('org-tree').count(), 0)
    await page.getByTestId('menu-fold').click()
    await page.locator('.side-menu.ant-layout-sider-collapsed').waitFor()
    // the sider folds with a motion: wait for the content to take the room (it fails after the timeout)
    await page
      .waitForFunction((w) => document.querySelector('.app-content')!.getBoundingClientRect().width > w + 300, wide, { timeout: 10_000 })
      .catch(async () => {
        const wider = (await page.locator('.app-content').boundingBox())!.width
        assert.fail(`the content grew from ${wide} to ${wider}, not by more than 300 px`)
      })
    await shot('02-folded-1280')
    await page.reload()
    await page.getByTestId('tree-unfold').waitFor()
    await page.locator('.side-menu.ant-layout-sider-collapsed').waitFor()
    await page.getByTestId('tree-unfold').click()
    await page.getByTestId('menu-fold').click()
    await page.getByTestId('org-tree').waitFor()
    await page.locator('.side-menu:not(.ant-layout-sider-collapsed)').waitFor()
  })

  it('at 1920 × 1080 too', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 })
    await page.getByTestId('menu-dashboard').click()
    await page.getByTestId('dashboard-title').waitFor()
    await everyEntryVisible('1920×1080')
    await shot('03-layout-1920')
    await page.setViewportSize({ width: 1280, height: 720 })
  })

  it("shows the 待办 panel with the API's counts, each line leading to its page, and the menu's badges", async () => {
    const counts = await api<TodoCounts>('/api/todo')
    await page.getByTestId('menu-todo').click()
    await page.waitForURL(/\/todo$/)
    for (const key of [
      'applications',
      'overdueApplications',
      'transfers',
      'roundsToSubmit',
      'roundsToApprove',
      'unreadMessages',
    ] as const) {
      assert.equal(await page.getByTestId(`todo-${key}`).locator('.todo-count').innerText(), String(counts[key]), key)
    }
    if (counts.menu.total > 0) {
      const title = await page.getByTestId('menu-badge-todo').locator('.ant-scroll-number').getAttribute('title')
      assert.equal(title, String(counts.menu.total))
    }
    await shot('04-todo', true)
    await page.getByTestId('todo-applications').click()
    await page.waitForURL(/\/applications$/)
    await page.goBack()
    await page.getByTestId('todo-overdueApplications').click()
    await page.waitForURL(/\/applications\?overdue=1$/)
    await page.getByTestId('menu-dashboard').click()
    await page.getByTestId('todo-panel').waitFor()
    await shot('05-dashboard-todo')
  })

  it("splits a target automatically in proportion to the towns' members: a preview, the remainder placed, the total kept", async () => {
    const plans = await api<{ items: PlanSummary[] }>('/api/plans')
    const plan = plans.items.find((p) => p.editable)!
    const level = await api<AllocationLevel>(`/api/plans/${plan.id}/allocations`)
    const key = Object.keys(level.totals).find((k) => (level.totals[k] ?? 0) > 0)!
    const total = level.totals[key]!
    await page.goto(`${server.url}/plans/${plan.id}?tab=allocation`)
    await page.getByTestId('auto-split').click()
    await page.getByTestId('auto-split-modal').waitFor()
    await page.getByTestId('auto-split-basis-members').click()
    const expected = splitByWeights(
      total,
      level.rows.map((r) => r.basis.members),
    ).shares
    const shown = (await page.getByTestId(`auto-split-${key}`).allInnerTexts()).map((t) => Number(t.replace(/,/g, '')))
    assert.deepEqual(shown, expected)
    assert.equal(Number((await page.getByTestId(`auto-split-sum-${key}`).innerText()).replace(/,/g, '')), total)
    await shot('06-auto-split')
    await page.getByTestId('auto-split-apply').click()
    await page.getByTestId('auto-split-modal').waitFor({ state: 'detached' })
    const fmt = total.toLocaleString('zh-CN')
    assert.equal((await page.getByTestId(`alloc-sum-${key}`).innerText()).replace(/\s/g, ''), `${fmt}/${fmt}`)
    await page.getByTestId('alloc-save').click()
    await page.getByText('分解已保存').waitFor()
    const saved = await api<AllocationLevel>(`/api/plans/${plan.id}/allocations`)
    assert.deepEqual(
      saved.rows.map((r) => r.values[key]),
      expected,
    )
  })

  /** no header or body cell of the form's tables is wider inside than its box (overlapping text), no table wider than the page */
  const nothingOverflows = async (root: string) => {
    const r = await page.evaluate((sel) => {
      const bad: string[] = []
      const cells = [...document.querySelectorAll<HTMLElement>(`${sel} .form-grid th, ${sel} .form-grid td`)]
      for (const c of cells) if (c.scrollWidth > c.clientWidth + 1) bad.push(`${c.innerText} ${c.scrollWidth}>${c.clientWidth}`)
      // in print the tables fit the page; in the page the sheets scroll sideways inside their box, which fits the window
      const page = document.documentElement.clientWidth
      const boxes = sel === '.print-root' ? '.print-root .form-grid' : '.form-scroll'
      for (const t of document.querySelectorAll<HTMLElement>(boxes))
        if (t.getBoundingClientRect().right > page + 1) bad.push(`${boxes} ends at ${t.getBoundingClientRect().right} > ${page}`)
      return { bad, cells: cells.length }
    }, root)
    assert.ok(r.cells > 0, `no cells in ${root}`)
    assert.deepEqual(r.bad, [])
  }
  /** the page size the PDF print of the page uses (points), from its first /MediaBox */
  const pdfPageSize = async () => {
    const pdf = (await page.pdf({ preferCSSPageSize: true, printBackground: true })).toString('latin1')
    const m = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf)
    assert.ok(m, 'no MediaBox in the PDF')
    return { width: Math.round(Number(m[1])), height: Math.round(Number(m[2])), pages: (pdf.match(/\/Type\s*\/Page\b/g) ?? []).length }
  }

  it('lays the monitoring table out as printed: A3 landscape sheets, the region column repeated, nothing overlapping, in the page and in print', async () => {
    const t = await api<FormTable>('/api/forms/monitoring')
    assert.equal(t.paper, 'a3-landscape')
    const sheets = Math.ceil(t.groups!.length / GROUPS_PER_SHEET)
    await page.goto(`${server.url}/forms?form=monitoring`)
    await page.getByTestId('form-paper').waitFor()
    await page.locator('[data-testid="form-print"]:not([disabled])').waitFor()
    assert.equal(await page.locator('.form-paper .form-sheet').count(), sheets)
    // each sheet starts with the region column
    for (let i = 1; i <= sheets; i++)
      assert.equal((await page.getByTestId(`form-sheet-${i}`).locator('th.caption').innerText()).replace(/\s/g, ''), '地区')
    await nothingOverflows('.form-paper')
    await page.getByTestId('form-paper').hover()
    assert.ok(await page.getByTestId('form-print').isEnabled(), '打印 is disabled')
    assert.doesNotMatch((await page.getByTestId('form-export').getAttribute('class')) ?? '', /disabled/, '导出Excel is disabled')
    await shot('07-monitoring-page')

    // print, as the 打印 button does (its window.print() would open the dialog): the form alone on A3 landscape
    await page.setViewportSize({ width: 1512, height: 1069 })
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')))
    await page.emulateMedia({ media: 'print' })
    await page.getByTestId('print-root').locator('.form-paper').waitFor()
    assert.ok(await page.locator('.app-layout').isHidden(), 'the menu and the tree are printed')
    await nothingOverflows('.print-root')
    await shot('08-monitoring-print', true)
    const size = await pdfPageSize()
    assert.deepEqual([size.width, size.height], [1191, 842], 'A3 landscape')
    assert.ok(size.pages >= sheets, `${size.pages} pages for ${sheets} sheets`)
    await page.emulateMedia({ media: 'screen' })
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')))
    await page.setViewportSize({ width: 1280, height: 720 })
  })

  it('prints 附件1 on A4 portrait from its 打印 button', async () => {
    await page.goto(`${server.url}/forms?form=form1`)
    await page.getByTestId('form-paper').waitFor()
    await page.getByTestId('form-print').waitFor()
    assert.ok(await page.getByTestId('form-print').isEnabled())
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')))
    await page.emulateMedia({ media: 'print' })
    await page.getByTestId('print-root').locator('.form-paper').waitFor()
    const size = await pdfPageSize()
    assert.deepEqual([size.width, size.height], [595, 842], 'A4 portrait')
    await page.emulateMedia({ media: 'screen' })
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')))
  })
})
