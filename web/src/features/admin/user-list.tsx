import { Space, Tag, Typography } from 'antd'
import type { UserView } from '../../../../common/api'
import { isAdminRole, labelOf, roles } from '../../../../common/codes'
import { api } from '../../api/client'
import type { ColumnsType } from 'antd/es/table'
import { SearchBox, ServerTable, usePagedQuery } from '../../components/server-table'

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

const useUserList = () => usePagedQuery(['users'], api.users, {}, { search: true })

const baseColumns: ColumnsType<UserView> = [
  { title: '用户名', dataIndex: 'username', width: 140 },
  { title: '姓名', dataIndex: 'displayName' },
  { title: '角色', key: 'roles', render: (_, u) => <RoleTags user={u} /> },
  { title: '所属组织', dataIndex: 'orgName', render: (v: string | null) => v ?? '—' },
]

/** The accounts, searched by name, with the columns every account page shows and the page's own after them. */
export function UserTable(props: { rowTestid: string; searchTestid?: string; columns: ColumnsType<UserView> }) {
  const users = useUserList()
  return (
    <>
      <div className="table-toolbar">
        <SearchBox paged={users} placeholder="用户名或姓名" width={240} testid={props.searchTestid} />
      </div>
      <ServerTable<UserView>
        paged={users}
        rowTestid={(u) => ({ 'data-testid': `${props.rowTestid}-${u.username}` })}
        empty="没有账号"
        unit="个"
        sizeChanger={false}
        columns={[...baseColumns, ...props.columns]}
      />
    </>
  )
}
