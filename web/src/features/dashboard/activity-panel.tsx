import { useMemo } from 'react'
import { Col, Row, Skeleton, Tag, Tooltip, Typography } from 'antd'
import { activityIndicators, type Ratio, type StatsPanel } from '../../../../common/stats'
import { EChart } from '../../components/echart'
import { palette, proposalsOption } from './charts'
import { fmt, fraction, mean, pct } from './format'
import { RateBar } from './kpi'
import { Section } from './panels'

const by = (panel: StatsPanel, key: string): Ratio | undefined => panel.indicators.find((i) => i.key === key)

/** A share as a bar, numerator / denominator beside it, the goal marked when there is one. */
function ShareRow({ r, goal, numLabel, denLabel }: { r?: Ratio; goal?: number; numLabel: string; denLabel: string }) {
  if (!r) return null
  const v = r.denominator ? (r.numerator / r.denominator) * 100 : 0
  const met = goal !== undefined && r.denominator ? v >= goal : undefined
  return (
    <div className="rate-row" data-testid={`activity-${r.key}`}>
      <div className="rate-head">
        <Tooltip title={r.note}>
          <span className="rate-label">{r.label}</span>
        </Tooltip>
        <span className="rate-figures">
          <b data-testid={`activity-${r.key}-value`}>{pct(r.numerator, r.denominator)}</b>
          <Tooltip title={`${numLabel} ${fmt(r.numerator)} ÷ ${denLabel} ${fmt(r.denominator)}`}>
            <span className="rate-fraction" data-testid={`activity-${r.key}-fraction`}>
              {fraction(r.numerator, r.denominator)}
            </span>
          </Tooltip>
        </span>
      </div>
      <RateBar value={v} met={met} goal={goal} />
      {goal !== undefined && (
        <div className="rate-target-text">
          目标 ≥{goal}%
          {met !== undefined && (
            <Tag color={met ? 'success' : 'error'} className="activity-goal-tag" data-testid={`activity-${r.key}-goal`}>
              {met ? '已达标' : '未达标'}
            </Tag>
          )}
        </div>
      )}
    </div>
  )
}

function Figure({
  id,
  label,
  value,
  unit,
  sub,
  note,
}: {
  id: string
  label: string
  value: string
  unit: string
  sub: string
  note?: string
}) {
  return (
    <div className="activity-figure" data-testid={`activity-${id}`}>
      <Tooltip title={note}>
        <div className="activity-figure-label">{label}</div>
      </Tooltip>
      <div className="activity-figure-value">
        <span data-testid={`activity-${id}-value`}>{value}</span>
        <span className="kpi-unit">{unit}</span>
      </div>
      <div className="activity-figure-sub">{sub}</div>
    </div>
  )
}

/**
 * 活动与建议 of the calendar year of the date shown: activities held, members who took part,
 * activities from members' suggestions against the ≥ 50% goal, the average rating; proposals as
 * a chart (received → entered into the work plan → done, and those answered late).
 */
export function ActivityPanel({ panel, dark }: { panel?: StatsPanel; dark: boolean }) {
  const option = useMemo(() => (panel ? proposalsOption(panel, palette(dark)) : null), [panel, dark])
  const year = panel?.asOf.slice(0, 4)
  return (
    <Section
      testid="dashboard-activities"
      title={
        <span>
          活动与建议{' '}
          <Typography.Text type="secondary" className="card-sub">
            {year ? `${year}年1月1日至${panel!.asOf}` : ''}
          </Typography.Text>
        </span>
      }
    >
      {!panel ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : (
        <Row gutter={[16, 12]}>
          <Col xs={24} lg={12}>
            <div className="activity-figures">
              <Figure
                id="activities"
                label={activityIndicators.activities.label}
                value={fmt(by(panel, 'activities')?.numerator)}
                unit="场"
                sub={`参与 ${fmt(by(panel, 'attendances')?.numerator)} 人次`}
                note={by(panel, 'activities')?.note}
              />
              <Figure
                id="rating"
                label={activityIndicators.rating.label}
                value={mean(by(panel, 'rating')?.numerator ?? 0, by(panel, 'rating')?.denominator)}
                unit="分"
                sub={`${fmt(by(panel, 'rating')?.denominator)} 人次评分，满分5分`}
                note={by(panel, 'rating')?.note}
              />
            </div>
            <div className="rate-list">
              <ShareRow r={by(panel, 'participation_rate')} numLabel="参与会员" denLabel="会员" />
              <ShareRow
                r={by(panel, 'member_origin_rate')}
                goal={activityIndicators.member_origin_rate.goal}
                numLabel="来自会员建议"
                denLabel="活动"
              />
            </div>
          </Col>
          <Col xs={24} lg={12}>
            <div className="activity-chart-title">建议办理（件）</div>
            {option && <EChart option={option} height={170} testid="dashboard-proposals-chart" />}
          </Col>
        </Row>
      )}
    </Section>
  )
}
