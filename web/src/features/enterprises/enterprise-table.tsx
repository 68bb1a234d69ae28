import { useState, type ReactNode } from 'react'
import { Button, Space, Tag, Tooltip, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table/interface'
import { ClusterOutlined, EditOutlined, StopOutlined, UndoOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { enterpriseStatuses, type EnterpriseView } from '../../../../common/api'
import { coverages, industries, labelOf, optionsOf, sizeBands, unitNatures } from '../../../../common/codes'
import { api, type EnterpriseQuery } from '../../api/client'
import { FilterSelect, SearchBox, ServerTable, usePagedQuery } from '../../components/server-table'
import { CoverageTag } from './coverage-tag'
import { EnterpriseDetailDrawer } from './enterprise-detail-drawer'
import { JoinJointModal } from './join-joint-modal'
import { EnterpriseStatusModal, EnterpriseStatusTag } from './status-modal'
import { useScopeRegion } from './hooks'

/** The towns of a county-level scope (a town's own cadres filter by nothing: it is all theirs). */
function useTownOptions() {
  const region = useScopeRegion()
  const towns = useQuery({
    queryKey: ['regions', region],
    queryFn: () => api.regions(region!),
    enabled: !!region && region.length <= 6,
    staleTime: Infinity,
  })
  return (towns.data ?? []).map((t) => ({ value: t.code, label: t.name }))
}

interface Filters {
  regionCode?: string
  status?: string
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
  const [closing, setClosing] = useState<EnterpriseView | null>(null)
  const towns = useTownOptions()

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
          {e.status !== 'active' && (
            <>
              {' '}
              <EnterpriseStatusTag e={e} />
            </>
          )}
        </div>
      ),
    },
    {
      title: '所在乡镇',
      dataIndex: 'townName',
      width: 110,
      render: (v: string | null, e) => (
        <div data-testid="enterprise-town">
          <div>{v ?? e.townCode}</div>
          {e.regionCode !== e.townCode && e.regionName && (
            <Typography.Text type="secondary" className="ent-sub">
              {e.regionName}
            </Typography.Text>
          )}
        </div>
      ),
    },
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
            width: 120,
            fixed: 'right' as const,
            render: (_: unknown, e: EnterpriseView) => (
              <div className="row-actions">
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => onEdit(e)} data-testid={`enterprise-edit-${e.id}`}>
                  编辑
                </Button>
                {e.status === 'active' ? (
                  <Button
                    type="link"
                    size="small"
                    danger
                    icon={<StopOutlined />}
                    onClick={() => setClosing(e)}
                    data-testid={`enterprise-close-${e.id}`}
                  >
                    注销/停业
                  </Button>
                ) : (
                  <Button
                    type="link"
                    size="small"
                    icon={<UndoOutlined />}
                    onClick={() => setClosing(e)}
                    data-testid={`enterprise-reopen-${e.id}`}
                  >
                    恢复正常
                  </Button>
                )}
                {e.coverage === 'none' && e.status === 'active' && (
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

  const filtered = !!(list.q || filters.nature || filters.sizeBand || filters.coverage || filters.regionCode || filters.status)

  return (
    <div data-testid={testid}>
      {(showFilters || props.toolbar) && (
        <div className="table-toolbar">
          {showFilters && (
            <Space wrap size={8}>
              <SearchBox paged={list} placeholder="单位名称或信用代码" width={220} testid={`${testid}-search`} />
              {towns.length > 0 && (
                <FilterSelect
                  placeholder="所在乡镇"
                  width={140}
                  value={filters.regionCode}
                  onChange={(v) => setFilter({ regionCode: v })}
                  options={towns}
                  testid={`${testid}-town`}
                />
              )}
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
              {!showReasons && (
                <FilterSelect
                  placeholder="经营状态"
                  width={130}
                  value={filters.status}
                  onChange={(v) => setFilter({ status: v })}
                  options={[
                    { value: 'active', label: '正常' },
                    { value: 'closed', label: '注销/停业/迁出' },
                    ...enterpriseStatuses.filter((x) => x.code !== 'active').map((x) => ({ value: x.code, label: x.label })),
                  ]}
                  testid={`${testid}-status`}
                />
              )}
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
      {closing && <EnterpriseStatusModal enterprise={closing} onClose={() => setClosing(null)} />}
    </div>
  )
}
