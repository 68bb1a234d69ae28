import { lazy, Suspense } from 'react'
import type { EChartsCoreOption } from 'echarts/core'

export type EChartsOption = EChartsCoreOption

export interface ChartClick {
  componentType: string
  seriesType?: string
  name?: string
  dataIndex?: number
  value?: unknown
  data?: unknown
}

// ECharts (≈ 350 KB gzipped) loads when the first chart is on screen, not with the page around it
const EChartImpl = lazy(() => import('./echart-impl'))

/**
 * Any ECharts option (bar, line, pie …) in a box that follows its size. `onClick` gets series
 * clicks and, for axes with `triggerEvent: true`, clicks on axis labels (componentType 'yAxis').
 */
export function EChart(props: {
  option: EChartsOption
  height?: number | string
  onClick?: (p: ChartClick) => void
  testid?: string
  className?: string
}) {
  const { height = 280, className, testid } = props
  return (
    <Suspense fallback={<div className={className} data-testid={testid} data-loading="chart" style={{ height, width: '100%' }} />}>
      <EChartImpl {...props} />
    </Suspense>
  )
}
