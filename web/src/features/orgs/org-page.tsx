import { useEffect, useState } from 'react'
import { Breadcrumb, Button, Card, Col, Result, Row, Skeleton, Space, Statistic, Tabs, Tag, Tooltip, Typography } from 'antd'
import { DeleteOutlined, EditOutlined, PlusOutlined, SwapOutlined, ClusterOutlined, HomeOutlined } from '@ant-design/icons'
import { Link, useNavigate, useParams } from 'react-router-dom'
import type { OrgDetail } from '../../../../common/api'
import { jointCategories, jointScopes, labelOf, orgForms, orgTypes } from '../../../../common/codes'
import { ApiError } from '../../api/client'
import { canWrite, useUser } from '../auth/auth-context'
import { EnterpriseTable } from '../enterprises/enterprise-table'
import { useCurrentOrg } from '../../app/current-org'
import { useOrg } from './hooks'
import { OrgChildrenTable } from './org-children-table'
import { OrgDetails } from './org-details'
import { OrgDissolveModal } from './org-dissolve-modal'
import { OrgFormDrawer, type OrgFormMode } from './org-form-drawer'
import { OrgHistory } from './org-history'
import { isJointForm, OrgStatusTag } from './org-labels'
import { OrgMoveModal } from './org-move-modal'
import { CoverageDrawer } from './coverage-drawer'
import { useTitle } from '../../components/use-title'

export function OrgPage() {
  const id = Number(useParams().id)
  const org = useOrg(Number.isFinite(id) ? id : undefined)
  const { setCurrent } = useCurrentOrg()

  useEffect(() => {
    const o = org.data
    if (o) setCurrent({ id: o.id, name: o.name, regionCode: o.regionCode, ancestorIds: [...o.ancestors.map((a) => a.id), o.id] })
  }, [org.data, setCurrent])

  if (org.isLoading)
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    )
  if (org.error || !org.data) {
    const msg = org.error instanceof ApiError ? org.error.message : '组织不存在或不在您的管辖范围内'
    return <Result status="404" title="无法打开该组织" subTitle={msg} extra={<Link to="/">返回首页</Link>} />
  }
  return <OrgView org={org.data} />
}

