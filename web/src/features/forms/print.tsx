import { useEffect, useState, type ReactNode } from 'react'
import { createPortal, flushSync } from 'react-dom'
import { Button } from 'antd'
import { PrinterOutlined } from '@ant-design/icons'

/**
 * Printing a form: while the browser prints (the 打印 button, or Ctrl+P on the page), the form is
 * rendered once more under <body> (.print-root) and the print stylesheet (forms.css) shows only
 * that: no menu, tree or toolbar; A4 portrait, or A3 landscape for a wide form, sheet by sheet.
 */
export function usePrinting(): [boolean, () => void] {
  const [printing, setPrinting] = useState(false)
  useEffect(() => {
    const before = () => flushSync(() => setPrinting(true))
    const after = () => setPrinting(false)
    window.addEventListener('beforeprint', before)
    window.addEventListener('afterprint', after)
    return () => {
      window.removeEventListener('beforeprint', before)
      window.removeEventListener('afterprint', after)
    }
  }, [])
  return [printing, () => window.print()]
}

/** The copy of the form that is printed (only while printing, so the page holds one form otherwise). */
export function PrintRoot({ printing, children }: { printing: boolean; children: ReactNode }) {
  if (!printing) return null
  return createPortal(
    <div className="print-root" data-testid="print-root">
      {children}
    </div>,
    document.body,
  )
}

export function PrintButton({ onPrint, disabled, testid = 'form-print' }: { onPrint: () => void; disabled?: boolean; testid?: string }) {
  return (
    <Button icon={<PrinterOutlined />} disabled={disabled} onClick={onPrint} data-testid={testid}>
      打印
    </Button>
  )
}
