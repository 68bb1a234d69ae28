import { Alert, Button, Card, Empty, Progress, Skeleton, Tag, Timeline } from 'antd'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useParams } from 'react-router-dom'
import { proposalStatusLabel, type MyProposalDetail, type SupportAnswer } from '../../../../common/proposals'
import { dateTime } from '../../components/format'
import { errorMessage } from '../../components/form-errors'
import { feedback } from '../../components/feedback'
import { memberApi } from './api'
import { MemberShell } from './shell'

/** One proposal: the text, 打call in one tap, the supports against the threshold, the union's answer and progress. */
export function MemberProposalPage() {
  const id = Number(useParams().id)
  const queryClient = useQueryClient()
  const q = useQuery({ queryKey: ['my', 'proposal', id], queryFn: () => memberApi.get<MyProposalDetail>(`/my/proposals/${id}`) })
  const support = useMutation({
    mutationFn: () => memberApi.post<SupportAnswer>(`/my/proposals/${id}/support`),
    onSuccess: (a) => {
      feedback.message.success(
        a.outcome === 'reached' ? '支持成功！建议已达到支持数，纳入工会工作计划' : a.outcome === 'already' ? '您已支持过' : '支持成功',
      )
      void queryClient.invalidateQueries({ queryKey: ['my', 'proposal', id] })
      void queryClient.invalidateQueries({ queryKey: ['my', 'proposals'] })
    },
    onError: (e) => void feedback.message.error(errorMessage(e)),
  })
  const p = q.data
  const pct = p ? Math.min(100, Math.floor((p.supportsCount * 100) / Math.max(p.threshold, 1))) : 0
  return (
    <MemberShell title="建议详情" back="/m/proposals">
      {q.isLoading && <Skeleton active />}
      {q.error && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={errorMessage(q.error)} />}
      {p && (
        <>
          <Card className="h5-card" size="small">
            <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
              <b style={{ fontSize: 17 }} data-testid="m-proposal-heading">
                {p.title}
              </b>
              <Tag data-testid="m-proposal-status">{proposalStatusLabel(p.status)}</Tag>
            </div>
            <div className="h5-muted" style={{ margin: '4px 0 8px' }}>
              {p.unionName} · {p.categoryLabel} · {dateTime(p.createdAt)}
              {p.mine && ' · 我提出的'}
            </div>
            <div style={{ whiteSpace: 'pre-wrap' }}>{p.body}</div>
            {p.status === 'hidden' && p.hiddenReason && (
              <Alert type="warning" showIcon style={{ marginTop: 10 }} title={`已被工会隐藏：${p.hiddenReason}`} />
            )}
          </Card>
          <Card className="h5-card" size="small" title="支持（打call）">
            <Progress percent={pct} status={p.supportsCount >= p.threshold ? 'success' : 'active'} showInfo={false} />
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
                type="primary"
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
            <Card className="h5-card" size="small" title="工会答复">
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
            <Card className="h5-card" size="small" title={`办理进度 ${p.progress}%`}>
              <Progress percent={p.progress} status={p.status === 'done' ? 'success' : 'active'} />
              <Timeline
                style={{ marginTop: 12 }}
                data-testid="m-proposal-progress"
                items={p.progressEntries.map((e) => ({
                  color: e.percent === 100 ? 'green' : 'blue',
                  children: (
                    <div>
                      <b>
                        {e.onDate} · {e.percent}%
                      </b>
                      <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div>
                    </div>
                  ),
                }))}
              />
            </Card>
          )}
        </>
      )}
    </MemberShell>
  )
}
