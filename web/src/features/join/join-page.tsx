import { useEffect, useState } from 'react'
import { Alert, Button, Card, Checkbox, Collapse, Form, Input, Radio, Result, Select, Space, Tag, Typography } from 'antd'
import { CopyOutlined, SafetyCertificateOutlined } from '@ant-design/icons'
import { Link } from 'react-router-dom'
import type { ApplicationReceipt, JoiningWorkplace, applicationCreateBody } from '../../../../common/api-members'
import type { RegionView } from '../../../../common/api'
import { documentTypes, genders, labelOf, newEmploymentOccupations, optionsOf, type DocumentType } from '../../../../common/codes'
import { applicationRoutes } from '../../../../common/member-codes'
import { normalizeDocumentNumber, validateDocument } from '../../../../common/documents'
import { validateMobile } from '../../../../common/id-card'
import { ApiError, publicApi, type In } from '../../api/client'
import { applyFieldErrors, errorMessage } from '../../components/form-errors'
import { useTitle } from '../../components/use-title'
import { documentRule, mobileRule } from '../members/labels'
import { PublicLayout, saveApplication, statusLink } from './public-layout'
import { WorkplaceSearch } from './workplace-search'
import { PhoneCode, codeRules } from './phone-code'

/** The city of this deployment: the root of the residence picker. */
export const CITY_CODE = (import.meta.env.VITE_GONGHUI_CITY as string | undefined) ?? '330683'

interface Values {
  name: string
  documentType: DocumentType
  documentNumber: string
  phone: string
  workplace: string
  isNewEmployment: boolean
  occupation?: string
  preferredRoute?: 'platform' | 'flexible_joint' | 'default'
  platformName?: string
  town?: string
  village?: string
  note?: string
  consentPrivacy: boolean
  consentSensitive: boolean
  smsCode: string
}

