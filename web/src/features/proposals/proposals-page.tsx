import { useState } from 'react'
import { Button, Card, Checkbox, Descriptions, Form, InputNumber, Progress, Space, Tabs, Tag, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useQuery } from '@tanstack/react-query'
import { Link, useNavigate } from 'react-router-dom'
import { proposalStatuses, type ProposalRow, type ProposalRuleView, type WorkPlanItem } from '../../../../common/proposals'
import { proposalApi as api } from './api'
import { feedback } from '../../components/feedback'
import { dateTime } from '../../components/format'
import { PageHead } from '../../components/page-head'
import { FilterSelect, SearchBox, ServerTable, usePagedQuery } from '../../components/server-table'
import { useSave } from '../../components/use-save'
import { useTitle } from '../../components/use-title'
import { useCurrentOrg } from '../../app/current-org'
import { ProposalStatusTag, SupportBar } from './labels'

/**
 * 建议: the queue of members' proposals (overdue answers first), the work plan they entered, the
 * rules — of the union chosen in the organization tree and the unions below it, like the other lists.
 */
export function ProposalsPage() {
  useTitle('建议')
  const [tab, setTab] = useState('queue')
  const { current } = useCurrentOrg()
  return (
    <div className="page" data-testid="proposals-page">
      <PageHead
        title="会员建议"
        sub={
          <>
            会员提出建议、其他会员支持（打call）；达到支持数即纳入工会工作计划，须在期限内答复（纳入或说明不予采纳的理由），采纳的办理到办结
            {current ? <span data-testid="proposals-org">；当前：{current.name}及下级</span> : null}
          </>
        }
      />
      <Card size="small" className="section-card">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'queue', label: <span data-testid="proposals-tab-queue">建议办理</span>, children: <Queue /> },
            { key: 'plan', label: <span data-testid="proposals-tab-plan">工作计划</span>, children: <WorkPlan /> },
            { key: 'rules', label: <span data-testid="proposals-tab-rules">规则设置</span>, children: <Rules /> },
          ]}
        />
      </Card>
    </div>
  )
}

function Queue() {
  const navigate = useNavigate()
  const org = useCurrentOrg().current?.id
  const [status, setStatus] = useState<string | undefined>()
  const [overdue, setOverdue] = useState(false)
  const paged = usePagedQuery(
    ['proposals'],
    api.proposals,
    { org, status, overdue: overdue ? ('true' as const) : undefined },
    { search: true },
  )
  const columns: ColumnsType<ProposalRow> = [
    {
      title: '建议',
      dataIndex: 'title',
      render: (v: string, p) => (
        <div>
          <Link to={`/proposals/${p.id}`} data-testid={`proposal-link-${p.id}`}>
            <b>{v}</b>
          </Link>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {p.categoryLabel} · {p.authorName} · {dateTime(p.createdAt)}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    { title: '工会', dataIndex: 'unionName', width: 170 },
    {
      title: '支持数 / 门槛',
      width: 200,
      render: (_: unknown, p) => <SupportBar count={p.supportsCount} threshold={p.threshold} />,
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 170,
      render: (_: string, p) => (
        <div>
          <ProposalStatusTag status={p.status} />
          {p.status === 'reached' && p.answerDueOn && (
            <div>
              {p.overdue ? (
                <Tag color="red" data-testid={`proposal-overdue-${p.id}`}>
                  答复已超期（{p.answerDueOn}）
                </Tag>
              ) : (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {p.answerDueOn} 前答复
                </Typography.Text>
              )}
            </div>
          )}
          {(p.status === 'in_progress' || p.status === 'accepted') && <Progress percent={p.progress} size="small" />}
          {p.status === 'open' && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              征集至 {p.closesOn}
            </Typography.Text>
          )}
        </div>
      ),
    },
    {
      title: '操作',
      key: 'actions',
      width: 90,
      render: (_: unknown, p) => (
        <Button size="small" type={p.status === 'reached' ? 'primary' : 'default'} onClick={() => navigate(`/proposals/${p.id}`)}>
          {p.status === 'reached' ? '答复' : '查看'}
        </Button>
      ),
    },
  ]
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <SearchBox paged={paged} placeholder="搜索建议标题" width={220} testid="proposals-search" />
        <FilterSelect
          value={status}
          onChange={setStatus}
          placeholder="全部状态"
          width={180}
          options={Object.entries(proposalStatuses).map(([value, label]) => ({ value, label }))}
          testid="proposals-status"
        />
        <Checkbox checked={overdue} onChange={(e) => setOverdue(e.target.checked)} data-testid="proposals-overdue">
          只看答复超期
        </Checkbox>
      </Space>
      <ServerTable<ProposalRow>
        paged={paged}
        columns={columns}
        unit="条"
        empty="暂无会员建议"
        rowClassName={(p) => (p.overdue ? 'row-overdue' : '')}
        rowTestid={(p) => ({ 'data-testid': `proposal-row-${p.id}`, 'data-name': p.title })}
        scroll={{ x: 800 }}
      />
    </>
  )
}

