import { useEffect, useState } from 'react'
import { Alert, Button, Drawer, Space, Spin } from 'antd'
import type { OrgDetail } from '../../../../common/api'
import { api } from '../../api/client'
import { feedback } from '../../components/feedback'
import { showError } from '../../components/form-errors'
import { useSaving } from '../../components/use-save'
import { EnterprisePicker, type PickedEnterprise } from '../enterprises/enterprise-picker'
import { useRefreshOrgs } from './hooks'

/** Sets the enterprises a joint union covers: its current ones plus any uncovered one of the parent's jurisdiction. */
export function CoverageDrawer({ org, onClose }: { org: OrgDetail; onClose: () => void }) {
  const [picked, setPicked] = useState<PickedEnterprise[] | null>(null)
  const { saving, run } = useSaving()
  const refresh = useRefreshOrgs()

  useEffect(() => {
    api.enterprises({ jointUnion: org.id, pageSize: 200 }).then(
      (r) => setPicked(r.items.map((e) => ({ id: e.id, name: e.name, employees: e.employees }))),
      (e) => {
        showError(e)
        setPicked([])
      },
    )
  }, [org.id])

  const handleSave = async () => {
    if (!picked) return
    await run(async () => {
      await api.setOrgEnterprises(
        org.id,
        picked.map((p) => p.id),
      )
      feedback.message.success(`已更新涵盖企业，共 ${picked.length} 家`)
      refresh()
      onClose()
    })
  }

  return (
    <Drawer
      open
      size={820}
      title={`调整「${org.name}」涵盖的企业`}
      onClose={onClose}
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={saving} disabled={!picked} onClick={handleSave} data-testid="coverage-submit">
            保存
          </Button>
        </Space>
      }
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title="上方标签为当前涵盖的企业（点 × 移出）；下表列出上级工会管辖范围内尚未建会的单位，勾选即加入。"
      />
      {picked === null ? (
        <Spin />
      ) : (
        <EnterprisePicker scope={{ org: org.parentId ?? org.id, coverage: 'none' }} value={picked} onChange={setPicked} />
      )}
    </Drawer>
  )
}
