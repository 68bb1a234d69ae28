import { z } from 'zod'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import type { FastifyReply } from 'fastify'
import {
  formQuery,
  plannedUnionBody,
  plannedUnionListQuery,
  plannedUnionPatch,
  roundBoardQuery,
  roundCellsBody,
  roundDeadlineBody,
  roundRemindBody,
  roundCreateBody,
  roundListQuery,
  roundReturnBody,
  roundSubmitBody,
  zFormCode,
} from '../../../../common/forms.js'
import * as service from './forms.service.js'
import type { FormRegistry } from './registry.js'
import { zId } from '../../../../common/api.js'
import * as R from '../../../../common/responses.js'

const tags = ['报表']
const business = ['org_admin', 'org_viewer'] as const
const params = z.object({ id: zId })
const formParams = z.object({ form: zFormCode })

// returned, not sent: the reply leaves only after the transaction committed
const xlsx = (reply: FastifyReply, f: { buffer: Buffer; fileName: string }) => {
  reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
  return f.buffer
}

/** The routes of the forms and reporting rounds, over the registry of forms the app was built with. */
export const formRoutes =
  (forms: FormRegistry): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/forms',
      {
        config: { access: [...business] },
        schema: { tags, summary: '可生成的报表（附件1、附件2 …）', response: { 200: z.array(R.formInfo) } },
      },
      async () => forms.list(),
    )
    app.get(
      '/api/forms/:form',
      {
        config: { access: [...business] },
        schema: {
          tags,
          summary: '生成一张报表：任一组织、任一截止时间',
          params: formParams,
          querystring: formQuery,
          response: { 200: R.formTable },
        },
      },
      (req) => service.generate(req.ctx, forms, req.params.form, req.query),
    )
    app.get(
      '/api/forms/:form/export',
      {
        config: { access: [...business] },
        schema: {
          tags,
          summary: '报表导出为 xlsx（版式同文件附件）',
          params: formParams,
          querystring: formQuery,
          response: { 200: R.fileAnswer },
        },
      },
      async (req, reply) => xlsx(reply, await service.exportXlsx(req.ctx, forms, req.params.form, req.query)),
    )

    app.get(
      '/api/planned-unions',
      {
        config: { access: [...business] },
        schema: {
          tags,
          summary: '拟建联合工会（附件2 的明细）',
          querystring: plannedUnionListQuery,
          response: { 200: R.plannedUnionList },
        },
      },
      (req) => service.plannedList(req.ctx, req.query),
    )
    app.post(
      '/api/planned-unions',
      { config: { access: ['org_admin'] }, schema: { tags, summary: '登记一个拟建联合工会', body: plannedUnionBody } },
      async (req, reply) => {
        reply.status(201)
        return service.plannedCreate(req.ctx, req.body)
      },
    )
    app.patch(
      '/api/planned-unions/:id',
      { config: { access: ['org_admin'] }, schema: { tags, summary: '修改拟建联合工会', params, body: plannedUnionPatch } },
      (req) => service.plannedUpdate(req.ctx, req.params.id, req.body),
    )
    app.delete(
      '/api/planned-unions/:id',
      { config: { access: ['org_admin'] }, schema: { tags, summary: '删除拟建联合工会', params } },
      async (req, reply) => {
        await service.plannedDelete(req.ctx, req.params.id)
        reply.status(204)
      },
    )

    app.get(
      '/api/report-rounds',
      {
        config: { access: [...business] },
        schema: { tags, summary: '填报轮次：本辖区各单位的报表填报与审核', querystring: roundListQuery, response: { 200: R.roundList } },
      },
      (req) => service.roundList(req.ctx, forms, req.query),
    )
    app.post(
      '/api/report-rounds',
      { config: { access: ['org_admin'] }, schema: { tags, summary: '发起填报：为一个或多个单位、一个截止时间', body: roundCreateBody } },
      async (req, reply) => {
        reply.status(201)
        return service.roundCreate(req.ctx, forms, req.body)
      },
    )
    app.get(
      '/api/report-rounds/board',
      {
        config: { access: [...business] },
        schema: {
          tags,
          summary: '填报进度一览：一批填报（报表 + 截止时间）各单位的状态、逾期与催报',
          querystring: roundBoardQuery,
          response: { 200: R.roundBoard },
        },
      },
      (req) => service.roundBoard(req.ctx, forms, req.query),
    )
    app.put(
      '/api/report-rounds/board/deadline',
      { config: { access: ['org_admin'] }, schema: { tags, summary: '调整一批填报的报送截止日期', body: roundDeadlineBody } },
      (req) => service.roundDeadline(req.ctx, forms, req.body),
    )
    app.post(
      '/api/report-rounds/board/remind',
      {
        config: { access: ['org_admin'] },
        schema: { tags, summary: '催报：向未提交的下级单位发送消息（每个单位每天至多一次）', body: roundRemindBody },
      },
      (req) => service.roundRemind(req.ctx, forms, req.body),
    )
    app.get(
      '/api/report-rounds/:id',
      {
        config: { access: [...business] },
        schema: { tags, summary: '填报轮次详情：报表、校验结果、办理记录', params, response: { 200: R.roundView } },
      },
      (req) => service.roundGet(req.ctx, forms, req.params.id),
    )
    app.put(
      '/api/report-rounds/:id',
      { config: { access: ['org_admin'] }, schema: { tags, summary: '保存填报的数字（可填报的报表）', params, body: roundCellsBody } },
      (req) => service.roundSave(req.ctx, forms, req.params.id, req.body),
    )
    app.post(
      '/api/report-rounds/:id/submit',
      { config: { access: ['org_admin'] }, schema: { tags, summary: '校验并提交上级审核', params, body: roundSubmitBody } },
      (req) => service.roundSubmit(req.ctx, forms, req.params.id, req.body),
    )
    app.post(
      '/api/report-rounds/:id/approve',
      { config: { access: ['org_admin'] }, schema: { tags, summary: '审核通过（通过后锁定）', params } },
      (req) => service.roundApprove(req.ctx, forms, req.params.id),
    )
    app.post(
      '/api/report-rounds/:id/return',
      { config: { access: ['org_admin'] }, schema: { tags, summary: '退回修改（须说明理由）', params, body: roundReturnBody } },
      (req) => service.roundReturn(req.ctx, forms, req.params.id, req.body.comment),
    )
    app.get(
      '/api/report-rounds/:id/export',
      {
        config: { access: [...business] },
        schema: { tags, summary: '导出该轮次的报表（已提交的为提交时的快照）', params, response: { 200: R.fileAnswer } },
      },
      async (req, reply) => xlsx(reply, await service.roundExport(req.ctx, forms, req.params.id)),
    )
  }
