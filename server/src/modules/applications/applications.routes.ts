import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import {
  applicationAnswerBody,
  applicationCreateBody,
  applicationDecisionBody,
  applicationListQuery,
  applicationWithdrawBody,
  joiningCodeBody,
  joiningSearchQuery,
} from '../../../../common/api-members.js'
import { AppError } from '../../http/errors.js'
import * as service from './applications.service.js'
import { rateLimiter } from './rate-limit.js'
import * as R from '../../../../common/responses.js'
import { declareRoutes, idParams, perAddress, publicConfig, smsCodeLimit } from '../../http/routes.js'

/** Abuse protection of the anonymous form: 10 submissions per address and hour (per process). */
export const APPLICATIONS_PER_HOUR = 10
/** The applicant's acts by token (withdraw, answer): 20 per address and hour (per process). */
export const APPLICANT_ACTS_PER_HOUR = 20
/** The public workplace search: 30 searches per address and minute. */
export const WORKPLACE_SEARCHES_PER_MINUTE = 30

export const applicationRoutes: FastifyPluginAsyncZod = async (app) => {
  const route = declareRoutes(app, { tags: ['网上入会'] })
  const limiter = rateLimiter(APPLICATIONS_PER_HOUR, 60 * 60 * 1000)
  const actLimiter = rateLimiter(APPLICANT_ACTS_PER_HOUR, 60 * 60 * 1000)
  // before the body is validated, so that malformed calls (and guessed tokens) count too
  const limitActs = async (req: { ip: string }) => {
    if (!actLimiter.hit(req.ip)) throw new AppError(429, 'rate_limited', '操作过于频繁，请一小时后再试；如有疑问请联系受理工会')
  }

  // ── public (no login): the joining page on the phone ──
  route.get(
    '/api/public/workplaces',
    {
      summary: '按名称查找工作单位（公开；至少2个字，按字面匹配，最多20家；只答名称、所在乡镇、是否已建会）',
      querystring: joiningSearchQuery,
      response: z.array(R.joiningWorkplace),
      config: {
        ...publicConfig,
        // the register is not to be listed by anyone: per address, counted before the query is checked
        rateLimit: perAddress(WORKPLACE_SEARCHES_PER_MINUTE, 60_000, '查询过于频繁，请稍后再试'),
      },
    },
    (req) => service.searchWorkplaces(req.ctx, req.query.q),
  )
  route.get(
    '/api/public/regions',
    {
      summary: '行政区划的下级（公开参考数据，供选择居住地或户籍所在地）',
      querystring: z.object({
        parent: z
          .string()
          .max(12, '请选择上级地区')
          .regex(/^\d{2,12}$/, '请选择上级地区'),
      }),
      response: z.array(R.regionView),
      config: publicConfig,
    },
    (req) => service.regionChildren(req.ctx, req.query.parent),
  )
  route.post(
    '/api/public/applications',
    {
      summary: '提交入会申请（公开；须同意隐私政策并单独同意处理敏感个人信息，并填写发送至所填手机号的验证码）；返回一次性查询码',
      body: applicationCreateBody,
      config: publicConfig,
      // before the body is validated, so that malformed submissions count too
      preValidation: async (req) => {
        if (!limiter.hit(req.ip)) throw new AppError(429, 'rate_limited', '提交过于频繁，请一小时后再试；如有疑问请联系当地工会')
      },
      status: 201,
    },
    (req) => service.apply(req.ctx, req.body),
  )
  route.post(
    '/api/public/codes',
    {
      summary: '网上入会、转会或更正手机号前获取短信验证码（公开；发送至所填手机号，证明号码属于本人）',
      body: joiningCodeBody,
      config: {
        ...publicConfig,
        rateLimit: smsCodeLimit(),
      },
    },
    (req) => service.requestCode(req.ctx, req.body),
  )
  route.get(
    '/api/public/applications/status',
    {
      summary: '凭查询码查看入会申请进度（通过后含电子会员卡令牌）',
      querystring: z.object({ token: z.string().trim().min(16, '查询码不正确').max(100, '查询码不正确') }),
      response: R.applicationStatusView,
      config: publicConfig,
    },
    (req) => service.status(req.ctx, req.query.token),
  )
  route.post(
    '/api/public/applications/withdraw',
    {
      summary: '申请人凭查询码撤回尚未办结的入会申请（或会员本人的转会申请）（公开）',
      body: applicationWithdrawBody,
      config: publicConfig,
      preValidation: limitActs,
    },
    (req) => service.withdraw(req.ctx, req.body.token),
  )
  route.post(
    '/api/public/applications/answer',
    {
      summary: '申请人凭查询码答复“需补充材料”：补充说明，可更正工作单位、手机号；答复后回到待审核（公开）',
      body: applicationAnswerBody,
      config: publicConfig,
      preValidation: limitActs,
    },
    (req) => service.answer(req.ctx, req.body),
  )

  // ── reviewers (business roles; jurisdiction by row-level security on the application's union) ──
  route.get(
    '/api/applications',
    {
      summary: '入会申请（org 为子树；overdue=true 为超过15个工作日未办结；超期的排在前面）',
      querystring: applicationListQuery,
      response: R.page(R.applicationView),
    },
    (req) => service.list(req.ctx, req.query),
  )
  route.get('/api/applications/:id', { summary: '入会申请详情（脱敏）', params: idParams, response: R.applicationView }, (req) =>
    service.get(req.ctx, req.params.id),
  )
  route.post(
    '/api/applications/:id/decision',
    {
      summary: '审核入会申请：通过（登记为会员，属地预备会员库为预备会员）、不予通过或要求补充（须写明意见）',
      params: idParams,
      body: applicationDecisionBody,
    },
    (req) => service.decide(req.ctx, req.params.id, req.body),
  )
}
