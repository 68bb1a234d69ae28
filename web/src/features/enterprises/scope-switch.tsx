import { Segmented } from 'antd'
import type { OrgRef } from '../../app/current-org'

/** Whether a list covers the organization chosen in the tree or the caller's whole jurisdiction. */
export function ScopeSwitch({
  current,
  value,
  onChange,
}: {
  current: OrgRef | null
  value: 'org' | 'all'
  onChange: (v: 'org' | 'all') => void
}) {
  return (
    <Segmented
      value={current ? value : 'all'}
      onChange={(v) => onChange(v as 'org' | 'all')}
      options={[
        {
          value: 'org',
          label: (
            <span className="scope-label" title={current?.name}>
              {current ? `${current.name}及下级` : '当前组织'}
            </span>
          ),
          disabled: !current,
        },
        { value: 'all', label: '全部管辖范围' },
      ]}
      data-testid="scope-switch"
    />
  )
}
