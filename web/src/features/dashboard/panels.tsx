import { useMemo, useState, type ReactNode } from 'react'
import { Button, Card, Drawer, Empty, Segmented, Select, Skeleton, Space, Table, Tag, Tooltip, Typography } from 'antd'
import { BarChartOutlined, DownloadOutlined, TableOutlined } from '@ant-design/icons'
import { Link } from 'react-router-dom'
import {
  averageIndicators,
  unitCategories,
  type RankingRow,
  type StatsPanel,
  type StatsPeriod,
  type StatsRanking,
  type StatsSeries,
} from '../../../../common/stats'
import { EChart } from '../../components/echart'
import { downloadXlsx } from '../../components/xlsx'
import { useJointUnions, type DueSummary, type Hierarchy, type JointUnionItem } from './api'
import { dueOption, jointOption, palette, rankingOption, rankLabels, trendOption } from './charts'
import { dueSheet, indicatorsSheet, jointListSheet, jointSheet, periodSheet, rankingSheet, seriesSheet, type Context } from './exports'
import { changeText, fmt, fraction, mean, pct } from './format'
import type { Targets } from './kpi'

const fileDate = (c: Context) => c.asOf.replace(/-/g, '')

export function ExportButton({ testid, onClick, disabled }: { testid: string; onClick: () => void; disabled?: boolean }) {
  return (
    <Tooltip title="导出Excel">
      <Button size="small" type="text" icon={<DownloadOutlined />} onClick={onClick} disabled={disabled} data-testid={testid}>
        导出
      </Button>
    </Tooltip>
  )
}

function ViewSwitch({ value, onChange, testid }: { value: 'chart' | 'table'; onChange: (v: 'chart' | 'table') => void; testid: string }) {
  return (
    <Segmented
      size="small"
      value={value}
      onChange={(v) => onChange(v as 'chart' | 'table')}
      data-testid={testid}
      options={[
        { value: 'chart', icon: <BarChartOutlined />, label: '图' },
        { value: 'table', icon: <TableOutlined />, label: '表' },
      ]}
    />
  )
}

export function Section({
  title,
  extra,
  children,
  testid,
  className,
}: {
  title: ReactNode
  extra?: ReactNode
  children: ReactNode
  testid: string
  className?: string
}) {
  return (
    <Card size="small" title={title} extra={extra} className={`dash-card ${className ?? ''}`} data-testid={testid}>
      {children}
    </Card>
  )
}

// ——— members over time ———

export function TrendPanel({ series, period, ctx, dark }: { series?: StatsSeries; period?: StatsPeriod; ctx?: Context; dark: boolean }) {
  const [view, setView] = useState<'chart' | 'table'>('chart')
  const option = useMemo(() => (series ? trendOption(series.points, palette(dark)) : null), [series, dark])
  const figures = period
    ? ['new.members', 'new.unions', 'new.unions.joint', 'new.left'].map((k) => period.figures.find((f) => f.key === k)!).filter(Boolean)
    : []
  const year = period?.current.from.slice(0, 4)
  return (
    <Section
      testid="dashboard-trend"
      title={
        <span>
          会员发展趋势{' '}
          <Typography.Text type="secondary" className="card-sub">
            近24个月，按月
          </Typography.Text>
        </span>
      }
      extra={
        <Space size={4}>
          <ViewSwitch value={view} onChange={setView} testid="dashboard-trend-view" />
          <ExportButton
            testid="dashboard-trend-export"
            disabled={!series || !ctx}
            onClick={() =>
              downloadXlsx(`${ctx!.orgName}-会员趋势-${fileDate(ctx!)}`, [
                seriesSheet(ctx!, series!),
                ...(period ? [periodSheet(ctx!, period)] : []),
              ])
            }
          />
        </Space>
      }
    >
      <div className="period-row" data-testid="dashboard-period">
        {period ? (
          figures.map((f) => {
            const up = f.current >= f.previous
            return (
              <div key={f.key} className="period-fig" data-testid={`dashboard-period-${f.key}`}>
                <div className="period-label">
                  {year}年{f.label.replace('会员', '')}
                </div>
                <div className="period-value">{fmt(f.current)}</div>
                <div className="period-cmp">
                  上年 {fmt(f.previous)}
                  <span className={f.key === 'new.left' ? (up ? 'down' : 'up') : up ? 'up' : 'down'}>
                    {' '}
                    {changeText(f.current, f.previous)}
                  </span>
                </div>
              </div>
            )
          })
        ) : (
          <Skeleton active paragraph={false} />
        )}
      </div>
      {!series ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : view === 'chart' ? (
        <EChart option={option!} height={dark ? 228 : 250} testid="dashboard-trend-chart" />
      ) : (
        <Table
          size="small"
          rowKey="date"
          pagination={false}
          scroll={{ y: 250 }}
          data-testid="dashboard-trend-table"
          dataSource={[...series.points].reverse()}
          columns={[
            { title: '月份', dataIndex: 'date', render: (d: string) => d.slice(0, 7) },
            { title: '月末会员数', dataIndex: 'members', align: 'right', render: fmt },
            { title: '新入会', dataIndex: 'joined', align: 'right', render: fmt },
            { title: '退出', dataIndex: 'left', align: 'right', render: fmt },
            { title: '基层工会数', dataIndex: 'unions', align: 'right', render: fmt },
          ]}
        />
      )}
    </Section>
  )
}

