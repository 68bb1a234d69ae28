import { Alert, Button, Form, Input, Select } from 'antd'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useNavigate } from 'react-router-dom'
import { proposalCategories, type MyProposalDetail, type MyProposalPage } from '../../../../common/proposals'
import { errorMessage, showError } from '../../components/form-errors'
import { feedback } from '../../components/feedback'
import { memberApi } from './api'
import { MemberShell } from './shell'

type Values = { title: string; body: string; category: string; unionId?: number }

/** 提建议: title, text, category, and to which union (mine or one above it). */
export function MemberProposalNewPage() {
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const [form] = Form.useForm<Values>()
  const unions = useQuery({
    queryKey: ['my', 'proposals', 'unions'],
    queryFn: () => memberApi.get<MyProposalPage>('/my/proposals', { tab: 'mine', pageSize: 1 }),
  })
  const chain = unions.data?.unions ?? []
  const create = useMutation({
    mutationFn: (v: Values) => memberApi.post<MyProposalDetail>('/my/proposals', v),
    onSuccess: (p) => {
      void queryClient.invalidateQueries({ queryKey: ['my', 'proposals'] })
      feedback.message.success('建议已发布，邀请同事来支持吧')
      navigate(`/m/proposals/${p.id}`, { replace: true })
    },
    onError: (e) => showError(e, form),
  })
  return (
    <MemberShell title="提建议" back="/m/proposals">
      <div className="h5-card" style={{ background: '#fff', padding: 14 }}>
        {unions.error && <Alert type="error" showIcon title={errorMessage(unions.error)} />}
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title="同一工会的会员支持（打call）达到规定人数后，建议纳入工会工作计划，工会须在期限内答复。有人支持后内容不能再修改。"
        />
        <Form<Values> form={form} layout="vertical" onFinish={(v) => create.mutate(v)} requiredMark={false}>
          <Form.Item name="title" label="标题" rules={[{ required: true, whitespace: true, min: 2, message: '请填写标题（至少2个字）' }]}>
            <Input maxLength={100} placeholder="一句话说清建议" data-testid="m-proposal-title" />
          </Form.Item>
          <Form.Item
            name="body"
            label="建议内容"
            rules={[{ required: true, whitespace: true, min: 10, message: '请写明建议内容（至少10个字）' }]}
          >
            <Input.TextArea rows={6} maxLength={5000} showCount placeholder="现状、问题和建议怎么做" data-testid="m-proposal-body" />
          </Form.Item>
          <Form.Item name="category" label="类别" rules={[{ required: true, message: '请选择类别' }]}>
            <Select
              placeholder="请选择"
              options={proposalCategories.map((c) => ({ value: c.code, label: c.label }))}
              data-testid="m-proposal-category"
            />
          </Form.Item>
          {chain.length > 1 && (
            <Form.Item name="unionId" label="提给" initialValue={chain[chain.length - 1]?.id}>
              <Select options={[...chain].reverse().map((u) => ({ value: u.id, label: u.name }))} data-testid="m-proposal-union" />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block size="large" loading={create.isPending} data-testid="m-proposal-submit">
            发布建议
          </Button>
        </Form>
      </div>
    </MemberShell>
  )
}
