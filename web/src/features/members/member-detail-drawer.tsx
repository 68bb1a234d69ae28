import { useState } from 'react'
import {
  Alert,
  Button,
  DatePicker,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Modal,
  Result,
  Select,
  Skeleton,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd'
import {
  EditOutlined,
  IdcardOutlined,
  PauseCircleOutlined,
  RollbackOutlined,
  StopOutlined,
  SwapOutlined,
  UndoOutlined,
} from '@ant-design/icons'
import dayjs, { type Dayjs } from 'dayjs'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { RevealModal } from '../../components/reveal-modal'
import type { MemberDetail, memberStatusBody } from '../../../../common/api-members'
import {
  employmentStatuses,
  genders,
  labelOf,
  membershipEventTypes,
  membershipReasons,
  newEmploymentOccupations,
  optionsOf,
} from '../../../../common/codes'
import { documentTypeLabel } from '../../../../common/documents'
import { educations, ethnicities, householdTypes, politicalStatuses, skillLevels } from '../../../../common/member-codes'
import { api, type In } from '../../api/client'
import { feedback } from '../../components/feedback'
import { useSaving } from '../../components/use-save'
import { canReveal, canWrite, useUser } from '../auth/auth-context'
import { MemberStatusTag, QualityTag, TransferStatusTag } from './labels'
import { MemberFormDrawer } from './member-form-drawer'
import { MemberCard } from './member-card'
import { TransferModal } from './transfer-modal'

type Action = '3' | '5' | '6' | 'restore'
const actionInfo: Record<Action, { title: string; ok: string; danger?: boolean; reasons: string[]; hint: string }> = {
  '3': {
    title: '保留会籍',
    ok: '确认保留',
    reasons: ['2', '3', '4', '1'],
    hint: '退休、失业或所在企业破产时保留会籍；保留期间不交会费，不行使表决权。',
  },
  '5': { title: '除名', ok: '确认除名', danger: true, reasons: ['6'], hint: '除名后会员离会，记入会籍变化记录。' },
  '6': { title: '退会', ok: '确认退会', danger: true, reasons: ['5', '1'], hint: '会员本人要求退会，离会后可重新申请入会。' },
  restore: { title: '恢复会籍', ok: '确认恢复', reasons: [], hint: '保留会籍的会员重新就业或回到本工会时恢复为在册。' },
}
const eventColors: Record<string, string> = { '1': 'green', '2': 'blue', '3': 'gold', '4': 'gray', '5': 'red', '6': 'gray' }

export function MemberDetailDrawer({ memberId, onClose }: { memberId: number; onClose: () => void }) {
  const user = useUser()
  const writable = canWrite(user)
  const q = useQuery({ queryKey: ['member', memberId], queryFn: () => api.member(memberId) })
  const [reveal, setReveal] = useState<RevealField | null>(null)
  const [action, setAction] = useState<Action | null>(null)
  const [editing, setEditing] = useState(false)
  const [transfer, setTransfer] = useState(false)
  const [card, setCard] = useState(false)
  const m = q.data

  return (
    <Drawer
      open
      size={760}
      onClose={onClose}
      title={
        m ? (
          <Space>
            {m.name}
            <MemberStatusTag status={m.status} />
          </Space>
        ) : (
          '会员详情'
        )
      }
      data-testid="member-detail"
      destroyOnHidden
      extra={
        m &&
        writable &&
        m.status !== 'left' && (
          <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="member-edit">
            编辑
          </Button>
        )
      }
    >
      {q.isLoading && <Skeleton active />}
      {q.error && <Result status="warning" title={(q.error as Error).message} />}
      {m && (
        <>
          {m.openTransfer && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              data-testid="member-open-transfer"
              title={
                <>
                  接转办理中：{m.openTransfer.fromUnionName ?? '其他辖区工会'} → {m.openTransfer.toUnionName ?? '其他辖区工会'}{' '}
                  <TransferStatusTag status={m.openTransfer.status} />
                </>
              }
            />
          )}
          <Space wrap style={{ marginBottom: 16 }} data-testid="member-actions">
            <Button icon={<IdcardOutlined />} onClick={() => setCard(true)} disabled={m.status === 'left'} data-testid="member-card-button">
              会员证
            </Button>
            {writable && m.status !== 'left' && !m.openTransfer && (
              <Button icon={<SwapOutlined />} onClick={() => setTransfer(true)} data-testid="member-transfer-button">
                发起接转
              </Button>
            )}
            {writable && m.status === 'active' && (
              <Button icon={<PauseCircleOutlined />} onClick={() => setAction('3')} data-testid="member-action-retain">
                保留
              </Button>
            )}
            {writable && m.status === 'retained' && (
              <Button icon={<UndoOutlined />} onClick={() => setAction('restore')} data-testid="member-action-restore">
                恢复
              </Button>
            )}
            {writable && m.status !== 'left' && (
              <>
                <Button danger icon={<RollbackOutlined />} onClick={() => setAction('6')} data-testid="member-action-leave">
                  退会
                </Button>
                <Button danger icon={<StopOutlined />} onClick={() => setAction('5')} data-testid="member-action-expel">
                  除名
                </Button>
              </>
            )}
          </Space>
          <Descriptions
            bordered
            size="small"
            column={{ xs: 1, sm: 2 }}
            styles={{ label: { width: 110 } }}
            data-testid="member-details"
            items={[
              { label: '会员号', children: <span data-testid="member-no">{m.memberNo}</span> },
              { label: '信息质量', children: <QualityTag quality={m.quality} /> },
              { label: '证件类型', children: documentTypeLabel(m.documentType) },
              {
                label: '证件号码',
                children: (
                  <Space>
                    <span data-testid="member-documentNumber">{m.documentNumber}</span>
                    {canReveal(user) && (
                      <Typography.Link onClick={() => setReveal('documentNumber')} data-testid="member-reveal-documentNumber">
                        查看完整
                      </Typography.Link>
                    )}
                  </Space>
                ),
              },
              { label: '性别', children: labelOf(genders, m.gender) },
              {
                // never shown beside the masked number (together they would rebuild it): only on an audited reveal
                label: '出生日期',
                children: m.birthDateKnown ? (
                  <Space>
                    <span data-testid="member-birthDate">已隐藏</span>
                    {canReveal(user) && (
                      <Typography.Link onClick={() => setReveal('birthDate')} data-testid="member-reveal-birthDate">
                        查看
                      </Typography.Link>
                    )}
                  </Space>
                ) : (
                  '—'
                ),
              },
              { label: '民族', children: labelOf(ethnicities, m.ethnicity) || '—' },
              {
                label: '手机号',
                children: m.phone ? (
                  <Space>
                    <span data-testid="member-phone">{m.phone}</span>
                    {canReveal(user) && (
                      <Typography.Link onClick={() => setReveal('phone')} data-testid="member-reveal-phone">
                        查看完整
                      </Typography.Link>
                    )}
                  </Space>
                ) : (
                  '—'
                ),
              },
              { label: '所在工会', children: m.unionName ?? m.unionId, span: 'filled' },
              { label: '入会日期', children: m.joinedOn },
              { label: '离会日期', children: m.leftOn ?? '—' },
              { label: '工作单位', children: m.workplace ?? '—' },
              { label: '职务', children: m.jobTitle ?? '—' },
              { label: '就业状况', children: labelOf(employmentStatuses, m.employmentStatus) },
              {
                label: '新就业形态',
                children: m.occupation ? <Tag color="purple">{labelOf(newEmploymentOccupations, m.occupation)}</Tag> : '否',
              },
              { label: '学历', children: labelOf(educations, m.education) || '—' },
              { label: '政治面貌', children: labelOf(politicalStatuses, m.politicalStatus) || '—' },
              { label: '技术等级', children: labelOf(skillLevels, m.skillLevel) || '—' },
              { label: '户籍类型', children: labelOf(householdTypes, m.householdType) || '—' },
              { label: '户籍所在地', children: m.householdPlace ?? '—' },
              { label: '农民工 / 劳模', children: `${m.isMigrant ? '是' : '否'} / ${m.isModelWorker ? '是' : '否'}` },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 24 }}>
            会籍变化
          </Typography.Title>
          {m.events.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无记录" />
          ) : (
            <Timeline
              data-testid="member-events"
              items={[...m.events]
                .sort((a, b) => (a.occurredOn < b.occurredOn ? 1 : a.occurredOn > b.occurredOn ? -1 : b.id - a.id))
                .map((e) => ({
                  color: eventColors[e.eventType] ?? 'blue',
                  content: (
                    <div data-testid={`member-event-${e.eventType}`}>
                      <Space size={8}>
                        <b>{labelOf(membershipEventTypes, e.eventType)}</b>
                        <Typography.Text type="secondary">{e.occurredOn}</Typography.Text>
                      </Space>
                      <div>
                        {e.unionName}
                        {e.reason && <Typography.Text type="secondary">　原因：{labelOf(membershipReasons, e.reason)}</Typography.Text>}
                      </div>
                    </div>
                  ),
                }))}
            />
          )}
        </>
      )}
      {m && reveal && <RevealMemberModal member={m} field={reveal} onClose={() => setReveal(null)} />}
      {m && action && <StatusModal member={m} action={action} onClose={() => setAction(null)} />}
      {m && editing && (
        <MemberFormDrawer member={m} union={{ id: m.unionId, code: '', name: m.unionName ?? '' }} onClose={() => setEditing(false)} />
      )}
      {m && transfer && <TransferModal member={m} onClose={() => setTransfer(false)} />}
      {m && card && <CardModal member={m} onClose={() => setCard(false)} />}
    </Drawer>
  )
}

