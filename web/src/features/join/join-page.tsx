import { useEffect, useState } from 'react'
import { Link } from 'react-router-dom'
import type { ApplicationReceipt, JoiningWorkplace, applicationCreateBody } from '../../../../common/api-members'
import type { RegionView } from '../../../../common/api'
import { documentTypes, genders, labelOf, newEmploymentOccupations, optionsOf, type DocumentType } from '../../../../common/codes'
import { applicationRoutes } from '../../../../common/member-codes'
import { normalizeDocumentNumber, validateDocument } from '../../../../common/documents'
import { validateMobile } from '../../../../common/id-card'
import { ApiError, publicApi, type In } from '../../api/client'
import { errorMessage } from '../../components/error-message'
import { useTitle } from '../../components/use-title'
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Choice,
  Field,
  Input,
  PhoneInput,
  Result,
  Select,
  Tag,
  TextArea,
  maxLength,
  mobile,
  required,
  useForm,
  type Form,
  type Rule,
} from '../../phone/ui'
import { PublicLayout, saveApplication, statusLink } from './public-layout'
import { WorkplaceSearch } from './workplace-search'
import { PhoneCode, codeRules } from './phone-code'

/** The city of this deployment: the root of the residence picker. */
export const CITY_CODE = (import.meta.env.VITE_GONGHUI_CITY as string | undefined) ?? '330683'

/** The form's values, as the fields hold them (strings; yes/no choices as 'yes' / '') */
const initial = {
  name: '',
  documentType: 'resident_id' as string,
  documentNumber: '',
  phone: '',
  workplace: '',
  isNewEmployment: 'no' as string,
  occupation: '',
  preferredRoute: 'default' as string,
  platformName: '',
  town: '',
  village: '',
  note: '',
  consentPrivacy: '',
  consentSensitive: '',
  smsCode: '',
}
type Values = typeof initial

const documentRule: Rule<Values> = (v, all) => {
  if (!v) return null
  const r = validateDocument((all.documentType as DocumentType) || 'resident_id', v)
  return r.ok ? null : r.message
}

