import { useState } from 'react'
import { Alert, Button, Card, Empty, Input, Result, Skeleton, Steps, Tag } from 'antd'
import { useQuery } from '@tanstack/react-query'
import { useNavigate, useSearchParams } from 'react-router-dom'
import dayjs from 'dayjs'
import { labelOf } from '../../../../common/codes'
import { applicationRoutes, applicationStatuses } from '../../../../common/member-codes'
import { publicApi } from '../../api/client'
import { useTitle } from '../../components/use-title'
import { ApplicationStatusTag } from '../members/labels'
import { MemberCard } from '../members/member-detail-drawer'
import { PublicLayout, loadApplication, statusLink } from './public-layout'

/** 进度查询: by the token of the link (or the one saved on this phone); when approved, the electronic membership card. */
export function StatusPage() {
  useTitle('入会进度查询')
  const [params] = useSearchParams()
  const saved = loadApplication()
  const token = params.get('token') || saved?.token || null
  const name = saved && saved.token === token ? saved.name : null
  const q = useQuery({ queryKey: ['public-application', token], queryFn: () => publicApi.applicationStatus(token!), enabled: !!token, retry: false })
  const s = q.data

  return (
    <PublicLayout title="入会进度查询" back={{ to: '/join', label: '申请入会' }}>
      {!token && <TokenEntry />}
      {token && q.isLoading && <Card className="h5-card"><Skeleton active /></Card>}
      {token && q.error && (
        <Card className="h5-card">
          <Result status="warning" title="查询不到申请" subTitle={(q.error as Error).message} style={{ paddingBottom: 8 }} />
          <TokenEntry embedded />
        </Card>
      )}
      {s && (
        <>
          {s.status === 'approved' && s.cardToken && (
            <Card className="h5-card h5-card-plain" data-testid="status-card">
              <div className="h5-congrats">欢迎加入工会大家庭！</div>
              <MemberCard card={{ memberNo: s.memberNo ?? '', name: name ?? '会员', unionName: s.unionName, joinedOn: s.createdAt.slice(0, 10), status: 'active', token: s.cardToken }} />
              <div className="h5-muted" style={{ textAlign: 'center', marginTop: 8 }}>出示二维码，扫码即可验证会员身份</div>
            </Card>
          )}
          <Card className="h5-card" size="small" title="办理进度" data-testid="status-view" data-status={s.status}>
            <Steps orientation="vertical" size="small" current={s.status === 'pending' ? 1 : 2}
              status={s.status === 'rejected' ? 'error' : undefined}
              items={[
                { title: '已提交', content: dayjs(s.createdAt).format('YYYY-MM-DD HH:mm') },
                { title: '工会审核', content: s.status === 'pending' ? `${s.unionName}审核中，${s.dueOn} 前办结` : s.status === 'need_info' ? '需要补充信息' : '已审核' },
                { title: s.status === 'approved' ? '已入会' : s.status === 'rejected' ? '未通过' : '办结' },
              ]} />
            <div className="h5-kv"><span>状态</span><span data-testid="status-status"><ApplicationStatusTag status={s.status} /></span></div>
            <div className="h5-kv"><span>受理工会</span><b>{s.unionName}</b></div>
            <div className="h5-kv"><span>入会途径</span><Tag color="blue" style={{ marginInlineEnd: 0 }}>{labelOf(applicationRoutes, s.route)}</Tag></div>
            <div className="h5-kv"><span>办理期限</span><span data-testid="status-due">{s.dueOn}</span></div>
            {s.memberNo && <div className="h5-kv"><span>会员号</span><b data-testid="status-memberNo">{s.memberNo}</b></div>}
            {s.reviewNote && (
              <Alert type={s.status === 'rejected' ? 'error' : s.status === 'need_info' ? 'warning' : 'info'} showIcon style={{ marginTop: 12 }}
                title={`工会意见（${labelOf(applicationStatuses, s.status)}）`} description={<span data-testid="status-note">{s.reviewNote}</span>} />
            )}
            {s.status === 'need_info' && <div className="h5-muted" style={{ marginTop: 8 }}>请按工会意见准备材料，工会工作人员会通过您留下的手机号联系您。</div>}
          </Card>
          <Button block onClick={() => void q.refetch()} loading={q.isFetching} data-testid="status-refresh">刷新</Button>
        </>
      )}
    </PublicLayout>
  )
}

function TokenEntry({ embedded }: { embedded?: boolean }) {
  const [text, setText] = useState('')
  const navigate = useNavigate()
  const go = () => {
    const t = text.trim().replace(/^.*token=/, '')
    if (t) navigate(statusLink(decodeURIComponent(t)))
  }
  const input = <Input.Search size="large" enterButton="查询" value={text} onChange={(e) => setText(e.target.value)} onSearch={go} placeholder="查询链接或查询码" data-testid="status-token-input" />
  if (embedded) return <div><div className="h5-muted" style={{ marginBottom: 8 }}>请核对后重新输入查询链接或查询码：</div>{input}</div>
  return (
    <Card className="h5-card" size="small" title="输入查询码">
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="本机没有保存的申请。请粘贴提交申请后得到的查询链接或查询码。" />
      {input}
    </Card>
  )
}
