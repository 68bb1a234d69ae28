import path from 'node:path'

/** Everything the server reads from the environment, in one place (README lists each variable). */
export interface Config {
  port: number
  host: string
  databaseUrl: string | null
  dataDir: string
  demo: boolean
  adminPassword: string | null
  sessionIdleMinutes: number
  piiKey: string | null
  piiKeyFile: string
  piiCipher: 'aes-256-gcm' | 'sm4-gcm'
  cityCode: string
  logLevel: string
  trustProxy: boolean
  secureCookie: boolean
  /** an HTTP SMS provider (POST JSON {phone, text}); none: messages wait in the outbox (npm run cli -- sms outbox) */
  smsGatewayUrl: string | null
  smsGatewayToken: string | null
  /** the signature the provider prefixes, e.g. 【嵊州市总工会】 */
  smsSignature: string
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.DATA_DIR ?? './data')
  const databaseUrl = env.DATABASE_URL?.trim() || null
  const demoDefault = databaseUrl === null
  return {
    port: Number(env.PORT ?? 8080),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl,
    dataDir,
    demo: env.GONGHUI_DEMO === undefined ? demoDefault : /^(1|true|yes|on)$/i.test(env.GONGHUI_DEMO),
    adminPassword: env.GONGHUI_ADMIN_PASSWORD || null,
    sessionIdleMinutes: Number(env.SESSION_IDLE_MINUTES ?? 30),
    piiKey: env.GONGHUI_PII_KEY || null,
    piiKeyFile: env.GONGHUI_PII_KEY_FILE ?? path.join(dataDir, 'pii-keys.json'),
    piiCipher: env.GONGHUI_PII_CIPHER === 'sm4-gcm' ? 'sm4-gcm' : 'aes-256-gcm',
    cityCode: env.GONGHUI_CITY ?? '330683',
    logLevel: env.LOG_LEVEL ?? 'info',
    trustProxy: /^(1|true|yes|on)$/i.test(env.TRUST_PROXY ?? ''),
    secureCookie: /^(1|true|yes|on)$/i.test(env.COOKIE_SECURE ?? ''),
    smsGatewayUrl: env.SMS_GATEWAY_URL?.trim() || null,
    smsGatewayToken: env.SMS_GATEWAY_TOKEN?.trim() || null,
    smsSignature: env.SMS_SIGNATURE ?? '【工会】',
  }
}
