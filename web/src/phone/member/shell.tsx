import type { ReactNode } from 'react'
import { Link, NavLink } from 'react-router-dom'
import { useTitle } from '../../components/use-title'
import { useMemberSession } from './session'

const tabs = [
  { to: '/m', label: '首页', icon: '⌂', end: true },
  { to: '/m/activities', label: '活动', icon: '◎', end: false },
  { to: '/m/proposals', label: '建议', icon: '✎', end: false },
  { to: '/m/messages', label: '消息', icon: '✉', end: false },
] as const

/**
 * A page of the member's phone app (会员端, /m): a header with the title (and the way back), the page,
 * and a bottom tab bar — 首页 · 活动 · 建议 · 消息, the last with the unread count. No Ant Design: the
 * pages use the phone's light components (phone/ui, issue 12).
 */
export function MemberShell({ title, back, extra, children }: { title: string; back?: string; extra?: ReactNode; children: ReactNode }) {
  useTitle(title)
  const session = useMemberSession()
  const unread = session.data?.unread ?? 0
  return (
    <div className="h5 m-app">
      <header className="h5-header">
        <div className="h5-header-inner">
          {back ? (
            <Link to={back} className="m-back" aria-label="返回">
              ‹
            </Link>
          ) : (
            <span className="brand-logo">工</span>
          )}
          <div className="h5-header-text">
            <div className="h5-title" data-testid="m-title">
              {title}
            </div>
            <div className="h5-sub">职工之家 · 会员服务</div>
          </div>
          {extra}
        </div>
      </header>
      <main className="h5-main m-main">{children}</main>
      <nav className="m-tabs" aria-label="会员服务">
        {tabs.map((t) => (
          <NavLink key={t.to} to={t.to} end={t.end} className={({ isActive }) => `m-tab${isActive ? ' m-tab-on' : ''}`}>
            <span className="m-tab-icon" aria-hidden>
              {t.icon}
              {t.to === '/m/messages' && unread > 0 && (
                <span className="m-badge" data-testid="m-unread">
                  {unread > 99 ? '99+' : unread}
                </span>
              )}
            </span>
            {t.label}
          </NavLink>
        ))}
      </nav>
    </div>
  )
}
