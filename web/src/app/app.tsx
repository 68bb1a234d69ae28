import { lazy, StrictMode, Suspense } from 'react'
import { createRoot } from 'react-dom/client'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import '../styles.css'
import { App as AntApp, ConfigProvider, Spin } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router-dom'
import { FeedbackBridge } from '../components/feedback'
import { AuthProvider, isSystemUser, useAuth } from '../features/auth/auth-context'
import { DashboardHome } from '../features/dashboard/home'
import { BusinessLayout } from './business-layout'
import { adminHome } from './admin-home'
import { theme } from './theme'
import { isPhonePath } from '../boot'

// the login form and the 三员's layout: not for the business user already signed in
const ForcedPasswordChangePage = lazy(() =>
  import('../features/auth/password-change').then((m) => ({ default: m.ForcedPasswordChangePage })),
)
const LoginPage = lazy(() => import('../features/auth/login-page').then((m) => ({ default: m.LoginPage })))
const AdminLayout = lazy(() => import('./admin-layout').then((m) => ({ default: m.AdminLayout })))
// every page loads with its route (main.tsx starts the dashboard's with the app)
const OrgPage = lazy(() => import('../features/orgs/org-page').then((m) => ({ default: m.OrgPage })))
const EnterprisesPage = lazy(() => import('../features/enterprises/enterprises-page').then((m) => ({ default: m.EnterprisesPage })))
// pages not every user opens: the 应建未建 chart and the 三员 pages load on demand
const DuePage = lazy(() => import('../features/enterprises/due-page').then((m) => ({ default: m.DuePage })))
const UsersPage = lazy(() => import('../features/admin/users-page').then((m) => ({ default: m.UsersPage })))
const RolesPage = lazy(() => import('../features/admin/roles-page').then((m) => ({ default: m.RolesPage })))
const AuditPage = lazy(() => import('../features/admin/audit-page').then((m) => ({ default: m.AuditPage })))
const MembersPage = lazy(() => import('../features/members/members-page').then((m) => ({ default: m.MembersPage })))
const ApplicationsPage = lazy(() => import('../features/members/applications-page').then((m) => ({ default: m.ApplicationsPage })))
const TransfersPage = lazy(() => import('../features/members/transfers-page').then((m) => ({ default: m.TransfersPage })))
const ImportsPage = lazy(() => import('../features/members/imports-page').then((m) => ({ default: m.ImportsPage })))
// the member app (会员端 H5): public, no login
const JoinPage = lazy(() => import('../features/join/join-page').then((m) => ({ default: m.JoinPage })))
const StatusPage = lazy(() => import('../features/join/status-page').then((m) => ({ default: m.StatusPage })))
const VerifyPage = lazy(() => import('../features/join/verify-page').then((m) => ({ default: m.VerifyPage })))
// the dashboard (工作台, the landing page of business users) carries ECharts: its own chunk
const DashboardPage = lazy(() => import('../features/dashboard/dashboard-page').then((m) => ({ default: m.DashboardPage })))
const FormsPage = lazy(() => import('../features/forms/forms-page').then((m) => ({ default: m.FormsPage })))
// 计划与目标
const PlansPage = lazy(() => import('../features/plans/plans-page').then((m) => ({ default: m.PlansPage })))
const PlanPage = lazy(() => import('../features/plans/plan-page').then((m) => ({ default: m.PlanPage })))
const PlanEditor = lazy(() => import('../features/plans/plan-editor').then((m) => ({ default: m.PlanEditor })))
const TodoPage = lazy(() => import('../features/todo/todo-page').then((m) => ({ default: m.TodoPage })))
const ActivitiesPage = lazy(() => import('../features/activities/activities-page').then((m) => ({ default: m.ActivitiesPage })))
const ActivityPage = lazy(() => import('../features/activities/activity-page').then((m) => ({ default: m.ActivityPage })))
const ActivityEditor = lazy(() => import('../features/activities/activity-editor').then((m) => ({ default: m.ActivityEditor })))
const CheckInPage = lazy(() => import('../features/activities/checkin-page').then((m) => ({ default: m.CheckInPage })))
const MessagesPage = lazy(() => import('../features/messages/messages-page').then((m) => ({ default: m.MessagesPage })))
const ProposalsPage = lazy(() => import('../features/proposals/proposals-page').then((m) => ({ default: m.ProposalsPage })))
const ProposalPage = lazy(() => import('../features/proposals/proposal-page').then((m) => ({ default: m.ProposalPage })))
const RulesPage = lazy(() => import('../features/admin/rules-page').then((m) => ({ default: m.RulesPage })))

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 10_000 } },
})

