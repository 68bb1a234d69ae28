import crypto from 'node:crypto'
import type { Pii } from '../../security/pii.js'

/**
 * The electronic membership card (电子会员卡) carries a token for its QR code:
 * `<member number>.<valid until YYYYMMDD>.<signature>`, the signature an HMAC-SHA256 (first 128
 * bits, base64url) under a card key derived from the PII key ring's lookup-hash key
 * (HMAC(hashKey, 'card'), via pii.hash). The token holds nothing but the member number printed
 * on the card; a scanner learns validity, the masked number and the union, never name, ID or
 * phone. A token is valid for CARD_DAYS days and re-issued every time the card is shown; the
 * membership's current status decides validity in any case.
 */
export const CARD_DAYS = 365

const cardKey = (pii: Pii) => Buffer.from(pii.hash('card'), 'base64url')
export const signature = (pii: Pii, payload: string) =>
  crypto.createHmac('sha256', cardKey(pii)).update(`gonghui-card-v1:${payload}`).digest().subarray(0, 16).toString('base64url')

export const compact = (date: string) => date.replaceAll('-', '')

export function signCard(pii: Pii, memberNo: string, today: string): string {
  const until = new Date(`${today}T00:00:00Z`)
  until.setUTCDate(until.getUTCDate() + CARD_DAYS)
  const payload = `${memberNo}.${compact(until.toISOString().slice(0, 10))}`
  return `${payload}.${signature(pii, payload)}`
}
