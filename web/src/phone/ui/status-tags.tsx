import { labelOf } from '../../../../common/codes'
import { applicationStatuses, memberStatuses, transferStatuses } from '../../../../common/member-codes'
import { Tag } from './components'

/*
 * The status tags of features/members/labels.tsx in the phone's light Tag (same colours, same words),
 * for the phone pages and the e-card (which the cadre pages show too).
 */
const memberColors: Record<string, string> = { active: 'green', retained: 'gold', reserve: 'blue', left: 'default' }
export const MemberStatusTag = ({ status }: { status: string }) => (
  <Tag color={memberColors[status] ?? 'default'} style={{ marginInlineEnd: 0 }}>
    {labelOf(memberStatuses, status)}
  </Tag>
)

const transferColors: Record<string, string> = { pending: 'processing', accepted: 'green', rejected: 'red', cancelled: 'default' }
export const TransferStatusTag = ({ status }: { status: string }) => (
  <Tag color={transferColors[status] ?? 'default'} style={{ marginInlineEnd: 0 }}>
    {labelOf(transferStatuses, status)}
  </Tag>
)

const applicationColors: Record<string, string> = {
  pending: 'processing',
  need_info: 'orange',
  approved: 'green',
  rejected: 'red',
  withdrawn: 'default',
}
export const ApplicationStatusTag = ({ status }: { status: string }) => (
  <Tag color={applicationColors[status] ?? 'default'} style={{ marginInlineEnd: 0 }}>
    {labelOf(applicationStatuses, status)}
  </Tag>
)
