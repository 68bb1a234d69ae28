import { Navigate } from 'react-router-dom'

/**
 * 首页 of business users: the dashboard (工作台) of their own union. The dashboard resolves the
 * caller's union itself (and says so when the account has none), so nothing waits here.
 */
export function DashboardHome() {
  return <Navigate to="/dashboard" replace />
}
