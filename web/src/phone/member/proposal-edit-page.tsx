import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useNavigate, useParams } from 'react-router-dom'
import { proposalCategories, type MyProposalDetail } from '../../../../common/proposals'
import { errorMessage } from '../../components/error-message'
import { Alert, Button, Card, Empty, Field, Input, Select, Skeleton, TextArea, toast, useForm, type Rule } from '../ui'
import { memberApi } from './api'
import { MemberShell } from './shell'
import { optionsOf } from '../../../../common/codes'

type Values = { title: string; body: string; category: string }

const atLeast =
  (n: number, message: string): Rule<unknown> =>
  (v) =>
    v.trim().length >= n ? null : message

/**
 * 编辑建议: the author changes the title, text and category while no support has counted. Once a
 * member supports it the text is frozen: the page says so, and the server refuses (409) a save
 * that a support overtook.
 */
export function MemberProposalEditPage() {
  const id = Number(useParams().id)
  const q = useQuery({ queryKey: ['my', 'proposal', id], queryFn: () => memberApi.get<MyProposalDetail>(`/my/proposals/${id}`) })
  const p = q.data
  return (
    <MemberShell title="修改建议" back={`/m/proposals/${id}`}>
      {q.isLoading && (
        <Card>
          <Skeleton rows={5} />
        </Card>
      )}
      {q.error && <Empty description={errorMessage(q.error)} />}
      {p && !p.editable && (
        <Alert
          type="warning"
          title={p.mine ? '这条建议已不能修改' : '只能修改自己提出的建议'}
          description={p.mine ? (p.frozen ? '已有会员支持这条建议，内容已冻结。' : '这条建议已不再征集支持。') : undefined}
          data-testid="m-proposal-edit-refused"
        />
      )}
      {p?.editable && <EditForm p={p} />}
    </MemberShell>
  )
}

function EditForm({ p }: { p: MyProposalDetail }) {
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const form = useForm(
    { title: p.title, body: p.body, category: p.category },
    {
      title: [atLeast(2, '请填写标题（至少2个字）')],
      body: [atLeast(10, '请写明建议内容（至少10个字）')],
      category: [(v) => (v ? null : '请选择类别')],
    },
  )
  const save = useMutation({
    mutationFn: (v: Values) => memberApi.patch<MyProposalDetail>(`/my/proposals/${p.id}`, v),
    onSuccess: (d) => {
      queryClient.setQueryData(['my', 'proposal', p.id], d)
      void queryClient.invalidateQueries({ queryKey: ['my', 'proposals'] })
      toast.success('建议已修改')
      navigate(`/m/proposals/${p.id}`, { replace: true })
    },
    onError: (e) => {
      // a support that came in meanwhile froze the text: the page shows it frozen
      void queryClient.invalidateQueries({ queryKey: ['my', 'proposal', p.id] })
      if (!form.serverErrors(e)) toast.error(errorMessage(e))
    },
  })
  return (
    <Card>
      <Alert type="info" title="有会员支持后，建议内容即冻结，不能再修改。" />
      <form onSubmit={form.submit((v) => save.mutate({ title: v.title.trim(), body: v.body, category: v.category }))} noValidate>
        <Field label="标题" error={form.errors.title}>
          {(id) => <Input id={id} {...form.bind('title')} maxLength={100} data-testid="m-proposal-edit-title" />}
        </Field>
        <Field label="建议内容" error={form.errors.body} hint={`${form.values.body.length} / 5000`}>
          {(id) => <TextArea id={id} {...form.bind('body')} rows={6} maxLength={5000} data-testid="m-proposal-edit-body" />}
        </Field>
        <Field label="类别" error={form.errors.category}>
          {(id) => (
            <Select id={id} {...form.bind('category')} options={optionsOf(proposalCategories)} data-testid="m-proposal-edit-category" />
          )}
        </Field>
        <Button variant="primary" type="submit" block size="large" loading={save.isPending} data-testid="m-proposal-edit-save">
          保存修改
        </Button>
      </form>
    </Card>
  )
}
