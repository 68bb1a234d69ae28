import {
  useId,
  type ButtonHTMLAttributes,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react'
import './ui.css'

/*
 * The phone's own light components (issue 12: ≤ 150 KB of initial JavaScript per phone page, so no Ant
 * Design on /join, /join/status, /card/verify and /m/*). Plain semantic HTML and ui.css, in the look of
 * the cadre app's Ant Design theme (union red #c8102e, radius 6–10 px), mobile-first (375 px).
 * Every component passes data-* and aria-* attributes on to its root element (tests use data-testid).
 * See /work/helpers/phone-components.md and docs/ARCHITECTURE.md.
 */

type Rest = { [k: `data-${string}`]: string | number | boolean | undefined } & { className?: string; style?: React.CSSProperties }
const cx = (...c: (string | false | null | undefined)[]) => c.filter(Boolean).join(' ')

export function Button({
  variant = 'default',
  size,
  block,
  loading,
  className,
  children,
  type = 'button',
  disabled,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & {
  ref?: React.Ref<HTMLButtonElement>
  variant?: 'primary' | 'default' | 'danger' | 'link' | 'text'
  size?: 'small' | 'large'
  block?: boolean
  loading?: boolean
}) {
  return (
    <button
      type={type}
      className={cx('u-btn', `u-btn-${variant}`, size && `u-btn-${size}`, block && 'u-btn-block', loading && 'u-btn-loading', className)}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
      {...rest}
    >
      {loading && <span className="u-spin" aria-hidden />}
      {children}
    </button>
  )
}

/** A white box with an optional title row (title left, extra right). */
export function Card({
  title,
  extra,
  children,
  className,
  flush,
  ...rest
}: Rest & { title?: ReactNode; extra?: ReactNode; children?: ReactNode; flush?: boolean }) {
  return (
    <section className={cx('u-card', className)} {...rest}>
      {(title || extra) && (
        <header className="u-card-head">
          <h2 className="u-card-title">{title}</h2>
          {extra && <div className="u-card-extra">{extra}</div>}
        </header>
      )}
      <div className={cx('u-card-body', flush && 'u-card-flush')}>{children}</div>
    </section>
  )
}

export type TagColor = 'default' | 'red' | 'orange' | 'gold' | 'green' | 'blue' | 'purple' | 'processing' | 'volcano' | 'cyan'
export function Tag({ color = 'default', children, ...rest }: Rest & { color?: TagColor | string; children?: ReactNode }) {
  return (
    <span {...rest} className={cx('u-tag', `u-tag-${color}`, rest.className)}>
      {children}
    </span>
  )
}

const alertMarks = { success: '✓', info: 'i', warning: '!', error: '✕' } as const
/** A message in a tinted box: a round mark, a title, a line below and an optional action. */
export function Alert({
  type = 'info',
  title,
  description,
  action,
  ...rest
}: Rest & { type?: keyof typeof alertMarks; title: ReactNode; description?: ReactNode; action?: ReactNode }) {
  return (
    <div role={type === 'error' ? 'alert' : 'status'} {...rest} className={cx('u-alert', `u-alert-${type}`, rest.className)}>
      <span className="u-alert-mark" aria-hidden>
        {alertMarks[type]}
      </span>
      <div className="u-alert-text">
        <div className="u-alert-title">{title}</div>
        {description && <div className="u-alert-desc">{description}</div>}
      </div>
      {action && <div className="u-alert-action">{action}</div>}
    </div>
  )
}

/** Nothing to show yet. */
export function Empty({ description = '暂无数据', children, ...rest }: Rest & { description?: ReactNode; children?: ReactNode }) {
  return (
    <div {...rest} className={cx('u-empty', rest.className)}>
      <div className="u-empty-mark" aria-hidden />
      <div className="u-empty-text">{description}</div>
      {children}
    </div>
  )
}

/** Grey bars while a page loads. */
export function Skeleton({ rows = 3 }: { rows?: number }) {
  return (
    <div className="u-skeleton" aria-busy="true" aria-label="加载中">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="u-skeleton-row" style={{ width: i === rows - 1 ? '60%' : '100%' }} />
      ))}
    </div>
  )
}

