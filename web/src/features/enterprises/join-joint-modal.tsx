import { useEffect, useState } from 'react'
import { Alert, Modal, Select, Spin, Typography } from 'antd'
import { useQueryClient } from '@tanstack/react-query'
import type { EnterpriseView, OrgSummary } from '../../../../common/api'
import { api } from '../../api/client'
import { feedback } from '../../components/feedback'
import { useSaving } from '../../components/use-save'
import { errorMessage } from '../../components/form-errors'
import { useDebounced } from '../../components/use-debounced'

/** Adds one enterprise to an existing joint union (the API sets a joint union's whole coverage, so the current list is read first). */
export function JoinJointModal({ enterprise, onClose }: { enterprise: EnterpriseView; onClose: () => void }) {
  const [text, setText] = useState('')
  const q = useDebounced(text.trim(), 300)
  const [options, setOptions] = useState<OrgSummary[]>([])
  const [loading, setLoading] = useState(false)
  const [unionId, setUnionId] = useState<number | undefined>()
  const { saving, run } = useSaving(undefined, (e) => setError(errorMessage(e)))
  const [error, setError] = useState<string | null>(null)
  const qc = useQueryClient()

  useEffect(() => {
    let alive = true
    setLoading(true)
    api
      .orgs({ joint: true, q: q || undefined, pageSize: 50 })
      .then(
        (r) =>
          alive && setOptions(r.items.filter((o) => o.status !== 'dissolved' && enterprise.townCode.startsWith(o.regionCode.slice(0, 9)))),
        () => alive && setOptions([]),
      )
      .finally(() => alive && setLoading(false))
    return () => {
      alive = false
    }
  }, [q, enterprise.townCode])

  const handleOk = async () => {
    if (!unionId) return setError('请选择联合工会')
    setError(null)
    await run(async () => {
      const ids: number[] = []
      for (let page = 1; ; page++) {
        const r = await api.enterprises({ jointUnion: unionId, page, pageSize: 200 })
        ids.push(...r.items.map((e) => e.id))
        if (ids.length >= r.total || r.items.length === 0) break
      }
      await api.setOrgEnterprises(unionId, [...new Set([...ids, enterprise.id])])
      feedback.message.success(`「${enterprise.name}」已纳入联合工会`)
      void qc.invalidateQueries({ queryKey: ['enterprises'] })
      void qc.invalidateQueries({ queryKey: ['org'] })
      void qc.invalidateQueries({ queryKey: ['due-summary'] })
      onClose()
    })
  }

  return (
    <Modal
      open
      title={`将「${enterprise.name}」纳入联合工会`}
      onCancel={onClose}
      onOk={handleOk}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'join-joint-submit' }}
      destroyOnHidden
    >
      {enterprise.employees >= 25 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={`该单位有职工 ${enterprise.employees} 人，按规定应单独建会；纳入联合工会后仍在应建未建清单中。`}
        />
      )}
      {error && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={error} data-testid="join-joint-error" />}
      <Typography.Paragraph type="secondary">只列出与该单位同一乡镇（街道）的联合工会。</Typography.Paragraph>
      <Select
        style={{ width: '100%' }}
        showSearch={{ filterOption: false, onSearch: setText }}
        placeholder="输入联合工会名称搜索"
        value={unionId}
        onChange={setUnionId}
        notFoundContent={loading ? <Spin size="small" /> : '没有可选的联合工会'}
        options={options.map((o) => ({ value: o.id, label: `${o.name}（${o.code}）` }))}
        data-testid="join-joint-select"
      />
    </Modal>
  )
}
