import { lazy, Suspense, useState } from 'react'
import { Avatar, Button, Dropdown, Space, Tag } from 'antd'
import { KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons'
import { labelOf, roles } from '../../../common/codes'
import { useAuth, useUser } from '../features/auth/auth-context'

// the password form loads when it is opened (it carries the password policy's word lists)
const ChangePasswordModal = lazy(() => import('../features/auth/password-change').then((m) => ({ default: m.ChangePasswordModal })))

export function UserMenu() {
  const user = useUser()
  const { logout } = useAuth()
  const roleText = user.roles.map((r) => labelOf(roles, r)).join('、')
  const [changing, setChanging] = useState(false)
  return (
    <Space size={12} className="user-menu">
      {user.orgName && (
        <span className="header-org" data-testid="header-org">
          {user.orgName}
        </span>
      )}
      <Dropdown
        menu={{
          items: [
            { key: 'role', label: `角色：${roleText || '无'}`, disabled: true },
            { type: 'divider' },
            {
              key: 'password',
              icon: <KeyOutlined />,
              label: <span data-testid="menu-password">修改密码</span>,
              onClick: () => setChanging(true),
            },
            { key: 'logout', icon: <LogoutOutlined />, label: '退出登录', onClick: () => void logout() },
          ],
        }}
      >
        <Space className="header-user" data-testid="header-user">
          <Avatar size="small" icon={<UserOutlined />} style={{ background: 'rgba(255,255,255,.25)' }} />
          <span>{user.displayName}</span>
          <Tag color="gold" style={{ marginInlineEnd: 0 }}>
            {roleText}
          </Tag>
        </Space>
      </Dropdown>
      <Button
        type="text"
        size="small"
        icon={<LogoutOutlined />}
        className="header-logout"
        onClick={() => void logout()}
        data-testid="logout"
      >
        退出
      </Button>
      {changing && (
        <Suspense fallback={null}>
          <ChangePasswordModal onClose={() => setChanging(false)} />
        </Suspense>
      )}
    </Space>
  )
}
