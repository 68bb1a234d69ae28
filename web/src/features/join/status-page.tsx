import { useState } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { ApplicationStatusView } from '../../../../common/api-members'
import { validateMobile } from '../../../../common/id-card'
import { useNavigate, useSearchParams } from 'react-router-dom'
import dayjs from 'dayjs'
import { labelOf } from '../../../../common/codes'
import { applicationRoutes, applicationStatuses } from '../../../../common/member-codes'
import { publicApi } from '../../api/client'
import { errorMessage } from '../../components/error-message'
import { useTitle } from '../../components/use-title'
import {
  Alert,
  Button,
  Card,
  Empty,
  Field,
  Input,
  PhoneInput,
  Result,
  Skeleton,
  Steps,
  Tag,
  TextArea,
  confirm,
  maxLength,
  mobile,
  required,
  useForm,
} from '../../phone/ui'
import { ApplicationStatusTag } from '../../phone/ui/status-tags'
import { MemberCard } from '../members/member-card'
import { PhoneCode, codeRules } from './phone-code'
import { PublicLayout, loadApplication, statusLink } from './public-layout'

/** 进度查询: by the token of the link (or the one saved on this phone); when approved, the electronic membership card. */
export function StatusPage() {
  useTitle('入会进度查询')
  const [params] = useSearchParams()
  const saved = loadApplication()
  const token = params.get('token') || saved?.token || null
  const name = saved && saved.token === token ? saved.name : null
  const q = useQuery({
    queryKey: ['public-application', token],
    queryFn: () => publicApi.applicationStatus(token!),
    enabled: !!token,
    retry: false,
  })
  const s = q.data
  const transfer = s?.kind === 'transfer'

  return (
    <PublicLayout title="入会进度查询" back={{ to: '/join', label: '申请入会' }}>
      {!token && <TokenEntry />}
      {token && q.isLoading && (
        <Card>
          <Skeleton rows={4} />
        </Card>
      )}
      {token && q.error && (
        <Card>
          <Result status="warning" title="查询不到申请" sub={(q.error as Error).message} style={{ paddingBottom: 16 }} />
          <TokenEntry embedded />
        </Card>
      )}
      {s && (
        <>
          {s.status === 'approved' && s.cardToken && (
            <div className="h5-card-plain" data-testid="status-card">
              <div className="h5-congrats">{transfer ? '会籍已转入新工会！' : '欢迎加入工会大家庭！'}</div>
              <MemberCard
                card={{
                  memberNo: s.memberNo ?? '',
                  name: name ?? '会员',
                  unionName: s.unionName,
                  joinedOn: s.joinedOn ?? s.createdAt.slice(0, 10),
                  status: 'active',
                  token: s.cardToken,
                }}
              />
              <div className="h5-muted" style={{ textAlign: 'center', marginTop: 8 }}>
                出示二维码，扫码即可验证会员身份
              </div>
            </div>
          )}
          <Card title="办理进度" data-testid="status-view" data-status={s.status}>
            <Steps
              current={s.status === 'pending' || s.status === 'need_info' ? 1 : 2}
              status={s.status === 'rejected' ? 'error' : s.status === 'approved' ? 'finish' : undefined}
              items={[
                { title: '已提交', description: dayjs(s.createdAt).format('YYYY-MM-DD HH:mm') },
                {
                  title: transfer ? '转入工会审核' : '工会审核',
                  description:
                    s.status === 'pending'
                      ? `${s.unionName}审核中，${s.dueOn} 前办结`
                      : s.status === 'need_info'
                        ? '需要补充信息'
                        : s.status === 'withdrawn'
                          ? '已撤回'
                          : '已审核',
                },
                {
                  title:
                    s.status === 'approved'
                      ? transfer
                        ? '已转入'
                        : '已入会'
                      : s.status === 'rejected'
                        ? '未通过'
                        : s.status === 'withdrawn'
                          ? '已撤回'
                          : '办结',
                },
              ]}
            />
            <div className="h5-kv">
              <span>状态</span>
              <span data-testid="status-status">
                {transfer && s.status === 'approved' ? (
                  <Tag color="green" style={{ marginInlineEnd: 0 }}>
                    已转入
                  </Tag>
                ) : (
                  <ApplicationStatusTag status={s.status} />
                )}
              </span>
            </div>
            <div className="h5-kv">
              <span>{transfer ? '转入工会' : '受理工会'}</span>
              <b>{s.unionName}</b>
            </div>
            <div className="h5-kv">
              <span>{transfer ? '办理事项' : '入会途径'}</span>
              <Tag color="blue" style={{ marginInlineEnd: 0 }} data-testid="status-kind">
                {transfer ? '会员申请转入' : labelOf(applicationRoutes, s.route)}
              </Tag>
            </div>
            <div className="h5-kv">
              <span>办理期限</span>
              <span data-testid="status-due">{s.dueOn}</span>
            </div>
            {s.memberNo && (
              <div className="h5-kv">
                <span>会员号</span>
                <b data-testid="status-memberNo">{s.memberNo}</b>
              </div>
            )}
            {s.reviewNote && (
              <Alert
                type={s.status === 'rejected' ? 'error' : s.status === 'need_info' ? 'warning' : 'info'}
                style={{ marginTop: 12, marginBottom: 0 }}
                title={`工会意见（${labelOf(applicationStatuses, s.status)}）`}
                description={<span data-testid="status-note">{s.reviewNote}</span>}
              />
            )}
            {s.infoAnswer && (
              <Alert
                type="success"
                style={{ marginTop: 12, marginBottom: 0 }}
                title={`您的补充说明${s.infoAnsweredAt ? `（${dayjs(s.infoAnsweredAt).format('MM-DD HH:mm')}）` : ''}`}
                description={<span data-testid="status-answer">{s.infoAnswer}</span>}
              />
            )}
          </Card>
          {s.canAnswer && token && <AnswerCard token={token} onDone={() => void q.refetch()} />}
          <Button block size="large" onClick={() => void q.refetch()} loading={q.isFetching} data-testid="status-refresh">
            刷新
          </Button>
          {s.canWithdraw && token && <WithdrawButton token={token} status={s} />}
        </>
      )}
    </PublicLayout>
  )
}

