import { Tag } from 'antd'
import { labelOf, orgStatuses } from '../../../../common/codes'

export const JOINT_FORMS = ['joint_committee', 'joint_federation']
export const isJointForm = (form: string | null | undefined) => !!form && JOINT_FORMS.includes(form)

const statusColors: Record<string, string> = { active: 'green', preparing: 'orange', dissolved: 'default' }

export function OrgStatusTag({ status }: { status: string }) {
  return (
    <Tag color={statusColors[status] ?? 'default'} data-testid="org-status">
      {labelOf(orgStatuses, status)}
    </Tag>
  )
}
