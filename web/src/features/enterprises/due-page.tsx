import { useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import { Button, Card, Col, Row, Skeleton, Space, Statistic } from 'antd'
import { DownloadOutlined } from '@ant-design/icons'
import type { EnterpriseView } from '../../../../common/api'
import { api } from '../../api/client'
import { BarChart } from '../../components/bar-chart'
import { PageHead } from '../../components/page-head'
import { canWrite, useUser } from '../auth/auth-context'
import { useCurrentOrg } from '../../app/current-org'
import { EnterpriseFormDrawer } from './enterprise-form-drawer'
import { EnterpriseTable } from './enterprise-table'
import { useDueSummary, useScopeRegion } from './hooks'
import { ScopeSwitch } from './scope-switch'
import { useTitle } from '../../components/use-title'

/** 应建未建: the work list of every town, the enterprises that should have a union and don't. */
export function DuePage() {
  useTitle('应建未建')
  const user = useUser()
  const { current } = useCurrentOrg()
  const [scope, setScope] = useState<'org' | 'all'>('org')
  const [editing, setEditing] = useState<EnterpriseView | null>(null)
  const region = useScopeRegion()
  const org = scope === 'org' && current ? current.id : undefined
  const summary = useDueSummary(org)
  const s = summary.data
  const towns = useQuery({ queryKey: ['due-by-town', org], queryFn: () => api.dueByTown(org) })
  const byTown = towns.data?.byTown ?? []

  return (
    <div className="page" data-testid="due-page">
      <PageHead
        title="应建未建清单"
        sub="按本地区规则：满规定人数、开业满期限、大企业及园区企业应建会；25人以上应单独建会"
        extra={<ScopeSwitch current={current} value={scope} onChange={setScope} />}
      />

      <Row gutter={12} className="stat-row">
        <Col span={10}>
          <Row gutter={[12, 12]}>
            <Col span={24}>
              <Card size="small" className="stat-card" data-testid="due-total">
                {s ? (
                  <Statistic title="应建未建单位" value={s.total} suffix="家" styles={{ content: { color: '#c8102e' } }} />
                ) : (
                  <Skeleton active paragraph={false} />
                )}
              </Card>
            </Col>
            <Col span={12}>
              <Card size="small" className="stat-card" data-testid="due-none">
                {s ? <Statistic title="尚未建会" value={s.none} suffix="家" /> : <Skeleton active paragraph={false} />}
              </Card>
            </Col>
            <Col span={12}>
              <Card size="small" className="stat-card" data-testid="due-joint">
                {s ? <Statistic title="已联合建会、应单独建会" value={s.joint} suffix="家" /> : <Skeleton active paragraph={false} />}
              </Card>
            </Col>
          </Row>
        </Col>
        <Col span={14}>
          <Card size="small" title="按职工人数" className="stat-card" styles={{ body: { padding: '4px 12px' } }}>
            {s ? <BarChart data={s.bands.map((b) => ({ label: b.label, value: b.count }))} height={150} unit="家" /> : <Skeleton active />}
          </Card>
        </Col>
      </Row>

      {byTown.length > 1 && (
        <Card
          size="small"
          title="按乡镇（街道）"
          className="section-card"
          styles={{ body: { padding: '4px 12px' } }}
          data-testid="due-by-town"
        >
          <BarChart data={byTown.map((t) => ({ label: t.label, value: t.count }))} height={180} unit="家" />
        </Card>
      )}

      <Card size="small" className="section-card">
        <EnterpriseTable
          key={org ?? 'all'}
          fixed={{ org, shouldHaveUnion: true }}
          showReasons
          testid="due-table"
          rowTestid="due-row"
          onEdit={canWrite(user) ? setEditing : undefined}
          toolbar={(q) => (
            <Space>
              <Button type="primary" ghost icon={<DownloadOutlined />} href={api.enterpriseExportUrl(q)} data-testid="due-export">
                导出Excel
              </Button>
            </Space>
          )}
        />
      </Card>
      {editing && region && <EnterpriseFormDrawer enterprise={editing} regionRoot={region} onClose={() => setEditing(null)} />}
    </div>
  )
}
