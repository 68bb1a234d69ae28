import { Suspense } from 'react'
import { Button, Layout, Menu, Result, Spin } from 'antd'
import { AuditOutlined, SafetyOutlined, SettingOutlined, TeamOutlined } from '@ant-design/icons'
import { Outlet, useLocation, useNavigate } from 'react-router-dom'
import { useUser } from '../features/auth/auth-context'
import { labelOf, roles } from '../../../common/codes'
import { adminHome } from './admin-home'
import { UserMenu } from './user-menu'

const pages = [
  { key: '/admin/users', role: 'sysadmin', icon: <TeamOutlined />, label: '账号管理', testid: 'menu-users' },
  { key: '/admin/rules', role: 'sysadmin', icon: <SettingOutlined />, label: '规则设置', testid: 'menu-rules' },
  { key: '/admin/roles', role: 'secadmin', icon: <SafetyOutlined />, label: '角色分配', testid: 'menu-roles' },
  { key: '/admin/audit', role: 'auditadmin', icon: <AuditOutlined />, label: '审计日志', testid: 'menu-audit' },
]

export { adminHome }

/** The 三员 see only the pages of their own role and no business data. */
export function AdminLayout() {
  const user = useUser()
  const navigate = useNavigate()
  const location = useLocation()
  const mine = pages.filter((p) => user.roles.includes(p.role))
  const owner = pages.find((p) => p.key === location.pathname)
  // the same side menu as the business users', one group: 系统
  const items = [
    {
      type: 'group' as const,
      key: 'g-system',
      label: '系统',
      children: mine.map((p) => ({ key: p.key, icon: p.icon, label: <span data-testid={p.testid}>{p.label}</span> })),
    },
  ]
  return (
    <Layout className="app-layout">
      <Layout.Header className="app-header">
        <div className="brand" onClick={() => navigate('/')}>
          <span className="brand-logo">工</span>
          <span className="brand-name">工会组建工作平台 · 系统管理</span>
        </div>
        <div style={{ flex: 1 }} />
        <UserMenu />
      </Layout.Header>
      <Layout>
        <Layout.Sider width={200} className="app-sider" theme="light">
          <Menu
            mode="inline"
            selectedKeys={[location.pathname]}
            items={items}
            onClick={({ key }) => navigate(key)}
            className="side-menu-list"
            style={{ borderInlineEnd: 0, paddingTop: 4 }}
          />
        </Layout.Sider>
        <Layout.Content className="app-content">
          <Suspense
            fallback={
              <div className="full-center" style={{ height: 320 }}>
                <Spin />
              </div>
            }
          >
            {/* a page of another of the 三员, opened by its address: said so, with the way back */}
            {owner && !mine.includes(owner) ? <NotYourPage owner={owner} /> : <Outlet />}
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  )
}

function NotYourPage({ owner }: { owner: (typeof pages)[number] }) {
  const user = useUser()
  const navigate = useNavigate()
  const mine = user.roles.map((r) => labelOf(roles, r)).join('、')
  return (
    <Result
      status="403"
      title="此页面不属于您的角色"
      subTitle={`「${owner.label}」由${labelOf(roles, owner.role)}使用；您的角色是${mine}。三员分立，各自只使用本角色的页面。`}
      extra={
        <Button type="primary" onClick={() => navigate(adminHome(user))} data-testid="not-your-page-back">
          返回我的首页
        </Button>
      }
      data-testid="not-your-page"
    />
  )
}
