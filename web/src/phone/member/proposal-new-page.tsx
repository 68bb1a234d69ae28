import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useNavigate } from 'react-router-dom'
import { proposalCategories, type MyProposalDetail, type MyProposalPage } from '../../../../common/proposals'
import { errorMessage } from '../../components/error-message'
import { Alert, Button, Card, Field, Input, Select, TextArea, toast, useForm, type Rule } from '../ui'
import { memberApi } from './api'
import { MemberShell } from './shell'
import { optionsOf } from '../../../../common/codes'

type Values = { title: string; body: string; category: string; unionId?: number }

const atLeast =
  (n: number, message: string): Rule<unknown> =>
  (v) =>
    v.trim().length >= n ? null : message

/** 提建议: title, text, category, and to which union (mine or one above it). */
export function MemberProposalNewPage() {
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const form = useForm(
    { title: '', body: '', category: '', unionId: '' },
    {
      title: [atLeast(2, '请填写标题（至少2个字）')],
      body: [atLeast(10, '请写明建议内容（至少10个字）')],
      category: [(v) => (v ? null : '请选择类别')],
    },
  )
  const unions = useQuery({
    queryKey: ['my', 'proposals', 'unions'],
    queryFn: () => memberApi.get<MyProposalPage>('/my/proposals', { tab: 'mine', pageSize: 1 }),
  })
  const chain = unions.data?.unions ?? []
  const create = useMutation({
    mutationFn: (v: Values) => memberApi.post<MyProposalDetail>('/my/proposals', v),
    onSuccess: (p) => {
      void queryClient.invalidateQueries({ queryKey: ['my', 'proposals'] })
      toast.success('建议已发布，邀请同事来支持吧')
      navigate(`/m/proposals/${p.id}`, { replace: true })
    },
    onError: (e) => {
      toast.error(errorMessage(e))
      form.serverErrors(e)
    },
  })
  // my own union unless another of the chain is chosen
  const unionId = form.values.unionId || (chain.length > 1 ? String(chain[chain.length - 1]!.id) : '')
  return (
    <MemberShell title="提建议" back="/m/proposals">
      <Card>
        {unions.error && <Alert type="error" title={errorMessage(unions.error)} />}
        <Alert
          type="info"
          title="同一工会的会员支持（打call）达到规定人数后，建议纳入工会工作计划，工会须在期限内答复。有人支持后内容不能再修改。"
        />
        <form
          onSubmit={form.submit((v) =>
            create.mutate({
              title: v.title,
              body: v.body,
              category: v.category,
              ...(chain.length > 1 && unionId ? { unionId: Number(unionId) } : {}),
            }),
          )}
          noValidate
        >
          <Field label="标题" error={form.errors.title}>
            {(id) => <Input id={id} {...form.bind('title')} maxLength={100} placeholder="一句话说清建议" data-testid="m-proposal-title" />}
          </Field>
          <Field label="建议内容" error={form.errors.body} hint={`${form.values.body.length} / 5000`}>
            {(id) => (
              <TextArea
                id={id}
                {...form.bind('body')}
                rows={6}
                maxLength={5000}
                placeholder="现状、问题和建议怎么做"
                data-testid="m-proposal-body"
              />
            )}
          </Field>
          <Field label="类别" error={form.errors.category}>
            {(id) => (
              <Select
                id={id}
                {...form.bind('category')}
                placeholder="请选择"
                options={optionsOf(proposalCategories)}
                data-testid="m-proposal-category"
              />
            )}
          </Field>
          {chain.length > 1 && (
            <Field label="提给">
              {(id) => (
                <Select
                  id={id}
                  name="unionId"
                  value={unionId}
                  onChange={(e) => form.set('unionId', e.target.value)}
                  options={[...chain].reverse().map((u) => ({ value: String(u.id), label: u.name }))}
                  data-testid="m-proposal-union"
                />
              )}
            </Field>
          )}
          <Button variant="primary" type="submit" block size="large" loading={create.isPending} data-testid="m-proposal-submit">
            发布建议
          </Button>
        </form>
      </Card>
    </MemberShell>
  )
}
