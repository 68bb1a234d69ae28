import { Tag } from 'antd'
import { labelOf } from '../../../../common/codes'
import { applicationStatuses, memberQuality, memberStatuses, transferStatuses } from '../../../../common/member-codes'
import type { DocumentType } from '../../../../common/codes'
import { validateDocument } from '../../../../common/documents'
import { validateMobile } from '../../../../common/id-card'

const statusColors: Record<string, string> = { active: 'green', retained: 'gold', reserve: 'blue', left: 'default' }
export const MemberStatusTag = ({ status }: { status: string }) => (
  <Tag color={statusColors[status] ?? 'default'} style={{ marginInlineEnd: 0 }}>
    {labelOf(memberStatuses, status)}
  </Tag>
)

const qualityColors: Record<string, string> = { ok: 'green', invalid_document: 'red', duplicate: 'volcano', missing_fields: 'orange' }
export const QualityTag = ({ quality }: { quality: string }) => (
  <Tag color={qualityColors[quality] ?? 'default'} style={{ marginInlineEnd: 0 }}>
    {labelOf(memberQuality, quality)}
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

/** antd form rule: the document number must be valid for the type chosen in the field `typeField`. */
export const documentRule =
  (typeField = 'documentType') =>
  ({ getFieldValue }: { getFieldValue: (n: string) => unknown }) => ({
    validator(_: unknown, value: string | undefined) {
      if (!value) return Promise.resolve()
      const r = validateDocument((getFieldValue(typeField) as DocumentType) ?? 'resident_id', value)
      return r.ok ? Promise.resolve() : Promise.reject(new Error(r.message))
    },
  })

export const mobileRule = {
  validator(_: unknown, value: string | undefined) {
    if (!value) return Promise.resolve()
    const r = validateMobile(value)
    return r.ok ? Promise.resolve() : Promise.reject(new Error(r.message))
  },
}
