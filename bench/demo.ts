/**
 * The demo city (嵊州市, loaded by the server itself with GONGHUI_DEMO=1) as the benchmarks that
 * time it one user at a time sign in to it (bench/embedded.ts, bench/compare.ts), and the cases
 * they ask for.
 */
import { login } from './app.js'

/** The administrator's password the demo server is started with (GONGHUI_ADMIN_PASSWORD). */
export const DEMO_PASSWORD = 'Bench-Embedded-2026!'
const OWN = 'Bench-Own-Choice-2026!'

/** A demo cadre's first sign-in: the password set by admin is changed first, as the web makes them. */
async function firstLogin(base: string, username: string): Promise<string> {
  const first = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  })
  const { token } = (await first.json()) as { token: string }
  const change = await fetch(`${base}/api/auth/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ currentPassword: DEMO_PASSWORD, newPassword: OWN }),
  })
  if (!change.ok) throw new Error(`password change ${username}: ${change.status} ${await change.text()}`)
  return login(base, username, OWN)
}

/** The city cadre (shengzhou) and a town cadre (ganlin) signed in, with their organizations. */
export async function signInToDemo(base: string) {
  const tokens = { city: await firstLogin(base, 'shengzhou'), town: await firstLogin(base, 'ganlin') }
  const orgOf = async (token: string) =>
    ((await (await fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })).json()) as { user: { orgId: number } })
      .user.orgId
  return { tokens, org: { city: await orgOf(tokens.city), town: await orgOf(tokens.town) } }
}

export interface Case {
  label: string
  path: string
  who: 'city' | 'town'
}
export const CASES: Case[] = [
  { label: '会员名册 市级 第1页', path: '/members?pageSize=20&org={city}', who: 'city' },
  { label: '会员名册 市级 第50页', path: '/members?pageSize=20&org={city}&page=50', who: 'city' },
  { label: '会员名册 市级 筛选（信息不全）', path: '/members?pageSize=20&org={city}&quality=missing_fields', who: 'city' },
  { label: '会员名册 市级 姓名搜索', path: `/members?pageSize=20&org={city}&q=${encodeURIComponent('王')}`, who: 'city' },
  { label: '会员名册 镇级 第1页', path: '/members?pageSize=20&org={town}', who: 'town' },
  { label: '用人单位名录 市级 第1页', path: '/enterprises?pageSize=20', who: 'city' },
  { label: '组织树 市级 下级', path: '/orgs?parent={city}&pageSize=50', who: 'city' },
  { label: '指标面板 市级', path: '/stats/panel', who: 'city' },
]

/** A case's address on a server signed in by signInToDemo. */
export const caseUrl = (base: string, c: Case, org: { city: number; town: number }) =>
  `${base}/api${c.path.replace('{city}', String(org.city)).replace('{town}', String(org.town))}`
