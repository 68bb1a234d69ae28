import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { dropdownOpened, launchBrowser, PASSWORD, pickOption, shotDir, startServer } from './harness.js'
import { makeCreditCode, makeOrganizationCode } from '../common/credit-code.js'

/**
 * The first slice as a town cadre uses it, in Chromium against the real server with demo data:
 * log in → the union tree → register an enterprise of 30 workers → it is on the 应建未建 list →
 * create a joint union covering it → it is listed under the joint union and the reason changes.
 */
describe('a town cadre organizes an enterprise (Chromium)', () => {
  let server: Awaited<ReturnType<typeof startServer>>
  let browser: Browser
  let page: Page
  const name = `嵊州市甘霖测试${Date.now() % 100000}电器有限公司`
  const code = makeCreditCode('9', '1', '330683', makeOrganizationCode(77_000_000 + (Date.now() % 1_000_000)))
  const shot = (n: string) => page.screenshot({ path: path.join(shotDir, `${n}.png`), fullPage: false })

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

  it('refuses a wrong password in Chinese, then logs in and shows the town union tree', async () => {
    await page.goto(server.url)
    await page.getByTestId('login-username').fill('ganlin')
    await page.getByTestId('login-password').fill('wrong-password')
    await page.getByTestId('login-submit').click()
    await page.getByTestId('login-error').getByText('用户名或密码错误').waitFor()
    await page.getByTestId('login-password').fill(PASSWORD)
    await page.getByTestId('login-submit').click()
    await page.getByTestId('org-tree').getByText('甘霖镇总工会').waitFor()
    const tree = await page.getByTestId('org-tree').innerText()
    assert.doesNotMatch(tree, /崇仁镇/, 'a town cadre sees only their own town')
    await shot('01-tree')
  })

  it('registers an enterprise of 30 workers and finds it on the 应建未建 list', async () => {
    await page.getByTestId('menu-enterprises').click()
    await page.getByTestId('enterprise-create-button').click()
    await page.getByTestId('enterprise-form-name').fill(name)
    // a wrong check character is caught before anything is sent
    await page.getByTestId('enterprise-form-creditCode').fill(code.slice(0, 17) + (code[17] === '0' ? '1' : '0'))
    await page.getByTestId('enterprise-form-creditCode').blur()
    await page
      .getByText(/校验位不符/)
      .first()
      .waitFor()
    await page.getByTestId('enterprise-form-creditCode').fill(code)
    for (let attempt = 0; attempt < 5 && !(await page.getByTestId('enterprise-form-region').innerText()).includes('甘霖镇'); attempt++) {
      await page.getByTestId('enterprise-form-region').click()
      // the menu is open and lists the town (rather than a fixed pause for it to open)
      const town = page.locator('.ant-cascader-menu-item').filter({ hasText: '甘霖镇' }).first()
      await town.waitFor()
      await dropdownOpened(page)
      await town.click({ force: true })
      await page.keyboard.press('Escape')
    }
    await pickOption(page, 'enterprise-form-nature', '非公有制企业')
    await page.getByTestId('enterprise-form-employees').fill('30')
    await shot('02-enterprise-form')
    await page.getByTestId('enterprise-form-submit').click()
    try {
      await page.getByTestId('enterprise-form').waitFor({ state: 'hidden' })
    } catch (e) {
      await shot('02b-enterprise-form-refused')
      const errors = await page.locator('.ant-form-item-explain-error, .ant-message-notice').allInnerTexts()
      throw new Error(`the form stayed open: ${errors.join(' | ')}`)
    }

    await page.getByTestId('menu-due').click()
    await page.getByTestId('due-table-search').fill(name)
    const reasons = page.locator(`[data-name="${name}"]`).getByTestId('due-reasons')
    await reasons.getByText('25人以上未建会').waitFor()
    await shot('03-due-before')
  })

  it('creates a joint union covering it: listed under the joint union, reason "25人以上应单独建会"', async () => {
    await page.getByTestId('menu-orgs').click()
    await page.getByTestId('org-create-joint-button').click()
    await page.getByTestId('org-form-name').fill(`${name.slice(3, 9)}联合工会`)
    await page.getByTestId('org-form-jointCategory-industrial_park').click()
    await page.getByTestId('enterprise-picker-search').fill(name)
    await page.getByTestId('enterprise-picker').locator('[data-testid^="enterprise-picker-row-"]').filter({ hasText: name }).first().click()
    await page
      .getByTestId('enterprise-picker-count')
      .getByText(/已选 1 家/)
      .waitFor()
    await shot('04-joint-form')
    await page.getByTestId('org-form-submit').click()
    await page.getByTestId('org-enterprise-table').getByText(name, { exact: true }).waitFor()
    await shot('05-joint-union')

    await page.getByTestId('menu-due').click()
    await page.getByTestId('scope-switch').getByText('全部管辖范围').click()
    await page.getByTestId('due-table-search').fill(name)
    const reasons = page.locator(`[data-name="${name}"]`).getByTestId('due-reasons')
    await reasons.getByText('25人以上应单独建会').waitFor()
    assert.doesNotMatch(await reasons.innerText(), /25人以上未建会/)
    await shot('06-due-after')
  })
})
