import { useEffect, useMemo, useState } from 'react'
import {
  Alert,
  Breadcrumb,
  Button,
  Col,
  ConfigProvider,
  DatePicker,
  Row,
  Segmented,
  Space,
  Tooltip,
  Typography,
  theme as antTheme,
} from 'antd'
import { CompressOutlined, DownloadOutlined, ExpandOutlined, HomeOutlined, ProfileOutlined, ReloadOutlined } from '@ant-design/icons'
import dayjs from 'dayjs'
import { useNavigate, useSearchParams } from 'react-router-dom'
import type { RankingRow } from '../../../../common/stats'
import { ApiError } from '../../api/client'
import { useTitle } from '../../components/use-title'
import { downloadXlsx } from '../../components/xlsx'
import { useCurrentOrg, useRootOrgs } from '../../app/current-org'
import { useDue, useOrgDetail, usePanel, usePeriod, useRanking, useSeries } from './api'
import { dashParamsOf } from './paths'
import { dueSheet, indicatorsSheet, jointSheet, periodSheet, rankingSheet, seriesSheet, type Context } from './exports'
import { today } from './format'
import { KpiCards, UnionRates } from './kpi'
import { ActivityPanel } from './activity-panel'
import { DuePanel, IndicatorTable, JointDrawer, JointPanel, RankingPanel, Section, TrendPanel } from './panels'
import { pickPlan, targetsOf, usePlanProgress, usePlans } from './plan'
import { PlanStrip } from './plan-strip'
import { FormsMenu } from './forms-menu'
import { TodoPanel } from '../todo/todo-panel'
import './dashboard.css'

const num = (s: string | null) => (s && /^\d+$/.test(s) ? Number(s) : undefined)

/**
 * 工作台: the home page of business users. Key figures against their targets, members over
 * time, the ranking of sub-regions, joint unions by type, 应建未建. The URL carries the
 * organization, the date, the hierarchy and the ranking indicator (`?org=&asOf=&h=&ind=`), so a
 * drill-down can be shared and Back goes up again; `&wall=1` is the full-screen wall view.
 */
