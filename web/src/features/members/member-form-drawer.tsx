import { useState } from 'react'
import { Alert, Button, Col, DatePicker, Divider, Drawer, Form, Input, Row, Select, Space, Switch, Typography } from 'antd'
import { SwapOutlined } from '@ant-design/icons'
import dayjs, { type Dayjs } from 'dayjs'
import { useQueryClient } from '@tanstack/react-query'
import type { MemberElsewhere, MemberView, memberUpdateBody } from '../../../../common/api-members'
import {
  documentTypes,
  employmentStatuses,
  genders,
  labelOf,
  newEmploymentOccupations,
  optionsOf,
  type DocumentType,
} from '../../../../common/codes'
import { educations, ethnicities, householdTypes, memberStatuses, politicalStatuses, skillLevels } from '../../../../common/member-codes'
import { normalizeDocumentNumber, validateDocument, checkGender } from '../../../../common/documents'
import { validateMobile } from '../../../../common/id-card'
import { ApiError, api, type In, type OrgOption } from '../../api/client'
import { feedback } from '../../components/feedback'
import { showError } from '../../components/form-errors'
import { useSaving } from '../../components/use-save'
import { documentRule, mobileRule } from './labels'
import { UnionSelect } from './union-select'
import { maxRule } from '../../components/zod-rules'
import { memberCreateBody } from '../../../../common/api-members'

interface Values {
  documentType: DocumentType
  documentNumber: string
  name: string
  gender?: string
  birthDate?: Dayjs | null
  ethnicity?: string
  phone?: string
  unionId: number
  joinedOn?: Dayjs | null
  education?: string
  politicalStatus?: string
  employmentStatus?: string
  skillLevel?: string
  householdType?: string
  householdPlace?: string
  isMigrant: boolean
  workplace?: string
  jobTitle?: string
  isModelWorker: boolean
  occupation?: string
}

