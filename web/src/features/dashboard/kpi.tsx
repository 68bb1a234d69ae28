import type { ReactNode } from 'react'
import { Card, Col, Progress, Row, Skeleton, Tag, Tooltip } from 'antd'
import { InfoCircleOutlined, RightOutlined } from '@ant-design/icons'
import type { Ratio, StatsPanel } from '../../../../common/stats'
import type { DueSummary } from './api'
import { fmt, fraction, pct } from './format'

/** A target of the plan in force for the region shown: a rate threshold in percent, or a count. */
export interface TargetMark {
  key: string
  kind: 'count' | 'rate'
  target: number | null
  expected?: number | null
  status?: string
  statusLabel?: string
}
export type Targets = Map<string, TargetMark>

const by = (panel: StatsPanel, key: string): Ratio | undefined => panel.indicators.find((i) => i.key === key)

function TargetTag({ mark, ratio }: { mark?: TargetMark; ratio?: Ratio }) {
  if (!mark || mark.target === null) return null
  if (mark.kind === 'rate') {
    const met = ratio?.denominator ? (ratio.numerator / ratio.denominator) * 100 >= mark.target : false
    return (
      <Tag color={met ? 'success' : 'error'} className="kpi-target" data-testid={`kpi-target-${mark.key}`}>
        目标 ≥{mark.target}%{met ? ' 已达标' : ' 未达标'}
      </Tag>
    )
  }
  return (
    <Tag color="processing" className="kpi-target" data-testid={`kpi-target-${mark.key}`}>
      目标 {fmt(mark.target)}
    </Tag>
  )
}

function Kpi({
  id,
  title,
  value,
  unit,
  sub,
  note,
  accent,
  onClick,
  extra,
}: {
  id: string
  title: string
  value: ReactNode
  unit?: string
  sub: ReactNode
  note?: string
  accent?: string
  onClick?: () => void
  extra?: ReactNode
}) {
  return (
    <Card
      size="small"
      className={`kpi-card${onClick ? ' kpi-link' : ''}`}
      data-testid={`kpi-${id}`}
      onClick={onClick}
      style={accent ? { borderTopColor: accent } : undefined}
    >
      <div className="kpi-title">
        <span>{title}</span>
        {note && (
          <Tooltip title={note}>
            <InfoCircleOutlined className="kpi-info" />
          </Tooltip>
        )}
        {onClick && <RightOutlined className="kpi-go" />}
      </div>
      <div className="kpi-value" data-testid={`kpi-${id}-value`} style={accent ? { color: accent } : undefined}>
        {value}
        {unit && <span className="kpi-unit">{unit}</span>}
      </div>
      <div className="kpi-sub" data-testid={`kpi-${id}-sub`}>
        {sub}
      </div>
      {extra}
    </Card>
  )
}

function RateKpi({
  id,
  title,
  ratio,
  numLabel,
  denLabel,
  targets,
}: {
  id: string
  title: string
  ratio?: Ratio
  numLabel: string
  denLabel: string
  targets: Targets
}) {
  if (!ratio) return null
  return (
    <Kpi
      id={id}
      title={title}
      note={ratio.note}
      value={pct(ratio.numerator, ratio.denominator)}
      sub={
        <Tooltip title={`${numLabel} ${fmt(ratio.numerator)} ÷ ${denLabel} ${fmt(ratio.denominator)}`}>
          <span className="kpi-fraction">
            {numLabel} {fraction(ratio.numerator, ratio.denominator)} {denLabel}
          </span>
        </Tooltip>
      }
      extra={<TargetTag mark={targets.get(ratio.key)} ratio={ratio} />}
    />
  )
}

