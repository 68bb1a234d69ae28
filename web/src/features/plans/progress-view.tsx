import { useMemo } from 'react'
import { Alert, Button, Card, Col, DatePicker, Empty, Progress, Row, Select, Skeleton, Space, Table, Tag, Tooltip, Typography } from 'antd'
import { DownloadOutlined, PrinterOutlined, RollbackOutlined } from '@ant-design/icons'
import { Link } from 'react-router-dom'
import { useQuery } from '@tanstack/react-query'
import dayjs from 'dayjs'
import type { PlanDetail, ProgressRow, TargetProgress } from '../../../../common/plans'
import { EChart, type EChartsOption } from '../../components/echart'
import { errorMessage } from '../../components/form-errors'
import { plansApi } from './api'
import { StatusTag, num, pct, valueText } from './shared'

const RED = '#c8102e'
const ORANGE = '#fa8c16'
const GREEN = '#389e0d'

function OwnCard({ t }: { t: TargetProgress }) {
  const done = t.kind === 'count' ? (t.target ? Math.min(1, t.numerator / t.target) : null) : t.rate
  const color = t.status === 'met' ? GREEN : t.status === 'behind' ? RED : t.status === 'unmet' ? ORANGE : '#bfbfbf'
  return (
    <Card size="small" className="stat-card" data-testid="own-target">
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: 8 }}>
        <Typography.Text type="secondary" ellipsis style={{ fontSize: 13 }}>
          {t.label}
        </Typography.Text>
        <StatusTag status={t.status} />
      </div>
      {t.kind === 'count' ? (
        <>
          <div style={{ fontSize: 22, fontWeight: 600, margin: '4px 0' }}>
            {num(t.numerator)}
            <span style={{ fontSize: 13, color: '#888', fontWeight: 400 }}>
              {' '}
              / {num(t.target)} {t.unit}
            </span>
          </div>
          <Progress percent={done === null ? 0 : Math.round(done * 1000) / 10} strokeColor={color} size="small" status="normal" />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            当前应完成 {t.expected === null ? '—' : num(Math.ceil(t.expected))} {t.unit}
          </Typography.Text>
        </>
      ) : (
        <>
          <div style={{ fontSize: 22, fontWeight: 600, margin: '4px 0', color: t.rate === null ? '#bbb' : undefined }}>
            {pct(t.rate)}
            <span style={{ fontSize: 13, color: '#888', fontWeight: 400 }}>　目标 ≥{t.target}%</span>
          </div>
          <Progress
            percent={t.rate === null ? 0 : Math.min(100, Math.round(t.rate * 1000) / 10)}
            strokeColor={color}
            size="small"
            showInfo={false}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t.denominator ? `${num(t.numerator)} / ${num(t.denominator)}` : '无分母（无数据）'}
          </Typography.Text>
        </>
      )}
    </Card>
  )
}

