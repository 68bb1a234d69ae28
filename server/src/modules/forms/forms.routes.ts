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
import * as R from '../../../../common/responses.js'
import { declareRoutes, idParams } from '../../http/routes.js'

const business = ['org_admin', 'org_viewer'] as const
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
    const route = declareRoutes(app, { tags: ['报表'] })
    route.get('/api/forms', { summary: '可生成的报表（附件1、附件2 …）', response: z.array(R.formInfo), access: [...business] }, async () =>
      forms.list(),
    )
    route.get(
      '/api/forms/:form',
      {
        summary: '生成一张报表：任一组织、任一截止时间',
        params: formParams,
        querystring: formQuery,
        response: R.formTable,
        access: [...business],
      },
      (req) => service.generate(req.ctx, forms, req.params.form, req.query),
    )
    route.get(
      '/api/forms/:form/export',
      {
        summary: '报表导出为 xlsx（版式同文件附件）',
        params: formParams,
        querystring: formQuery,
        response: R.fileAnswer,
        access: [...business],
      },
      async (req, reply) => xlsx(reply, await service.exportXlsx(req.ctx, forms, req.params.form, req.query)),
    )

    route.get(
      '/api/planned-unions',
      { summary: '拟建联合工会（附件2 的明细）', querystring: plannedUnionListQuery, response: R.plannedUnionList, access: [...business] },
      (req) => service.plannedList(req.ctx, req.query),
    )
    route.post(
      '/api/planned-unions',
      { summary: '登记一个拟建联合工会', body: plannedUnionBody, access: ['org_admin'], status: 201 },
      (req) => service.plannedCreate(req.ctx, req.body),
    )
    route.patch(
      '/api/planned-unions/:id',
      { summary: '修改拟建联合工会', params: idParams, body: plannedUnionPatch, access: ['org_admin'] },
      (req) => service.plannedUpdate(req.ctx, req.params.id, req.body),
    )
    route.delete(
      '/api/planned-unions/:id',
      { summary: '删除拟建联合工会', params: idParams, access: ['org_admin'], status: 204 },
      async (req) => {
        await service.plannedDelete(req.ctx, req.params.id)
      },
    )

    route.get(
      '/api/report-rounds',
      { summary: '填报轮次：本辖区各单位的报表填报与审核', querystring: roundListQuery, response: R.roundList, access: [...business] },
      (req) => service.roundList(req.ctx, forms, req.query),
    )
    route.post(
      '/api/report-rounds',
      { summary: '发起填报：为一个或多个单位、一个截止时间', body: roundCreateBody, access: ['org_admin'], status: 201 },
      (req) => service.roundCreate(req.ctx, forms, req.body),
    )
    route.get(
      '/api/report-rounds/board',
      {
        summary: '填报进度一览：一批填报（报表 + 截止时间）各单位的状态、逾期与催报',
        querystring: roundBoardQuery,
        response: R.roundBoard,
        access: [...business],
      },
      (req) => service.roundBoard(req.ctx, forms, req.query),
    )
    route.put(
      '/api/report-rounds/board/deadline',
      { summary: '调整一批填报的报送截止日期', body: roundDeadlineBody, access: ['org_admin'] },
      (req) => service.roundDeadline(req.ctx, forms, req.body),
    )
    route.post(
      '/api/report-rounds/board/remind',
      { summary: '催报：向未提交的下级单位发送消息（每个单位每天至多一次）', body: roundRemindBody, access: ['org_admin'] },
      (req) => service.roundRemind(req.ctx, forms, req.body),
    )
    route.get(
      '/api/report-rounds/:id',
      { summary: '填报轮次详情：报表、校验结果、办理记录', params: idParams, response: R.roundView, access: [...business] },
      (req) => service.roundGet(req.ctx, forms, req.params.id),
    )
    route.put(
      '/api/report-rounds/:id',
      { summary: '保存填报的数字（可填报的报表）', params: idParams, body: roundCellsBody, access: ['org_admin'] },
      (req) => service.roundSave(req.ctx, forms, req.params.id, req.body),
    )
    route.post(
      '/api/report-rounds/:id/submit',
      { summary: '校验并提交上级审核', params: idParams, body: roundSubmitBody, access: ['org_admin'] },
      (req) => service.roundSubmit(req.ctx, forms, req.params.id, req.body),
    )
    route.post('/api/report-rounds/:id/approve', { summary: '审核通过（通过后锁定）', params: idParams, access: ['org_admin'] }, (req) =>
      service.roundApprove(req.ctx, forms, req.params.id),
    )
    route.post(
      '/api/report-rounds/:id/return',
      { summary: '退回修改（须说明理由）', params: idParams, body: roundReturnBody, access: ['org_admin'] },
      (req) => service.roundReturn(req.ctx, forms, req.params.id, req.body.comment),
    )
    route.get(
      '/api/report-rounds/:id/export',
      { summary: '导出该轮次的报表（已提交的为提交时的快照）', params: idParams, response: R.fileAnswer, access: [...business] },
      async (req, reply) => xlsx(reply, await service.roundExport(req.ctx, forms, req.params.id)),
    )
  }
