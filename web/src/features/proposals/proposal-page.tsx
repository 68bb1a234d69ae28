import { useState } from 'react'
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd'
import { useQuery } from '@tanstack/react-query'
import { Link, useParams } from 'react-router-dom'
import type { ProposalCadreDetail } from '../../../../common/proposals'
import { proposalApi as api } from './api'
import { feedback } from '../../components/feedback'
import { dateTime } from '../../components/format'
import { PageHead } from '../../components/page-head'
import { DecisionModal } from '../../components/decision-modal'
import { useSave } from '../../components/use-save'
import { useTitle } from '../../components/use-title'
import { ProposalStatusTag, SupportBar } from './labels'

/** One proposal: its text and supports; the answer (accept / decline with reasons), progress to done, hiding. */
export function ProposalPage() {
  const id = Number(useParams().id)
  const q = useQuery({ queryKey: ['proposal', id], queryFn: () => api.proposal(id) })
  useTitle(q.data ? `建议：${q.data.title}` : '建议')
  const [dialog, setDialog] = useState<null | 'answer' | 'progress' | 'hide'>(null)
  if (q.isLoading)
    return (
      <div className="full-center" style={{ height: 320 }}>
        <Spin />
      </div>
    )
  if (!q.data)
    return (
      <div className="page">
        <Empty description={(q.error as Error | null)?.message ?? '建议不存在'}>
          <Link to="/proposals">返回建议列表</Link>
        </Empty>
      </div>
    )
  const p = q.data
  const close = () => setDialog(null)
  return (
    <div className="page" data-testid="proposal-page">
      <PageHead
        title={p.title}
        sub={
          <Space wrap>
            <ProposalStatusTag status={p.status} />
            <span>
              {p.unionName} · {p.categoryLabel} · {p.authorName} 提出于 {dateTime(p.createdAt)}
            </span>
            <Link to="/proposals">返回列表</Link>
          </Space>
        }
        extra={
          p.canWrite ? (
            <Space wrap>
              {p.status === 'reached' && (
                <Button type="primary" onClick={() => setDialog('answer')} data-testid="proposal-answer">
                  答复
                </Button>
              )}
              {(p.status === 'accepted' || p.status === 'in_progress') && (
                <Button type="primary" onClick={() => setDialog('progress')} data-testid="proposal-progress">
                  登记办理进度
                </Button>
              )}
              {p.status !== 'hidden' && (
                <Button danger onClick={() => setDialog('hide')} data-testid="proposal-hide">
                  隐藏
                </Button>
              )}
            </Space>
          ) : undefined
        }
      />
      {p.overdue && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={`答复已超期：应于 ${p.answerDueOn} 前答复`}
          data-testid="proposal-overdue"
        />
      )}
      <Card size="small" className="section-card" title="建议内容">
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="proposal-body">
          {p.body}
        </Typography.Paragraph>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label="支持">
            <div style={{ width: 220 }}>
              <SupportBar count={p.supportsCount} threshold={p.threshold} />
            </div>
          </Descriptions.Item>
          <Descriptions.Item label="征集截止">{p.closesOn}</Descriptions.Item>
          <Descriptions.Item label="达到支持数">{p.reachedAt ? dateTime(p.reachedAt) : '—'}</Descriptions.Item>
          <Descriptions.Item label="答复期限">{p.answerDueOn ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="工作计划">{p.workPlanItemId ? <Tag color="cyan">已列入</Tag> : '未列入'}</Descriptions.Item>
          <Descriptions.Item label="内容">{p.frozen ? '已冻结（已有会员支持）' : '提出人可修改'}</Descriptions.Item>
        </Descriptions>
      </Card>
      {p.status === 'hidden' && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={`已隐藏：${p.hiddenReason ?? ''}`} />}
      <Card size="small" className="section-card" title="答复">
        {p.answer ? (
          <div data-testid="proposal-answer-text">
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{p.answer}</Typography.Paragraph>
            <Typography.Text type="secondary">
              答复于 {dateTime(p.answeredAt)}
              {p.answeredLate && (
                <Tag color="red" style={{ marginLeft: 8 }}>
                  超期答复
                </Tag>
              )}
            </Typography.Text>
          </div>
        ) : (
          <Typography.Text type="secondary">{p.status === 'reached' ? '待答复' : '尚未达到支持数，无需答复'}</Typography.Text>
        )}
      </Card>
      <Card size="small" className="section-card" title={`办理进度 ${p.progress}%`}>
        {p.progressEntries.length === 0 ? (
          <Typography.Text type="secondary">暂无办理进度</Typography.Text>
        ) : (
          <Timeline
            data-testid="proposal-progress-entries"
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
        )}
      </Card>
      {dialog === 'answer' && <AnswerModal p={p} onClose={close} />}
      {dialog === 'progress' && <ProgressModal p={p} onClose={close} />}
      {dialog === 'hide' && (
        <DecisionModal
          title={`隐藏建议「${p.title}」`}
          okText="确认隐藏"
          danger
          label="隐藏原因（将告知提出人）"
          required="请填写隐藏原因"
          placeholder="如：含人身攻击、泄露他人隐私、广告等不当内容"
          maxLength={1000}
          submitTestid="hide-submit"
          noteTestid="hide-reason"
          decide={async (note) => {
            await api.hideProposal(p.id, note ?? '')
            feedback.message.success('已隐藏，提出人已收到通知')
            void q.refetch()
            close()
          }}
          onClose={close}
        >
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            message="隐藏后其他会员看不到这条建议，也不能再支持；此操作记入审计日志。"
          />
        </DecisionModal>
      )}
    </div>
  )
}