export function ProgressView({
  plan,
  org,
  asOf,
  rankBy,
  onChange,
}: {
  plan: PlanDetail
  org?: number
  asOf?: string
  rankBy: string
  onChange: (p: { org?: number; asOf?: string; rankBy?: string }) => void
}) {
  const q = { org, asOf, rankBy }
  const pr = useQuery({ queryKey: ['plan-progress', plan.id, q], queryFn: () => plansApi.progress(plan.id, q) })
  const d = pr.data
  const counts = plan.targets.filter((t) => t.kind === 'count')

  const option = useMemo<EChartsOption | null>(() => {
    if (!d) return null
    const rows = d.rows.filter((r) => r.completion !== null)
    if (rows.length === 0) return null
    const ordered = [...rows].reverse()
    return {
      animationDuration: 300,
      grid: { left: 8, right: 56, top: 28, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (ps: { dataIndex: number }[]) => {
          const r = ordered[ps[0]!.dataIndex]!
          const lines = r.targets
            .filter((t) => t.kind === 'count' && t.target !== null)
            .map((t) => `${t.label}：${num(t.numerator)} / ${num(t.target)}（${pct(t.rate)}）`)
          return [
            `<b>${r.org.name}</b>　第${r.rank}名${r.lagging ? ' · 末位' : ''}${r.behind ? ' · 进度滞后' : ''}`,
            `${d.rankBy.label}：${pct(r.completion)}`,
            ...lines,
            '<span style="color:#888">点击查看该单位进度</span>',
          ].join('<br/>')
        },
      },
      xAxis: {
        type: 'value',
        max: (v: { max: number }) => Math.max(1, Math.ceil(v.max * 10) / 10),
        axisLabel: { formatter: (v: number) => `${Math.round(v * 100)}%`, color: '#999' },
        splitLine: { lineStyle: { color: '#f0f0f0' } },
      },
      yAxis: {
        type: 'category',
        data: ordered.map((r) => r.org.name),
        axisTick: { show: false },
        axisLabel: { color: '#444' },
        triggerEvent: true,
      },
      series: [
        {
          type: 'bar',
          barMaxWidth: 22,
          data: ordered.map((r) => ({
            value: r.completion,
            itemStyle: { color: r.lagging ? RED : r.behind ? ORANGE : GREEN, borderRadius: [0, 3, 3, 0] },
          })),
          label: { show: true, position: 'right', formatter: (p: { value: number }) => pct(p.value), color: '#444' },
          markLine:
            d.milestone.expectedShare > 0 && d.rankBy.key === 'overall'
              ? {
                  symbol: 'none',
                  silent: true,
                  lineStyle: { color: '#555', type: 'dashed' },
                  label: { formatter: `应完成 ${d.milestone.expectedShare}%`, position: 'end', color: '#555' },
                  data: [{ xAxis: d.milestone.expectedShare / 100 }],
                }
              : undefined,
        },
      ],
    }
  }, [d])

  if (pr.isError)
    return (
      <Alert
        type="error"
        showIcon
        message={errorMessage(pr.error)}
        action={
          org ? (
            <Button size="small" onClick={() => onChange({ org: undefined })}>
              返回
            </Button>
          ) : undefined
        }
      />
    )
  const ranked = d?.rows.filter((r) => r.completion !== null) ?? []
  const chartRows = ranked.length
  const drill = (r: ProgressRow) => onChange({ org: r.org.id })

  return (
    <div data-testid="plan-progress">
      <Card size="small" className="section-card">
        <div className="page-head-row" style={{ alignItems: 'center' }}>
          <Space wrap>
            {d && (
              <Typography.Text strong style={{ fontSize: 16 }} data-testid="progress-org">
                {d.org.name}
              </Typography.Text>
            )}
            {org && d && d.org.id !== plan.org.id && (
              <Button size="small" icon={<RollbackOutlined />} onClick={() => onChange({ org: undefined })}>
                回到{plan.org.name.replace(/总工会$/, '')}
              </Button>
            )}
            <span>截止日期</span>
            <DatePicker
              allowClear={false}
              value={dayjs(asOf ?? d?.asOf ?? undefined)}
              onChange={(v) => onChange({ asOf: v ? v.format('YYYY-MM-DD') : undefined })}
              disabledDate={(v) => v.isAfter(dayjs()) || v.isBefore(dayjs(plan.startOn))}
              data-testid="progress-asof"
            />
            <span>排名依据</span>
            <Select
              style={{ width: 200 }}
              value={rankBy}
              onChange={(v) => onChange({ rankBy: v })}
              options={[{ value: 'overall', label: '综合完成率' }, ...counts.map((t) => ({ value: t.key, label: `${t.label}完成率` }))]}
            />
          </Space>
          <Space wrap>
            <Button
              type="primary"
              ghost
              icon={<DownloadOutlined />}
              href={plansApi.exportUrl(plan.id, { org, asOf: d?.asOf, rankBy })}
              data-testid="export-bulletin"
            >
              导出通报
            </Button>
            <Button icon={<DownloadOutlined />} href={plansApi.formExportUrl('monitoring', { org: d?.org.id, asOf: d?.asOf })}>
              导出监测表
            </Button>
            <Link to="/forms?form=monitoring" data-testid="print-monitoring">
              <Button icon={<PrinterOutlined />}>打印监测表</Button>
            </Link>
            {counts.length > 0 && (
              <Button icon={<DownloadOutlined />} href={plansApi.formExportUrl('form3', { org: d?.org.id, asOf: d?.asOf })}>
                导出附件3
              </Button>
            )}
          </Space>
        </div>
        {d && (
          <div className="page-sub" style={{ marginTop: 8 }}>
            统计期 {d.window.from} 至 {d.window.to}；当前应完成 <b>{d.milestone.expectedShare}%</b>
            {d.milestone.passed && `（${d.milestone.passed.label ?? ''} ${d.milestone.passed.dueOn}）`}
            {d.milestone.next &&
              `；下一节点 ${d.milestone.next.dueOn}${d.milestone.next.label ? ` ${d.milestone.next.label}` : ''} 应完成 ${d.milestone.next.share}%`}
          </div>
        )}
      </Card>

      {!d ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : (
        <>
          <Row gutter={[12, 12]} className="stat-row" style={{ marginBottom: 12 }}>
            {d.own.map((t) => (
              <Col key={t.key} xs={24} sm={12} md={8} xl={6}>
                <OwnCard t={t} />
              </Col>
            ))}
          </Row>
          <Card
            size="small"
            className="section-card"
            title={`各下级单位完成情况（${d.rankBy.label}）`}
            extra={
              <Space size={12}>
                <Tag color={GREEN}>正常</Tag>
                <Tag color={ORANGE}>进度滞后</Tag>
                <Tag color={RED}>末位</Tag>
              </Space>
            }
          >
            {option ? (
              <EChart
                option={option}
                height={Math.max(220, chartRows * 30 + 60)}
                testid="progress-chart"
                onClick={(p) => {
                  const ordered = [...ranked].reverse()
                  const r =
                    p.componentType === 'yAxis'
                      ? ordered.find((x) => x.org.name === (p as { value?: string }).value)
                      : ordered[p.dataIndex ?? -1]
                  if (r) drill(r)
                }}
              />
            ) : (
              <Empty description={d.rows.length ? '尚未向下级分解数量目标，无法排名。可在“目标分解”中分解' : '没有下级单位'} />
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {d.laggingRule}；进度滞后＝低于当前节点应完成数。点击柱条查看该单位的进度。
            </Typography.Text>
          </Card>
          <Card size="small" className="section-card" title="目标监测表">
            <Table<ProgressRow>
              rowKey={(r) => r.org.id}
              size="small"
              dataSource={d.rows}
              pagination={false}
              scroll={{ x: 'max-content' }}
              data-testid="progress-table"
              onRow={(r) => ({ style: r.lagging ? { background: '#fff1f0' } : undefined })}
              locale={{ emptyText: <Empty description="没有下级单位" /> }}
              summary={() => (
                <Table.Summary fixed>
                  <Table.Summary.Row style={{ background: '#fafafa', fontWeight: 600 }}>
                    <Table.Summary.Cell index={0} />
                    <Table.Summary.Cell index={1}>{d.org.name}（合计）</Table.Summary.Cell>
                    {d.own.map((t, i) => (
                      <Table.Summary.Cell key={t.key} index={i + 2}>
                        <Space size={4}>
                          {valueText(t)}
                          <StatusTag status={t.status} />
                        </Space>
                      </Table.Summary.Cell>
                    ))}
                    <Table.Summary.Cell index={d.own.length + 2} />
                  </Table.Summary.Row>
                </Table.Summary>
              )}
              columns={[
                { title: '排名', dataIndex: 'rank', width: 60, fixed: 'left', render: (v: number | null) => v ?? '—' },
                {
                  title: '单位',
                  width: 170,
                  fixed: 'left',
                  render: (_, r) => (
                    <Space size={4}>
                      <Typography.Link onClick={() => drill(r)}>{r.org.name}</Typography.Link>
                      {r.lagging && (
                        <Tag color="red" data-testid="lagging-tag">
                          末位
                        </Tag>
                      )}
                    </Space>
                  ),
                },
                ...d.own.map((t0, i) => ({
                  title: t0.kind === 'rate' ? <Tooltip title={`目标 ≥${t0.target}%`}>{t0.label}</Tooltip> : t0.label,
                  key: t0.key,
                  width: t0.kind === 'count' ? 170 : 190,
                  render: (_: unknown, r: ProgressRow) => {
                    const t = r.targets[i]!
                    return (
                      <Space size={4} wrap>
                        {valueText(t)}
                        <StatusTag status={t.status} />
                      </Space>
                    )
                  },
                })),
                { title: '完成率', dataIndex: 'completion', width: 90, fixed: 'right', render: (v: number | null) => pct(v) },
              ]}
            />
          </Card>
        </>
      )}
    </div>
  )
}
