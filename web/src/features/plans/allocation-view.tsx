import { useEffect, useMemo, useState } from 'react'
import { Alert, Button, Card, Empty, Input, InputNumber, Skeleton, Space, Table, Tooltip, Typography } from 'antd'
import { CalculatorOutlined, RollbackOutlined, SaveOutlined, WarningOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { targetDef, type AllocationRowView, type PlanDetail } from '../../../../common/plans'
import { feedback } from '../../components/feedback'
import { errorMessage } from '../../components/form-errors'
import { plansApi } from './api'
import { num } from './shared'
import { splitEvenly } from '../../../../common/split'
import { AutoSplitModal } from './auto-split-modal'

type Draft = Record<number, { values: Record<string, number | null>; note: string | null }>

/**
 * 目标分解: a union's share of the count targets split among its sub-regions, with the running
 * sum of each column against the share; saving is refused by the server unless each adds up.
 */
export function AllocationView({ plan, org, onOrg }: { plan: PlanDetail; org?: number; onOrg: (id?: number) => void }) {
  const qc = useQueryClient()
  const level = useQuery({ queryKey: ['plan-alloc', plan.id, org ?? null], queryFn: () => plansApi.allocations(plan.id, org) })
  const [draft, setDraft] = useState<Draft>({})
  const [autoSplit, setAutoSplit] = useState(false)
  const counts = plan.targets.filter((t) => t.kind === 'count')
  const l = level.data

  useEffect(() => {
    if (!l) return
    setDraft(Object.fromEntries(l.rows.map((r) => [r.org.id, { values: { ...r.values }, note: r.note }])))
  }, [l])

  const sums = useMemo(
    () => Object.fromEntries(counts.map((t) => [t.key, Object.values(draft).reduce((s, d) => s + (d.values[t.key] ?? 0), 0)])),
    [draft, counts],
  )
  const split = (key: string) => Object.values(draft).some((d) => d.values[key] !== null && d.values[key] !== undefined)
  const problems = l
    ? counts
        .filter((t) => split(t.key) && sums[t.key] !== l.totals[t.key])
        .map((t) => {
          const total = l.totals[t.key]
          return total === null || total === undefined
            ? `${targetDef(t.key)!.short}：上级尚未分解给本单位`
            : `${targetDef(t.key)!.short}：合计 ${num(sums[t.key])}，应为 ${num(total)}（${sums[t.key]! > total ? '多' : '少'} ${num(Math.abs(sums[t.key]! - total))}）`
        })
    : []

  const save = useMutation({
    mutationFn: () =>
      plansApi.saveAllocations(plan.id, {
        parentOrgId: l!.parent.id,
        rows: l!.rows
          .map((r) => ({ orgId: r.org.id, values: draft[r.org.id]?.values ?? {}, note: draft[r.org.id]?.note || null }))
          .filter((r) => Object.values(r.values).some((v) => v !== null && v !== undefined) || r.note),
      }),
    onSuccess: () => {
      feedback.message.success('分解已保存')
      qc.invalidateQueries({ queryKey: ['plan-alloc', plan.id] })
      qc.invalidateQueries({ queryKey: ['plan-progress', plan.id] })
    },
    onError: (e) => feedback.message.error(errorMessage(e)),
  })

  if (level.isError) return <Alert type="error" showIcon message={errorMessage(level.error)} />
  if (!l)
    return (
      <Card>
        <Skeleton active />
      </Card>
    )
  if (counts.length === 0)
    return (
      <Card>
        <Empty description="本计划没有数量目标，比率目标对各地区均适用，无需分解" />
      </Card>
    )

  const setValue = (id: number, key: string, v: number | null) =>
    setDraft((d) => ({ ...d, [id]: { note: d[id]?.note ?? null, values: { ...(d[id]?.values ?? {}), [key]: v } } }))
  const setNote = (id: number, note: string) => setDraft((d) => ({ ...d, [id]: { values: d[id]?.values ?? {}, note } }))
  const fillEven = (key: string) => {
    const total = l.totals[key]
    if (!total || l.rows.length === 0) return
    const shares = splitEvenly(total, l.rows.length)
    fill(Object.fromEntries(l.rows.map((r, i) => [r.org.id, { [key]: shares[i]! }])))
  }
  /** puts split values into the table (per organization, per target), keeping the rest */
  const fill = (values: Record<number, Record<string, number>>) =>
    setDraft((d) => {
      const next = { ...d }
      for (const [id, v] of Object.entries(values))
        next[Number(id)] = { note: d[Number(id)]?.note ?? null, values: { ...(d[Number(id)]?.values ?? {}), ...v } }
      return next
    })

  return (
    <Card
      size="small"
      className="section-card"
      data-testid="plan-allocation"
      title={
        <Space>
          {`${l.parent.name}的目标分解`}
          {org && org !== plan.org.id && (
            <Button size="small" icon={<RollbackOutlined />} onClick={() => onOrg(undefined)}>
              返回上一级
            </Button>
          )}
        </Space>
      }
      extra={
        l.editable && (
          <Space>
            <Button
              icon={<CalculatorOutlined />}
              disabled={l.rows.length === 0}
              onClick={() => setAutoSplit(true)}
              data-testid="auto-split"
            >
              自动分解
            </Button>
            <Button
              type="primary"
              icon={<SaveOutlined />}
              disabled={problems.length > 0}
              loading={save.isPending}
              onClick={() => save.mutate()}
              data-testid="alloc-save"
            >
              保存分解
            </Button>
          </Space>
        )
      }
    >
      {autoSplit && (
        <AutoSplitModal
          level={l}
          targets={counts}
          onClose={() => setAutoSplit(false)}
          onApply={(values) => {
            fill(values)
            setAutoSplit(false)
            feedback.message.info('已填入分解表，核对后请点击「保存分解」')
          }}
        />
      )}
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">
          本单位目标：
          {counts
            .map(
              (t) =>
                `${t.label} ${l.totals[t.key] === null || l.totals[t.key] === undefined ? '（上级未分解）' : `${num(l.totals[t.key])} ${t.unit}`}`,
            )
            .join('；')}
          。 各列合计须等于本单位目标；整列留空表示该目标暂不分解。{!l.editable && '您只能查看本级分解。'}
        </Typography.Text>
        {problems.length > 0 && (
          <Alert
            type="error"
            showIcon
            message="分解合计与目标不一致，不能保存"
            description={problems.join('；')}
            data-testid="alloc-problems"
          />
        )}
        <Table<AllocationRowView>
          rowKey={(r) => r.org.id}
          size="small"
          pagination={false}
          dataSource={l.rows}
          locale={{ emptyText: <Empty description="没有下级单位可分解" /> }}
          columns={[
            {
              title: '名称',
              width: 220,
              render: (_, r) => (
                <Space size={4}>
                  <Typography.Link onClick={() => onOrg(r.org.id)}>{r.org.name}</Typography.Link>
                  {r.childMismatch.length > 0 && (
                    <Tooltip title={`下级分解合计与该单位目标不一致：${r.childMismatch.join('、')}，需重新分解`}>
                      <WarningOutlined style={{ color: '#fa8c16' }} />
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            ...counts.map((t) => ({
              title: (
                <Space size={4}>
                  {targetDef(t.key)!.short}
                  {l.editable && (
                    <Typography.Link style={{ fontSize: 12 }} onClick={() => fillEven(t.key)}>
                      平均分配
                    </Typography.Link>
                  )}
                </Space>
              ),
              key: t.key,
              width: 170,
              render: (_: unknown, r: AllocationRowView) =>
                l.editable ? (
                  <InputNumber
                    min={0}
                    precision={0}
                    style={{ width: 140 }}
                    value={draft[r.org.id]?.values[t.key] ?? null}
                    suffix={t.unit}
                    onChange={(v) => setValue(r.org.id, t.key, v === null ? null : Number(v))}
                    data-testid={`alloc-${t.key}`}
                  />
                ) : (
                  num(draft[r.org.id]?.values[t.key] ?? null)
                ),
            })),
            {
              title: '备注',
              render: (_, r) =>
                l.editable ? (
                  <Input maxLength={200} value={draft[r.org.id]?.note ?? ''} onChange={(e) => setNote(r.org.id, e.target.value)} />
                ) : (
                  draft[r.org.id]?.note
                ),
            },
          ]}
          summary={() => (
            <Table.Summary.Row style={{ background: '#fafafa', fontWeight: 600 }}>
              <Table.Summary.Cell index={0}>合　　计</Table.Summary.Cell>
              {counts.map((t, i) => {
                const total = l.totals[t.key]
                const bad = split(t.key) && sums[t.key] !== total
                return (
                  <Table.Summary.Cell key={t.key} index={i + 1}>
                    <span style={{ color: bad ? '#c8102e' : split(t.key) ? '#389e0d' : undefined }} data-testid={`alloc-sum-${t.key}`}>
                      {num(sums[t.key])} / {num(total)}
                    </span>
                  </Table.Summary.Cell>
                )
              })}
              <Table.Summary.Cell index={counts.length + 1} />
            </Table.Summary.Row>
          )}
        />
      </Space>
    </Card>
  )
}
