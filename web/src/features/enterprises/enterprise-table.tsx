import { useState, type ReactNode } from 'react'
import { Button, Space, Tag, Tooltip, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table/interface'
import { ClusterOutlined, EditOutlined } from '@ant-design/icons'
import type { EnterpriseView } from '../../../../common/api'
import { coverages, industries, labelOf, optionsOf, sizeBands, unitNatures } from '../../../../common/codes'
import { api, type EnterpriseQuery } from '../../api/client'
import { FilterSelect, SearchBox, ServerTable, usePagedQuery } from '../../components/server-table'
import { CoverageTag } from './coverage-tag'
import { EnterpriseDetailDrawer } from './enterprise-detail-drawer'
import { JoinJointModal } from './join-joint-modal'

interface Filters {
  nature?: string
  sizeBand?: string
  coverage?: string
}

/**
 * The enterprise register as a server-paginated, sortable table with its filters. `fixed` holds the
 * filters the page imposes (subtree, joint union, 应建未建).
 */
export function EnterpriseTable(props: {
  fixed: EnterpriseQuery
  showFilters?: boolean
  showReasons?: boolean
  onEdit?: (e: EnterpriseView) => void
  toolbar?: (query: EnterpriseQuery) => ReactNode
  testid?: string
  rowTestid?: string
}) {
  const { fixed, showFilters = true, showReasons = false, onEdit, testid = 'enterprise-table', rowTestid = 'enterprise-row' } = props
  const [filters, setFilters] = useState<Filters>({})
  const [viewing, setViewing] = useState<EnterpriseView | null>(null)
  const [joining, setJoining] = useState<EnterpriseView | null>(null)

  const list = usePagedQuery(['enterprises', 'list'], api.enterprises, { ...fixed, ...filters }, { search: true, sort: '-employees' })
  const { sortOrder } = list
  const setFilter = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, ...patch }))

  const columns: ColumnsType<EnterpriseView> = [
    {
      title: '单位名称',
      dataIndex: 'name',
      width: 210,
      sorter: true,
      sortOrder: sortOrder('name'),
      render: (name: string, e) => (
        <div className="ent-name-cell">
          <Typography.Link className="ent-name" data-testid="enterprise-name" onClick={() => setViewing(e)}>
            {name}
          </Typography.Link>
          <br />
          <Typography.Text type="secondary" className="ent-sub">
            {e.creditCode}
          </Typography.Text>
        </div>
      ),
    },
    { title: '所在政区', dataIndex: 'regionName', width: 100, render: (v: string | null, e) => v ?? e.regionCode },
    {
      title: '单位性质',
      dataIndex: 'nature',
      width: 110,
      render: (v: string, e) => (
        <div>
          <div>{labelOf(unitNatures, v)}</div>
          {e.industry && (
            <Typography.Text
              type="secondary"
              className="ent-sub"
              ellipsis={{ tooltip: labelOf(industries, e.industry) }}
              style={{ maxWidth: 94 }}
            >
              {labelOf(industries, e.industry)}
            </Typography.Text>
          )}
        </div>
      ),
    },
    {
      title: '职工人数',
      dataIndex: 'employees',
      width: 96,
      align: 'right',
      sorter: true,
      sortOrder: sortOrder('employees'),
      render: (v: number) => <span data-testid="enterprise-employees">{v}</span>,
    },
    {
      title: '成立日期',
      dataIndex: 'foundedOn',
      width: 104,
      sorter: true,
      sortOrder: sortOrder('foundedOn'),
      render: (v: string | null) => v ?? '—',
    },
    { title: '建会情况', dataIndex: 'coverage', width: 170, render: (_: string, e) => <CoverageTag e={e} /> },
    ...(showReasons
      ? [
          {
            title: '应建未建原因',
            dataIndex: 'dueReasons',
            width: 196,
            render: (_: unknown, e: EnterpriseView) => (
              <Space size={[4, 4]} wrap data-testid="due-reasons">
                {e.dueReasons.map((r) => (
                  <Tag key={r.code} color={r.code === 'own_union_required' ? 'orange' : 'red'} style={{ marginInlineEnd: 0 }}>
                    {r.label}
                  </Tag>
                ))}
              </Space>
            ),
          },
        ]
      : [
          {
            title: '标记',
            key: 'flags',
            width: 110,
            render: (_: unknown, e: EnterpriseView) => (
              <Space size={[4, 4]} wrap>
                {e.aboveScale && <Tag>规上</Tag>}
                {e.isPlatform && <Tag>平台</Tag>}
                {e.zoneName && (
                  <Tooltip title={e.zoneName}>
                    <Tag>园区</Tag>
                  </Tooltip>
                )}
                {e.dueReasons.length > 0 && (
                  <Tooltip title={e.dueReasons.map((r) => r.label).join('；')}>
                    <Tag color="red">应建未建</Tag>
                  </Tooltip>
                )}
              </Space>
            ),
          },
        ]),
    ...(onEdit
      ? [
          {
            title: '操作',
            key: 'actions',
            width: 90,
            fixed: 'right' as const,
            render: (_: unknown, e: EnterpriseView) => (
              <div className="row-actions">
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => onEdit(e)} data-testid={`enterprise-edit-${e.id}`}>
                  编辑
                </Button>
                {e.coverage === 'none' && (
                  <Button
                    type="link"
                    size="small"
                    icon={<ClusterOutlined />}
                    onClick={() => setJoining(e)}
                    data-testid={`enterprise-join-${e.id}`}
                  >
                    纳入联合
                  </Button>
                )}
              </div>
            ),
          },
        ]
      : []),
  ]

  const filtered = !!(list.q || filters.nature || filters.sizeBand || filters.coverage)

  return (
    <div data-testid={testid}>
      {(showFilters || props.toolbar) && (
        <div className="table-toolbar">
          {showFilters && (
            <Space wrap size={8}>
              <SearchBox paged={list} placeholder="单位名称或信用代码" width={220} testid={`${testid}-search`} />
              <FilterSelect
                placeholder="单位性质"
                width={140}
                value={filters.nature}
                onChange={(v) => setFilter({ nature: v })}
                options={optionsOf(unitNatures)}
                testid={`${testid}-nature`}
              />
              <FilterSelect
                placeholder="职工人数"
                width={130}
                value={filters.sizeBand}
                onChange={(v) => setFilter({ sizeBand: v })}
                options={optionsOf(sizeBands)}
                testid={`${testid}-size`}
              />
              <FilterSelect
                placeholder="建会情况"
                width={130}
                value={filters.coverage}
                onChange={(v) => setFilter({ coverage: v })}
                options={optionsOf(coverages)}
                testid={`${testid}-coverage`}
              />
            </Space>
          )}
          <div style={{ flex: 1 }} />
          {props.toolbar?.(list.base)}
        </div>
      )}
      <ServerTable<EnterpriseView>
        paged={list}
        columns={columns}
        scroll={{ x: 'max-content' }}
        rowTestid={(e) => ({ 'data-testid': `${rowTestid}-${e.id}`, 'data-name': e.name })}
        empty={filtered ? '没有符合条件的单位' : showReasons ? '没有应建未建的单位' : '暂无用人单位'}
        unit="家"
        sizeChanger
      />
      {viewing && <EnterpriseDetailDrawer enterprise={viewing} onClose={() => setViewing(null)} />}
      {joining && <JoinJointModal enterprise={joining} onClose={() => setJoining(null)} />}
    </div>
  )
}
