import { useEffect, useRef } from 'react'
import * as echarts from 'echarts/core'
import { GaugeChart as EGauge } from 'echarts/charts'
import { CanvasRenderer } from 'echarts/renderers'

echarts.use([EGauge, CanvasRenderer])

/** A half gauge of a rate given as numerator ÷ denominator, with a target mark. */
export function GaugeChart({ numerator, denominator, target, height = 150, label }: { numerator: number; denominator: number; target?: number; height?: number; label?: string }) {
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
    const pct = denominator ? Math.round((numerator / denominator) * 1000) / 10 : 0
    const ok = target === undefined || pct >= target
    chart.current?.setOption({
      series: [{
        type: 'gauge', startAngle: 180, endAngle: 0, min: 0, max: 100, radius: '150%', center: ['50%', '92%'], animation: false,
        progress: { show: true, width: 10, itemStyle: { color: ok ? '#389e0d' : '#c8102e' } },
        axisLine: { lineStyle: { width: 10, color: [[1, '#f0f0f0']] } },
        axisTick: { show: false }, splitLine: { show: false }, axisLabel: { show: false }, pointer: { show: false },
        anchor: { show: false }, title: { show: !!label, offsetCenter: [0, '38%'], fontSize: 12, color: '#888' },
        detail: { offsetCenter: [0, '-12%'], fontSize: 20, fontWeight: 600, formatter: denominator ? '{value}%' : '—', color: '#333' },
        data: [{ value: pct, name: label ?? '' }],
      }],
    }, true)
  }, [numerator, denominator, target, label])
  return <div ref={ref} style={{ height, width: '100%' }} />
}
