import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Link, useNavigate } from 'react-router-dom'
import type { MyHome } from '../../../../common/api-my'
import { dateTime } from '../../components/format'
import { errorMessage } from '../../components/error-message'
import { MemberCard } from '../../features/members/member-card'
import { Alert, Card, Empty, List, ListItem, Rows, Skeleton, Switch, Tag, confirm, toast } from '../ui'
import { ApplicationStatusTag, TransferStatusTag } from '../ui/status-tags'
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
    onError: (e) => toast.error(errorMessage(e)),
  })
  const signOut = async () => {
    const ok = await confirm({ title: '退出登录？', content: '退出后本机需要重新用短信验证码登录。', okText: '退出', cancelText: '取消' })
    if (!ok) return
    await memberApi.post('/my/sign-out').catch(() => undefined)
    setMemberCsrf(null)
    queryClient.clear()
    navigate('/m/login', { replace: true })
  }

  const h = home.data
  const m = h?.member
  return (
    <MemberShell
      title={m ? `我的 · ${m.name}` : '我的'}
      extra={
        <button type="button" className="h5-back" onClick={() => void signOut()} data-testid="m-sign-out" style={{ background: 'none' }}>
          退出
        </button>
      }
    >
      {home.isLoading && (
        <Card>
          <Skeleton rows={4} />
        </Card>
      )}
      {home.error && <Alert type="error" title={errorMessage(home.error)} />}
      {h && m && (
        <>
          <MemberCard card={{ ...m, token: m.card.token }} />
          <div className="h5-muted" style={{ margin: '6px 4px 12px' }} data-testid="m-card-valid">
            二维码有效期至 {dateTime(m.card.validUntil)}，出示时自动更新
          </div>
          <Card title="我的工会">
            <Rows
              items={[
                ['所在工会', <span data-testid="m-union">{m.unionChain.join(' › ')}</span>],
                ['工会主席', m.chairName ?? '未登记'],
                [
                  '联系人',
                  <>
                    {m.contactName ?? '未登记'}
                    {m.contactPhone && (
                      <a href={`tel:${m.contactPhone}`} style={{ marginLeft: 8 }}>
                        {m.contactPhone}
                      </a>
                    )}
                  </>,
                ],
              ]}
            />
          </Card>
          <Card>
            <div style={{ display: 'flex', gap: 8 }}>
              <Link to="/m/activities" className="u-btn u-btn-default" style={{ flex: 1 }}>
                我的活动
              </Link>
              <Link to="/m/proposals" className="u-btn u-btn-default" style={{ flex: 1 }}>
                我的建议
              </Link>
              <Link to="/m/transfer" className="u-btn u-btn-default" style={{ flex: 1 }} data-testid="m-transfer-link">
                申请转会
              </Link>
            </div>
          </Card>
        </>
      )}
      {h && !m && (
        <Card title="您还不是会员" data-testid="m-not-member">
          <p style={{ marginTop: 0 }}>这个手机号还没有会籍记录。下面是用它提交的入会申请；还没有申请的，可以网上入会。</p>
          <Link to="/join" className="u-btn u-btn-primary u-btn-block">
            网上入会
          </Link>
        </Card>
      )}
      {h && (h.applications.length > 0 || !m) && (
        <Card title="我的入会申请">
          {h.applications.length === 0 ? (
            <Empty description="没有入会申请" />
          ) : (
            <List>
              {h.applications.map((a) => (
                <ListItem key={a.id} data-testid="m-application">
                  <div className="u-list-title">
                    {a.unionName ?? a.workplace} <ApplicationStatusTag status={a.status} />
                  </div>
                  <div className="u-list-desc">
                    提交于 {dateTime(a.createdAt)}
                    {a.status === 'pending' && ` · 应于 ${a.dueOn} 前审核`}
                    {a.reviewNote && <div>审核意见：{a.reviewNote}</div>}
                  </div>
                </ListItem>
              ))}
            </List>
          )}
        </Card>
      )}
      {h && h.transfers.length > 0 && (
        <Card title="我的接转">
          <List>
            {h.transfers.map((t) => (
              <ListItem key={t.id}>
                <div className="u-list-title">
                  {t.fromName ?? '—'} → {t.toName ?? '—'} <TransferStatusTag status={t.status} />
                </div>
                <div className="u-list-desc">
                  申请于 {dateTime(t.requestedAt)}
                  {t.decisionNote && <div>意见：{t.decisionNote}</div>}
                </div>
              </ListItem>
            ))}
          </List>
        </Card>
      )}
      {m && (
        <Card title="通知设置">
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
            <span>
              接收短信通知 <Tag>站内消息总会收到</Tag>
            </span>
            <Switch
              checked={!m.smsOptOut}
              loading={settings.isPending}
              onChange={(on) => settings.mutate(!on)}
              aria-label="接收短信通知"
              data-testid="m-sms-switch"
            />
          </div>
        </Card>
      )}
    </MemberShell>
  )
}
