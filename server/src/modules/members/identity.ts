import { maskDocument, maskPhone, validateMobile } from '../../../../common/id-card.js'
import { normalizeDocumentKey, validateDocument } from '../../../../common/documents.js'
import type { Selectable } from 'kysely'
import type { Pii } from '../../security/pii.js'
import type { MemberTable } from '../../db/schema.js'
import type { DocumentType } from '../../../../common/codes.js'

/** The columns of a person's identifying numbers, as db/schema.ts types them (member, application). */
type IdentityColumns = Pick<
  Selectable<MemberTable>,
  'document_type' | 'document_enc' | 'document_hash' | 'document_masked' | 'phone_enc' | 'phone_hash' | 'phone_masked'
>

/** A person's identifying numbers, validated, encrypted, hashed for lookup and masked for display. */
export interface SealedIdentity extends IdentityColumns {
  /** derived from a 居民身份证 (or residence permit) */
  birthDate?: string
  gender?: '1' | '2'
}

/** The identity as the columns of a row (what the number told of birth and gender is not a column). */
export const identityColumns = <T extends SealedIdentity>({ birthDate: _birth, gender: _gender, ...columns }: T) => columns

/** The identity with a mobile number, or null when none was given (an application requires one). */
export const withPhone = (p: SealedIdentity) =>
  p.phone_enc && p.phone_hash && p.phone_masked
    ? { ...p, phone_enc: p.phone_enc, phone_hash: p.phone_hash, phone_masked: p.phone_masked }
    : null

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

/** The documents whose number encodes the birth date: it is derived from the number, never kept beside it. */
export const birthInDocument = (documentType: string) => documentType === 'resident_id' || documentType === 'hmt_residence'

/**
 * The birth date to keep (birth_enc): null when the document encodes it, else the entered date
 * encrypted. A birth date is never stored or shown in clear; with it the masked number of a
 * 身份证 would narrow to a handful of candidates.
 */
export function sealBirth(pii: Pii, documentType: string, birthDate: string | null | undefined): string | null {
  if (!birthDate || birthInDocument(documentType)) return null
  return pii.encrypt(birthDate)
}

/** The birth date of a sealed person ('YYYY-MM-DD'), for an audited reveal only. */
export function revealBirth(
  pii: Pii,
  r: { document_type: string; document_enc: string; birth_enc: string | null; birth_date?: string | null },
): string | null {
  if (r.birth_enc) return pii.decrypt(r.birth_enc)
  if (birthInDocument(r.document_type)) {
    const doc = validateDocument(r.document_type as DocumentType, pii.decrypt(r.document_enc))
    if (doc.ok && doc.birthDate) return doc.birthDate
  }
  return r.birth_date ?? null
}

/** Whether a birth date is known (shown as such, without the date). */
export const hasBirth = (r: { document_type: string; birth_enc: string | null; birth_date?: string | null }) =>
  !!r.birth_enc || !!r.birth_date || birthInDocument(r.document_type)
