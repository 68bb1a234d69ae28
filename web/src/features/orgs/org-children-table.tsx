import { useState } from 'react'
import { Empty, Table } from 'antd'
import { useOrgList } from './hooks'
import { orgColumns } from './org-columns'

export function OrgChildrenTable({ parentId }: { parentId: number }) {
  const [page, setPage] = useState(1)
  const [pageSize, setPageSize] = useState(20)
  const list = useOrgList({ parent: parentId, page, pageSize })
  return (
    <Table
      rowKey="id"
      size="middle"
      columns={orgColumns()}
      dataSource={list.data?.items ?? []}
      loading={list.isFetching}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无下级组织" /> }}
      pagination={{
        current: page,
        pageSize,
        total: list.data?.total ?? 0,
        showSizeChanger: true,
        showTotal: (t) => `共 ${t} 个`,
        onChange: (p, s) => {
          setPage(s !== pageSize ? 1 : p)
          setPageSize(s)
        },
      }}
      data-testid="org-children-table"
    />
  )
}
