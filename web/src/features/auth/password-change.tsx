import { useState } from 'react'
import { Alert, Button, Card, Form, Input, Modal, Typography } from 'antd'
import { passwordHelp, passwordProblem } from '../../../../common/password'
import { api } from '../../api/client'
import { applyFieldErrors, errorMessage } from '../../components/form-errors'
import { feedback } from '../../components/feedback'
import { useSaving } from '../../components/use-save'
import { useTitle } from '../../components/use-title'
import { useAuth, useUser } from './auth-context'

interface Values {
  currentPassword: string
  newPassword: string
  confirm: string
}

/** The form of a password change: current password, new one (checked by the shared policy as typed), again. */
function PasswordFields() {
  const user = useUser()
  return (
    <>
      <Form.Item name="currentPassword" label="原密码" rules={[{ required: true, message: '请输入原密码' }]}>
        <Input.Password autoComplete="current-password" data-testid="password-current" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label="新密码"
        extra={passwordHelp}
        dependencies={['currentPassword']}
        rules={[
          { required: true, message: '请输入新密码' },
          ({ getFieldValue }) => ({
            validator: (_, v: string | undefined) => {
              if (!v) return Promise.resolve()
              const problem = passwordProblem(v, { username: user.username, displayName: user.displayName })
              if (problem) return Promise.reject(new Error(problem))
              if (v === getFieldValue('currentPassword')) return Promise.reject(new Error('不能与原密码相同'))
              return Promise.resolve()
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="password-new" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label="确认新密码"
        dependencies={['newPassword']}
        rules={[
          { required: true, message: '请再次输入新密码' },
          ({ getFieldValue }) => ({
            validator: (_, v) =>
              !v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error('两次输入不一致')),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="password-confirm" />
      </Form.Item>
    </>
  )
}

function useChange(onDone: () => void) {
  const [form] = Form.useForm<Values>()
  const { saving, run } = useSaving(undefined, (e) => {
    setError(errorMessage(e))
    applyFieldErrors(form, e)
  })
  const [error, setError] = useState<string | null>(null)
  const { passwordChanged } = useAuth()
  const submit = async () => {
    const v = await form.validateFields()
    setError(null)
    await run(async () => {
      await api.changePassword(v.currentPassword, v.newPassword)
      passwordChanged()
      feedback.message.success('密码已修改；本账号在其他地方的登录已退出')
      onDone()
    })
  }
  return { form, saving, error, submit }
}

/** 修改密码 from the user menu. */
export function ChangePasswordModal({ onClose }: { onClose: () => void }) {
  const { form, saving, error, submit } = useChange(onClose)
  return (
    <Modal
      open
      title="修改密码"
      onCancel={onClose}
      onOk={submit}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'password-submit' }}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="password-error" />}
      <Form form={form} layout="vertical">
        <PasswordFields />
      </Form>
    </Modal>
  )
}

/**
 * Right after a login with a password someone else set (a new or demo account, a reset): the
 * server refuses everything else until the change is done, so nothing else is shown.
 */
export function ForcedPasswordChangePage() {
  useTitle('设置新密码')
  const user = useUser()
  const { logout } = useAuth()
  const { form, saving, error, submit } = useChange(() => undefined)
  return (
    <div className="login-bg">
      <div className="login-box">
        <Card className="login-card" title="首次登录，请设置新密码" data-testid="password-change-page">
          <Typography.Paragraph type="secondary">
            {user.displayName}（{user.username}）：当前密码由管理员设置或为初始密码，须改为只有您自己知道的密码后才能继续使用。
          </Typography.Paragraph>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="password-error" />}
          <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
            <PasswordFields />
            <Button type="primary" htmlType="submit" block loading={saving} data-testid="password-submit">
              确认修改
            </Button>
            <Button type="link" block onClick={() => void logout()} style={{ marginTop: 8 }}>
              退出登录
            </Button>
          </Form>
        </Card>
      </div>
    </div>
  )
}
