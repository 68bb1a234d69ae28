import { useCallback, useRef, useState } from 'react'
import { ApiError } from '../../api/client'
import { validateMobile } from '../../../../common/id-card'

/*
 * A small form state for the phone pages (instead of Ant Design's Form): values, a rule list per
 * field checked on blur, on change once shown and on submit, and the server's per-field messages.
 *
 *   const form = useForm({ phone: '', smsCode: '' }, { phone: [required('请填写手机号'), mobile], smsCode: codeRules })
 *   <form onSubmit={form.submit(save)} noValidate>
 *     <Field label="手机号" error={form.errors.phone}>{(id) => <Input id={id} {...form.bind('phone')} />}</Field>
 */

/** A rule: the message when the value is wrong, else nothing. `all` is the whole form. */
export type Rule<V> = (value: string, all: V) => string | null | undefined

export const required =
  (message: string): Rule<unknown> =>
  (v) =>
    v.trim() ? null : message
export const pattern =
  (re: RegExp, message: string): Rule<unknown> =>
  (v) =>
    !v || re.test(v) ? null : message
export const maxLength =
  (n: number, message: string): Rule<unknown> =>
  (v) =>
    v.length <= n ? null : message
/** A mainland mobile number (empty passes: pair with required). */
export const mobile: Rule<unknown> = (v) => {
  if (!v) return null
  const r = validateMobile(v)
  return r.ok ? null : r.message
}

type Values = Record<string, string>

export function useForm<V extends Values>(initial: V, rules: { [K in keyof V]?: readonly Rule<V>[] } = {}) {
  const [values, setValues] = useState<V>(initial)
  const [errors, setErrors] = useState<Partial<Record<keyof V, string>>>({})
  const current = useRef(values)
  current.current = values
  // the rules are written inline by the page and may read its state: the latest ones are used
  const latestRules = useRef(rules)
  latestRules.current = rules

  const check = useCallback((name: keyof V, all: V) => {
    for (const r of latestRules.current[name] ?? []) {
      const m = r(all[name] ?? '', all)
      if (m) return m
    }
    return undefined
  }, [])

  const set = useCallback(
    (name: keyof V, value: string) => {
      const next = { ...current.current, [name]: value }
      current.current = next
      setValues(next)
      setErrors((e) => (e[name] ? { ...e, [name]: check(name, next) } : e))
    },
    [check],
  )

  const validateField = (name: keyof V) => setErrors((e) => ({ ...e, [name]: check(name, current.current) }))

  /** Every field checked; true when all pass (the errors are shown). */
  const validate = () => {
    const next: Partial<Record<keyof V, string>> = {}
    let ok = true
    for (const k of Object.keys(current.current) as (keyof V)[]) {
      const m = check(k, current.current)
      if (m) {
        next[k] = m
        ok = false
      }
    }
    setErrors(next)
    return ok
  }

  return {
    values,
    errors,
    set,
    validate,
    validateField,
    /** value, onChange and onBlur of a text input, select or textarea; aria-invalid when wrong */
    bind: (name: keyof V) => ({
      name: String(name),
      value: values[name] ?? '',
      onChange: (e: { target: { value: string } }) => set(name, e.target.value),
      onBlur: () => validateField(name),
      invalid: !!errors[name],
    }),
    setError: (name: keyof V, message: string | undefined) => setErrors((e) => ({ ...e, [name]: message })),
    /** an onSubmit handler: prevents the page load, validates, then calls save with the values */
    submit: (save: (v: V) => unknown) => (e?: { preventDefault(): void }) => {
      e?.preventDefault()
      if (validate()) void save(current.current)
      // the first wrong field into view (Ant Design's scrollToFirstError)
      else requestAnimationFrame(() => document.querySelector('.u-field-error')?.scrollIntoView({ block: 'center', behavior: 'smooth' }))
    },
    /** the server's per-field messages (400) onto the fields; true when any was placed */
    serverErrors: (e: unknown, rename: Record<string, keyof V> = {}) => {
      if (!(e instanceof ApiError)) return false
      const found = Object.entries(e.fields).filter(([k]) => k !== '_')
      const mapped: Partial<Record<keyof V, string>> = {}
      for (const [k, m] of found) mapped[(rename[k] ?? k) as keyof V] = m
      if (found.length) setErrors((old) => ({ ...old, ...mapped }))
      return found.length > 0
    },
  }
}
export type Form<V extends Values> = ReturnType<typeof useForm<V>>
