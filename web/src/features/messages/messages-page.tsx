import { useState } from 'react'
import { Badge, Button, Segmented, Space, Tag, Typography } from 'antd'
import { Link } from 'react-router-dom'
import type { MessagePage, MessageView } from '../../../../common/messages'
import { api } from '../../api/client'
import { PageHead } from '../../components/page-head'
import { ServerTable, usePagedQuery } from '../../components/server-table'
import { dateTime } from '../../components/format'
import { useSave } from '../../components/use-save'
import { useTitle } from '../../components/use-title'

/**
 * 消息: the union's mailbox (answers due, members' proposals reaching their threshold, 催报 …),
 * newest first; unread ones marked, read one by one or all at once.
 */
export function MessagesPage() {
  useTitle('消息')
  const [only, setOnly] = useState<'all' | 'unread'>('all')
  const paged = usePagedQuery(['messages'], (q) => api.messages(q), { unread: only === 'unread' ? ('true' as const) : undefined })
  const read = useSave((ids?: number[]) => api.readMessages(ids), { invalidate: [['messages']] })
  const unread = (paged.list.data as MessagePage | undefined)?.unread ?? 0

  return (
    <div className="page">
      <PageHead
        title="消息"
        sub="本工会收到的通知：待答复的建议、催报、活动报名等"
        extra={
          <Space>
            <Segmented
              value={only}
              onChange={(v) => setOnly(v as 'all' | 'unread')}
              options={[
                { value: 'all', label: '全部' },
                {
                  value: 'unread',
                  label: (
                    <Badge count={unread} size="small" offset={[8, -2]}>
                      未读
                    </Badge>
                  ),
                },
              ]}
            />
            <Button disabled={unread === 0} loading={read.saving} onClick={() => void read.save(undefined)} data-testid="messages-read-all">
              全部标为已读
            </Button>
          </Space>
        }
      />
      <ServerTable<MessageView>
        paged={paged}
        unit="条"
        empty={only === 'unread' ? '没有未读消息' : '还没有消息'}
        rowTestid={(m) => ({ 'data-testid': `message-${m.id}` })}
        columns={[
          {
            title: '消息',
            key: 'title',
            render: (_, m) => (
              <div>
                <Space>
                  {!m.read && <Badge status="error" />}
                  <Typography.Text strong={!m.read}>{m.title}</Typography.Text>
                  <Tag>{m.kindLabel}</Tag>
                </Space>
                <div style={{ color: '#666', marginTop: 4 }}>{m.body}</div>
              </div>
            ),
          },
          { title: '时间', dataIndex: 'createdAt', width: 170, render: (v: string) => dateTime(v) },
          {
            title: '操作',
            key: 'op',
            width: 160,
            render: (_, m) => (
              <Space>
                {m.link && !m.link.startsWith('/m') && (
                  <Link to={m.link} onClick={() => !m.read && void read.save([m.id])}>
                    查看
                  </Link>
                )}
                {!m.read && (
                  <Button type="link" size="small" onClick={() => void read.save([m.id])}>
                    标为已读
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
    </div>
  )
}
