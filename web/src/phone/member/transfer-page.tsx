import { useEffect, useState } from 'react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { MyHome, MyTransfer, MyTransferTarget } from '../../../../common/api-my'
import { dateTime } from '../../components/format'
import { errorMessage } from '../../components/error-message'
import { Alert, Button, Card, Empty, Field, Input, List, ListItem, Skeleton, TextArea, confirm, toast, useForm } from '../ui'
import { TransferStatusTag } from '../ui/status-tags'
import { memberApi } from './api'
import { MemberShell } from './shell'
import './transfer.css'

/** What was typed, once the typing pauses. */
function useSettled(value: string, ms: number) {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(t)
  }, [value, ms])
  return settled
}

/**
 * 申请转会 (我的 → 申请转会): the member finds the unit they now work at in the directory, sees the
 * union that would receive them, gives a reason and asks; the requests and transfers so far, with
 * their state, and a pending request of their own to withdraw.
 */
export function MemberTransferPage() {
  const home = useQuery({ queryKey: ['my', 'home'], queryFn: () => memberApi.get<MyHome>('/my/home') })
  const transfers = home.data?.transfers ?? []
  const pending = transfers.find((t) => t.status === 'pending')
  return (
    <MemberShell title="申请转会" back="/m">
      {home.isLoading && (
        <Card>
          <Skeleton rows={4} />
        </Card>
      )}
      {home.error && <Alert type="error" title={errorMessage(home.error)} />}
      {home.data && !home.data.member && <Empty description="只有会员可以申请转会；入会申请通过后即可办理" />}
      {home.data?.member && !pending && <TransferForm unionName={home.data.member.unionName} />}
      {home.data?.member && pending && (
        <Alert
          type="info"
          title="已有一笔正在办理的接转"
          description="转入工会接收或退回后，或您撤回本人的申请后，才能再申请转会。"
          data-testid="m-transfer-pending"
        />
      )}
      {transfers.length > 0 && <TransferList transfers={transfers} />}
    </MemberShell>
  )
}

