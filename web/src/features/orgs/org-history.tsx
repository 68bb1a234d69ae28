import { useState } from 'react'
import { Alert, DatePicker, Empty, Space, Table, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useOrgList } from './hooks'
import { orgColumns } from './org-columns'

/** The children as they were on a past date (the tree keeps effective-dated versions). */
export function OrgHistory({ orgId }: { orgId: number }) {
  const [date, setDate] = useState<Dayjs>(dayjs().subtract(1, 'year').startOf('year'))
  const [page, setPage] = useState(1)
  const asOf = date.format('YYYY-MM-DD')
  const list = useOrgList({ parent: orgId, asOf, page, pageSize: 20 })
  return (
    <div data-testid="org-history">
      <Space style={{ marginBottom: 12 }} wrap>
        <span>查看日期</span>
        <DatePicker
          value={date}
          allowClear={false}
          disabledDate={(d) => d.isAfter(dayjs(), 'day')}
          onChange={(d) => {
            if (d) {
              setDate(d)
              setPage(1)
            }
          }}
          data-testid="org-history-date"
        />
        <Typography.Text type="secondary">显示该日期时本组织的下级组织（含此后已注销或移出的）</Typography.Text>
      </Space>
      {list.error ? (
        <Alert type="error" showIcon title={(list.error as Error).message} />
      ) : (
        <Table
          rowKey="id"
          size="middle"
          columns={orgColumns({ history: true })}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={`${asOf} 时没有下级组织`} /> }}
          pagination={{
            current: page,
            pageSize: 20,
            total: list.data?.total ?? 0,
            onChange: setPage,
            showTotal: (t) => `共 ${t} 个`,
            showSizeChanger: false,
          }}
        />
      )}
    </div>
  )
}