export function JoinPage() {
  useTitle('申请入会')
  const [workplace, setWorkplace] = useState<JoiningWorkplace | null>(null)
  const [platform, setPlatform] = useState<JoiningWorkplace | null>(null)
  const [derived, setDerived] = useState<string | null>(null)
  const [submitting, setSubmitting] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [receipt, setReceipt] = useState<(ApplicationReceipt & { name: string }) | null>(null)
  // a member of a union (anywhere) is offered a transfer to the union the routing picked
  const [offer, setOffer] = useState<{ unionName: string; signIn: string; body: Record<string, unknown>; name: string } | null>(null)
  // the residence is asked for when the unit is not in the register, has no union, or for the town's joint union
  const residenceNeeded = (v: Values) =>
    (!workplace && !!v.workplace.trim()) ||
    (!!workplace && !workplace.hasUnion) ||
    (v.isNewEmployment === 'yes' && v.preferredRoute === 'flexible_joint')

  const form = useForm(initial, {
    name: [required('请填写姓名'), maxLength(40, '姓名不能超过40个字')],
    documentNumber: [required('请填写证件号码'), documentRule],
    phone: [required('请填写手机号'), mobile],
    workplace: [required('请填写或选择工作单位')],
    occupation: [(v, all) => (all.isNewEmployment === 'yes' && !v ? '请选择职业' : null)],
    platformName: [
      (_, all) => (all.isNewEmployment === 'yes' && all.preferredRoute === 'platform' && !platform ? '请从名录中选择平台企业' : null),
    ],
    town: [(v, all) => (residenceNeeded(all) && !v ? '请选择居住地或户籍所在的乡镇（街道）' : null)],
    note: [maxLength(200, '补充说明不能超过200字')],
    consentPrivacy: [(v) => (v ? null : '请阅读并同意个人信息处理规则')],
    consentSensitive: [(v) => (v ? null : '请单独同意处理身份证件号码、手机号等敏感个人信息')],
    smsCode: codeRules,
  })
  const needResidence = residenceNeeded(form.values)

  const handleFinish = async (v: Values) => {
    setError(null)
    const documentType = v.documentType as DocumentType
    const doc = validateDocument(documentType, v.documentNumber)
    const phone = validateMobile(v.phone)
    const newEmployment = v.isNewEmployment === 'yes'
    const body: Record<string, unknown> = {
      name: v.name.trim(),
      documentType,
      documentNumber: doc.ok ? doc.value : normalizeDocumentNumber(v.documentNumber),
      gender: doc.ok ? doc.gender : undefined,
      phone: phone.ok ? phone.value : v.phone.trim(),
      enterpriseId: workplace?.id ?? null,
      workplace: v.workplace.trim(),
      residenceRegion: needResidence ? v.village || v.town || null : null,
      occupation: newEmployment ? v.occupation : null,
      preferredRoute: newEmployment && v.preferredRoute && v.preferredRoute !== 'default' ? v.preferredRoute : null,
      platformEnterpriseId: newEmployment && v.preferredRoute === 'platform' ? (platform?.id ?? null) : null,
      note: v.note.trim() || null,
      consentPrivacy: !!v.consentPrivacy,
      consentSensitive: !!v.consentSensitive,
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
        e instanceof ApiError && e.code === 'already_member' ? (e.detail as { signIn?: string; unionName?: string } | undefined) : undefined
      if (detail?.signIn && detail.unionName) {
        setOffer({ unionName: detail.unionName, signIn: detail.signIn, body, name: v.name.trim() })
        window.scrollTo(0, 0)
        return
      }
      setError(errorMessage(e))
      form.serverErrors(e, { residenceRegion: 'town', platformEnterpriseId: 'platformName', enterpriseId: 'workplace' })
    } finally {
      setSubmitting(false)
    }
  }

  if (receipt) return <Receipt receipt={receipt} />
  if (offer) {
    return <TransferOffer offer={offer} onBack={() => setOffer(null)} />
  }

  return (
    <PublicLayout title="申请加入工会" back={{ to: '/join/status', label: '进度查询' }}>
      <div className="u-card h5-intro">
        <div className="h5-intro-row">
          <span className="h5-intro-icon" aria-hidden>
            <ShieldIcon />
          </span>
          <div>
            <b>在线申请，就近入会</b>
            <div className="h5-muted">
              我们按您的工作单位找到所在工会；单位没有工会的，由居住地的乡镇（街道）工会受理。工会将在15个工作日内与您联系。
            </div>
          </div>
        </div>
      </div>
      <JoinForm
        form={form}
        onFinish={handleFinish}
        derived={derived}
        setDerived={setDerived}
        workplace={workplace}
        setWorkplace={setWorkplace}
        setPlatform={setPlatform}
        needResidence={needResidence}
        error={error}
        submitting={submitting}
      />
    </PublicLayout>
  )
}

