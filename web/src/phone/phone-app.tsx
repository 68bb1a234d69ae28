import { lazy, StrictMode, Suspense, useEffect } from 'react'
import { createRoot } from 'react-dom/client'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom'
import { isPhonePath } from '../boot'
import { memberRoutes } from './member/routes'
import '../styles.css'

/*
 * The worker's phone app (会员端 H5: 入会, 进度查询 and the card, 会员证验证; the signed-in member's
 * pages under /m, member/routes.tsx). Public or the phone session, and
 * light: React, the router and TanStack Query — no Ant Design at all: the pages use the phone's own
 * light components (phone/ui: plain HTML and ui.css), no admin layout, no union tree, no charts,
 * none of the cadre features (issue 12: ≤ 150 KB gzipped per page, checked by scripts/web-budget.mjs).
 * main.tsx loads it for the phone paths.
 */
const JoinPage = lazy(() => import('../features/join/join-page').then((m) => ({ default: m.JoinPage })))
const StatusPage = lazy(() => import('../features/join/status-page').then((m) => ({ default: m.StatusPage })))
const VerifyPage = lazy(() => import('../features/join/verify-page').then((m) => ({ default: m.VerifyPage })))

dayjs.locale('zh-cn')

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 10_000 } },
})

export function mount() {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <PhoneApp />
    </StrictMode>,
  )
}

export function PhoneApp() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Suspense fallback={<div className="full-center" aria-busy="true" />}>
          <Routes>
            <Route path="/join" element={<JoinPage />} />
            <Route path="/join/status" element={<StatusPage />} />
            <Route path="/card/verify" element={<VerifyPage />} />
            {memberRoutes}
            <Route path="*" element={<Elsewhere />} />
          </Routes>
        </Suspense>
      </BrowserRouter>
    </QueryClientProvider>
  )
}

/** Any other path: an unknown phone path goes to 入会; a cadre page is loaded in full (the cadre app). */
function Elsewhere() {
  const location = useLocation()
  const phone = isPhonePath(location.pathname)
  useEffect(() => {
    if (!phone) window.location.replace(location.pathname + location.search + location.hash)
  }, [phone, location])
  return phone ? <Navigate to="/join" replace /> : null
}