function TransferForm({ unionName }: { unionName: string }) {
  const queryClient = useQueryClient()
  const [text, setText] = useState('')
  const q = useSettled(text.trim(), 300)
  const [chosen, setChosen] = useState<MyTransferTarget | null>(null)
  const targets = useQuery({
    queryKey: ['my', 'transfer-targets', q],
    queryFn: () => memberApi.get<MyTransferTarget[]>('/my/transfer-targets', { q }),
    enabled: q.length >= 2,
  })
  const form = useForm({ transferReason: '' }, { transferReason: [(v) => (v.trim().length >= 2 ? null : '请说明转会理由（至少2个字）')] })
  const ask = useMutation({
    mutationFn: (v: { enterpriseId: number; transferReason: string }) => memberApi.post<MyTransfer>('/my/transfers', v),
    onSuccess: (t) => {
      toast.success(`转会申请已提交，等待「${t.toName ?? '转入工会'}」接收`)
      void queryClient.invalidateQueries({ queryKey: ['my', 'home'] })
      window.scrollTo(0, 0)
    },
    onError: (e) => {
      if (!form.serverErrors(e)) toast.error(errorMessage(e))
    },
  })
  const [unitError, setUnitError] = useState<string | null>(null)
  const submit = form.submit((v) => {
    if (!chosen) {
      setUnitError('请搜索并选择新的工作单位')
      return
    }
    ask.mutate({ enterpriseId: chosen.enterpriseId, transferReason: v.transferReason.trim() })
  })
  const results = q.length >= 2 ? (targets.data ?? []) : []
  return (
    <Card title="把会籍转到新单位的工会">
      <Alert
        type="info"
        title={`现在的会籍在「${unionName}」`}
        description="转入工会接收后，会籍即转到新工会，会员号不变；接收之前会籍仍保留在原工会，不会中断。"
      />
      <form onSubmit={submit} noValidate>
        <Field label="新的工作单位" error={unitError ?? undefined} hint="输入单位名称中的至少2个字，从登记的单位中选择">
          {(id) => (
            <Input
              id={id}
              value={text}
              onChange={(e) => {
                setText(e.target.value)
                setChosen(null)
                setUnitError(null)
              }}
              maxLength={50}
              placeholder="如：纺织、五金"
              autoComplete="off"
              data-testid="m-transfer-search"
            />
          )}
        </Field>
        {!chosen && q.length >= 2 && (
          <div className="m-transfer-results" data-testid="m-transfer-results">
            {targets.isLoading && <Skeleton rows={2} />}
            {targets.error && <Alert type="error" title={errorMessage(targets.error)} />}
            {targets.data && results.length === 0 && <Empty description="没有找到这个单位，请换个关键词，或联系所在工会办理" />}
            {results.length > 0 && (
              <List>
                {results.map((t) => {
                  const usable = t.unionId !== null && !t.current
                  return (
                    <ListItem key={t.enterpriseId}>
                      <button
                        type="button"
                        className="m-transfer-option"
                        disabled={!usable}
                        onClick={() => {
                          setChosen(t)
                          setUnitError(null)
                        }}
                        data-testid={`m-transfer-option-${t.enterpriseId}`}
                        data-name={t.enterpriseName}
                      >
                        <div className="u-list-title">{t.enterpriseName}</div>
                        <div className="u-list-desc">
                          {t.townName ?? ''}
                          {t.current
                            ? ' · 您的会籍已在该单位的工会'
                            : t.unionName
                              ? ` · 转入「${t.unionName}」`
                              : ' · 当地暂无可受理的工会，请联系所在工会'}
                        </div>
                      </button>
                    </ListItem>
                  )
                })}
              </List>
            )}
          </div>
        )}
        {chosen && (
          <div className="h5-kv" data-testid="m-transfer-chosen">
            <span>转入工会</span>
            <b data-testid="m-transfer-union">{chosen.unionName}</b>
          </div>
        )}
        <Field label="转会理由" error={form.errors.transferReason} hint={`${form.values.transferReason.length} / 200`}>
          {(id) => (
            <TextArea
              id={id}
              {...form.bind('transferReason')}
              rows={3}
              maxLength={200}
              placeholder="如：已调到新单位工作"
              data-testid="m-transfer-reason"
            />
          )}
        </Field>
        <Button variant="primary" type="submit" block size="large" loading={ask.isPending} data-testid="m-transfer-submit">
          提交转会申请
        </Button>
      </form>
    </Card>
  )
}

function TransferList({ transfers }: { transfers: MyTransfer[] }) {
  const queryClient = useQueryClient()
  const cancel = useMutation({
    mutationFn: (id: number) => memberApi.post<MyTransfer>(`/my/transfers/${id}/cancel`),
    onSuccess: () => {
      toast.success('转会申请已撤回')
      void queryClient.invalidateQueries({ queryKey: ['my', 'home'] })
    },
    onError: (e) => toast.error(errorMessage(e)),
  })
  return (
    <Card title="我的接转" data-testid="m-transfers">
      <List>
        {transfers.map((t) => (
          <ListItem key={t.id} data-testid={`m-transfer-${t.id}`} data-status={t.status}>
            <div className="u-list-title">
              {t.fromName ?? '—'} → {t.toName ?? '—'} <TransferStatusTag status={t.status} />
            </div>
            <div className="u-list-desc">
              {t.byMe ? '本人申请' : '工会办理'} · {dateTime(t.requestedAt)}
              {t.decisionNote && <div>意见：{t.decisionNote}</div>}
            </div>
            {t.canCancel && (
              <Button
                size="small"
                style={{ marginTop: 8 }}
                loading={cancel.isPending && cancel.variables === t.id}
                onClick={async () => {
                  if (
                    await confirm({
                      title: '撤回转会申请？',
                      content: '撤回后转入工会不再办理；会籍仍在原工会。',
                      okText: '撤回',
                      danger: true,
                    })
                  )
                    cancel.mutate(t.id)
                }}
                data-testid={`m-transfer-cancel-${t.id}`}
              >
                撤回申请
              </Button>
            )}
          </ListItem>
        ))}
      </List>
    </Card>
  )
}
