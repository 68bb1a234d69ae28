import { useEffect, useState } from 'react'
import { AutoComplete, Input, Spin, Tag } from 'antd'
import { SearchOutlined } from '@ant-design/icons'
import type { JoiningWorkplace } from '../../../../common/api-members'
import { publicApi } from '../../api/client'
import { useDebounced } from '../../components/use-debounced'

/** Search the unit register by name (public: name, town, whether it has a union); free text is kept when nothing is picked. */
export function WorkplaceSearch(props: {
  value?: string
  onChange?: (text: string) => void
  onPick: (w: JoiningWorkplace | null) => void
  placeholder?: string
  testid: string
}) {
  const { value = '', onChange, onPick } = props
  const q = useDebounced(value.trim(), 300)
  const [items, setItems] = useState<JoiningWorkplace[]>([])
  const [loading, setLoading] = useState(false)
  useEffect(() => {
    if (q.length < 2) {
      setItems([])
      return
    }
    let alive = true
    setLoading(true)
    publicApi
      .workplaces(q)
      .then(
        (r) => alive && setItems(Array.isArray(r) ? r : r.items),
        () => alive && setItems([]),
      )
      .finally(() => alive && setLoading(false))
    return () => {
      alive = false
    }
  }, [q])
  return (
    <AutoComplete
      value={value}
      options={items.map((w) => ({
        value: `${w.id}`,
        label: (
          <div className="wp-option" data-testid={`${props.testid}-option-${w.id}`} data-name={w.name}>
            <div className="wp-name">{w.name}</div>
            <div className="wp-meta">
              {w.townName ?? ''} {w.hasUnion ? <Tag color="green">已建工会</Tag> : <Tag>未建工会</Tag>}
            </div>
          </div>
        ),
      }))}
      onChange={(v) => {
        onChange?.(v)
        onPick(null)
      }}
      onSelect={(id: string) => {
        const w = items.find((x) => String(x.id) === id)
        if (w) {
          onChange?.(w.name)
          onPick(w)
        }
      }}
      notFoundContent={q.length >= 2 ? loading ? <Spin size="small" /> : '名录中没有找到，可直接填写单位全称' : null}
      style={{ width: '100%' }}
      popupMatchSelectWidth
    >
      <Input
        size="large"
        prefix={<SearchOutlined />}
        placeholder={props.placeholder ?? '输入单位名称，至少2个字'}
        data-testid={props.testid}
        autoComplete="off"
      />
    </AutoComplete>
  )
}