const resultMarks = { success: '✓', error: '✕', warning: '!', info: 'i' } as const
/** The outcome of a step: a round mark, a title, a line below and the next actions. */
export function Result({
  status,
  title,
  sub,
  extra,
  children,
  ...rest
}: Rest & { status: keyof typeof resultMarks; title: ReactNode; sub?: ReactNode; extra?: ReactNode; children?: ReactNode }) {
  return (
    <div {...rest} className={cx('h5-outcome', `h5-outcome-${status}`, rest.className)}>
      <div className="h5-outcome-mark" aria-hidden="true">
        {resultMarks[status]}
      </div>
      <div className="h5-outcome-title">{title}</div>
      {sub && <div className="h5-outcome-sub">{sub}</div>}
      {children}
      {extra && <div className="u-result-extra">{extra}</div>}
    </div>
  )
}

/**
 * A labelled form field: the label, the control (children), the error in red or else a hint. Give
 * the control the id from `id` (a render function receives it) so the label is tied to it.
 */
export function Field({
  label,
  error,
  hint,
  required,
  children,
  ...rest
}: Rest & {
  label?: ReactNode
  error?: string | null
  hint?: ReactNode
  required?: boolean
  children: ReactNode | ((id: string) => ReactNode)
}) {
  const id = useId()
  return (
    <div {...rest} className={cx('u-field', error && 'u-field-error', rest.className)}>
      {label && (
        <label className="u-label" htmlFor={id}>
          {label}
          {required && (
            <span className="u-required" aria-hidden>
              *
            </span>
          )}
        </label>
      )}
      {typeof children === 'function' ? children(id) : children}
      {error ? (
        <div className="u-field-msg" role="alert">
          {error}
        </div>
      ) : (
        hint && <div className={cx('u-field-hint', typeof hint === 'string' && /^\d+ \/ \d+$/.test(hint) && 'u-field-count')}>{hint}</div>
      )}
    </div>
  )
}

export function Input({ className, invalid, ...rest }: InputHTMLAttributes<HTMLInputElement> & { invalid?: boolean }) {
  return <input className={cx('u-input', className)} aria-invalid={invalid || undefined} {...rest} />
}

/** A mobile number: the numeric keypad, the browser's saved number, room for spaces (138 0013 8000). */
export function PhoneInput(props: InputHTMLAttributes<HTMLInputElement> & { invalid?: boolean }) {
  return <Input type="tel" inputMode="numeric" autoComplete="tel" maxLength={13} {...props} />
}

export function TextArea({ className, invalid, ...rest }: TextareaHTMLAttributes<HTMLTextAreaElement> & { invalid?: boolean }) {
  return <textarea className={cx('u-input', 'u-textarea', className)} aria-invalid={invalid || undefined} {...rest} />
}

/** A native select (the phone's own picker), with a placeholder option while nothing is chosen. */
export function Select({
  options,
  placeholder = '请选择',
  className,
  invalid,
  ...rest
}: SelectHTMLAttributes<HTMLSelectElement> & {
  options: readonly { value: string; label: string }[]
  placeholder?: string
  invalid?: boolean
}) {
  return (
    <select className={cx('u-input', 'u-select', !rest.value && 'u-select-empty', className)} aria-invalid={invalid || undefined} {...rest}>
      <option value="" disabled>
        {placeholder}
      </option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  )
}

export function Checkbox({ children, className, ...rest }: InputHTMLAttributes<HTMLInputElement> & { children?: ReactNode }) {
  return (
    <label className={cx('u-check', className)}>
      <input type="checkbox" {...rest} />
      <span>{children}</span>
    </label>
  )
}

/** One choice of a few, as buttons side by side (radio inputs underneath). */
export function Choice<T extends string>({
  options,
  value,
  onChange,
  name,
  columns,
  ...rest
}: Rest & {
  options: readonly { value: T; label: ReactNode; testid?: string }[]
  value: T | undefined
  onChange: (v: T) => void
  name: string
  columns?: number
}) {
  return (
    <div
      role="radiogroup"
      {...rest}
      className={cx('u-choice', rest.className)}
      style={{ gridTemplateColumns: `repeat(${columns ?? options.length}, 1fr)`, ...rest.style }}
    >
      {options.map((o) => (
        <label key={o.value} className={cx('u-choice-item', value === o.value && 'u-choice-on')}>
          <input
            type="radio"
            name={name}
            value={o.value}
            checked={value === o.value}
            onChange={() => onChange(o.value)}
            data-testid={o.testid}
          />
          <span>{o.label}</span>
        </label>
      ))}
    </div>
  )
}

