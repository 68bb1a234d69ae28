import { useState } from 'react'
import { Alert, Button, Card, Form, Input, Tag } from 'antd'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { Link, useNavigate, useSearchParams } from 'react-router-dom'
import type { JoiningCodeAnswer } from '../../../../common/api-members'
import type { SignInAnswer } from '../../../../common/api-my'
import { applyFieldErrors, errorMessage } from '../../components/form-errors'
import { useTitle } from '../../components/use-title'
import { AntdPhone } from '../antd-phone'
import { PhoneCode, codeRules } from '../../features/join/phone-code'
import { mobileRule } from '../../features/members/labels'
import { PublicLayout } from '../../features/join/public-layout'
import { memberApi, setMemberCsrf } from './api'

/** Only a path of the member app may follow the sign-in (no open redirect). */
const safeNext = (next: string | null) => (next && /^\/m(\/|$)/.test(next) && !next.startsWith('//') ? next : '/m')

/**
 * 会员登录: the mobile number on record and a one-time code. A member lands on 我的; a phone without a
 * membership signs in too and sees its applications (申请进度).
 */
export function MemberLoginPage() {
  useTitle('会员登录')
  const [form] = Form.useForm<{ phone: string; smsCode: string }>()
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
      if (!applyFieldErrors(form, e)) setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <AntdPhone>
      <PublicLayout title="会员登录">
        {demoPhone && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="m-login-demo"
            title={
              <span>
                <Tag color="orange">演示</Tag>演示会员的手机号 <b>{demoPhone}</b>{' '}
                <a onClick={() => form.setFieldValue('phone', demoPhone)}>填入</a>
              </span>
            }
          />
        )}
        <Card className="h5-card" title="手机号验证码登录">
          <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false}>
            <Form.Item name="phone" label="手机号" rules={[{ required: true, message: '请填写手机号' }, mobileRule]}>
              <Input inputMode="tel" autoComplete="tel" maxLength={11} placeholder="入会时登记的手机号" data-testid="m-login-phone" />
            </Form.Item>
            <Form.Item name="smsCode" label="短信验证码" rules={codeRules}>
              <PhoneCode
                phone={() => form.getFieldValue('phone') as string | undefined}
                testid="m-login-code"
                request={(phone) => memberApi.post<JoiningCodeAnswer>('/public/sign-in/code', { phone })}
              />
            </Form.Item>
            {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="m-login-error" />}
            <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="m-login-submit">
              登录
            </Button>
          </Form>
          <div className="h5-muted" style={{ marginTop: 12 }}>
            登录后可查看电子会员卡、报名活动、提出和支持建议。登录状态在本机保持30天，可随时退出。还不是会员？
            <Link to="/join">网上入会</Link>
          </div>
        </Card>
      </PublicLayout>
    </AntdPhone>
  )
}
