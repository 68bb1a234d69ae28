import { Progress, Tag } from 'antd'
import { proposalStatusLabel } from '../../../../common/proposals'

const colors: Record<string, string> = {
  open: 'blue',
  reached: 'orange',
  accepted: 'cyan',
  declined: 'default',
  in_progress: 'processing',
  done: 'green',
  closed: 'default',
  hidden: 'red',
}

export function ProposalStatusTag({ status }: { status: string }) {
  return (
    <Tag color={colors[status] ?? 'default'} data-testid="proposal-status">
      {proposalStatusLabel(status)}
    </Tag>
  )
}

/** supports against the threshold pinned on the proposal */
export function SupportBar({ count, threshold }: { count: number; threshold: number }) {
  const pct = Math.min(100, Math.floor((count * 100) / Math.max(threshold, 1)))
  return (
    <div>
      <Progress percent={pct} size="small" showInfo={false} status={count >= threshold ? 'success' : 'active'} />
      <span style={{ fontSize: 12 }}>
        {count} / {threshold} 人支持
      </span>
    </div>
  )
}
