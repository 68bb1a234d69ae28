import { Tag } from 'antd'
import { targetStatuses, type TargetProgress, type TargetStatus } from '../../../../common/plans'
import { percentText } from '../../../../common/percent'

export function StatusTag({ status }: { status: TargetStatus }) {
  const s = targetStatuses.find((x) => x.code === status)!
  return (
    <Tag color={s.color === 'default' ? undefined : s.color} data-testid={`status-${status}`}>
      {s.label}
    </Tag>
  )
}

/** a share (0.452) as "45.2%" */
export const pct = percentText
export const num = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toLocaleString('zh-CN'))

/** '12 / 20 家' for a count, '92.3%（1,200/1,300）' for a rate */
export function valueText(t: TargetProgress) {
  if (t.kind === 'count') return `${num(t.numerator)}${t.target === null ? '' : ` / ${num(t.target)}`} ${t.unit}`
  return t.denominator ? `${pct(t.rate)}（${num(t.numerator)}/${num(t.denominator)}）` : '—'
}

/** Server field keys ('milestones.0.dueOn') as antd name paths (['milestones', 0, 'dueOn']). */
export const namePath = (key: string) => key.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k))

export const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
