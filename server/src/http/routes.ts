import type {
  ContextConfigDefault,
  FastifyBaseLogger,
  FastifyContextConfig,
  FastifyInstance,
  FastifySchema,
  HTTPMethods,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  RouteGenericInterface,
  RouteHandlerMethod,
  RouteOptions,
} from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Access } from './scope.js'
import { AppError } from './errors.js'
import { zId } from '../../../common/api.js'

/** The anonymous pages on the phone act in the database role 'applicant', which may only add an application or a code. */
export const publicConfig = { access: 'public' as const, anonymousRole: 'applicant' }

/** A route's limit per caller address: `max` calls in `timeWindow` ms, then 429 with the message. */
export const perAddress = (max: number, timeWindow: number, message: string) => ({
  max,
  timeWindow,
  errorResponseBuilder: () => new AppError(429, 'rate_limited', message),
})

/** An SMS code to a mobile number (joining, the member's sign-in): 10 per address and hour. */
export const smsCodeLimit = () => perAddress(10, 60 * 60_000, '验证码获取过于频繁，请稍后再试')

/** The params of a route on one row: /api/…/:id */
export const idParams = z.object({ id: zId })

type Zod = z.ZodType | undefined

/**
 * One route of a module's table: what /api/openapi.json says of it (summary, the input schemas,
 * the answer's schema) and who may call it. The module's tags, and its access unless the route
 * names its own, come from `declareRoutes`.
 */
export interface RouteSpec<Q extends Zod, P extends Zod, B extends Zod, R extends Zod> {
  summary: string
  querystring?: Q
  params?: P
  body?: B
  /** the schema of the answer (status 200, or `status`) */
  response?: R
  /** the status of a successful answer when it is not 200 (201 created, 202 accepted, 204 no content) */
  status?: 201 | 202 | 204
  access?: Access
  /** the rest of the route's config (scoped, anonymousRole, beforePasswordChange, rateLimit); an access named here wins */
  config?: FastifyContextConfig
  tags?: string[]
  /** a hook before the body is validated (rate limits that count malformed calls too) */
  preValidation?: RouteOptions['preValidation']
  bodyLimit?: number
}

/** The schema Fastify and fastify-type-provider-zod see: they type req.query/params/body and the handler's answer from it. */
interface SchemaOf<Q, P, B, R> extends FastifySchema {
  querystring: Q
  params: P
  body: B
  response: R extends undefined ? undefined : { 200: R }
}

export type RouteHandler<Q extends Zod, P extends Zod, B extends Zod, R extends Zod> = RouteHandlerMethod<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  RouteGenericInterface,
  ContextConfigDefault,
  SchemaOf<Q, P, B, R>,
  ZodTypeProvider,
  FastifyBaseLogger
>

type Declare = <Q extends Zod = undefined, P extends Zod = undefined, B extends Zod = undefined, R extends Zod = undefined>(
  url: string,
  spec: RouteSpec<Q, P, B, R>,
  handler: RouteHandler<Q, P, B, R>,
) => void

/** Keys whose value is undefined are left out: the route's options read as if written by hand. */
const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T

/**
 * The skeleton every route repeats, written once: the module's tags, the schema with its summary,
 * input and answer, `config: { access }`, and the status of a created/accepted/empty answer.
 *
 *   const r = declareRoutes(app, { tags: ['会员'] })
 *   r.get('/api/members/:id', { summary: '会员详情', params, response: R.memberDetail }, (req) => service.get(req.ctx, req.params.id))
 *
 * The handler is typed by fastify-type-provider-zod as if passed to app.get: req.query, req.params
 * and req.body from the schemas, its answer checked against `response`.
 */
export function declareRoutes(app: FastifyInstance, defaults: { tags: string[]; access?: Access }) {
  const method =
    (m: HTTPMethods): Declare =>
    (url, spec, handler) => {
      const { summary, querystring, params, body, response, status, tags = defaults.tags, preValidation, bodyLimit } = spec
      const access = spec.access ?? defaults.access
      const config = access !== undefined || spec.config ? defined({ access, ...spec.config }) : undefined
      const schema = defined({ tags, summary, querystring, params, body, response: response && { [status ?? 200]: response } })
      const run = handler as RouteHandlerMethod
      app.route({
        method: m,
        url,
        ...defined({ config, preValidation, bodyLimit }),
        schema,
        handler: status
          ? async function (req, reply) {
              const answer = await run.call(this, req, reply)
              reply.status(status)
              return answer
            }
          : run,
      })
    }
  return { get: method('GET'), post: method('POST'), put: method('PUT'), patch: method('PATCH'), delete: method('DELETE') }
}
