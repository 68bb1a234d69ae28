import { useState } from 'react'
import { Space, Tag, Typography } from 'antd'
import { useQuery } from '@tanstack/react-query'
import type { UserView } from '../../../../common/api'
import { isAdminRole, labelOf, roles } from '../../../../common/codes'
import { api } from '../../api/client'
import { useDebounced } from '../../components/use-debounced'

export function RoleTags({ user }: { user: UserView }) {
  if (!user.roles.length) return <Typography.Text type="secondary">未分配</Typography.Text>
  return (
    <Space size={[4, 4]} wrap>
      {user.roles.map((r) => (
        <Tag key={r} color={isAdminRole(r) ? 'purple' : 'blue'}>
          {labelOf(roles, r)}
        </Tag>
      ))}
    </Space>
  )
}

export function useUserList() {
  const [text, setText] = useState('')
  const q = useDebounced(text.trim(), 300)
  const [page, setPage] = useState(1)
  const query = { q: q || undefined, page, pageSize: 20 }
  const list = useQuery({ queryKey: ['users', query], queryFn: () => api.users(query), placeholderData: (p) => p })
  return {
    text,
    setText: (t: string) => {
      setText(t)
      setPage(1)
    },
    page,
    setPage,
    list,
  }
}