export function JoinPage() {
  useTitle('申请入会')
  const [form] = Form.useForm<Values>()
  const [workplace, setWorkplace] = useState<JoiningWorkplace | null>(null)
  const [platform, setPlatform] = useState<JoiningWorkplace | null>(null)
  const [derived, setDerived] = useState<string | null>(null)
  const [submitting, setSubmitting] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [receipt, setReceipt] = useState<(ApplicationReceipt & { name: string }) | null>(null)
  // a member of a union (anywhere) is offered a transfer to the union the routing picked
  const [offer, setOffer] = useState<{ unionName: string; body: Record<string, unknown>; name: string } | null>(null)
  const docType = Form.useWatch('documentType', form) ?? 'resident_id'
  const isNew = Form.useWatch('isNewEmployment', form)
  const route = Form.useWatch('preferredRoute', form)
  const workplaceText = Form.useWatch('workplace', form)

  // the residence is asked for when the unit is not in the register, has no union, or for the town's joint union
  const needResidence =
    (!workplace && !!workplaceText?.trim()) || (workplace && !workplace.hasUnion) || (isNew && route === 'flexible_joint')

  const handleDocBlur = () => {
    const v = form.getFieldValue('documentNumber') as string
    if (!v) return setDerived(null)
    const r = validateDocument(form.getFieldValue('documentType') ?? 'resident_id', v)
    void form.validateFields(['documentNumber']).catch(() => undefined)
    if (r.ok) {
      form.setFieldValue('documentNumber', r.value)
      setDerived([r.gender && labelOf(genders, r.gender), r.birthDate && `${r.birthDate} 出生`].filter(Boolean).join('，') || null)
    } else setDerived(null)
  }

  const handleFinish = async (v: Values) => {
    setError(null)
    const doc = validateDocument(v.documentType, v.documentNumber)
    const phone = validateMobile(v.phone)
    const body: Record<string, unknown> = {
      name: v.name.trim(),
      documentType: v.documentType,
      documentNumber: doc.ok ? doc.value : normalizeDocumentNumber(v.documentNumber),
      gender: doc.ok ? doc.gender : undefined,
      phone: phone.ok ? phone.value : v.phone.trim(),
      enterpriseId: workplace?.id ?? null,
      workplace: v.workplace.trim(),
      residenceRegion: needResidence ? v.village || v.town || null : null,
      occupation: v.isNewEmployment ? v.occupation : null,
      preferredRoute: v.isNewEmployment && v.preferredRoute && v.preferredRoute !== 'default' ? v.preferredRoute : null,
      platformEnterpriseId: v.isNewEmployment && v.preferredRoute === 'platform' ? (platform?.id ?? null) : null,
      note: v.note?.trim() || null,
      consentPrivacy: v.consentPrivacy,
      consentSensitive: v.consentSensitive,
      smsCode: v.smsCode,
    }
    setSubmitting(true)
    try {
      const r = await publicApi.apply(body as In<typeof applicationCreateBody>)
      saveApplication({ token: r.token, name: v.name.trim(), savedAt: new Date().toISOString() })
      setReceipt({ ...r, name: v.name.trim() })
      window.scrollTo(0, 0)
    } catch (e) {
      const detail =
        e instanceof ApiError && e.code === 'already_member'
          ? (e.detail as { canTransfer?: boolean; unionName?: string } | undefined)
          : undefined
      if (detail?.canTransfer && detail.unionName) {
        setOffer({ unionName: detail.unionName, body, name: v.name.trim() })
        window.scrollTo(0, 0)
        return
      }
      setError(errorMessage(e))
      applyFieldErrors(form, e, { residenceRegion: 'town', platformEnterpriseId: 'platformName', enterpriseId: 'workplace' })
    } finally {
      setSubmitting(false)
    }
  }

  if (receipt) return <Receipt receipt={receipt} />
  if (offer) {
    return (
      <TransferOffer
        offer={offer}
        onBack={() => setOffer(null)}
        onDone={(r) => {
          saveApplication({ token: r.token, name: offer.name, savedAt: new Date().toISOString() })
          setReceipt({ ...r, name: offer.name })
          setOffer(null)
          window.scrollTo(0, 0)
        }}
      />
    )
  }

  return (
    <PublicLayout title="申请加入工会" back={{ to: '/join/status', label: '进度查询' }}>
      <Card className="h5-card h5-intro" size="small">
        <Space align="start">
          <SafetyCertificateOutlined className="h5-intro-icon" />
          <div>
            <b>在线申请，就近入会</b>
            <div className="h5-muted">
              我们按您的工作单位找到所在工会；单位没有工会的，由居住地的乡镇（街道）工会受理。工会将在15个工作日内与您联系。
            </div>
          </div>
        </Space>
      </Card>
      <Form
        form={form}
        layout="vertical"
        size="large"
        requiredMark={false}
        onFinish={handleFinish}
        data-testid="join-form"
        scrollToFirstError
        initialValues={{
          documentType: 'resident_id',
          isNewEmployment: false,
          preferredRoute: 'default',
          consentPrivacy: false,
          consentSensitive: false,
        }}
      >
        <Card className="h5-card" size="small" title="个人信息">
          <Form.Item
            name="name"
            label="姓名"
            rules={[
              { required: true, whitespace: true, message: '请填写姓名' },
              { max: 40, message: '姓名不能超过40个字' },
            ]}
          >
            <Input placeholder="与证件一致" autoComplete="name" data-testid="join-name" />
          </Form.Item>
          <Form.Item name="documentType" label="证件类型">
            <Select
              options={optionsOf(documentTypes)}
              onChange={() => {
                setDerived(null)
                void form.validateFields(['documentNumber']).catch(() => undefined)
              }}
              data-testid="join-documentType"
            />
          </Form.Item>
          <Form.Item
            name="documentNumber"
            label="证件号码"
            validateTrigger="onBlur"
            rules={[{ required: true, message: '请填写证件号码' }, documentRule()]}
            extra={derived ? <span data-testid="join-derived">{derived}</span> : undefined}
          >
            <Input
              placeholder={docType === 'resident_id' ? '18位居民身份证号码' : '证件号码'}
              maxLength={24}
              onBlur={handleDocBlur}
              autoComplete="off"
              data-testid="join-documentNumber"
            />
          </Form.Item>
          <Form.Item name="phone" label="手机号" validateTrigger="onBlur" rules={[{ required: true, message: '请填写手机号' }, mobileRule]}>
            <Input
              type="tel"
              inputMode="numeric"
              maxLength={13}
              placeholder="工会通过此号码与您联系"
              autoComplete="tel"
              data-testid="join-phone"
            />
          </Form.Item>
        </Card>

        <Card className="h5-card" size="small" title="工作单位">
          <Form.Item
            name="workplace"
            label="单位名称"
            rules={[{ required: true, whitespace: true, message: '请填写或选择工作单位' }]}
            extra={
              workplace ? (
                <span data-testid="join-workplace-picked">
                  已选：{workplace.name}（{workplace.townName}）
                  {workplace.hasUnion ? '，由本单位工会受理' : '，该单位尚未建会，将由属地工会受理'}
                </span>
              ) : workplaceText?.trim() ? (
                '名录中未选定单位，将按您填写的名称登记，由居住地工会受理'
              ) : (
                '从名录中选择；找不到可直接填写单位全称'
              )
            }
          >
            <WorkplaceSearch onPick={setWorkplace} testid="join-workplace" />
          </Form.Item>
          <Form.Item
            name="isNewEmployment"
            label="是否新就业形态劳动者"
            tooltip="货车司机、快递员、网约车司机、外卖配送员等依托平台就业的劳动者"
          >
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              options={[
                { value: false, label: '否' },
                { value: true, label: '是' },
              ]}
              data-testid="join-isNewEmployment"
            />
          </Form.Item>
          {isNew && (
            <>
              <Form.Item name="occupation" label="职业" rules={[{ required: true, message: '请选择职业' }]}>
                <Radio.Group className="h5-radio-grid" data-testid="join-occupation">
                  {newEmploymentOccupations.map((o) => (
                    <Radio.Button key={o.code} value={o.code}>
                      <span data-testid={`join-occupation-${o.code}`}>{o.label}</span>
                    </Radio.Button>
                  ))}
                </Radio.Group>
              </Form.Item>
              <Form.Item name="preferredRoute" label="希望加入">
                <Radio.Group className="h5-radio-col" data-testid="join-route">
                  <Radio value="default">
                    <span data-testid="join-route-default">按工作单位确定（默认）</span>
                  </Radio>
                  <Radio value="platform">
                    <span data-testid="join-route-platform">平台企业工会</span>
                  </Radio>
                  <Radio value="flexible_joint">
                    <span data-testid="join-route-flexible">所在镇街新就业形态联合工会</span>
                  </Radio>
                </Radio.Group>
              </Form.Item>
              {route === 'platform' && (
                <Form.Item
                  name="platformName"
                  label="服务的平台企业"
                  rules={[{ validator: () => (platform ? Promise.resolve() : Promise.reject(new Error('请从名录中选择平台企业'))) }]}
                >
                  <WorkplaceSearch onPick={setPlatform} testid="join-platform" placeholder="输入平台企业名称" />
                </Form.Item>
              )}
            </>
          )}
          {needResidence && <ResidencePicker form={form} />}
        </Card>

        <Card className="h5-card" size="small" title="补充说明（可选）">
          <Form.Item name="note" style={{ marginBottom: 0 }}>
            <Input.TextArea rows={2} maxLength={200} showCount placeholder="如：方便联系的时间" data-testid="join-note" />
          </Form.Item>
        </Card>

        <Card className="h5-card" size="small" title="个人信息保护">
          <Collapse
            size="small"
            ghost
            items={[{ key: 'p', label: '《个人信息处理规则》（点击展开）', children: <PrivacyText /> }]}
            style={{ marginBottom: 8 }}
          />
          <Form.Item
            name="consentPrivacy"
            valuePropName="checked"
            style={{ marginBottom: 8 }}
            rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error('请阅读并同意个人信息处理规则'))) }]}
          >
            <Checkbox data-testid="join-consent-privacy">
              我已阅读并同意《个人信息处理规则》，同意工会为办理入会处理我的姓名、工作单位等个人信息
            </Checkbox>
          </Form.Item>
          <Form.Item
            name="consentSensitive"
            valuePropName="checked"
            style={{ marginBottom: 0 }}
            rules={[
              {
                validator: (_, v) =>
                  v ? Promise.resolve() : Promise.reject(new Error('请单独同意处理身份证件号码、手机号等敏感个人信息')),
              },
            ]}
          >
            <Checkbox data-testid="join-consent-sensitive">
              <b>单独同意</b>：我同意工会处理我的<b>证件号码和手机号</b>
              这两项敏感个人信息，仅用于核验身份（一人一籍）和联系我办理入会（《个人信息保护法》第二十九条）
            </Checkbox>
          </Form.Item>
        </Card>

        <Card className="h5-card" size="small" title="验证手机号">
          <Form.Item
            name="smsCode"
            rules={codeRules}
            extra="验证码发送至上面填写的手机号，证明号码属于您本人；5分钟内有效"
            style={{ marginBottom: 0 }}
          >
            <PhoneCode phone={() => form.getFieldValue('phone') as string | undefined} testid="join-code" />
          </Form.Item>
        </Card>

        {error && <Alert type="error" showIcon title={error} className="h5-card" data-testid="join-error" />}
        <Button type="primary" htmlType="submit" block size="large" loading={submitting} className="h5-submit" data-testid="join-submit">
          提交入会申请
        </Button>
        <div className="h5-muted" style={{ textAlign: 'center', marginTop: 12 }}>
          已提交过？
          <Link to="/join/status" data-testid="join-status-link">
            查询办理进度
          </Link>
        </div>
      </Form>
    </PublicLayout>
  )
}

