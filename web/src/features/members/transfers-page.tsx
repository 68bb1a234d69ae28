import { useState } from 'react'
import { Button, Card, Popconfirm, Space, Tabs, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { CheckOutlined, CloseOutlined, StopOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import dayjs from 'dayjs'
import type { TransferView } from '../../../../common/api-members'
import { labelOf, membershipReasons, optionsOf } from '../../../../common/codes'
import { transferRequesters, transferStatuses } from '../../../../common/member-codes'
import { api } from '../../api/client'
import { feedback } from '../../components/feedback'
import { PageHead } from '../../components/page-head'
import { showError } from '../../components/form-errors'
import { DecisionModal } from '../../components/decision-modal'
import { useTitle } from '../../components/use-title'
import { FilterSelect, ServerTable, usePagedQuery } from '../../components/server-table'
import { TransferStatusTag } from './labels'

type Dir = 'in' | 'out'

export function TransfersPage() {
  useTitle('会员接转')
  const [dir, setDir] = useState<Dir>('in')
  const counts = useQuery({
    queryKey: ['transfers', 'pending-count'],
    queryFn: async () => {
      const [i, o] = await Promise.all([
        api.transfers({ direction: 'in', status: 'pending', pageSize: 1 }),
        api.transfers({ direction: 'out', status: 'pending', pageSize: 1 }),
      ])
      return { in: i.total, out: o.total }
    },
  })
  return (
    <div className="page" data-testid="transfers-page">
      <PageHead title="会员接转" sub="会员关系随劳动关系变动：转出工会发起或转入工会申请，对方同意后会籍转移；退回须说明理由" />
      <Card size="small" className="section-card">
        <Tabs
          activeKey={dir}
          onChange={(k) => setDir(k as Dir)}
          data-testid="transfer-tabs"
          items={[
            {
              key: 'in',
              label: <span data-testid="transfer-tab-in">转入{counts.data?.in ? `（待处理 ${counts.data.in}）` : ''}</span>,
              children: <TransferTable direction="in" />,
            },
            {
              key: 'out',
              label: <span data-testid="transfer-tab-out">转出{counts.data?.out ? `（待处理 ${counts.data.out}）` : ''}</span>,
              children: <TransferTable direction="out" />,
            },
          ]}
        />
      </Card>
    </div>
  )
}

function TransferTable({ direction }: { direction: Dir }) {
  const [status, setStatus] = useState<string | undefined>('pending')
  const [declining, setDeclining] = useState<TransferView | null>(null)
  const qc = useQueryClient()
  const transfers = usePagedQuery(['transfers'], api.transfers, { direction, status })
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['transfers'] })
    void qc.invalidateQueries({ queryKey: ['members'] })
    void qc.invalidateQueries({ queryKey: ['member'] })
  }
  const accept = async (t: TransferView) => {
    try {
      await api.acceptTransfer(t.id)
      feedback.message.success(`已接收 ${t.memberName} 转入`)
      refresh()
    } catch (e) {
      showError(e)
    }
  }
  const cancel = async (t: TransferView) => {
    try {
      await api.declineTransfer(t.id)
      feedback.message.success('已撤销接转')
      refresh()
    } catch (e) {
      showError(e)
    }
  }

  const columns: ColumnsType<TransferView> = [
    {
      title: '会员',
      dataIndex: 'memberName',
      render: (v: string, t) => (
        <div>
          <b>{v}</b>
          <br />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t.documentNumber}
          </Typography.Text>
        </div>
      ),
    },
    { title: '转出工会', width: 190, render: (_: unknown, t) => <UnionName name={t.fromUnionName} id={t.fromUnionId} /> },
    { title: '转入工会', width: 190, render: (_: unknown, t) => <UnionName name={t.toUnionName} id={t.toUnionId} /> },
    {
      title: '原因',
      dataIndex: 'reason',
      render: (v: string | null, t) => (
        <div>
          {labelOf(membershipReasons, v) || '—'}
          {t.note && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t.note}
              </Typography.Text>
            </div>
          )}
        </div>
      ),
    },
    { title: '发起方', dataIndex: 'requestedBy', width: 90, render: (v: string) => labelOf(transferRequesters, v) },
    { title: '发起时间', dataIndex: 'requestedAt', width: 140, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
    {
      title: '状态',
      dataIndex: 'status',
      width: 150,
      render: (v: string, t) => (
        <div>
          <TransferStatusTag status={v} />
          {t.decisionNote && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t.decisionNote}
              </Typography.Text>
            </div>
          )}
        </div>
      ),
    },
    {
      title: '操作',
      key: 'actions',
      width: 170,
      fixed: 'right',
      render: (_: unknown, t) => (
        <Space size={4} wrap>
          {t.canAccept && (
            <Popconfirm
              title={`接收 ${t.memberName} 转入？`}
              description="接收后会籍转入本工会，转出工会记“转出”。"
              okText="确认接收"
              onConfirm={() => accept(t)}
            >
              <Button type="link" size="small" icon={<CheckOutlined />} data-testid={`transfer-accept-${t.id}`}>
                接收
              </Button>
            </Popconfirm>
          )}
          {t.canReject && (
            <Button
              type="link"
              size="small"
              danger
              icon={<CloseOutlined />}
              onClick={() => setDeclining(t)}
              data-testid={`transfer-decline-${t.id}`}
            >
              退回
            </Button>
          )}
          {t.canCancel && (
            <Popconfirm title="撤销这次接转？" okText="确认撤销" okButtonProps={{ danger: true }} onConfirm={() => cancel(t)}>
              <Button type="link" size="small" danger icon={<StopOutlined />} data-testid={`transfer-cancel-${t.id}`}>
                撤销
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ]
  return (
    <div data-testid={`transfer-table-${direction}`}>
      <div className="table-toolbar">
        <FilterSelect
          placeholder="全部状态"
          width={140}
          value={status}
          onChange={setStatus}
          options={optionsOf(transferStatuses)}
          testid={`transfer-status-${direction}`}
        />
      </div>
      <ServerTable<TransferView>
        paged={transfers}
        columns={columns}
        scroll={{ x: 'max-content' }}
        rowTestid={(t) => ({ 'data-testid': `transfer-row-${t.id}`, 'data-name': t.memberName })}
        empty={status === 'pending' ? '没有待处理的接转' : '暂无接转记录'}
        unit="条"
      />
      {declining && <DeclineModal transfer={declining} onClose={() => setDeclining(null)} onDone={refresh} />}
    </div>
  )
}

/** the other side may lie outside the caller's jurisdiction; without a name, say so */
const UnionName = ({ name, id }: { name: string | null; id: number }) =>
  name ? <>{name}</> : <Typography.Text type="secondary">其他辖区工会（编号 {id}）</Typography.Text>

function DeclineModal({ transfer, onClose, onDone }: { transfer: TransferView; onClose: () => void; onDone: () => void }) {
  return (
    <DecisionModal
      title={`退回接转 · ${transfer.memberName}`}
      okText="确认退回"
      danger
      label="退回理由"
      required="退回须说明理由"
      placeholder="例如：经核实该职工未与本单位建立劳动关系"
      submitTestid="transfer-decline-submit"
      noteTestid="transfer-decline-note"
      decide={async (note) => {
        await api.declineTransfer(transfer.id, note)
        feedback.message.success('已退回')
        onDone()
        onClose()
      }}
      onClose={onClose}
    />
  )
}
