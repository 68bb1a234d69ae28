import { Space, Tag, Typography } from 'antd'
import type { UserView } from '../../../../common/api'
import { isAdminRole, labelOf, roles } from '../../../../common/codes'
import { api } from '../../api/client'
import { usePagedQuery } from '../../components/server-table'

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

export const useUserList = () => usePagedQuery(['users'], api.users, {}, { search: true })
