import { Empty, Spin } from 'antd'
import { Navigate } from 'react-router-dom'
import { useRootOrgs } from '../../app/current-org'

/** 首页: the caller's own union. */
export function HomeRedirect() {
  const roots = useRootOrgs()
  if (roots.isLoading)
    return (
      <div className="full-center">
        <Spin />
      </div>
    )
  const first = roots.data?.items[0]
  if (!first) return <Empty style={{ marginTop: 120 }} description="您的账号尚未分配所属工会，请联系安全管理员" />
  // the user may have clicked a menu item while the roots were loading: that navigation is already in the
  // address bar (its page may still be loading in a transition) and must not be overridden
  if (window.location.pathname !== '/') return null
  return <Navigate to={`/orgs/${first.id}`} replace />
}