/** The key figures of a subtree: counts, rates as numerator / denominator, targets where a plan sets one. */
export function KpiCards({ panel, due, targets, onDue }: { panel?: StatsPanel; due?: DueSummary; targets: Targets; onDue: () => void }) {
  if (!panel) {
    return (
      <Row gutter={[12, 12]} className="dash-row">
        {Array.from({ length: 6 }, (_, i) => (
          <Col key={i} xs={12} md={8} xl={4}>
            <Card size="small" className="kpi-card">
              <Skeleton active paragraph={{ rows: 1 }} />
            </Card>
          </Col>
        ))}
      </Row>
    )
  }
  const unions = by(panel, 'unions')!
  const members = by(panel, 'members')!
  const basis = panel.memberRateBasis === 'all' ? '全部职工' : '已建会单位职工'
  const memberRate = by(panel, 'member_rate')
  return (
    <Row gutter={[12, 12]} className="dash-row">
      <Col xs={12} md={8} xl={4}>
        <Kpi
          id="unions"
          title="基层工会数"
          note={unions.note}
          value={fmt(unions.numerator)}
          unit="家"
          sub={
            <>
              单独建会 {fmt(by(panel, 'unions.own')?.numerator)} · 联合工会 {fmt(by(panel, 'unions.joint')?.numerator)}
            </>
          }
        />
      </Col>
      <Col xs={12} md={8} xl={4}>
        <Kpi
          id="members"
          title="会员数"
          note={members.note}
          value={fmt(members.numerator)}
          unit="人"
          sub={
            <>
              保留会籍 {fmt(by(panel, 'members.retained')?.numerator)} · 预备会员 {fmt(by(panel, 'members.reserve')?.numerator)}
            </>
          }
        />
      </Col>
      <Col xs={12} md={8} xl={4}>
        <RateKpi
          id="member-rate"
          title="职工入会率"
          ratio={memberRate && { ...memberRate, note: `口径：${basis}。${memberRate.note ?? ''}` }}
          numLabel="会员"
          denLabel="职工"
          targets={targets}
        />
      </Col>
      <Col xs={12} md={8} xl={4}>
        <RateKpi
          id="realname-rate"
          title="实名制录入率"
          ratio={by(panel, 'realname_rate')}
          numLabel="合格"
          denLabel="会员"
          targets={targets}
        />
      </Col>
      <Col xs={12} md={8} xl={4}>
        <RateKpi id="ne-rate" title="新就业形态入会率" ratio={by(panel, 'ne_rate')} numLabel="会员" denLabel="从业" targets={targets} />
      </Col>
      <Col xs={12} md={8} xl={4}>
        <Kpi
          id="due"
          title="应建未建单位"
          accent="#c8102e"
          onClick={onDue}
          note="按本地区规则应建会而未建会（或应单独建会）的用人单位，按当前名录；点击查看清单"
          value={due ? fmt(due.total) : '…'}
          unit="家"
          sub={due ? <>涉及职工 {fmt(due.workers)} 人</> : '\u00a0'}
        />
      </Col>
    </Row>
  )
}

/** A rate as a bar (percent): red when its goal is missed, green when met, blue without one; the goal marked on it. */
export function RateBar({ value, met, goal }: { value: number; met: boolean | undefined; goal?: number | null }) {
  return (
    <div className="rate-bar">
      <Progress
        percent={Math.round(value * 10) / 10}
        showInfo={false}
        size="small"
        strokeColor={met === false ? '#cf1322' : met ? '#389e0d' : '#1f6fb2'}
      />
      {goal != null && <span className="rate-target" style={{ left: `${Math.min(100, goal)}%` }} title={`目标 ${goal}%`} />}
    </div>
  )
}

/** 建会率 by unit category: one bar each, numerator / denominator beside it, the target marked. */
export function UnionRates({ panel, targets }: { panel?: StatsPanel; targets: Targets }) {
  if (!panel) return <Skeleton active paragraph={{ rows: 6 }} />
  const rows = panel.indicators.filter((i) => i.group === 'union_rate')
  return (
    <div className="rate-list" data-testid="dashboard-union-rates">
      {rows.map((r) => {
        const v = r.denominator ? (r.numerator / r.denominator) * 100 : 0
        const mark = targets.get(r.key)
        const met = mark?.target != null ? v >= mark.target : undefined
        return (
          <div key={r.key} className="rate-row" data-testid={`union-rate-${r.key.replace('union_rate.', '')}`}>
            <div className="rate-head">
              <Tooltip title={r.note}>
                <span className="rate-label">{r.label.replace('建会率：', '')}</span>
              </Tooltip>
              <span className="rate-figures">
                <b>{pct(r.numerator, r.denominator)}</b>
                <span className="rate-fraction">{fraction(r.numerator, r.denominator)}</span>
              </span>
            </div>
            <RateBar value={v} met={met} goal={mark?.target} />
            {mark?.target != null && <div className="rate-target-text">目标 ≥{mark.target}%</div>}
          </div>
        )
      })}
    </div>
  )
}
