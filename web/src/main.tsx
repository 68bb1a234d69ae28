/**
 * The entry: tiny on purpose (no React, no Ant Design). It starts, all at once, the requests the page
 * will need — the session probe and, on the dashboard, its first statistics (boot.ts keeps them for
 * the API client) — and the code of the app and of the page (Vite preloads each chunk's imports in
 * parallel), so the page's data does not wait for the scripts, nor the scripts for each other.
 * The worker's phone pages load their own light app (phone/phone-app.tsx): no admin layout, no charts.
 */
import { isPhonePath, prefetch } from './boot'
import { dashParamsOf, dashPaths } from './features/dashboard/paths'

const path = window.location.pathname

if (isPhonePath(path)) {
  // the page's chunk in parallel with the phone app (React.lazy there resolves to the same module)
  if (path.startsWith('/card/verify')) void import('./features/join/verify-page')
  else if (path === '/join/status') void import('./features/join/status-page')
  else if (path === '/m/login') void import('./phone/member/login-page')
  else if (path === '/m') void import('./phone/member/home-page')
  else if (path.startsWith('/m/')) {
    // the member's other pages (activities, proposals, messages) load with the phone app's routes
  } else void import('./features/join/join-page')
  void import('./phone/phone-app').then((m) => m.mount())
} else {
  const me = prefetch('/auth/me')
  if (path === '/' || path === '/dashboard') {
    // the business user's landing page: its first figures while the scripts load
    const { params, indicator, seriesFrom } = dashParamsOf(new URLSearchParams(window.location.search))
    prefetch(dashPaths.panel(params))
    prefetch(dashPaths.ranking(params, indicator))
    prefetch(dashPaths.series(params, seriesFrom))
    prefetch(dashPaths.period(params, 'year'))
    // then what depends on the union shown: the caller's own unless the URL names one
    me.then((r) => (r.ok ? (r.clone().json() as Promise<{ scope: { orgId: number } | null; user: { roles: string[] } }>) : null))
      .then((m) => {
        const org = params.org ?? m?.scope?.orgId
        if (!m || !org) return
        prefetch('/orgs')
        prefetch(`/orgs/${org}`)
        prefetch(dashPaths.due(org))
        prefetch(dashPaths.plans(org))
      })
      .catch(() => undefined)
    void import('./features/dashboard/dashboard-page')
  }
  void import('./app/app').then((m) => m.mount())
}
