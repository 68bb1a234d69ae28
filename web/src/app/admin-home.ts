import type { UserView } from '../../../common/api'

/** The first page of a 三员 (each role sees only its own pages; admin-layout.tsx has the menu). */
export function adminHome(user: UserView): string {
  if (user.roles.includes('sysadmin')) return '/admin/users'
  if (user.roles.includes('secadmin')) return '/admin/roles'
  if (user.roles.includes('auditadmin')) return '/admin/audit'
  return '/admin/users'
}
