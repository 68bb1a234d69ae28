import { useEffect, useRef } from 'react'
import * as echarts from 'echarts/core'
import { BarChart, GaugeChart, LineChart, PieChart } from 'echarts/charts'
import { DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([
  BarChart,
  GaugeChart,
  LineChart,
  PieChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  DataZoomComponent,
  CanvasRenderer,
])

import type { ChartClick, EChartsOption } from './echart'

/** The chart itself (loaded on demand by echart.tsx, with ECharts). */
export default function EChartImpl({
  option,
  height = 280,
  onClick,
  testid,
  className,
}: {
  option: EChartsOption
  height?: number | string
  onClick?: (p: ChartClick) => void
  testid?: string
  className?: string
}) {
  const ref = useRef<HTMLDivElement>(null)
  const chart = useRef<echarts.ECharts | null>(null)
  const click = useRef(onClick)
  click.current = onClick

  useEffect(() => {
    if (!ref.current) return
    const c = echarts.init(ref.current)
    chart.current = c
    c.on('click', (p) => click.current?.(p as unknown as ChartClick))
    const ro = new ResizeObserver(() => c.resize())
    ro.observe(ref.current)
    return () => {
      ro.disconnect()
      c.dispose()
      chart.current = null
    }
  }, [])

  useEffect(() => {
    chart.current?.setOption(option, true)
  }, [option])

  return (
    <div ref={ref} className={className} data-testid={testid} style={{ height, width: '100%', cursor: onClick ? 'pointer' : undefined }} />
  )
}
