import { Tag } from 'antd'
import type { ActivityStatus, RegistrationStatus } from '../../../../common/activities'
import { activityStatuses, registrationStatuses } from '../../../../common/activities'

const statusColor: Record<ActivityStatus, string> = { draft: 'default', published: 'green', cancelled: 'red' }
export const ActivityStatusTag = ({ status }: { status: ActivityStatus }) => (
  <Tag color={statusColor[status]}>{activityStatuses[status]}</Tag>
)
const regColor: Record<RegistrationStatus, string> = { registered: 'blue', waiting: 'orange', cancelled: 'default' }
export const RegistrationTag = ({ status }: { status: RegistrationStatus }) => (
  <Tag color={regColor[status]}>{registrationStatuses[status]}</Tag>
)
