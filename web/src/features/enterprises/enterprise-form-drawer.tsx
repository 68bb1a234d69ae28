import { Button, Col, DatePicker, Divider, Drawer, Form, Input, InputNumber, Row, Select, Space, Switch } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useQueryClient } from '@tanstack/react-query'
import type { EnterpriseView, enterpriseUpdateBody } from '../../../../common/api'
import { economicTypes, industries, optionsOf, unitNatures } from '../../../../common/codes'
import { normalizeCreditCode, validateCreditCode } from '../../../../common/credit-code'
import { api, type In } from '../../api/client'
import { feedback } from '../../components/feedback'
import { useSaving } from '../../components/use-save'
import { RegionCascader } from '../../components/region-cascader'
import { maxRule } from '../../components/zod-rules'
import { enterpriseCreateBody } from '../../../../common/api'

const ent = enterpriseCreateBody.shape

interface Values {
  creditCode: string
  name: string
  address?: string
  regionCode?: string | null
  nature?: string
  economicType?: string
  industry?: string
  employees?: number
  migrantWorkers?: number
  dispatchedWorkers?: number
  aboveScale: boolean
  zoneName?: string
  isPlatform: boolean
  foundedOn?: Dayjs | null
  legalRep?: string
  contactName?: string
  contactPhone?: string
}

const phoneRule = { pattern: /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, message: '应为手机号码或带区号的固定电话' }

const creditRule = {
  validator: (_: unknown, v: string | undefined) => {
    if (!v) return Promise.reject(new Error('请输入统一社会信用代码'))
    const r = validateCreditCode(v)
    return r.ok ? Promise.resolve() : Promise.reject(new Error(r.message))
  },
}

