import type { z } from 'zod'
import { useEffect, useMemo } from 'react'
import { Alert, Button, Card, Col, DatePicker, Form, Input, InputNumber, Row, Select, Skeleton, Space, Typography } from 'antd'
import { ArrowLeftOutlined, DeleteOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import dayjs, { type Dayjs } from 'dayjs'
import { useNavigate, useParams } from 'react-router-dom'
import { planUpdateBody, targetDef, targetDefs } from '../../../../common/plans'
import { withFieldLabel } from '../../../../common/labels'
import { ApiError } from '../../api/client'
import { feedback } from '../../components/feedback'
import { errorMessage } from '../../components/form-errors'
import { useTitle } from '../../components/use-title'
import { useCurrentOrg } from '../../app/current-org'
import { plansApi } from './api'
import { namePath } from './shared'

interface Values {
  name: string
  docNo?: string
  period: [Dayjs, Dayjs]
  note?: string
  targets: { key?: string; value?: number; note?: string }[]
  milestones: { dueOn?: Dayjs; share?: number; label?: string }[]
}

const HANGZHOU: { key: string; value: number }[] = [
  { key: 'union_rate.np25', value: 100 },
  { key: 'union_rate.npsmall', value: 80 },
  { key: 'union_rate.public', value: 95 },
  { key: 'member_rate.public', value: 95 },
  { key: 'union_rate.abovescale', value: 85 },
  { key: 'member_rate.abovescale', value: 85 },
  { key: 'union_rate.social', value: 85 },
  { key: 'member_rate.social', value: 85 },
  { key: 'ne_rate', value: 60 },
  { key: 'ne_rate.truck_driver', value: 80 },
  { key: 'ne_rate.courier', value: 80 },
  { key: 'ne_rate.ride_hailing', value: 50 },
  { key: 'ne_rate.food_delivery', value: 50 },
  { key: 'realname_rate', value: 90 },
  { key: 'growth.members.ne', value: 15 },
]

const targetOptions = [
  {
    label: '数量目标（计划期内新增，可分解到下级）',
    options: targetDefs.filter((t) => t.kind === 'count').map((t) => ({ value: t.key, label: t.label })),
  },
  {
    label: '比率目标（各地区均适用）',
    options: targetDefs.filter((t) => t.kind === 'rate').map((t) => ({ value: t.key, label: t.label })),
  },
]

/** New plan, or edit one: period, targets and yearly milestones. The same checks as the server, before sending. */
export function PlanEditor() {
  const { id } = useParams()
  const planId = id ? Number(id) : null
  useTitle(planId ? '编辑计划' : '新建计划')
  const navigate = useNavigate()
  const qc = useQueryClient()
  const { current } = useCurrentOrg()
  const [form] = Form.useForm<Values>()
  const plan = useQuery({ queryKey: ['plan', planId], queryFn: () => plansApi.get(planId!), enabled: planId !== null })

  useEffect(() => {
    const p = plan.data
    if (!p) return
    form.setFieldsValue({
      name: p.name,
      docNo: p.docNo ?? undefined,
      period: [dayjs(p.startOn), dayjs(p.endOn)],
      note: p.note ?? undefined,
      targets: p.targets.map((t) => ({ key: t.key, value: t.value, note: t.note ?? undefined })),
      milestones: p.milestones.map((m) => ({ dueOn: dayjs(m.dueOn), share: m.share, label: m.label ?? undefined })),
    })
  }, [plan.data, form])

  const initial = useMemo<Partial<Values>>(() => {
    const y = new Date().getFullYear()
    return {
      period: [dayjs(`${y}-01-01`), dayjs(`${y + 2}-12-31`)],
      targets: [{ key: 'new.unions' }, { key: 'new.members' }],
      milestones: [0, 1, 2].map((i) => ({ dueOn: dayjs(`${y + i}-12-31`), share: [30, 65, 100][i] })),
    }
  }, [])

  const save = useMutation({
    // without a current union the server names the missing orgId
    mutationFn: (body: z.input<typeof planUpdateBody>) =>
      planId ? plansApi.update(planId, body) : plansApi.create({ ...body, orgId: current?.id as number }),
    onSuccess: (p) => {
      feedback.message.success('计划已保存')
      qc.invalidateQueries({ queryKey: ['plans'] })
      qc.invalidateQueries({ queryKey: ['plan', p.id] })
      navigate(`/plans/${p.id}`)
    },
    onError: (e) => {
      feedback.message.error(errorMessage(e))
      if (e instanceof ApiError)
        form.setFields(
          Object.entries(e.fields)
            .filter(([k]) => k !== '_')
            .map(([k, m]) => ({ name: namePath(k) as never, errors: [m] })),
        )
    },
  })

  const submit = (v: Values) => {
    const body = {
      name: v.name,
      docNo: v.docNo || null,
      note: v.note || null,
      startOn: v.period?.[0]?.format('YYYY-MM-DD'),
      endOn: v.period?.[1]?.format('YYYY-MM-DD'),
      targets: (v.targets ?? []).map((t) => ({ key: t.key ?? '', value: t.value as number, note: t.note || null })),
      milestones: (v.milestones ?? []).map((m) => ({
        dueOn: m.dueOn?.format('YYYY-MM-DD') ?? '',
        share: m.share as number,
        label: m.label || null,
      })),
    }
    const r = planUpdateBody.safeParse(body)
    if (!r.success) {
      form.setFields(
        r.error.issues.map((i) => {
          const path = i.path as (string | number)[]
          const name = path[0] === 'startOn' || path[0] === 'endOn' ? ['period'] : path
          return { name: name as never, errors: [i.message] }
        }),
      )
      const first = r.error.issues[0]!
      feedback.message.error(withFieldLabel(first.path.join('.'), first.message))
      return
    }
    save.mutate(r.data)
  }

  const addHangzhou = () => {
    const have = new Set(((form.getFieldValue('targets') as Values['targets']) ?? []).map((t) => t.key))
    form.setFieldValue('targets', [...(form.getFieldValue('targets') ?? []), ...HANGZHOU.filter((t) => !have.has(t.key))])
  }

  if (planId && plan.isLoading)
    return (
      <div className="page">
        <Card>
          <Skeleton active />
        </Card>
      </div>
    )
  return (
    <div className="page" data-testid="plan-editor">
      <Card className="page-head">
        <div className="page-head-row">
          <div>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {planId ? `编辑：${plan.data?.name ?? ''}` : '新建计划'}
            </Typography.Title>
            <div className="page-sub">
              制定单位：{planId ? plan.data?.org.name : (current?.name ?? '—')}
              。数量目标按计划期内的新增数统计，可分解到下级；比率目标对本地区及各下级均适用
            </div>
          </div>
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(planId ? `/plans/${planId}` : '/plans')}>
            返回
          </Button>
        </div>
      </Card>
      {planId && plan.data && !plan.data.editable && (
        <Alert type="warning" showIcon message={`该计划由${plan.data.org.name}制定，只能查看，不能修改`} style={{ marginBottom: 12 }} />
      )}
      <Form<Values> form={form} layout="vertical" initialValues={planId ? undefined : initial} onFinish={submit} requiredMark>
        <Card size="small" title="基本信息" className="section-card">
          <Row gutter={16}>
            <Col span={12}>
              <Form.Item name="name" label="计划名称" rules={[{ required: true, message: '请填写计划名称' }]}>
                <Input maxLength={200} placeholder="如：联合工会建设三年规划（2017-2019年）" data-testid="plan-name" />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item name="docNo" label="文号">
                <Input maxLength={100} placeholder="如：嵊总工字〔2017〕33号" />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item name="period" label="计划期" rules={[{ required: true, message: '请选择计划期' }]}>
                <DatePicker.RangePicker style={{ width: '100%' }} data-testid="plan-period" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="note" label="说明">
            <Input.TextArea rows={2} maxLength={2000} placeholder="总体目标、工作要求" />
          </Form.Item>
        </Card>

        <Card
          size="small"
          title="目标"
          className="section-card"
          extra={
            <Button size="small" icon={<ThunderboltOutlined />} onClick={addHangzhou} data-testid="plan-hangzhou">
              套用杭州2024-2026比率目标
            </Button>
          }
        >
          <Form.List name="targets">
            {(fields, { add, remove }) => (
              <>
                {fields.length === 0 && <Typography.Text type="secondary">尚无目标。</Typography.Text>}
                {fields.map((f) => (
                  <Row key={f.key} gutter={8} align="top">
                    <Col span={9}>
                      <Form.Item name={[f.name, 'key']} rules={[{ required: true, message: '请选择指标' }]}>
                        <Select options={targetOptions} placeholder="选择指标" showSearch optionFilterProp="label" />
                      </Form.Item>
                    </Col>
                    <Col span={5}>
                      <Form.Item noStyle shouldUpdate>
                        {() => {
                          const def = targetDef(form.getFieldValue(['targets', f.name, 'key']))
                          return (
                            <Form.Item name={[f.name, 'value']} rules={[{ required: true, message: '请填写目标值' }]}>
                              <InputNumber
                                style={{ width: '100%' }}
                                min={0}
                                max={def?.kind === 'rate' ? 100 : undefined}
                                precision={def?.kind === 'count' ? 0 : 1}
                                prefix={def?.kind === 'rate' ? '≥' : undefined}
                                suffix={def?.unit}
                                placeholder="目标值"
                              />
                            </Form.Item>
                          )
                        }}
                      </Form.Item>
                    </Col>
                    <Col span={9}>
                      <Form.Item name={[f.name, 'note']}>
                        <Input maxLength={200} placeholder="备注（如：新建20家以上）" />
                      </Form.Item>
                    </Col>
                    <Col span={1}>
                      <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="删除目标" />
                    </Col>
                  </Row>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} block>
                  添加目标
                </Button>
              </>
            )}
          </Form.List>
        </Card>

        <Card
          size="small"
          title="年度节点"
          className="section-card"
          extra={<Typography.Text type="secondary">到节点日期应完成数量目标的比例，如第一年50%、第二年100%</Typography.Text>}
        >
          <Form.List name="milestones">
            {(fields, { add, remove }) => (
              <>
                {fields.length === 0 && <Typography.Text type="secondary">尚无节点：只在计划期末检查完成情况。</Typography.Text>}
                {fields.map((f, i) => (
                  <Row key={f.key} gutter={8} align="top">
                    <Col span={2} style={{ paddingTop: 5 }}>
                      第{i + 1}个
                    </Col>
                    <Col span={6}>
                      <Form.Item name={[f.name, 'dueOn']} rules={[{ required: true, message: '请选择节点日期' }]}>
                        <DatePicker style={{ width: '100%' }} placeholder="节点日期" />
                      </Form.Item>
                    </Col>
                    <Col span={5}>
                      <Form.Item name={[f.name, 'share']} rules={[{ required: true, message: '请填写完成比例' }]}>
                        <InputNumber style={{ width: '100%' }} min={0} max={100} suffix="%" placeholder="完成比例" />
                      </Form.Item>
                    </Col>
                    <Col span={10}>
                      <Form.Item name={[f.name, 'label']}>
                        <Input maxLength={60} placeholder="节点名称（如：规划建设年）" />
                      </Form.Item>
                    </Col>
                    <Col span={1}>
                      <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label="删除节点" />
                    </Col>
                  </Row>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} block>
                  添加节点
                </Button>
              </>
            )}
          </Form.List>
        </Card>
        <Space>
          <Button
            type="primary"
            htmlType="submit"
            loading={save.isPending}
            data-testid="plan-save"
            disabled={!!planId && plan.data?.editable === false}
          >
            保存
          </Button>
          <Button onClick={() => navigate(planId ? `/plans/${planId}` : '/plans')}>取消</Button>
        </Space>
      </Form>
    </div>
  )
}