function StatusModal({ member, action, onClose }: { member: MemberDetail; action: Action; onClose: () => void }) {
  const info = actionInfo[action]
  const [form] = Form.useForm<{ reason?: In<typeof memberStatusBody>['reason']; occurredOn: Dayjs }>()
  const { saving, run } = useSaving(form)
  const qc = useQueryClient()
  const handleOk = async () => {
    const v = await form.validateFields().catch(() => null)
    if (!v) return
    await run(async () => {
      await api.memberStatus(member.id, { event: action, reason: v.reason, occurredOn: v.occurredOn.format('YYYY-MM-DD') })
      feedback.message.success(`${member.name}：${info.title}已办理`)
      void qc.invalidateQueries({ queryKey: ['member', member.id] })
      void qc.invalidateQueries({ queryKey: ['members'] })
      onClose()
    })
  }
  return (
    <Modal
      open
      title={`${info.title} · ${member.name}`}
      onCancel={onClose}
      onOk={handleOk}
      okText={info.ok}
      okButtonProps={{ danger: info.danger, 'data-testid': 'member-status-submit' } as never}
      confirmLoading={saving}
      destroyOnHidden
    >
      <Alert type={info.danger ? 'error' : 'info'} showIcon title={info.hint} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" initialValues={{ occurredOn: dayjs(), reason: info.reasons[0] }}>
        {info.reasons.length > 0 && (
          <Form.Item name="reason" label="原因" rules={[{ required: true, message: '请选择原因' }]}>
            <Select
              options={optionsOf(membershipReasons).filter((o) => info.reasons.includes(o.value))}
              data-testid="member-status-reason"
            />
          </Form.Item>
        )}
        <Form.Item name="occurredOn" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs())} />
        </Form.Item>
      </Form>
    </Modal>
  )
}

