import { useState } from 'react'
import { Button, DatePicker, Form, Input, InputNumber, Modal, Popconfirm, Radio, Select, Space, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import dayjs, { type Dayjs } from 'dayjs'
import { jointCategories, labelOf, optionsOf } from '../../../../common/codes'
import { jointForms, type plannedUnionBody, type PlannedUnionView } from '../../../../common/forms'
import type { z } from 'zod'
import { feedback } from '../../components/feedback'
import { showError } from '../../components/form-errors'
import { useSaving } from '../../components/use-save'
import { FilterSelect, ServerTable, usePagedQuery } from '../../components/server-table'
import { canWrite, useUser } from '../auth/auth-context'
import { useFormsOrg } from './use-forms-org'
import { formsApi } from './api'

/** The joint unions the towns plan to found: the lines behind 附件2. */
export function PlannedUnions() {
  const current = useFormsOrg()
  const writable = canWrite(useUser())
  const [category, setCategory] = useState<string>()
  const [editing, setEditing] = useState<PlannedUnionView | 'new' | null>(null)
  const qc = useQueryClient()
  const list = usePagedQuery(['planned'], formsApi.planned, { org: current?.id, category }, { search: true, enabled: !!current })
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['planned'] })
    void qc.invalidateQueries({ queryKey: ['forms', 'table'] })
  }
  const remove = async (p: PlannedUnionView) => {
    try {
      await formsApi.deletePlanned(p.id)
      feedback.message.success(`已删除 ${p.name}`)
      refresh()
    } catch (e) {
      showError(e)
    }
  }
  const n = (v: number) => (v ? v.toLocaleString('zh-CN') : <Typography.Text type="secondary">—</Typography.Text>)
  const columns: ColumnsType<PlannedUnionView> = [
    {
      title: '拟建联合工会',
      dataIndex: 'name',
      render: (v: string, p) => (
        <div>
          <b>{v}</b>
          {p.note && (
            <div>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {p.note}
              </Typography.Text>
            </div>
          )}
        </div>
      ),
    },
    { title: '申报单位', dataIndex: 'orgName', width: 150 },
    { title: '类型', dataIndex: 'category', width: 120, render: (v: string) => jointCategories.find((c) => c.code === v)?.form2Label ?? v },
    { title: '组建形式', dataIndex: 'jointForm', width: 100, render: (v: string) => labelOf(jointForms, v) },
    { title: '会员数', dataIndex: 'members', width: 90, align: 'right', render: n },
    { title: '涵盖职工数', dataIndex: 'employees', width: 100, align: 'right', render: n },
    { title: '涵盖企业数', dataIndex: 'enterprises', width: 100, align: 'right', render: n },
    { title: '工会工作者数', dataIndex: 'workers', width: 110, align: 'right', render: n },
    { title: '拟建时间', dataIndex: 'plannedOn', width: 110, render: (v: string | null) => v ?? '—' },
    { title: '申报日期', dataIndex: 'declaredOn', width: 110 },
    ...(writable
      ? [
          {
            title: '操作',
            key: 'actions',
            width: 130,
            fixed: 'right' as const,
            render: (_: unknown, p: PlannedUnionView) => (
              <Space size={4}>
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(p)} data-testid={`planned-edit-${p.id}`}>
                  编辑
                </Button>
                <Popconfirm
                  title={`删除“${p.name}”？`}
                  description="删除后不再计入附件2；已提交的报表不受影响。"
                  okText="删除"
                  okButtonProps={{ danger: true }}
                  onConfirm={() => remove(p)}
                >
                  <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid={`planned-delete-${p.id}`}>
                    删除
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]
      : []),
  ]
  return (
    <div data-testid="planned-unions">
      <div className="table-toolbar">
        <Input.Search
          allowClear
          placeholder="按名称搜索"
          style={{ width: 220 }}
          value={list.text}
          onChange={(e) => list.setText(e.target.value)}
        />
        <FilterSelect
          placeholder="全部类型"
          width={150}
          value={category}
          onChange={setCategory}
          options={jointCategories.map((c) => ({ value: c.code, label: c.form2Label }))}
        />
        <Typography.Text type="secondary">{current ? `${current.name}及下级` : ''}</Typography.Text>
        <div style={{ flex: 1 }} />
        {writable && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} disabled={!current} data-testid="planned-new">
            登记拟建联合工会
          </Button>
        )}
      </div>
      <ServerTable<PlannedUnionView>
        paged={list}
        columns={columns}
        scroll={{ x: 'max-content' }}
        empty="尚未登记拟建联合工会"
        emptyAction={
          writable &&
          current && (
            <Button type="primary" onClick={() => setEditing('new')}>
              登记第一个
            </Button>
          )
        }
        unit="个"
        hideOnSinglePage
      />
      {editing && current && (
        <PlannedModal
          planned={editing === 'new' ? undefined : editing}
          orgId={current.id}
          orgName={current.name}
          onClose={() => setEditing(null)}
          onDone={refresh}
        />
      )}
    </div>
  )
}