/** 登记会员 (or edit one): the document number is checked in the browser, gender and birth date follow from it. */
export function MemberFormDrawer(props: {
  member?: MemberView
  union: OrgOption | null
  onClose: () => void
  onSaved?: (m: MemberView) => void
}) {
  const { member: m, onClose } = props
  const [form] = Form.useForm<Values>()
  const [derived, setDerived] = useState<{ gender?: string; birthDate?: string } | null>(null)
  const [elsewhere, setElsewhere] = useState<(MemberElsewhere & { message: string }) | null>(null)
  // a person who is a member elsewhere is said on the drawer, with the way to move them (接转)
  const { saving, run } = useSaving(form, (e) => {
    if (e instanceof ApiError && e.code === 'member_elsewhere' && e.detail)
      setElsewhere({ ...(e.detail as MemberElsewhere), message: e.message })
    else showError(e, form)
  })
  const qc = useQueryClient()
  const docType = Form.useWatch('documentType', form) ?? 'resident_id'

  const initial: Partial<Values> = m
    ? {
        documentType: m.documentType as DocumentType,
        name: m.name,
        gender: m.gender,
        // the stored birth date is not sent to the page (only an audited reveal shows it): empty = unchanged
        birthDate: null,
        ethnicity: m.ethnicity ?? undefined,
        unionId: m.unionId,
        joinedOn: dayjs(m.joinedOn),
        education: m.education ?? undefined,
        politicalStatus: m.politicalStatus ?? undefined,
        employmentStatus: m.employmentStatus,
        skillLevel: m.skillLevel ?? undefined,
        householdType: m.householdType ?? undefined,
        householdPlace: m.householdPlace ?? undefined,
        isMigrant: m.isMigrant,
        workplace: m.workplace ?? undefined,
        jobTitle: m.jobTitle ?? undefined,
        isModelWorker: m.isModelWorker,
        occupation: m.occupation ?? undefined,
      }
    : {
        documentType: 'resident_id',
        unionId: props.union?.id,
        joinedOn: dayjs(),
        employmentStatus: '1',
        ethnicity: '01',
        isMigrant: false,
        isModelWorker: false,
      }

  /** on blur of the number: normalize it and take gender and birth date from it */
  const handleDocBlur = () => {
    const raw = form.getFieldValue('documentNumber') as string | undefined
    if (!raw) return setDerived(null)
    const r = validateDocument(form.getFieldValue('documentType') ?? 'resident_id', raw)
    void form.validateFields(['documentNumber']).catch(() => undefined)
    if (!r.ok) return setDerived(null)
    form.setFieldValue('documentNumber', r.value)
    setDerived({ gender: r.gender, birthDate: r.birthDate })
    if (r.gender) form.setFieldValue('gender', r.gender)
    if (r.birthDate) form.setFieldValue('birthDate', dayjs(r.birthDate))
  }

  const handleFinish = async (v: Values) => {
    const body: Record<string, unknown> = {
      documentType: v.documentType,
      name: v.name.trim(),
      gender: v.gender,
      // when editing, an empty date leaves the kept one as it is
      birthDate: v.birthDate ? v.birthDate.format('YYYY-MM-DD') : m ? undefined : null,
      ethnicity: v.ethnicity ?? null,
      education: v.education ?? null,
      politicalStatus: v.politicalStatus ?? null,
      employmentStatus: v.employmentStatus,
      skillLevel: v.skillLevel ?? null,
      householdType: v.householdType ?? null,
      householdPlace: v.householdPlace?.trim() || null,
      isMigrant: v.isMigrant,
      workplace: v.workplace?.trim() || null,
      jobTitle: v.jobTitle?.trim() || null,
      isModelWorker: v.isModelWorker,
      occupation: v.occupation ?? null,
    }
    if (v.phone) body.phone = validateMobile(v.phone).ok ? (validateMobile(v.phone) as { value: string }).value : v.phone.trim()
    if (v.documentNumber) body.documentNumber = normalizeDocumentNumber(v.documentNumber)
    if (!m) {
      body.unionId = v.unionId
      if (v.joinedOn) body.joinedOn = v.joinedOn.format('YYYY-MM-DD')
    }
    setElsewhere(null)
    await run(async () => {
      const saved = m
        ? await api.updateMember(m.id, body as In<typeof memberUpdateBody>)
        : await api.createMember(body as In<typeof memberCreateBody>)
      feedback.message.success(m ? '已保存' : `已登记会员 ${saved.name}（会员号 ${saved.memberNo}）`)
      void qc.invalidateQueries({ queryKey: ['members'] })
      void qc.invalidateQueries({ queryKey: ['member'] })
      props.onSaved?.(saved)
      onClose()
    })
  }

  const requestTransfer = () => {
    const v = form.getFieldsValue()
    feedback.modal.confirm({
      title: '发起接转',
      content: `向「${elsewhere?.unionName}」发起会籍接转申请，由其同意后转入「${props.union?.name ?? '本工会'}」。`,
      okText: '发起接转',
      onOk: async () => {
        try {
          await api.createTransfer({
            documentType: v.documentType,
            documentNumber: normalizeDocumentNumber(v.documentNumber),
            toUnionId: v.unionId,
            reason: '1',
          })
          feedback.message.success('已发起接转，等待转出工会处理')
          void qc.invalidateQueries({ queryKey: ['transfers'] })
          onClose()
        } catch (e) {
          showError(e)
        }
      },
    })
  }

  const genderValue = Form.useWatch('gender', form)
  const genderMismatch = derived ? checkGender(validateDocument(docType, form.getFieldValue('documentNumber')), genderValue) : undefined

  return (
    <Drawer
      open
      size={720}
      title={m ? `编辑会员 · ${m.name}` : '登记会员'}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="member-form-submit">
            保存
          </Button>
        </Space>
      }
    >
      {elsewhere && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="member-elsewhere"
          title={elsewhere.message || '此人已是其他工会的会员（一人一籍）'}
          description={
            <div>
              <div>
                所在工会：<b>{elsewhere.unionName}</b>（{labelOf(memberStatuses, elsewhere.status)}）
              </div>
              <div>
                姓名：{elsewhere.name}　证件号码：{elsewhere.documentNumber}
              </div>
              <div style={{ marginTop: 8 }}>会员关系随劳动关系接转：可向其所在工会发起接转，对方同意后会籍转入。</div>
            </div>
          }
          action={
            <Button type="primary" size="small" icon={<SwapOutlined />} onClick={requestTransfer} data-testid="member-elsewhere-transfer">
              发起接转
            </Button>
          }
        />
      )}
      <Form form={form} layout="vertical" initialValues={initial} onFinish={handleFinish} data-testid="member-form" scrollToFirstError>
        <Divider titlePlacement="start" className="form-divider">
          身份信息
        </Divider>
        <Row gutter={16}>
          <Col xs={24} sm={8}>
            <Form.Item name="documentType" label="证件类型" rules={[{ required: true }]}>
              <Select
                options={optionsOf(documentTypes)}
                onChange={() => {
                  setDerived(null)
                  void form.validateFields(['documentNumber']).catch(() => undefined)
                }}
                data-testid="member-form-documentType"
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={16}>
            <Form.Item
              name="documentNumber"
              label="证件号码"
              validateTrigger="onBlur"
              rules={m ? [documentRule()] : [{ required: true, message: '请输入证件号码' }, documentRule()]}
              extra={
                m ? (
                  `当前：${m.documentNumber}（不修改请留空）`
                ) : derived ? (
                  <span data-testid="member-form-derived">
                    {derived.gender && `性别：${labelOf(genders, derived.gender)}`}
                    {derived.birthDate && `　出生日期：${derived.birthDate}`}（由证件号码得出）
                  </span>
                ) : undefined
              }
            >
              <Input
                placeholder={docType === 'resident_id' ? '18位身份证号码' : '证件号码'}
                maxLength={24}
                onBlur={handleDocBlur}
                data-testid="member-form-documentNumber"
                autoComplete="off"
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请输入姓名' }, maxRule(memberCreateBody.shape.name)]}>
              <Input data-testid="member-form-name" autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item
              name="gender"
              label="性别"
              rules={[{ required: !m, message: '请选择性别' }]}
              validateStatus={genderMismatch ? 'error' : undefined}
              help={genderMismatch}
            >
              <Select options={optionsOf(genders)} data-testid="member-form-gender" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="birthDate" label="出生日期" extra={m?.birthDateKnown ? '已登记（隐藏）；不填则不变' : undefined}>
              <DatePicker style={{ width: '100%' }} data-testid="member-form-birthDate" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="ethnicity" label="民族">
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                options={optionsOf(ethnicities as never) as { value: string; label: string }[]}
                data-testid="member-form-ethnicity"
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item
              name="phone"
              label="手机号"
              validateTrigger="onBlur"
              rules={m ? [mobileRule] : [{ required: true, message: '请输入手机号' }, mobileRule]}
              extra={m?.phone ? `当前：${m.phone}（不修改请留空）` : undefined}
            >
              <Input maxLength={16} data-testid="member-form-phone" autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="politicalStatus" label="政治面貌">
              <Select allowClear options={optionsOf(politicalStatuses as never) as { value: string; label: string }[]} />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" className="form-divider">
          会籍
        </Divider>
        <Row gutter={16}>
          <Col xs={24} sm={16}>
            <Form.Item name="unionId" label="所在工会" rules={[{ required: true, message: '请选择所在工会' }]}>
              <UnionSelect initial={props.union} testid="member-form-union" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="joinedOn" label="入会日期">
              <DatePicker style={{ width: '100%' }} disabled={!!m} disabledDate={(d) => d.isAfter(dayjs())} />
            </Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start" className="form-divider">
          工作与学历
        </Divider>
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="workplace" label="工作单位">
              <Input maxLength={100} data-testid="member-form-workplace" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="jobTitle" label="职务">
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="employmentStatus" label="就业状况">
              <Select options={optionsOf(employmentStatuses)} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="education" label="学历">
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                options={educations.map((e) => ({ value: e.code, label: e.category ? `${e.label}（类）` : e.label }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="skillLevel" label="技术等级">
              <Select allowClear options={optionsOf(skillLevels)} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="occupation" label="新就业形态职业">
              <Select
                allowClear
                placeholder="不是请留空"
                options={optionsOf(newEmploymentOccupations)}
                data-testid="member-form-occupation"
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="householdType" label="户籍类型">
              <Select allowClear options={optionsOf(householdTypes)} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="householdPlace" label="户籍所在地">
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="isMigrant" label="是否农民工" valuePropName="checked">
              <Switch checkedChildren="是" unCheckedChildren="否" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item name="isModelWorker" label="是否劳模" valuePropName="checked">
              <Switch checkedChildren="是" unCheckedChildren="否" />
            </Form.Item>
          </Col>
        </Row>
        {!m && (
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            证件号码和手机号属于敏感个人信息，加密保存、脱敏显示，查看完整信息须说明原因并留痕。
          </Typography.Paragraph>
        )}
      </Form>
    </Drawer>
  )
}
