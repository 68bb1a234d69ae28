import { useState } from 'react'
import { Alert, Button, Card, DatePicker, Input, Modal, Select, Space, Table, Tag, Tooltip, Typography } from 'antd'
import { DownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons'
import type { Dayjs } from 'dayjs'
import type { AuditView } from '../../../../common/api'
import { auditActionLabel, auditActions, auditChainLabel, auditTarget } from '../../../../common/audit-labels'
import { dateTime } from '../../components/format'
import { api, type ChainCheck } from '../../api/client'
import { showError } from '../../components/form-errors'
import { PageHead } from '../../components/page-head'
import { JsonView } from '../../components/json-view'
import { useDebounced } from '../../components/use-debounced'
import { useTitle } from '../../components/use-title'
import { SearchBox, ServerTable, usePagedQuery } from '../../components/server-table'

/** 审计日志 (审计管理员): every change and every access to personal data, in hash-chained logs. */
export function AuditPage() {
  useTitle('审计日志')
  const [action, setAction] = useState('')
  const [actor, setActor] = useState('')
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null)
  const a = useDebounced(action.trim(), 300)
  const who = useDebounced(actor.trim(), 300)
  const filters = {
    action: a || undefined,
    actor: who || undefined,
    from: range?.[0]?.format('YYYY-MM-DD'),
    to: range?.[1]?.format('YYYY-MM-DD'),
  }
  const audit = usePagedQuery(['audit'], api.audit, filters, { search: true })
  const [verifying, setVerifying] = useState(false)
  const [checks, setChecks] = useState<ChainCheck[] | null>(null)

  const handleVerify = async () => {
    setVerifying(true)
    try {
      setChecks(await api.verifyAudit())
    } catch (e) {
      showError(e)
    } finally {
      setVerifying(false)
    }
  }
  return (
    <div className="page" data-testid="audit-page">
      <PageHead
        title="审计日志"
        sub="日志按哈希链串联，任何删改都能被校验发现"
        extra={
          <Space>
            <Button
              icon={<DownloadOutlined />}
              href={api.auditExportUrl({ ...filters, q: audit.q || undefined })}
              data-testid="audit-export"
            >
              导出
            </Button>
            <Button
              type="primary"
              icon={<SafetyCertificateOutlined />}
              loading={verifying}
              onClick={handleVerify}
              data-testid="audit-verify"
            >
              校验哈希链
            </Button>
          </Space>
        }
      />
      <Card size="small" className="section-card">
        <div className="table-toolbar">
          <Space wrap>
            <SearchBox paged={audit} placeholder="关键字（对象名称等）" width={220} testid="audit-search" />
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder="操作类型"
              style={{ width: 160 }}
              value={action || undefined}
              onChange={(v?: string) => setAction(v ?? '')}
              options={Object.entries(auditActions).map(([value, label]) => ({ value, label }))}
              data-testid="audit-action"
            />
            <Input
              allowClear
              placeholder="操作人"
              style={{ width: 140 }}
              value={actor}
              onChange={(e) => setActor(e.target.value)}
              data-testid="audit-actor"
            />
            <DatePicker.RangePicker value={range} onChange={setRange} />
          </Space>
        </div>
        <ServerTable<AuditView>
          paged={audit}
          expandable={{ expandedRowRender: (r) => <JsonView value={r.detail} />, rowExpandable: () => true }}
          empty="没有符合条件的日志"
          unit="条"
          sizeChanger={false}
          columns={[
            { title: '时间', dataIndex: 'at', width: 170, render: (v: string) => dateTime(v, true) },
            { title: '操作人', dataIndex: 'actorName', width: 150, render: (v: string | null) => v ?? '—' },
            {
              title: '操作',
              dataIndex: 'action',
              width: 150,
              render: (v: string) => (
                <Tooltip title={`代码 ${v}`}>
                  <Tag
                    color={
                      v.includes('reveal') || v.includes('export') ? 'orange' : v.includes('fail') || v.includes('lock') ? 'red' : 'default'
                    }
                  >
                    {auditActionLabel(v)}
                  </Tag>
                </Tooltip>
              ),
            },
            {
              title: '对象',
              key: 'target',
              render: (_, r) => auditTarget(r),
            },
            { title: 'IP', dataIndex: 'ip', width: 130, render: (v: string | null) => v ?? '—' },
            { title: '链', dataIndex: 'chainId', width: 110, ellipsis: true, render: (v: string) => auditChainLabel(v) },
          ]}
        />
      </Card>
      {checks && (
        <Modal open title="哈希链校验结果" footer={null} onCancel={() => setChecks(null)} width={640}>
          {checks.every((c) => c.ok) ? (
            <Alert
              type="success"
              showIcon
              title={`全部 ${checks.length} 条链完好，共 ${checks.reduce((s, c) => s + c.entries, 0)} 条记录`}
              style={{ marginBottom: 12 }}
              data-testid="audit-verify-ok"
            />
          ) : (
            <Alert type="error" showIcon title="发现被篡改或删除的记录" style={{ marginBottom: 12 }} data-testid="audit-verify-bad" />
          )}
          <Table<ChainCheck>
            rowKey="chainId"
            size="small"
            pagination={false}
            dataSource={checks}
            columns={[
              { title: '链', dataIndex: 'chainId', render: (v: string) => auditChainLabel(v) },
              { title: '记录数', dataIndex: 'entries', width: 90, align: 'right' },
              {
                title: '结果',
                dataIndex: 'ok',
                width: 80,
                render: (ok: boolean) => <Tag color={ok ? 'green' : 'red'}>{ok ? '完好' : '异常'}</Tag>,
              },
              {
                title: '异常记录',
                key: 'bad',
                render: (_, c) => {
                  const all = c.problems ?? (c.firstBad ? [{ ...c.firstBad, seq: null }] : [])
                  if (all.length === 0) return '—'
                  return (
                    <div>
                      {all.slice(0, 20).map((p, i) => (
                        <div key={i}>
                          <Typography.Text type="danger">
                            #{p.id}
                            {p.seq !== null ? `（第 ${p.seq} 条）` : ''}：{p.problem}
                          </Typography.Text>
                        </div>
                      ))}
                      {all.length > 20 && (
                        <Typography.Text type="secondary">
                          另有 {all.length - 20} 处，完整清单请运行 npm run cli -- audit verify
                        </Typography.Text>
                      )}
                    </div>
                  )
                },
              },
            ]}
          />
        </Modal>
      )}
    </div>
  )
}
