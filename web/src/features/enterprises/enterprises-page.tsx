import { useState } from 'react'
import { Button, Card, Space } from 'antd'
import { CloudUploadOutlined, DownloadOutlined, PlusOutlined } from '@ant-design/icons'
import { Link } from 'react-router-dom'
import type { EnterpriseView } from '../../../../common/api'
import { api } from '../../api/client'
import { canWrite, useUser } from '../auth/auth-context'
import { useCurrentOrg } from '../../app/current-org'
import { EnterpriseFormDrawer } from './enterprise-form-drawer'
import { EnterpriseTable } from './enterprise-table'
import { useScopeRegion } from './hooks'
import { ScopeSwitch } from './scope-switch'
import { useTitle } from '../../components/use-title'
import { PageHead } from '../../components/page-head'

export function EnterprisesPage() {
  useTitle('用人单位')
  const user = useUser()
  const { current } = useCurrentOrg()
  const [scope, setScope] = useState<'org' | 'all'>('org')
  const [editing, setEditing] = useState<EnterpriseView | 'new' | null>(null)
  const region = useScopeRegion()
  const writable = canWrite(user)
  const org = scope === 'org' && current ? current.id : undefined

  return (
    <div className="page" data-testid="enterprises-page">
      <PageHead
        title="用人单位名录"
        sub="统一社会信用代码为唯一标识；建会情况分单独建会、联合建会、未建会"
        extra={
          <Space wrap>
            <ScopeSwitch current={current} value={scope} onChange={setScope} />
            {writable && (
              <Link to="/enterprises/import">
                <Button icon={<CloudUploadOutlined />} data-testid="enterprise-import-button">
                  批量导入
                </Button>
              </Link>
            )}
            {writable && (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setEditing('new')}
                disabled={!region}
                data-testid="enterprise-create-button"
              >
                登记单位
              </Button>
            )}
          </Space>
        }
      />
      <Card size="small" className="section-card">
        <EnterpriseTable
          key={org ?? 'all'}
          fixed={{ org }}
          onEdit={writable ? (e) => setEditing(e) : undefined}
          toolbar={(q) => (
            <Button icon={<DownloadOutlined />} href={api.enterpriseExportUrl(q)} data-testid="enterprise-export">
              导出Excel
            </Button>
          )}
        />
      </Card>
      {editing && region && (
        <EnterpriseFormDrawer
          enterprise={editing === 'new' ? undefined : editing}
          regionRoot={region}
          defaultRegion={current?.regionCode}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  )
}
