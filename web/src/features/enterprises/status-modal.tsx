import { Alert, DatePicker, Form, Input, Modal, Radio, Tag } from 'antd'
import { useQueryClient } from '@tanstack/react-query'
import dayjs, { type Dayjs } from 'dayjs'
import { enterpriseStatuses, type EnterpriseView } from '../../../../common/api'
import { api } from '../../api/client'
import { feedback } from '../../components/feedback'
import { useSaving } from '../../components/use-save'

export const EnterpriseStatusTag = ({ e }: { e: EnterpriseView }) => {
  if (e.status === 'active') return null
  const s = enterpriseStatuses.find((x) => x.code === e.status)
  return (
    <Tag color={s?.color} style={{ marginInlineEnd: 0 }} data-testid="enterprise-status">
      {s?.label ?? e.status} {e.closedOn}
    </Tag>
  )
}

const labelOf = (s: string) => enterpriseStatuses.find((x) => x.code === s)?.label ?? s

/**
 * 注销 / 停业 / 迁出 from a date — the unit leaves 应建未建 and the statistics from that date, its
 * row and history stay — or, for a closed unit, back to 正常 (reopened, or closed in error).
 */
export function EnterpriseStatusModal({ enterprise: e, onClose }: { enterprise: EnterpriseView; onClose: () => void }) {
  const qc = useQueryClient()
  const closing = e.status === 'active'
  const [form] = Form.useForm<{ status: string; effectiveOn: Dayjs; note?: string }>()
  const { saving, run } = useSaving(form)
  const handleOk = async () => {
    const v = await form.validateFields().catch(() => null)
    if (!v) return
    await run(async () => {
      const status = closing ? v.status : 'active'
      await api.setEnterpriseStatus(e.id, { status, effectiveOn: v.effectiveOn.format('YYYY-MM-DD'), note: v.note || undefined })
      feedback.message.success(closing ? `已将${e.name}标为${labelOf(status)}` : `${e.name}已恢复正常`)
      for (const k of ['enterprises', 'due-summary', 'due-by-town', 'enterprise-history']) void qc.invalidateQueries({ queryKey: [k] })
      onClose()
    })
  }
  return (
    <Modal
      open
      title={closing ? `${e.name}：注销、停业或迁出` : `${e.name}：恢复正常`}
      onCancel={onClose}
      onOk={handleOk}
      okText={closing ? '确认' : '恢复正常'}
      okButtonProps={{ danger: closing, 'data-testid': 'enterprise-status-ok' } as never}
      confirmLoading={saving}
      destroyOnHidden
    >
      <Alert
        type={closing ? 'warning' : 'info'}
        showIcon
        style={{ marginBottom: 16 }}
        message={
          closing
            ? '自生效日期起，该单位不再列入应建未建，也不计入建会率等统计；单位记录和变更记录保留，可恢复。'
            : `该单位自 ${e.closedOn} 起${labelOf(e.status)}。恢复后重新列入应建未建（如符合条件）和各项统计。`
        }
      />
      <Form form={form} layout="vertical" initialValues={{ status: 'deregistered', effectiveOn: dayjs() }}>
        {closing && (
          <Form.Item name="status" label="变更为" rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              options={enterpriseStatuses.filter((s) => s.code !== 'active').map((s) => ({ value: s.code, label: s.label }))}
              data-testid="enterprise-status-choice"
            />
          </Form.Item>
        )}
        <Form.Item name="effectiveOn" label="生效日期" rules={[{ required: true, message: '请选择生效日期' }]}>
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(d) => d.isAfter(dayjs(), 'day') || (!!e.foundedOn && d.isBefore(dayjs(e.foundedOn), 'day'))}
            data-testid="enterprise-status-date"
          />
        </Form.Item>
        <Form.Item name="note" label="说明">
          <Input.TextArea rows={2} maxLength={200} showCount placeholder="如：已办理工商注销，核准文号……" />
        </Form.Item>
      </Form>
    </Modal>
  )
}