function OrgView({ org }: { org: OrgDetail }) {
  useTitle(org.name)
  const user = useUser()
  const navigate = useNavigate()
  const writable = canWrite(user) && org.status !== 'dissolved'
  const joint = isJointForm(org.orgForm)
  const [form, setForm] = useState<OrgFormMode | null>(null)
  const [moving, setMoving] = useState(false)
  const [dissolving, setDissolving] = useState(false)
  const [covering, setCovering] = useState(false)
  const [tab, setTab] = useState('children')

  // open on what the cadre most often looks for: a joint union's enterprises, a leading union's children
  useEffect(
    () => setTab(joint ? 'enterprises' : org.childCount > 0 || org.isRegional ? 'children' : 'info'),
    [org.id, joint, org.childCount, org.isRegional],
  )

  const c = org.counts
  const stats = [
    { key: 'children', title: '下级组织', value: c.children, suffix: '个' },
    { key: 'enterprises', title: joint ? '涵盖企业' : '用人单位', value: joint ? c.coveredEnterprises : c.enterprises, suffix: '家' },
    { key: 'covered', title: '已建会单位', value: c.coveredEnterprises, suffix: '家' },
    { key: 'workers', title: '覆盖职工', value: c.coveredWorkers, suffix: '人' },
    { key: 'due', title: '应建未建', value: c.dueEnterprises, suffix: '家', danger: c.dueEnterprises > 0 },
  ]

  const tabs = [
    { key: 'info', label: '基本信息', children: <OrgDetails org={org} /> },
    {
      key: 'children',
      label: `下级组织（${c.children}）`,
      children: <OrgChildrenTable parentId={org.id} />,
    },
    {
      key: 'enterprises',
      label: joint ? `涵盖企业（${c.coveredEnterprises}）` : '用人单位',
      children: (
        <div data-testid="org-enterprises">
          {joint && writable && (
            <div style={{ marginBottom: 12 }}>
              <Button icon={<ClusterOutlined />} onClick={() => setCovering(true)} data-testid="org-coverage-button">
                调整涵盖企业
              </Button>
            </div>
          )}
          <EnterpriseTable
            key={`${org.id}-${joint}`}
            fixed={joint ? { jointUnion: org.id } : { org: org.id }}
            showFilters={!joint}
            testid="org-enterprise-table"
          />
        </div>
      ),
    },
    { key: 'history', label: '历史', children: <OrgHistory orgId={org.id} /> },
  ]

  return (
    <div className="page" data-testid="org-page">
      <Breadcrumb
        className="page-breadcrumb"
        items={[
          {
            title: (
              <Link to="/">
                <HomeOutlined />
              </Link>
            ),
          },
          ...org.ancestors.map((a) => ({ title: <Link to={`/orgs/${a.id}`}>{a.name}</Link> })),
          { title: org.name },
        ]}
      />
      <Card className="page-head">
        <div className="page-head-row">
          <div style={{ minWidth: 0 }}>
            <Space align="center" wrap size={8}>
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="org-name">
                {org.name}
              </Typography.Title>
              <OrgStatusTag status={org.status} />
              <Tag>{labelOf(orgForms, org.orgForm)}</Tag>
              {org.orgType !== '9' && <Tag>{labelOf(orgTypes, org.orgType)}</Tag>}
              {joint && (
                <Tag color="blue">
                  {labelOf(jointScopes, org.jointScope)} · {labelOf(jointCategories, org.jointCategory)}
                </Tag>
              )}
            </Space>
            <div className="page-sub">
              组织代码{' '}
              <Typography.Text copyable code>
                {org.code}
              </Typography.Text>
              {org.regionName && <span> · 所在政区 {org.regionName}</span>}
              {org.dissolvedOn && <span> · 注销于 {org.dissolvedOn}</span>}
            </div>
          </div>
          {writable && (
            <Space wrap className="page-actions">
              <Button icon={<EditOutlined />} onClick={() => setForm({ kind: 'edit', org })} data-testid="org-edit-button">
                编辑
              </Button>
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setForm({ kind: 'create', parent: org, preset: 'base' })}
                data-testid="org-create-button"
              >
                新建下级组织
              </Button>
              {org.isRegional && (
                <Button
                  icon={<ClusterOutlined />}
                  onClick={() => setForm({ kind: 'create', parent: org, preset: 'joint' })}
                  data-testid="org-create-joint-button"
                >
                  新建联合工会
                </Button>
              )}
              {org.parentId !== null && (
                <Tooltip title={org.isRegional ? '地方总工会随政区调整，一般不移动' : undefined}>
                  <Button icon={<SwapOutlined />} onClick={() => setMoving(true)} data-testid="org-move-button">
                    移动
                  </Button>
                </Tooltip>
              )}
              {org.parentId !== null && (
                <Button danger icon={<DeleteOutlined />} onClick={() => setDissolving(true)} data-testid="org-dissolve-button">
                  注销
                </Button>
              )}
            </Space>
          )}
        </div>
      </Card>

      <Row gutter={[12, 12]} className="stat-row">
        {stats.map((s) => (
          <Col key={s.key} flex="1 1 0" style={{ minWidth: 150 }}>
            <Card
              size="small"
              className={`stat-card${s.key === 'due' ? ' stat-card-link' : ''}`}
              onClick={s.key === 'due' ? () => navigate('/due') : undefined}
              data-testid={`org-stat-${s.key}`}
            >
              <Statistic
                title={s.title}
                value={s.value}
                suffix={s.suffix}
                styles={{ content: { color: s.danger ? '#c8102e' : undefined } }}
              />
            </Card>
          </Col>
        ))}
      </Row>

      <Card size="small" className="section-card">
        <Tabs activeKey={tab} onChange={setTab} items={tabs} destroyOnHidden data-testid="org-tabs" />
      </Card>

      {form && (
        <OrgFormDrawer
          mode={form}
          onClose={() => setForm(null)}
          onSaved={(o) => {
            setForm(null)
            navigate(`/orgs/${o.id}`)
          }}
        />
      )}
      {moving && <OrgMoveModal org={org} onClose={() => setMoving(false)} />}
      {dissolving && <OrgDissolveModal org={org} onClose={() => setDissolving(false)} />}
      {covering && <CoverageDrawer org={org} onClose={() => setCovering(false)} />}
    </div>
  )
}
