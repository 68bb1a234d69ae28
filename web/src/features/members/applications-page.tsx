import { useSearchParams } from 'react-router-dom'
import { useState } from 'react'
import { Alert, Button, Card, Checkbox, Descriptions, Modal, Space, Table, Tag, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { CheckOutlined, CloseOutlined, ExclamationCircleOutlined, QuestionCircleOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import dayjs from 'dayjs'
import type { ApplicationView, TransferView } from '../../../../common/api-members'
import { genders, labelOf, newEmploymentOccupations, optionsOf } from '../../../../common/codes'
import { documentTypeLabel } from '../../../../common/documents'
import { applicationRoutes, applicationStatuses } from '../../../../common/member-codes'
import { api } from '../../api/client'
import { feedback } from '../../components/feedback'
import { PageHead } from '../../components/page-head'
import { DecisionModal } from '../../components/decision-modal'
import { useTitle } from '../../components/use-title'
import { FilterSelect, ServerTable, usePagedQuery } from '../../components/server-table'
import { canWrite, useUser } from '../auth/auth-context'
import { useCurrentOrg } from '../../app/current-org'
import { ApplicationStatusTag } from './labels'

type Decision = 'approve' | 'reject' | 'need_info'
const decisionInfo: Record<Decision, { title: string; ok: string; noteRequired: boolean; placeholder: string }> = {
  approve: { title: '通过入会申请', ok: '确认通过', noteRequired: false, placeholder: '可选：如已电话联系申请人' },
  reject: { title: '不予通过', ok: '确认不通过', noteRequired: true, placeholder: '请说明理由，申请人在进度查询中可以看到' },
  need_info: {
    title: '退回补充材料',
    ok: '退回补充',
    noteRequired: true,
    placeholder: '请说明需要补充的信息，例如：请补充劳动合同或工作证明',
  },
}

const daysOver = (dueOn: string) => dayjs().startOf('day').diff(dayjs(dueOn), 'day')
const open = (s: string) => s === 'pending' || s === 'need_info'

export function ApplicationsPage() {
  useTitle('入会审核')
  const user = useUser()
  const writable = canWrite(user)
  const { current } = useCurrentOrg()
  // ?overdue=1 (the 待办 panel's link): the overdue ones, whatever their open status
  const [sp] = useSearchParams()
  const [status, setStatus] = useState<string | undefined>(sp.get('overdue') === '1' ? undefined : 'pending')
  const [overdue, setOverdue] = useState(sp.get('overdue') === '1')
  const [deciding, setDeciding] = useState<{ app: ApplicationView; decision: Decision } | null>(null)
  const [viewing, setViewing] = useState<ApplicationView | null>(null)
  const apps = usePagedQuery(['applications'], api.applications, {
    org: current?.id,
    status,
    overdue: overdue ? ('true' as const) : undefined,
  })
  const overdueCount = useQuery({
    queryKey: ['applications', 'overdue-count', current?.id],
    queryFn: async () => (await api.applications({ org: current?.id, overdue: 'true', pageSize: 1 })).total,
  })

  const columns: ColumnsType<ApplicationView> = [
    {
      title: '申请人',
      dataIndex: 'name',
      width: 150,
      render: (v: string, a) => (
        <div>
          <Typography.Link strong onClick={() => setViewing(a)} data-testid="application-name">
            {v}
          </Typography.Link>
          <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 6 }}>
            {labelOf(genders, a.gender)}
          </Typography.Text>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} className="mono">
              {a.documentNumber}
            </Typography.Text>
          </div>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} className="mono">
              {a.phone}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    {
      title: '工作单位',
      dataIndex: 'workplace',
      width: 190,
      render: (v: string, a) => (
        <div>
          {v}
          {!a.enterpriseId && <Tag style={{ marginInlineStart: 4 }}>名录外</Tag>}
          {a.occupation && (
            <Tag color="purple" style={{ marginInlineStart: 4 }}>
              {labelOf(newEmploymentOccupations, a.occupation)}
            </Tag>
          )}
        </div>
      ),
    },
    {
      title: '入会途径 / 受理工会',
      dataIndex: 'route',
      width: 190,
      render: (v: string, a) => (
        <div>
          <Tag color="blue">{labelOf(applicationRoutes, v)}</Tag>
          <div style={{ fontSize: 12 }}>{a.unionName}</div>
        </div>
      ),
    },
    {
      title: '申请时间',
      dataIndex: 'createdAt',
      width: 100,
      render: (v: string) => (
        <div>
          {dayjs(v).format('YYYY-MM-DD')}
          <div style={{ fontSize: 12, color: '#888' }}>{dayjs(v).format('HH:mm')}</div>
        </div>
      ),
    },
    {
      title: '办理期限',
      dataIndex: 'dueOn',
      width: 130,
      render: (v: string, a) => {
        const over = daysOver(v)
        return a.overdue || (open(a.status) && over > 0) ? (
          <div className="overdue" data-testid="application-overdue">
            <ExclamationCircleOutlined /> {v}
            <div>已超期 {Math.max(over, 1)} 天</div>
          </div>
        ) : (
          <div>
            {v}
            {open(a.status) && <div style={{ fontSize: 12, color: '#888' }}>剩 {-over} 天</div>}
          </div>
        )
      },
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 170,
      render: (v: string, a) => (
        <div>
          <ApplicationStatusTag status={v} />
          {a.infoAnswer && v === 'pending' && (
            <Tag color="cyan" style={{ marginInlineStart: 4 }} data-testid="application-answered">
              已补充
            </Tag>
          )}
          {a.reviewNote && <div style={{ fontSize: 12, color: '#888', maxWidth: 200 }}>意见：{a.reviewNote}</div>}
          {a.infoAnswer && (
            <div style={{ fontSize: 12, color: '#1677ff', maxWidth: 200 }} data-testid="application-answer">
              补充：{a.infoAnswer}
            </div>
          )}
        </div>
      ),
    },
    ...(writable
      ? [
          {
            title: '操作',
            key: 'actions',
            width: 150,
            fixed: 'right' as const,
            render: (_: unknown, a: ApplicationView) =>
              open(a.status) ? (
                <Space size={0} wrap>
                  <Button
                    type="link"
                    size="small"
                    icon={<CheckOutlined />}
                    onClick={() => setDeciding({ app: a, decision: 'approve' })}
                    data-testid={`application-approve-${a.id}`}
                  >
                    通过
                  </Button>
                  <Button
                    type="link"
                    size="small"
                    icon={<QuestionCircleOutlined />}
                    onClick={() => setDeciding({ app: a, decision: 'need_info' })}
                    data-testid={`application-needinfo-${a.id}`}
                  >
                    补充
                  </Button>
                  <Button
                    type="link"
                    size="small"
                    danger
                    icon={<CloseOutlined />}
                    onClick={() => setDeciding({ app: a, decision: 'reject' })}
                    data-testid={`application-reject-${a.id}`}
                  >
                    不通过
                  </Button>
                </Space>
              ) : a.memberId ? (
                <Typography.Text type="secondary">已入会</Typography.Text>
              ) : null,
          },
        ]
      : []),
  ]

  return (
    <div className="page" data-testid="applications-page">
      <PageHead
        title="入会审核"
        sub={
          <>
            职工网上申请入会，由所在单位工会（或联合工会、属地工会）审核，15个工作日内联系申请人
            {current ? `；当前：${current.name}及下级` : ''}
          </>
        }
        row
      />
      {!!overdueCount.data && (
        <Alert
          type="error"
          showIcon
          className="section-card"
          data-testid="applications-overdue-alert"
          title={`有 ${overdueCount.data} 件申请已超过办理期限，请尽快处理`}
          action={
            <Button
              size="small"
              danger
              onClick={() => {
                setOverdue(true)
                setStatus(undefined)
              }}
            >
              只看超期
            </Button>
          }
        />
      )}
      <MemberTransferRequests orgPath={current?.id} writable={writable} />
      <Card size="small" className="section-card">
        <div className="table-toolbar">
          <FilterSelect
            placeholder="全部状态"
            width={140}
            value={status}
            onChange={setStatus}
            options={optionsOf(applicationStatuses)}
            testid="application-filter-status"
          />
          <Checkbox checked={overdue} onChange={(e) => setOverdue(e.target.checked)} data-testid="application-filter-overdue">
            只看超期
          </Checkbox>
        </div>
        <ServerTable<ApplicationView>
          paged={apps}
          columns={columns}
          scroll={{ x: 'max-content' }}
          rowClassName={(a) => (a.overdue ? 'row-overdue' : '')}
          rowTestid={(a) => ({ 'data-testid': `application-row-${a.id}`, 'data-name': a.name })}
          empty={status === 'pending' ? '没有待审核的申请' : '暂无申请'}
          unit="件"
        />
      </Card>
      {deciding && <ApplicationDecisionModal {...deciding} onClose={() => setDeciding(null)} />}
      {viewing && (
        <Modal open title={`入会申请 · ${viewing.name}`} onCancel={() => setViewing(null)} footer={null} width={640}>
          <Descriptions
            bordered
            size="small"
            column={{ xs: 1, sm: 2 }}
            items={[
              { label: '姓名', children: viewing.name },
              { label: '性别', children: labelOf(genders, viewing.gender) },
              { label: '证件类型', children: documentTypeLabel(viewing.documentType) },
              { label: '证件号码', children: viewing.documentNumber },
              { label: '出生日期', children: viewing.birthDateKnown ? '已隐藏（由证件号码得出，入会后可留痕查看）' : '—' },
              { label: '手机号', children: viewing.phone },
              { label: '工作单位', children: viewing.workplace, span: 'filled' },
              { label: '居住地', children: viewing.residenceRegion ?? '—' },
              { label: '新就业形态', children: labelOf(newEmploymentOccupations, viewing.occupation) || '否' },
              { label: '入会途径', children: labelOf(applicationRoutes, viewing.route) },
              { label: '受理工会', children: viewing.unionName },
              { label: '申请说明', children: viewing.applicantNote ?? '—', span: 'filled' },
              { label: '审核意见', children: viewing.reviewNote ?? '—', span: 'filled' },
              ...(viewing.infoAnswer
                ? [
                    {
                      label: '申请人补充',
                      children: `${viewing.infoAnswer}${viewing.infoAnsweredAt ? `（${dayjs(viewing.infoAnsweredAt).format('YYYY-MM-DD HH:mm')}）` : ''}`,
                      span: 'filled' as const,
                    },
                  ]
                : []),
            ]}
          />
        </Modal>
      )}
    </div>
  )
}

