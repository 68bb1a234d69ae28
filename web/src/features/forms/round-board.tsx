import { useMemo, useState } from 'react'
import { Alert, Button, Card, DatePicker, Empty, Modal, Select, Skeleton, Space, Table, Tag, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { BellOutlined, CalendarOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useSearchParams } from 'react-router-dom'
import dayjs, { type Dayjs } from 'dayjs'
import { roundStates, type RoundBoardItem, type RoundState } from '../../../../common/forms'
import { EChart } from '../../components/echart'
import { dateTime } from '../../components/format'
import { feedback } from '../../components/feedback'
import { errorMessage, showError } from '../../components/form-errors'
import { useFormsOrg } from './use-forms-org'
import { formsApi } from './api'

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
  const [, setParams] = useSearchParams()
  const [chosen, setChosen] = useState<string>()
  const [selected, setSelected] = useState<number[]>([])
  const [moving, setMoving] = useState(false)
  const [form, asOf] = chosen ? chosen.split('|') : []
  const board = useQuery({
    queryKey: ['round-board', current?.id, chosen],
    queryFn: () => formsApi.board({ org: current?.id, form, asOf }),
    enabled: !!current,
  })
  const b = board.data
  const batch = b?.batch
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
            label: `${x.formLabel} · 截止时间 ${x.asOf}（${x.units} 个单位）`,
          }))}
          data-testid="board-batch"
        />
        <Typography.Text type="secondary">
          报送截止日期：
          <b data-testid="board-deadline">
            {batch.deadline
              ? batch.lastDeadline !== batch.deadline
                ? `${batch.deadline} 至 ${batch.lastDeadline}`
                : batch.deadline
              : '未设'}
          </b>
        </Typography.Text>
        <div style={{ flex: 1 }} />
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
