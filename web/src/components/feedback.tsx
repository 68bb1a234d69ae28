import { App } from 'antd'
import type { MessageInstance } from 'antd/es/message/interface'
import type { HookAPI as ModalHookAPI } from 'antd/es/modal/useModal'

/**
 * antd's static message/modal cannot see the theme and locale; this bridge keeps the
 * context-aware instances of <App> so plain functions (error handlers) can use them.
 */
export const feedback: { message: MessageInstance; modal: ModalHookAPI } = {} as never

export function FeedbackBridge() {
  const { message, modal } = App.useApp()
  feedback.message = message
  feedback.modal = modal
  return null
}
