import { ApiError } from '../api/client'

/** The Chinese message of a failed request (no Ant Design here: the phone pages use it too). */
export function errorMessage(e: unknown): string {
  return e instanceof ApiError ? e.message : e instanceof Error ? e.message : '操作失败'
}
