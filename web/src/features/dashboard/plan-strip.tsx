import { Progress, Select, Tag, Tooltip } from 'antd'
import { AimOutlined } from '@ant-design/icons'
import type { PlanProgress, PlanSummary } from '../../../../common/plans'
import { targetStatuses } from '../../../../common/plans'
import { fmt } from './format'

/**
 * The plan in force: its count targets (new unions, new members …) as progress against the
 * region's share, with what is due by the last milestone passed.
 */
export function PlanStrip({
  plans,
  plan,
  progress,
  onChoose,
}: {
  plans: PlanSummary[]
  plan?: PlanSummary
  progress?: PlanProgress
  onChoose: (id: number | undefined) => void
}) {
  if (plans.length === 0) return null
  const counts = progress?.own.filter((t) => t.kind === 'count') ?? []
  const rates = progress?.own.filter((t) => t.kind === 'rate' && t.target !== null) ?? []
  const ratesMet = rates.filter((t) => t.status === 'met').length
  return (
    <div className="plan-strip" data-testid="dashboard-plan">
      <div className="plan-head">
        <AimOutlined className="plan-icon" />
        <Select
          size="small"
          variant="borderless"
          className="plan-select"
          value={plan?.id}
          placeholder="无在期计划，选择一个计划"
          popupMatchSelectWidth={false}
          onChange={(v) => onChoose(v)}
          data-testid="dashboard-plan-select"
          options={plans.map((p) => ({
            value: p.id,
            label: p.name.includes(p.startOn.slice(0, 4)) ? p.name : `${p.name}（${p.startOn.slice(0, 4)}–${p.endOn.slice(0, 4)}）`,
          }))}
        />
        {progress && (
          <span className="plan-window">
            统计 {progress.window.from} 至 {progress.window.to}
            {progress.milestone.passed && (
              <>
                　节点 {progress.milestone.passed.dueOn} 应完成 {progress.milestone.passed.share}%
              </>
            )}
            {rates.length > 0 && (
              <>
                　比率目标达标 <b>{ratesMet}</b> / {rates.length}
              </>
            )}
          </span>
        )}
      </div>
      {counts.length > 0 && (
        <div className="plan-targets">
          {counts.map((t) => {
            const st = targetStatuses.find((s) => s.code === t.status)
            const pctDone = t.target ? Math.min(100, Math.round((t.numerator / t.target) * 1000) / 10) : 0
            const expectedPct = t.target && t.expected != null ? Math.min(100, (t.expected / t.target) * 100) : null
            return (
              <div key={t.key} className="plan-target" data-testid={`dashboard-plan-target-${t.key}`}>
                <div className="plan-target-head">
                  <span>{t.label}</span>
                  <span>
                    <b>{fmt(t.numerator)}</b> / {t.target === null ? '未分解' : fmt(t.target)}
                    {t.unit}
                    {st && t.status !== 'none' && (
                      <Tag color={st.color} className="plan-tag">
                        {st.label}
                      </Tag>
                    )}
                  </span>
                </div>
                <Tooltip title={t.expected != null ? `按进度节点应完成 ${fmt(t.expected)}${t.unit}` : undefined}>
                  <div className="rate-bar">
                    <Progress
                      percent={pctDone}
                      size="small"
                      showInfo={false}
                      strokeColor={t.status === 'behind' ? '#cf1322' : t.status === 'met' ? '#389e0d' : '#1f6fb2'}
                    />
                    {expectedPct !== null && <span className="rate-target" style={{ left: `${expectedPct}%` }} />}
                  </div>
                </Tooltip>
              </div>
            )
          })}
        </div>
      )}
    </div>
  )
}