function ResidencePicker({ form }: { form: ReturnType<typeof Form.useForm<Values>>[0] }) {
  const [towns, setTowns] = useState<RegionView[]>([])
  const [villages, setVillages] = useState<RegionView[]>([])
  const town = Form.useWatch('town', form)
  useEffect(() => {
    publicApi.regions(CITY_CODE).then(setTowns, () => setTowns([]))
  }, [])
  useEffect(() => {
    form.setFieldValue('village', undefined)
    if (!town) return setVillages([])
    publicApi.regions(town).then(setVillages, () => setVillages([]))
  }, [town, form])
  return (
    <>
      <Form.Item
        name="town"
        label="居住地或户籍所在乡镇（街道）"
        rules={[{ required: true, message: '请选择居住地或户籍所在的乡镇（街道）' }]}
        extra="单位不在名录或尚未建会时，由当地工会受理，先登记为预备会员"
      >
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          placeholder="请选择乡镇（街道）"
          options={towns.map((t) => ({ value: t.code, label: t.name }))}
          data-testid="join-town"
        />
      </Form.Item>
      {villages.length > 0 && (
        <Form.Item name="village" label="村（社区）（可选）">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="请选择村（社区）"
            options={villages.map((t) => ({ value: t.code, label: t.name }))}
            data-testid="join-village"
          />
        </Form.Item>
      )}
    </>
  )
}

