import { useMemo, useState } from 'react'
import { Alert, Checkbox, Modal, Radio, Space, Table, Typography } from 'antd'
import type { ButtonProps } from 'antd'
import { splitBases, splitByWeights, type SplitBasis } from '../../../../common/split'
import { targetDef, type AllocationLevel, type PlanTargetView } from '../../../../common/plans'
import { num, pct } from './shared'

const basisUnit: Record<Exclude<SplitBasis, 'even'>, string> = { due: '家', workers: '人', members: '人' }

/**
 * 自动分解: the share of each chosen count target split among the sub-regions, evenly or in
 * proportion to their 应建未建 units, workers or members; the remainder of the rounding goes to the
 * largest fractional parts (common/split.ts) so each column adds up to the share. A preview first;
 * 应用 fills the table, which the user then saves.
 */
export function AutoSplitModal({
  level,
  targets,
  onApply,
  onClose,
}: {
  level: AllocationLevel
  targets: PlanTargetView[]
  onApply: (values: Record<number, Record<string, number>>) => void
  onClose: () => void
}) {
  const splittable = targets.filter((t) => typeof level.totals[t.key] === 'number')
  const [basis, setBasis] = useState<SplitBasis>('due')
  const [keys, setKeys] = useState<string[]>(splittable.map((t) => t.key))
  const weights = level.rows.map((r) => (basis === 'even' ? 1 : r.basis[basis]))
  const preview = useMemo(() => {
    const out: Record<string, number[]> = {}
    let fell = false
    for (const k of keys) {
      const r = splitByWeights(level.totals[k]!, weights)
      out[k] = r.shares
      fell ||= r.fellBackToEven
    }
    return { shares: out, fell }
  }, [keys, level, weights])
  const chosen = splittable.filter((t) => keys.includes(t.key))
  const weightSum = weights.reduce((s, w) => s + w, 0)

  const apply = () => {
    const values: Record<number, Record<string, number>> = {}
    level.rows.forEach((r, i) => {
      values[r.org.id] = Object.fromEntries(chosen.map((t) => [t.key, preview.shares[t.key]![i]!]))
    })
    onApply(values)
  }

  return (
    <Modal
      open
      width={Math.min(1100, 460 + chosen.length * 130)}
      title="自动分解"
      okText="应用到分解表"
      cancelText="取消"
      okButtonProps={{ disabled: chosen.length === 0 || level.rows.length === 0, 'data-testid': 'auto-split-apply' } as ButtonProps}
      onOk={apply}
      onCancel={onClose}
    >
      <Space direction="vertical" style={{ width: '100%' }} size={12} data-testid="auto-split-modal">
        <div>
          <Typography.Text strong>分解依据</Typography.Text>
          <Radio.Group
            value={basis}
            onChange={(e) => setBasis(e.target.value)}
            style={{ display: 'block', marginTop: 6 }}
            data-testid="auto-split-basis"
          >
            {splitBases.map((b) => (
              <Radio key={b.value} value={b.value} data-testid={`auto-split-basis-${b.value}`}>
                {b.label}
                <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 4 }}>
                  {b.hint}
                </Typography.Text>
              </Radio>
            ))}
          </Radio.Group>
        </div>
        <div>
          <Typography.Text strong>分解的目标</Typography.Text>
          <Checkbox.Group
            value={keys}
            onChange={(v) => setKeys(v as string[])}
            style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginTop: 6 }}
            options={splittable.map((t) => ({
              value: t.key,
              label: `${targetDef(t.key)!.short}（${num(level.totals[t.key]!)} ${t.unit}）`,
            }))}
          />
          {splittable.length < targets.length && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              上级尚未分解给本单位的目标不能自动分解。
            </Typography.Text>
          )}
        </div>
        {preview.fell && <Alert type="warning" showIcon message="各单位的分解依据均为 0，已改为平均分配" data-testid="auto-split-even" />}
        <Table
          size="small"
          pagination={false}
          rowKey={(r) => r.org.id}
          dataSource={level.rows}
          scroll={{ y: Math.max(180, Math.min(360, window.innerHeight - 470)) }}
          data-testid="auto-split-preview"
          columns={[
            { title: '单位', render: (_, r) => r.org.name, width: 200 },
            ...(basis === 'even'
              ? []
              : [
                  {
                    title: splitBases.find((b) => b.value === basis)!.label.replace('按', ''),
                    width: 140,
                    align: 'right' as const,
                    render: (_: unknown, r: (typeof level.rows)[number]) => (
                      <span>
                        {num(r.basis[basis])} {basisUnit[basis]}
                        <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 4 }}>
                          {weightSum > 0 ? pct(r.basis[basis] / weightSum) : ''}
                        </Typography.Text>
                      </span>
                    ),
                  },
                ]),
            ...chosen.map((t) => ({
              title: targetDef(t.key)!.short,
              key: t.key,
              width: 130,
              align: 'right' as const,
              render: (_: unknown, _r: unknown, i: number) => (
                <span data-testid={`auto-split-${t.key}`}>{num(preview.shares[t.key]![i]!)}</span>
              ),
            })),
          ]}
          summary={() => (
            <Table.Summary fixed>
              <Table.Summary.Row style={{ fontWeight: 600, background: '#fafafa' }}>
                <Table.Summary.Cell index={0}>合　　计</Table.Summary.Cell>
                {basis !== 'even' && (
                  <Table.Summary.Cell index={1} align="right">
                    {num(weightSum)} {basisUnit[basis]}
                  </Table.Summary.Cell>
                )}
                {chosen.map((t, i) => (
                  <Table.Summary.Cell key={t.key} index={i + 2} align="right">
                    <span data-testid={`auto-split-sum-${t.key}`}>{num(preview.shares[t.key]!.reduce((s, x) => s + x, 0))}</span>
                  </Table.Summary.Cell>
                ))}
              </Table.Summary.Row>
            </Table.Summary>
          )}
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          按比例计算后取整，取整余下的数量依次分给小数部分最大的单位（最大余数法），各列合计与本单位目标一致。应用后可在分解表中逐项调整，确认无误后点击「保存分解」。
        </Typography.Text>
      </Space>
    </Modal>
  )
}