function ApplicationDecisionModal({ app, decision, onClose }: { app: ApplicationView; decision: Decision; onClose: () => void }) {
  const info = decisionInfo[decision]
  const qc = useQueryClient()
  return (
    <DecisionModal
      title={`${info.title} · ${app.name}`}
      okText={info.ok}
      danger={decision === 'reject'}
      label={decision === 'approve' ? '备注' : '理由'}
      required={info.noteRequired ? '请填写理由' : undefined}
      placeholder={info.placeholder}
      submitTestid="application-decision-submit"
      noteTestid="application-decision-note"
      decide={async (note) => {
        await api.decideApplication(app.id, decision, note)
        feedback.message.success(
          decision === 'approve' ? `已通过，${app.name}成为会员` : decision === 'reject' ? '已不予通过' : '已退回补充材料',
        )
        void qc.invalidateQueries({ queryKey: ['applications'] })
        void qc.invalidateQueries({ queryKey: ['members'] })
        onClose()
      }}
      onClose={onClose}
    >
      <Typography.Paragraph type="secondary">
        {app.workplace} · {labelOf(applicationRoutes, app.route)} · {app.unionName}
      </Typography.Paragraph>
      {decision === 'approve' && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 12 }}
          title="通过后登记为会员并生成会员号与电子会员证；若此人已是其他工会会员，将提示办理接转。"
        />
      )}
    </DecisionModal>
  )
}