function PrivacyText() {
  return (
    <div className="h5-privacy" data-testid="join-privacy-text">
      <p>
        <b>处理者</b>：受理您申请的工会组织（按您的工作单位或居住地确定）及其上级工会。
      </p>
      <p>
        <b>处理的信息</b>：姓名、证件类型和号码、性别、出生日期（由证件号码得出）、手机号、工作单位、居住地、职业。
      </p>
      <p>
        <b>目的和方式</b>
        ：审核入会申请、核验“一人一籍”、建立会员档案和电子会员证、联系您办理入会及会籍接转。不用于其他目的，不向工会组织以外的单位或个人提供。
      </p>
      <p>
        <b>敏感个人信息</b>
        ：证件号码和手机号属于敏感个人信息，处理前须取得您的单独同意。我们加密保存，工作人员只看到脱敏后的号码，查看完整号码须说明原因并留痕。
      </p>
      <p>
        <b>保存期限</b>：会员档案保存至会籍终止后依规定的期限；申请未通过的，办结后一年内删除。
      </p>
      <p>
        <b>您的权利</b>：您可以查阅、复制、更正、删除您的个人信息，或撤回同意（撤回不影响此前处理的效力），请联系受理工会。
      </p>
    </div>
  )
}

/**
 * The person is a member already (where is not said): with a separate consent, the same form
 * becomes a request to move the membership to the union of the new workplace (转会申请).
 */