function WorkPlan() {
  const org = useCurrentOrg().current?.id
  const paged = usePagedQuery(['proposals', 'work-plan'], api.workPlan, { org })
  const columns: ColumnsType<WorkPlanItem> = [
    {
      title: '事项',
      dataIndex: 'title',
      render: (v: string, w) => <Link to={`/proposals/${w.proposalId}`}>{v}</Link>,
    },
    { title: '工会', dataIndex: 'unionName', width: 180 },
    { title: '纳入时间', dataIndex: 'createdAt', width: 150, render: (v: string) => dateTime(v) },
    {
      title: '状态',
      dataIndex: 'status',
      width: 220,
      render: (_: string, w) => (
        <div>
          <ProposalStatusTag status={w.status} />
          {w.overdue && <Tag color="red">答复已超期</Tag>}
          {(w.status === 'in_progress' || w.status === 'accepted' || w.status === 'done') && <Progress percent={w.progress} size="small" />}
        </div>
      ),
    },
  ]
  return (
    <>
      <Typography.Paragraph type="secondary">会员建议达到支持数即列入工会工作计划；此处为本级及下级工会的全部事项。</Typography.Paragraph>
      <ServerTable<WorkPlanItem>
        paged={paged}
        columns={columns}
        unit="项"
        empty="暂无达到支持数的建议"
        rowTestid={(w) => ({ 'data-testid': `plan-row-${w.proposalId}`, 'data-name': w.title })}
      />
    </>
  )
}

function Rules() {
  const org = useCurrentOrg().current?.id
  const rules = useQuery({ queryKey: ['proposals', 'rules', org], queryFn: () => api.proposalRules(org) })
  if (!rules.data) return null
  return (
    <>
      <Typography.Paragraph type="secondary">
        {rules.data.unionName}
        及其下属工会此后发布的建议适用以下规则（发布时固定在建议上）；下级工会可另行设置本级的规则。答复期限按工作日计算，跳过周六、周日（法定节假日未计入）。
      </Typography.Paragraph>
      <Space direction="vertical" style={{ width: '100%' }}>
        {rules.data.rules.map((r) => (
          <RuleCard key={`${rules.data.unionId}-${r.level}`} orgId={rules.data.unionId} rule={r} canWrite={rules.data.canWrite} />
        ))}
      </Space>
    </>
  )
}

function RuleCard({ orgId, rule, canWrite }: { orgId: number; rule: ProposalRuleView; canWrite: boolean }) {
  const [form] = Form.useForm<{ threshold: number; answerDays: number; periodDays: number }>()
  const [editing, setEditing] = useState(false)
  const { saving, save } = useSave(
    (v: { threshold: number; answerDays: number; periodDays: number }) => api.saveProposalRule({ orgId, level: rule.level, ...v }),
    {
      form,
      invalidate: [['proposals', 'rules']],
      onSuccess: () => {
        feedback.message.success('规则已保存')
        setEditing(false)
      },
    },
  )
  const source =
    rule.source === 'own' ? '本工会设置' : rule.source === 'inherited' ? `沿用${rule.sourceName ?? '上级工会'}的设置` : '系统默认'
  return (
    <Card
      size="small"
      title={rule.levelLabel}
      data-testid={`rule-${rule.level}`}
      extra={
        canWrite && !editing ? (
          <Button size="small" onClick={() => setEditing(true)} data-testid={`rule-edit-${rule.level}`}>
            修改
          </Button>
        ) : null
      }
    >
      {editing ? (
        <Form
          form={form}
          layout="inline"
          initialValues={{ threshold: rule.threshold, answerDays: rule.answerDays, periodDays: rule.periodDays }}
          onFinish={(v) => void save(v)}
        >
          <Form.Item name="threshold" label="支持数门槛" rules={[{ required: true, message: '请填写支持数门槛' }]}>
            <InputNumber min={1} max={100000} precision={0} data-testid={`rule-threshold-${rule.level}`} />
          </Form.Item>
          <Form.Item name="answerDays" label="答复期限（工作日）" rules={[{ required: true, message: '请填写答复期限' }]}>
            <InputNumber min={1} max={100} precision={0} />
          </Form.Item>
          <Form.Item name="periodDays" label="征集期（天）" rules={[{ required: true, message: '请填写征集期' }]}>
            <InputNumber min={1} max={730} precision={0} />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={saving} data-testid={`rule-save-${rule.level}`}>
              保存
            </Button>
            <Button onClick={() => setEditing(false)}>取消</Button>
          </Space>
        </Form>
      ) : (
        <Descriptions size="small" column={4}>
          <Descriptions.Item label="支持数门槛">{rule.threshold} 人</Descriptions.Item>
          <Descriptions.Item label="答复期限">{rule.answerDays} 个工作日</Descriptions.Item>
          <Descriptions.Item label="征集期">{rule.periodDays} 天</Descriptions.Item>
          <Descriptions.Item label="来源">{source}</Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  )
}
