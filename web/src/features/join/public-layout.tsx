import type { ReactNode } from 'react'
import { Link } from 'react-router-dom'

/** The member app (会员端 H5): a phone-width column with the union header, no login. */
export function PublicLayout({ title, children, back }: { title: string; children: ReactNode; back?: { to: string; label: string } }) {
  return (
    <div className="h5">
      <header className="h5-header">
        <div className="h5-header-inner">
          <span className="brand-logo">工</span>
          <div className="h5-header-text">
            <div className="h5-title">{title}</div>
            <div className="h5-sub">职工之家 · 网上入会</div>
          </div>
          {back && (
            <Link to={back.to} className="h5-back">
              {back.label}
            </Link>
          )}
        </div>
      </header>
      <main className="h5-main">{children}</main>
      <footer className="h5-foot">工会是职工自愿结合的工人阶级群众组织 · 入会自愿、退会自由</footer>
    </div>
  )
}

const TOKEN_KEY = 'gh-application'

export interface SavedApplication {
  token: string
  name: string
  savedAt: string
}
/** The last application of this phone: the query token (and the applicant's name for the card), kept on the device only. */
export function saveApplication(a: SavedApplication) {
  try {
    localStorage.setItem(TOKEN_KEY, JSON.stringify(a))
  } catch {
    /* private mode: the receipt still shows the link */
  }
}
export function loadApplication(): SavedApplication | null {
  try {
    const s = localStorage.getItem(TOKEN_KEY)
    return s ? (JSON.parse(s) as SavedApplication) : null
  } catch {
    return null
  }
}
export const statusLink = (token: string) => `/join/status?token=${encodeURIComponent(token)}`
