import { maskDocument, maskPhone, validateMobile } from '../../../../common/id-card.js'
import { normalizeDocumentKey, validateDocument } from '../../../../common/documents.js'
import type { Pii } from '../../security/pii.js'
import type { DocumentType } from '../../../../common/codes.js'

/** A person's identifying numbers, validated, encrypted, hashed for lookup and masked for display. */
export interface SealedIdentity {
  document_type: string
  document_enc: string
  document_hash: string
  document_masked: string
  phone_enc: string | null
  phone_hash: string | null
  phone_masked: string | null
  /** derived from a 居民身份证 (or residence permit) */
  birthDate?: string
  gender?: '1' | '2'
}

export type IdentityResult = { ok: true; value: SealedIdentity } | { ok: false; field: 'documentNumber' | 'phone'; message: string }

export const documentHash = (pii: Pii, type: string, normalized: string) => pii.hash(normalizeDocumentKey(type as DocumentType, normalized))

export function sealIdentity(pii: Pii, documentType: string, documentNumber: string, phone: string | null | undefined): IdentityResult {
  const doc = validateDocument(documentType as Parameters<typeof validateDocument>[0], documentNumber)
  if (!doc.ok) return { ok: false, field: 'documentNumber', message: doc.message }
  let mobile: string | null = null
  if (phone) {
    const m = validateMobile(phone)
    if (!m.ok) return { ok: false, field: 'phone', message: m.message }
    mobile = m.value
  }
  return {
    ok: true,
    value: {
      document_type: documentType,
      document_enc: pii.encrypt(doc.value),
      document_hash: documentHash(pii, documentType, doc.value),
      document_masked: maskDocument(doc.value),
      phone_enc: mobile ? pii.encrypt(mobile) : null,
      phone_hash: mobile ? pii.hash(`phone:${mobile}`) : null,
      phone_masked: mobile ? maskPhone(mobile) : null,
      birthDate: doc.birthDate,
      gender: doc.gender,
    },
  }
}
