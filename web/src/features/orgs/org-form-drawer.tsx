import { useState } from 'react'
import { Alert, Button, Col, DatePicker, Divider, Drawer, Form, Input, InputNumber, Radio, Row, Select, Space, Switch } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import type { OrgDetail } from '../../../../common/api'
import { foundingMethods, jointCategories, jointScopes, optionsOf, orgForms, orgTypes } from '../../../../common/codes'
import { validateCreditCode } from '../../../../common/credit-code'
import { api, type In } from '../../api/client'
import { feedback } from '../../components/feedback'
import { showError } from '../../components/form-errors'
import { useSaving } from '../../components/use-save'
import { maxRule } from '../../components/zod-rules'
import { orgCreateBody } from '../../../../common/api'
import { RegionCascader } from '../../components/region-cascader'
import { EnterprisePicker, type PickedEnterprise } from '../enterprises/enterprise-picker'
import { useRefreshOrgs } from './hooks'
import { isJointForm } from './org-labels'

const org = orgCreateBody.shape

export type OrgFormMode = { kind: 'create'; parent: OrgDetail; preset: 'base' | 'joint' } | { kind: 'edit'; org: OrgDetail }

const DATE_FIELDS = ['foundedOn', 'prepGroupOn', 'electedOn'] as const
const FLAG_FIELDS = [
  ['hasAuditCommittee', '经审会'],
  ['hasWomenCommittee', '女职工委员会'],
  ['hasLaborSupervision', '劳动法律监督委员会'],
  ['hasWorkersCongress', '职代会'],
  ['hasOpenAffairs', '厂务公开'],
  ['hasCollectiveContract', '集体合同'],
] as const
const COUNT_FIELDS = [
  ['fulltimeWorkers', '专职工会工作者'],
  ['parttimeWorkers', '兼职工会工作者'],
  ['femaleCount', '女职工数'],
  ['migrantCount', '农民工数'],
  ['needyCount', '困难职工数'],
  ['modelWorkerCount', '劳模数'],
] as const

type Values = Record<string, unknown>

function initialValues(mode: OrgFormMode): Values {
  if (mode.kind === 'create') {
    const joint = mode.preset === 'joint'
    // under a base union the usual child is a 分会; under a regional union a base or joint union
    const branch = !joint && !mode.parent.isRegional && !isJointForm(mode.parent.orgForm)
    return {
      orgType: joint ? '2' : branch ? '8' : '1',
      orgForm: joint ? 'joint_committee' : branch ? 'branch' : 'committee',
      jointScope: joint ? 'regional' : undefined,
      status: 'active',
      regionCode: mode.parent.regionCode,
      foundedOn: dayjs(),
      foundingMethod: 'offline',
      ...Object.fromEntries(FLAG_FIELDS.map(([k]) => [k, false])),
    }
  }
  const o = mode.org as unknown as Record<string, unknown>
  const v: Values = { ...o, chairPhone: undefined, contactPhone: undefined }
  for (const k of DATE_FIELDS) v[k] = o[k] ? dayjs(o[k] as string) : undefined
  return v
}

const creditRule = {
  validator: (_: unknown, v: string | undefined) => {
    if (!v) return Promise.resolve()
    const r = validateCreditCode(v)
    return r.ok ? Promise.resolve() : Promise.reject(new Error(r.message))
  },
}
const phoneRule = { pattern: /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, message: '应为手机号码或带区号的固定电话' }