/** Register an enterprise or edit one. `regionRoot` is the division the caller may place it in. */
export function EnterpriseFormDrawer(props: {
  enterprise?: EnterpriseView
  regionRoot: string
  defaultRegion?: string
  onClose: () => void
  onSaved?: (e: EnterpriseView) => void
}) {
  const { enterprise: e, regionRoot, onClose } = props
  const [form] = Form.useForm<Values>()
  const { saving, run } = useSaving(form)
  const qc = useQueryClient()

  const initial: Partial<Values> = e
    ? {
        creditCode: e.creditCode,
        name: e.name,
        address: e.address ?? undefined,
        regionCode: e.regionCode,
        nature: e.nature,
        economicType: e.economicType ?? undefined,
        industry: e.industry ?? undefined,
        employees: e.employees,
        migrantWorkers: e.migrantWorkers,
        dispatchedWorkers: e.dispatchedWorkers,
        aboveScale: e.aboveScale,
        zoneName: e.zoneName ?? undefined,
        isPlatform: e.isPlatform,
        foundedOn: e.foundedOn ? dayjs(e.foundedOn) : null,
      }
    : {
        aboveScale: false,
        isPlatform: false,
        regionCode: props.defaultRegion && props.defaultRegion.length >= 9 ? props.defaultRegion : undefined,
        migrantWorkers: 0,
        dispatchedWorkers: 0,
      }

  const handleFinish = async (v: Values) => {
    const body = {
      creditCode: normalizeCreditCode(v.creditCode),
      name: v.name.trim(),
      address: v.address?.trim() || null,
      regionCode: v.regionCode,
      nature: v.nature,
      economicType: v.economicType ?? null,
      industry: v.industry ?? null,
      employees: v.employees ?? 0,
      migrantWorkers: v.migrantWorkers ?? 0,
      dispatchedWorkers: v.dispatchedWorkers ?? 0,
      aboveScale: v.aboveScale,
      zoneName: v.zoneName?.trim() || null,
      isPlatform: v.isPlatform,
      foundedOn: v.foundedOn ? v.foundedOn.format('YYYY-MM-DD') : null,
      // personal data: on an edit, an empty box keeps what is registered (shown masked as the placeholder)
      ...(['legalRep', 'contactName', 'contactPhone'] as const).reduce(
        (o, k) => {
          const t = v[k]?.trim()
          if (t) o[k] = t
          else if (!e) o[k] = null
          return o
        },
        {} as Record<string, string | null>,
      ),
    }
    await run(async () => {
      // the form's rules require what the schema requires
      const saved = e
        ? await api.updateEnterprise(e.id, body as In<typeof enterpriseUpdateBody>)
        : await api.createEnterprise(body as In<typeof enterpriseCreateBody>)
      feedback.message.success(e ? '已保存' : `已登记「${saved.name}」`)
      void qc.invalidateQueries({ queryKey: ['enterprises'] })
      void qc.invalidateQueries({ queryKey: ['org'] })
      void qc.invalidateQueries({ queryKey: ['due-summary'] })
      props.onSaved?.(saved)
      onClose()
    })
  }

  return (
    <Drawer
      open
      size={720}
      title={e ? `编辑「${e.name}」` : '登记用人单位'}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="enterprise-form-submit">
            保存
          </Button>
        </Space>
      }
    >
      <Form form={form} layout="vertical" initialValues={initial} onFinish={handleFinish} scrollToFirstError data-testid="enterprise-form">
        <Row gutter={16}>
          <Col span={24}>
            <Form.Item
              name="name"
              label="单位名称"
              rules={[{ required: true, whitespace: true, message: '请输入单位名称' }, maxRule(ent.name, true)]}
            >
              <Input data-testid="enterprise-form-name" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="creditCode"
              label="统一社会信用代码"
              rules={[creditRule]}
              normalize={(v?: string) => v?.toUpperCase().replace(/\s/g, '')}
              validateTrigger={['onBlur', 'onSubmit']}
              extra="18位，系统自动校验校验码"
            >
              <Input maxLength={18} data-testid="enterprise-form-creditCode" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="regionCode" label="所在政区" rules={[{ required: true, message: '请选择所在乡镇（街道）或村（社区）' }]}>
              <RegionCascader root={regionRoot} testid="enterprise-form-region" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="address" label="地址" rules={[maxRule(ent.address, true)]}>
              <Input data-testid="enterprise-form-address" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="nature" label="单位性质" rules={[{ required: true, message: '请选择单位性质' }]}>
              <Select options={optionsOf(unitNatures)} placeholder="请选择" data-testid="enterprise-form-nature" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="economicType" label="经济类型">
              <Select allowClear options={optionsOf(economicTypes)} placeholder="请选择" data-testid="enterprise-form-economicType" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="industry" label="行业（门类）">
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                options={industries.map((i) => ({ value: i.code, label: `${i.code} ${i.label}` }))}
                placeholder="请选择"
                data-testid="enterprise-form-industry"
              />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain className="form-divider">
          职工
        </Divider>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="employees" label="职工人数" rules={[{ required: true, message: '请输入职工人数' }]}>
              <InputNumber min={0} max={10_000_000} precision={0} style={{ width: '100%' }} data-testid="enterprise-form-employees" />
            </Form.Item>
          </Col>
          <PartOfEmployees name="migrantWorkers" label="其中农民工" />
          <PartOfEmployees name="dispatchedWorkers" label="其中劳务派遣" />
        </Row>
        <Divider titlePlacement="start" plain className="form-divider">
          联系人（个人信息，加密保存，列表中脱敏显示）
        </Divider>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="legalRep" label="法定代表人" rules={[{ max: 40, message: '不能超过40个字' }]}>
              <Input placeholder={e?.legalRep ? `已登记 ${e.legalRep}，不修改请留空` : undefined} data-testid="enterprise-form-legalRep" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="contactName" label="联系人" rules={[{ max: 40, message: '不能超过40个字' }]}>
              <Input
                placeholder={e?.contactName ? `已登记 ${e.contactName}，不修改请留空` : undefined}
                data-testid="enterprise-form-contactName"
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="contactPhone" label="联系电话" rules={[phoneRule]}>
              <Input
                placeholder={e?.contactPhone ? `已登记 ${e.contactPhone}` : '手机或带区号的固定电话'}
                data-testid="enterprise-form-contactPhone"
              />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" plain className="form-divider">
          其他
        </Divider>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name="foundedOn" label="成立日期">
              <DatePicker
                style={{ width: '100%' }}
                disabledDate={(d) => d.isAfter(dayjs(), 'day')}
                data-testid="enterprise-form-foundedOn"
              />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="zoneName" label="所在开发区/园区" rules={[maxRule(ent.zoneName, true)]}>
              <Input placeholder="不在园区内则留空" data-testid="enterprise-form-zoneName" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="aboveScale" label="规模以上工业企业" valuePropName="checked">
              <Switch checkedChildren="是" unCheckedChildren="否" data-testid="enterprise-form-aboveScale" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="isPlatform" label="新就业形态平台企业" valuePropName="checked">
              <Switch checkedChildren="是" unCheckedChildren="否" data-testid="enterprise-form-isPlatform" />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Drawer>
  )
}

/** A number of the enterprise's workers that is a part of 职工人数 (农民工, 劳务派遣): never more than it. */
function PartOfEmployees({ name, label }: { name: 'migrantWorkers' | 'dispatchedWorkers'; label: string }) {
  return (
    <Col span={8}>
      <Form.Item
        name={name}
        label={label}
        dependencies={['employees']}
        rules={[
          ({ getFieldValue }) => ({
            validator: (_, v?: number) =>
              v && v > (getFieldValue('employees') ?? 0) ? Promise.reject(new Error('不能多于职工人数')) : Promise.resolve(),
          }),
        ]}
      >
        <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid={`enterprise-form-${name}`} />
      </Form.Item>
    </Col>
  )
}
