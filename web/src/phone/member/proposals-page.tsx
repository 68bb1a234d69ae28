import { useState } from 'react'
import { useInfiniteQuery } from '@tanstack/react-query'
import { Link, useNavigate } from 'react-router-dom'
import { proposalStatusLabel, type MyProposal, type MyProposalPage } from '../../../../common/proposals'
import { errorMessage } from '../../components/error-message'
import { Alert, Button, Card, Empty, Progress, Segmented, Skeleton, Tag } from '../ui'
import { memberApi } from './api'
import { MemberShell } from './shell'

const PAGE = 20
const tabs = [
  { value: 'open', label: '征集中' },
  { value: 'mine', label: '我提出的' },
  { value: 'supported', label: '我支持的' },
  { value: 'all', label: '全部' },
] as const
type Tab = (typeof tabs)[number]['value']

/** 建议: the proposals of my union and those above it, mine, the ones I support; each with its supports against the threshold. */
export function MemberProposalsPage() {
  const navigate = useNavigate()
  const [tab, setTab] = useState<Tab>('open')
  const list = useInfiniteQuery({
    queryKey: ['my', 'proposals', tab],
    queryFn: ({ pageParam }) => memberApi.get<MyProposalPage>('/my/proposals', { tab, page: pageParam, pageSize: PAGE }),
    initialPageParam: 1,
    getNextPageParam: (last, all) => (all.length * PAGE < last.total ? all.length + 1 : undefined),
  })
  const items = list.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <MemberShell
      title="建议 · 打call"
      extra={
        <Link to="/m/proposals/new" className="h5-back" data-testid="m-proposal-new">
          提建议
        </Link>
      }
    >
      <Segmented<Tab> options={tabs} value={tab} onChange={setTab} data-testid="m-proposal-tabs" />
      <Card className="m-list-card">
        {list.isLoading && <Skeleton rows={4} />}
        {list.error && <Alert type="error" title={errorMessage(list.error)} />}
        {list.data && items.length === 0 && (
          <Empty description={tab === 'mine' ? '您还没有提出建议' : tab === 'supported' ? '您还没有支持过建议' : '暂时没有建议'}>
            <Button variant="primary" onClick={() => navigate('/m/proposals/new')}>
              提一条建议
            </Button>
          </Empty>
        )}
        {items.map((p) => (
          <ProposalItem key={p.id} p={p} />
        ))}
        {list.hasNextPage && (
          <Button block variant="link" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            加载更多
          </Button>
        )}
      </Card>
    </MemberShell>
  )
}

function ProposalItem({ p }: { p: MyProposal }) {
  const pct = Math.min(100, Math.floor((p.supportsCount * 100) / Math.max(p.threshold, 1)))
  return (
    <Link
      to={`/m/proposals/${p.id}`}
      className="m-list-item"
      style={{ color: 'inherit', display: 'block' }}
      data-testid={`m-proposal-${p.id}`}
    >
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 8, marginBottom: 6 }}>
        <b>{p.title}</b>
        <Tag color={p.status === 'open' ? 'blue' : p.status === 'done' ? 'green' : 'orange'} style={{ marginInlineEnd: 0 }}>
          {proposalStatusLabel(p.status)}
        </Tag>
      </div>
      <Progress percent={pct} done={p.supportsCount >= p.threshold} />
      <div className="h5-muted">
        {p.supportsCount} / {p.threshold} 人支持 · {p.unionName}
        {p.mine && ' · 我提出的'}
        {p.supported && ' · 已支持'}
      </div>
    </Link>
  )
}
