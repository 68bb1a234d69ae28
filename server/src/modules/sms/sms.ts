import type { Ctx } from '../../http/context.js'
import { AppError } from '../../http/errors.js'
import { maskPhone } from '../../../../common/id-card.js'
import * as repo from './sms.repository.js'

/**
 * Text messages (短信). With SMS_GATEWAY_URL an HTTP provider takes them: POST JSON
 * { phone, text } with Authorization: Bearer SMS_GATEWAY_TOKEN, any 2xx is accepted. Without
 * one they wait, sealed, in the outbox an operator reads with `npm run cli -- sms outbox`.
 * The text is never logged.
 */
export interface SmsSettings {
  gatewayUrl: string | null
  gatewayToken: string | null
  signature: string
  demo: boolean
}

/** until the server's start (main.ts, from config.ts) or a test sets them: no gateway (the outbox), no code on screen */
const unset: SmsSettings = { gatewayUrl: null, gatewayToken: null, signature: '【工会】', demo: false }
let settings: SmsSettings | null = null
export function smsSettings(): SmsSettings {
  return settings ?? unset
}
/** the server's start and tests set them; null: back to the unset ones */
export function configureSms(s: SmsSettings | null) {
  settings = s
}

export async function sendSms(ctx: Ctx, phone: string, text: string): Promise<void> {
  const s = smsSettings()
  const body = `${s.signature}${text}`
  if (!s.gatewayUrl) {
    await repo.outboxAdd(ctx.db, { phone_enc: ctx.pii.encrypt(phone), phone_masked: maskPhone(phone), body_enc: ctx.pii.encrypt(body) })
    return
  }
  let ok = false
  try {
    const r = await fetch(s.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(s.gatewayToken ? { authorization: `Bearer ${s.gatewayToken}` } : {}) },
      body: JSON.stringify({ phone, text: body }),
      signal: AbortSignal.timeout(10_000),
    })
    ok = r.ok
  } catch {
    ok = false
  }
  if (!ok) throw new AppError(502, 'sms_failed', '短信发送失败，请稍后再试')
}
