import type { CSSProperties, ReactNode } from 'react'
import { labelOf, type CodeRow } from '../../../common/codes'
import { applicationStatuses, memberQuality, memberStatuses, transferStatuses } from '../../../common/member-codes'

/** A tag component as both kinds take it: antd's (the cadre pages) and the phone's light one (phone/ui). */
type TagOf = (p: { color: string; style?: CSSProperties; children?: ReactNode }) => ReactNode

const colors = {
  member: { active: 'green', retained: 'gold', reserve: 'blue', left: 'default' },
  quality: { ok: 'green', invalid_document: 'red', duplicate: 'volcano', missing_fields: 'orange' },
  transfer: { pending: 'processing', accepted: 'green', rejected: 'red', cancelled: 'default' },
  application: { pending: 'processing', need_info: 'orange', approved: 'green', rejected: 'red', withdrawn: 'default' },
} satisfies Record<string, Record<string, string>>

/**
 * The status tags of the register (会籍状态, 信息质量, 接转, 入会申请): one set of words and colours,
 * drawn with the Tag of the pages that show them, so the phone's bundle does not take in antd's.
 */
export function statusTags(Tag: TagOf) {
  const tagOf = (codes: readonly CodeRow[], palette: Record<string, string>) =>
    function StatusTag({ status }: { status: string }) {
      return (
        <Tag color={palette[status] ?? 'default'} style={{ marginInlineEnd: 0 }}>
          {labelOf(codes, status)}
        </Tag>
      )
    }
  const Quality = tagOf(memberQuality, colors.quality)
  return {
    MemberStatusTag: tagOf(memberStatuses, colors.member),
    QualityTag: ({ quality }: { quality: string }) => <Quality status={quality} />,
    TransferStatusTag: tagOf(transferStatuses, colors.transfer),
    ApplicationStatusTag: tagOf(applicationStatuses, colors.application),
  }
}
