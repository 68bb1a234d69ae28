import { Suspense, useEffect, useState } from 'react'
import { Badge, Button, Layout, Menu, Spin, Tooltip } from 'antd'
import type { MenuProps } from 'antd'
import { MenuFoldOutlined, MenuUnfoldOutlined } from '@ant-design/icons'
import { Outlet, useLocation, useNavigate } from 'react-router-dom'
import { OrgTree } from '../features/orgs/org-tree'
import { CurrentOrgProvider, useCurrentOrg, useRootOrgs } from './current-org'
import { navGroups, navKeyOf } from './nav'
import { useTodoCounts } from './todo-counts'
import { UserMenu } from './user-menu'
import { MessagesBell } from './messages-bell'

export function BusinessLayout() {
  return (
    <CurrentOrgProvider>
      <Shell />
    </CurrentOrgProvider>
  )
}

/** A folded menu or tree stays folded across visits (a small laptop's user folds it once). */
function useStoredFlag(key: string, initial: boolean): [boolean, (v: boolean) => void] {
  const [value, setValue] = useState(() => {
    try {
      const v = localStorage.getItem(key)
      return v === null ? initial : v === '1'
    } catch {
      return initial
    }
  })
  const set = (v: boolean) => {
    setValue(v)
    try {
      localStorage.setItem(key, v ? '1' : '0')
    } catch {
      /* private mode: only for this page */
    }
  }
  return [value, set]
}

function Shell() {
  const navigate = useNavigate()
  const location = useLocation()
  const { current, setCurrent } = useCurrentOrg()
  const roots = useRootOrgs()
  const counts = useTodoCounts()
  const [menuFolded, setMenuFolded] = useStoredFlag('gh.menuFolded', false)
  const [treeFolded, setTreeFolded] = useStoredFlag('gh.treeFolded', false)

  // until an organization is opened, the caller's own union is the current one
  useEffect(() => {
    const top = roots.data?.items[0]
    if (!current && top) setCurrent({ id: top.id, name: top.name, regionCode: top.regionCode, ancestorIds: [top.id] })
  }, [current, roots.data, setCurrent])
  const selected = navKeyOf(location.pathname)

  const items: MenuProps['items'] = navGroups
    .filter((g) => g.entries.length > 0)
    .map((g) => ({
      type: 'group' as const,
      key: g.key,
      label: menuFolded ? null : g.label,
      children: g.entries.map((e) => {
        const n = e.badge ? (counts.data?.menu[e.badge] ?? 0) : 0
        return {
          key: e.key,
          icon: e.icon,
          title: e.label,
          label: (
            <span className="side-menu-label">
              <span data-testid={`menu-${e.key}`}>{e.label}</span>
              {n > 0 && <Badge count={n} size="small" overflowCount={99} data-testid={`menu-badge-${e.key}`} />}
            </span>
          ),
        }
      }),
    }))
  const handleMenuClick = ({ key }: { key: string }) => {
    if (key === 'orgs') navigate(current ? `/orgs/${current.id}` : '/')
    else navigate(`/${key}`)
  }

  return (
    <Layout className="app-layout">
      <Layout.Header className="app-header">
        <div className="brand" onClick={() => navigate('/')}>
          <span className="brand-logo">工</span>
          <span className="brand-name">工会组建工作平台</span>
        </div>
        <div style={{ flex: 1 }} />
        <MessagesBell />
        <UserMenu />
      </Layout.Header>
      <Layout>
        <Layout.Sider
          width={184}
          collapsedWidth={56}
          collapsed={menuFolded}
          className="app-sider side-menu"
          theme="light"
          trigger={null}
          breakpoint="md"
          onBreakpoint={(narrow) => narrow && setMenuFolded(true)}
          data-testid="side-menu"
        >
          <Menu
            mode="inline"
            inlineCollapsed={menuFolded}
            selectedKeys={[selected]}
            items={items}
            onClick={handleMenuClick}
            className="side-menu-list"
          />
          <Button
            type="text"
            className="side-menu-fold"
            icon={menuFolded ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setMenuFolded(!menuFolded)}
            data-testid="menu-fold"
          >
            {menuFolded ? null : '收起菜单'}
          </Button>
        </Layout.Sider>
        {treeFolded ? (
          <div className="org-tree-strip">
            <Tooltip title="展开组织树" placement="right">
              <Button
                type="text"
                icon={<MenuUnfoldOutlined />}
                onClick={() => setTreeFolded(false)}
                aria-label="展开组织树"
                data-testid="tree-unfold"
              />
            </Tooltip>
            <span className="org-tree-strip-label" onClick={() => setTreeFolded(false)}>
              组织树
            </span>
          </div>
        ) : (
          <div className="org-tree-side" data-testid="org-tree-side">
            <OrgTree
              extra={
                <Tooltip title="收起组织树">
                  <Button
                    type="text"
                    size="small"
                    icon={<MenuFoldOutlined />}
                    onClick={() => setTreeFolded(true)}
                    aria-label="收起组织树"
                    data-testid="tree-fold"
                  />
                </Tooltip>
              }
            />
          </div>
        )}
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
