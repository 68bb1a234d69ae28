import { Card, Typography } from 'antd'
import type { ReactNode } from 'react'

/** The head of a page: its title, a line saying what it is for, and the page's buttons on the right. */
export function PageHead({
  title,
  sub,
  extra,
  row = extra !== undefined,
}: {
  title: ReactNode
  sub: ReactNode
  extra?: ReactNode
  row?: boolean
}) {
  const text = (
    <>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {title}
      </Typography.Title>
      <div className="page-sub">{sub}</div>
    </>
  )
  return (
    <Card className="page-head">
      {row ? (
        <div className="page-head-row">
          <div>{text}</div>
          {extra}
        </div>
      ) : (
        text
      )}
    </Card>
  )
}
