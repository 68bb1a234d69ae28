import { Form, Input, Modal } from 'antd'
import type { ReactNode } from 'react'
import { useSave } from './use-save'

/**
 * A decision with a note (通过 / 不通过 / 退回 / 接收 …): what the modal says above the note, the
 * note (required when `required` names its message), the confirm button (red when `danger`).
 * `decide` gets the trimmed note, or undefined when none was written.
 */
export function DecisionModal(props: {
  title: string
  okText: string
  danger?: boolean
  label: string
  /** the message when the note is missing; without it the note is optional */
  required?: string
  placeholder: string
  maxLength?: number
  submitTestid: string
  noteTestid: string
  children?: ReactNode
  decide: (note: string | undefined) => Promise<unknown>
  onClose: () => void
}) {
  const [form] = Form.useForm<{ note?: string }>()
  const { saving, save } = useSave(props.decide, { form })
  const handleOk = async () => {
    const vals = await form.validateFields().catch(() => null)
    if (!vals) return
    await save(vals.note?.trim() || undefined)
  }
  return (
    <Modal
      open
      title={props.title}
      onCancel={props.onClose}
      onOk={handleOk}
      okText={props.okText}
      okButtonProps={{ danger: props.danger, 'data-testid': props.submitTestid } as never}
      confirmLoading={saving}
      destroyOnHidden
    >
      {props.children}
      <Form form={form} layout="vertical">
        <Form.Item
          name="note"
          label={props.label}
          rules={props.required ? [{ required: true, whitespace: true, message: props.required }] : []}
        >
          <Input.TextArea
            rows={3}
            maxLength={props.maxLength ?? 200}
            showCount
            placeholder={props.placeholder}
            data-testid={props.noteTestid}
          />
        </Form.Item>
      </Form>
    </Modal>
  )
}