type RevealField = 'documentNumber' | 'phone' | 'birthDate'
const fieldNames: Record<RevealField, string> = { documentNumber: '证件号码', phone: '手机号', birthDate: '出生日期' }

export function RevealMemberModal({
  member,
  field,
  onClose,
}: {
  member: { id: number; name: string }
  field: RevealField
  onClose: () => void
}) {
  return (
    <RevealModal
      title={`查看${field === 'birthDate' ? '' : '完整'}${fieldNames[field]} · ${member.name}`}
      warning={`${fieldNames[field]}属于敏感个人信息`}
      placeholder="例如：核对会员身份办理接转"
      reveal={(reason) => api.revealMember(member.id, field, reason)}
      onClose={onClose}
    />
  )
}

function CardModal({ member, onClose }: { member: MemberDetail; onClose: () => void }) {
  const q = useQuery({ queryKey: ['member-card', member.id], queryFn: () => api.memberCard(member.id) })
  return (
    <Modal open title="电子会员证" onCancel={onClose} footer={<Button onClick={onClose}>关闭</Button>} width={420} destroyOnHidden>
      {q.isLoading && <Skeleton active />}
      {q.error && <Result status="warning" title="无法取得会员证" subTitle={(q.error as Error).message} />}
      {q.data && <MemberCard card={q.data} />}
    </Modal>
  )
}