// ——— ranking of sub-regions ———

const rankables = [
  'member_rate',
  'realname_rate',
  ...unitCategories.map((c) => `union_rate.${c.code}`),
  ...unitCategories.filter((c) => c.code !== 'all').map((c) => `member_rate.${c.code}`),
  'members',
  'unions',
  'unions.joint',
  'covered_enterprises',
  'participation_rate',
]

export function RankingPanel({
  ranking,
  panel,
  indicator,
  onIndicator,
  onDrill,
  ctx,
  dark,
  targets,
  loading,
  compact,
}: {
  ranking?: StatsRanking
  panel?: StatsPanel
  indicator: string
  onIndicator: (k: string) => void
  onDrill: (row: RankingRow) => void
  ctx?: Context
  dark: boolean
  targets: Targets
  loading: boolean
  compact?: boolean
}) {
  const [view, setView] = useState<'chart' | 'table'>('chart')
  const labels = new Map(panel?.indicators.map((i) => [i.key, i.label]))
  const rows = ranking?.rows ?? []
  const isRate = rows.some((r) => r.denominator !== null)
  const own = panel?.indicators.find((i) => i.key === indicator)
  const target = targets.get(indicator)
  const labels_ = useMemo(() => (ranking ? rankLabels(ranking.rows, ranking.org.name) : []), [ranking])
  const option = useMemo(
    () =>
      ranking
        ? rankingOption(ranking.rows, labels_, isRate, palette(dark), {
            overall: isRate && own?.denominator ? Math.round((own.numerator / own.denominator) * 1000) / 10 : null,
            overallLabel: isRate && own?.denominator ? `整体 ${pct(own.numerator, own.denominator)}` : undefined,
            target: target?.kind === 'rate' ? target.target : null,
          })
        : null,
    [ranking, labels_, isRate, dark, own, target],
  )
  const lagging = rows.filter((r) => r.lagging)
  return (
    <Section
      testid="dashboard-ranking"
      title={
        <span>
          下级排名{' '}
          <Typography.Text type="secondary" className="card-sub">
            点击单位进入其看板
          </Typography.Text>
        </span>
      }
      extra={
        <Space size={4}>
          <Select
            size="small"
            value={indicator}
            onChange={onIndicator}
            style={{ width: 210 }}
            data-testid="dashboard-ranking-indicator"
            popupMatchSelectWidth={false}
            options={rankables.map((k) => ({ value: k, label: labels.get(k) ?? k }))}
          />
          <ViewSwitch value={view} onChange={setView} testid="dashboard-ranking-view" />
          <ExportButton
            testid="dashboard-ranking-export"
            disabled={!ranking || !ctx}
            onClick={() =>
              downloadXlsx(`${ctx!.orgName}-下级排名-${ranking!.indicator.label.replace(/[：:]/g, '-')}-${fileDate(ctx!)}`, [
                rankingSheet(ctx!, ranking!),
              ])
            }
          />
        </Space>
      }
    >
      {!ranking ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : rows.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有可排名的下级单位" style={{ padding: '40px 0' }} />
      ) : (
        <>
          <div className="ranking-note">
            {lagging.length > 0 ? (
              <>
                末位（红色）：
                {lagging.map((r) => (
                  <Tag
                    key={r.org.id}
                    color="error"
                    className="lag-tag"
                    onClick={() => onDrill(r)}
                    data-testid={`dashboard-lagging-${r.org.id}`}
                  >
                    {r.org.name}
                  </Tag>
                ))}
              </>
            ) : (
              <span>本项无末位单位</span>
            )}
            <Tooltip title={ranking.laggingRule}>
              <Typography.Text type="secondary" className="lag-rule">
                （后20%）
              </Typography.Text>
            </Tooltip>
          </div>
          <div style={{ opacity: loading ? 0.5 : 1, transition: 'opacity .2s' }}>
            {view === 'chart' ? (
              <EChart
                option={option!}
                height={Math.max(200, rows.length * (compact ? 21 : 26) + 30)}
                testid="dashboard-ranking-chart"
                onClick={(p) => {
                  const i = p.componentType === 'yAxis' ? labels_.indexOf(String(p.value)) : p.dataIndex
                  if (i !== undefined && i >= 0 && rows[i]) onDrill(rows[i]!)
                }}
              />
            ) : (
              <Table<RankingRow>
                size="small"
                rowKey={(r) => r.org.id}
                pagination={false}
                data-testid="dashboard-ranking-table"
                dataSource={rows}
                rowClassName={(r) => (r.lagging ? 'row-lagging' : '')}
                onRow={(r) =>
                  ({
                    'data-testid': `dashboard-ranking-row-${r.org.id}`,
                    'data-name': r.org.name,
                    'data-lagging': String(r.lagging),
                  }) as React.HTMLAttributes<HTMLElement>
                }
                columns={[
                  { title: '排名', dataIndex: 'rank', width: 56, align: 'center' },
                  {
                    title: '单位',
                    key: 'name',
                    render: (_: unknown, r) => (
                      <a onClick={() => onDrill(r)} data-testid={`dashboard-ranking-link-${r.org.id}`}>
                        {r.org.name}
                      </a>
                    ),
                  },
                  ...(isRate
                    ? [
                        { title: '分子', dataIndex: 'numerator', align: 'right' as const, render: fmt },
                        { title: '分母', dataIndex: 'denominator', align: 'right' as const, render: fmt },
                        {
                          title: '比率',
                          key: 'rate',
                          align: 'right' as const,
                          render: (_: unknown, r: RankingRow) => <b>{pct(r.numerator, r.denominator)}</b>,
                        },
                      ]
                    : [{ title: labels.get(indicator) ?? '数值', dataIndex: 'numerator', align: 'right' as const, render: fmt }]),
                  {
                    title: '',
                    key: 'lag',
                    width: 56,
                    render: (_: unknown, r: RankingRow) => (r.lagging ? <Tag color="error">末位</Tag> : null),
                  },
                ]}
              />
            )}
          </div>
        </>
      )}
    </Section>
  )
}

