import { useState } from 'react'
import { useSearchParams } from 'react-router-dom'
import { Alert, Button, DatePicker, Empty, Select, Skeleton, Space, Typography } from 'antd'
import { DownloadOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import dayjs, { type Dayjs } from 'dayjs'
import { errorMessage } from '../../components/form-errors'
import { useFormsOrg } from './use-forms-org'
import { formsApi } from './api'
import { FormTableView } from './form-table-view'
import { PrintButton, PrintRoot, usePrinting } from './print'

export const useFormList = () => useQuery({ queryKey: ['forms', 'list'], queryFn: formsApi.forms, staleTime: 300_000 })

/** Pick a form and a 截止时间; the organization is the one chosen in the tree. */
export function FormViewer() {
  const current = useFormsOrg()
  const forms = useFormList()
  // ?form= opens a given form (the plan page's 打印 leads here with the monitoring table)
  const [sp] = useSearchParams()
  const [form, setForm] = useState(sp.get('form') ?? 'form1')
  const [printing, print] = usePrinting()
  const [asOf, setAsOf] = useState<Dayjs>(dayjs())
  const q = { org: current?.id, asOf: asOf.format('YYYY-MM-DD') }
  const table = useQuery({
    queryKey: ['forms', 'table', form, q],
    queryFn: () => formsApi.form(form, q),
    enabled: !!current,
    placeholderData: (p) => p,
  })
  return (
    <div data-testid="form-viewer">
      <div className="table-toolbar forms-toolbar">
        <span className="label">报表</span>
        <Select
          style={{ width: 300 }}
          value={form}
          onChange={setForm}
          loading={forms.isLoading}
          data-testid="form-select"
          options={(forms.data ?? [{ code: 'form1', label: '附件1 已建联合工会基本情况登记表', editable: false }]).map((f) => ({
            value: f.code,
            label: f.label,
          }))}
        />
        <span className="label">截止时间</span>
        <DatePicker
          value={asOf}
          onChange={(d) => d && setAsOf(d)}
          allowClear={false}
          disabledDate={(d) => d.isAfter(dayjs(), 'day')}
          data-testid="form-asof"
        />
        <Typography.Text type="secondary">填报单位：{current?.name ?? '—'}（在左侧组织树中切换）</Typography.Text>
        <div style={{ flex: 1 }} />
        <PrintButton onPrint={print} disabled={!table.data || table.isError} />
        <Button
          type="primary"
          icon={<DownloadOutlined />}
          disabled={!table.data || table.isError}
          href={current ? formsApi.formExportUrl(form, q) : undefined}
          data-testid="form-export"
        >
          导出Excel
        </Button>
      </div>
      {!current ? (
        <Empty description="请先在左侧组织树中选择一个组织" />
      ) : table.isError ? (
        <Alert type="error" showIcon message="无法生成报表" description={errorMessage(table.error)} data-testid="form-error" />
      ) : !table.data ? (
        <Skeleton active paragraph={{ rows: 10 }} />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }}>
          <div className="form-scroll" style={{ opacity: table.isFetching ? 0.6 : 1, transition: 'opacity .2s' }}>
            <FormTableView table={table.data} />
          </div>
          <PrintRoot printing={printing}>
            <FormTableView table={table.data} />
          </PrintRoot>
          <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginTop: 8 }}>
            {form === 'form1'
              ? '数据来源：平台实时统计（状态正常的联合工会委员会、工会联合会，按联合工会类型汇总），可选任一历史截止时间。'
              : form === 'form2'
                ? '数据来源：各镇（街道）在“拟建联合工会”中登记、申报日期不晚于截止时间的拟建联合工会。'
                : '数据来源：平台实时数据。'}
            数字为零的单元格按原表留空。
          </Typography.Paragraph>
        </Space>
      )}
    </div>
  )
}
