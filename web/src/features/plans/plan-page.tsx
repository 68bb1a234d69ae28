import { Alert, Button, Card, Descriptions, Empty, Popconfirm, Skeleton, Space, Table, Tabs, Tag, Typography } from 'antd'
import { ArrowLeftOutlined, DeleteOutlined, EditOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useNavigate, useParams, useSearchParams } from 'react-router-dom'
import type { PlanDetail, PlanMilestoneView, PlanTargetView } from '../../../../common/plans'
import { feedback } from '../../components/feedback'
import { errorMessage } from '../../components/form-errors'
import { useTitle } from '../../components/use-title'
import { canWrite, useUser } from '../auth/auth-context'
import { AllocationView } from './allocation-view'
import { plansApi } from './api'
import { ProgressView } from './progress-view'
import { today } from './shared'

function Content({ plan }: { plan: PlanDetail }) {
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={12}>
      <Card size="small">
        <Descriptions
          size="small"
          column={3}
          items={[
            { label: '制定单位', children: plan.org.name },
            { label: '文号', children: plan.docNo ?? '—' },
            { label: '计划期', children: `${plan.startOn} 至 ${plan.endOn}` },
            ...(plan.note ? [{ label: '说明', children: plan.note, span: 3 }] : []),
          ]}
        />
      </Card>
      <Card size="small" title="目标">
        <Table<PlanTargetView>
          rowKey="key"
          size="small"
          pagination={false}
          dataSource={plan.targets}
          locale={{ emptyText: <Empty description="没有目标" /> }}
          columns={[
            { title: '指标', dataIndex: 'label' },
            {
              title: '类型',
              dataIndex: 'kind',
              width: 120,
              render: (k: string) => (k === 'count' ? <Tag color="blue">数量（可分解）</Tag> : <Tag>比率</Tag>),
            },
            {
              title: '目标值',
              width: 140,
              render: (_, t) => (t.kind === 'rate' ? `≥ ${t.value}%` : `${t.value.toLocaleString('zh-CN')} ${t.unit}`),
            },
            { title: '备注', dataIndex: 'note' },
          ]}
        />
      </Card>
      <Card size="small" title="年度节点">
        <Table<PlanMilestoneView>
          rowKey="dueOn"
          size="small"
          pagination={false}
          dataSource={plan.milestones}
          locale={{ emptyText: <Empty description="没有节点：只在计划期末检查" /> }}
          columns={[
            { title: '节点日期', dataIndex: 'dueOn', width: 140 },
            { title: '名称', dataIndex: 'label' },
            { title: '应完成数量目标的', dataIndex: 'share', width: 160, render: (v: number) => `${v}%` },
          ]}
        />
      </Card>
    </Space>
  )
}

/** One plan: its progress (charts, ranking, 通报), the split of its targets, and its content. */
export function PlanPage() {
  const id = Number(useParams().id)
  const navigate = useNavigate()
  const user = useUser()
  const qc = useQueryClient()
  const [sp, setSp] = useSearchParams()
  const plan = useQuery({ queryKey: ['plan', id], queryFn: () => plansApi.get(id) })
  useTitle(plan.data?.name ?? '计划')
  const remove = useMutation({
    mutationFn: () => plansApi.remove(id),
    onSuccess: () => {
      feedback.message.success('已删除')
      qc.invalidateQueries({ queryKey: ['plans'] })
      navigate('/plans')
    },
    onError: (e) => feedback.message.error(errorMessage(e)),
  })
  const set = (p: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(sp)
    for (const [k, v] of Object.entries(p)) {
      if (v === undefined || v === '') next.delete(k)
      else next.set(k, String(v))
    }
    setSp(next, { replace: false })
  }

  if (plan.isError)
    return (
      <div className="page">
        <Alert
          type="error"
          showIcon
          message={errorMessage(plan.error)}
          action={<Button onClick={() => navigate('/plans')}>返回列表</Button>}
        />
      </div>
    )
  const p = plan.data
  if (!p)
    return (
      <div className="page">
        <Card>
          <Skeleton active />
        </Card>
      </div>
    )
  const tab = sp.get('tab') ?? 'progress'
  const org = sp.get('org') ? Number(sp.get('org')) : undefined
  // a plan that has ended is read at its end by default
  const asOf = sp.get('asOf') ?? (p.endOn < today() ? p.endOn : undefined)
  const running = today() >= p.startOn && today() <= p.endOn

  return (
    <div className="page" data-testid="plan-page">
      <Card className="page-head">
        <div className="page-head-row">
          <div>
            <Space>
              <Typography.Title level={3} style={{ margin: 0 }}>
                {p.name}
              </Typography.Title>
              {running ? <Tag color="red">实施中</Tag> : today() > p.endOn ? <Tag>已结束</Tag> : <Tag>未开始</Tag>}
            </Space>
            <div className="page-sub">
              {p.org.name}
              {p.docNo ? ` · ${p.docNo}` : ''} · {p.startOn} 至 {p.endOn}
            </div>
          </div>
          <Space>
            <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/plans')}>
              计划列表
            </Button>
            {p.editable && canWrite(user) && (
              <Button icon={<EditOutlined />} onClick={() => navigate(`/plans/${id}/edit`)}>
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
                onConfirm={() => remove.mutateAsync()}
              >
                <Button danger icon={<DeleteOutlined />}>
                  删除
                </Button>
              </Popconfirm>
            )}
          </Space>
        </div>
      </Card>
      <Tabs
        activeKey={tab}
        onChange={(k) => set({ tab: k === 'progress' ? undefined : k, org: undefined })}
        items={[
          {
            key: 'progress',
            label: '完成进度',
            children: (
              <ProgressView
                plan={p}
                org={org}
                asOf={asOf}
                rankBy={sp.get('rankBy') ?? 'overall'}
                onChange={(c) =>
                  set({
                    ...('org' in c ? { org: c.org } : {}),
                    ...('asOf' in c ? { asOf: c.asOf } : {}),
                    ...('rankBy' in c ? { rankBy: c.rankBy === 'overall' ? undefined : c.rankBy } : {}),
                  })
                }
              />
            ),
          },
          { key: 'allocation', label: '目标分解', children: <AllocationView plan={p} org={org} onOrg={(o) => set({ org: o })} /> },
          { key: 'content', label: '计划内容', children: <Content plan={p} /> },
        ]}
      />
    </div>
  )
}