type Planned = z.input<typeof plannedUnionBody>
interface Values {
  name: string
  category: Planned['category']
  jointForm: Planned['jointForm']
  members: number
  employees: number
  enterprises: number
  workers: number
  plannedOn?: Dayjs | null
  declaredOn?: Dayjs
  note?: string
}

function PlannedModal({
  planned,
  orgId,
  orgName,
  onClose,
  onDone,
}: {
  planned?: PlannedUnionView
  orgId: number
  orgName: string
  onClose: () => void
  onDone: () => void
}) {
  const [form] = Form.useForm<Values>()
  const { saving, run } = useSaving(form)
  const initial: Partial<Values> = planned
    ? {
        ...planned,
        // the view answers the stored code as a string
        category: planned.category as Planned['category'],
        plannedOn: planned.plannedOn ? dayjs(planned.plannedOn) : null,
        declaredOn: dayjs(planned.declaredOn),
        note: planned.note ?? undefined,
      }
    : { jointForm: 'joint_committee', members: 0, employees: 0, enterprises: 0, workers: 0, declaredOn: dayjs() }
  const handleOk = async () => {
    const v = await form.validateFields().catch(() => null)
    if (!v) return
    const body = {
      ...v,
      plannedOn: v.plannedOn ? v.plannedOn.format('YYYY-MM-DD') : null,
      declaredOn: v.declaredOn?.format('YYYY-MM-DD'),
      note: v.note?.trim() || null,
    }
    await run(async () => {
      if (planned) await formsApi.updatePlanned(planned.id, body)
      else await formsApi.createPlanned({ orgId, ...body })
      feedback.message.success(planned ? '已保存' : `已登记 ${v.name}`)
      onDone()
      onClose()
    })
  }
  const count = (name: keyof Values, label: string) => (
    <Form.Item name={name} label={label} rules={[{ required: true, message: `请填写${label}` }]} style={{ flex: 1 }}>
      <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid={`planned-${name}`} />
    </Form.Item>
  )
  return (
    <Modal
      open
      title={planned ? `编辑拟建联合工会 · ${planned.name}` : '登记拟建联合工会'}
      onCancel={onClose}
      onOk={handleOk}
      okText="保存"
      confirmLoading={saving}
      width={620}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'planned-save' } as never}
    >
      <Typography.Paragraph type="secondary">申报单位：{planned?.orgName ?? orgName}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={initial}>
        <Form.Item name="name" label="名称" rules={[{ required: true, whitespace: true, message: '请填写名称' }]}>
          <Input maxLength={200} placeholder="例如：甘霖镇物流园区联合工会" data-testid="planned-name" />
        </Form.Item>
        <Space.Compact block style={{ gap: 12 }}>
          <Form.Item name="category" label="联合工会类型" rules={[{ required: true, message: '请选择类型' }]} style={{ flex: 1 }}>
            <Select
              options={jointCategories.map((c) => ({ value: c.code, label: c.form2Label }))}
              placeholder="请选择"
              data-testid="planned-category"
            />
          </Form.Item>
          <Form.Item name="jointForm" label="组建形式" rules={[{ required: true }]} style={{ flex: 1 }}>
            <Radio.Group options={optionsOf(jointForms)} optionType="button" />
          </Form.Item>
        </Space.Compact>
        <Space.Compact block style={{ gap: 12 }}>
          {count('members', '会员数')}
          <Form.Item
            name="employees"
            label="涵盖职工数"
            style={{ flex: 1 }}
            dependencies={['members']}
            rules={[
              { required: true, message: '请填写涵盖职工数' },
              ({ getFieldValue }) => ({
                validator: (_, v) =>
                  v == null || (getFieldValue('members') ?? 0) <= v
                    ? Promise.resolve()
                    : Promise.reject(new Error('会员数不能大于涵盖职工数')),
              }),
            ]}
          >
            <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid="planned-employees" />
          </Form.Item>
        </Space.Compact>
        <Space.Compact block style={{ gap: 12 }}>
          {count('enterprises', '涵盖企业数')}
          {count('workers', '工会工作者数')}
        </Space.Compact>
        <Space.Compact block style={{ gap: 12 }}>
          <Form.Item name="plannedOn" label="拟建时间" style={{ flex: 1 }}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="declaredOn" label="申报日期" style={{ flex: 1 }} rules={[{ required: true, message: '请选择申报日期' }]}>
            <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="note" label="备注">
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  )
}
