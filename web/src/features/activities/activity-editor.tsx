import { useEffect } from 'react'
import { Button, Card, DatePicker, Form, Input, InputNumber, Radio, Select, Space, Spin } from 'antd'
import { useQuery } from '@tanstack/react-query'
import { useNavigate, useParams } from 'react-router-dom'
import dayjs, { type Dayjs } from 'dayjs'
import { audiences, origins, type ActivityDetail } from '../../../../common/activities'
import { PageHead } from '../../components/page-head'
import { useSave } from '../../components/use-save'
import { useTitle } from '../../components/use-title'
import { feedback } from '../../components/feedback'
import { activitiesApi } from './api'

interface Values {
  title: string
  body?: string
  place: string
  startsAt: Dayjs
  endsAt: Dayjs
  capacity: number
  signupOpens: Dayjs
  signupCloses: Dayjs
  cancelDeadline: Dayjs
  audience: 'own' | 'subtree' | 'covered'
  origin: 'proposal' | 'suggestion' | 'plan'
  proposalId?: number | null
}

const times = ['startsAt', 'endsAt', 'signupOpens', 'signupCloses', 'cancelDeadline'] as const

function toValues(a: ActivityDetail): Values {
  return {
    ...a,
    startsAt: dayjs(a.startsAt),
    endsAt: dayjs(a.endsAt),
    signupOpens: dayjs(a.signupOpens),
    signupCloses: dayjs(a.signupCloses),
    cancelDeadline: dayjs(a.cancelDeadline),
  }
}

/** 新建活动 / 修改活动: what, when, where, how many, the sign-up window, who may join, where it came from. */
export function ActivityEditor() {
  const { id } = useParams()
  const editing = id !== undefined
  useTitle(editing ? '修改活动' : '新建活动')
  const navigate = useNavigate()
  const [form] = Form.useForm<Values>()
  const origin = Form.useWatch('origin', form)
  const existing = useQuery({ queryKey: ['activity', Number(id)], queryFn: () => activitiesApi.get(Number(id)), enabled: editing })
  useEffect(() => {
    if (existing.data) form.setFieldsValue(toValues(existing.data))
  }, [existing.data, form])
  const { save, saving } = useSave(
    (v: Values) => {
      const body = {
        ...v,
        body: v.body ?? '',
        proposalId: v.origin === 'proposal' ? (v.proposalId ?? null) : null,
        ...Object.fromEntries(times.map((k) => [k, v[k].toISOString()])),
      } as never
      return editing ? activitiesApi.update(Number(id), body) : activitiesApi.create(body)
    },
    {
      form,
      invalidate: [['activities'], ['activity']],
      onSuccess: (a) => {
        feedback.message.success(editing ? '已保存' : '已创建（草稿），确认无误后发布')
        navigate(`/activities/${a.id}`)
      },
    },
  )
  if (editing && existing.isLoading) return <Spin />
  const start = dayjs().add(7, 'day').hour(9).minute(0).second(0)
  return (
    <div className="page" data-testid="activity-editor">
      <PageHead title={editing ? '修改活动' : '新建活动'} sub="发布后，参加范围内的会员可在手机上报名；名额满后自动进入候补" />
      <Card size="small" className="section-card">
        <Form<Values>
          form={form}
          layout="vertical"
          style={{ maxWidth: 720 }}
          initialValues={
            editing
              ? undefined
              : {
                  capacity: 30,
                  audience: 'subtree',
                  origin: 'plan',
                  startsAt: start,
                  endsAt: start.add(2, 'hour'),
                  signupOpens: dayjs().startOf('minute'),
                  signupCloses: start.subtract(1, 'day'),
                  cancelDeadline: start.subtract(1, 'day'),
                }
          }
          onFinish={(v) => void save(v)}
        >
          <Form.Item name="title" label="标题" rules={[{ required: true, message: '请填写标题' }, { max: 100 }]}>
            <Input maxLength={100} data-testid="activity-title" />
          </Form.Item>
          <Form.Item name="body" label="内容">
            <Input.TextArea rows={4} maxLength={5000} showCount />
          </Form.Item>
          <Form.Item name="place" label="地点" rules={[{ required: true, message: '请填写地点' }]}>
            <Input maxLength={200} data-testid="activity-place" />
          </Form.Item>
          <Space wrap size="large">
            <Form.Item name="startsAt" label="开始时间" rules={[{ required: true, message: '请选择开始时间' }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
            </Form.Item>
            <Form.Item name="endsAt" label="结束时间" rules={[{ required: true, message: '请选择结束时间' }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
            </Form.Item>
            <Form.Item name="capacity" label="名额" rules={[{ required: true, message: '请填写名额' }]}>
              <InputNumber min={1} max={100000} precision={0} addonAfter="人" data-testid="activity-capacity" />
            </Form.Item>
          </Space>
          <Space wrap size="large">
            <Form.Item name="signupOpens" label="报名开始" rules={[{ required: true, message: '请选择报名开始时间' }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
            </Form.Item>
            <Form.Item name="signupCloses" label="报名截止" rules={[{ required: true, message: '请选择报名截止时间' }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
            </Form.Item>
            <Form.Item name="cancelDeadline" label="取消报名截止" rules={[{ required: true, message: '请选择取消报名截止时间' }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
            </Form.Item>
          </Space>
          <Form.Item name="audience" label="参加范围">
            <Select options={Object.entries(audiences).map(([value, label]) => ({ value, label }))} style={{ maxWidth: 320 }} />
          </Form.Item>
          <Form.Item name="origin" label="活动来源">
            <Radio.Group options={Object.entries(origins).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          {origin === 'proposal' && (
            <Form.Item name="proposalId" label="来源建议编号" rules={[{ required: true, message: '请填写建议编号' }]}>
              <InputNumber min={1} precision={0} />
            </Form.Item>
          )}
          <Space>
            <Button type="primary" htmlType="submit" loading={saving} data-testid="activity-save">
              保存
            </Button>
            <Button onClick={() => navigate(editing ? `/activities/${id}` : '/activities')}>返回</Button>
          </Space>
        </Form>
      </Card>
    </div>
  )
}