/** The form's fields (the values and rules are the page's: useForm in JoinPage). */
function JoinForm(props: {
  form: Form<Values>
  onFinish: (v: Values) => Promise<void>
  derived: string | null
  setDerived: (d: string | null) => void
  workplace: JoiningWorkplace | null
  setWorkplace: (w: JoiningWorkplace | null) => void
  setPlatform: (w: JoiningWorkplace | null) => void
  needResidence: boolean
  error: string | null
  submitting: boolean
}) {
  const { derived, setDerived, workplace, needResidence, form } = props
  // the rules' text is put on the page when opened (as Ant Design's Collapse did)
  const [privacyOpen, setPrivacyOpen] = useState(false)
  const v = form.values
  const isNew = v.isNewEmployment === 'yes'

  const handleDocBlur = () => {
    form.validateField('documentNumber')
    if (!v.documentNumber) return setDerived(null)
    const r = validateDocument((v.documentType as DocumentType) || 'resident_id', v.documentNumber)
    if (r.ok) {
      form.set('documentNumber', r.value)
      setDerived([r.gender && labelOf(genders, r.gender), r.birthDate && `${r.birthDate} 出生`].filter(Boolean).join('，') || null)
    } else setDerived(null)
  }

  return (
    <form onSubmit={form.submit((x) => void props.onFinish(x))} noValidate data-testid="join-form">
      <Card title="个人信息">
        <Field label="姓名" error={form.errors.name}>
          {(id) => <Input id={id} {...form.bind('name')} placeholder="与证件一致" autoComplete="name" data-testid="join-name" />}
        </Field>
        <Field label="证件类型">
          {(id) => (
            <Select
              id={id}
              {...form.bind('documentType')}
              onChange={(e) => {
                form.set('documentType', e.target.value)
                setDerived(null)
                if (v.documentNumber) form.validateField('documentNumber')
              }}
              options={optionsOf(documentTypes)}
              data-testid="join-documentType"
            />
          )}
        </Field>
        <Field
          label="证件号码"
          error={form.errors.documentNumber}
          hint={derived ? <span data-testid="join-derived">{derived}</span> : undefined}
        >
          {(id) => (
            <Input
              id={id}
              {...form.bind('documentNumber')}
              onBlur={handleDocBlur}
              placeholder={v.documentType === 'resident_id' ? '18位居民身份证号码' : '证件号码'}
              maxLength={24}
              autoComplete="off"
              data-testid="join-documentNumber"
            />
          )}
        </Field>
        <Field label="手机号" error={form.errors.phone} style={{ marginBottom: 0 }}>
          {(id) => <PhoneInput id={id} {...form.bind('phone')} placeholder="工会通过此号码与您联系" data-testid="join-phone" />}
        </Field>
      </Card>

      <Card title="工作单位">
        <Field
          label="单位名称"
          error={form.errors.workplace}
          hint={
            workplace ? (
              <span data-testid="join-workplace-picked">
                已选：{workplace.name}（{workplace.townName}）
                {workplace.hasUnion ? '，由本单位工会受理' : '，该单位尚未建会，将由属地工会受理'}
              </span>
            ) : v.workplace.trim() ? (
              '名录中未选定单位，将按您填写的名称登记，由居住地工会受理'
            ) : (
              '从名录中选择；找不到可直接填写单位全称'
            )
          }
        >
          {(id) => (
            <WorkplaceSearch
              id={id}
              value={v.workplace}
              invalid={!!form.errors.workplace}
              onChange={(t) => form.set('workplace', t)}
              onBlur={() => form.validateField('workplace')}
              onPick={props.setWorkplace}
              testid="join-workplace"
            />
          )}
        </Field>
        <Field label="是否新就业形态劳动者" hint="货车司机、快递员、网约车司机、外卖配送员等依托平台就业的劳动者">
          <Choice
            name="isNewEmployment"
            options={[
              { value: 'no', label: '否' },
              { value: 'yes', label: '是' },
            ]}
            value={v.isNewEmployment}
            onChange={(x) => form.set('isNewEmployment', x)}
            style={{ maxWidth: 180 }}
            data-testid="join-isNewEmployment"
          />
        </Field>
        {isNew && (
          <>
            <Field label="职业" error={form.errors.occupation}>
              <Choice
                name="occupation"
                columns={2}
                options={newEmploymentOccupations.map((o) => ({
                  value: o.code,
                  label: <span data-testid={`join-occupation-${o.code}`}>{o.label}</span>,
                }))}
                value={v.occupation}
                onChange={(x) => form.set('occupation', x)}
                data-testid="join-occupation"
              />
            </Field>
            <Field label="希望加入">
              <div role="radiogroup" className="u-radios" data-testid="join-route">
                {(
                  [
                    ['default', '按工作单位确定（默认）', 'join-route-default'],
                    ['platform', '平台企业工会', 'join-route-platform'],
                    ['flexible_joint', '所在镇街新就业形态联合工会', 'join-route-flexible'],
                  ] as const
                ).map(([value, label, testid]) => (
                  <label key={value} className="u-radio">
                    <input
                      type="radio"
                      name="preferredRoute"
                      value={value}
                      checked={v.preferredRoute === value}
                      onChange={() => form.set('preferredRoute', value)}
                    />
                    <span data-testid={testid}>{label}</span>
                  </label>
                ))}
              </div>
            </Field>
            {v.preferredRoute === 'platform' && (
              <Field label="服务的平台企业" error={form.errors.platformName}>
                {(id) => (
                  <WorkplaceSearch
                    id={id}
                    value={v.platformName}
                    invalid={!!form.errors.platformName}
                    onChange={(t) => form.set('platformName', t)}
                    onPick={props.setPlatform}
                    testid="join-platform"
                    placeholder="输入平台企业名称"
                  />
                )}
              </Field>
            )}
          </>
        )}
        {needResidence && <ResidencePicker form={form} />}
      </Card>

      <Card title="补充说明（可选）">
        <Field error={form.errors.note} hint={`${v.note.length} / 200`} style={{ marginBottom: 0 }}>
          <TextArea
            {...form.bind('note')}
            rows={2}
            maxLength={200}
            placeholder="如：方便联系的时间"
            aria-label="补充说明"
            data-testid="join-note"
          />
        </Field>
      </Card>

      <Card title="个人信息保护">
        <details className="h5-details" onToggle={(e) => setPrivacyOpen(e.currentTarget.open)}>
          <summary>《个人信息处理规则》（点击展开）</summary>
          {privacyOpen && <PrivacyText />}
        </details>
        <Field error={form.errors.consentPrivacy} style={{ marginBottom: 8 }}>
          <Checkbox
            checked={!!v.consentPrivacy}
            onChange={(e) => {
              form.set('consentPrivacy', e.target.checked ? 'yes' : '')
              if (e.target.checked) form.setError('consentPrivacy', undefined)
            }}
            data-testid="join-consent-privacy"
          >
            我已阅读并同意《个人信息处理规则》，同意工会为办理入会处理我的姓名、工作单位等个人信息
          </Checkbox>
        </Field>
        <Field error={form.errors.consentSensitive} style={{ marginBottom: 0 }}>
          <Checkbox
            checked={!!v.consentSensitive}
            onChange={(e) => {
              form.set('consentSensitive', e.target.checked ? 'yes' : '')
              if (e.target.checked) form.setError('consentSensitive', undefined)
            }}
            data-testid="join-consent-sensitive"
          >
            <b>单独同意</b>：我同意工会处理我的<b>证件号码和手机号</b>
            这两项敏感个人信息，仅用于核验身份（一人一籍）和联系我办理入会（《个人信息保护法》第二十九条）
          </Checkbox>
        </Field>
      </Card>

      <Card title="验证手机号">
        <Field error={form.errors.smsCode} hint="验证码发送至上面填写的手机号，证明号码属于您本人；5分钟内有效" style={{ marginBottom: 0 }}>
          {(id) => (
            <PhoneCode
              id={id}
              phone={() => form.values.phone}
              value={v.smsCode}
              onChange={(x) => form.set('smsCode', x)}
              invalid={!!form.errors.smsCode}
              testid="join-code"
            />
          )}
        </Field>
      </Card>

      {props.error && <Alert type="error" title={props.error} data-testid="join-error" />}
      <Button variant="primary" type="submit" block size="large" loading={props.submitting} className="h5-submit" data-testid="join-submit">
        提交入会申请
      </Button>
      <div className="h5-muted" style={{ textAlign: 'center', marginTop: 12 }}>
        已提交过？
        <Link to="/join/status" data-testid="join-status-link">
          查询办理进度
        </Link>
      </div>
    </form>
  )
}