/** Create a child union (base or joint, with the enterprises it covers) or edit one. */
export function OrgFormDrawer({ mode, onClose, onSaved }: { mode: OrgFormMode; onClose: () => void; onSaved: (o: OrgDetail) => void }) {
  const [form] = Form.useForm<Values>()
  const [picked, setPicked] = useState<PickedEnterprise[]>([])
  const [pickError, setPickError] = useState<string | null>(null)
  const { saving, run } = useSaving(form, (e) => {
    showError(e, form)
    const fields = (e as { fields?: Record<string, string> }).fields
    if (fields?.enterpriseIds || fields?.enterpriseId) setPickError(fields.enterpriseIds ?? fields.enterpriseId)
  })
  const refresh = useRefreshOrgs()
  const orgForm = Form.useWatch('orgForm', form) as string | undefined
  const orgType = Form.useWatch('orgType', form) as string | undefined
  const joint = isJointForm(orgForm)
  const isCreate = mode.kind === 'create'
  const regionRoot = isCreate ? mode.parent.regionCode : mode.org.regionCode.slice(0, Math.min(9, mode.org.regionCode.length))
  const regionalEdit = mode.kind === 'edit' && mode.org.isRegional

  const handleValuesChange = (changed: Values) => {
    // keep 组织类型 and 组织形式 consistent: joint forms are 联合基层工会
    if (typeof changed.orgForm === 'string' && isJointForm(changed.orgForm) && form.getFieldValue('orgType') === '1')
      form.setFieldValue('orgType', '2')
    if (changed.orgType === '1' && isJointForm(form.getFieldValue('orgForm'))) form.setFieldValue('orgForm', 'committee')
    if (changed.orgType === '2' && !isJointForm(form.getFieldValue('orgForm'))) form.setFieldValue('orgForm', 'joint_committee')
    if (typeof changed.orgForm === 'string' || typeof changed.orgType === 'string') setPicked([])
  }

  const handleFinish = async (v: Values) => {
    const body: Values = {}
    for (const [k, val] of Object.entries(v)) {
      if (val === undefined) continue
      if ((DATE_FIELDS as readonly string[]).includes(k)) body[k] = val ? (val as Dayjs).format('YYYY-MM-DD') : null
      else if (typeof val === 'string') body[k] = val.trim() === '' ? null : val.trim()
      else body[k] = val
    }
    if (typeof body.creditCode === 'string') body.creditCode = body.creditCode.toUpperCase()
    for (const [k] of COUNT_FIELDS) if (body[k] === null) body[k] = 0
    if (!joint) {
      body.jointScope = null
      body.jointCategory = null
    }
    // phones are shown masked; blank means unchanged
    for (const k of ['chairPhone', 'contactPhone']) if (body[k] === null && mode.kind === 'edit') delete body[k]
    if (body.regionCode === null) body.regionCode = isCreate ? mode.parent.regionCode : mode.org.regionCode
    setPickError(null)
    await run(async () => {
      let saved: OrgDetail
      if (mode.kind === 'create') {
        if (joint && picked.length) body.enterpriseIds = picked.map((p) => p.id)
        if (!joint && orgType === '1' && picked.length) body.enterpriseId = picked[0].id
        for (const k of Object.keys(body)) if (body[k] === null) delete body[k]
        saved = await api.createOrg({ ...body, parentId: mode.parent.id } as In<typeof orgCreateBody>)
        feedback.message.success(
          joint && picked.length ? `已新建「${saved.name}」，涵盖 ${picked.length} 家单位` : `已新建「${saved.name}」`,
        )
      } else {
        delete body.regionCode
        if (!regionalEdit) body.regionCode = v.regionCode ?? mode.org.regionCode
        const allowed = new Set([
          'name',
          'shortName',
          'creditCode',
          'orgType',
          'orgForm',
          'regionCode',
          'jointScope',
          'jointCategory',
          'status',
          'foundedOn',
          'foundingMethod',
          'prepGroupOn',
          'approvalNo',
          'chairName',
          'chairPhone',
          'contactName',
          'contactPhone',
          'electedOn',
          'termYears',
          'homeStar',
          ...FLAG_FIELDS.map(([k]) => k),
          ...COUNT_FIELDS.map(([k]) => k),
        ])
        for (const k of Object.keys(body)) if (!allowed.has(k)) delete body[k]
        saved = await api.updateOrg(mode.org.id, body)
        feedback.message.success('已保存')
      }
      refresh()
      onSaved(saved)
    })
  }

  const title =
    mode.kind === 'edit' ? `编辑「${mode.org.name}」` : `在「${mode.parent.name}」下新建${mode.preset === 'joint' ? '联合工会' : '组织'}`
  const status = mode.kind === 'edit' ? mode.org.status : 'active'

  return (
    <Drawer
      open
      size={820}
      title={title}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="org-form-submit">
            保存
          </Button>
        </Space>
      }
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={initialValues(mode)}
        onValuesChange={handleValuesChange}
        onFinish={handleFinish}
        scrollToFirstError
        data-testid="org-form"
      >
        <Divider titlePlacement="start" plain className="form-divider">
          基本信息
        </Divider>
        <Row gutter={16}>
          <Col span={16}>
            <Form.Item
              name="name"
              label="全称"
              rules={[{ required: true, whitespace: true, message: '请输入工会全称' }, maxRule(org.name, true)]}
            >
              <Input placeholder={joint ? '例如：××村联合工会委员会' : '例如：××有限公司工会委员会'} data-testid="org-form-name" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="shortName" label="简称" rules={[maxRule(org.shortName, true)]}>
              <Input data-testid="org-form-shortName" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="orgType" label="组织类型" rules={[{ required: true, message: '请选择组织类型' }]}>
              <Select options={optionsOf(orgTypes)} disabled={regionalEdit} data-testid="org-form-orgType" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="orgForm" label="组织形式" rules={[{ required: true, message: '请选择组织形式' }]}>
              <Select options={optionsOf(orgForms)} disabled={regionalEdit} data-testid="org-form-orgForm" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="status" label="状态">
              <Radio.Group disabled={status === 'dissolved'} data-testid="org-form-status">
                <Radio.Button value="preparing">
                  <span data-testid="org-form-status-preparing">筹备</span>
                </Radio.Button>
                <Radio.Button value="active">
                  <span data-testid="org-form-status-active">正常</span>
                </Radio.Button>
              </Radio.Group>
            </Form.Item>
          </Col>
        </Row>
        {joint && (
          <div className="joint-box" data-testid="joint-union-fields">
            <Form.Item name="jointScope" label="联合工会性质" rules={[{ required: true, message: '请选择区域性或行业性' }]}>
              <Radio.Group data-testid="org-form-jointScope">
                {jointScopes.map((c) => (
                  <Radio.Button key={c.code} value={c.code}>
                    <span data-testid={`org-form-jointScope-${c.code}`}>{c.label}</span>
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>
            <Form.Item
              name="jointCategory"
              label="联合工会类型"
              rules={[{ required: true, message: '请选择联合工会类型' }]}
              style={{ marginBottom: 0 }}
            >
              <Radio.Group className="radio-wrap" data-testid="org-form-jointCategory">
                {jointCategories.map((c) => (
                  <Radio.Button key={c.code} value={c.code}>
                    <span data-testid={`org-form-jointCategory-${c.code}`}>{c.label}</span>
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>
          </div>
        )}
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="regionCode" label="所在政区" tooltip="默认与上级工会相同；村（社区）联合工会可选到村">
              <RegionCascader root={regionRoot} disabled={regionalEdit} allowClear={false} testid="org-form-region" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="creditCode"
              label="统一社会信用代码（工会法人）"
              rules={[creditRule]}
              normalize={(v?: string) => v?.toUpperCase()}
            >
              <Input maxLength={18} placeholder="18位，可暂缺" data-testid="org-form-creditCode" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="foundedOn" label="建会日期">
              <DatePicker
                style={{ width: '100%' }}
                disabledDate={(d) => d.isAfter(dayjs().add(1, 'year'))}
                data-testid="org-form-foundedOn"
              />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="foundingMethod" label="建会方式">
              <Select allowClear options={optionsOf(foundingMethods)} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="prepGroupOn" label="筹备组成立日期">
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="approvalNo" label="建会批复文号" rules={[maxRule(org.approvalNo, true)]}>
              <Input />
            </Form.Item>
          </Col>
        </Row>

        {isCreate && (joint || orgType === '1') && (
          <>
            <Divider titlePlacement="start" plain className="form-divider">
              {joint ? '涵盖企业' : '建会单位'}
            </Divider>
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title={
                joint
                  ? '从上级工会管辖范围内尚未建会的单位中勾选该联合工会涵盖的企业（可稍后在“涵盖企业”中调整）。'
                  : '选择该独立基层工会所在的单位（一家）。'
              }
            />
            {pickError && <Alert type="error" showIcon title={pickError} style={{ marginBottom: 12 }} />}
            <EnterprisePicker scope={{ org: mode.parent.id, coverage: 'none' }} multiple={joint} value={picked} onChange={setPicked} />
          </>
        )}

        <Divider titlePlacement="start" plain className="form-divider">
          负责人
        </Divider>
        <Row gutter={16}>
          <Col span={6}>
            <Form.Item name="chairName" label="主席姓名" rules={[maxRule(org.chairName)]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item
              name="chairPhone"
              label="主席联系电话"
              rules={[phoneRule]}
              extra={mode.kind === 'edit' && mode.org.chairPhone ? '留空表示不修改' : undefined}
            >
              <Input placeholder={mode.kind === 'edit' ? (mode.org.chairPhone ?? undefined) : undefined} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="contactName" label="联系人" rules={[maxRule(org.contactName)]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item
              name="contactPhone"
              label="联系电话"
              rules={[phoneRule]}
              extra={mode.kind === 'edit' && mode.org.contactPhone ? '留空表示不修改' : undefined}
            >
              <Input placeholder={mode.kind === 'edit' ? (mode.org.contactPhone ?? undefined) : undefined} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="electedOn" label="换届日期">
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="termYears" label="主席任期（年）">
              <InputNumber min={1} max={5} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="homeStar" label="职工之家星级">
              <InputNumber min={0} max={5} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>

        <Divider titlePlacement="start" plain className="form-divider">
          组织建设
        </Divider>
        <Row gutter={16}>
          {COUNT_FIELDS.map(([k, label]) => (
            <Col span={8} key={k}>
              <Form.Item name={k} label={label}>
                <InputNumber min={0} precision={0} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          ))}
          {FLAG_FIELDS.map(([k, label]) => (
            <Col span={8} key={k}>
              <Form.Item name={k} label={label} valuePropName="checked">
                <Switch checkedChildren="已建立" unCheckedChildren="未建立" />
              </Form.Item>
            </Col>
          ))}
        </Row>
      </Form>
    </Drawer>
  )
}
