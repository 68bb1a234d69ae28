import { Button, Dropdown } from 'antd'
import { FileExcelOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { get, toQueryString } from '../../api/client'

interface FormInfo {
  code: string
  label: string
  editable: boolean
}

/** 报表: the official forms (附件1 …) of the organization shown, on the dashboard's date, as xlsx (the forms module's export). */
export function FormsMenu({ org, asOf }: { org?: number; asOf?: string }) {
  const forms = useQuery({ queryKey: ['dash', 'forms'], queryFn: () => get<FormInfo[]>('/forms'), staleTime: 300_000, retry: false })
  if (!forms.data?.length || !org) return null
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: forms.data.map((f) => ({
          key: f.code,
          label: (
            <a href={`/api/forms/${f.code}/export${toQueryString({ org, asOf })}`} data-testid={`dashboard-form-export-${f.code}`} download>
              {f.label}
            </a>
          ),
        })),
      }}
    >
      <Button icon={<FileExcelOutlined />} data-testid="dashboard-forms">
        报表
      </Button>
    </Dropdown>
  )
}
