import { useEffect, useState } from 'react'
import { Cascader } from 'antd'
import type { RegionView } from '../../../common/api'
import { api } from '../api/client'

interface Option {
  value: string
  label: string
  isLeaf?: boolean
  children?: Option[]
}

/** Division levels: 6 digits county, 9 town (乡镇/街道), 12 village (村/社区). */
const depthOf = (code: string) => (code.length <= 6 ? 1 : code.length <= 9 ? 2 : 3)

/**
 * Picks a division below `root`, a level at a time: towns then villages for a county root,
 * villages for a town root (the town itself is offered first so it can be chosen on its own).
 * The value is the code of the deepest level picked.
 */
export function RegionCascader(props: {
  root: string
  value?: string | null
  onChange?: (code: string | null) => void
  placeholder?: string
  disabled?: boolean
  allowClear?: boolean
  testid?: string
}) {
  const { root, value, onChange } = props
  const [options, setOptions] = useState<Option[]>([])

  useEffect(() => {
    let alive = true
    void (async () => {
      const toOption = (r: RegionView, leaf: boolean): Option => ({ value: r.code, label: r.name, isLeaf: leaf })
      if (depthOf(root) === 1) {
        const towns = await api.regions(root)
        let opts = towns.map((t) => toOption(t, false))
        // open the branch of the current value so it can be displayed
        if (value && value.length === 12) {
          const villages = await api.regions(value.slice(0, 9))
          opts = opts.map((o) => (o.value === value.slice(0, 9) ? { ...o, children: villages.map((v) => toOption(v, true)) } : o))
        }
        if (alive) setOptions(opts)
      } else {
        const [siblings, villages] = await Promise.all([api.regions(root.slice(0, 6)), api.regions(root)])
        const self = siblings.find((s) => s.code === root)
        if (alive) {
          setOptions([
            { value: root, label: self?.name ?? root, isLeaf: villages.length === 0, children: villages.map((v) => toOption(v, true)) },
          ])
        }
      }
    })().catch(() => alive && setOptions([]))
    return () => {
      alive = false
    }
    // only the root decides the option tree; the value is read once to open its branch
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [root])

  const handleLoad = async (selected: Option[]) => {
    const target = selected[selected.length - 1]
    if (!target || target.children) return
    const villages = await api.regions(target.value)
    setOptions((opts) =>
      opts.map((o) =>
        o.value === target.value
          ? { ...o, isLeaf: villages.length === 0, children: villages.map((v) => ({ value: v.code, label: v.name, isLeaf: true })) }
          : o,
      ),
    )
  }

  const path = !value
    ? undefined
    : depthOf(root) === 1
      ? value.length === 12
        ? [value.slice(0, 9), value]
        : [value]
      : value.length === 12
        ? [root, value]
        : [value]

  return (
    <Cascader
      options={options}
      value={path}
      loadData={handleLoad as never}
      changeOnSelect
      showSearch={false}
      allowClear={props.allowClear ?? true}
      disabled={props.disabled}
      placeholder={props.placeholder ?? '请选择乡镇（街道）/ 村（社区）'}
      onChange={(v) => onChange?.(v && v.length ? String(v[v.length - 1]) : null)}
      style={{ width: '100%' }}
      data-testid={props.testid}
    />
  )
}
