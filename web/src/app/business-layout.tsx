import { Suspense, useEffect } from 'react'
import { Layout, Menu, Spin } from 'antd'
import {
  AimOutlined,
  ApartmentOutlined,
  AuditOutlined,
  DashboardOutlined,
  CloudUploadOutlined,
  FileTextOutlined,
  ShopOutlined,
  SwapOutlined,
  TeamOutlined,
  WarningOutlined,
} from '@ant-design/icons'
import { Outlet, useLocation, useNavigate } from 'react-router-dom'
import { OrgTree } from '../features/orgs/org-tree'
import { CurrentOrgProvider, useCurrentOrg, useRootOrgs } from './current-org'
import { UserMenu } from './user-menu'
import { MessagesBell } from './messages-bell'

export function BusinessLayout() {
  return (
    <CurrentOrgProvider>
      <Shell />
    </CurrentOrgProvider>
  )
}

function Shell() {
  const navigate = useNavigate()
  const location = useLocation()
  const { current, setCurrent } = useCurrentOrg()
  const roots = useRootOrgs()

  // until an organization is opened, the caller's own union is the current one
  useEffect(() => {
    const top = roots.data?.items[0]
    if (!current && top) setCurrent({ id: top.id, name: top.name, regionCode: top.regionCode, ancestorIds: [top.id] })
  }, [current, roots.data, setCurrent])
  const selected =
    ['dashboard', 'enterprises', 'due', 'members', 'applications', 'transfers', 'imports', 'forms', 'plans', 'proposals'].find((k) =>
      location.pathname.startsWith(`/${k}`),
    ) ?? 'orgs'

  const items = [
    { key: 'dashboard', icon: <DashboardOutlined />, label: <span data-testid="menu-dashboard">工作台</span> },
    { key: 'orgs', icon: <ApartmentOutlined />, label: <span data-testid="menu-orgs">组织</span> },
    { key: 'enterprises', icon: <ShopOutlined />, label: <span data-testid="menu-enterprises">用人单位</span> },
    { key: 'due', icon: <WarningOutlined />, label: <span data-testid="menu-due">应建未建</span> },
    { key: 'members', icon: <TeamOutlined />, label: <span data-testid="menu-members">会员名册</span> },
    { key: 'applications', icon: <AuditOutlined />, label: <span data-testid="menu-applications">入会审核</span> },
    { key: 'transfers', icon: <SwapOutlined />, label: <span data-testid="menu-transfers">会员接转</span> },
    { key: 'imports', icon: <CloudUploadOutlined />, label: <span data-testid="menu-imports">名册导入</span> },
    { key: 'plans', icon: <AimOutlined />, label: <span data-testid="menu-plans">计划目标</span> },
    { key: 'forms', icon: <FileTextOutlined />, label: <span data-testid="menu-forms">报表填报</span> },
    { key: 'proposals', icon: <FileTextOutlined />, label: <span data-testid="menu-proposals">建议</span> },
  ]
  const handleMenuClick = ({ key }: { key: string }) => {
    if (key === 'orgs') navigate(current ? `/orgs/${current.id}` : '/')
    else if (key === 'dashboard') navigate('/dashboard')
    else navigate(`/${key}`)
  }

  return (
    <Layout className="app-layout">
      <Layout.Header className="app-header">
        <div className="brand" onClick={() => navigate('/')}>
          <span className="brand-logo">工</span>
          <span className="brand-name">工会组建工作平台</span>
        </div>
        <Menu theme="dark" mode="horizontal" selectedKeys={[selected]} items={items} onClick={handleMenuClick} className="top-menu" />
        <MessagesBell />
        <UserMenu />
      </Layout.Header>
      <Layout>
        <Layout.Sider width={300} className="app-sider" theme="light" breakpoint="lg" collapsedWidth={0}>
          <OrgTree />
        </Layout.Sider>
        <Layout.Content className="app-content">
          <Suspense
            fallback={
              <div className="full-center" style={{ height: 320 }}>
                <Spin />
              </div>
            }
          >
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  )
}
