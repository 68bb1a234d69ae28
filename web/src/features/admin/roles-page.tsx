import { useEffect, useState } from 'react'
import { Alert, Button, Card, Form, Modal, Radio, Select, Space, Spin, Typography } from 'antd'
import { SafetyOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import type { UserView } from '../../../../common/api'
import { roles } from '../../../../common/codes'
import { api, type OrgOption } from '../../api/client'
import { feedback } from '../../components/feedback'
import { PageHead } from '../../components/page-head'
import { useSaving } from '../../components/use-save'
import { showError } from '../../components/form-errors'
import { useDebounced } from '../../components/use-debounced'
import { useUser } from '../auth/auth-context'
import { UserTable } from './user-list'
import { useTitle } from '../../components/use-title'

/** 角色分配 (安全管理员): one system role alone, or business roles bound to a union. */
export function RolesPage() {
  useTitle('角色分配')
  const me = useUser()
  const [editing, setEditing] = useState<UserView | null>(null)
  return (
    <div className="page" data-testid="roles-page">
      <PageHead
        title="角色分配"
        sub="三员（系统管理员、安全管理员、审计管理员）分立，不得兼任；业务角色须指定所属工会，只能在其管辖范围内工作"
      />
      <Card size="small" className="section-card">
        <UserTable
          rowTestid="role-row"
          columns={[
            {
              title: '状态',
              dataIndex: 'active',
              width: 80,
              render: (v: boolean) => (v ? '启用' : <Typography.Text type="secondary">停用</Typography.Text>),
            },
            {
              title: '操作',
              key: 'op',
              width: 120,
              render: (_, u) => (
                <Button
                  type="link"
                  size="small"
                  icon={<SafetyOutlined />}
                  disabled={u.id === me.id}
                  onClick={() => setEditing(u)}
                  data-testid={`role-edit-${u.username}`}
                >
                  分配角色
                </Button>
              ),
            },
          ]}
        />
      </Card>
      {editing && <RoleModal user={editing} onClose={() => setEditing(null)} />}
    </div>
  )
}

const systemRoles = roles.filter((r) => r.kind === 'system')
const businessRoleRows = roles.filter((r) => r.kind === 'business')

/** One role of a kind, each with what it may do. */
function RoleChoice({ rows, value, onChange }: { rows: (typeof roles)[number][]; value?: string; onChange: (code: string) => void }) {
  return (
    <Radio.Group value={value} onChange={(e) => onChange(e.target.value)}>
      <Space orientation="vertical">
        {rows.map((r) => (
          <Radio key={r.code} value={r.code}>
            {r.label} <Typography.Text type="secondary">— {r.description}</Typography.Text>
          </Radio>
        ))}
      </Space>
    </Radio.Group>
  )
}

function RoleModal({ user, onClose }: { user: UserView; onClose: () => void }) {
  const initialKind = user.roles.some((r) => systemRoles.some((s) => s.code === r)) ? 'system' : 'business'
  const [kind, setKind] = useState<'system' | 'business'>(initialKind)
  const [systemRole, setSystemRole] = useState<string | undefined>(user.roles.find((r) => systemRoles.some((s) => s.code === r)))
  const [businessRole, setBusinessRole] = useState<string | undefined>(
    user.roles.find((r) => businessRoleRows.some((s) => s.code === r)) ?? 'org_admin',
  )
  const [org, setOrg] = useState<OrgOption | null>(
    user.orgId ? { id: user.orgId, code: '', name: user.orgName ?? String(user.orgId) } : null,
  )
  const [search, setSearch] = useState('')
  const q = useDebounced(search.trim(), 300)
  const [options, setOptions] = useState<OrgOption[]>([])
  const [loading, setLoading] = useState(false)
  const { saving, run } = useSaving(undefined, (e) => {
    setError(e instanceof Error ? e.message : '保存失败')
    showError(e)
  })
  const [error, setError] = useState<string | null>(null)
  const qc = useQueryClient()

  useEffect(() => {
    let alive = true
    setLoading(true)
    api
      .orgOptions(q)
      .then(
        (r) => alive && setOptions(r),
        () => alive && setOptions([]),
      )
      .finally(() => alive && setLoading(false))
    return () => {
      alive = false
    }
  }, [q])

  const handleOk = async () => {
    setError(null)
    const chosen = kind === 'system' ? systemRole : businessRole
    if (!chosen) return setError('请选择角色')
    if (kind === 'business' && !org) return setError('业务角色须指定所属组织')
    await run(async () => {
      await api.setUserRoles(user.id, [chosen], kind === 'business' ? org!.id : null)
      feedback.message.success(`已更新 ${user.username} 的角色`)
      void qc.invalidateQueries({ queryKey: ['users'] })
      onClose()
    })
  }

  const orgOptions = [...(org && !options.some((o) => o.id === org.id) ? [org] : []), ...options]

  return (
    <Modal
      open
      title={`分配角色：${user.username}（${user.displayName}）`}
      onCancel={onClose}
      onOk={handleOk}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'role-submit' }}
      destroyOnHidden
      width={560}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form layout="vertical">
        <Form.Item label="角色类别">
          <Radio.Group
            value={kind}
            onChange={(e) => setKind(e.target.value)}
            optionType="button"
            options={[
              { value: 'business', label: '业务角色' },
              { value: 'system', label: '三员（系统角色）' },
            ]}
          />
        </Form.Item>
        {kind === 'system' ? (
          <Form.Item label="系统角色" extra="三员分立：一个账号只能担任其中一种，且不属于任何组织">
            <RoleChoice rows={systemRoles} value={systemRole} onChange={setSystemRole} />
          </Form.Item>
        ) : (
          <>
            <Form.Item label="业务角色">
              <RoleChoice rows={businessRoleRows} value={businessRole} onChange={setBusinessRole} />
            </Form.Item>
            <Form.Item label="所属组织" required>
              <Select
                showSearch={{ filterOption: false, onSearch: setSearch }}
                value={org?.id}
                placeholder="输入工会名称或代码搜索"
                notFoundContent={loading ? <Spin size="small" /> : '没有匹配的组织'}
                onChange={(id) => setOrg(orgOptions.find((o) => o.id === id) ?? null)}
                options={orgOptions.map((o) => ({ value: o.id, label: o.code ? `${o.name}（${o.code}）` : o.name }))}
                data-testid="role-org-select"
              />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  )
}
