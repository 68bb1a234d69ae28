import fs from 'node:fs'
import path from 'node:path'
import crypto from 'node:crypto'
import { z } from 'zod'
import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { importCommitBody, importProblemQuery, memberExportQuery } from '../../../../common/api-members.js'
import { zPage, zId } from '../../../../common/api.js'
import { AppError } from '../../http/errors.js'
import * as service from './imports.service.js'
import { exportRoster } from './export.js'
import { saveUpload } from './reader.js'
import { ensureUploadDir } from './sealed.js'
import * as R from '../../../../common/responses.js'
import { declareRoutes, idParams } from '../../http/routes.js'

const uploadQuery = z.object({
  union: zId,
  fileName: z.string().trim().min(1).max(200).default('roster.csv'),
})
const listQuery = z.object({ union: zId.optional(), ...zPage })
const enterpriseUploadQuery = z.object({ org: zId.optional(), fileName: z.string().trim().min(1).max(200).default('enterprises.csv') })
const enterpriseListQuery = z.object({ ...zPage })
/** the largest roster accepted (a million rows of CSV is about 150 MB) */
export const MAX_UPLOAD_BYTES = 600 * 1024 * 1024

const disposition = (name: string) =>
  `attachment; filename="${encodeURIComponent(name).replace(/['()]/g, escape)}"; filename*=UTF-8''${encodeURIComponent(name)}`
/** The upload the content-type parser saved, if the body is one. */
const savedFile = (body: unknown) => (body && typeof body === 'object' && 'tmpPath' in body ? (body as service.Upload) : null)
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

declare module 'fastify' {
  interface FastifyRequest {
    /** work to start once the request's transaction has committed */
    afterCommit?: () => void
    uploadTmp?: string
  }
}

export function importRoutes(env: service.ImportEnv): FastifyPluginAsyncZod {
  return async (app) => {
    const route = declareRoutes(app, { tags: ['会员导入导出'] })
    // recovering interrupted jobs and purging old uploads run from main.ts, at start and every hour
    // the file goes to disk as it arrives, before the handler's transaction begins: the body is
    // the saved file (sha256, size, detected encoding), never the whole file in memory
    const uploadTypes = ['application/octet-stream', 'text/csv', 'text/plain', 'application/csv', 'application/vnd.ms-excel', XLSX]
    app.addContentTypeParser(uploadTypes, async (req: FastifyRequest, payload: NodeJS.ReadableStream) => {
      ensureUploadDir(env.dir)
      const tmp = path.join(env.dir, `upload-${Date.now()}-${crypto.randomBytes(6).toString('hex')}.part`)
      req.uploadTmp = tmp
      let seen = 0
      const limited = (async function* () {
        for await (const c of payload as AsyncIterable<Buffer>) {
          seen += c.length
          if (seen > MAX_UPLOAD_BYTES)
            throw new AppError(413, 'too_large', `文件超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB，请拆分后分批导入`)
          yield c
        }
      })()
      const saved = await saveUpload(limited as unknown as NodeJS.ReadableStream, tmp, crypto.createHash('sha256'), env.pii)
      return { tmpPath: tmp, ...saved } satisfies service.Upload
    })
    app.addHook('onResponse', async (req, reply) => {
      if (req.uploadTmp) fs.rmSync(req.uploadTmp, { force: true })
      // after the reply, i.e. after the request's transaction committed (the scope wrapper returns then)
      const run = req.afterCommit
      req.afterCommit = undefined
      if (run && reply.statusCode < 400) run()
    })

    /** a template workbook to download */
    const templateRoute = (url: string, summary: string, fileName: string, make: () => Promise<Buffer>) =>
      route.get(url, { summary, response: R.fileAnswer }, async (_req, reply) => {
        reply.header('content-type', XLSX).header('content-disposition', disposition(fileName))
        return make()
      })
    /** the upload's answer: the job; a large file's check starts once the request committed */
    const received = (req: FastifyRequest, r: { view: unknown; after: service.AfterCommit }) => {
      if (r.after) req.afterCommit = r.after
      return r.view
    }
    const uploadLimits = { bodyLimit: MAX_UPLOAD_BYTES, status: 201 } as const

    templateRoute('/api/imports/template', '下载会员导入模板（xlsx，编码字段带下拉列表）', '会员导入模板.xlsx', service.template)
    route.post(
      '/api/imports',
      {
        summary: '上传会员名册（请求体为 .xlsx 或 .csv 文件内容）并检查；大文件在后台检查，轮询任务查看进度',
        querystring: uploadQuery,
        ...uploadLimits,
      },
      async (req) => received(req, await service.upload(req.ctx, env, req.query.union, req.query.fileName, savedFile(req.body))),
    )
    templateRoute(
      '/api/enterprise-imports/template',
      '下载用人单位导入模板（xlsx，编码字段带下拉列表）',
      '用人单位导入模板.xlsx',
      service.enterpriseTemplate,
    )
    route.post(
      '/api/enterprise-imports',
      {
        summary: '上传用人单位名录（请求体为 .xlsx 或 .csv 文件内容）并逐行按登记表单检查；之后的进度、问题清单和导入用 /api/imports/:id',
        querystring: enterpriseUploadQuery,
        ...uploadLimits,
      },
      async (req) =>
        received(req, await service.upload(req.ctx, env, req.query.org ?? null, req.query.fileName, savedFile(req.body), 'enterprise')),
    )
    route.get(
      '/api/enterprise-imports',
      { summary: '用人单位导入任务列表', querystring: enterpriseListQuery, response: R.page(R.importJobView) },
      (req) => service.list(req.ctx, req.query, 'enterprise'),
    )
    route.get('/api/imports', { summary: '导入任务列表', querystring: listQuery, response: R.page(R.importJobView) }, (req) =>
      service.list(req.ctx, req.query),
    )
    route.get(
      '/api/imports/:id',
      { summary: '导入任务与进度（已处理行数、每秒行数、剩余时间）', params: idParams, response: R.importJobView },
      (req) => service.get(req.ctx, req.params.id),
    )
    route.get(
      '/api/imports/:id/problems',
      {
        summary: '检查发现的问题（行号、列、原因）',
        params: idParams,
        querystring: importProblemQuery,
        response: R.page(R.importProblemView),
      },
      (req) => service.problems(req.ctx, req.params.id, req.query),
    )
    route.get(
      '/api/imports/:id/report',
      { summary: '下载问题清单（xlsx）', params: idParams, response: R.fileAnswer },
      async (req, reply) => {
        const r = await service.report(req.ctx, req.params.id)
        reply.header('content-type', XLSX).header('content-disposition', disposition(r.fileName))
        return r.data
      },
    )
    route.post(
      '/api/imports/:id/commit',
      {
        summary: '执行导入：all 全部（有错误行时拒绝）或 valid_only 只导入正确的行；后台进行',
        params: idParams,
        body: importCommitBody,
        status: 202,
      },
      async (req) => {
        const r = await service.startCommit(req.ctx, env, req.params.id, req.body.mode)
        req.afterCommit = () => void r.after()
        return r.view
      },
    )
    route.get(
      '/api/members/export',
      {
        summary: '导出会员名册（默认脱敏；完整信息须有权限并说明原因，留痕并加水印）',
        querystring: memberExportQuery,
        response: R.fileAnswer,
      },
      async (req, reply) => {
        const f = await exportRoster(req.ctx, req.query)
        reply.header('content-type', f.contentType).header('content-disposition', disposition(f.fileName))
        const stream = fs.createReadStream(f.path)
        stream.on('close', () => fs.rmSync(f.path, { force: true }))
        return stream
      },
    )
  }
}
