import { Alert, Button, Card, Descriptions, Empty, List, Skeleton, Switch, Tag } from 'antd'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Link, useNavigate } from 'react-router-dom'
import type { MyHome } from '../../../../common/api-my'
import { dateTime } from '../../components/format'
import { errorMessage } from '../../components/form-errors'
import { feedback } from '../../components/feedback'
import { ApplicationStatusTag, TransferStatusTag } from '../../features/members/labels'
import { MemberCard } from '../../features/members/member-card'
import { memberApi, setMemberCsrf } from './api'
import { MemberShell } from './shell'

/** the card's QR code is signed for a short while: fetched anew every few minutes while shown */
const CARD_REFRESH_MS = 5 * 60_000

/**
 * 我的 (the member app's home): the e-card with its QR code (refreshed while shown), my union with
 * its chair and contact, my applications and transfers, the SMS setting and signing out. A phone
 * without a membership sees its applications and the way to join.
 */
export function MemberHomePage() {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const home = useQuery({
    queryKey: ['my', 'home'],
    queryFn: () => memberApi.get<MyHome>('/my/home'),
    refetchInterval: CARD_REFRESH_MS,
  })
  const settings = useMutation({
    mutationFn: (smsOptOut: boolean) => memberApi.patch<{ smsOptOut: boolean }>('/my/settings', { smsOptOut }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['my', 'home'] }),
    onError: (e) => void feedback.message.error(errorMessage(e)),
  })
  const signOut = () =>
    feedback.modal.confirm({
      title: '退出登录？',
      content: '退出后本机需要重新用短信验证码登录。',
      okText: '退出',
      cancelText: '取消',
      onOk: async () => {
        await memberApi.post('/my/sign-out').catch(() => undefined)
        setMemberCsrf(null)
        queryClient.clear()
        navigate('/m/login', { replace: true })
      },
    })

  const h = home.data
  const m = h?.member
  return (
    <MemberShell
      title={m ? `我的 · ${m.name}` : '我的'}
      extra={
        <button type="button" className="h5-back" onClick={signOut} data-testid="m-sign-out" style={{ background: 'none' }}>
          退出
        </button>
      }
    >
      {home.isLoading && <Skeleton active />}
      {home.error && <Alert type="error" showIcon title={errorMessage(home.error)} />}
      {h && m && (
        <>
          <MemberCard card={{ ...m, token: m.card.token }} />
          <div className="h5-muted" style={{ margin: '6px 4px 12px' }} data-testid="m-card-valid">
            二维码有效期至 {dateTime(m.card.validUntil)}，出示时自动更新
          </div>
          <Card className="h5-card" title="我的工会" size="small">
            <Descriptions column={1} size="small">
              <Descriptions.Item label="所在工会">
                <span data-testid="m-union">{m.unionChain.join(' › ')}</span>
              </Descriptions.Item>
              <Descriptions.Item label="工会主席">{m.chairName ?? '未登记'}</Descriptions.Item>
              <Descriptions.Item label="联系人">
                {m.contactName ?? '未登记'}
                {m.contactPhone && (
                  <a href={`tel:${m.contactPhone}`} style={{ marginLeft: 8 }}>
                    {m.contactPhone}
                  </a>
                )}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card className="h5-card" size="small">
            <div style={{ display: 'flex', gap: 8 }}>
              <Link to="/m/activities" style={{ flex: 1 }}>
                <Button block>我的活动</Button>
              </Link>
              <Link to="/m/proposals" style={{ flex: 1 }}>
                <Button block>我的建议</Button>
              </Link>
            </div>
          </Card>
        </>
      )}
      {h && !m && (
        <Card className="h5-card" title="您还不是会员" size="small" data-testid="m-not-member">
          <p>这个手机号还没有会籍记录。下面是用它提交的入会申请；还没有申请的，可以网上入会。</p>
          <Link to="/join">
            <Button type="primary" block>
              网上入会
            </Button>
          </Link>
        </Card>
      )}
      {h && (h.applications.length > 0 || !m) && (
        <Card className="h5-card" title="我的入会申请" size="small">
          {h.applications.length === 0 ? (
            <Empty description="没有入会申请" image={Empty.PRESENTED_IMAGE_SIMPLE} />
          ) : (
            <List
              dataSource={h.applications}
              renderItem={(a) => (
                <List.Item key={a.id} data-testid="m-application">
                  <List.Item.Meta
                    title={
                      <span>
                        {a.unionName ?? a.workplace} <ApplicationStatusTag status={a.status} />
                      </span>
                    }
                    description={
                      <>
                        提交于 {dateTime(a.createdAt)}
                        {a.status === 'pending' && ` · 应于 ${a.dueOn} 前审核`}
                        {a.reviewNote && <div>审核意见：{a.reviewNote}</div>}
                      </>
                    }
                  />
                </List.Item>
              )}
            />
          )}
        </Card>
      )}
      {h && h.transfers.length > 0 && (
        <Card className="h5-card" title="我的接转" size="small">
          <List
            dataSource={h.transfers}
            renderItem={(t) => (
              <List.Item key={t.id}>
                <List.Item.Meta
                  title={
                    <span>
                      {t.fromName ?? '—'} → {t.toName ?? '—'} <TransferStatusTag status={t.status} />
                    </span>
                  }
                  description={
                    <>
                      申请于 {dateTime(t.requestedAt)}
                      {t.decisionNote && <div>意见：{t.decisionNote}</div>}
                    </>
                  }
                />
              </List.Item>
            )}
          />
        </Card>
      )}
      {m && (
        <Card className="h5-card" title="通知设置" size="small">
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
            <span>
              接收短信通知 <Tag>站内消息总会收到</Tag>
            </span>
            <Switch
              checked={!m.smsOptOut}
              loading={settings.isPending}
              onChange={(on) => settings.mutate(!on)}
              data-testid="m-sms-switch"
            />
          </div>
        </Card>
      )}
    </MemberShell>
  )
}
