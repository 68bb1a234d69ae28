import type { FastifyError, FastifyInstance } from 'fastify'
import { ZodError } from 'zod'
import '../../../common/zod-zh.js'
import { fieldLabel, withFieldLabel } from '../../../common/labels.js'

/** A refusal the user can act on: HTTP 4xx with a Chinese message naming the field or the reason. */
export class AppError extends Error {
  /** more for the client to act on, e.g. where a person is a member already */
  detail?: unknown

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message)
  }
}

export const badRequest = (message: string, fields?: Record<string, string>) => new AppError(400, 'invalid', message, fields)
export const fieldError = (field: string, message: string) => new AppError(400, 'invalid', withLabel(field, message), { [field]: message })
export const notFound = (what = '记录') => new AppError(404, 'not_found', `${what}不存在或不在您的管辖范围内`)
export const forbidden = (message = '无权执行此操作') => new AppError(403, 'forbidden', message)
export const conflict = (message: string, fields?: Record<string, string>) => new AppError(409, 'conflict', message, fields)
export const unauthorized = (message = '请先登录') => new AppError(401, 'unauthorized', message)

/** Unique constraints the user can violate, with what to tell them. */
const uniqueMessages: Record<string, { field: string; message: string }> = {
  // the unit holding it is named by the service when the caller may see it; reaching the index means it is elsewhere
  enterprise_credit_code_key: {
    field: 'creditCode',
    message: '该统一社会信用代码已在其他乡镇（街道）的名录中登记，不在您的管辖范围内；如该单位已迁入本辖区，请联系上级工会办理',
  },
  org_credit_code_key: { field: 'creditCode', message: '该统一社会信用代码已被其他工会使用' },
  org_code_key: { field: 'code', message: '组织代码已存在' },
  app_user_username_key: { field: 'username', message: '用户名已存在' },
  enterprise_own_union: { field: 'ownUnionId', message: '该工会已是另一家单位的单独建会工会' },
  member_document_hash_key: { field: 'documentNumber', message: '该证件号码已登记为会员，一人只能有一个会籍' },
  transfer_open: { field: 'memberId', message: '该会员已有一笔正在办理的接转' },
  application_open: { field: 'documentNumber', message: '您已有一份正在办理的入会申请，请勿重复提交' },
}

/** Whether err is the violation of the named unique index (a service that words it for its own users). */
export const violates = (err: unknown, constraint: string) =>
  (err as PgError | null)?.code === '23505' && (err as PgError).constraint === constraint

/** PostgreSQL's data exceptions caused by a value (too long, out of range, not a number, bad encoding) */
const dataExceptions = new Set(['22001', '22003', '22007', '22008', '22021', '22P02', '22P05', '54000'])

interface PgError {
  code?: string
  constraint?: string
  message?: string
}

/** '名称：不能为空'; a message that already names its field is left as it is */
const withLabel = withFieldLabel

function fromZod(err: ZodError): AppError {
  const fields: Record<string, string> = {}
  for (const issue of err.issues) {
    const key = issue.path.join('.') || '_'
    if (!fields[key]) fields[key] = issue.message
  }
  const first = Object.entries(fields)[0]
  return new AppError(400, 'invalid', first ? withLabel(first[0], first[1]) : '输入有误', fields)
}

/** Maps anything thrown to the API's error shape; never sends a stack trace. */
export function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err
  if (err instanceof ZodError) return fromZod(err)
  const fe = err as FastifyError & { validation?: unknown; validationContext?: string }
  if (fe && fe.validation && (fe as unknown as { cause?: unknown }).cause instanceof ZodError) {
    return fromZod((fe as unknown as { cause: ZodError }).cause)
  }
  if (fe && Array.isArray(fe.validation)) {
    const fields: Record<string, string> = {}
    for (const v of fe.validation as Array<{ instancePath?: string; message?: string; params?: { issue?: { path?: unknown[] } } }>) {
      const key = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') || '_'
      fields[key] = v.message ?? '格式不正确'
    }
    const first = Object.entries(fields)[0]
    return new AppError(400, 'invalid', first ? withLabel(first[0], first[1]) : '输入有误', fields)
  }
  const pe = err as PgError
  if (pe && pe.code === '23505') {
    const known = pe.constraint ? uniqueMessages[pe.constraint] : undefined
    if (known) return conflict(`${fieldLabel(known.field)}：${known.message}`, { [known.field]: known.message })
    return conflict('记录重复')
  }
  if (pe && pe.code === '42501') return forbidden('超出管辖范围或无写入权限')
  if (pe && pe.code === '23503') return badRequest('引用的记录不存在')
  if (pe && pe.code === '23514') return badRequest('数据不符合约束：' + (pe.constraint ?? ''))
  // the schemas bound every field; should a value still be out of the database's range, it is the input's fault
  if (pe && typeof pe.code === 'string' && dataExceptions.has(pe.code)) return badRequest('输入的内容超出允许的范围或含有不允许的字符')
  if (fe && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const map: Record<number, string> = {
      400: '请求格式不正确',
      404: '接口不存在',
      405: '不支持的请求方法',
      413: '上传内容过大',
      415: '不支持的内容类型',
    }
    return new AppError(
      fe.statusCode,
      fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'invalid' : 'bad_request',
      map[fe.statusCode] ?? '请求有误',
    )
  }
  return null
}

export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err, req, reply) => {
    const appErr = toAppError(err)
    if (appErr) {
      const error = {
        code: appErr.code,
        message: appErr.message,
        fields: appErr.fields ?? {},
        ...(appErr.detail === undefined ? {} : { detail: appErr.detail }),
      }
      return reply.status(appErr.status).send({ error })
    }
    req.log.error({ err }, 'unhandled error')
    return reply.status(500).send({ error: { code: 'internal', message: '服务器内部错误，请稍后再试', fields: {} } })
  })
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: { code: 'not_found', message: '接口不存在', fields: {} } })
  })
}
