import type { ReactNode } from 'react'
import {
  AimOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BulbOutlined,
  CalendarOutlined,
  CloudUploadOutlined,
  DashboardOutlined,
  FileTextOutlined,
  ScheduleOutlined,
  ShopOutlined,
  SwapOutlined,
  TeamOutlined,
  WarningOutlined,
} from '@ant-design/icons'

/** One entry of the business side menu: its key (also the first path segment it stands for). */
export interface NavEntry {
  key: string
  label: string
  icon: ReactNode
  /** the 待办 count shown beside it (a key of the /api/todo answer's `menu`) */
  badge?: string
}

export interface NavGroup {
  key: string
  label: string
  entries: NavEntry[]
}

/**
 * The business side menu, grouped as the work is: every entry stays visible at 1280 × 720.
 * Each key opens `/<key>` except 工会组织 (the union chosen in the tree).
 */
export const navGroups: NavGroup[] = [
  {
    key: 'g-work',
    label: '工作台',
    entries: [
      { key: 'dashboard', label: '首页', icon: <DashboardOutlined /> },
      { key: 'todo', label: '待办', icon: <ScheduleOutlined />, badge: 'total' },
    ],
  },
  {
    key: 'g-org',
    label: '组织建设',
    entries: [
      { key: 'orgs', label: '工会组织', icon: <ApartmentOutlined /> },
      { key: 'enterprises', label: '用人单位', icon: <ShopOutlined /> },
      { key: 'due', label: '应建未建', icon: <WarningOutlined /> },
    ],
  },
  {
    key: 'g-members',
    label: '会员管理',
    entries: [
      { key: 'members', label: '会员名册', icon: <TeamOutlined /> },
      { key: 'applications', label: '入会审核', icon: <AuditOutlined />, badge: 'applications' },
      { key: 'transfers', label: '会员接转', icon: <SwapOutlined />, badge: 'transfers' },
      { key: 'imports', label: '名册导入', icon: <CloudUploadOutlined /> },
    ],
  },
  {
    key: 'g-reports',
    label: '统计报表',
    entries: [
      { key: 'plans', label: '计划目标', icon: <AimOutlined /> },
      { key: 'forms', label: '报表填报', icon: <FileTextOutlined />, badge: 'rounds' },
    ],
  },
  {
    key: 'g-services',
    label: '会员服务',
    // (a group without entries is not shown)
    entries: [
      { key: 'activities', label: '活动', icon: <CalendarOutlined /> },
      { key: 'proposals', label: '建议', icon: <BulbOutlined /> },
    ],
  },
]

/** The entry a path belongs to ('orgs' for the union pages and anything else). */
export function navKeyOf(pathname: string): string {
  const first = pathname.split('/')[1] ?? ''
  for (const g of navGroups) for (const e of g.entries) if (e.key === first) return e.key
  return 'orgs'
}
