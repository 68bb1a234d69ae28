import { useEffect, useState } from 'react'
import { Alert, Button, Card, Col, Descriptions, Form, InputNumber, Row, Select, Skeleton, Tag } from 'antd'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { dueReasonLabel, ruleBody, type RuleValues } from '../../../../common/api'
import { api } from '../../api/client'
import { feedback } from '../../components/feedback'
import { PageHead } from '../../components/page-head'
import { useSaving } from '../../components/use-save'
import { useTitle } from '../../components/use-title'

const CITY = '330683'

/** The numbers of the rules, in the form's order; their limits are the shared schema's (ruleBody). */
const ruleFields: { name: keyof RuleValues; label: string; suffix: string }[] = [
  { name: 'ownUnionMinEmployees', label: '单独建会人数标准（人及以上应单独建立工会委员会）', suffix: '人' },
  { name: 'graceMonths', label: '开业后建会期限', suffix: '个月' },
  { name: 'largeMinEmployees', label: '大企业人数标准（应建会）', suffix: '人' },
  { name: 'zoneMinEmployees', label: '开发区（园区）企业人数标准（应建会）', suffix: '人' },
]

/** 规则设置 (系统管理员): the 应建未建 thresholds of a city or town; a town without its own rule inherits the city's. */
export function RulesPage() {
  useTitle('规则设置')
  const [region, setRegion] = useState(CITY)
  const towns = useQuery({ queryKey: ['regions', CITY], queryFn: () => api.regions(CITY) })
  const rule = useQuery({ queryKey: ['rule', region], queryFn: () => api.rule(region) })
  const [form] = Form.useForm<RuleValues>()
  const { saving, run } = useSaving(form)
  const qc = useQueryClient()
  const values = Form.useWatch([], form) as RuleValues | undefined

  useEffect(() => {
    if (rule.data) form.setFieldsValue(rule.data.rule)
  }, [rule.data, form])

  const handleFinish = async (v: RuleValues) => {
    await run(async () => {
      await api.saveRule(region, v)
      feedback.message.success('规则已保存，应建未建清单按新规则计算')
      void qc.invalidateQueries({ queryKey: ['rule'] })
    })
  }

  const regionOptions = [{ value: CITY, label: '嵊州市（全市默认）' }, ...(towns.data ?? []).map((t) => ({ value: t.code, label: t.name }))]
  const preview = values && Object.values(values).every((x) => typeof x === 'number') ? values : rule.data?.rule

  return (
    <div className="page" data-testid="rules-page">
      <PageHead title="规则设置" sub="应建未建的判定标准：各地可按本地文件调整，乡镇（街道）未单独设置时沿用全市规则" />
      <Row gutter={12}>
        <Col span={14}>
          <Card size="small" className="section-card" title="判定标准">
            <Form layout="vertical" style={{ maxWidth: 520 }}>
              <Form.Item label="适用政区">
                <Select
                  value={region}
                  onChange={setRegion}
                  options={regionOptions}
                  showSearch={{ optionFilterProp: 'label' }}
                  loading={towns.isLoading}
                  data-testid="rules-region"
                />
              </Form.Item>
            </Form>
            {rule.isLoading ? (
              <Skeleton active />
            ) : (
              <>
                {rule.data && (
                  <Alert
                    type={rule.data.own ? 'success' : 'info'}
                    showIcon
                    style={{ marginBottom: 16, maxWidth: 520 }}
                    title={rule.data.own ? '该政区已单独设置规则' : '该政区尚未单独设置，下列为沿用的规则；保存即为本政区单独设置'}
                  />
                )}
                <Form form={form} layout="vertical" onFinish={handleFinish} style={{ maxWidth: 520 }}>
                  {ruleFields.map(({ name, label, suffix }) => (
                    <Form.Item key={name} name={name} label={label} rules={[{ required: true, message: '请填写' }]}>
                      <InputNumber
                        min={ruleBody.shape[name].minValue ?? undefined}
                        max={ruleBody.shape[name].maxValue ?? undefined}
                        precision={0}
                        suffix={suffix}
                        style={{ width: 200 }}
                        data-testid={`rules-${name}`}
                      />
                    </Form.Item>
                  ))}
                  <Button type="primary" htmlType="submit" loading={saving} data-testid="rules-submit">
                    保存
                  </Button>
                </Form>
              </>
            )}
          </Card>
        </Col>
        <Col span={10}>
          <Card size="small" className="section-card" title="清单上显示的原因">
            {preview ? (
              <Descriptions
                column={1}
                size="small"
                items={Object.entries(reasonKinds).map(([code, kind]) => ({
                  key: code,
                  label: kind,
                  children: <Tag color="red">{dueReasonLabel(code, preview)}</Tag>,
                }))}
              />
            ) : (
              <Skeleton active />
            )}
          </Card>
        </Col>
      </Row>
    </div>
  )
}

/** What each reason on the 应建未建 list is about, beside the text the list shows. */
const reasonKinds: Record<string, string> = {
  over_threshold: '达到建会人数而未建会',
  own_union_required: '在联合工会中但应单独建会',
  large: '大型企业',
  zone: '开发区（园区）企业',
  grace_expired: '成立已满宽限期',
}
