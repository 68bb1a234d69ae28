import { Card, Result, Skeleton } from 'antd'
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { useSearchParams } from 'react-router-dom'
import { labelOf } from '../../../../common/codes'
import { memberStatuses } from '../../../../common/member-codes'
import { publicApi } from '../../api/client'
import { useTitle } from '../../components/use-title'
import { PublicLayout } from './public-layout'

/** What a scanner of a card's QR code opens: valid or not, and the union only (no personal data). */
export function VerifyPage() {
  useTitle('会员证验证')
  const [params] = useSearchParams()
  const token = params.get('token')
  const q = useQuery({ queryKey: ['card-verify', token], queryFn: () => publicApi.verifyCard(token!), enabled: !!token, retry: false })
  const v = q.data
  return (
    <PublicLayout title="会员证验证">
      <Card className="h5-card" data-testid="verify-result" data-valid={v ? String(v.valid) : undefined}>
        {!token && <Result status="warning" title="链接不完整" subTitle="请重新扫描会员证上的二维码" />}
        {token && q.isLoading && <Skeleton active />}
        {token && q.error && <Result status="error" title="无法验证" subTitle={(q.error as Error).message} />}
        {v && v.valid && (
          <Result
            icon={<CheckCircleFilled style={{ color: '#389e0d' }} />}
            title={<span data-testid="verify-valid">有效会员证</span>}
            subTitle={
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
          <Result
            icon={<CloseCircleFilled style={{ color: '#cf1322' }} />}
            title={<span data-testid="verify-invalid">会员证无效</span>}
            subTitle={v.reason ?? '该二维码不是有效的会员证，或会籍已终止'}
          />
        )}
      </Card>
      <div className="h5-muted" style={{ textAlign: 'center' }}>
        验证结果只显示是否有效和所在工会，不显示个人信息
      </div>
    </PublicLayout>
  )
}
