import { useEffect, useState } from 'react'
import { AutoComplete, Input, Spin } from 'antd'
import { SearchOutlined } from '@ant-design/icons'
import type { OrgSummary } from '../../../../common/api'
import { api } from '../../api/client'
import { useDebounced } from '../../components/use-debounced'

/** Search by name or code (?q=), listing matches to jump to. */
export function OrgSearch({
  onPick,
  placeholder = '搜索工会名称或代码',
  testid = 'org-tree-search',
}: {
  onPick: (id: number, o: OrgSummary) => void
  placeholder?: string
  testid?: string
}) {
  const [text, setText] = useState('')
  const q = useDebounced(text.trim(), 250)
  const [results, setResults] = useState<OrgSummary[]>([])
  const [loading, setLoading] = useState(false)

  useEffect(() => {
    if (!q) {
      setResults([])
      return
    }
    let alive = true
    setLoading(true)
    api
      .orgs({ q, pageSize: 20 })
      .then(
        (r) => alive && setResults(r.items),
        () => alive && setResults([]),
      )
      .finally(() => alive && setLoading(false))
    return () => {
      alive = false
    }
  }, [q])

  const options = results.map((o) => ({
    value: String(o.id),
    label: (
      <div className="search-option" data-testid={`${testid}-option-${o.id}`}>
        <div className="search-option-name">{o.name}</div>
        <div className="search-option-code">
          {o.code}
          {o.status === 'dissolved' ? ' · 已注销' : ''}
        </div>
      </div>
    ),
  }))

  return (
    <AutoComplete
      style={{ width: '100%' }}
      options={options}
      value={text}
      onChange={(v) => setText(v)}
      onSelect={(v: string) => {
        const o = results.find((r) => String(r.id) === v)
        setText('')
        if (o) onPick(o.id, o)
      }}
      notFoundContent={q ? loading ? <Spin size="small" /> : '没有匹配的组织' : null}
      popupMatchSelectWidth={320}
    >
      <Input prefix={<SearchOutlined />} placeholder={placeholder} allowClear data-testid={testid} />
    </AutoComplete>
  )
}
