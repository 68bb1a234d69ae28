import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
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
import { declareRoutes, idParams } from '../../http/routes.js'

const member = { access: 'member' as const }

/** 建议 · 打call: the member's pages (/api/my/proposals) and the cadres' queue (/api/proposals). */
export const proposalRoutes: FastifyPluginAsyncZod = async (app) => {
  const route = declareRoutes(app, { tags: ['建议'] })
  // ── the member (会员端) ──
  route.get(
    '/api/my/proposals',
    {
      summary: '会员：本人所在工会及上级工会的建议（征集中、我提出的、我支持的）',
      querystring: myProposalListQuery,
      response: R.myProposalPage,
      config: member,
    },
    (req) => service.myList(req.ctx, req.query),
  )
  route.post(
    '/api/my/proposals',
    { summary: '会员：提出建议（向本人所在工会或其上级工会）', body: proposalCreateBody, config: member, status: 201 },
    (req) => service.create(req.ctx, req.body),
  )
  route.get(
    '/api/my/proposals/:id',
    { summary: '会员：建议详情、支持进度、答复与办理进度', params: idParams, response: R.myProposalDetail, config: member },
    (req) => service.myGet(req.ctx, req.params.id),
  )
  route.patch(
    '/api/my/proposals/:id',
    { summary: '会员：修改本人的建议（有人支持后内容冻结）', params: idParams, body: proposalEditBody, config: member },
    (req) => service.edit(req.ctx, req.params.id, req.body),
  )
  route.post(
    '/api/my/proposals/:id/support',
    { summary: '会员：支持（打call）一条建议，每人一次', params: idParams, config: member },
    (req) => service.support(req.ctx, req.params.id),
  )

  // ── the cadres ──
  route.get(
    '/api/proposals',
    { summary: '建议办理队列（超期未答复在前）', querystring: proposalListQuery, response: R.proposalPage },
    (req) => service.list(req.ctx, req.query),
  )
  route.get(
    '/api/proposals/work-plan',
    { summary: '工作计划：达到支持数的建议', querystring: workPlanQuery, response: R.workPlanPage },
    (req) => service.workPlan(req.ctx, req.query),
  )
  route.get(
    '/api/proposals/rules',
    { summary: '建议规则：支持数门槛、答复期限、征集期（按工会层级）', querystring: proposalRulesQuery, response: R.proposalRules },
    (req) => service.rules(req.ctx, req.query.org),
  )
  route.put(
    '/api/proposals/rules',
    { summary: '设置本工会的建议规则（此后发布的建议适用）', body: proposalRuleBody, access: ['org_admin'] },
    (req) => service.setRule(req.ctx, req.body),
  )
  route.get('/api/proposals/:id', { summary: '建议详情（办理）', params: idParams, response: R.proposalCadreDetail }, (req) =>
    service.get(req.ctx, req.params.id),
  )
  route.post(
    '/api/proposals/:id/answer',
    { summary: '答复建议：纳入工作计划或不予采纳（说明理由）', params: idParams, body: proposalAnswerBody, access: ['org_admin'] },
    (req) => service.answer(req.ctx, req.params.id, req.body),
  )
  route.post(
    '/api/proposals/:id/progress',
    { summary: '登记建议办理进度（100% 即办结）', params: idParams, body: proposalProgressBody, access: ['org_admin'] },
    (req) => service.progress(req.ctx, req.params.id, req.body),
  )
  route.post(
    '/api/proposals/:id/hide',
    { summary: '隐藏不当建议（说明原因，告知提出人）', params: idParams, body: proposalHideBody, access: ['org_admin'] },
    (req) => service.hide(req.ctx, req.params.id, req.body),
  )
}
