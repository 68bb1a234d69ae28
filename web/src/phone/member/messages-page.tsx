import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { useNavigate } from 'react-router-dom'
import type { MessagePage } from '../../../../common/messages'
import { dateTime } from '../../components/format'
import { errorMessage } from '../../components/error-message'
import { Alert, Button, Card, Empty, Skeleton, Tag, toast } from '../ui'
import { memberApi } from './api'
import { MemberShell } from './shell'

const PAGE = 20

/** 消息: the member's messages, newest first; opening one marks it read and follows its link. */
export function MemberMessagesPage() {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  const list = useInfiniteQuery({
    queryKey: ['my', 'messages'],
    queryFn: ({ pageParam }) => memberApi.get<MessagePage>('/my/messages', { page: pageParam, pageSize: PAGE }),
    initialPageParam: 1,
    getNextPageParam: (last, all) => (all.length * PAGE < last.total ? all.length + 1 : undefined),
  })
  const read = useMutation({
    mutationFn: (ids?: number[]) => memberApi.post<{ changed: number }>('/my/messages/read', ids ? { ids } : {}),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['my'] })
    },
    onError: (e) => toast.error(errorMessage(e)),
  })
  const items = list.data?.pages.flatMap((p) => p.items) ?? []
  const unread = list.data?.pages[0]?.unread ?? 0

  return (
    <MemberShell
      title="消息"
      extra={
        unread > 0 && (
          <button
            type="button"
            className="h5-back"
            style={{ background: 'none' }}
            onClick={() => read.mutate(undefined)}
            data-testid="m-read-all"
          >
            全部已读
          </button>
        )
      }
    >
      <Card className="m-list-card">
        {list.isLoading && <Skeleton rows={4} />}
        {list.error && <Alert type="error" title={errorMessage(list.error)} />}
        {list.data && items.length === 0 && <Empty description="还没有消息" />}
        {items.map((m) => (
          <a
            key={m.id}
            href={m.link ?? '#'}
            className="m-list-item"
            data-testid="m-message"
            onClick={(e) => {
              e.preventDefault()
              if (!m.read) read.mutate([m.id])
              if (m.link?.startsWith('/m')) navigate(m.link)
            }}
            style={{ color: 'inherit' }}
          >
            <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 8 }}>
              <b>
                {!m.read && <span className="m-unread-dot" aria-label="未读" />}
                {m.title}
              </b>
              <Tag style={{ marginInlineEnd: 0 }}>{m.kindLabel}</Tag>
            </div>
            <div style={{ color: '#555', margin: '4px 0' }}>{m.body}</div>
            <div className="h5-muted">{dateTime(m.createdAt)}</div>
          </a>
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
