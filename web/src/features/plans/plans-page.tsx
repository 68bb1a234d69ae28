import { useState } from 'react'
import { Button, Card, Empty, Popconfirm, Space, Table, Tag, Typography } from 'antd'
import { DeleteOutlined, EditOutlined, LineChartOutlined, PlusOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useNavigate } from 'react-router-dom'
import type { PlanSummary } from '../../../../common/plans'
import { feedback } from '../../components/feedback'
import { PageHead } from '../../components/page-head'
import { errorMessage } from '../../components/form-errors'
import { useTitle } from '../../components/use-title'
import { canWrite, useUser } from '../auth/auth-context'
import { plansApi } from './api'
import { today } from './shared'

function periodTag(p: PlanSummary) {
  const d = today()
  if (d < p.startOn) return <Tag>未开始</Tag>
  if (d > p.endOn) return <Tag color="default">已结束</Tag>
  return <Tag color="red">实施中</Tag>
}

/** 计划与目标: the plans of the caller's union, its ancestors and the unions below it. */
export function PlansPage() {
  useTitle('计划与目标')
  const user = useUser()
  const navigate = useNavigate()
  const qc = useQueryClient()
  const [page, setPage] = useState(1)
  const [pageSize, setPageSize] = useState(20)
  const list = useQuery({ queryKey: ['plans', page, pageSize], queryFn: () => plansApi.list({ page, pageSize }) })
  const remove = useMutation({
    mutationFn: (id: number) => plansApi.remove(id),
    onSuccess: () => {
      feedback.message.success('已删除')
      qc.invalidateQueries({ queryKey: ['plans'] })
    },
    onError: (e) => feedback.message.error(errorMessage(e)),
  })

  return (
    <div className="page" data-testid="plans-page">
      <PageHead
        title="计划与目标"
        sub="三年规划、行动方案的目标任务：分解到各镇（街道），实时对照完成进度，定期通报、末位约谈"
        extra={
          canWrite(user) && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/plans/new')} data-testid="plan-new">
              新建计划
            </Button>
          )
        }
      />
      <Card size="small" className="section-card">
        <Table<PlanSummary>
          rowKey="id"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          data-testid="plans-table"
          locale={{
            emptyText: <Empty description={canWrite(user) ? '还没有计划。点击“新建计划”，录入期间、目标和年度节点' : '还没有计划'} />,
          }}
          pagination={{
            current: page,
            pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (t) => `共 ${t} 个计划`,
            onChange: (p, s) => {
              setPage(p)
              setPageSize(s)
            },
          }}
          onRow={(p) =>
            ({
              onClick: () => navigate(`/plans/${p.id}`),
              style: { cursor: 'pointer' },
              'data-testid': 'plan-row',
            }) as React.HTMLAttributes<HTMLElement>
          }
          columns={[
            {
              title: '计划名称',
              dataIndex: 'name',
              render: (v: string, p) => (
                <Space direction="vertical" size={0}>
                  <Typography.Link strong>{v}</Typography.Link>
                  {p.docNo && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {p.docNo}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            { title: '制定单位', dataIndex: ['org', 'name'], width: 180 },
            {
              title: '计划期',
              width: 220,
              render: (_, p) => (
                <Space>
                  {`${p.startOn} 至 ${p.endOn}`}
                  {periodTag(p)}
                </Space>
              ),
            },
            { title: '目标', dataIndex: 'targetCount', width: 70, align: 'right' },
            { title: '年度节点', dataIndex: 'milestoneCount', width: 90, align: 'right' },
            {
              title: '操作',
              width: 230,
              render: (_, p) => (
                <Space onClick={(e) => e.stopPropagation()}>
                  <Button size="small" type="link" icon={<LineChartOutlined />} onClick={() => navigate(`/plans/${p.id}`)}>
                    进度
                  </Button>
                  {p.editable && canWrite(user) && (
                    <Button size="small" type="link" icon={<EditOutlined />} onClick={() => navigate(`/plans/${p.id}/edit`)}>
                      编辑
                    </Button>
                  )}
                  {p.editable && canWrite(user) && (
                    <Popconfirm
                      title={`删除“${p.name}”？`}
                      description="其目标、年度节点和各级分解将一并删除，不能恢复。"
                      okText="删除"
                      okButtonProps={{ danger: true }}
                      cancelText="取消"
                      onConfirm={() => remove.mutateAsync(p.id)}
                    >
                      <Button size="small" type="link" danger icon={<DeleteOutlined />} data-testid="plan-delete">
                        删除
                      </Button>
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </div>
  )
}
