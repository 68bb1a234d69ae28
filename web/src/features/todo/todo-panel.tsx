import type { ReactNode } from 'react'
import { Card, Empty, Skeleton, Typography } from 'antd'
import {
  AuditOutlined,
  BellOutlined,
  CheckCircleOutlined,
  ClockCircleOutlined,
  FileDoneOutlined,
  FileTextOutlined,
  NotificationOutlined,
  SwapOutlined,
} from '@ant-design/icons'
import { Link } from 'react-router-dom'
import type { TodoCounts } from '../../../../common/todo'
import { useTodoCounts } from '../../app/todo-counts'

interface Line {
  key: keyof Omit<TodoCounts, 'menu'>
  label: string
  to: string
  icon: ReactNode
  urgent?: boolean
}

/** Each line of the panel leads to the page where the work is done. */
const lines: Line[] = [
  { key: 'overdueApplications', label: '超期未办的入会申请', to: '/applications?overdue=1', icon: <ClockCircleOutlined />, urgent: true },
  { key: 'applications', label: '待审核的入会申请', to: '/applications', icon: <AuditOutlined /> },
  { key: 'transfers', label: '待处理的会员接转', to: '/transfers', icon: <SwapOutlined /> },
  { key: 'overdueRoundsToSubmit', label: '逾期未报送的报表', to: '/forms?tab=rounds', icon: <ClockCircleOutlined />, urgent: true },
  { key: 'roundsToSubmit', label: '待报送的报表', to: '/forms?tab=rounds', icon: <FileTextOutlined /> },
  {
    key: 'overdueRoundsBelow',
    label: '下级逾期未报（可催报）',
    to: '/forms?tab=board&overdue=1',
    icon: <NotificationOutlined />,
    urgent: true,
  },
  { key: 'roundsToApprove', label: '待审核的下级报表', to: '/forms?tab=rounds', icon: <FileDoneOutlined /> },
  { key: 'unreadMessages', label: '未读消息', to: '/messages', icon: <BellOutlined /> },
]

/** 待办: what waits for the caller's union, a line each with its count, linked to its page. */
export function TodoPanel({ compact = false }: { compact?: boolean }) {
  const counts = useTodoCounts()
  const c = counts.data
  const shown = c ? lines.filter((l) => !compact || c[l.key] > 0) : []
  return (
    <Card
      size="small"
      title="待办事项"
      className="dash-card todo-panel"
      data-testid="todo-panel"
      extra={compact && <Link to="/todo">全部</Link>}
    >
      {!c ? (
        counts.isError ? (
          <Typography.Text type="secondary">待办暂时无法读取，请稍后刷新</Typography.Text>
        ) : (
          <Skeleton active paragraph={{ rows: 1 }} title={false} />
        )
      ) : shown.length === 0 ? (
        compact ? (
          <Typography.Text type="secondary" data-testid="todo-none">
            <CheckCircleOutlined style={{ color: '#389e0d', marginInlineEnd: 6 }} />
            暂无待办事项：入会申请、会员接转、报表均已处理
          </Typography.Text>
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无待办事项" style={{ margin: '4px 0' }} />
        )
      ) : (
        <div className="todo-lines">
          {shown.map((l) => {
            const n = c[l.key]
            return (
              <Link
                key={l.key}
                to={l.to}
                className={`todo-line${n > 0 ? ' todo-line-on' : ''}${l.urgent && n > 0 ? ' todo-line-urgent' : ''}`}
                data-testid={`todo-${l.key}`}
              >
                <span className="todo-icon">{l.icon}</span>
                <span className="todo-label">{l.label}</span>
                <span className="todo-count">{n}</span>
              </Link>
            )
          })}
        </div>
      )}
    </Card>
  )
}