/** A shield with a check (the intro's mark; Ant Design's SafetyCertificate, as inline SVG). */
function ShieldIcon() {
  return (
    <svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round">
      <path d="M12 2.5 4 5.5v6c0 5 3.4 8.6 8 10 4.6-1.4 8-5 8-10v-6l-8-3Z" />
      <path d="m8.5 12 2.5 2.5 4.5-5" strokeLinecap="round" />
    </svg>
  )
}

function ResidencePicker({ form }: { form: Form<Values> }) {
  const [towns, setTowns] = useState<RegionView[]>([])
  const [villages, setVillages] = useState<RegionView[]>([])
  const town = form.values.town
  const { set } = form
  useEffect(() => {
    publicApi.regions(CITY_CODE).then(setTowns, () => setTowns([]))
  }, [])
  useEffect(() => {
    set('village', '')
    if (!town) return setVillages([])
    publicApi.regions(town).then(setVillages, () => setVillages([]))
  }, [town, set])
  return (
    <>
      <Field
        label="居住地或户籍所在乡镇（街道）"
        error={form.errors.town}
        hint="单位不在名录或尚未建会时，由当地工会受理，先登记为预备会员"
      >
        {(id) => (
          <Select
            id={id}
            {...form.bind('town')}
            placeholder="请选择乡镇（街道）"
            options={towns.map((t) => ({ value: t.code, label: t.name }))}
            data-testid="join-town"
          />
        )}
      </Field>
      {villages.length > 0 && (
        <Field label="村（社区）（可选）">
          {(id) => (
            <Select
              id={id}
              {...form.bind('village')}
              placeholder="请选择村（社区）"
              options={[{ value: '', label: '不选' }, ...villages.map((t) => ({ value: t.code, label: t.name }))]}
              data-testid="join-village"
            />
          )}
        </Field>
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
 * The person is a member already (where is not said): a transfer is asked for on the member's side,
 * signed in with the phone on record (我的 → 申请转会), no longer on this anonymous page.
 */
function TransferOffer({
  offer,
  onBack,
}: {
  offer: { unionName: string; signIn: string; body: Record<string, unknown> }
  onBack: () => void
}) {
  return (
    <PublicLayout title="申请转会" back={{ to: '/join/status', label: '进度查询' }}>
      <Card data-testid="join-transfer-offer">
        <Result
          status="info"
          title="您已是工会会员"
          sub="一人只能有一个会籍（一人一籍）。如果您已到新单位工作，请登录会员端申请把会籍转到新单位的工会。"
        />
        <div className="h5-kv">
          <span>新单位的工会</span>
          <b data-testid="join-transfer-union">{offer.unionName}</b>
        </div>
        <div className="h5-kv">
          <span>新工作单位</span>
          <span>{String(offer.body.workplace ?? '')}</span>
        </div>
        <Alert
          type="info"
          style={{ margin: '12px 0' }}
          title="办理方式"
          description="用登记的手机号和短信验证码登录会员端，在“我的 → 申请转会”中选择新单位并说明理由；转入工会接收后会籍即转到新工会，会员号不变，接收之前会籍仍保留在原工会。"
        />
        <a
          className="u-btn u-btn-primary u-btn-large u-btn-block"
          href={`/m/login?next=${encodeURIComponent(offer.signIn)}`}
          data-testid="join-transfer-sign-in"
        >
          登录会员端申请转会
        </a>
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
      <Card data-testid="join-receipt" data-kind={receipt.kind ?? 'application'}>
        <Result
          status="success"
          title={transfer ? '转会申请已提交' : '入会申请已提交'}
          sub={`${receipt.name}，您的${transfer ? '转会' : ''}申请已转至「${receipt.unionName}」`}
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
          style={{ margin: '16px 0 12px' }}
          title="请保存下面的进度查询链接"
          description="查询码只显示这一次，凭它查看审核结果和电子会员证。本机已自动保存，换手机后需用此链接查询。"
        />
        <div className="h5-link" data-testid="join-receipt-link">
          {link}
          <CopyButton text={link} />
        </div>
        <Link to={statusLink(receipt.token)} className="u-btn u-btn-primary u-btn-large u-btn-block" data-testid="join-receipt-status">
          查看办理进度
        </Link>
      </Card>
    </PublicLayout>
  )
}

/** Copies the status link (the Clipboard API; a selection of the text where it is not there). */
function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text)
      setCopied(true)
      setTimeout(() => setCopied(false), 2000)
    } catch {
      const r = document.createRange()
      const el = document.querySelector('[data-testid="join-receipt-link"]')
      if (el) {
        r.selectNodeContents(el)
        window.getSelection()?.removeAllRanges()
        window.getSelection()?.addRange(r)
      }
    }
  }
  return (
    <Button variant="link" size="small" onClick={() => void copy()} className="h5-copy" aria-label="复制链接">
      {copied ? '✓ 已复制' : '复制链接'}
    </Button>
  )
}