dayjs.locale('zh-cn')

/** Renders the cadre app (main.tsx loads this module for every path but the phone pages). */
export function mount() {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  )
}

export function App() {
  return (
    <ConfigProvider locale={zhCN} theme={theme}>
      <AntApp>
        <FeedbackBridge />
        <QueryClientProvider client={queryClient}>
          <AuthProvider>
            <BrowserRouter>
              <Gate />
            </BrowserRouter>
          </AuthProvider>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  )
}

const loading = (
  <div className="full-center">
    <Spin size="large" />
  </div>
)

function Gate() {
  const { user } = useAuth()
  const location = useLocation()
  // the member app (reached by a link inside the cadre app) needs no session and does not wait for the session probe
  if (isPhonePath(location.pathname)) {
    return (
      <Suspense fallback={loading}>
        <Routes>
          <Route path="/join" element={<JoinPage />} />
          <Route path="/join/status" element={<StatusPage />} />
          <Route path="/card/verify" element={<VerifyPage />} />
          <Route path="*" element={<Navigate to="/join" replace />} />
        </Routes>
      </Suspense>
    )
  }
  if (user === undefined) return loading
  return (
    <Suspense fallback={loading}>
      <Pages />
    </Suspense>
  )
}

function Pages() {
  const { user } = useAuth()
  if (!user) return <LoginPage />
  if (user.mustChangePassword) return <ForcedPasswordChangePage />
  if (isSystemUser(user)) {
    return (
      <Routes>
        <Route element={<AdminLayout />}>
          <Route path="/admin/users" element={<UsersPage />} />
          <Route path="/admin/roles" element={<RolesPage />} />
          <Route path="/admin/audit" element={<AuditPage />} />
          <Route path="/admin/rules" element={<RulesPage />} />
          <Route path="*" element={<Navigate to={adminHome(user)} replace />} />
        </Route>
      </Routes>
    )
  }
  return (
    <Routes>
      {/* phone-sized, without the desktop layout: a cadre checks members in at the door */}
      <Route path="/checkin/:activityId" element={<CheckInPage />} />
      <Route element={<BusinessLayout />}>
        <Route path="/" element={<DashboardHome />} />
        <Route path="/dashboard" element={<DashboardPage />} />
        <Route path="/todo" element={<TodoPage />} />
        <Route path="/orgs/:id" element={<OrgPage />} />
        <Route path="/enterprises" element={<EnterprisesPage />} />
        <Route path="/due" element={<DuePage />} />
        <Route path="/members" element={<MembersPage />} />
        <Route path="/applications" element={<ApplicationsPage />} />
        <Route path="/transfers" element={<TransfersPage />} />
        <Route path="/imports" element={<ImportsPage />} />
        <Route path="/enterprises/import" element={<ImportsPage kind="enterprise" />} />
        <Route path="/plans" element={<PlansPage />} />
        <Route path="/plans/new" element={<PlanEditor />} />
        <Route path="/plans/:id" element={<PlanPage />} />
        <Route path="/plans/:id/edit" element={<PlanEditor />} />
        <Route path="/forms" element={<FormsPage />} />
        <Route path="/activities" element={<ActivitiesPage />} />
        <Route path="/activities/new" element={<ActivityEditor />} />
        <Route path="/activities/:id" element={<ActivityPage />} />
        <Route path="/activities/:id/edit" element={<ActivityEditor />} />
        <Route path="/messages" element={<MessagesPage />} />
        <Route path="/proposals" element={<ProposalsPage />} />
        <Route path="/proposals/:id" element={<ProposalPage />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  )
}
