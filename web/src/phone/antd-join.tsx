import { JoinPage } from '../features/join/join-page'
import { AntdPhone } from './antd-phone'

/** 入会 on the phone, inside Ant Design's locale and theme (the phone shell has none). */
export const PhoneJoinPage = () => (
  <AntdPhone>
    <JoinPage />
  </AntdPhone>
)
