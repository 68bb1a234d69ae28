import { useEffect, useRef, useState, type ReactNode } from 'react'
import { createRoot } from 'react-dom/client'
import { Button } from './components'

/*
 * The phone's messages and questions without Ant Design: toast() shows a line at the top for a few
 * seconds (Ant Design's message), confirm() asks in a sheet and resolves true or false (modal.confirm,
 * Popconfirm). Both render into a node of their own under <body>, so no provider is needed.
 */

type Kind = 'success' | 'error' | 'info' | 'warning'
let toastHost: HTMLElement | null = null

/** A short message at the top of the screen, gone after a few seconds. */
export function toast(text: string, kind: Kind = 'success') {
  if (!toastHost) {
    toastHost = document.createElement('div')
    toastHost.className = 'u-toasts'
    toastHost.setAttribute('aria-live', 'polite')
    document.body.appendChild(toastHost)
  }
  const el = document.createElement('div')
  el.className = `u-toast u-toast-${kind}`
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status')
  el.textContent = text
  toastHost.appendChild(el)
  setTimeout(() => el.remove(), kind === 'error' ? 4500 : 3000)
}
toast.success = (t: string) => toast(t, 'success')
toast.error = (t: string) => toast(t, 'error')
toast.info = (t: string) => toast(t, 'info')
toast.warning = (t: string) => toast(t, 'warning')

export interface ConfirmOptions {
  title: ReactNode
  content?: ReactNode
  okText?: string
  cancelText?: string
  danger?: boolean
  /** data-testid of the confirming button (default confirm-ok) */
  okTestId?: string
}

/** Asks in a sheet over the page; true when confirmed. The buttons: data-testid confirm-ok / confirm-cancel. */
export function confirm(o: ConfirmOptions): Promise<boolean> {
  const host = document.createElement('div')
  document.body.appendChild(host)
  const root = createRoot(host)
  return new Promise((resolve) => {
    const done = (v: boolean) => {
      root.unmount()
      host.remove()
      resolve(v)
    }
    root.render(<ConfirmSheet {...o} onDone={done} />)
  })
}

function ConfirmSheet({
  title,
  content,
  okText = '确定',
  cancelText = '取消',
  danger,
  okTestId = 'confirm-ok',
  onDone,
}: ConfirmOptions & { onDone: (v: boolean) => void }) {
  const ok = useRef<HTMLButtonElement>(null)
  const [shown, setShown] = useState(false)
  useEffect(() => {
    setShown(true)
    ok.current?.focus()
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && onDone(false)
    window.addEventListener('keydown', esc)
    return () => window.removeEventListener('keydown', esc)
  }, [onDone])
  return (
    <div className={`u-mask${shown ? ' u-mask-on' : ''}`} onClick={(e) => e.target === e.currentTarget && onDone(false)}>
      <div className="u-dialog" role="alertdialog" aria-modal="true" aria-label={typeof title === 'string' ? title : undefined}>
        <div className="u-dialog-title">{title}</div>
        {content && <div className="u-dialog-content">{content}</div>}
        <div className="u-dialog-btns">
          <Button onClick={() => onDone(false)} data-testid="confirm-cancel">
            {cancelText}
          </Button>
          <Button ref={ok} variant={danger ? 'danger' : 'primary'} onClick={() => onDone(true)} data-testid={okTestId}>
            {okText}
          </Button>
        </div>
      </div>
    </div>
  )
}
