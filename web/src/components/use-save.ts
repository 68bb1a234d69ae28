import type { FormInstance } from 'antd'
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query'
import { showError } from './form-errors'

/**
 * A save (TanStack Query's useMutation): `saving` while it runs; on success the listed queries are
 * refreshed and `onSuccess` runs; a failure is shown as a toast with the server's field messages on
 * `form`. `save` resolves to the answer, or undefined after a failure (already shown).
 */
export function useSave<V, R>(
  fn: (v: V) => Promise<R>,
  opts: {
    form?: FormInstance
    invalidate?: QueryKey[]
    onSuccess?: (r: R, v: V) => void
    rename?: Record<string, string>
    /** instead of the toast: e.g. the message said on the dialog itself */
    onError?: (e: unknown) => void
  } = {},
) {
  const qc = useQueryClient()
  const m = useMutation({
    mutationFn: fn,
    onSuccess: (r, v) => {
      opts.onSuccess?.(r, v)
      for (const queryKey of opts.invalidate ?? []) void qc.invalidateQueries({ queryKey })
    },
    onError: (e) => (opts.onError ? opts.onError(e) : showError(e, opts.form, opts.rename)),
  })
  return {
    saving: m.isPending,
    save: (v: V): Promise<R | undefined> => m.mutateAsync(v).catch(() => undefined),
  }
}

/** useSave for a handler that does several things: `run(async () => …)` while `saving`, a failure shown (on `form`). */
export function useSaving(form?: FormInstance, onError?: (e: unknown) => void) {
  const { saving, save } = useSave((fn: () => Promise<unknown>) => fn(), { form, onError })
  return { saving, run: save }
}