export function DashboardPage() {
  const [sp, setSp] = useSearchParams()
  const navigate = useNavigate()
  const { params, indicator, seriesFrom } = dashParamsOf(sp)
  const wall = sp.get('wall') === '1'
  const go = (patch: Record<string, string | number | undefined>, replace = false) => {
    const n = new URLSearchParams(sp)
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') n.delete(k)
      else n.set(k, String(v))
    }
    setSp(n, { replace })
  }

  const panel = usePanel(params, wall)
  const orgId = panel.data?.org.id ?? params.org
  const asOf = panel.data?.asOf ?? params.asOf ?? today()
  const ranking = useRanking(params, indicator, wall)
  const series = useSeries(params, seriesFrom, wall)
  const period = usePeriod(params, wall)
  const due = useDue(orgId, wall)
  const detail = useOrgDetail(orgId)
  const roots = useRootOrgs()
  const [jointCategory, setJointCategory] = useState<{ code: string; label: string } | null | undefined>(undefined)

  const orgName = panel.data?.org.name ?? detail.data?.name ?? ''
  useTitle(orgName ? `${orgName} · 工作台` : '工作台')

  // the union tree follows the dashboard (and the 应建未建 page opens on this organization)
  const { setCurrent } = useCurrentOrg()
  useEffect(() => {
    const o = detail.data
    if (o) setCurrent({ id: o.id, name: o.name, regionCode: o.regionCode, ancestorIds: [...o.ancestors.map((a) => a.id), o.id] })
  }, [detail.data, setCurrent])

  // the chain from the top of the caller's jurisdiction down to the organization shown
  const chain = useMemo(() => {
    const o = detail.data
    if (!o) return []
    const all = [...o.ancestors, { id: o.id, name: o.name }]
    const top = roots.data?.items[0]?.id
    const i = top ? all.findIndex((a) => a.id === top) : -1
    return i >= 0 ? all.slice(i) : all.slice(-1)
  }, [detail.data, roots.data])

  const plans = usePlans(orgId)
  const planList = plans.data?.items ?? []
  // a plan set above the caller's jurisdiction (the city's, split down to the towns) counts too
  // (its ids from the path: the names of unions above the jurisdiction are not the caller's to read)
  const lineage = useMemo(() => (detail.data ? detail.data.path.split('/').filter(Boolean).map(Number) : []), [detail.data])
  const plan = pickPlan(planList, asOf, lineage, num(sp.get('plan')))
  const progress = usePlanProgress(plan?.id, orgId, params.asOf)
  const targets = useMemo(() => targetsOf(progress.data), [progress.data])

  const ctx: Context | undefined = panel.data ? { orgName: panel.data.org.name, asOf: panel.data.asOf, hierarchy: params.h } : undefined
  const drill = (r: RankingRow) => go({ org: r.org.id })
  const openDue = () => {
    if (detail.data)
      setCurrent({ id: detail.data.id, name: detail.data.name, regionCode: detail.data.regionCode, ancestorIds: chain.map((c) => c.id) })
    navigate('/due')
  }
  const exportAll = () => {
    if (!ctx || !panel.data) return
    downloadXlsx(`${ctx.orgName}-工作台-${ctx.asOf.replace(/-/g, '')}`, [
      indicatorsSheet(ctx, panel.data),
      ...(ranking.data ? [rankingSheet(ctx, ranking.data)] : []),
      ...(series.data ? [seriesSheet(ctx, series.data)] : []),
      ...(period.data ? [periodSheet(ctx, period.data)] : []),
      jointSheet(ctx, panel.data),
      ...(due.data ? [dueSheet(ctx, due.data)] : []),
    ])
  }
  const toggleWall = () => {
    if (!wall) document.documentElement.requestFullscreen?.().catch(() => undefined)
    else if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined)
    go({ wall: wall ? undefined : '1' }, true)
  }
  useEffect(() => {
    if (!wall) return
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !document.fullscreenElement) go({ wall: undefined }, true)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  })

  const error = panel.error instanceof ApiError ? panel.error.message : panel.error ? '无法读取统计数据' : null
  const isPast = asOf < today()
  const refreshing = panel.isFetching || ranking.isFetching

  const page = (
    <div className={`dash${wall ? ' dash-wall' : ''}`} data-testid="dashboard-page" data-org={orgId ?? ''} data-asof={asOf}>
      {!wall && (
        <Breadcrumb
          className="page-breadcrumb"
          data-testid="dashboard-breadcrumb"
          items={[
            {
              title: (
                <a onClick={() => go({ org: undefined })} data-testid="dashboard-crumb-home">
                  <HomeOutlined /> 工作台
                </a>
              ),
            },
            ...chain.map((c, i) => ({
              title:
                i === chain.length - 1 ? (
                  <span data-testid={`dashboard-crumb-${c.id}`}>{c.name}</span>
                ) : (
                  <a onClick={() => go({ org: c.id })} data-testid={`dashboard-crumb-${c.id}`}>
                    {c.name}
                  </a>
                ),
            })),
          ]}
        />
      )}
      <div className="dash-head">
        <div className="dash-title-block">
          {wall && chain.length > 1 && (
            <div className="wall-crumbs">
              {chain.slice(0, -1).map((c) => (
                <a key={c.id} onClick={() => go({ org: c.id })}>
                  {c.name} ›
                </a>
              ))}
            </div>
          )}
          <Typography.Title level={wall ? 2 : 3} className="dash-title" data-testid="dashboard-title">
            {orgName || '…'}
            <span className="dash-title-suffix">{wall ? '工会组建工作数据看板' : '工作台'}</span>
          </Typography.Title>
          <div className="page-sub">
            截止 {asOf}
            {isPast ? '（历史数据）' : ''} · {params.h === 'industry' ? '产业层级' : '行政区域层级'}
          </div>
        </div>
        <Space wrap className="dash-controls">
          <DatePicker
            allowClear={false}
            value={dayjs(asOf)}
            format="YYYY-MM-DD"
            data-testid="dashboard-asof"
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            prefix={<span className="muted">截止日期</span>}
            onChange={(d) => go({ asOf: d && d.format('YYYY-MM-DD') !== today() ? d.format('YYYY-MM-DD') : undefined })}
          />
          <Segmented
            value={params.h}
            data-testid="dashboard-hierarchy"
            onChange={(v) => go({ h: v === 'industry' ? 'industry' : undefined })}
            options={[
              { value: 'geo', label: '行政区域' },
              { value: 'industry', label: '产业' },
            ]}
          />
          <Tooltip title="刷新">
            <Button
              icon={<ReloadOutlined spin={refreshing} />}
              onClick={() => {
                void panel.refetch()
                void ranking.refetch()
                void series.refetch()
                void period.refetch()
                void due.refetch()
              }}
            />
          </Tooltip>
          {!wall && orgId && (
            <Tooltip title="组织详情">
              <Button icon={<ProfileOutlined />} onClick={() => navigate(`/orgs/${orgId}`)} data-testid="dashboard-org-link" />
            </Tooltip>
          )}
          <FormsMenu org={orgId} asOf={params.asOf} />
          <Button icon={<DownloadOutlined />} onClick={exportAll} disabled={!panel.data} data-testid="dashboard-export-all">
            导出全部
          </Button>
          <Button
            type={wall ? 'default' : 'primary'}
            icon={wall ? <CompressOutlined /> : <ExpandOutlined />}
            onClick={toggleWall}
            data-testid="dashboard-wall"
          >
            {wall ? '退出大屏' : '大屏'}
          </Button>
        </Space>
      </div>

      {error && (
        <Alert
          type="error"
          showIcon
          className="dash-row"
          data-testid="dashboard-error"
          title="无法显示该日期或组织的统计"
          description={error}
        />
      )}

      <PlanStrip plans={planList} plan={plan} progress={progress.data} onChoose={(id) => go({ plan: id }, true)} />

      {/* 待办 of the caller's own union, on their own dashboard (not on a drill-down or the wall screen) */}
      {!wall && (!params.org || params.org === roots.data?.items[0]?.id) && (
        <div className="dash-row">
          <TodoPanel compact />
        </div>
      )}

      <KpiCards panel={panel.data} due={due.data} targets={targets} onDue={openDue} />

      {(() => {
        const rates = (
          <Section
            testid="dashboard-rates"
            title={
              <span>
                建会率（按单位类别）{' '}
                <Typography.Text type="secondary" className="card-sub">
                  已建会 / 应建会
                </Typography.Text>
              </span>
            }
          >
            <UnionRates panel={panel.data} targets={targets} />
          </Section>
        )
        const trend = <TrendPanel series={series.data} period={period.data} ctx={ctx} dark={wall} />
        const rank = (
          <RankingPanel
            ranking={ranking.data}
            panel={panel.data}
            indicator={indicator}
            onIndicator={(k) => go({ ind: k === 'member_rate' ? undefined : k }, true)}
            onDrill={drill}
            ctx={ctx}
            dark={wall}
            targets={targets}
            loading={ranking.isFetching && ranking.isPlaceholderData}
            compact={wall}
          />
        )
        const joint = <JointPanel panel={panel.data} ctx={ctx} dark={wall} onOpen={setJointCategory} />
        const duePanel = <DuePanel due={due.data} ctx={ctx} dark={wall} onOpen={openDue} past={isPast} />
        // the wall screen fits one 1080p screen: three columns, no detail table
        if (wall) {
          return (
            <>
              <Row gutter={[12, 12]} className="dash-row">
                <Col xs={24} xl={7}>
                  {rates}
                </Col>
                <Col xs={24} xl={11}>
                  {trend}
                </Col>
                <Col xs={24} xl={6}>
                  {duePanel}
                </Col>
              </Row>
              <Row gutter={[12, 12]} className="dash-row">
                <Col xs={24} xl={15}>
                  {rank}
                </Col>
                <Col xs={24} xl={9}>
                  {joint}
                </Col>
              </Row>
            </>
          )
        }
        return (
          <>
            <Row gutter={[12, 12]} className="dash-row">
              <Col xs={24} xl={9}>
                {rates}
              </Col>
              <Col xs={24} xl={15}>
                {trend}
              </Col>
            </Row>
            <Row gutter={[12, 12]} className="dash-row">
              <Col xs={24}>
                <ActivityPanel panel={panel.data} dark={wall} />
              </Col>
            </Row>
            <Row gutter={[12, 12]} className="dash-row">
              <Col xs={24} xl={14}>
                {rank}
              </Col>
              <Col xs={24} xl={10}>
                {joint}
              </Col>
            </Row>
            <Row gutter={[12, 12]} className="dash-row">
              <Col xs={24} xl={9}>
                {duePanel}
              </Col>
              <Col xs={24} xl={15}>
                <IndicatorTable panel={panel.data} ctx={ctx} />
              </Col>
            </Row>
          </>
        )
      })()}

      <JointDrawer org={orgId} h={params.h} category={jointCategory} ctx={ctx} onClose={() => setJointCategory(undefined)} />
    </div>
  )

  if (!wall) return page
  return (
    <ConfigProvider
      theme={{
        algorithm: antTheme.darkAlgorithm,
        token: {
          colorPrimary: '#e8384f',
          colorLink: '#6cb8ff',
          colorInfo: '#3fa7ff',
          colorBgLayout: '#0a1a36',
          colorBgContainer: '#0f2140',
          colorBgElevated: '#16305a',
          colorBorderSecondary: '#1d3a66',
          colorText: '#d6e2f5',
        },
      }}
    >
      {page}
    </ConfigProvider>
  )
}
