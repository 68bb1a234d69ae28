import { useState } from 'react'
import { Alert, Form, Input, Modal, Typography } from 'antd'
import { api } from '../../api/client'
import { showError } from '../../components/form-errors'

const fieldNames = { chairPhone: '主席联系电话', contactPhone: '联系电话' }

/** Full phone numbers are personal information: the reason is asked for and the access is audited. */
export function RevealPhoneModal({ orgId, field, onClose }: { orgId: number; field: 'chairPhone' | 'contactPhone'; onClose: () => void }) {
  const [form] = Form.useForm<{ reason: string }>()
  const [value, setValue] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)

  const handleOk = async () => {
    if (value) return onClose()
    const { reason } = await form.validateFields()
    setLoading(true)
    try {
      const r = await api.revealOrg(orgId, field, reason)
      setValue(r.value)
    } catch (e) {
      showError(e, form)
    } finally {
      setLoading(false)
    }
  }

  return (
    <Modal
      open
      title={`查看完整${fieldNames[field]}`}
      onCancel={onClose}
      onOk={handleOk}
      okText={value ? '关闭' : '查看'}
      confirmLoading={loading}
      cancelButtonProps={{ style: value ? { display: 'none' } : undefined }}
      destroyOnHidden
    >
      {value ? (
        <div style={{ textAlign: 'center', padding: '16px 0' }}>
          <Typography.Title level={3} copyable data-testid="reveal-value">
            {value}
          </Typography.Title>
          <Typography.Text type="secondary">本次查看已记入审计日志</Typography.Text>
        </div>
      ) : (
        <>
          <Alert type="warning" showIcon title="电话号码属于个人信息，查看将记录您的账号、时间和原因。" style={{ marginBottom: 16 }} />
          <Form form={form} layout="vertical">
            <Form.Item
              name="reason"
              label="查看原因"
              rules={[
                { required: true, message: '请说明查看原因' },
                { min: 2, message: '请说明查看原因' },
              ]}
            >
              <Input.TextArea rows={3} maxLength={200} showCount placeholder="例如：联系主席核实建会情况" data-testid="reveal-reason" />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  )
}
