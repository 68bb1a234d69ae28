import { dateTime } from '../../components/format'
import { useEffect, useMemo, useState } from 'react'
import {
  Alert,
  Button,
  Checkbox,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Modal,
  Select,
  Skeleton,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd'
import type { ColumnsType } from 'antd/es/table'
import {
  AuditOutlined,
  CheckOutlined,
  DownloadOutlined,
  EditOutlined,
  RollbackOutlined,
  SaveOutlined,
  SendOutlined,
  PlusOutlined,
} from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useSearchParams } from 'react-router-dom'
import dayjs, { type Dayjs } from 'dayjs'
import {
  crossCheck,
  roundActions,
  roundReturnBody,
  roundStatuses,
  sumRows,
  TOTAL_ROW,
  type CellProblem,
  type FormCell,
  type FormTable,
  type RoundSummary,
  type RoundView,
} from '../../../../common/forms'
import { ApiError } from '../../api/client'
import { DecisionModal } from '../../components/decision-modal'
import { feedback } from '../../components/feedback'
import { errorMessage, showError } from '../../components/form-errors'
import { useSaving } from '../../components/use-save'
import { maxLengthOf } from '../../components/zod-rules'
import { FilterSelect, ServerTable, usePagedQuery } from '../../components/server-table'
import { canWrite, useUser } from '../auth/auth-context'
import { useFormsOrg } from './use-forms-org'
import { useOrgList } from '../orgs/hooks'
import { formsApi, type Cells } from './api'
import { FormTableView } from './form-table-view'
import { useFormList } from './form-viewer'
import { optionsOf } from '../../../../common/codes'

export const RoundStatusTag = ({ status }: { status: string }) => {
  const s = roundStatuses.find((x) => x.code === status)
  return (
    <Tag color={s?.color ?? 'default'} style={{ marginInlineEnd: 0 }} data-testid="round-status">
      {s?.label ?? status}
    </Tag>
  )
}
const when = (v: string | null) => dateTime(v)

/** The rounds of the subtree: what waits for submission or approval comes first. */
export function Rounds() {
  const current = useFormsOrg()
  const writable = canWrite(useUser())
  const forms = useFormList()
  const [params, setParams] = useSearchParams()
  const [form, setForm] = useState<string>()
  const [status, setStatus] = useState<string>()
  const [opening, setOpening] = useState(false)
  const open = Number(params.get('round')) || null
  const setOpen = (id: number | null) => setParams(id ? { tab: 'rounds', round: String(id) } : { tab: 'rounds' })
  const list = usePagedQuery(['rounds'], formsApi.rounds, { org: current?.id, form, status }, { enabled: !!current })

  const columns: ColumnsType<RoundSummary> = [
    { title: '报表', dataIndex: 'formLabel', render: (v: string) => <b>{v}</b> },
    { title: '填报单位', dataIndex: 'orgName', width: 170 },
    { title: '截止时间', dataIndex: 'asOf', width: 110 },
    {
      title: '状态',
      dataIndex: 'status',
      width: 130,
      render: (v: string, r) => (
        <Space size={4}>
          <RoundStatusTag status={v} />
          {r.state === 'overdue' && (
            <Tag color="error" style={{ marginInlineEnd: 0 }} data-testid="round-overdue">
              逾期
            </Tag>
          )}
        </Space>
      ),
    },
    { title: '报送截止日期', dataIndex: 'deadline', width: 120, render: (v: string | null) => v ?? '未设' },
    { title: '提交时间', dataIndex: 'submittedAt', width: 140, render: when },
    { title: '审核时间', dataIndex: 'decidedAt', width: 140, render: when },
    {
      title: '审核意见',
      dataIndex: 'comment',
      render: (v: string | null) => (v ? <Typography.Text type="warning">{v}</Typography.Text> : '—'),
    },
    {
      title: '操作',
      key: 'actions',
      width: 110,
      fixed: 'right',
      render: (_: unknown, r) => (
        <Button
          type="link"
          size="small"
          onClick={() => setOpen(r.id)}
          data-testid={`round-open-${r.id}`}
          icon={r.canDecide ? <AuditOutlined /> : r.canEdit || r.canSubmit ? <EditOutlined /> : undefined}
        >
          {r.canDecide ? '审核' : r.canEdit ? '填报' : r.canSubmit ? '确认提交' : '查看'}
        </Button>
      ),
    },
  ]
  return (
    <div data-testid="rounds">
      <div className="table-toolbar">
        <FilterSelect
          placeholder="全部报表"
          width={280}
          value={form}
          onChange={setForm}
          options={(forms.data ?? []).map((f) => ({ value: f.code, label: f.label }))}
        />
        <FilterSelect
          placeholder="全部状态"
          width={130}
          value={status}
          onChange={setStatus}
          options={optionsOf(roundStatuses)}
          testid="round-status-filter"
        />
        <Typography.Text type="secondary">{current ? `${current.name}及下级` : ''}</Typography.Text>
        <div style={{ flex: 1 }} />
        {writable && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpening(true)} disabled={!current} data-testid="round-new">
            发起填报
          </Button>
        )}
      </div>
      <ServerTable<RoundSummary>
        paged={list}
        columns={columns}
        scroll={{ x: 'max-content' }}
        rowTestid={(r) => ({ 'data-testid': `round-row-${r.id}` })}
        empty={status || form ? '没有符合条件的填报轮次' : '尚未发起填报。上级工会可为所辖镇（街道）发起，镇（街道）也可自行发起后提交。'}
        unit="条"
        hideOnSinglePage
      />
      {opening && current && <OpenModal orgId={current.id} orgName={current.name} onClose={() => setOpening(false)} />}
      {open && <RoundDrawer id={open} onClose={() => setOpen(null)} />}
    </div>
  )
}

