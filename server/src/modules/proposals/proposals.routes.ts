import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { zId } from '../../../../common/api.js'
import {
  myProposalListQuery,
  proposalAnswerBody,
  proposalCreateBody,
  proposalEditBody,
  proposalHideBody,
  proposalListQuery,
  proposalProgressBody,
  proposalRuleBody,
  proposalRulesQuery,
  workPlanQuery,
} from '../../../../common/proposals.js'
import * as R from '../../../../common/proposals-responses.js'
import * as service from './proposals.service.js'

const tags = ['建议']
const params = z.object({ id: zId })
const member = { access: 'member' as const }

/** 建议 · 打call: the member's pages (/api/my/proposals) and the cadres' queue (/api/proposals). */
export const proposalRoutes: FastifyPluginAsyncZod = async (app) => {
  // ── the member (会员端) ──
  app.get(
    '/api/my/proposals',
    {
      config: member,
      schema: {
        tags,
        summary: '会员：本人所在工会及上级工会的建议（征集中、我提出的、我支持的）',
        querystring: myProposalListQuery,
        response: { 200: R.myProposalPage },
      },
    },
    (req) => service.myList(req.ctx, req.query),
  )
  app.post(
    '/api/my/proposals',
    { config: member, schema: { tags, summary: '会员：提出建议（向本人所在工会或其上级工会）', body: proposalCreateBody } },
    async (req, reply) => {
      reply.status(201)
      return service.create(req.ctx, req.body)
    },
  )
  app.get(
    '/api/my/proposals/:id',
    {
      config: member,
      schema: { tags, summary: '会员：建议详情、支持进度、答复与办理进度', params, response: { 200: R.myProposalDetail } },
    },
    (req) => service.myGet(req.ctx, req.params.id),
  )
  app.patch(
    '/api/my/proposals/:id',
    { config: member, schema: { tags, summary: '会员：修改本人的建议（有人支持后内容冻结）', params, body: proposalEditBody } },
    (req) => service.edit(req.ctx, req.params.id, req.body),
  )
  app.post(
    '/api/my/proposals/:id/support',
    { config: member, schema: { tags, summary: '会员：支持（打call）一条建议，每人一次', params } },
    (req) => service.support(req.ctx, req.params.id),
  )

  // ── the cadres ──
  app.get(
    '/api/proposals',
    { schema: { tags, summary: '建议办理队列（超期未答复在前）', querystring: proposalListQuery, response: { 200: R.proposalPage } } },
    (req) => service.list(req.ctx, req.query),
  )
  app.get(
    '/api/proposals/work-plan',
    { schema: { tags, summary: '工作计划：达到支持数的建议', querystring: workPlanQuery, response: { 200: R.workPlanPage } } },
    (req) => service.workPlan(req.ctx, req.query),
  )
  app.get(
    '/api/proposals/rules',
    {
      schema: {
        tags,
        summary: '建议规则：支持数门槛、答复期限、征集期（按工会层级）',
        querystring: proposalRulesQuery,
        response: { 200: R.proposalRules },
      },
    },
    (req) => service.rules(req.ctx, req.query.org),
  )
  app.put(
    '/api/proposals/rules',
    { config: { access: ['org_admin'] }, schema: { tags, summary: '设置本工会的建议规则（此后发布的建议适用）', body: proposalRuleBody } },
    (req) => service.setRule(req.ctx, req.body),
  )
  app.get(
    '/api/proposals/:id',
    { schema: { tags, summary: '建议详情（办理）', params, response: { 200: R.proposalCadreDetail } } },
    (req) => service.get(req.ctx, req.params.id),
  )
  app.post(
    '/api/proposals/:id/answer',
    {
      config: { access: ['org_admin'] },
      schema: { tags, summary: '答复建议：纳入工作计划或不予采纳（说明理由）', params, body: proposalAnswerBody },
    },
    (req) => service.answer(req.ctx, req.params.id, req.body),
  )
  app.post(
    '/api/proposals/:id/progress',
    { config: { access: ['org_admin'] }, schema: { tags, summary: '登记建议办理进度（100% 即办结）', params, body: proposalProgressBody } },
    (req) => service.progress(req.ctx, req.params.id, req.body),
  )
  app.post(
    '/api/proposals/:id/hide',
    {
      config: { access: ['org_admin'] },
      schema: { tags, summary: '隐藏不当建议（说明原因，告知提出人）', params, body: proposalHideBody },
    },
    (req) => service.hide(req.ctx, req.params.id, req.body),
  )
}
