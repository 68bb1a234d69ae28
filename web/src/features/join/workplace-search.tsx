import { useEffect, useState } from 'react'
import type { JoiningWorkplace } from '../../../../common/api-members'
import { publicApi } from '../../api/client'
import { useDebounced } from '../../components/use-debounced'
import { Tag } from '../../phone/ui'

/**
 * Search the unit register by name (public: name, town, whether it has a union); free text is kept
 * when nothing is picked. A combobox: the matches open under the field while it has the focus.
 */
export function WorkplaceSearch(props: {
  value?: string
  onChange?: (text: string) => void
  onBlur?: () => void
  onPick: (w: JoiningWorkplace | null) => void
  placeholder?: string
  testid: string
  id?: string
  invalid?: boolean
}) {
  const { value = '', onChange, onPick } = props
  const q = useDebounced(value.trim(), 300)
  const [items, setItems] = useState<JoiningWorkplace[]>([])
  const [loading, setLoading] = useState(false)
  const [open, setOpen] = useState(false)
  const [picked, setPicked] = useState<string | null>(null)
  useEffect(() => {
    if (q.length < 2 || q === picked) {
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
  }, [q, picked])
  const listId = `${props.testid}-list`
  const shown = open && q.length >= 2 && q !== picked
  return (
    <div className="wp-search">
      <span className="wp-search-icon" aria-hidden>
        ⌕
      </span>
      <input
        id={props.id}
        className="u-input wp-search-input"
        role="combobox"
        aria-expanded={shown}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-invalid={props.invalid || undefined}
        value={value}
        onChange={(e) => {
          onChange?.(e.target.value)
          onPick(null)
          setPicked(null)
          setOpen(true)
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => {
          setOpen(false)
          props.onBlur?.()
        }}
        placeholder={props.placeholder ?? '输入单位名称，至少2个字'}
        data-testid={props.testid}
        autoComplete="off"
      />
      {shown && (
        <ul className="wp-list" id={listId} role="listbox" onMouseDown={(e) => e.preventDefault()}>
          {items.map((w) => (
            <li
              key={w.id}
              role="option"
              aria-selected={false}
              className="wp-option"
              data-testid={`${props.testid}-option-${w.id}`}
              data-name={w.name}
              onClick={() => {
                onChange?.(w.name)
                onPick(w)
                setPicked(w.name)
                setOpen(false)
              }}
            >
              <div className="wp-name">{w.name}</div>
              <div className="wp-meta">
                {w.townName ?? ''} {w.hasUnion ? <Tag color="green">已建工会</Tag> : <Tag>未建工会</Tag>}
              </div>
            </li>
          ))}
          {items.length === 0 && <li className="wp-empty">{loading ? '正在查找…' : '名录中没有找到，可直接填写单位全称'}</li>}
        </ul>
      )}
    </div>
  )
}