function OpenModal({ orgId, orgName, onClose }: { orgId: number; orgName: string; onClose: () => void }) {
  const forms = useFormList()
  const qc = useQueryClient()
  const children = useOrgList({ parent: orgId, pageSize: 200 })
  const options = useMemo(() => {
    const items = children.data?.items ?? []
    const regional = items.filter((o) => o.isRegional)
    return [
      { value: orgId, label: `${orgName}（本级）` },
      ...(regional.length ? regional : items).map((o) => ({ value: o.id, label: o.name })),
    ]
  }, [children.data, orgId, orgName])
  const [form] = Form.useForm<{ form: string; asOf: Dayjs; deadline: Dayjs; orgIds: number[] }>()
  const { saving, run } = useSaving(form)
  useEffect(() => {
    // the towns below are who usually report; preselect them
    if (options.length > 1 && !form.getFieldValue('orgIds')?.length)
      form.setFieldValue(
        'orgIds',
        options.slice(1).map((o) => o.value),
      )
  }, [options, form])
  const handleOk = async () => {
    const v = await form.validateFields().catch(() => null)
    if (!v) return
    await run(async () => {
      const r = await formsApi.openRounds({
        form: v.form,
        asOf: v.asOf.format('YYYY-MM-DD'),
        deadline: v.deadline.format('YYYY-MM-DD'),
        orgIds: v.orgIds,
      })
      feedback.message.success(
        `已发起 ${r.created} 个单位的填报${r.skipped.length ? `；${r.skipped.join('、')} 已有该截止时间的填报，未重复发起` : ''}`,
      )
      void qc.invalidateQueries({ queryKey: ['rounds'] })
      onClose()
    })
  }
  return (
    <Modal
      open
      title="发起填报"
      onCancel={onClose}
      onOk={handleOk}
      okText="发起"
      confirmLoading={saving}
      width={560}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'round-open-submit' } as never}
    >
      <Form form={form} layout="vertical" initialValues={{ form: 'form1', asOf: dayjs(), deadline: dayjs().add(7, 'day') }}>
        <Form.Item name="form" label="报表" rules={[{ required: true }]}>
          <Select
            options={(forms.data ?? []).map((f) => ({ value: f.code, label: `${f.label}${f.editable ? '（填报）' : '（确认实时统计）'}` }))}
          />
        </Form.Item>
        <Form.Item name="asOf" label="截止时间" rules={[{ required: true, message: '请选择截止时间' }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
        </Form.Item>
        <Form.Item
          name="deadline"
          label="报送截止日期"
          rules={[{ required: true, message: '请选择报送截止日期' }]}
          extra="过期未提交的单位标为逾期，可在“填报进度”中催报"
        >
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs(), 'day')} data-testid="round-deadline" />
        </Form.Item>
        <Form.Item
          name="orgIds"
          label="填报单位"
          rules={[{ required: true, message: '请选择填报单位' }]}
          extra="由上级工会审核；最高一级组织不能发起"
        >
          {children.isLoading ? (
            <Skeleton active paragraph={{ rows: 3 }} title={false} />
          ) : (
            <Checkbox.Group
              style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 6, maxHeight: 260, overflow: 'auto' }}
              options={options}
            />
          )}
        </Form.Item>
      </Form>
    </Modal>
  )
}

