import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import cookie from '@fastify/cookie'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import swagger from '@fastify/swagger'
import fastifyStatic from '@fastify/static'
import compress from '@fastify/compress'
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import { answerSerializer } from './http/answers.js'
import { health } from '../../common/responses.js'
import type { Kysely } from 'kysely'
import type { DB } from './db/schema.js'
import { ping } from './db/client.js'
import { defaultImportDir } from './config.js'
import { registerErrorHandler } from './http/errors.js'
import { installScope } from './http/scope.js'
import { loggerOptions } from './http/logging.js'
import { badUrlError, installInputCheck } from './http/input.js'
import type { Pii } from './security/pii.js'
import { authRepository } from './modules/auth/auth.repository.js'
import {
  ADDRESS_FAILURES,
  authService,
  FAMILIAR_FAILURES,
  STRANGER_ATTEMPTS,
  THROTTLE_MINUTES,
  type Throttle,
} from './modules/auth/auth.service.js'
import { authRoutes } from './modules/auth/auth.routes.js'
import { myRoutes } from './modules/my/my.routes.js'
import { messageRoutes } from './modules/messages/messages.routes.js'
import { todoRoutes } from './modules/todo/todo.routes.js'
import { activityRoutes } from './modules/activities/activities.routes.js'
import { proposalRoutes } from './modules/proposals/proposals.routes.js'
import { orgRoutes } from './modules/orgs/orgs.routes.js'
import { enterpriseRoutes } from './modules/enterprises/enterprises.routes.js'
import { userRoutes } from './modules/users/users.routes.js'
import { regionRoutes } from './modules/regions/regions.routes.js'
import { auditRoutes } from './modules/audit/audit.routes.js'
import { memberRoutes } from './modules/members/members.routes.js'
import { transferRoutes } from './modules/transfers/transfers.routes.js'
import { importRoutes } from './modules/imports/imports.routes.js'
import { applicationRoutes } from './modules/applications/applications.routes.js'
import { cardRoutes } from './modules/cards/cards.routes.js'
import { statsRoutes } from './modules/stats/stats.routes.js'
import { planRoutes } from './modules/plans/plans.routes.js'
import { formRoutes } from './modules/forms/forms.routes.js'
import { jointForms } from './modules/forms/forms.service.js'
import { FormRegistry } from './modules/forms/registry.js'
import { planForms } from './modules/plans/plans.forms.js'

export interface AppDeps {
  db: Kysely<DB>
  pii: Pii
  sessionIdleMinutes: number
  /** absolute lifetime of a session (SESSION_MAX_HOURS), default 12 */
  sessionMaxHours?: number
  /** the server log (personal data redacted, see http/logging.ts); a test may pass a stream to read it */
  logger?: boolean | { level: string; stream?: NodeJS.WritableStream }
  webDir?: string | null
  secureCookie?: boolean
  /** behind a reverse proxy: take the client address from X-Forwarded-For (else anyone could forge the audited IP) */
  trustProxy?: boolean
  /** where uploaded rosters wait between the dry run and the import (default DATA_DIR/imports) */
  importDir?: string
  /** embedded database only: the most rows one roster import may have (null: no limit) */
  embeddedImportMaxRows?: number | null
  /** the official forms the API draws up (default: every module's, see appForms) */
  forms?: FormRegistry
  /** tests: hold every answer against its response schema (http/answers.ts) */
  checkAnswers?: boolean
}

/** Every module's official forms (附件1/2 of the forms module, 附件3 and monitoring of the plans): the registry app and command line use. */
export const appForms = () => new FormRegistry([...jointForms, ...planForms])

const defaultWebDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist')

