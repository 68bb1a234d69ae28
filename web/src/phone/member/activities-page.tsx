import { useQuery } from '@tanstack/react-query'
import { Link } from 'react-router-dom'
import { registrationStatuses, type MyActivities, type MyActivity } from '../../../../common/activities'
import { dateTime } from '../../components/format'
import { Card, Empty, List, ListItem, Skeleton, Tag } from '../ui'
import { memberApi } from './api'
import { MemberShell } from './shell'

const regColor = { registered: 'blue', waiting: 'orange', cancelled: 'default' } as const

function Row({ a }: { a: MyActivity }) {
  const full = a.registered >= a.capacity
  return (
    <ListItem data-testid="m-activity" data-title={a.title}>
      <Link to={`/m/activities/${a.id}`} style={{ display: 'block', width: '100%', color: 'inherit' }}>
        <div style={{ fontWeight: 600 }}>{a.title}</div>
        <div className="h5-muted">
          {dateTime(a.startsAt)} · {a.place}
        </div>
        <div style={{ marginTop: 4 }}>
          {a.status === 'cancelled' ? (
            <Tag color="red">活动已取消</Tag>
          ) : a.mine && a.mine.status !== 'cancelled' ? (
            <Tag color={regColor[a.mine.status]}>
              {registrationStatuses[a.mine.status]}
              {a.mine.waitlistPlace ? ` 第${a.mine.waitlistPlace}位` : ''}
            </Tag>
          ) : (
            <Tag color={full ? 'orange' : 'green'}>{full ? '已满，可候补' : `余${a.capacity - a.registered}个名额`}</Tag>
          )}
          {a.mine?.checkedInAt && <Tag color="green">已签到</Tag>}
          <span className="h5-muted">{a.orgName}</span>
        </div>
      </Link>
    </ListItem>
  )
}

/** 活动: the activities the member may join now, and their own. */
export function MemberActivitiesPage() {
  const q = useQuery({ queryKey: ['my', 'activities'], queryFn: () => memberApi.get<MyActivities>('/my/activities') })
  return (
    <MemberShell title="活动">
      {q.isLoading ? (
        <Card>
          <Skeleton rows={4} />
        </Card>
      ) : (
        <>
          <Card title="我的活动" data-testid="m-my-activities">
            {q.data?.mine.length ? (
              <List>
                {q.data.mine.map((a) => (
                  <Row key={a.id} a={a} />
                ))}
              </List>
            ) : (
              <Empty description="还没有报名活动" />
            )}
          </Card>
          <Card title="可以报名" data-testid="m-open-activities">
            {q.data?.open.length ? (
              <List>
                {q.data.open.map((a) => (
                  <Row key={a.id} a={a} />
                ))}
              </List>
            ) : (
              <Empty description="暂时没有可报名的活动" />
            )}
          </Card>
        </>
      )}
    </MemberShell>
  )
}
