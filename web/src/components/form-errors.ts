import type { FormInstance } from 'antd'
import { ApiError } from '../api/client'
import { feedback } from './feedback'
import { errorMessage } from './error-message'

/** Puts the server's per-field messages onto the matching form items (rename maps API field → form field). */
export function applyFieldErrors(form: FormInstance, e: unknown, rename: Record<string, string> = {}): boolean {
  if (!(e instanceof ApiError)) return false
  const items = Object.entries(e.fields)
    .filter(([k]) => k !== '_')
    .map(([k, msg]) => ({ name: rename[k] ?? k, errors: [msg] }))
  if (items.length) form.setFields(items)
  return items.length > 0
}

export { errorMessage }

/** The usual handling of a failed save: the Chinese message as a toast, the fields on the form. */
export function showError(e: unknown, form?: FormInstance, rename?: Record<string, string>) {
  feedback.message.error(errorMessage(e))
  if (form) applyFieldErrors(form, e, rename)
}