function TokenEntry({ embedded }: { embedded?: boolean }) {
  const [text, setText] = useState('')
  const navigate = useNavigate()
  const go = (e: { preventDefault(): void }) => {
    e.preventDefault()
    const t = text.trim().replace(/^.*token=/, '')
    if (t) navigate(statusLink(decodeURIComponent(t)))
  }
  const input = (
    <form className="u-input-group" onSubmit={go} role="search">
      <Input
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="查询链接或查询码"
        aria-label="查询链接或查询码"
        data-testid="status-token-input"
      />
      <Button variant="primary" type="submit">
        查询
      </Button>
    </form>
  )
  if (embedded)
    return (
      <div>
        <div className="h5-muted" style={{ marginBottom: 8 }}>
          请核对后重新输入查询链接或查询码：
        </div>
        {input}
      </div>
    )
  return (
    <Card title="输入查询码">
      <Empty description="本机没有保存的申请。请粘贴提交申请后得到的查询链接或查询码。" />
      {input}
    </Card>
  )
}

/** 需补充材料: the applicant answers on the phone (a text; a corrected workplace or mobile number if needed). */
function AnswerCard({ token, onDone }: { token: string; onDone: () => void }) {
  const empty = { answer: '', workplace: '', phone: '', smsCode: '' }
  const form = useForm(empty, {
    answer: [required('请填写补充说明'), maxLength(500, '补充说明不能超过500字')],
    workplace: [maxLength(100, '单位名称不能超过100字')],
    phone: [mobile],
    smsCode: [(v, all) => (all.phone.trim() ? (codeRules.map((r) => r(v, all)).find(Boolean) ?? null) : null)],
  })
  const newPhone = form.values.phone
  const [sending, setSending] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const submit = async (v: typeof empty) => {
    setSending(true)
    setError(null)
    try {
      const phone = v.phone.trim() ? validateMobile(v.phone) : null
      await publicApi.answerApplication({
        token,
        answer: v.answer.trim(),
        workplace: v.workplace.trim() || null,
        phone: phone ? (phone.ok ? phone.value : v.phone.trim()) : null,
        smsCode: phone ? v.smsCode || null : null,
      })
      for (const k of Object.keys(empty) as (keyof typeof empty)[]) form.set(k, '')
      onDone()
    } catch (e) {
      setError(errorMessage(e))
      form.serverErrors(e)
    } finally {
      setSending(false)
    }
  }
  return (
    <Card title="补充材料" data-testid="status-answer-card">
      <div className="h5-muted" style={{ marginBottom: 12 }}>
        请按上面的工会意见补充说明，提交后申请回到“待审核”。也可以等工会工作人员通过您留下的手机号联系您。
      </div>
      <form onSubmit={form.submit((v) => void submit(v))} noValidate>
        <Field label="补充说明" error={form.errors.answer} hint={`${form.values.answer.length} / 500`}>
          {(id) => (
            <TextArea
              id={id}
              {...form.bind('answer')}
              rows={3}
              maxLength={500}
              placeholder="如：所在车间、工号，或材料的说明"
              data-testid="status-answer-text"
            />
          )}
        </Field>
        <Field label="更正工作单位（可选）" error={form.errors.workplace}>
          {(id) => <Input id={id} {...form.bind('workplace')} placeholder="单位全称有误时填写" data-testid="status-answer-workplace" />}
        </Field>
        <Field label="更正手机号（可选）" error={form.errors.phone}>
          {(id) => <PhoneInput id={id} {...form.bind('phone')} placeholder="手机号有变化时填写" data-testid="status-answer-phone" />}
        </Field>
        {newPhone.trim() && (
          <Field label="新手机号的短信验证码" error={form.errors.smsCode}>
            {(id) => (
              <PhoneCode
                id={id}
                phone={() => form.values.phone}
                value={form.values.smsCode}
                onChange={(v) => form.set('smsCode', v)}
                invalid={!!form.errors.smsCode}
                testid="status-answer-code"
              />
            )}
          </Field>
        )}
        {error && <Alert type="error" title={error} data-testid="status-answer-error" />}
        <Button variant="primary" type="submit" block size="large" loading={sending} data-testid="status-answer-submit">
          提交补充材料
        </Button>
      </form>
    </Card>
  )
}

/** Withdraw an application (or a transfer request) that is not decided yet. */
function WithdrawButton({ token, status }: { token: string; status: ApplicationStatusView }) {
  const qc = useQueryClient()
  const [error, setError] = useState<string | null>(null)
  const what = status.kind === 'transfer' ? '转会申请' : '入会申请'
  const ask = async () => {
    const ok = await confirm({
      title: `撤回${what}？`,
      content: `撤回后「${status.unionName}」不再办理此申请；如需${status.kind === 'transfer' ? '转会' : '入会'}，可以重新提交。`,
      okText: '确认撤回',
      cancelText: '不撤回',
      danger: true,
      okTestId: 'status-withdraw-confirm',
    })
    if (!ok) return
    try {
      const s = await publicApi.withdrawApplication(token)
      qc.setQueryData(['public-application', token], s)
    } catch (e) {
      setError(errorMessage(e))
    }
  }
  return (
    <>
      {error && <Alert type="error" title={error} style={{ marginTop: 12 }} />}
      <Button
        block
        variant="text"
        className="u-btn-danger-text"
        onClick={() => void ask()}
        style={{ marginTop: 8 }}
        data-testid="status-withdraw"
      >
        撤回{what}
      </Button>
    </>
  )
}
