import { Badge, Button, Tooltip } from 'antd'
import { BellOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { useNavigate } from 'react-router-dom'
import { api } from '../api/client'

/** The union's unread messages in the header, asked again every minute; opens 消息. */
export function MessagesBell() {
  const navigate = useNavigate()
  const unread = useQuery({ queryKey: ['messages', 'unread'], queryFn: api.unreadMessages, refetchInterval: 60_000 })
  const n = unread.data?.unread ?? 0
  return (
    <Tooltip title={n > 0 ? `${n} 条未读消息` : '消息'}>
      <Button type="text" onClick={() => navigate('/messages')} data-testid="messages-bell" aria-label="消息" style={{ color: '#fff' }}>
        <Badge count={n} size="small" overflowCount={99}>
          <BellOutlined style={{ color: '#fff', fontSize: 18 }} />
        </Badge>
      </Button>
    </Tooltip>
  )
}
