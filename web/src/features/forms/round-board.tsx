import { useEffect, useMemo, useState } from 'react'
import { Alert, Button, Card, DatePicker, Empty, Modal, Select, Skeleton, Space, Table, Tag, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { BellOutlined, CalendarOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useSearchParams } from 'react-router-dom'
import dayjs, { type Dayjs } from 'dayjs'
import { roundStates, type RoundBatch, type RoundBoard, type RoundBoardItem, type RoundState } from '../../../../common/forms'
import { EChart } from '../../components/echart'
import { dateTime } from '../../components/format'
import { feedback } from '../../components/feedback'
import { errorMessage, showError } from '../../components/form-errors'
import { useFormsOrg } from './use-forms-org'
import { formsApi } from './api'
import { PrintButton, PrintRoot, usePrinting } from './print'
import './forms.css'

const stateOf = (code: RoundState) => roundStates.find((s) => s.code === code)!

export const RoundStateTag = ({ state }: { state: RoundState }) => {
  const s = stateOf(state)
  return (
    <Tag color={s.color} style={{ marginInlineEnd: 0 }} data-testid="board-state">
      {s.label}
    </Tag>
  )
}

const batchKey = (b: { form: string; asOf: string }) => `${b.form}|${b.asOf}`

/**
 * 填报进度: one batch of rounds (a form and its 截止时间) below the organization chosen in the
 * tree — every unit's state at a glance (counts, a bar, the table, the most urgent first), the
 * 报送截止日期 and 催报 to the units that have not submitted.
 */
export function RoundBoardView() {
  const current = useFormsOrg()
  const qc = useQueryClient()
  const [params, setParams] = useSearchParams()
  const [chosen, setChosen] = useState<string>()
  const [selected, setSelected] = useState<number[]>([])
  const [moving, setMoving] = useState(false)
  const [printing, print] = usePrinting()
  const [form, asOf] = chosen ? chosen.split('|') : []
  const board = useQuery({
    queryKey: ['round-board', current?.id, chosen],
    queryFn: () => formsApi.board({ org: current?.id, form, asOf }),
    enabled: !!current,
  })
  const b = board.data
  const batch = b?.batch
  // from the 待办 panel (?overdue=1): the latest batch with units past their deadline, not merely the latest
  const wantOverdue = params.get('overdue') === '1'
  useEffect(() => {
    if (!wantOverdue || chosen || !b?.batch || b.batch.overdue > 0) return
    const late = b.batches.find((x) => x.overdue > 0)
    if (late) setChosen(batchKey(late))
  }, [wantOverdue, chosen, b])
  const remindable = useMemo(() => (b?.items ?? []).filter((i) => i.canRemind), [b])
  const refresh = () => {
    setSelected([])
    void qc.invalidateQueries({ queryKey: ['round-board'] })
    void qc.invalidateQueries({ queryKey: ['rounds'] })
  }

  const remind = (items: RoundBoardItem[]) =>
    feedback.modal.confirm({
      title: `向 ${items.length} 个单位催报？`,
      content: (
        <>
          <p>
            将给{items.map((i) => i.orgName).join('、')}的工会干部发送催报消息，请其{batch?.deadline ? `按期` : '尽快'}
            填报并提交{batch?.formLabel}。
          </p>
          <p>每个单位每天至多催报一次，催报记入办理记录和审计日志。</p>
        </>
      ),
      okText: '发送催报',
      okButtonProps: { 'data-testid': 'board-remind-ok' } as never,
      onOk: async () => {
        try {
          const r = await formsApi.remind({ org: current?.id, form: batch!.form, asOf: batch!.asOf, ids: items.map((i) => i.id) })
          if (r.sent.length) feedback.message.success(`已向 ${r.sent.length} 个单位发送催报`)
          if (r.skipped.length) feedback.message.info(`${r.skipped.join('、')} 今天已催报过或已提交，未重复发送`)
          refresh()
        } catch (e) {
          showError(e)
        }
      },
    })

  const columns: ColumnsType<RoundBoardItem> = [
    { title: '填报单位', dataIndex: 'orgName', render: (v: string) => <b>{v}</b> },
    { title: '状态', dataIndex: 'state', width: 90, render: (v: RoundState) => <RoundStateTag state={v} /> },
    {
      title: '报送截止日期',
      dataIndex: 'deadline',
      width: 120,
      render: (v: string | null, r) =>
        v ? <Typography.Text type={r.state === 'overdue' ? 'danger' : undefined}>{v}</Typography.Text> : '未设',
    },
    { title: '提交时间', dataIndex: 'submittedAt', width: 150, render: (v: string | null) => dateTime(v) },
    {
      title: '审核意见',
      dataIndex: 'comment',
      render: (v: string | null) => (v ? <Typography.Text type="warning">{v}</Typography.Text> : '—'),
    },
    {
      title: '催报',
      dataIndex: 'reminders',
      width: 170,
      render: (n: number, r) => (n ? <span style={{ whiteSpace: 'nowrap' }}>{`${n} 次（最近 ${r.remindedOn}）`}</span> : '—'),
    },
    {
      title: '操作',
      key: 'actions',
      width: 140,
      render: (_: unknown, r) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setParams({ tab: 'rounds', round: String(r.id) })}>
            查看
          </Button>
          {r.canRemind ? (
            <Button type="link" size="small" icon={<BellOutlined />} onClick={() => remind([r])} data-testid={`board-remind-${r.id}`}>
              催报
            </Button>
          ) : r.remindedOn === b?.today ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              今日已催报
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
  ]

  if (board.isError) return <Alert type="error" showIcon message={errorMessage(board.error)} />
  if (!b) return <Skeleton active paragraph={{ rows: 8 }} />
  if (!batch)
    return (
      <Empty
        description={`${current?.name ?? ''}及下级尚未发起填报。在“填报与审核”中发起后，这里显示各单位的填报进度。`}
        data-testid="board-empty"
      />
    )
  const total = b.items.length
  return (
    <div data-testid="round-board">
      <div className="table-toolbar">
        <Select
          style={{ width: 520 }}
          popupMatchSelectWidth={false}
          value={batchKey(batch)}
          onChange={(v) => {
            setSelected([])
            setChosen(v)
          }}
          options={b.batches.map((x) => ({
            value: batchKey(x),
            label: `${x.formLabel} · 截止时间 ${x.asOf}（${x.units} 个单位${x.overdue ? `，${x.overdue} 个逾期` : ''}）`,
          }))}
          data-testid="board-batch"
        />
        <Typography.Text type="secondary">
          报送截止日期：
          <b data-testid="board-deadline">{deadlineOf(batch)}</b>
        </Typography.Text>
        <div style={{ flex: 1 }} />
        <PrintButton onPrint={print} testid="board-print" />
        {b.canSetDeadline && (
          <Button icon={<CalendarOutlined />} onClick={() => setMoving(true)} data-testid="board-move-deadline">
            调整截止日期
          </Button>
        )}
        {remindable.length > 0 && (
          <Button
            type="primary"
            danger={b.counts.overdue > 0}
            icon={<BellOutlined />}
            onClick={() => remind(selected.length ? remindable.filter((i) => selected.includes(i.id)) : remindable)}
            data-testid="board-remind"
          >
            {selected.length ? `催报所选（${selected.length}）` : `催报未提交单位（${remindable.length}）`}
          </Button>
        )}
      </div>
      <div className="board-counts" style={{ display: 'grid', gridTemplateColumns: 'repeat(5, 1fr)', gap: 12, marginBottom: 12 }}>
        {roundStates.map((s) => (
          <Card size="small" key={s.code} data-testid={`board-count-${s.code}`} styles={{ body: { padding: '10px 14px' } }}>
            <div style={{ color: 'rgba(0,0,0,.55)', fontSize: 13 }}>
              <span style={{ display: 'inline-block', width: 8, height: 8, borderRadius: 4, background: s.chart, marginRight: 6 }} />
              {s.label}
            </div>
            <div style={{ fontSize: 24, fontWeight: 600, color: s.code === 'overdue' && b.counts.overdue ? '#cf1322' : undefined }}>
              {b.counts[s.code]}
              <span style={{ fontSize: 13, fontWeight: 400, color: 'rgba(0,0,0,.45)', marginLeft: 4 }}>个</span>
            </div>
          </Card>
        ))}
      </div>
      <EChart
        height={74}
        testid="board-bar"
        option={{
          tooltip: { trigger: 'item', formatter: (p: { seriesName: string; value: number }) => `${p.seriesName}：${p.value} 个单位` },
          legend: { show: false },
          grid: { left: 0, right: 0, top: 8, bottom: 8 },
          xAxis: { type: 'value', max: total, show: false },
          yAxis: { type: 'category', data: ['进度'], show: false },
          series: roundStates
            .filter((s) => b.counts[s.code] > 0)
            .map((s) => ({
              name: s.label,
              type: 'bar',
              stack: 'all',
              barWidth: 28,
              itemStyle: { color: s.chart },
              label: { show: true, formatter: `${s.label} {c}`, color: s.code === 'open' ? '#333' : '#fff' },
              data: [b.counts[s.code]],
            })),
        }}
      />
      <Table<RoundBoardItem>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={b.items}
        pagination={b.items.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        rowSelection={
          remindable.length
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys as number[]),
                getCheckboxProps: (r) => ({ disabled: !r.canRemind }),
              }
            : undefined
        }
        onRow={(r) => ({ 'data-testid': `board-row-${r.id}` }) as never}
        scroll={{ x: 'max-content' }}
      />
      <PrintRoot printing={printing}>
        <BoardSheet board={b} batch={batch} orgName={current?.name ?? ''} />
      </PrintRoot>
      {moving && (
        <DeadlineModal
          current={batch.deadline}
          onClose={() => setMoving(false)}
          onOk={async (d) => {
            try {
              const r = await formsApi.setDeadline({ org: current?.id, form: batch.form, asOf: batch.asOf, deadline: d })
              feedback.message.success(r.changed ? `已将 ${r.changed} 个单位的报送截止日期调整为 ${d}` : '报送截止日期未变')
              setMoving(false)
              refresh()
            } catch (e) {
              showError(e)
            }
          }}
        />
      )}
    </div>
  )
}

const deadlineOf = (b: RoundBatch) =>
  b.deadline ? (b.lastDeadline !== b.deadline ? `${b.deadline} 至 ${b.lastDeadline}` : b.deadline) : '未设'

/**
 * 填报进度 as printed (A4 portrait, the print stylesheet of the forms): the batch, the counts by
 * state and every unit's line — all of them, not the page of the table on screen.
 */
function BoardSheet({ board, batch, orgName }: { board: RoundBoard; batch: RoundBatch; orgName: string }) {
  return (
    <div className="form-paper paper-a4 board-sheet" data-testid="board-sheet">
      <div className="form-title">{`${batch.formLabel}\n填报进度`}</div>
      <div className="form-meta">
        <span>组织：{orgName}及下级</span>
        <span>截止时间：{batch.asOf}</span>
      </div>
      <div className="form-meta">
        <span>报送截止日期：{deadlineOf(batch)}</span>
        <span>打印日期：{board.today}</span>
      </div>
      <div className="board-sheet-counts" data-testid="board-sheet-counts">
        共 {board.items.length} 个单位：
        {roundStates.map((s) => `${s.label} ${board.counts[s.code]} 个`).join('，')}
      </div>
      <table className="form-grid board-sheet-grid">
        <colgroup>
          <col style={{ width: '7%' }} />
          <col style={{ width: '25%' }} />
          <col style={{ width: '10%' }} />
          <col style={{ width: '15%' }} />
          <col style={{ width: '18%' }} />
          <col />
          <col style={{ width: '9%' }} />
        </colgroup>
        <thead>
          <tr>
            <th>序号</th>
            <th>填报单位</th>
            <th>状态</th>
            <th>报送截止日期</th>
            <th>提交时间</th>
            <th>审核意见</th>
            <th>催报次数</th>
          </tr>
        </thead>
        <tbody>
          {board.items.map((r, i) => (
            <tr key={r.id} className={r.state === 'overdue' ? 'board-sheet-overdue' : undefined} data-testid="board-sheet-row">
              <td>{i + 1}</td>
              <td className="text">{r.orgName}</td>
              <td>{stateOf(r.state).label}</td>
              <td>{r.deadline ?? '未设'}</td>
              <td>{r.submittedAt ? dateTime(r.submittedAt) : ''}</td>
              <td className="text">{r.comment ?? ''}</td>
              <td>{r.reminders || ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function DeadlineModal(props: { current: string | null; onClose: () => void; onOk: (d: string) => Promise<void> }) {
  const [value, setValue] = useState<Dayjs | null>(
    props.current && props.current >= dayjs().format('YYYY-MM-DD') ? dayjs(props.current) : null,
  )
  const [busy, setBusy] = useState(false)
  return (
    <Modal
      open
      title="调整报送截止日期"
      onCancel={props.onClose}
      okText="保存"
      okButtonProps={{ disabled: !value, 'data-testid': 'board-deadline-ok' } as never}
      confirmLoading={busy}
      onOk={async () => {
        setBusy(true)
        try {
          await props.onOk(value!.format('YYYY-MM-DD'))
        } finally {
          setBusy(false)
        }
      }}
    >
      <p>适用于本批填报中尚未审核通过的下级单位；逾期单位在新的截止日期前不再标为逾期。调整记入办理记录和审计日志。</p>
      <DatePicker
        style={{ width: '100%' }}
        value={value}
        onChange={setValue}
        disabledDate={(d) => d.isBefore(dayjs(), 'day')}
        data-testid="board-deadline-input"
      />
      {props.current && (
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
          当前报送截止日期：{props.current}
        </Typography.Text>
      )}
    </Modal>
  )
}
