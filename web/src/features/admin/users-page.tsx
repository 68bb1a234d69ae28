import { dateTime } from '../../components/format'
import { useState } from 'react'
import { Button, Card, Form, Input, Modal, Popconfirm, Space, Switch, Tag, Typography } from 'antd'
import { KeyOutlined, PlusOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import type { UserView } from '../../../../common/api'
import { api } from '../../api/client'
import { feedback } from '../../components/feedback'
import { PageHead } from '../../components/page-head'
import { useSaving } from '../../components/use-save'
import { showError } from '../../components/form-errors'
import { maxRule } from '../../components/zod-rules'
import { userCreateBody } from '../../../../common/api'
import { useUser } from '../auth/auth-context'
import { UserTable } from './user-list'
import { passwordHelp } from '../../../../common/password'
import { useTitle } from '../../components/use-title'

/** 账号管理 (系统管理员): accounts, enable/disable, reset password. Roles are the 安全管理员's. */
export function UsersPage() {
  useTitle('账号管理')
  const me = useUser()
  const qc = useQueryClient()
  const [creating, setCreating] = useState(false)
  const [resetting, setResetting] = useState<UserView | null>(null)

  const handleActive = async (u: UserView, active: boolean) => {
    try {
      await api.updateUser(u.id, { active })
      feedback.message.success(active ? `已启用 ${u.username}` : `已停用 ${u.username}`)
      void qc.invalidateQueries({ queryKey: ['users'] })
    } catch (e) {
      showError(e)
    }
  }

  return (
    <div className="page" data-testid="users-page">
      <PageHead
        title="账号管理"
        sub="新建账号、启用停用、重置密码；角色与所属组织由安全管理员分配"
        extra={
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="user-create-button">
            新建账号
          </Button>
        }
      />
      <Card size="small" className="section-card">
        <UserTable
          rowTestid="user-row"
          searchTestid="user-search"
          columns={[
            {
              title: '状态',
              key: 'state',
              width: 170,
              render: (_, u) => (
                <Space>
                  <Popconfirm
                    title={u.active ? `停用 ${u.username}？` : `启用 ${u.username}？`}
                    onConfirm={() => handleActive(u, !u.active)}
                    disabled={u.id === me.id}
                  >
                    <Switch
                      checked={u.active}
                      checkedChildren="启用"
                      unCheckedChildren="停用"
                      disabled={u.id === me.id}
                      data-testid={`user-active-${u.username}`}
                    />
                  </Popconfirm>
                  {u.lockedUntil && new Date(u.lockedUntil) > new Date() && <Tag color="red">已锁定</Tag>}
                  {u.mustChangePassword && <Tag color="orange">待改密</Tag>}
                </Space>
              ),
            },
            {
              title: '最近登录',
              dataIndex: 'lastLoginAt',
              width: 170,
              render: (v: string | null) => dateTime(v),
            },
            {
              title: '操作',
              key: 'op',
              width: 110,
              render: (_, u) => (
                <Button
                  type="link"
                  size="small"
                  icon={<KeyOutlined />}
                  onClick={() => setResetting(u)}
                  data-testid={`user-reset-${u.username}`}
                >
                  重置密码
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {creating && <CreateUserModal onClose={() => setCreating(false)} />}
      {resetting && <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />}
    </div>
  )
}

function CreateUserModal({ onClose }: { onClose: () => void }) {
  const [form] = Form.useForm<{ username: string; displayName: string; password: string }>()
  const { saving, run } = useSaving(form)
  const qc = useQueryClient()
  const handleOk = async () => {
    const v = await form.validateFields()
    await run(async () => {
      const u = await api.createUser({ username: v.username.trim(), displayName: v.displayName.trim(), password: v.password })
      feedback.message.success(`已新建账号 ${u.username}，请安全管理员为其分配角色`)
      void qc.invalidateQueries({ queryKey: ['users'] })
      onClose()
    })
  }
  return (
    <Modal
      open
      title="新建账号"
      onCancel={onClose}
      onOk={handleOk}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'user-create-submit' }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item
          name="username"
          label="用户名"
          rules={[
            { required: true, message: '请输入用户名' },
            { pattern: /^[a-z][a-z0-9_.-]{2,31}$/, message: '用户名为3-32位小写字母、数字或._-，以字母开头' },
          ]}
        >
          <Input autoComplete="off" data-testid="user-form-username" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label="姓名"
          rules={[{ required: true, whitespace: true, message: '请输入姓名' }, maxRule(userCreateBody.shape.displayName)]}
        >
          <Input data-testid="user-form-displayName" />
        </Form.Item>
        <Form.Item
          name="password"
          label="初始密码"
          extra={`${passwordHelp}；用户首次登录须修改`}
          rules={[{ required: true, message: '请输入初始密码' }]}
        >
          <Input.Password autoComplete="new-password" data-testid="user-form-password" />
        </Form.Item>
      </Form>
    </Modal>
  )
}

/**
 * A reset makes a one-time password on the server, shown here once; the user must change it at
 * first login, and every session of the account ends. The administrator never picks it.
 */
function ResetPasswordModal({ user, onClose }: { user: UserView; onClose: () => void }) {
  const { saving, run } = useSaving()
  const [temporary, setTemporary] = useState<string | null>(null)
  const qc = useQueryClient()
  const handleOk = async () => {
    if (temporary) return onClose()
    await run(async () => {
      const r = await api.resetPassword(user.id)
      setTemporary(r.temporaryPassword)
      void qc.invalidateQueries({ queryKey: ['users'] })
    })
  }
  return (
    <Modal
      open
      title={`重置 ${user.username}（${user.displayName}）的密码`}
      onCancel={onClose}
      onOk={handleOk}
      okText={temporary ? '我已记下' : '生成一次性密码'}
      cancelButtonProps={temporary ? { style: { display: 'none' } } : undefined}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'user-reset-submit' }}
      maskClosable={!temporary}
      destroyOnHidden
    >
      {temporary ? (
        <>
          <Typography.Paragraph>一次性密码（只显示这一次，请当面或以安全方式交给本人）：</Typography.Paragraph>
          <Typography.Paragraph copyable code style={{ fontSize: 18 }} data-testid="user-reset-password">
            {temporary}
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary">
            该账号的全部登录已退出；本人用此密码登录后须立即设置新密码。此次重置已记入审计日志。
          </Typography.Paragraph>
        </>
      ) : (
        <Typography.Paragraph>
          将生成一个一次性密码并结束该账号的全部登录。本人首次使用时必须修改密码；管理员不能选择或保留这个密码。
        </Typography.Paragraph>
      )}
    </Modal>
  )
}
