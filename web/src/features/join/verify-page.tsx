import type { ReactNode } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useSearchParams } from 'react-router-dom'
import { labelOf } from '../../../../common/codes'
import { memberStatuses } from '../../../../common/member-codes'
import { publicApi } from '../../api/client'
import { useTitle } from '../../components/use-title'
import { PublicLayout } from './public-layout'

/**
 * What a scanner of a card's QR code opens: valid or not, and the union only (no personal data).
 * No Ant Design here: the page a phone opens from a QR code loads only React and this (issue 12).
 */
export function VerifyPage() {
  useTitle('会员证验证')
  const [params] = useSearchParams()
  const token = params.get('token')
  const q = useQuery({ queryKey: ['card-verify', token], queryFn: () => publicApi.verifyCard(token!), enabled: !!token, retry: false })
  const v = q.data
  return (
    <PublicLayout title="会员证验证">
      <div className="h5-card h5-box" data-testid="verify-result" data-valid={v ? String(v.valid) : undefined}>
        {!token && <Outcome kind="warning" title="链接不完整" sub="请重新扫描会员证上的二维码" />}
        {token && q.isLoading && <div className="h5-loading" aria-busy="true" aria-label="正在验证" />}
        {token && q.error && <Outcome kind="error" title="无法验证" sub={(q.error as Error).message} />}
        {v && v.valid && (
          <Outcome
            kind="success"
            title={<span data-testid="verify-valid">有效会员证</span>}
            sub={
              <>
                <div className="verify-union" data-testid="verify-union">
                  {v.unionName}
                </div>
                {v.memberNo && <div>会员号 {v.memberNo}</div>}
                {v.status && v.status !== 'active' && <div>{labelOf(memberStatuses, v.status)}</div>}
              </>
            }
          />
        )}
        {v && !v.valid && (
          <Outcome
            kind="error"
            title={<span data-testid="verify-invalid">会员证无效</span>}
            sub={v.reason ?? '该二维码不是有效的会员证，或会籍已终止'}
          />
        )}
      </div>
      <div className="h5-muted" style={{ textAlign: 'center' }}>
        验证结果只显示是否有效和所在工会，不显示个人信息
      </div>
    </PublicLayout>
  )
}

const marks = { success: '✓', error: '✕', warning: '!' } as const

/** A result: a round mark, a title and a line below (as Ant Design's Result, in a few lines of CSS). */
function Outcome({ kind, title, sub }: { kind: keyof typeof marks; title: ReactNode; sub: ReactNode }) {
  return (
    <div className={`h5-outcome h5-outcome-${kind}`}>
      <div className="h5-outcome-mark" aria-hidden="true">
        {marks[kind]}
      </div>
      <div className="h5-outcome-title">{title}</div>
      <div className="h5-outcome-sub">{sub}</div>
    </div>
  )
}