// ——— joint unions by type ———

export function JointPanel({
  panel,
  ctx,
  dark,
  onOpen,
}: {
  panel?: StatsPanel
  ctx?: Context
  dark: boolean
  onOpen: (category: { code: string; label: string } | null) => void
}) {
  const [view, setView] = useState<'chart' | 'table'>('chart')
  const rows = panel?.jointByCategory ?? []
  const option = useMemo(() => (panel ? jointOption(panel.jointByCategory, palette(dark)) : null), [panel, dark])
  const total = rows.reduce((s, r) => s + r.committees + r.federations, 0)
  return (
    <Section
      testid="dashboard-joint"
      title={
        <span>
          联合工会（按类型）{' '}
          <Typography.Text type="secondary" className="card-sub">
            点击类型查看名单
          </Typography.Text>
        </span>
      }
      extra={
        <Space size={4}>
          <ViewSwitch value={view} onChange={setView} testid="dashboard-joint-view" />
          <ExportButton
            testid="dashboard-joint-export"
            disabled={!panel || !ctx}
            onClick={() => downloadXlsx(`${ctx!.orgName}-联合工会按类型-${fileDate(ctx!)}`, [jointSheet(ctx!, panel!)])}
          />
        </Space>
      }
    >
      {!panel ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : (
        <>
          <div className="joint-summary">
            <a onClick={() => onOpen(null)} data-testid="dashboard-joint-all">
              共 <b>{fmt(total)}</b> 家
            </a>
            {panel.jointByScope.map((s) => (
              <span key={s.scope}>
                {s.label} {fmt(s.count)}
              </span>
            ))}
          </div>
          {view === 'chart' ? (
            <EChart
              option={option!}
              height={300}
              testid="dashboard-joint-chart"
              onClick={(p) => {
                const i = p.componentType === 'yAxis' ? rows.findIndex((r) => r.label === p.value) : p.dataIndex
                const r = i !== undefined && i >= 0 ? rows[i] : undefined
                if (r) onOpen({ code: r.category, label: r.label })
              }}
            />
          ) : (
            <Table
              size="small"
              rowKey="category"
              pagination={false}
              data-testid="dashboard-joint-table"
              dataSource={rows}
              summary={() => (
                <Table.Summary.Row className="table-total">
                  <Table.Summary.Cell index={0}>总计</Table.Summary.Cell>
                  {(['committees', 'federations', 'members', 'employees', 'enterprises'] as const).map((k, i) => (
                    <Table.Summary.Cell key={k} index={i + 1} align="right">
                      {fmt(rows.reduce((s, r) => s + r[k], 0))}
                    </Table.Summary.Cell>
                  ))}
                </Table.Summary.Row>
              )}
              columns={[
                {
                  title: '类型',
                  dataIndex: 'label',
                  render: (l: string, r) => <a onClick={() => onOpen({ code: r.category, label: l })}>{l}</a>,
                },
                { title: '联合工会', dataIndex: 'committees', align: 'right', render: fmt },
                { title: '工会联合会', dataIndex: 'federations', align: 'right', render: fmt },
                { title: '会员', dataIndex: 'members', align: 'right', render: fmt },
                { title: '涵盖职工', dataIndex: 'employees', align: 'right', render: fmt },
                { title: '涵盖企业', dataIndex: 'enterprises', align: 'right', render: fmt },
              ]}
            />
          )}
        </>
      )}
    </Section>
  )
}

