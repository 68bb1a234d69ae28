import { Tag } from 'antd'
import { statusTags } from '../../components/status-tags'
import type { DocumentType } from '../../../../common/codes'
import { validateDocument } from '../../../../common/documents'
import { validateMobile } from '../../../../common/id-card'

export const { MemberStatusTag, QualityTag, TransferStatusTag, ApplicationStatusTag } = statusTags(Tag)

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
