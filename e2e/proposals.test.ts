import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchBrowser, PASSWORD, shotDir, signIn, startServer } from './harness.js'
import { makeResidentId } from '../common/id-card.js'

/**
 * 建议 · 打call in Chromium against the real server with demo data: a member proposes on the phone
 * (375×812); other members' supports (through the API) reach a threshold the town lowered to 3;
 * the cadre answers in the browser and records progress; the member sees the answer and progress.
 */
describe('proposals: a member proposes, supports reach the threshold, the cadre answers (Chromium)', () => {
  let server: Awaited<ReturnType<typeof startServer>>
  let browser: Browser
  let phone: BrowserContext
  let desk: BrowserContext
  let p: Page
  let d: Page
  let cadre = ''
  const stamp = Date.now() % 100000
  const mobiles = [0, 1, 2, 3].map((i) => `137${String(stamp * 10 + i).padStart(8, '0')}`)
  const tokens: string[] = []
  let proposalId = 0
  const title = `厂区增设夜班班车${stamp}`

  const json = async (method: string, url: string, body?: unknown, token?: string) => {
    const r = await fetch(`${server.url}/api${url}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    })
    const text = await r.text()
    if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${text}`)
    return JSON.parse(text)
  }
  /** a member signs in with the code the demo shows (no SMS gateway): the phone session's token */
  const memberToken = async (phoneNo: string) => {
    const code = await json('POST', '/public/sign-in/code', { phone: phoneNo })
    assert.match(code.demoCode, /^\d{6}$/)
    return (await json('POST', '/public/sign-in', { phone: phoneNo, smsCode: code.demoCode })).token as string
  }

  before(async () => {
    fs.mkdirSync(shotDir, { recursive: true })
    server = await startServer()
    browser = await launchBrowser()
    phone = await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
    desk = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    p = await phone.newPage()
    d = await desk.newPage()
    p.setDefaultTimeout(20_000)
    d.setDefaultTimeout(30_000)
    // 甘霖镇's cadre registers four workers of one of its grassroots unions and lowers the threshold to 3
    cadre = (await json('POST', '/auth/login', { username: 'ganlin', password: PASSWORD })).token
    const me = await json('GET', '/auth/me', undefined, cadre)
    const unions = await json('GET', `/orgs?parent=${me.scope.orgId}&pageSize=100`, undefined, cadre)
    const union = unions.items.find((o: { isRegional: boolean; status: string }) => !o.isRegional && o.status === 'active')
    assert.ok(union, 'a grassroots union in 甘霖镇')
    for (const [i, m] of mobiles.entries())
      await json(
        'POST',
        '/members',
        {
          name: ['宋建华', '陈晓燕', '王立军', '李春梅'][i],
          documentType: 'resident_id',
          documentNumber: makeResidentId('330683', `1990010${i + 1}`, 100 + (stamp % 800)),
          phone: m,
          unionId: union.id,
        },
        cadre,
      )
    await json('PUT', '/proposals/rules', { level: 'grassroots', threshold: 3, answerDays: 5, periodDays: 30 }, cadre)
    for (const m of mobiles) tokens.push(await memberToken(m))
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  /** the phone browser signed in as a member: the session cookie the sign-in sets (path /api) */
  const asMember = async (token: string) => {
    await phone.clearCookies()
    await phone.addCookies([{ name: 'gh_member', value: token, url: `${server.url}/api`, httpOnly: true, sameSite: 'Strict' }])
  }

  it('a member proposes on the phone; two supports through the API and one tap in the browser reach the lowered threshold', async () => {
    await asMember(tokens[0]!)
    await p.goto(`${server.url}/m/proposals`)
    await p.getByTestId('m-proposal-new').click()
    await p.getByTestId('m-proposal-title').fill(`${title}（草稿）`)
    await p.getByTestId('m-proposal-body').fill('夜班下班已过末班公交，建议工会协调企业开通夜班班车，保障职工安全回家。')
    await p.getByTestId('m-proposal-category').selectOption({ label: '福利关爱' })
    await p.screenshot({ path: path.join(shotDir, '63-m-proposal-new.png'), fullPage: true })
    await p.getByTestId('m-proposal-submit').click()
    await p.getByTestId('m-proposal-heading').waitFor()
    proposalId = Number(/\/m\/proposals\/(\d+)/.exec(p.url())![1])
    assert.match(await p.getByTestId('m-proposal-supports').innerText(), /0\s*\/\s*3 人支持/)
    // no support yet: the author edits it (编辑)
    await p.getByTestId('m-proposal-edit').click()
    await p.getByTestId('m-proposal-edit-title').fill(title)
    await p.getByTestId('m-proposal-edit-body').fill('夜班22点下班已过末班公交，建议工会协调企业开通夜班班车，保障职工安全回家。')
    await p.screenshot({ path: path.join(shotDir, '63b-m-proposal-edit.png'), fullPage: true })
    await p.getByTestId('m-proposal-edit-save').click()
    await p.waitForURL(`${server.url}/m/proposals/${proposalId}`)
    assert.equal(await p.getByTestId('m-proposal-heading').innerText(), title)
    const answers = []
    for (const t of tokens.slice(1, 3)) answers.push(await json('POST', `/my/proposals/${proposalId}/support`, undefined, t))
    assert.deepEqual(
      answers.map((a) => a.outcome),
      ['added', 'added'],
    )
    // the third taps 打call on the phone: the threshold is reached
    await asMember(tokens[3]!)
    await p.goto(`${server.url}/m/proposals`)
    await p.getByTestId(`m-proposal-${proposalId}`).click()
    await p.getByTestId('m-proposal-support').click()
    await p.getByTestId('m-proposal-supported').waitFor()
    assert.match(await p.getByTestId('m-proposal-supports').innerText(), /3\s*\/\s*3 人支持/)
    assert.match(await p.getByTestId('m-proposal-status').innerText(), /待答复/)
    await p.screenshot({ path: path.join(shotDir, '64-m-proposal-reached.png'), fullPage: true })
    // supported now: the author finds it frozen, no 编辑; the edit page refuses, saying why
    await asMember(tokens[0]!)
    await p.goto(`${server.url}/m/proposals/${proposalId}`)
    await p.getByTestId('m-proposal-heading').waitFor()
    assert.equal(await p.getByTestId('m-proposal-edit').count(), 0)
    await p.goto(`${server.url}/m/proposals/${proposalId}/edit`)
    await p.getByTestId('m-proposal-edit-refused').waitFor()
    assert.match(await p.getByTestId('m-proposal-edit-refused').innerText(), /已有会员支持这条建议，内容已冻结/)
    assert.equal(await p.getByTestId('m-proposal-edit-save').count(), 0)
    // a save a support overtook (sent as the page would): refused with the same words
    const late = await fetch(`${server.url}/api/my/proposals/${proposalId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[0]}` },
      body: JSON.stringify({ title: '改晚了', body: '夜班下班已过末班公交，建议开通夜班班车。', category: 'welfare' }),
    })
    assert.equal(late.status, 409)
    assert.match((await late.json()).error.message, /已有会员支持这条建议，内容已冻结，不能再修改/)
  })

  it('the cadre sees it in the queue, answers it and records progress in the browser', async () => {
    await signIn(d, server.url, 'ganlin')
    await d.getByTestId('org-tree').waitFor()
    // (the top menu's last entries fold into its overflow at this width: the lead places 建议 at merge)
    await d.goto(`${server.url}/proposals`)
    await d.getByTestId('proposals-page').waitFor()
    // the queue follows the union chosen in the organization tree (the cadre's own town at first)
    assert.match(await d.getByTestId('proposals-org').innerText(), /甘霖镇总工会及下级/)
    const row = d.getByTestId(`proposal-row-${proposalId}`)
    await row.waitFor()
    assert.match(await row.innerText(), /3 \/ 3 人支持/)
    assert.match(await row.innerText(), /待答复/)
    await d.screenshot({ path: path.join(shotDir, '60-proposals-queue.png') })
    await d.getByTestId(`proposal-link-${proposalId}`).click()
    await d.getByTestId('proposal-page').waitFor()
    await d.getByTestId('proposal-answer').click()
    await d.getByTestId('answer-reply').fill('已纳入本年度工作计划，与企业协商开通22:30夜班班车。')
    await d.getByTestId('answer-submit').click()
    await d.getByTestId('proposal-answer-text').waitFor()
    await d.getByTestId('proposal-progress').click()
    await d.getByTestId('progress-percent').fill('60')
    await d.getByTestId('progress-note').fill('企业已同意，班车线路已确定，下月试运行。')
    await d.getByTestId('progress-submit').click()
    await d.getByTestId('proposal-progress-entries').waitFor()
    assert.match(await d.getByTestId('proposal-progress-entries').innerText(), /60%/)
    await d.screenshot({ path: path.join(shotDir, '61-proposal-answered.png'), fullPage: true })
    await d.goto(`${server.url}/proposals`)
    await d.getByTestId('proposals-tab-plan').click()
    await d.getByTestId(`plan-row-${proposalId}`).waitFor()
    assert.match(await d.getByTestId(`plan-row-${proposalId}`).innerText(), /办理中/)
    await d.screenshot({ path: path.join(shotDir, '62-proposals-work-plan.png') })
  })

  it('the member sees the answer and the progress on the phone', async () => {
    await asMember(tokens[0]!)
    await p.goto(`${server.url}/m/proposals/${proposalId}`)
    await p.getByTestId('m-proposal-answer').waitFor()
    assert.match(await p.getByTestId('m-proposal-answer').innerText(), /夜班班车/)
    assert.match(await p.getByTestId('m-proposal-progress').innerText(), /60%/)
    assert.match(await p.getByTestId('m-proposal-status').innerText(), /办理中/)
    await p.screenshot({ path: path.join(shotDir, '65-m-proposal-progress.png'), fullPage: true })
    const mail = await json('GET', '/my/messages', undefined, tokens[2])
    assert.ok(mail.items.some((m: { kind: string }) => m.kind === 'proposal_progress'))
  })
})
