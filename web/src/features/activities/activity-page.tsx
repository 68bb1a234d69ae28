import { useState } from 'react'
import { Button, Card, Col, Descriptions, Empty, Input, Modal, Popconfirm, Row, Segmented, Space, Statistic, Typography } from 'antd'
import { DownloadOutlined, EditOutlined, QrcodeOutlined, SendOutlined, StopOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { useNavigate, useParams } from 'react-router-dom'
import { audiences, origins, type RegistrationView } from '../../../../common/activities'
import { PageHead } from '../../components/page-head'
import { ServerTable, usePagedQuery } from '../../components/server-table'
import { BarChart } from '../../components/bar-chart'
import { dateTime } from '../../components/format'
import { useSave } from '../../components/use-save'
import { useTitle } from '../../components/use-title'
import { feedback } from '../../components/feedback'
import { activitiesApi } from './api'
import { ActivityStatusTag, RegistrationTag } from './shared'

/** One activity for its organizers: the facts, sign-ups, waitlist, attendance and ratings; publish, cancel, export, check in. */
export function ActivityPage() {
  const id = Number(useParams().id)
  const navigate = useNavigate()
  const a = useQuery({ queryKey: ['activity', id], queryFn: () => activitiesApi.get(id) })
  useTitle(a.data?.title ?? '活动')
  const [status, setStatus] = useState<string>('all')
  const paged = usePagedQuery(
    ['activity-registrations', id],
    (q) => activitiesApi.registrations(id, q),
    { status: status === 'all' ? undefined : status },
    {},
  )
  const [cancelling, setCancelling] = useState(false)
  const [reason, setReason] = useState('')
  const invalidate = [['activity', id], ['activities'], ['activity-registrations', id]]
  const publish = useSave(() => activitiesApi.publish(id), {
    invalidate,
    onSuccess: () => feedback.message.success('已发布，会员现在可以报名'),
  })
  const cancel = useSave((r: string) => activitiesApi.cancel(id, r), {
    invalidate,
    onSuccess: () => {
      setCancelling(false)
      feedback.message.success('活动已取消，已通知报名的会员')
    },
  })
  if (a.isError) return <Empty description="活动不存在或不在您的管辖范围内" />
  const d = a.data
  if (!d) return <Card loading />
  return (
    <div className="page" data-testid="activity-page">
      <PageHead
        title={
          <Space>
            {d.title}
            <ActivityStatusTag status={d.status} />
          </Space>
        }
        sub={`${d.orgName} · ${dateTime(d.startsAt)} 至 ${dateTime(d.endsAt)} · ${d.place}`}
        extra={
          <Space wrap>
            {d.mayEdit && (
              <Button icon={<EditOutlined />} onClick={() => navigate(`/activities/${id}/edit`)}>
                修改
              </Button>
            )}
            {d.mayEdit && d.status === 'draft' && (
              <Popconfirm
                title="发布后参加范围内的会员即可报名，确定发布？"
                okText="发布"
                cancelText="再看看"
                onConfirm={() => void publish.save(undefined)}
              >
                <Button type="primary" icon={<SendOutlined />} loading={publish.saving} data-testid="activity-publish">
                  发布
                </Button>
              </Popconfirm>
            )}
            {d.mayCheckIn && (
              <Button icon={<QrcodeOutlined />} onClick={() => navigate(`/checkin/${id}`)} data-testid="activity-checkin">
                签到
              </Button>
            )}
            <Button icon={<DownloadOutlined />} href={activitiesApi.exportUrl(id)} data-testid="activity-export">
              导出
            </Button>
            {d.mayEdit && (
              <Button danger icon={<StopOutlined />} onClick={() => setCancelling(true)} data-testid="activity-cancel">
                取消活动
              </Button>
            )}
          </Space>
        }
      />
      <Row gutter={12}>
        {[
          ['报名', `${d.registered} / ${d.capacity}`],
          ['候补', d.waiting],
          ['签到', d.attended],
          ['平均评分', d.ratings.average === null ? '—' : `${d.ratings.average.toFixed(1)}（${d.ratings.count}人）`],
        ].map(([t, v]) => (
          <Col xs={12} md={6} key={String(t)}>
            <Card size="small">
              <Statistic title={t} value={v as string} data-testid={`activity-stat-${t}`} />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={12} style={{ marginTop: 12 }}>
        <Col xs={24} md={14}>
          <Card size="small" title="活动信息" className="section-card">
            <Descriptions column={1} size="small">
              <Descriptions.Item label="报名时间">
                {dateTime(d.signupOpens)} 至 {dateTime(d.signupCloses)}
              </Descriptions.Item>
              <Descriptions.Item label="取消报名截止">{dateTime(d.cancelDeadline)}</Descriptions.Item>
              <Descriptions.Item label="参加范围">{audiences[d.audience]}</Descriptions.Item>
              <Descriptions.Item label="活动来源">
                {origins[d.origin]}
                {d.proposalId ? `（建议 #${d.proposalId}）` : ''}
              </Descriptions.Item>
              {d.cancelReason && <Descriptions.Item label="取消原因">{d.cancelReason}</Descriptions.Item>}
              <Descriptions.Item label="内容">
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{d.body || '—'}</Typography.Paragraph>
              </Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} md={10}>
          <Card size="small" title="会员评分" className="section-card" data-testid="activity-ratings">
            {d.ratings.count === 0 ? (
              <Empty description="还没有会员评价（签到参加后可评价）" />
            ) : (
              <BarChart data={d.ratings.byScore.map((value, i) => ({ label: `${i + 1}分`, value }))} unit="人" />
            )}
          </Card>
        </Col>
      </Row>
      <Card size="small" title="报名名单" className="section-card" style={{ marginTop: 12 }}>
        <Segmented
          style={{ marginBottom: 12 }}
          value={status}
          onChange={(v) => setStatus(String(v))}
          options={[
            { value: 'all', label: '全部' },
            { value: 'registered', label: '已报名' },
            { value: 'waiting', label: '候补' },
            { value: 'attended', label: '已签到' },
            { value: 'cancelled', label: '已取消' },
          ]}
        />
        <ServerTable<RegistrationView>
          paged={paged}
          unit="人"
          empty="还没有会员报名"
          rowTestid={(r) => ({ 'data-testid': 'registration-row', 'data-name': r.memberName })}
          columns={[
            { title: '姓名', dataIndex: 'memberName', width: 120 },
            { title: '所在工会', dataIndex: 'unionName' },
            {
              title: '状态',
              dataIndex: 'status',
              width: 130,
              render: (_: unknown, r) => (
                <Space size={4}>
                  <RegistrationTag status={r.status} />
                  {r.waitlistPlace !== null && <Typography.Text type="secondary">第{r.waitlistPlace}位</Typography.Text>}
                </Space>
              ),
            },
            { title: '报名时间', dataIndex: 'createdAt', width: 150, render: (v: string) => dateTime(v) },
            { title: '签到', dataIndex: 'checkedInAt', width: 150, render: (v: string | null) => (v ? dateTime(v) : '—') },
            { title: '评分', dataIndex: 'rating', width: 70, render: (v: number | null) => (v === null ? '—' : `${v}分`) },
            { title: '评价', dataIndex: 'comment', render: (v: string | null) => v || '—' },
          ]}
        />
      </Card>
      <Modal
        open={cancelling}
        title={`取消活动“${d.title}”`}
        okText="确定取消活动"
        okButtonProps={{ danger: true, disabled: !reason.trim(), loading: cancel.saving, 'data-testid': 'activity-cancel-ok' } as never}
        cancelText="不取消"
        onCancel={() => setCancelling(false)}
        onOk={() => void cancel.save(reason.trim())}
      >
        <Typography.Paragraph>取消后不能恢复；已报名和候补的会员会收到消息和短信。</Typography.Paragraph>
        <Input.TextArea
          rows={3}
          maxLength={500}
          placeholder="取消原因（会员可见）"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </div>
  )
}
