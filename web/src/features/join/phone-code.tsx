import { useEffect, useState } from 'react'
import { validateMobile } from '../../../../common/id-card'
import { publicApi } from '../../api/client'
import { errorMessage } from '../../components/error-message'
import { Alert, Button, Input, Tag, pattern, required } from '../../phone/ui'

/** A phone gets one code a minute (server/src/modules/sms/one-time-code.ts). */
const RESEND_SECONDS = 60

/**
 * 短信验证码: the field beside a mobile number that proves the number is the applicant's (or, on
 * the member's sign-in, the member's). A controlled input (value, onChange) inside a phone Field;
 * phone() reads the number typed in the form.
 */
export function PhoneCode({
  phone,
  value,
  onChange,
  testid,
  id,
  invalid,
  request = publicApi.requestCode,
}: {
  phone: () => string | undefined
  value?: string
  onChange?: (v: string) => void
  testid: string
  id?: string
  invalid?: boolean
  /** asks for the code (default: the joining page's) */
  request?: (phone: string) => Promise<{ message: string; demoCode?: string }>
}) {
  const [sent, setSent] = useState<{ message: string; demoCode?: string } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [asking, setAsking] = useState(false)
  const [wait, setWait] = useState(0)
  useEffect(() => {
    if (wait <= 0) return
    const t = setTimeout(() => setWait(wait - 1), 1000)
    return () => clearTimeout(t)
  }, [wait])

  const ask = async () => {
    setError(null)
    const m = validateMobile(phone() ?? '')
    if (!m.ok) return setError(`请先填写正确的手机号：${m.message}`)
    setAsking(true)
    try {
      setSent(await request(m.value))
      setWait(RESEND_SECONDS)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setAsking(false)
    }
  }

  return (
    <div>
      <div className="u-input-group">
        <Input
          id={id}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          placeholder="6位短信验证码"
          value={value ?? ''}
          invalid={invalid}
          onChange={(e) => onChange?.(e.target.value.replace(/\D/g, ''))}
          data-testid={testid}
        />
        <Button loading={asking} disabled={wait > 0} onClick={() => void ask()} data-testid={`${testid}-send`}>
          {wait > 0 ? `${wait} 秒后重发` : sent ? '重新获取' : '获取验证码'}
        </Button>
      </div>
      {sent && (
        <Alert
          type="success"
          style={{ marginTop: 8, marginBottom: 0 }}
          title={sent.message}
          description={
            sent.demoCode ? (
              <span>
                <Tag color="orange">演示</Tag>演示环境未接入短信，验证码：
                <b data-testid={`${testid}-demo`}>{sent.demoCode}</b>
              </span>
            ) : undefined
          }
          data-testid={`${testid}-sent`}
        />
      )}
      {error && <Alert type="error" style={{ marginTop: 8, marginBottom: 0 }} title={error} data-testid={`${testid}-error`} />}
    </div>
  )
}

/** The rules of the code's field (phone/ui useForm). */
export const codeRules = [required('请填写短信验证码'), pattern(/^\d{6}$/, '请输入6位数字验证码')]
