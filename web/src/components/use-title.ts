import { useEffect } from 'react'

/** Sets the browser tab title: "<page> · 工会组建工作平台". */
export function useTitle(title: string | undefined) {
  useEffect(() => {
    document.title = title ? `${title} · 工会组建工作平台` : '工会组建工作平台'
  }, [title])
}