const cellsOf = (t: FormTable): Cells => ({ rows: t.rows.map((r) => ({ key: r.key, cells: r.cells })), total: t.total.cells })

/** One round: the form as filled (or the live figures to confirm), the checks, the history, and what the caller may do. */
function RoundDrawer({ id, onClose }: { id: number; onClose: () => void }) {
  const qc = useQueryClient()
  const round = useQuery({ queryKey: ['round', id], queryFn: () => formsApi.round(id) })
  const [draft, setDraft] = useState<FormTable | null>(null)
  const [serverProblems, setServerProblems] = useState<CellProblem[] | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [returning, setReturning] = useState(false)
  const r = round.data
  useEffect(() => {
    setDraft(r ? structuredClone(r.table) : null)
    setServerProblems(null)
  }, [r])
  const table = draft ?? r?.table
  const editing = !!r?.canEdit
  // the same checks the server applies, live as the cells change
  const problems = useMemo(() => serverProblems ?? (table ? crossCheck(table) : []), [table, serverProblems])
  const dirty = !!(r && draft && JSON.stringify(cellsOf(draft)) !== JSON.stringify(cellsOf(r.table)))

  const setCell = (row: string, col: number, value: number | null) => {
    setServerProblems(null)
    setDraft((t) => {
      if (!t) return t
      const v: FormCell = value ?? 0
      if (row === TOTAL_ROW) return { ...t, total: { ...t.total, cells: t.total.cells.map((c, i) => (i === col ? v : c)) } }
      const rows = t.rows.map((x) => (x.key === row ? { ...x, cells: x.cells.map((c, i) => (i === col ? v : c)) } : x))
      // the total follows the rows unless someone typed it over
      const oldSum = sumRows(t.columns, t.rows)
      const total = t.total.cells.map((c, i) => (c === oldSum[i] ? sumRows(t.columns, rows)[i]! : c))
      return { ...t, rows, total: { ...t.total, cells: total } }
    })
  }
  const done = (v: RoundView, msg: string) => {
    feedback.message.success(msg)
    qc.setQueryData(['round', id], v)
    void qc.invalidateQueries({ queryKey: ['rounds'] })
  }
  const act = async (what: string, fn: () => Promise<RoundView>, msg: string) => {
    setBusy(what)
    try {
      done(await fn(), msg)
      return true
    } catch (e) {
      const p = e instanceof ApiError ? (e.detail as { problems?: CellProblem[] } | undefined)?.problems : undefined
      if (p) setServerProblems(p)
      showError(e)
      return false
    } finally {
      setBusy(null)
    }
  }
  const handleSave = () => act('save', () => formsApi.saveRound(id, cellsOf(draft!)), '已保存')
  const handleSubmit = () =>
    feedback.modal.confirm({
      title: `提交${r!.orgName}的${r!.formLabel}？`,
      content: r!.editable
        ? '提交后由上级工会审核，审核期间不能修改。'
        : `将按截止时间 ${r!.asOf} 的实时统计数字生成快照并提交，提交后由上级工会审核。`,
      okText: '确认提交',
      onOk: () => act('submit', () => formsApi.submitRound(id, r!.editable ? cellsOf(draft!) : undefined), '已提交，等待上级审核'),
    })
  const handleApprove = () =>
    feedback.modal.confirm({
      title: `审核通过${r!.orgName}的${r!.formLabel}？`,
      content: '通过后报表锁定，不能再修改或重新提交。',
      okText: '审核通过',
      onOk: () => act('approve', () => formsApi.approveRound(id), '已审核通过，报表已锁定'),
    })

  return (
    <Drawer
      open
      width={980}
      onClose={onClose}
      destroyOnHidden
      data-testid="round-drawer"
      title={
        r ? (
          <Space>
            {r.formLabel}
            <RoundStatusTag status={r.status} />
          </Space>
        ) : (
          '填报轮次'
        )
      }
      extra={
        r && (
          <Space>
            <Button icon={<DownloadOutlined />} href={formsApi.roundExportUrl(id)} disabled={dirty} data-testid="round-export">
              导出Excel
            </Button>
            {r.canEdit && (
              <Button icon={<SaveOutlined />} onClick={handleSave} loading={busy === 'save'} disabled={!dirty} data-testid="round-save">
                保存
              </Button>
            )}
            {r.canSubmit && (
              <Button
                type="primary"
                icon={<SendOutlined />}
                onClick={handleSubmit}
                loading={busy === 'submit'}
                disabled={problems.length > 0}
                data-testid="round-submit"
              >
                提交
              </Button>
            )}
            {r.canDecide && (
              <Button danger icon={<RollbackOutlined />} onClick={() => setReturning(true)} data-testid="round-return">
                退回
              </Button>
            )}
            {r.canDecide && (
              <Button
                type="primary"
                icon={<CheckOutlined />}
                onClick={handleApprove}
                loading={busy === 'approve'}
                data-testid="round-approve"
              >
                审核通过
              </Button>
            )}
          </Space>
        )
      }
    >
      {round.isError ? (
        <Alert type="error" showIcon message={errorMessage(round.error)} />
      ) : !r || !table ? (
        <Skeleton active paragraph={{ rows: 12 }} />
      ) : (
        <>
          <Descriptions
            size="small"
            column={4}
            style={{ marginBottom: 12 }}
            items={[
              { label: '填报单位', children: r.orgName },
              { label: '截止时间', children: r.asOf },
              {
                label: '报送截止日期',
                children: (
                  <Space size={4}>
                    {r.deadline ?? '未设'}
                    {r.state === 'overdue' && <Tag color="error">逾期</Tag>}
                  </Space>
                ),
              },
              { label: '状态', children: <RoundStatusTag status={r.status} /> },
            ]}
          />
          {r.status === 'returned' && r.comment && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              message="上级退回修改"
              description={r.comment}
              data-testid="round-comment"
            />
          )}
          {r.status === 'approved' && (
            <Alert
              type="success"
              showIcon
              style={{ marginBottom: 12 }}
              message="已审核通过，报表已锁定"
              description="下表为提交时保存的快照，此后数据的变化不影响本表。"
            />
          )}
          {!r.editable && (r.status === 'draft' || r.status === 'returned') && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              message="本表数字来自平台实时统计"
              description="请核对；如有出入，请先更正组织、用人单位或会员数据，再确认提交。提交时保存当时的数字为快照。"
            />
          )}
          {problems.length > 0 && (r.canEdit || r.canSubmit) && (
            <Alert
              className="round-problems"
              type="error"
              showIcon
              data-testid="round-problems"
              message={`未通过校验，共 ${problems.length} 处（已在表中标红），修正后才能提交`}
              description={
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {problems.slice(0, 8).map((p, i) => (
                    <li key={i}>{p.message}</li>
                  ))}
                </ul>
              }
            />
          )}
          <FormTableView table={table} editing={editing} onCell={setCell} problems={problems} />
          {r.history.length > 0 && (
            <div style={{ marginTop: 20 }}>
              <Typography.Title level={5}>办理记录</Typography.Title>
              <Timeline
                items={r.history.map((h) => ({
                  color: h.action === 'approve' ? 'green' : h.action === 'return' ? 'orange' : h.action === 'submit' ? 'blue' : 'gray',
                  children: (
                    <div>
                      <b>{roundActions.find((a) => a.code === h.action)?.label ?? h.action}</b>　{h.actorName ?? ''}　
                      <Typography.Text type="secondary">{when(h.at)}</Typography.Text>
                      {h.comment && <div>意见：{h.comment}</div>}
                    </div>
                  ),
                }))}
              />
            </div>
          )}
        </>
      )}
      {returning && r && (
        <DecisionModal
          title="退回修改"
          okText="确认退回"
          danger
          label="退回理由"
          required="退回须说明理由"
          placeholder="例如：村（社区）类会员数与名册不符，请核实"
          maxLength={maxLengthOf(roundReturnBody.shape.comment)}
          submitTestid="round-return-submit"
          noteTestid="round-return-comment"
          decide={async (comment) => {
            const ok = await act('return', () => formsApi.returnRound(id, comment!), '已退回')
            if (ok) setReturning(false)
          }}
          onClose={() => setReturning(false)}
        />
      )}
    </Drawer>
  )
}
