import path from 'node:path'

/**
 * On PGlite (single-threaded, in the server's process) an import's commit holds the only
 * connection and the event loop: nothing else is answered until it ends. Measured on a 2-CPU
 * server: ≈ 0.3 ms of that thread per row (2,000 rows 0.73 s, 5,000 1.5 s, 10,000 3.0 s), so this
 * many rows keep the pause under 2 s with some room; bigger rosters go to PostgreSQL.
 */
export const DEFAULT_EMBEDDED_IMPORT_MAX_ROWS = 5_000

/** The users' time zone (GONGHUI_TIMEZONE): 'today' and a founding date in the future are those of the users' day, not UTC's. */
const timeZoneOf = (env: NodeJS.ProcessEnv) => env.GONGHUI_TIMEZONE ?? 'Asia/Shanghai'
/** The time zone of this process, read once at start (every request's transaction and 'today' use it). */
export const TIME_ZONE = timeZoneOf(process.env)

/** Everything the server reads from the environment, in one place (README lists each variable). */
export interface Config {
  port: number
  host: string
  databaseUrl: string | null
  dataDir: string
  demo: boolean
  adminPassword: string | null
  sessionIdleMinutes: number
  /** a session ends this long after login, however busy (absolute lifetime) */
  sessionMaxHours: number
  piiKey: string | null
  piiKeyFile: string
  piiCipher: 'aes-256-gcm' | 'sm4-gcm'
  cityCode: string
  logLevel: string
  trustProxy: boolean
  secureCookie: boolean
  /** the most rows one roster import may have on the embedded database (PGlite blocks the server meanwhile) */
  embeddedImportMaxRows: number
  /** an HTTP SMS provider (POST JSON {phone, text}); none: messages wait in the outbox (npm run cli -- sms outbox) */
  smsGatewayUrl: string | null
  smsGatewayToken: string | null
  /** the signature the provider prefixes, e.g. 【嵊州市总工会】 */
  smsSignature: string
  timeZone: string
  /** DEBUG set: a failure's stack is printed too */
  debug: boolean
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
    sessionMaxHours: Number(env.SESSION_MAX_HOURS ?? 12),
    piiKey: env.GONGHUI_PII_KEY || null,
    piiKeyFile: env.GONGHUI_PII_KEY_FILE ?? path.join(dataDir, 'pii-keys.json'),
    piiCipher: env.GONGHUI_PII_CIPHER === 'sm4-gcm' ? 'sm4-gcm' : 'aes-256-gcm',
    cityCode: env.GONGHUI_CITY ?? '330683',
    logLevel: env.LOG_LEVEL ?? 'info',
    trustProxy: /^(1|true|yes|on)$/i.test(env.TRUST_PROXY ?? ''),
    secureCookie: /^(1|true|yes|on)$/i.test(env.COOKIE_SECURE ?? ''),
    embeddedImportMaxRows: Math.max(1, Math.floor(Number(env.GONGHUI_EMBEDDED_IMPORT_MAX_ROWS) || DEFAULT_EMBEDDED_IMPORT_MAX_ROWS)),
    smsGatewayUrl: env.SMS_GATEWAY_URL?.trim() || null,
    smsGatewayToken: env.SMS_GATEWAY_TOKEN?.trim() || null,
    smsSignature: env.SMS_SIGNATURE ?? '【工会】',
    timeZone: timeZoneOf(env),
    debug: !!env.DEBUG,
  }
}

/** Where uploaded rosters wait (DATA_DIR/imports), for an app built without one (tests set DATA_DIR). */
export const defaultImportDir = (env: NodeJS.ProcessEnv = process.env) => path.join(loadConfig(env).dataDir, 'imports')
