import { useState } from 'react'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useParams } from 'react-router-dom'
import { origins, registrationStatuses, type MyActivity, type SignUpAnswer } from '../../../../common/activities'
import { dateTime } from '../../components/format'
import { errorMessage } from '../../components/error-message'
import { Alert, Button, Card, Empty, Rate, Result, Rows, Skeleton, Tag, TextArea, confirm, toast } from '../ui'
import { QrCode } from '../../components/qr-code'
import { memberApi } from './api'
import { MemberShell } from './shell'

/**
 * One activity on the member's phone: 报名 in one tap (a seat or the waitlist with its place),
 * 取消报名 before the deadline, the check-in QR code once registered, the rating after attending.
 */
export function MemberActivityPage() {
  const id = Number(useParams().id)
  const qc = useQueryClient()
  const q = useQuery({ queryKey: ['my', 'activity', id], queryFn: () => memberApi.get<MyActivity>(`/my/activities/${id}`) })
  const refresh = () => void qc.invalidateQueries({ queryKey: ['my'] })
  const signUp = useMutation({
    mutationFn: () => memberApi.post<SignUpAnswer>(`/my/activities/${id}/sign-up`),
    onSuccess: (r) => {
      toast.success(r.message)
      refresh()
    },
    onError: (e) => toast.error(errorMessage(e)),
  })
  const cancel = useMutation({
    mutationFn: () => memberApi.post<{ message: string }>(`/my/activities/${id}/cancel`),
    onSuccess: (r) => {
      toast.success(r.message)
      refresh()
    },
    onError: (e) => toast.error(errorMessage(e)),
  })
  const [rating, setRating] = useState(0)
  const [comment, setComment] = useState('')
  const rate = useMutation({
    mutationFn: () => memberApi.post<MyActivity>(`/my/activities/${id}/rating`, { rating, ratingComment: comment.trim() }),
    onSuccess: () => {
      toast.success('感谢您的评价')
      refresh()
    },
    onError: (e) => toast.error(errorMessage(e)),
  })

  const a = q.data
  if (q.isError)
    return (
      <MemberShell title="活动" back="/m/activities">
        <Empty description={errorMessage(q.error)} style={{ marginTop: 48 }} />
      </MemberShell>
    )
  if (!a)
    return (
      <MemberShell title="活动" back="/m/activities">
        <Card>
          <Skeleton rows={6} />
        </Card>
      </MemberShell>
    )
  const now = Date.now()
  const mine = a.mine && a.mine.status !== 'cancelled' ? a.mine : null
  const open =
    a.status === 'published' && now >= Date.parse(a.signupOpens) && now <= Date.parse(a.signupCloses) && now < Date.parse(a.startsAt)
  const full = a.registered >= a.capacity
  const mayCancel = mine && !mine.checkedInAt && (mine.status === 'waiting' || now <= Date.parse(a.cancelDeadline))
  return (
    <MemberShell title="活动" back="/m/activities">
      <Card>
        <div style={{ fontSize: 17, fontWeight: 600 }} data-testid="m-activity-title">
          {a.title}
        </div>
        {a.status === 'cancelled' && (
          <Alert
            style={{ marginTop: 8, marginBottom: 0 }}
            type="error"
            title={`活动已取消${a.cancelReason ? `：${a.cancelReason}` : ''}`}
          />
        )}
        <Rows
          style={{ marginTop: 8 }}
          items={[
            ['时间', `${dateTime(a.startsAt)} 至 ${dateTime(a.endsAt)}`],
            ['地点', a.place],
            ['主办', a.orgName || '—'],
            ['名额', `${a.capacity}人，已报名${a.registered}人${a.waiting > 0 ? `，候补${a.waiting}人` : ''}`],
            ['报名截止', dateTime(a.signupCloses)],
            ['取消截止', dateTime(a.cancelDeadline)],
            ['来源', origins[a.origin]],
          ]}
        />
        {a.body && <div style={{ whiteSpace: 'pre-wrap', marginTop: 8 }}>{a.body}</div>}
      </Card>

      {mine ? (
        <Card title="我的报名" data-testid="m-my-registration">
          <Tag color={mine.status === 'registered' ? 'blue' : 'orange'} data-testid="m-registration-status">
            {registrationStatuses[mine.status]}
            {mine.waitlistPlace ? `（第${mine.waitlistPlace}位）` : ''}
          </Tag>
          {mine.status === 'waiting' && <div className="h5-muted">有人取消时按顺序自动递补，递补后会通知您。</div>}
          {mine.checkedInAt ? (
            <Result status="success" title="已签到" sub={dateTime(mine.checkedInAt)} style={{ padding: 12 }} />
          ) : (
            mine.code && (
              <div style={{ textAlign: 'center', marginTop: 12 }}>
                <QrCode text={mine.code} size={200} testid="m-checkin-qr" />
                <div style={{ marginTop: 6 }}>
                  签到码 <b data-testid="m-checkin-code">{mine.code}</b>
                </div>
                <div className="h5-muted">到场后请出示给工作人员扫码</div>
              </div>
            )
          )}
          {mayCancel && (
            <Button
              block
              variant="danger"
              style={{ marginTop: 12 }}
              loading={cancel.isPending}
              onClick={() =>
                void confirm({
                  title: '确定取消报名？',
                  content: '名额将让给候补的会员',
                  okText: '取消报名',
                  cancelText: '不取消',
                  danger: true,
                }).then((ok) => ok && cancel.mutate())
              }
              data-testid="m-activity-cancel"
            >
              取消报名
            </Button>
          )}
        </Card>
      ) : (
        a.status === 'published' && (
          <Card>
            {open ? (
              <Button
                block
                variant="primary"
                size="large"
                loading={signUp.isPending}
                onClick={() => signUp.mutate()}
                data-testid="m-sign-up"
              >
                {full ? '名额已满，加入候补' : '报名'}
              </Button>
            ) : (
              <div className="h5-muted">{now < Date.parse(a.signupOpens) ? `报名将于${dateTime(a.signupOpens)}开始` : '报名已截止'}</div>
            )}
          </Card>
        )
      )}

      {mine?.checkedInAt && (
        <Card title="活动评价" data-testid="m-rating">
          {mine.rating !== null ? (
            <>
              <Rate value={mine.rating} />
              {mine.comment && <div style={{ marginTop: 4 }}>{mine.comment}</div>}
              <div className="h5-muted">感谢您的评价</div>
            </>
          ) : (
            <>
              <Rate value={rating} onChange={setRating} data-testid="m-rate" />
              <TextArea
                rows={3}
                maxLength={500}
                placeholder="说说您的感受（选填）"
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                style={{ marginTop: 8 }}
                data-testid="m-rating-comment"
              />
              <Button
                block
                variant="primary"
                style={{ marginTop: 8 }}
                disabled={rating < 1}
                loading={rate.isPending}
                onClick={() => rate.mutate()}
                data-testid="m-rating-submit"
              >
                提交评价
              </Button>
            </>
          )}
        </Card>
      )}
    </MemberShell>
  )
}
