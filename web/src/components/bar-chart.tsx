import { useEffect, useRef } from 'react'
import * as echarts from 'echarts/core'
import { BarChart as EBar } from 'echarts/charts'
import { GridComponent, TooltipComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([EBar, GridComponent, TooltipComponent, CanvasRenderer])

/** A small vertical bar chart of labelled counts. */
export function BarChart({ data, height = 180, color = '#c8102e', unit = '' }: { data: { label: string; value: number }[]; height?: number; color?: string; unit?: string }) {
  const ref = useRef<HTMLDivElement>(null)
  const chart = useRef<echarts.ECharts | null>(null)

  useEffect(() => {
    if (!ref.current) return
    const c = echarts.init(ref.current)
    chart.current = c
    const ro = new ResizeObserver(() => c.resize())
    ro.observe(ref.current)
    return () => {
      ro.disconnect()
      c.dispose()
      chart.current = null
    }
  }, [])

  useEffect(() => {
    chart.current?.setOption(
      {
        animationDuration: 300,
        grid: { left: 8, right: 8, top: 24, bottom: 4, containLabel: true },
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${v}${unit}` },
        xAxis: { type: 'category', data: data.map((d) => d.label), axisTick: { show: false }, axisLabel: { color: '#666' } },
        yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#f0f0f0' } }, axisLabel: { color: '#999' } },
        series: [{ type: 'bar', data: data.map((d) => d.value), itemStyle: { color, borderRadius: [3, 3, 0, 0] }, barMaxWidth: 36, label: { show: true, position: 'top', color: '#444' } }],
      },
      true,
    )
  }, [data, color, unit])

  return <div ref={ref} style={{ height, width: '100%' }} />
}
