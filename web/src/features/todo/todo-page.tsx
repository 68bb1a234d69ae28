import { useState } from 'react'
import { Badge, Button, Card, Empty, List, Popconfirm, Space, Tag, Typography } from 'antd'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Link, useNavigate } from 'react-router-dom'
import type { MessagePage } from '../../../../common/messages'
import { get, request } from '../../api/client'
import { dateTime } from '../../components/format'
import { PageHead } from '../../components/page-head'
import { useTitle } from '../../components/use-title'
import { TodoPanel } from './todo-panel'

const PAGE = 10

/** 待办: the counts of what waits, then the union's messages (a message's link opens its page and marks it read). */
export function TodoPage() {
  useTitle('待办')
  const qc = useQueryClient()
  const navigate = useNavigate()
  const [page, setPage] = useState(1)
  const messages = useQuery({
    queryKey: ['messages', page],
    queryFn: () => get<MessagePage>('/messages', { page, pageSize: PAGE }),
  })
  const read = useMutation({
    mutationFn: (ids?: number[]) => request<unknown>('POST', '/messages/read', ids ? { ids } : {}),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['messages'] })
      void qc.invalidateQueries({ queryKey: ['todo'] })
    },
  })
  const unread = messages.data?.unread ?? 0
  return (
    <div className="page" data-testid="todo-page">
      <PageHead title="待办" sub="本工会待处理的事项与消息。每一项点击后进入办理页面；数量每半分钟刷新一次。" />
      <TodoPanel />
      <Card
        size="small"
        id="messages"
        className="section-card"
        style={{ marginTop: 12 }}
        title={
          <Space>
            <span>本工会消息</span>
            {unread > 0 && <Badge count={unread} overflowCount={999} />}
          </Space>
        }
        extra={
          unread > 0 && (
            <Popconfirm
              title={`将 ${unread} 条未读消息全部标为已读？`}
              okText="全部已读"
              cancelText="取消"
              onConfirm={() => read.mutate(undefined)}
            >
              <Button size="small" data-testid="messages-read-all">
                全部标为已读
              </Button>
            </Popconfirm>
          )
        }
      >
        <List
          loading={messages.isLoading}
          dataSource={messages.data?.items ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无消息" /> }}
          pagination={
            (messages.data?.total ?? 0) > PAGE
              ? { current: page, pageSize: PAGE, total: messages.data?.total, onChange: setPage, showSizeChanger: false, size: 'small' }
              : false
          }
          renderItem={(m) => (
            <List.Item
              data-testid={`message-${m.id}`}
              actions={[
                m.link ? (
                  <Button
                    key="open"
                    type="link"
                    size="small"
                    onClick={() => {
                      if (!m.read) read.mutate([m.id])
                      navigate(m.link!)
                    }}
                  >
                    去办理
                  </Button>
                ) : null,
                !m.read ? (
                  <Button key="read" type="link" size="small" onClick={() => read.mutate([m.id])}>
                    标为已读
                  </Button>
                ) : null,
              ].filter(Boolean)}
            >
              <List.Item.Meta
                title={
                  <Space size={6}>
                    {!m.read && <Badge status="error" />}
                    <Tag>{m.kindLabel}</Tag>
                    <Typography.Text strong={!m.read}>{m.title}</Typography.Text>
                  </Space>
                }
                description={
                  <span>
                    {m.body}
                    <Typography.Text type="secondary" style={{ marginInlineStart: 12, fontSize: 12 }}>
                      {dateTime(m.createdAt)}
                    </Typography.Text>
                  </span>
                }
              />
            </List.Item>
          )}
        />
      </Card>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
        入会申请的办理期限为受理后 15 个工作日，超期的申请在<Link to="/applications?overdue=1">入会审核</Link>中置顶显示。
      </Typography.Paragraph>
    </div>
  )
}