/** The joint unions behind one bar: a list with links to each union, exportable. */
export function JointDrawer({
  org,
  h,
  category,
  ctx,
  onClose,
}: {
  org?: number
  h: Hierarchy
  category: { code: string; label: string } | null | undefined
  ctx?: Context
  onClose: () => void
}) {
  const open = category !== undefined
  const q = useJointUnions(org, h, category?.code, open)
  const items = q.data?.items ?? []
  const label = category ? `${category.label}类` : '全部'
  const sum = (k: keyof JointUnionItem) => items.reduce((s, x) => s + Number(x[k]), 0)
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={860}
      destroyOnHidden
      title={
        <span data-testid="dashboard-joint-drawer-title">
          {ctx?.orgName} · {label}联合工会（{q.data ? fmt(items.length) : '…'} 家）
        </span>
      }
      extra={
        <Button
          icon={<DownloadOutlined />}
          disabled={!q.data || !ctx}
          data-testid="dashboard-joint-list-export"
          onClick={() => downloadXlsx(`${ctx!.orgName}-${label}联合工会名单`, [jointListSheet(ctx!, label, items)])}
        >
          导出Excel
        </Button>
      }
    >
      <div data-testid="dashboard-joint-drawer">
        <Table<JointUnionItem>
          size="small"
          rowKey="id"
          loading={q.isLoading}
          pagination={items.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
          dataSource={items}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={`没有${label}联合工会`} /> }}
          onRow={(r) => ({ 'data-testid': `dashboard-joint-row-${r.id}`, 'data-name': r.name }) as React.HTMLAttributes<HTMLElement>}
          summary={() =>
            items.length > 0 ? (
              <Table.Summary.Row className="table-total">
                <Table.Summary.Cell index={0} colSpan={3}>
                  合计
                </Table.Summary.Cell>
                {(['members', 'enterprises', 'employees'] as const).map((k, i) => (
                  <Table.Summary.Cell key={k} index={i + 3} align="right">
                    {fmt(sum(k))}
                  </Table.Summary.Cell>
                ))}
              </Table.Summary.Row>
            ) : null
          }
          columns={[
            { title: '名称', dataIndex: 'name', render: (n: string, r) => <Link to={`/orgs/${r.id}`}>{n}</Link> },
            { title: '上级工会', dataIndex: 'parentName', width: 150 },
            { title: '成立日期', dataIndex: 'foundedOn', width: 100 },
            { title: '会员', dataIndex: 'members', align: 'right', width: 80, render: fmt },
            { title: '涵盖企业', dataIndex: 'enterprises', align: 'right', width: 80, render: fmt },
            { title: '涵盖职工', dataIndex: 'employees', align: 'right', width: 80, render: fmt },
          ]}
        />
      </div>
    </Drawer>
  )
}