function AnswerModal({ p, onClose }: { p: ProposalCadreDetail; onClose: () => void }) {
  const [form] = Form.useForm<{ verdict: 'accept' | 'decline'; reply: string }>()
  const { saving, save } = useSave((v: { verdict: 'accept' | 'decline'; reply: string }) => api.answerProposal(p.id, v.verdict, v.reply), {
    form,
    invalidate: [['proposal', p.id], ['proposals']],
    onSuccess: () => {
      feedback.message.success('已答复，提出人和支持者已收到通知')
      onClose()
    },
  })
  return (
    <Modal
      open
      title={`答复建议「${p.title}」`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="提交答复"
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'answer-submit' } as never}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ verdict: 'accept' }} onFinish={(v) => void save(v)}>
        <Form.Item name="verdict" label="答复结果" rules={[{ required: true, message: '请选择答复结果' }]}>
          <Radio.Group data-testid="answer-verdict">
            <Radio value="accept" data-testid="verdict-accept">
              纳入工作计划
            </Radio>
            <Radio value="decline" data-testid="verdict-decline">
              不予采纳
            </Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="reply"
          label="答复意见（采纳的写明怎么办，不予采纳的写明理由）"
          rules={[{ required: true, whitespace: true, min: 2, message: '请填写答复意见' }]}
        >
          <Input.TextArea rows={4} maxLength={1000} showCount data-testid="answer-reply" />
        </Form.Item>
      </Form>
    </Modal>
  )
}

function ProgressModal({ p, onClose }: { p: ProposalCadreDetail; onClose: () => void }) {
  const [form] = Form.useForm<{ percent: number; note: string }>()
  const { saving, save } = useSave((v: { percent: number; note: string }) => api.proposalProgress(p.id, v.percent, v.note), {
    form,
    invalidate: [['proposal', p.id], ['proposals']],
    onSuccess: (r) => {
      feedback.message.success(r.status === 'done' ? '已办结，提出人和支持者已收到通知' : '进度已登记，提出人和支持者已收到通知')
      onClose()
    },
  })
  return (
    <Modal
      open
      title={`登记办理进度「${p.title}」`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText="登记"
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'progress-submit' } as never}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ percent: Math.min(100, p.progress + 10) }} onFinish={(v) => void save(v)}>
        <Form.Item name="percent" label="办理进度（%，100 即办结）" rules={[{ required: true, message: '请填写办理进度' }]}>
          <InputNumber min={p.progress} max={100} precision={0} addonAfter="%" data-testid="progress-percent" />
        </Form.Item>
        <Form.Item name="note" label="进展说明" rules={[{ required: true, whitespace: true, min: 2, message: '请填写进展说明' }]}>
          <Input.TextArea rows={3} maxLength={1000} showCount data-testid="progress-note" />
        </Form.Item>
      </Form>
    </Modal>
  )
}