/**
 * 会员申请转入: members of other unions who asked on the joining page to move their membership
 * here. The receiving union accepts (转出/转入 in the ledger) or declines with a reason.
 */
function MemberTransferRequests({ orgPath, writable }: { orgPath?: number; writable: boolean }) {
  const q = useQuery({
    queryKey: ['transfers', 'member-requests', orgPath],
    queryFn: () => api.transfers({ direction: 'in', status: 'pending', requestedBy: 'member', pageSize: 50 }),
  })
  const [deciding, setDeciding] = useState<{ t: TransferView; accept: boolean } | null>(null)
  const items = q.data?.items ?? []
  if (items.length === 0) return null
  const columns: ColumnsType<TransferView> = [
    {
      title: '会员',
      dataIndex: 'memberName',
      width: 150,
      render: (v: string, t) => (
        <div>
          <b>{v}</b>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }} className="mono">
              {t.documentNumber}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    {
      title: '原工会 → 转入工会',
      key: 'unions',
      width: 240,
      render: (_: unknown, t) => (
        <div>
          {t.fromUnionName ?? '—'}
          <div style={{ fontSize: 12 }}>
            → <b>{t.toUnionName}</b>
          </div>
        </div>
      ),
    },
    { title: '申请说明', dataIndex: 'note', render: (v: string | null) => <div style={{ maxWidth: 320, fontSize: 12 }}>{v ?? '—'}</div> },
    { title: '申请时间', dataIndex: 'requestedAt', width: 110, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
    ...(writable
      ? [
          {
            title: '操作',
            key: 'actions',
            width: 140,
            fixed: 'right' as const,
            render: (_: unknown, t: TransferView) => (
              <Space size={0}>
                {t.canAccept && (
                  <Button
                    type="link"
                    size="small"
                    icon={<CheckOutlined />}
                    onClick={() => setDeciding({ t, accept: true })}
                    data-testid={`member-transfer-accept-${t.id}`}
                  >
                    接收
                  </Button>
                )}
                {t.canReject && (
                  <Button
                    type="link"
                    size="small"
                    danger
                    icon={<CloseOutlined />}
                    onClick={() => setDeciding({ t, accept: false })}
                    data-testid={`member-transfer-decline-${t.id}`}
                  >
                    退回
                  </Button>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ]
  return (
    <Card
      size="small"
      className="section-card"
      data-testid="member-transfer-requests"
      title={
        <span>
          会员申请转入 <Tag color="orange">{items.length}</Tag>
        </span>
      }
      extra={
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          其他工会的会员在网上申请把会籍转入本工会；接收后原工会记转出、本工会记转入
        </Typography.Text>
      }
    >
      <Table<TransferView>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(t) => ({ 'data-testid': `member-transfer-row-${t.id}`, 'data-name': t.memberName }) as React.HTMLAttributes<HTMLElement>}
      />
      {deciding && <TransferDecisionModal {...deciding} onClose={() => setDeciding(null)} />}
    </Card>
  )
}

function TransferDecisionModal({ t, accept, onClose }: { t: TransferView; accept: boolean; onClose: () => void }) {
  const qc = useQueryClient()
  return (
    <DecisionModal
      title={`${accept ? '接收会员转入' : '退回转会申请'} · ${t.memberName}`}
      okText={accept ? '确认接收' : '确认退回'}
      danger={!accept}
      label={accept ? '备注' : '理由'}
      required={accept ? undefined : '请填写退回理由'}
      placeholder={accept ? '可选' : '请说明理由，会员在进度查询中可以看到'}
      submitTestid="member-transfer-submit"
      noteTestid="member-transfer-note"
      decide={async (note) => {
        await (accept ? api.acceptTransfer(t.id, note) : api.declineTransfer(t.id, note))
        feedback.message.success(accept ? `已接收，${t.memberName}的会籍已转入${t.toUnionName ?? ''}` : '已退回转会申请')
        void qc.invalidateQueries({ queryKey: ['transfers'] })
        void qc.invalidateQueries({ queryKey: ['members'] })
        onClose()
      }}
      onClose={onClose}
    >
      <Typography.Paragraph type="secondary">
        {t.fromUnionName} → {t.toUnionName}
      </Typography.Paragraph>
      {t.note && <Alert type={/不一致/.test(t.note) ? 'warning' : 'info'} showIcon style={{ marginBottom: 12 }} title={t.note} />}
    </DecisionModal>
  )
}
