import { useEffect, useState } from 'react'
import { Select, Spin } from 'antd'
import { ApiError, api, type OrgOption } from '../../api/client'
import { useDebounced } from '../../components/use-debounced'

/**
 * A union picked by name or code. `directory` searches every non-dissolved union (GET /api/orgs/directory,
 * for transfers to other towns); otherwise the caller's own jurisdiction (GET /api/orgs?q=).
 */
export function UnionSelect(props: {
  value?: number
  onChange?: (id: number | undefined, o?: OrgOption) => void
  initial?: OrgOption | null
  directory?: boolean
  placeholder?: string
  testid?: string
  excludeId?: number
}) {
  const { value, onChange, initial, directory, excludeId } = props
  const [text, setText] = useState('')
  const q = useDebounced(text.trim(), 250)
  const [options, setOptions] = useState<OrgOption[]>(initial ? [initial] : [])
  const [loading, setLoading] = useState(false)
  const [fallback, setFallback] = useState(false)

  useEffect(() => {
    if (!q || (directory && !fallback && q.length < 2)) return
    let alive = true
    setLoading(true)
    const search = async (): Promise<OrgOption[]> => {
      if (directory && !fallback) {
        try {
          return await api.orgDirectory(q)
        } catch (e) {
          // the directory endpoint may not exist yet: search the own jurisdiction instead
          if (e instanceof ApiError && e.status === 404) setFallback(true)
          else throw e
        }
      }
      const r = await api.orgs({ q, pageSize: 30 })
      return r.items.filter((o) => o.status !== 'dissolved').map((o) => ({ id: o.id, code: o.code, name: o.name }))
    }
    search()
      .then(
        (r) => {
          if (!alive) return
          const list = (Array.isArray(r) ? r : (r as { items: OrgOption[] }).items).filter((o) => o.id !== excludeId)
          setOptions((prev) => {
            const chosen = prev.find((o) => o.id === value)
            return chosen && !list.some((o) => o.id === chosen.id) ? [chosen, ...list] : list
          })
        },
        () => alive && setOptions([]),
      )
      .finally(() => alive && setLoading(false))
    return () => {
      alive = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q, directory, fallback])

  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setText }}
      value={value}
      placeholder={props.placeholder ?? '输入工会名称或代码搜索'}
      notFoundContent={loading ? <Spin size="small" /> : q.length >= 2 || (q && !directory) ? '没有匹配的工会' : '请输入至少2个字搜索'}
      onChange={(id: number | undefined) =>
        onChange?.(
          id,
          options.find((o) => o.id === id),
        )
      }
      allowClear
      style={{ width: '100%' }}
      data-testid={props.testid}
      options={options.map((o) => ({
        value: o.id,
        label: o.name,
        title: o.name,
        'data-testid': `${props.testid ?? 'union-select'}-option-${o.id}`,
      }))}
      optionRender={(opt) => {
        const o = options.find((x) => x.id === opt.value)
        return (
          <div data-testid={`${props.testid ?? 'union-select'}-option-${opt.value}`}>
            <div>{o?.name}</div>
            <div className="search-option-code">{o?.code}</div>
          </div>
        )
      }}
    />
  )
}
