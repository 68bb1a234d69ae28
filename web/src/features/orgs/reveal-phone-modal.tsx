import { api } from '../../api/client'
import { RevealModal } from '../../components/reveal-modal'

const fieldNames = { chairPhone: '主席联系电话', contactPhone: '联系电话' }

/** Full phone numbers are personal information: the reason is asked for and the access is audited. */
export function RevealPhoneModal({ orgId, field, onClose }: { orgId: number; field: 'chairPhone' | 'contactPhone'; onClose: () => void }) {
  return (
    <RevealModal
      title={`查看完整${fieldNames[field]}`}
      warning="电话号码属于个人信息"
      placeholder="例如：联系主席核实建会情况"
      reveal={(reason) => api.revealOrg(orgId, field, reason)}
      onClose={onClose}
    />
  )
}