/** On/off, as a switch (role="switch", aria-checked). */
export function Switch({
  checked,
  onChange,
  loading,
  ...rest
}: Rest & { checked: boolean; onChange: (v: boolean) => void; loading?: boolean; 'aria-label'?: string }) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      disabled={loading}
      onClick={() => onChange(!checked)}
      {...rest}
      className={cx('u-switch', checked && 'u-switch-on', rest.className)}
    >
      <span className="u-switch-knob" />
    </button>
  )
}

/** A bar of how far something has got (0–100). */
export function Progress({ percent, label, done, ...rest }: Rest & { percent: number; label?: ReactNode; done?: boolean }) {
  const p = Math.max(0, Math.min(100, percent))
  return (
    <div {...rest} className={cx('u-progress', (done || p >= 100) && 'u-progress-done', rest.className)}>
      <div className="u-progress-track" role="progressbar" aria-valuenow={Math.round(p)} aria-valuemin={0} aria-valuemax={100}>
        <div className="u-progress-bar" style={{ width: `${p}%` }} />
      </div>
      {label !== undefined && <span className="u-progress-label">{label}</span>}
    </div>
  )
}

/** The steps of a process, the current one marked (status error marks it red). */
export function Steps({
  items,
  current,
  status,
}: {
  items: readonly { title: ReactNode; description?: ReactNode }[]
  current: number
  status?: 'error' | 'finish'
}) {
  return (
    <ol className="u-steps">
      {items.map((s, i) => (
        <li
          key={i}
          className={cx(
            'u-step',
            i < current || (i === current && status === 'finish')
              ? 'u-step-done'
              : i === current
                ? status === 'error'
                  ? 'u-step-error'
                  : 'u-step-now'
                : 'u-step-todo',
          )}
          aria-current={i === current ? 'step' : undefined}
        >
          <span className="u-step-dot" aria-hidden>
            {i < current || (i === current && status === 'finish') ? '✓' : i === current && status === 'error' ? '✕' : i + 1}
          </span>
          <div className="u-step-text">
            <div className="u-step-title">{s.title}</div>
            {s.description && <div className="u-step-desc">{s.description}</div>}
          </div>
        </li>
      ))}
    </ol>
  )
}

/** Label–value rows (as Ant Design's Descriptions with one column). */
export function Rows({ items, ...rest }: Rest & { items: readonly (readonly [ReactNode, ReactNode] | false | null | undefined)[] }) {
  return (
    <dl {...rest} className={cx('u-rows', rest.className)}>
      {items
        .filter((x): x is readonly [ReactNode, ReactNode] => !!x)
        .map(([k, v], i) => (
          <div key={i} className="u-row">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
    </dl>
  )
}

/** A list of tappable or plain rows. */
export function List({ children, ...rest }: Rest & { children: ReactNode }) {
  return (
    <ul {...rest} className={cx('u-list', rest.className)}>
      {children}
    </ul>
  )
}
export function ListItem({ children, ...rest }: Rest & { children: ReactNode }) {
  return (
    <li {...rest} className={cx('u-list-item', rest.className)}>
      {children}
    </li>
  )
}

/** Tabs as one row of buttons (Ant Design's Segmented). */
export function Segmented<T extends string>({
  options,
  value,
  onChange,
  ...rest
}: Rest & { options: readonly { value: T; label: ReactNode }[]; value: T; onChange: (v: T) => void }) {
  return (
    <div role="tablist" {...rest} className={cx('u-segmented', rest.className)}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="tab"
          aria-selected={o.value === value}
          className={cx('u-seg', o.value === value && 'u-seg-on')}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  )
}

/** Stars 1–5: read-only without onChange; each star a radio (class u-rate-star, aria-label「N 星」). */
export function Rate({ value, onChange, ...rest }: Rest & { value: number; onChange?: (v: number) => void }) {
  return (
    <div
      role={onChange ? 'radiogroup' : 'img'}
      aria-label={onChange ? '评分' : `${value} 星`}
      {...rest}
      className={cx('u-rate', rest.className)}
    >
      {[1, 2, 3, 4, 5].map((n) =>
        onChange ? (
          <button
            key={n}
            type="button"
            role="radio"
            aria-checked={value === n}
            aria-label={`${n} 星`}
            className={cx('u-rate-star', n <= value && 'u-rate-on')}
            onClick={() => onChange(n)}
          >
            ★
          </button>
        ) : (
          <span key={n} className={cx('u-rate-star', n <= value && 'u-rate-on')} aria-hidden>
            ★
          </span>
        ),
      )}
    </div>
  )
}
