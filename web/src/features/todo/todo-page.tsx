import { Card, Typography } from 'antd'
import { Link } from 'react-router-dom'
import { PageHead } from '../../components/page-head'
import { useTitle } from '../../components/use-title'
import { TodoPanel } from './todo-panel'

/** 待办: what waits for the caller's union, each line leading to the page where it is done. */
export function TodoPage() {
  useTitle('待办')
  return (
    <div className="page" data-testid="todo-page">
      <PageHead title="待办" sub="本工会待处理的事项。每一项点击后进入办理页面；数量每半分钟刷新一次。" />
      <TodoPanel />
      <Card size="small" className="section-card" style={{ marginTop: 12 }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 13 }}>
          入会申请的办理期限为受理后 15 个工作日，超期的申请在<Link to="/applications?overdue=1">入会审核</Link>
          中置顶显示；接转由未发起的一方办理；报表由填报单位报送、上级工会审核。通知与催报见<Link to="/messages">消息</Link>。
        </Typography.Paragraph>
      </Card>
    </div>
  )
}
