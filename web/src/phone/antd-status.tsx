import { StatusPage } from '../features/join/status-page'
import { AntdPhone } from './antd-phone'

/** 进度查询 and the card on the phone, inside Ant Design's locale and theme (the phone shell has none). */
export const PhoneStatusPage = () => (
  <AntdPhone>
    <StatusPage />
  </AntdPhone>
)