// ——— 应建未建 ———

export function DuePanel({
  due,
  ctx,
  dark,
  onOpen,
  past,
}: {
  due?: DueSummary
  ctx?: Context
  dark: boolean
  onOpen: () => void
  past: boolean
}) {
  const option = useMemo(() => (due ? dueOption(due.bySizeBand, palette(dark)) : null), [due, dark])
  return (
    <Section
      testid="dashboard-due"
      title={
        <span>
          应建未建{' '}
          <Typography.Text type="secondary" className="card-sub">
            {past ? '按当前名录（不随截止日期回溯）' : '按当前名录'}
          </Typography.Text>
        </span>
      }
      extra={
        <Space size={4}>
          <Button size="small" type="link" onClick={onOpen} data-testid="dashboard-due-open">
            查看清单
          </Button>
          <ExportButton
            testid="dashboard-due-export"
            disabled={!due || !ctx}
            onClick={() => downloadXlsx(`${ctx!.orgName}-应建未建汇总-${fileDate(ctx!)}`, [dueSheet(ctx!, due!)])}
          />
        </Space>
      }
    >
      {!due ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : (
        <div className="due-body">
          <div className="due-top">
            <a className="due-total" onClick={onOpen} data-testid="dashboard-due-total">
              {fmt(due.total)}
              <span>家</span>
            </a>
            <div className="due-reasons">
              {due.byReason.length === 0 ? (
                <span className="muted">没有应建未建单位</span>
              ) : (
                due.byReason.map((r) => (
                  <div key={r.code}>
                    <span>{r.label}</span>
                    <b>{fmt(r.count)}</b>
                  </div>
                ))
              )}
            </div>
          </div>
          <EChart option={option!} height={150} onClick={onOpen} testid="dashboard-due-chart" />
        </div>
      )}
    </Section>
  )
}

// ——— every indicator ———

export function IndicatorTable({ panel, ctx }: { panel?: StatsPanel; ctx?: Context }) {
  return (
    <Section
      testid="dashboard-indicators"
      title={
        <span>
          指标明细{' '}
          <Typography.Text type="secondary" className="card-sub">
            每项比率均为 分子 ÷ 分母
          </Typography.Text>
        </span>
      }
      extra={
        <ExportButton
          testid="dashboard-indicators-export"
          disabled={!panel || !ctx}
          onClick={() => downloadXlsx(`${ctx!.orgName}-关键指标-${fileDate(ctx!)}`, [indicatorsSheet(ctx!, panel!)])}
        />
      }
    >
      {!panel ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : (
        <Table
          size="small"
          rowKey="key"
          pagination={false}
          scroll={{ y: 268 }}
          dataSource={panel.indicators}
          onRow={(r) => ({ 'data-testid': `dashboard-indicator-${r.key}` }) as React.HTMLAttributes<HTMLElement>}
          columns={[
            {
              title: '指标',
              dataIndex: 'label',
              render: (l: string, r) =>
                r.note ? (
                  <Tooltip title={r.note}>
                    <span className="dotted">{l}</span>
                  </Tooltip>
                ) : (
                  l
                ),
            },
            { title: '分子', dataIndex: 'numerator', align: 'right', width: 96, render: fmt },
            { title: '分母', dataIndex: 'denominator', align: 'right', width: 96, render: fmt },
            {
              title: '比率',
              key: 'rate',
              align: 'right',
              width: 76,
              render: (_: unknown, r) =>
                r.denominator === null ? (
                  ''
                ) : (
                  <b>{averageIndicators.includes(r.key) ? mean(r.numerator, r.denominator) : pct(r.numerator, r.denominator)}</b>
                ),
            },
          ]}
        />
      )}
    </Section>
  )
}

export { fraction }
