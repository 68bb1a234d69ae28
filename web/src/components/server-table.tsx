import { useState, type ReactNode } from 'react'
import { Empty, Input, Select, Table, type TableProps } from 'antd'
import type { SorterResult } from 'antd/es/table/interface'
import { SearchOutlined } from '@ant-design/icons'
import { useQuery, type UseQueryResult } from '@tanstack/react-query'
import type { Page } from '../../../common/api'
import { useDebounced } from './use-debounced'

type Paging = { page: number; pageSize: number }

/**
 * A server-paged list: its filters, the search text (debounced), the sort and the page. The page goes
 * back to 1 whenever the filters, the search, the sort or the page size change.
 */
export function usePagedQuery<Q extends object, T>(
  key: readonly unknown[],
  fetch: (q: Q & Paging & { q?: string; sort?: string }) => Promise<Page<T>>,
  filters: Q,
  opts: {
    pageSize?: number
    /** the initial sort ('-field' descending); without it the list is not sortable */
    sort?: string
    /** the sort a column's header asks for (default: 'field' ascending, '-field' descending) */
    sortOf?: (field: string, order: 'ascend' | 'descend') => string
    /** a search box: its text is sent as q */
    search?: boolean
    enabled?: boolean
  } = {},
) {
  const [text, setText] = useState('')
  const q = useDebounced(text.trim(), 300)
  const [sort, setSort] = useState(opts.sort)
  const [pageSize, setPageSize] = useState(opts.pageSize ?? 20)
  /** the filters without the page: what an export of the list asks for */
  const base = {
    ...filters,
    ...(opts.search ? { q: q || undefined } : {}),
    ...(opts.sort !== undefined ? { sort } : {}),
  } as Q & { q?: string; sort?: string }
  const at = JSON.stringify([base, pageSize])
  const [paged, setPaged] = useState({ at, page: 1 })
  const page = paged.at === at ? paged.page : 1
  const query = { ...base, page, pageSize }
  const list = useQuery({
    queryKey: [...key, query],
    queryFn: () => fetch(query),
    placeholderData: (p) => p,
    enabled: opts.enabled,
  })
  const sortOrder = (field: string) => (sort === field ? 'ascend' : sort === `-${field}` ? 'descend' : null)
  const onChange = (_p: unknown, _f: unknown, sorter: SorterResult<T> | SorterResult<T>[]) => {
    if (opts.sort === undefined) return
    const s = Array.isArray(sorter) ? sorter[0] : sorter
    const field = s?.order ? String(s.field) : null
    const next = field ? (opts.sortOf ?? defaultSort)(field, s.order!) : opts.sort
    if (next !== sort) setSort(next)
  }
  return {
    text,
    setText,
    /** the search text as sent (debounced, trimmed) */
    q,
    sort,
    sortOrder,
    page,
    setPage: (p: number) => setPaged({ at, page: p }),
    pageSize,
    setPageSize,
    base,
    query,
    list,
    onChange,
  }
}

const defaultSort = (field: string, order: 'ascend' | 'descend') => (order === 'ascend' ? field : `-${field}`)

export interface Paged<T> {
  page: number
  setPage: (p: number) => void
  pageSize: number
  setPageSize: (s: number) => void
  list: UseQueryResult<Page<T>>
  onChange: (p: unknown, f: unknown, s: SorterResult<T> | SorterResult<T>[]) => void
}

/** The search box of a paged list's toolbar. */
export function SearchBox(props: {
  paged: { text: string; setText: (t: string) => void }
  placeholder: string
  width: number
  testid?: string
}) {
  return (
    <Input
      allowClear
      prefix={<SearchOutlined />}
      placeholder={props.placeholder}
      style={{ width: props.width }}
      value={props.paged.text}
      onChange={(e) => props.paged.setText(e.target.value)}
      data-testid={props.testid}
    />
  )
}

/**
 * The table of a server-paged list (usePagedQuery): rows, loading, the error or `empty` when there are
 * none, the pager with its total (`共 N 人`). `sizeChanger` offers page sizes and a quick jumper.
 */
export function ServerTable<T extends object>({
  paged,
  empty,
  emptyAction,
  unit,
  showTotal,
  sizeChanger,
  hideOnSinglePage,
  rowTestid,
  ...props
}: Omit<TableProps<T>, 'dataSource' | 'loading' | 'pagination' | 'onChange'> & {
  paged: Paged<T>
  empty?: ReactNode
  /** under the empty text when there is no error, e.g. a button to add the first */
  emptyAction?: ReactNode
  /** 共 N {unit} */
  unit?: string
  showTotal?: (total: number) => ReactNode
  sizeChanger?: boolean
  hideOnSinglePage?: boolean
  /** each row's data-testid (and data-name) */
  rowTestid?: (row: T) => Record<string, string | number>
}) {
  const { list, page, pageSize } = paged
  return (
    <Table<T>
      rowKey="id"
      size="middle"
      dataSource={list.data?.items ?? []}
      loading={list.isFetching}
      onChange={paged.onChange}
      onRow={rowTestid ? (r) => rowTestid(r) as React.HTMLAttributes<HTMLElement> : undefined}
      locale={{
        emptyText: (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={list.error ? (list.error as Error).message : empty}>
            {list.error ? null : emptyAction}
          </Empty>
        ),
      }}
      pagination={{
        current: page,
        pageSize,
        total: list.data?.total ?? 0,
        // a long list is counted up to a cap (server/src/db/count.ts), and says so
        showTotal:
          showTotal ??
          (unit
            ? (t) =>
                list.data?.totalCapped
                  ? `超过 ${t.toLocaleString('zh-CN')} ${unit}，请用筛选缩小范围`
                  : `共 ${t.toLocaleString('zh-CN')} ${unit}`
            : undefined),
        hideOnSinglePage,
        ...(sizeChanger === undefined ? {} : { showSizeChanger: sizeChanger, showQuickJumper: sizeChanger || undefined }),
        onChange: (p, s) => {
          if (s !== pageSize) paged.setPageSize(s)
          else paged.setPage(p)
        },
      }}
      {...props}
    />
  )
}

/** A filter of a paged list's toolbar: one value of a code table, or all when cleared. */
export function FilterSelect<V extends string>(props: {
  value?: V
  onChange: (v?: V) => void
  placeholder: string
  width: number
  options: { value: V; label: string }[]
  testid?: string
}) {
  return (
    <Select<V>
      allowClear
      placeholder={props.placeholder}
      style={{ width: props.width }}
      value={props.value}
      onChange={(v) => props.onChange(v)}
      options={props.options}
      data-testid={props.testid}
    />
  )
}
