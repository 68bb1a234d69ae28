import { spawn, type ChildProcess } from 'node:child_process'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import net from 'node:net'
import { chromium, type Browser } from 'playwright-core'

/** The demo accounts' first password (GONGHUI_ADMIN_PASSWORD): it must be changed at first login. */
export const INITIAL_PASSWORD = 'E2e-Demo-Pass-2026'
/** What startServer changes it to for the demo accounts the tests log in with. */
export const PASSWORD = 'E2e-Own-Choice-2026'
/** The demo accounts the browser tests use. */
const testAccounts = ['shengzhou', 'ganlin', 'chongren', 'auditor']

/** Logs in with the first password and sets PASSWORD, as the user would at first login. */
async function changeFirstPassword(url: string, username: string) {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: INITIAL_PASSWORD }),
  })
  if (!login.ok) throw new Error(`login ${username}: ${login.status} ${await login.text()}`)
  const { token } = (await login.json()) as { token: string }
  const change = await fetch(`${url}/api/auth/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ currentPassword: INITIAL_PASSWORD, newPassword: PASSWORD }),
  })
  if (!change.ok) throw new Error(`password change ${username}: ${change.status} ${await change.text()}`)
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port
      s.close(() => resolve(port))
    })
  })
}

/**
 * The real server, as `npm start` runs it (built web app, demo data), on a fresh data dir. The
 * demo accounts the tests use have gone through the first-login password change (to PASSWORD),
 * except those in firstLogin, which still have INITIAL_PASSWORD and must change it.
 * With dataDir (one a previous server left, stopped with keep), the server starts again on that
 * data (no demo loaded, no password changed); env adds variables (e.g. GONGHUI_TIMEZONE: a later
 * day for the same data).
 */
export async function startServer(
  opts: { firstLogin?: string[]; dataDir?: string; env?: Record<string, string> } = {},
): Promise<{ url: string; dataDir: string; stop(o?: { keep?: boolean }): Promise<void> }> {
  const port = await freePort()
  const again = opts.dataDir !== undefined
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'gh-e2e-'))
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      GONGHUI_ADMIN_PASSWORD: INITIAL_PASSWORD,
      GONGHUI_DEMO: '1',
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const url = `http://127.0.0.1:${port}`
  // generating the demo city takes minutes on a loaded machine: E2E_START_SECONDS waits longer
  const deadline = Date.now() + Number(process.env.E2E_START_SECONDS ?? 180) * 1000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`)
    try {
      const r = await fetch(`${url}/api/health`)
      if (r.ok) break
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${output}`)
    await new Promise((r) => setTimeout(r, 500))
  }
  if (!again) for (const username of testAccounts) if (!opts.firstLogin?.includes(username)) await changeFirstPassword(url, username)
  return {
    url,
    dataDir,
    async stop(o = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        await new Promise((r) => child.once('exit', r))
      }
      if (!o.keep) fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
}

export const shotDir = path.resolve('e2e/screenshots')

/**
 * Waits until an Ant Design dropdown (Select, Cascader: both carry ant-select-dropdown) is open and
 * has ended its opening motion: rc-motion's -appear / -enter classes are gone. A click that lands
 * while it is still animating open is lost.
 */
export async function dropdownOpened(page: import('playwright-core').Page) {
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLElement>('.ant-select-dropdown')].some(
      (d) => d.offsetParent !== null && !d.className.includes('-hidden') && !/-(appear|enter)\b/.test(d.className),
    ),
  )
}

/**
 * Chooses an option of an Ant Design Select: once the dropdown has opened, clicks the option and
 * waits (2 s at most) for the select to show it; else tries again.
 */
export async function pickOption(page: import('playwright-core').Page, testId: string, label: string) {
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.getByTestId(testId).click()
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: label }).first()
    await option.waitFor()
    await dropdownOpened(page)
    await option.click({ force: true })
    const chosen = await page
      .getByTestId(testId)
      .filter({ hasText: label })
      .waitFor({ timeout: 2_000 })
      .then(() => true)
      .catch(() => false)
    if (chosen) return
  }
  throw new Error(`could not choose 「${label}」 in ${testId}`)
}

/**
 * Proves the mobile number typed in a joining form, as a worker does: asks for the code and types it.
 * The demo server has no SMS gateway, so the page shows the code marked 演示 (the worker's phone would get it).
 */
export async function typeSmsCode(page: import('playwright-core').Page, testId = 'join-code') {
  await page.getByTestId(`${testId}-send`).click()
  const code = await page.getByTestId(`${testId}-demo`).innerText()
  assert.match(await page.getByTestId(`${testId}-sent`).innerText(), /演示/)
  await page.getByTestId(testId).fill(code)
}

/**
 * Signs a worker in on the member app (/m/login) with the phone on record and the code the demo
 * shows on screen; waits for the page the sign-in leads to (`next`, a path under /m).
 */
export async function signInOnPhone(page: import('playwright-core').Page, base: string, phone: string, next = '/m') {
  await page.goto(`${base}/m/login${next === '/m' ? '' : `?next=${encodeURIComponent(next)}`}`)
  await page.getByTestId('m-login-phone').fill(phone)
  await typeSmsCode(page, 'm-login-code')
  await page.getByTestId('m-login-submit').click()
  await page.waitForURL(`${base}${next}`)
}

/** Signs a cadre in on the login page at `base` (what follows it, the page's landing, is the caller's to wait for). */
export async function signIn(page: import('playwright-core').Page, base: string, username: string, password = PASSWORD) {
  await page.goto(base)
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
}

/** A cadre's headers for the API (signed in with the password): the bearer token and a JSON body's type. */
export async function cadreHeaders(base: string, username: string, password = PASSWORD) {
  const r = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  if (r.status !== 200) throw new Error(`${username} did not sign in: ${r.status} ${await r.text()}`)
  return { authorization: `Bearer ${((await r.json()) as { token: string }).token}`, 'content-type': 'application/json' }
}
