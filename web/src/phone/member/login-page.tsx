import { useState } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { Link, useNavigate, useSearchParams } from 'react-router-dom'
import type { JoiningCodeAnswer } from '../../../../common/api-members'
import type { SignInAnswer } from '../../../../common/api-my'
import { errorMessage } from '../../components/error-message'
import { useTitle } from '../../components/use-title'
import { PhoneCode, codeRules } from '../../features/join/phone-code'
import { PublicLayout } from '../../features/join/public-layout'
import { Alert, Button, Card, Field, PhoneInput, Tag, mobile, required, useForm } from '../ui'
import { memberApi, setMemberCsrf } from './api'

/** Only a path of the member app may follow the sign-in (no open redirect). */
const safeNext = (next: string | null) => (next && /^\/m(\/|$)/.test(next) && !next.startsWith('//') ? next : '/m')

/**
 * 会员登录: the mobile number on record and a one-time code. A member lands on 我的; a phone without a
 * membership signs in too and sees its applications (申请进度).
 */
export function MemberLoginPage() {
  useTitle('会员登录')
  const form = useForm({ phone: '', smsCode: '' }, { phone: [required('请填写手机号'), mobile], smsCode: codeRules })
  const [params] = useSearchParams()
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const config = useQuery({
    queryKey: ['public', 'config'],
    queryFn: () => memberApi.get<{ demoMemberPhone: string | null }>('/public/config'),
    staleTime: Infinity,
  })
  const demoPhone = config.data?.demoMemberPhone

  const submit = async (v: { phone: string; smsCode: string }) => {
    setError(null)
    setBusy(true)
    try {
      const s = await memberApi.post<SignInAnswer>('/public/sign-in', { phone: v.phone.trim(), smsCode: v.smsCode })
      setMemberCsrf(s.csrfToken)
      queryClient.clear()
      navigate(safeNext(params.get('next')), { replace: true })
    } catch (e) {
      if (!form.serverErrors(e)) setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <PublicLayout title="会员登录">
      {demoPhone && (
        <Alert
          type="warning"
          data-testid="m-login-demo"
          title={
            <span>
              <Tag color="orange">演示</Tag>演示会员的手机号 <b>{demoPhone}</b>{' '}
              <Button variant="link" size="small" onClick={() => form.set('phone', demoPhone)}>
                填入
              </Button>
            </span>
          }
        />
      )}
      <Card title="手机号验证码登录">
        <form onSubmit={form.submit(submit)} noValidate>
          <Field label="手机号" error={form.errors.phone}>
            {(id) => <PhoneInput id={id} {...form.bind('phone')} placeholder="入会时登记的手机号" data-testid="m-login-phone" />}
          </Field>
          <Field label="短信验证码" error={form.errors.smsCode}>
            {(id) => (
              <PhoneCode
                id={id}
                phone={() => form.values.phone}
                value={form.values.smsCode}
                onChange={(v) => form.set('smsCode', v)}
                invalid={!!form.errors.smsCode}
                testid="m-login-code"
                request={(phone) => memberApi.post<JoiningCodeAnswer>('/public/sign-in/code', { phone })}
              />
            )}
          </Field>
          {error && <Alert type="error" title={error} data-testid="m-login-error" />}
          <Button variant="primary" type="submit" block size="large" loading={busy} data-testid="m-login-submit">
            登录
          </Button>
        </form>
        <div className="h5-muted" style={{ marginTop: 12 }}>
          登录后可查看电子会员卡、报名活动、提出和支持建议。登录状态在本机保持30天，可随时退出。还不是会员？
          <Link to="/join">网上入会</Link>
        </div>
      </Card>
    </PublicLayout>
  )
}
