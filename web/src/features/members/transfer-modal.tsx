import { Alert, Form, Input, Modal, Select } from 'antd'
import { useQueryClient } from '@tanstack/react-query'
import type { MemberDetail, transferCreateBody } from '../../../../common/api-members'
import { membershipReasons, optionsOf } from '../../../../common/codes'
import { api, type In } from '../../api/client'
import { feedback } from '../../components/feedback'
import { useSaving } from '../../components/use-save'
import { UnionSelect } from './union-select'

/** 发起接转 as the sending union: pick the receiving union anywhere (the union directory). */
export function TransferModal({ member, onClose }: { member: MemberDetail; onClose: () => void }) {
  const [form] = Form.useForm<{ toUnionId: number; reason: In<typeof transferCreateBody>['reason']; note?: string }>()
  const { saving, run } = useSaving(form)
  const qc = useQueryClient()
  const handleOk = async () => {
    const v = await form.validateFields().catch(() => null)
    if (!v) return
    await run(async () => {
      await api.createTransfer({ memberId: member.id, toUnionId: v.toUnionId, reason: v.reason, note: v.note?.trim() || null })
      feedback.message.success('已发起接转，等待转入工会接收')
      void qc.invalidateQueries({ queryKey: ['member', member.id] })
      void qc.invalidateQueries({ queryKey: ['transfers'] })
      onClose()
    })
  }
  return (
    <Modal
      open
      title={`发起接转 · ${member.name}`}
      onCancel={onClose}
      onOk={handleOk}
      okText="发起接转"
      okButtonProps={{ 'data-testid': 'transfer-submit' } as never}
      confirmLoading={saving}
      destroyOnHidden
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={`从「${member.unionName}」转出，转入工会接收后会籍随之转移（一次入会、动态接转）。`}
      />
      <Form form={form} layout="vertical" initialValues={{ reason: '1' }}>
        <Form.Item
          name="toUnionId"
          label="转入工会"
          rules={[{ required: true, message: '请选择转入工会' }]}
          extra="可搜索全市各镇街的基层工会"
        >
          <UnionSelect directory excludeId={member.unionId} testid="transfer-target" />
        </Form.Item>
        <Form.Item name="reason" label="接转原因" rules={[{ required: true }]}>
          <Select options={optionsOf(membershipReasons).filter((o) => ['1', '4'].includes(o.value))} data-testid="transfer-reason" />
        </Form.Item>
        <Form.Item name="note" label="备注">
          <Input.TextArea rows={2} maxLength={200} showCount data-testid="transfer-note" />
        </Form.Item>
      </Form>
    </Modal>
  )
}
