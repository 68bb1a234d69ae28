import { useState } from 'react'
import { Button, Card, Progress, Select, Space, Typography } from 'antd'
import { PlusOutlined } from '@ant-design/icons'
import { useNavigate } from 'react-router-dom'
import { activityStatuses, origins, type ActivityView } from '../../../../common/activities'
import { PageHead } from '../../components/page-head'
import { SearchBox, ServerTable, usePagedQuery } from '../../components/server-table'
import { dateTime } from '../../components/format'
import { useTitle } from '../../components/use-title'
import { canWrite, useUser } from '../auth/auth-context'
import { activitiesApi } from './api'
import { ActivityStatusTag } from './shared'

/** 活动: the activities of the caller's union and the unions below it. */
export function ActivitiesPage() {
  useTitle('活动')
  const user = useUser()
  const navigate = useNavigate()
  const [status, setStatus] = useState<string | undefined>()
  const paged = usePagedQuery(['activities'], activitiesApi.list, { status }, { search: true })
  return (
    <div className="page" data-testid="activities-page">
      <PageHead
        title="活动"
        sub="工会发布活动，会员在手机上一键报名；满员自动候补、取消自动递补，扫码签到，会后评价"
        extra={
          canWrite(user) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/activities/new')} data-testid="activity-new">
              新建活动
            </Button>
          )
        }
      />
      <Card size="small" className="section-card">
        <Space style={{ marginBottom: 12 }} wrap>
          <SearchBox paged={paged} placeholder="按活动标题搜索" width={240} testid="activity-search" />
          <Select
            allowClear
            placeholder="全部状态"
            style={{ width: 140 }}
            value={status}
            onChange={setStatus}
            options={Object.entries(activityStatuses).map(([value, label]) => ({ value, label }))}
          />
        </Space>
        <ServerTable<ActivityView>
          paged={paged}
          unit="个活动"
          empty={canWrite(user) ? '还没有活动。点击“新建活动”发布第一个' : '还没有活动'}
          onRow={(a) =>
            ({
              onClick: () => navigate(`/activities/${a.id}`),
              style: { cursor: 'pointer' },
              'data-testid': 'activity-row',
            }) as React.HTMLAttributes<HTMLElement>
          }
          columns={[
            {
              title: '活动',
              dataIndex: 'title',
              render: (v: string, a) => (
                <Space direction="vertical" size={0}>
                  <Typography.Link strong>{v}</Typography.Link>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {a.orgName} · {a.place}
                  </Typography.Text>
                </Space>
              ),
            },
            { title: '开始时间', dataIndex: 'startsAt', width: 150, render: (v: string) => dateTime(v) },
            {
              title: '报名',
              width: 200,
              render: (_: unknown, a) => (
                <Space direction="vertical" size={0} style={{ width: '100%' }}>
                  <Progress percent={Math.round((a.registered / a.capacity) * 100)} size="small" showInfo={false} />
                  <Typography.Text style={{ fontSize: 12 }}>
                    {a.registered}/{a.capacity}
                    {a.waiting > 0 ? `，候补 ${a.waiting}` : ''}
                  </Typography.Text>
                </Space>
              ),
            },
            { title: '来源', dataIndex: 'origin', width: 150, render: (v: keyof typeof origins) => origins[v] },
            { title: '状态', dataIndex: 'status', width: 90, render: (v: ActivityView['status']) => <ActivityStatusTag status={v} /> },
          ]}
        />
      </Card>
    </div>
  )
}
