import { useMemo } from 'react'
import { EChart } from './echart'

/** A half gauge of a rate given as numerator ÷ denominator, with a target mark. */
export function GaugeChart({
  numerator,
  denominator,
  target,
  height = 150,
  label,
}: {
  numerator: number
  denominator: number
  target?: number
  height?: number
  label?: string
}) {
  const option = useMemo(() => {
    const pct = denominator ? Math.round((numerator / denominator) * 1000) / 10 : 0
    const ok = target === undefined || pct >= target
    return {
      series: [
        {
          type: 'gauge',
          startAngle: 180,
          endAngle: 0,
          min: 0,
          max: 100,
          radius: '150%',
          center: ['50%', '92%'],
          animation: false,
          progress: { show: true, width: 10, itemStyle: { color: ok ? '#389e0d' : '#c8102e' } },
          axisLine: { lineStyle: { width: 10, color: [[1, '#f0f0f0']] } },
          axisTick: { show: false },
          splitLine: { show: false },
          axisLabel: { show: false },
          pointer: { show: false },
          anchor: { show: false },
          title: { show: !!label, offsetCenter: [0, '38%'], fontSize: 12, color: '#888' },
          detail: { offsetCenter: [0, '-12%'], fontSize: 20, fontWeight: 600, formatter: denominator ? '{value}%' : '—', color: '#333' },
          data: [{ value: pct, name: label ?? '' }],
        },
      ],
    }
  }, [numerator, denominator, target, label])
  return <EChart option={option} height={height} />
}
