import { Alert, Form, Input, Modal, Typography } from 'antd'
import { useState } from 'react'
import { useSave } from './use-save'

/**
 * Revealing a masked personal datum (ID number, phone): the reason is asked for, the server audits
 * the access and answers the value, shown once with a copy button.
 */
export function RevealModal(props: {
  title: string
  /** what the warning says before 查看将记录… */
  warning: string
  placeholder: string
  reveal: (reason: string) => Promise<{ value: string }>
  onClose: () => void
}) {
  const [form] = Form.useForm<{ reason: string }>()
  const [value, setValue] = useState<string | null>(null)
  const { saving, save } = useSave(props.reveal, { form, onSuccess: (r) => setValue(r.value) })

  const handleOk = async () => {
    if (value) return props.onClose()
    const vals = await form.validateFields().catch(() => null)
    if (vals) await save(vals.reason)
  }

  return (
    <Modal
      open
      title={props.title}
      onCancel={props.onClose}
      onOk={handleOk}
      okText={value ? '关闭' : '查看'}
      confirmLoading={saving}
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
          <Alert type="warning" showIcon title={`${props.warning}，查看将记录您的账号、时间和原因。`} style={{ marginBottom: 16 }} />
          <Form form={form} layout="vertical">
            <Form.Item
              name="reason"
              label="查看原因"
              rules={[
                { required: true, message: '请说明查看原因' },
                { min: 2, message: '请说明查看原因' },
              ]}
            >
              <Input.TextArea rows={3} maxLength={200} showCount placeholder={props.placeholder} data-testid="reveal-reason" />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  )
}
