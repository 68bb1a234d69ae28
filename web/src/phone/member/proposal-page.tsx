import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Link, useParams } from 'react-router-dom'
import { proposalStatusLabel, type MyProposalDetail, type SupportAnswer } from '../../../../common/proposals'
import { dateTime } from '../../components/format'
import { errorMessage } from '../../components/error-message'
import { Alert, Button, Card, Empty, Progress, Skeleton, Tag, toast } from '../ui'
import { memberApi } from './api'
import { MemberShell } from './shell'

/** One proposal: the text, 打call in one tap, the supports against the threshold, the union's answer and progress. */
export function MemberProposalPage() {
  const id = Number(useParams().id)
  const queryClient = useQueryClient()
  const q = useQuery({ queryKey: ['my', 'proposal', id], queryFn: () => memberApi.get<MyProposalDetail>(`/my/proposals/${id}`) })
  const support = useMutation({
    mutationFn: () => memberApi.post<SupportAnswer>(`/my/proposals/${id}/support`),
    onSuccess: async (a) => {
      void queryClient.invalidateQueries({ queryKey: ['my', 'proposals'] })
      // counted when the support committed: the proposal read again tells whether it reached the threshold
      await queryClient.invalidateQueries({ queryKey: ['my', 'proposal', id] })
      const now = queryClient.getQueryData<MyProposalDetail>(['my', 'proposal', id])
      toast.success(
        a.outcome === 'already'
          ? '您已支持过'
          : now?.reachedAt && a.supportsCount >= a.threshold
            ? '支持成功！建议已达到支持数，纳入工会工作计划'
            : '支持成功',
      )
    },
    onError: (e) => toast.error(errorMessage(e)),
  })
  const p = q.data
  const pct = p ? Math.min(100, Math.floor((p.supportsCount * 100) / Math.max(p.threshold, 1))) : 0
  return (
    <MemberShell title="建议详情" back="/m/proposals">
      {q.isLoading && (
        <Card>
          <Skeleton rows={5} />
        </Card>
      )}
      {q.error && <Empty description={errorMessage(q.error)} />}
      {p && (
        <>
          <Card>
            <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 8 }}>
              <b style={{ fontSize: 17 }} data-testid="m-proposal-heading">
                {p.title}
              </b>
              <Tag data-testid="m-proposal-status" style={{ marginInlineEnd: 0 }}>
                {proposalStatusLabel(p.status)}
              </Tag>
            </div>
            <div className="h5-muted" style={{ margin: '4px 0 8px' }}>
              {p.unionName} · {p.categoryLabel} · {dateTime(p.createdAt)}
              {p.mine && ' · 我提出的'}
            </div>
            <div style={{ whiteSpace: 'pre-wrap' }}>{p.body}</div>
            {p.editable && (
              <Link
                to={`/m/proposals/${p.id}/edit`}
                className="u-btn u-btn-default u-btn-small"
                style={{ marginTop: 10 }}
                data-testid="m-proposal-edit"
              >
                编辑
              </Link>
            )}
            {p.mine && !p.editable && p.frozen && p.status === 'open' && (
              <div className="h5-muted" style={{ marginTop: 8 }} data-testid="m-proposal-frozen">
                已有会员支持，内容已冻结，不能再修改
              </div>
            )}
            {p.status === 'hidden' && p.hiddenReason && (
              <Alert type="warning" style={{ marginTop: 10, marginBottom: 0 }} title={`已被工会隐藏：${p.hiddenReason}`} />
            )}
          </Card>
          <Card title="支持（打call）">
            <Progress percent={pct} done={p.supportsCount >= p.threshold} />
            <div data-testid="m-proposal-supports">
              <b style={{ fontSize: 20 }}>{p.supportsCount}</b> / {p.threshold} 人支持
            </div>
            <div className="h5-muted" style={{ marginBottom: 10 }}>
              {p.reachedAt
                ? `已于 ${dateTime(p.reachedAt)} 达到支持数，纳入工会工作计划${p.answerDueOn ? `，工会应于 ${p.answerDueOn} 前答复` : ''}`
                : p.status === 'open'
                  ? `征集至 ${p.closesOn}，达到 ${p.threshold} 人支持即纳入工会工作计划`
                  : ''}
            </div>
            {p.canSupport && (
              <Button
                variant="primary"
                size="large"
                block
                loading={support.isPending}
                onClick={() => support.mutate()}
                data-testid="m-proposal-support"
              >
                打call 支持
              </Button>
            )}
            {p.supported && (
              <Tag color="green" data-testid="m-proposal-supported">
                我已支持
              </Tag>
            )}
            {p.mine && !p.supported && <div className="h5-muted">这是您提出的建议，邀请同事来支持吧</div>}
          </Card>
          {(p.answer || p.status === 'reached') && (
            <Card title="工会答复">
              {p.answer ? (
                <div data-testid="m-proposal-answer">
                  <div style={{ whiteSpace: 'pre-wrap' }}>{p.answer}</div>
                  <div className="h5-muted">答复于 {dateTime(p.answeredAt)}</div>
                </div>
              ) : (
                <div className="h5-muted">等待工会答复{p.answerDueOn ? `（${p.answerDueOn} 前）` : ''}</div>
              )}
            </Card>
          )}
          {p.progressEntries.length > 0 && (
            <Card title={`办理进度 ${p.progress}%`}>
              <Progress percent={p.progress} done={p.status === 'done'} label={`${p.progress}%`} />
              <ol className="u-timeline" data-testid="m-proposal-progress">
                {p.progressEntries.map((e, i) => (
                  <li key={i} className={e.percent === 100 ? 'u-timeline-done' : undefined}>
                    <b>
                      {e.onDate} · {e.percent}%
                    </b>
                    <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div>
                  </li>
                ))}
              </ol>
            </Card>
          )}
        </>
      )}
    </MemberShell>
  )
}
