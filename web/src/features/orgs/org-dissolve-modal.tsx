import { useState } from 'react'
import { Alert, DatePicker, Form, Input, Modal } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import type { OrgDetail } from '../../../../common/api'
import { api } from '../../api/client'
import { feedback } from '../../components/feedback'
import { useSaving } from '../../components/use-save'
import { errorMessage, applyFieldErrors } from '../../components/form-errors'
import { useRefreshOrgs } from './hooks'
import { isJointForm } from './org-labels'

export function OrgDissolveModal({ org, onClose }: { org: OrgDetail; onClose: () => void }) {
  const [form] = Form.useForm<{ effectiveDate: Dayjs; reason?: string }>()
  const { saving, run } = useSaving(undefined, (e) => {
    // the server refuses while members, children or covered enterprises remain; say why on the dialog
    setRefusal(errorMessage(e))
    applyFieldErrors(form, e)
  })
  const [refusal, setRefusal] = useState<string | null>(null)
  const refresh = useRefreshOrgs()

  const handleOk = async () => {
    const v = await form.validateFields()
    setRefusal(null)
    await run(async () => {
      await api.dissolveOrg(org.id, { effectiveDate: v.effectiveDate.format('YYYY-MM-DD'), reason: v.reason || undefined })
      feedback.message.success(`「${org.name}」已注销`)
      refresh()
      onClose()
    })
  }

  return (
    <Modal
      open
      title={`注销「${org.name}」`}
      onCancel={onClose}
      onOk={handleOk}
      okText="确认注销"
      okButtonProps={{ danger: true, 'data-testid': 'org-dissolve-submit' }}
      confirmLoading={saving}
      destroyOnHidden
    >
      <Alert
        type="warning"
        showIcon
        title="注销后该组织不再出现在组织树中，按历史日期查看时仍可见。有下级组织或会员的工会不能注销。"
        description={
          isJointForm(org.orgForm) && org.counts.coveredEnterprises > 0
            ? `该联合工会涵盖的 ${org.counts.coveredEnterprises} 家企业将退回所在乡镇（街道）工会，恢复为未建会。`
            : org.counts.enterprises > 0 && !org.isRegional
              ? `该工会所在的 ${org.counts.enterprises} 家单位将恢复为未建会。`
              : undefined
        }
        style={{ marginBottom: 16 }}
      />
      {refusal && <Alert type="error" showIcon title={refusal} style={{ marginBottom: 16 }} data-testid="org-dissolve-error" />}
      <Form form={form} layout="vertical" initialValues={{ effectiveDate: dayjs() }}>
        <Form.Item name="effectiveDate" label="注销日期" rules={[{ required: true, message: '请选择注销日期' }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="reason" label="注销原因">
          <Input.TextArea rows={3} maxLength={200} showCount placeholder="例如：企业关闭" data-testid="org-dissolve-reason" />
        </Form.Item>
      </Form>
    </Modal>
  )
}