/** Builds the HTTP app without listening; tests inject requests into it. */
export async function buildApp(deps: AppDeps) {
  // every route with its access rule, so a test can walk them all
  const routeTable: { method: string; url: string; access: unknown; scoped: boolean }[] = []
  const app = Fastify({
    logger: deps.logger
      ? loggerOptions(deps.logger === true ? 'info' : deps.logger.level, deps.logger === true ? undefined : deps.logger.stream)
      : false,
    trustProxy: deps.trustProxy ?? false,
    // JSON bodies: every field is bounded, the largest (a report's cells) far below this; uploads set their own limit
    bodyLimit: 4 * 1024 * 1024,
    // a path the router cannot read is answered like any other refusal, naming the parameter
    frameworkErrors: (err, req, reply: FastifyReply) => {
      const e = badUrlError(routeTable, req.method, req.url, err.code === 'FST_ERR_MAX_PARAM_LENGTH')
      reply.status(e.status).send({ error: { code: e.code, message: e.message, fields: e.fields ?? {} } })
    },
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(answerSerializer(deps.checkAnswers ?? false))
  registerErrorHandler(app)
  installInputCheck(app)
  await app.register(cookie)
  // answers above 1 KB (the API's JSON, a CSV export) compressed with brotli (quality 4) or gzip as the
  // client accepts; the web app's files are compressed once at build (.br/.gz beside each, see below).
  // Request bodies are taken as sent: no decompression of uploads.
  await app.register(compress, { global: true, globalDecompression: false, threshold: 1024, encodings: ['br', 'gzip'] })
  // limits are declared per route (config.rateLimit); nothing is limited by default
  await app.register(rateLimit, { global: false })
  await registerSecurityHeaders(app, deps.secureCookie ?? false)
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Gonghui 工会 API',
        version: '0.1.0',
        description: '基层工会组建与会员实名制平台。登录后以 Authorization: Bearer <token> 调用。',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  })

  app.addHook('onRoute', (r) => {
    if (!r.url.startsWith('/api')) return
    for (const m of [r.method].flat())
      if (m !== 'HEAD')
        routeTable.push({ method: m, url: r.url, access: r.config?.access ?? 'business', scoped: r.config?.scoped !== false })
  })
  app.decorate('routeTable', routeTable)
  const forms = deps.forms ?? appForms()
  app.decorate('forms', forms)

  const window = THROTTLE_MINUTES * 60_000
  const auth = authService({
    repo: authRepository(deps.db),
    owner: deps.db,
    idleMinutes: deps.sessionIdleMinutes,
    maxHours: deps.sessionMaxHours ?? 12,
    throttles: {
      addressFailures: throttle(app, ADDRESS_FAILURES, window),
      strangers: throttle(app, STRANGER_ATTEMPTS, window),
      familiarFailures: throttle(app, FAMILIAR_FAILURES, window),
    },
  })
  installScope(app, { db: deps.db, auth, pii: deps.pii })
  // dead sessions are deleted every hour, not only refused: main.ts runs it
  app.decorate('purgeIdleSessions', () => auth.purgeIdle())

  app.get(
    '/api/health',
    { config: { access: 'public', scoped: false }, schema: { tags: ['系统'], summary: '健康检查', response: { 200: health } } },
    async () => ({
      ok: await ping(deps.db),
    }),
  )
  app.get('/api/openapi.json', { config: { access: 'public', scoped: false }, schema: { hide: true } }, async () => app.swagger())
  await app.register(authRoutes(auth, { secureCookie: deps.secureCookie ?? false }))
  await app.register(orgRoutes)
  await app.register(enterpriseRoutes)
  await app.register(userRoutes)
  await app.register(regionRoutes)
  await app.register(auditRoutes)
  await app.register(memberRoutes)
  await app.register(transferRoutes)
  await app.register(
    importRoutes({
      db: deps.db,
      pii: deps.pii,
      dir: deps.importDir ?? defaultImportDir(),
      embeddedMaxRows: deps.embeddedImportMaxRows ?? null,
    }),
  )
  await app.register(applicationRoutes)
  await app.register(cardRoutes)
  await app.register(statsRoutes)
  await app.register(planRoutes)
  await app.register(formRoutes(forms))
  await app.register(myRoutes(auth, { secureCookie: deps.secureCookie ?? false }))
  await app.register(messageRoutes)
  await app.register(todoRoutes)
  await app.register(activityRoutes)
  await app.register(proposalRoutes)

  const webDir = deps.webDir === undefined ? defaultWebDir : deps.webDir
  if (webDir && fs.existsSync(path.join(webDir, 'index.html'))) {
    // scripts/build-web.mjs writes name.br and name.gz beside each file; the one the client accepts is
    // sent. Files under assets/ carry a hash of their content in the name: cached for a year, never
    // revalidated. The HTML pages are revalidated on every load, so a release is seen at once.
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, file) => {
        const rel = path.relative(webDir, file).split(path.sep)
        reply.header('cache-control', rel[0] === 'assets' && rel.length > 1 ? 'public, max-age=31536000, immutable' : 'no-cache')
      },
    })
    // client-side routes of the single-page app
    app.get('/*', (req, reply) => {
      if (req.url.startsWith('/api')) return reply.status(404).send({ error: { code: 'not_found', message: '接口不存在', fields: {} } })
      // a missing hashed file (an old release's chunk) is a 404, not the app's page in its place
      if (req.url.startsWith('/assets/')) return reply.callNotFound()
      return reply.sendFile('index.html')
    })
  }
  return app
}
/**
 * A counter per key over a time window, kept by @fastify/rate-limit's store (one per throttle),
 * for the login throttles that are not per route (per account, per failure).
 */
function throttle(app: FastifyInstance, max: number, timeWindow: number): Throttle {
  const limit = app.createRateLimit({
    max,
    timeWindow,
    keyGenerator: (r) => (r as unknown as { throttleKey: string }).throttleKey,
    // many names are tried at once in a spray; the counters must not be evicted early
    ...({ cache: 100_000 } as object),
  })
  const ask = async (key: string, increment: boolean) => {
    const r = await limit({ throttleKey: key, routeOptions: { config: {} } } as unknown as FastifyRequest, { increment })
    if (r.isAllowed) return { refused: false, retryAfterSeconds: 0 }
    // a hit refuses the attempt that goes over the limit; a peek refuses once the limit is reached
    return { refused: increment ? r.isExceeded : r.remaining === 0, retryAfterSeconds: r.ttlInSeconds }
  }
  return { hit: (key) => ask(key, true), peek: (key) => ask(key, false) }
}

/** Paths under /api that carry nothing personal and may be cached. */
const cacheableApi = new Set(['/api/health', '/api/openapi.json'])

/**
 * Security headers on every answer (helmet), and no caching of API answers: they carry personal
 * data and must not stay in a shared browser's or proxy's cache.
 * The CSP fits the built app: scripts only from the origin (the Vite build has no inline script),
 * inline styles allowed (Ant Design's CSS-in-JS writes <style> elements and style attributes),
 * images also as data: and blob: (the favicon, QR codes, chart exports), no framing at all.
 */
async function registerSecurityHeaders(app: FastifyInstance, https: boolean) {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS only when served over HTTPS; over plain HTTP it would lock browsers out of the next start
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  })
  app.addHook('onSend', async (req, reply) => {
    const url = req.url.split('?')[0]!
    if (url.startsWith('/api') && !cacheableApi.has(url)) {
      reply.header('cache-control', 'no-store')
      reply.header('pragma', 'no-cache')
    }
  })
}

export type App = Awaited<ReturnType<typeof buildApp>>

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: { method: string; url: string; access: unknown; scoped: boolean }[]
    /** the official forms this app draws up */
    forms: FormRegistry
    /** deletes the sessions idle or old too long; the number deleted */
    purgeIdleSessions(): Promise<number>
  }
}
