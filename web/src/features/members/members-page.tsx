import { useState } from 'react'
import { Alert, Button, Card, Col, Form, Input, Modal, Radio, Row, Space, Statistic, Switch, Tag, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table/interface'
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import type { MemberView } from '../../../../common/api-members'
import { genders, labelOf, newEmploymentOccupations, optionsOf } from '../../../../common/codes'
import { memberQuality, memberStatuses } from '../../../../common/member-codes'
import { api } from '../../api/client'
import { GaugeChart } from '../../components/gauge-chart'
import { PageHead } from '../../components/page-head'
import { useTitle } from '../../components/use-title'
import { FilterSelect, SearchBox, ServerTable, usePagedQuery } from '../../components/server-table'
import { canReveal, canWrite, useUser } from '../auth/auth-context'
import { useCurrentOrg } from '../../app/current-org'
import { ScopeSwitch } from '../enterprises/scope-switch'
import { MemberStatusTag, QualityTag } from './labels'
import { MemberDetailDrawer } from './member-detail-drawer'
import { MemberFormDrawer } from './member-form-drawer'

interface Filters {
  status?: string
  quality?: string
  occupation?: string
}

export function MembersPage() {
  useTitle('会员名册')
  const user = useUser()
  const writable = canWrite(user)
  const { current } = useCurrentOrg()
  const [scope, setScope] = useState<'org' | 'all'>('org')
  const org = scope === 'org' && current ? current.id : undefined
  const [filters, setFilters] = useState<Filters>({})
  const [creating, setCreating] = useState(false)
  const [viewing, setViewing] = useState<number | null>(null)
  const [exporting, setExporting] = useState(false)

  const members = usePagedQuery(
    ['members', 'list'],
    api.members,
    { org, ...filters },
    {
      search: true,
      sort: '-joinedOn',
      // names and member numbers sort one way only
      sortOf: (field, order) => (field === 'name' || field === 'memberNo' ? field : order === 'ascend' ? field : `-${field}`),
    },
  )
  const { sortOrder } = members
  const summary = useQuery({ queryKey: ['members', 'summary', org], queryFn: () => api.memberSummary(org) })

  const setFilter = (p: Partial<Filters>) => setFilters((f) => ({ ...f, ...p }))

  const columns: ColumnsType<MemberView> = [
    {
      title: '会员号',
      dataIndex: 'memberNo',
      width: 130,
      sorter: true,
      sortOrder: sortOrder('memberNo'),
      render: (v: string) => <span className="mono">{v}</span>,
    },
    {
      title: '姓名',
      dataIndex: 'name',
      width: 100,
      sorter: true,
      sortOrder: sortOrder('name'),
      render: (v: string, m) => (
        <div>
          <Typography.Link strong onClick={() => setViewing(m.id)} data-testid="member-name">
            {v}
          </Typography.Link>
          <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 4 }}>
            {labelOf(genders, m.gender)}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: '证件号码 / 手机号',
      dataIndex: 'documentNumber',
      width: 170,
      render: (v: string, m) => (
        <div className="mono">
          {v}
          <div style={{ color: '#888' }}>{m.phone ?? '—'}</div>
        </div>
      ),
    },
    { title: '所在工会', dataIndex: 'unionName', width: 160, ellipsis: true },
    {
      title: '工作单位',
      dataIndex: 'workplace',
      width: 160,
      ellipsis: true,
      render: (v: string | null, m) => (
        <>
          {v ?? '—'}
          {m.occupation && (
            <Tag color="purple" style={{ marginInlineStart: 4 }}>
              {labelOf(newEmploymentOccupations, m.occupation)}
            </Tag>
          )}
        </>
      ),
    },
    { title: '入会日期', dataIndex: 'joinedOn', width: 110, sorter: true, sortOrder: sortOrder('joinedOn') },
    { title: '状态', dataIndex: 'status', width: 90, render: (v: string) => <MemberStatusTag status={v} /> },
    { title: '信息质量', dataIndex: 'quality', width: 100, render: (v: string) => <QualityTag quality={v} /> },
  ]
  const filtered = !!(members.q || filters.status || filters.quality || filters.occupation)
  const s = summary.data

  return (
    <div className="page" data-testid="members-page">
      <PageHead
        title="会员名册"
        sub="会员实名制：一人一籍，证件号码与手机号脱敏显示，查看完整信息留痕"
        extra={
          <Space wrap>
            <ScopeSwitch current={current} value={scope} onChange={setScope} />
            <Button icon={<DownloadOutlined />} onClick={() => setExporting(true)} data-testid="member-export">
              导出
            </Button>
            {writable && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="member-create-button">
                登记会员
              </Button>
            )}
          </Space>
        }
      />
      <Row gutter={12} className="stat-row">
        {memberStatuses.map((st) => (
          <Col key={st.code} xs={12} md={4}>
            <Card
              size="small"
              className="stat-card stat-card-link"
              onClick={() => setFilter({ status: filters.status === st.code ? undefined : st.code })}
              data-testid={`member-stat-${st.code}`}
            >
              <Statistic
                title={st.label}
                value={s?.byStatus[st.code] ?? '—'}
                suffix="人"
                styles={{ content: { color: filters.status === st.code ? '#c8102e' : undefined } }}
              />
            </Card>
          </Col>
        ))}
        <Col xs={12} md={4}>
          <Card size="small" className="stat-card">
            <Statistic title="新就业形态" value={s?.newEmployment ?? '—'} suffix="人" />
          </Card>
        </Col>
        <Col xs={12} md={4}>
          <Card size="small" className="stat-card" styles={{ body: { padding: '6px 8px 4px' } }} data-testid="member-quality-gauge">
            <GaugeChart numerator={s?.ok ?? 0} denominator={s?.reported ?? 0} target={90} height={62} />
            <div className="gauge-caption" title="合格记录 ÷ 会员数，目标 ≥ 90%">
              实名制录入率 {s ? `${s.ok}/${s.reported}` : ''}
            </div>
          </Card>
        </Col>
      </Row>
      <Card size="small" className="section-card" data-testid="member-table">
        <div className="table-toolbar">
          <SearchBox paged={members} placeholder="姓名 / 证件号码 / 手机号 / 会员号" width={280} testid="member-search" />
          <FilterSelect
            placeholder="会员状态"
            width={130}
            value={filters.status}
            onChange={(v) => setFilter({ status: v })}
            options={optionsOf(memberStatuses)}
            testid="member-filter-status"
          />
          <FilterSelect
            placeholder="信息质量"
            width={140}
            value={filters.quality}
            onChange={(v) => setFilter({ quality: v })}
            options={optionsOf(memberQuality)}
            testid="member-filter-quality"
          />
          <FilterSelect
            placeholder="新就业形态"
            width={140}
            value={filters.occupation}
            onChange={(v) => setFilter({ occupation: v })}
            options={optionsOf(newEmploymentOccupations)}
            testid="member-filter-occupation"
          />
        </div>
        <ServerTable<MemberView>
          paged={members}
          columns={columns}
          scroll={{ x: 'max-content' }}
          rowTestid={(m) => ({ 'data-testid': `member-row-${m.id}`, 'data-name': m.name })}
          empty={filtered ? '没有符合条件的会员' : '暂无会员，可登记会员或导入名册'}
          unit="人"
          sizeChanger
        />
      </Card>
      {creating && (
        <MemberFormDrawer
          union={current ? { id: current.id, code: '', name: current.name } : null}
          onClose={() => setCreating(false)}
          onSaved={(m) => setViewing(m.id)}
        />
      )}
      {viewing && <MemberDetailDrawer memberId={viewing} onClose={() => setViewing(null)} />}
      {exporting && (
        <ExportModal
          org={org}
          filters={filters}
          orgName={scope === 'org' ? current?.name : '全部管辖范围'}
          mayUnmask={canReveal(user)}
          onClose={() => setExporting(false)}
        />
      )}
    </div>
  )
}

