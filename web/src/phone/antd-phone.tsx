import type { ReactNode } from 'react'
import { App as AntApp, ConfigProvider } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import { FeedbackBridge } from '../components/feedback'
import { theme } from '../app/theme'

/**
 * Ant Design's locale, theme and message/modal context for the phone pages that use it (入会,
 * 进度查询): a page brings it with its own chunk, so the phone shell and the pages without Ant Design
 * (会员证验证) do not load it.
 */
export function AntdPhone({ children }: { children: ReactNode }) {
  return (
    <ConfigProvider locale={zhCN} theme={theme}>
      <AntApp>
        <FeedbackBridge />
        {children}
      </AntApp>
    </ConfigProvider>
  )
}
