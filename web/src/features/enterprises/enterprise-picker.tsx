import { useState } from 'react'
import { Empty, Input, Space, Table, Tag, Typography } from 'antd'
import { SearchOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import type { EnterpriseView } from '../../../../common/api'
import { labelOf, unitNatures } from '../../../../common/codes'
import { api, type EnterpriseQuery } from '../../api/client'
import { useDebounced } from '../../components/use-debounced'
import { CoverageTag } from './coverage-tag'

export interface PickedEnterprise {
  id: number
  name: string
  employees: number
}

/**
 * Chooses enterprises from a server-side filtered, paginated list (e.g. the uncovered enterprises of a
 * union's jurisdiction). The selection survives paging and searching.
 */
export function EnterprisePicker(props: {
  scope: EnterpriseQuery
  multiple?: boolean
  value: PickedEnterprise[]
  onChange: (v: PickedEnterprise[]) => void
  /** enterprises already chosen before (e.g. current coverage) shown even if the scope filter would hide them */
  extra?: EnterpriseView[]
}) {
  const { scope, multiple = true, value, onChange } = props
  const [text, setText] = useState('')
  const q = useDebounced(text.trim(), 300)
  const [page, setPage] = useState(1)
  const query = { ...scope, q: q || undefined, page, pageSize: 10, sort: '-employees' }
  const list = useQuery({ queryKey: ['enterprises', 'picker', query], queryFn: () => api.enterprises(query), placeholderData: (p) => p })

  const rows = list.data?.items ?? []
  const selectedKeys = value.map((v) => v.id)
  const toggle = (e: EnterpriseView) => {
    const has = selectedKeys.includes(e.id)
    if (!multiple) onChange(has ? [] : [{ id: e.id, name: e.name, employees: e.employees }])
    else onChange(has ? value.filter((v) => v.id !== e.id) : [...value, { id: e.id, name: e.name, employees: e.employees }])
  }
  const workers = value.reduce((s, v) => s + v.employees, 0)

  return (
    <div className="enterprise-picker" data-testid="enterprise-picker">
      <Space style={{ marginBottom: 8, width: '100%', justifyContent: 'space-between' }} wrap>
        <Input
          allowClear
          prefix={<SearchOutlined />}
          placeholder="搜索单位名称或信用代码"
          value={text}
          onChange={(e) => {
            setText(e.target.value)
            setPage(1)
          }}
          style={{ width: 280 }}
          data-testid="enterprise-picker-search"
        />
        <Typography.Text type="secondary" data-testid="enterprise-picker-count">
          已选 <Typography.Text strong>{value.length}</Typography.Text> 家{multiple ? `，涵盖职工 ${workers} 人` : ''}
        </Typography.Text>
      </Space>
      {value.length > 0 && (
        <div className="picker-selected">
          {value.map((v) => (
            <Tag
              key={v.id}
              closable
              onClose={() => onChange(value.filter((x) => x.id !== v.id))}
              data-testid={`enterprise-picker-selected-${v.id}`}
            >
              {v.name}
            </Tag>
          ))}
        </div>
      )}
      <Table<EnterpriseView>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={rows}
        rowSelection={{
          type: multiple ? 'checkbox' : 'radio',
          selectedRowKeys: selectedKeys,
          preserveSelectedRowKeys: true,
          onSelect: (r) => toggle(r),
          onSelectAll: (checked, _sel, changed) => {
            if (checked)
              onChange([
                ...value,
                ...changed.filter((c) => !selectedKeys.includes(c.id)).map((c) => ({ id: c.id, name: c.name, employees: c.employees })),
              ])
            else onChange(value.filter((v) => !changed.some((c) => c.id === v.id)))
          },
        }}
        onRow={(r) =>
          ({
            // a click on the checkbox itself is handled by rowSelection
            onClick: (ev: React.MouseEvent) => !(ev.target as HTMLElement).closest('.ant-table-selection-column') && toggle(r),
            'data-testid': `enterprise-picker-row-${r.id}`,
            style: { cursor: 'pointer' },
          }) as React.HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            title: '单位名称',
            dataIndex: 'name',
            render: (n: string, r) => (
              <div>
                <div>{n}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.creditCode}
                </Typography.Text>
              </div>
            ),
          },
          { title: '所在政区', dataIndex: 'regionName', width: 130, render: (v: string | null) => v ?? '—' },
          { title: '性质', dataIndex: 'nature', width: 110, render: (v: string) => labelOf(unitNatures, v) },
          { title: '职工', dataIndex: 'employees', width: 70, align: 'right' },
          { title: '建会情况', dataIndex: 'coverage', width: 110, render: (_: string, r) => <CoverageTag e={r} compact /> },
        ]}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={q ? '没有匹配的单位' : '管辖范围内没有可选的未建会单位'} />,
        }}
        pagination={{
          current: page,
          pageSize: 10,
          total: list.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
          size: 'small',
          showTotal: (t) => (list.data?.totalCapped ? `超过 ${t} 家` : `共 ${t} 家`),
        }}
      />
    </div>
  )
}