function ExportModal({
  org,
  filters,
  orgName,
  mayUnmask,
  onClose,
}: {
  org?: number
  filters: Filters
  orgName?: string
  mayUnmask: boolean
  onClose: () => void
}) {
  // the export holds what the page shows: the same filters, said in words
  const said = [
    filters.status && `会籍状态：${labelOf(memberStatuses, filters.status)}`,
    filters.quality && `信息质量：${labelOf(memberQuality, filters.quality)}`,
    filters.occupation && `新就业形态：${labelOf(newEmploymentOccupations, filters.occupation)}`,
  ].filter(Boolean)
  const [form] = Form.useForm<{ format: 'xlsx' | 'csv'; unmasked: boolean; reason?: string }>()
  const unmasked = Form.useWatch('unmasked', form)
  const handleOk = async () => {
    const v = await form.validateFields().catch(() => null)
    if (!v) return
    const url = api.memberExportUrl({
      org,
      ...filters,
      format: v.format,
      unmasked: v.unmasked,
      reason: v.unmasked ? v.reason?.trim() : undefined,
    })
    const a = document.createElement('a')
    a.href = url
    a.download = ''
    document.body.appendChild(a)
    a.click()
    a.remove()
    onClose()
  }
  return (
    <Modal
      open
      title="导出会员名册"
      onCancel={onClose}
      onOk={handleOk}
      okText="导出"
      okButtonProps={{ 'data-testid': 'member-export-submit' } as never}
      destroyOnHidden
    >
      <Typography.Paragraph data-testid="member-export-scope">
        范围：{orgName ?? '全部管辖范围'}
        {said.length > 0 ? `；按当前筛选（${said.join('，')}）` : '；全部在册会员'}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ format: 'xlsx', unmasked: false }}>
        <Form.Item name="format" label="格式">
          <Radio.Group
            options={[
              { value: 'xlsx', label: 'Excel (xlsx)' },
              { value: 'csv', label: 'CSV' },
            ]}
          />
        </Form.Item>
        {mayUnmask && (
          <Form.Item name="unmasked" label="包含完整证件号码和手机号" valuePropName="checked" extra="默认导出脱敏信息">
            <Switch data-testid="member-export-unmasked" />
          </Form.Item>
        )}
        {unmasked && (
          <>
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title="导出完整的敏感个人信息将记入审计日志，请妥善保管导出文件。"
            />
            <Form.Item
              name="reason"
              label="导出原因"
              rules={[
                { required: true, whitespace: true, message: '导出完整信息须说明原因' },
                { min: 2, message: '导出完整信息须说明原因' },
              ]}
            >
              <Input.TextArea rows={2} maxLength={200} showCount data-testid="member-export-reason" />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  )
}
