import { JoinPage } from '../features/join/join-page'
import { StatusPage } from '../features/join/status-page'
import { AntdPhone } from './antd-phone'

/** The phone pages built with Ant Design, each inside its locale and theme (the phone shell has none). */
export const PhoneJoinPage = () => (
  <AntdPhone>
    <JoinPage />
  </AntdPhone>
)
export const PhoneStatusPage = () => (
  <AntdPhone>
    <StatusPage />
  </AntdPhone>
)
