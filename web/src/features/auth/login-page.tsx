import { useState } from 'react'
import { Alert, Button, Card, Form, Input, Typography } from 'antd'
import { LockOutlined, UserOutlined } from '@ant-design/icons'
import { ApiError } from '../../api/client'
import { applyFieldErrors } from '../../components/form-errors'
import { useAuth } from './auth-context'
import { useTitle } from '../../components/use-title'

interface LoginForm {
  username: string
  password: string
}

export function LoginPage() {
  useTitle('登录')
  const { login } = useAuth()
  const [form] = Form.useForm<LoginForm>()
  const [error, setError] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)

  const handleFinish = async (v: LoginForm) => {
    setError(null)
    setLoading(true)
    try {
      await login(v.username.trim(), v.password)
    } catch (e) {
      if (e instanceof ApiError) {
        setError(e.message)
        applyFieldErrors(form, e)
      } else setError('登录失败，请稍后重试')
    } finally {
      setLoading(false)
    }
  }

  return (
    <div className="login-bg">
      <div className="login-box">
        <div className="login-brand">
          <div className="login-logo">工</div>
          <div>
            <Typography.Title level={3} style={{ margin: 0, color: '#fff' }}>
              工会组建工作平台
            </Typography.Title>
            <div style={{ color: 'rgba(255,255,255,.85)' }}>基层工会组建 · 用人单位名录 · 应建未建</div>
          </div>
        </div>
        <Card className="login-card" title="账号登录">
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
          <Form form={form} layout="vertical" onFinish={handleFinish} requiredMark={false} size="large">
            <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
            </Form.Item>
            <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={loading} data-testid="login-submit">
              登录
            </Button>
          </Form>
        </Card>
        <div className="login-foot">多次输错密码将暂停登录尝试 · 所有操作均留痕审计</div>
      </div>
    </div>
  )
}
