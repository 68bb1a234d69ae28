import { useEffect, useRef, useState } from 'react'
import { Alert, Button, Card, Empty, Input, Result, Space, Typography } from 'antd'
import { CameraOutlined, LeftOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useNavigate, useParams } from 'react-router-dom'
import type { CheckInAnswer } from '../../../../common/activities'
import { errorMessage } from '../../components/form-errors'
import { dateTime } from '../../components/format'
import { useTitle } from '../../components/use-title'
import { activitiesApi } from './api'

type Outcome = { ok: true; answer: CheckInAnswer } | { ok: false; message: string }

/**
 * 签到 on a cadre's phone: the camera reads the QR code on the member's phone (qr-scanner, loaded
 * only when the camera is opened), or the code is typed in. Each code checks a member in once; a
 * second scan says 已签到, a cancelled registration's code is refused.
 */
export function CheckInPage() {
  const id = Number(useParams().activityId)
  const navigate = useNavigate()
  const qc = useQueryClient()
  const a = useQuery({ queryKey: ['activity', id], queryFn: () => activitiesApi.get(id) })
  useTitle(`签到 · ${a.data?.title ?? '活动'}`)
  const [code, setCode] = useState('')
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<Outcome | null>(null)
  const [camera, setCamera] = useState(false)
  const [cameraError, setCameraError] = useState<string | null>(null)
  const video = useRef<HTMLVideoElement>(null)
  const last = useRef<{ code: string; at: number }>({ code: '', at: 0 })

  const submit = async (raw: string) => {
    const text = raw.trim()
    if (!text || busy) return
    setBusy(true)
    try {
      const answer = await activitiesApi.checkIn(id, text)
      setOutcome({ ok: true, answer })
      setCode('')
      void qc.invalidateQueries({ queryKey: ['activity', id] })
    } catch (e) {
      setOutcome({ ok: false, message: errorMessage(e) })
    } finally {
      setBusy(false)
    }
  }

  useEffect(() => {
    if (!camera || !video.current) return
    let stopped = false
    let scanner: { stop(): void; destroy(): void } | null = null
    void import('qr-scanner')
      .then(async ({ default: QrScanner }) => {
        if (stopped || !video.current) return
        const s = new QrScanner(
          video.current,
          (r) => {
            // the same code held in front of the camera is sent once every few seconds at most
            const now = Date.now()
            if (r.data === last.current.code && now - last.current.at < 4000) return
            last.current = { code: r.data, at: now }
            void submit(r.data)
          },
          { returnDetailedScanResult: true, highlightScanRegion: true },
        )
        scanner = s
        await s.start()
      })
      .catch(() => {
        setCameraError('无法打开摄像头（需要 HTTPS 和摄像头权限），请输入签到码')
        setCamera(false)
      })
    return () => {
      stopped = true
      scanner?.stop()
      scanner?.destroy()
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [camera])

  if (a.isError) return <Empty description="活动不存在或不在您的管辖范围内" style={{ marginTop: 64 }} />
  const d = a.data
  return (
    <div className="checkin-page" data-testid="checkin-page" style={{ maxWidth: 480, margin: '0 auto', padding: 12 }}>
      <Space style={{ marginBottom: 8 }}>
        <Button type="text" icon={<LeftOutlined />} onClick={() => navigate(`/activities/${id}`)}>
          返回
        </Button>
      </Space>
      <Card size="small" loading={!d}>
        {d && (
          <>
            <Typography.Title level={4} style={{ marginTop: 0 }}>
              {d.title}
            </Typography.Title>
            <Typography.Text type="secondary">
              {dateTime(d.startsAt)} · {d.place}
            </Typography.Text>
            <div style={{ marginTop: 8 }} data-testid="checkin-count">
              已签到 <b>{d.attended}</b> / 已报名 {d.registered}
            </div>
            {!d.mayCheckIn && (
              <Alert style={{ marginTop: 8 }} type="warning" showIcon message="只有主办工会的工作人员可以为已发布的活动签到" />
            )}
          </>
        )}
      </Card>
      <Card size="small" style={{ marginTop: 12 }}>
        {camera ? (
          <>
            <video ref={video} style={{ width: '100%', borderRadius: 8, background: '#000' }} muted playsInline />
            <Button block style={{ marginTop: 8 }} onClick={() => setCamera(false)}>
              关闭摄像头
            </Button>
          </>
        ) : (
          <Button block size="large" type="primary" icon={<CameraOutlined />} onClick={() => (setCameraError(null), setCamera(true))}>
            扫码签到
          </Button>
        )}
        {cameraError && <Alert style={{ marginTop: 8 }} type="info" showIcon message={cameraError} />}
        <Typography.Paragraph style={{ margin: '12px 0 4px' }}>或输入会员手机上显示的签到码：</Typography.Paragraph>
        <Space.Compact style={{ width: '100%' }}>
          <Input
            size="large"
            inputMode="numeric"
            placeholder="例如 12-3456789012"
            value={code}
            maxLength={40}
            onChange={(e) => setCode(e.target.value)}
            onPressEnter={() => void submit(code)}
            data-testid="checkin-code"
          />
          <Button size="large" type="primary" loading={busy} onClick={() => void submit(code)} data-testid="checkin-submit">
            签到
          </Button>
        </Space.Compact>
      </Card>
      {outcome && (
        <Card size="small" style={{ marginTop: 12 }} data-testid="checkin-result">
          {outcome.ok ? (
            <Result
              status={outcome.answer.checkedIn ? 'success' : 'info'}
              title={outcome.answer.checkedIn ? `${outcome.answer.memberName} 签到成功` : '已签到'}
              subTitle={outcome.answer.checkedIn ? `签到时间 ${dateTime(outcome.answer.checkedInAt)}` : outcome.answer.message}
            />
          ) : (
            <Result status="error" title="签到未通过" subTitle={outcome.message} />
          )}
        </Card>
      )}
    </div>
  )
}
