import { useMemo } from 'react'
import { EChart } from './echart'

/** A small vertical bar chart of labelled counts. */
export function BarChart({
  data,
  height = 180,
  color = '#c8102e',
  unit = '',
}: {
  data: { label: string; value: number }[]
  height?: number
  color?: string
  unit?: string
}) {
  const option = useMemo(
    () => ({
      animationDuration: 300,
      grid: { left: 8, right: 8, top: 24, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${v}${unit}` },
      xAxis: { type: 'category', data: data.map((d) => d.label), axisTick: { show: false }, axisLabel: { color: '#666' } },
      yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: '#f0f0f0' } }, axisLabel: { color: '#999' } },
      series: [
        {
          type: 'bar',
          data: data.map((d) => d.value),
          itemStyle: { color, borderRadius: [3, 3, 0, 0] },
          barMaxWidth: 36,
          label: { show: true, position: 'top', color: '#444' },
        },
      ],
    }),
    [data, color, unit],
  )
  return <EChart option={option} height={height} />
}
