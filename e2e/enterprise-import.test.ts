import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, shotDir, signIn, startServer } from './harness.js'
import { makeCreditCode, makeOrganizationCode } from '../common/credit-code.js'

/**
 * Bulk import of the enterprise register (issue 13 item 4), in Chromium against the real server
 * with demo data: 甘霖镇's cadre opens 批量导入 from the register, uploads a workbook whose one row
 * names 崇仁镇, sees that row's reason, downloads the error report (the row as written, with its
 * 问题说明), imports the valid rows and finds them in the register; the foreign row is never written.
 */
describe('enterprise register import (Chromium)', () => {
  let server: Awaited<ReturnType<typeof startServer>>
  let browser: Browser
  let page: Page
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-e2e-entimp-'))
  const stamp = Date.now() % 100000
  const tag = String(stamp).replace(/\d/g, (d) => '零一二三四五六七八九'[Number(d)]!)

  before(async () => {
    fs.mkdirSync(shotDir, { recursive: true })
    server = await startServer()
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true })
    page.setDefaultTimeout(30_000)
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
    fs.rmSync(tmp, { recursive: true, force: true })
  })

  it('uploads, shows the bad row, gives the report, imports the valid rows into the register', async () => {
    const code = (i: number) => makeCreditCode('9', '1', '330683', makeOrganizationCode(7_000_000 + stamp * 7 + i))
    const names = [`导入甲厂${tag}`, `导入乙厂${tag}`, `越界丙厂${tag}`]
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('用人单位')
    ws.addRow(['单位名称', '统一社会信用代码', '所在镇街', '单位性质', '职工人数', '联系人', '联系电话'])
    ws.addRow([names[0], code(1), '甘霖镇', '非公有制企业', 40, '钱七', '13912340001'])
    ws.addRow([names[1], code(2), '330683100', '非公有制企业', 12, '', ''])
    ws.addRow([names[2], code(3), '崇仁镇', '非公有制企业', 30, '', ''])
    const file = path.join(tmp, 'units.xlsx')
    await wb.xlsx.writeFile(file)

    await signIn(page, server.url, 'ganlin')
    await page.waitForURL(/\/dashboard/)
    await page.getByTestId('menu-enterprises').click()
    await page.getByTestId('enterprise-import-button').click()
    await page.getByTestId('enterprise-import-hint').waitFor()
    await page.screenshot({ path: path.join(shotDir, 'entimp-01-upload.png'), fullPage: true })
    await page.getByTestId('import-upload').locator('input[type=file]').setInputFiles(file)
    await page.locator('[data-testid="import-job"][data-status="checked"]').waitFor()
    const problems = page.getByTestId('import-problems')
    await problems.getByText('所在政区「崇仁镇」不在您的管辖范围内').first().waitFor()
    assert.match(await problems.innerText(), /所在镇街/)
    assert.match(await page.getByTestId('import-valid').innerText(), /2/)
    assert.match(await page.getByTestId('import-errors').innerText(), /1/)
    assert.equal(await page.getByTestId('import-commit-all').isDisabled(), true)
    await page.screenshot({ path: path.join(shotDir, 'entimp-02-problems.png'), fullPage: true })

    // the error report: the bad row as the file had it, its reason in the last column
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-report').click()])
    const saved = path.join(tmp, 'report.xlsx')
    await download.saveAs(saved)
    const rep = new ExcelJS.Workbook()
    await rep.xlsx.readFile(saved)
    const fix = rep.getWorksheet('待修改数据')!
    assert.equal(fix.getRow(1).getCell(8).value, '问题说明')
    assert.equal(fix.getRow(2).getCell(1).value, names[2])
    assert.match(String(fix.getRow(2).getCell(8).value), /所在镇街：.*不在您的管辖范围内/)
    assert.equal(fix.rowCount, 2)

    await page.getByTestId('import-commit-valid').click()
    await page.getByRole('button', { name: '确认导入' }).click()
    await page.locator('[data-testid="import-job"][data-status="done"]').waitFor()
    assert.match(await page.getByTestId('import-imported').innerText(), /2/)
    await page.screenshot({ path: path.join(shotDir, 'entimp-03-done.png'), fullPage: true })

    // in the register: the two valid units, the contact masked; the foreign row nowhere
    await page.getByRole('button', { name: '返回用人单位名录' }).click()
    await page.getByTestId('enterprise-table-search').fill(tag)
    await page.getByTestId('enterprise-name').filter({ hasText: names[0]! }).waitFor()
    // the search applied: this import's two units, and only they
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="enterprise-name"]').length === 2)
    const table = await page.getByTestId('enterprise-table').innerText()
    assert.ok(table.includes(names[1]!), table)
    assert.ok(!table.includes(names[2]!), 'the row naming 崇仁镇 was not written')
    await page.screenshot({ path: path.join(shotDir, 'entimp-04-register.png'), fullPage: true })
  })
})
