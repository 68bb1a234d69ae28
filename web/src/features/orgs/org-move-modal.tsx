import { useState } from 'react'
import { Alert, Button, DatePicker, Form, Modal, Popconfirm, Space, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import type { OrgDetail, OrgSummary } from '../../../../common/api'
import { api } from '../../api/client'
import { feedback } from '../../components/feedback'
import { useSaving } from '../../components/use-save'
import { useRefreshOrgs } from './hooks'
import { OrgSearch } from './org-search'

export function OrgMoveModal({ org, onClose }: { org: OrgDetail; onClose: () => void }) {
  const [form] = Form.useForm<{ effectiveDate: Dayjs }>()
  const [target, setTarget] = useState<OrgSummary | null>(null)
  const { saving, run } = useSaving(form)
  const refresh = useRefreshOrgs()

  const handleConfirm = async () => {
    if (!target) return
    const { effectiveDate } = await form.validateFields()
    await run(async () => {
      await api.moveOrg(org.id, target.id, effectiveDate?.format('YYYY-MM-DD'))
      feedback.message.success(`已将「${org.name}」移至「${target.name}」之下`)
      refresh()
      onClose()
    })
  }

  return (
    <Modal open title={`移动「${org.name}」`} onCancel={onClose} footer={null} destroyOnHidden>
      <Alert
        type="info"
        showIcon
        title="移动后，该组织及其全部下级组织、所辖用人单位随之转到新的上级工会；生效日期之前的报表仍按原隶属关系统计。"
        style={{ marginBottom: 16 }}
      />
      <Form form={form} layout="vertical" initialValues={{ effectiveDate: dayjs() }}>
        <Form.Item label="新的上级工会" required help={target ? undefined : '输入名称或代码搜索'}>
          <OrgSearch onPick={(_, o) => setTarget(o)} placeholder="搜索新的上级工会" testid="org-move-search" />
          {target && (
            <div style={{ marginTop: 8 }} data-testid="org-move-target">
              已选：<Typography.Text strong>{target.name}</Typography.Text>{' '}
              <Typography.Text type="secondary">{target.code}</Typography.Text>
            </div>
          )}
        </Form.Item>
        <Form.Item name="effectiveDate" label="生效日期" rules={[{ required: true, message: '请选择生效日期' }]}>
          <DatePicker style={{ width: '100%' }} data-testid="org-move-date" />
        </Form.Item>
        <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>取消</Button>
          <Popconfirm
            title="确认移动？"
            description={target ? `移至「${target.name}」之下` : undefined}
            onConfirm={handleConfirm}
            disabled={!target}
            okText="确认移动"
            cancelText="取消"
          >
            <Button type="primary" disabled={!target} loading={saving} data-testid="org-move-submit">
              移动
            </Button>
          </Popconfirm>
        </Space>
      </Form>
    </Modal>
  )
}
