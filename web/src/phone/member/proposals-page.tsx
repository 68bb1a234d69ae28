import { useState } from 'react'
import { Alert, Button, Empty, Progress, Segmented, Skeleton, Tag } from 'antd'
import { useInfiniteQuery } from '@tanstack/react-query'
import { Link, useNavigate } from 'react-router-dom'
import { proposalStatusLabel, type MyProposal, type MyProposalPage } from '../../../../common/proposals'
import { errorMessage } from '../../components/form-errors'
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
      <Segmented<Tab> block options={[...tabs]} value={tab} onChange={setTab} style={{ marginBottom: 10 }} data-testid="m-proposal-tabs" />
      <div className="h5-card" style={{ background: '#fff', padding: '4px 14px' }}>
        {list.isLoading && <Skeleton active />}
        {list.error && <Alert type="error" showIcon title={errorMessage(list.error)} />}
        {list.data && items.length === 0 && (
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={tab === 'mine' ? '您还没有提出建议' : tab === 'supported' ? '您还没有支持过建议' : '暂时没有建议'}
          >
            <Button type="primary" onClick={() => navigate('/m/proposals/new')}>
              提一条建议
            </Button>
          </Empty>
        )}
        {items.map((p) => (
          <ProposalItem key={p.id} p={p} />
        ))}
        {list.hasNextPage && (
          <Button block type="link" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            加载更多
          </Button>
        )}
      </div>
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
      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
        <b>{p.title}</b>
        <Tag color={p.status === 'open' ? 'blue' : p.status === 'done' ? 'green' : 'orange'}>{proposalStatusLabel(p.status)}</Tag>
      </div>
      <Progress percent={pct} size="small" showInfo={false} status={p.supportsCount >= p.threshold ? 'success' : 'active'} />
      <div className="h5-muted">
        {p.supportsCount} / {p.threshold} 人支持 · {p.unionName}
        {p.mine && ' · 我提出的'}
        {p.supported && ' · 已支持'}
      </div>
    </Link>
  )
}