function TransferOffer({
  offer,
  onBack,
  onDone,
}: {
  offer: { unionName: string; body: Record<string, unknown> }
  onBack: () => void
  onDone: (r: ApplicationReceipt) => void
}) {
  const [consent, setConsent] = useState(false)
  const [sending, setSending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [code, setCode] = useState(String(offer.body.smsCode ?? ''))
  const send = async () => {
    setSending(true)
    setError(null)
    try {
      onDone(await publicApi.apply({ ...(offer.body as In<typeof applicationCreateBody>), requestTransfer: true, smsCode: code }))
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setSending(false)
    }
  }
  return (
    <PublicLayout title="申请转会" back={{ to: '/join/status', label: '进度查询' }}>
      <Card className="h5-card" data-testid="join-transfer-offer">
        <Result
          status="info"
          title="您已是工会会员"
          subTitle="一人只能有一个会籍（一人一籍）。如果您已到新单位工作，可以申请把会籍转到新单位的工会。"
          style={{ padding: '16px 0 8px' }}
        />
        <div className="h5-kv">
          <span>转入工会</span>
          <b data-testid="join-transfer-union">{offer.unionName}</b>
        </div>
        <div className="h5-kv">
          <span>新工作单位</span>
          <span>{String(offer.body.workplace ?? '')}</span>
        </div>
        <Alert
          type="info"
          showIcon
          style={{ margin: '12px 0' }}
          title="办理方式"
          description="转入工会审核接收后，您的会籍即转到新工会，会员号不变；接收之前会籍仍保留在原工会，不会中断。"
        />
        <Checkbox checked={consent} onChange={(e) => setConsent(e.target.checked)} data-testid="join-transfer-consent">
          我同意将我的会籍转入<b>「{offer.unionName}」</b>，并同意工会为办理转会使用我刚才填写的个人信息
        </Checkbox>
        <div style={{ marginTop: 12 }}>
          <Typography.Text type="secondary">使用刚才发送至您手机的验证码；如已过期，请重新获取</Typography.Text>
          <div style={{ marginTop: 8 }}>
            <PhoneCode phone={() => String(offer.body.phone ?? '')} value={code} onChange={setCode} testid="join-transfer-code" />
          </div>
        </div>
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="join-transfer-error" />}
        <Button
          type="primary"
          block
          size="large"
          disabled={!consent || code.length !== 6}
          loading={sending}
          onClick={() => void send()}
          style={{ marginTop: 16 }}
          data-testid="join-transfer-submit"
        >
          提交转会申请
        </Button>
        <Button block size="large" onClick={onBack} style={{ marginTop: 8 }} data-testid="join-transfer-back">
          返回修改
        </Button>
      </Card>
    </PublicLayout>
  )
}

function Receipt({ receipt }: { receipt: ApplicationReceipt & { name: string } }) {
  const link = `${window.location.origin}${statusLink(receipt.token)}`
  const transfer = receipt.kind === 'transfer'
  return (
    <PublicLayout title={transfer ? '转会申请已提交' : '申请已提交'}>
      <Card className="h5-card" data-testid="join-receipt" data-kind={receipt.kind ?? 'application'}>
        <Result
          status="success"
          title={transfer ? '转会申请已提交' : '入会申请已提交'}
          subTitle={`${receipt.name}，您的${transfer ? '转会' : ''}申请已转至「${receipt.unionName}」`}
          style={{ padding: '16px 0 8px' }}
        />
        <div className="h5-kv">
          <span>受理工会</span>
          <b data-testid="join-receipt-union">{receipt.unionName}</b>
        </div>
        <div className="h5-kv">
          <span>{transfer ? '办理事项' : '入会途径'}</span>
          <Tag color="blue">{transfer ? '会员申请转入' : labelOf(applicationRoutes, receipt.route)}</Tag>
        </div>
        <div className="h5-kv">
          <span>办理期限</span>
          <b data-testid="join-receipt-due">{receipt.dueOn} 前</b>
        </div>
        <Alert
          type="warning"
          showIcon
          style={{ margin: '16px 0 12px' }}
          title="请保存下面的进度查询链接"
          description="查询码只显示这一次，凭它查看审核结果和电子会员证。本机已自动保存，换手机后需用此链接查询。"
        />
        <Typography.Paragraph
          copyable={{ text: link, icon: [<CopyOutlined key="c" />, <CopyOutlined key="d" />], tooltips: ['复制链接', '已复制'] }}
          className="h5-link"
          data-testid="join-receipt-link"
        >
          {link}
        </Typography.Paragraph>
        <Link to={statusLink(receipt.token)}>
          <Button type="primary" block size="large" data-testid="join-receipt-status">
            查看办理进度
          </Button>
        </Link>
      </Card>
    </PublicLayout>
  )
}
