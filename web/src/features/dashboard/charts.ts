/** ECharts options of the dashboard, for the desk (light) and the wall screen (dark). */
import type { RankingRow, SeriesPoint, StatsPanel } from '../../../../common/stats'
import type { EChartsOption } from '../../components/echart'
import { fmt, pct } from './format'

export interface Palette {
  text: string
  muted: string
  split: string
  primary: string
  blue: string
  green: string
  lagging: string
  grey: string
  tooltipBg: string
  tooltipText: string
}

export const palette = (dark: boolean): Palette =>
  dark
    ? {
        text: '#d6e2f5',
        muted: '#8ea3c2',
        split: 'rgba(255,255,255,0.08)',
        primary: '#ff4d5e',
        blue: '#3fa7ff',
        green: '#49d69b',
        lagging: '#ff4d4f',
        grey: '#6b7b93',
        tooltipBg: 'rgba(10,24,48,0.95)',
        tooltipText: '#e6eefc',
      }
    : {
        text: '#333',
        muted: '#888',
        split: '#f0f0f0',
        primary: '#c8102e',
        blue: '#1f6fb2',
        green: '#389e0d',
        lagging: '#cf1322',
        grey: '#bfbfbf',
        tooltipBg: 'rgba(255,255,255,0.97)',
        tooltipText: '#333',
      }

const tooltipBase = (p: Palette) => ({
  backgroundColor: p.tooltipBg,
  borderColor: p.split,
  textStyle: { color: p.tooltipText, fontSize: 12 },
  confine: true,
})

/** "甘霖镇总工会" → "甘霖镇" (axis labels); other names unchanged. */
export const shortName = (name: string) => name.replace(/(总工会|工会工作委员会|工会委员会)$/, '') || name

/** A category axis as every chart here draws it: no ticks, its line in the split colour. */
const categoryAxis = (p: Palette, data: string[], axisLabel: object, more: { inverse?: boolean; triggerEvent?: boolean } = {}) => ({
  type: 'category' as const,
  data,
  axisTick: { show: false },
  axisLine: { lineStyle: { color: p.split } },
  axisLabel,
  ...more,
})

/** A value axis of counts (whole numbers). */
const countAxis = (p: Palette) => ({
  type: 'value' as const,
  minInterval: 1,
  splitLine: { lineStyle: { color: p.split } },
  axisLabel: { color: p.muted },
})

/** A bar's figure beside its end: `text` of the bar's index. */
const barEndLabel = (p: Palette, text: (i: number) => string) => ({
  show: true,
  position: 'right' as const,
  color: p.text,
  fontSize: 11,
  formatter: (x: { dataIndex: number }) => text(x.dataIndex),
})

/** Axis labels of a ranking: short names, without the parent's own name in front (仙岩镇西鲍联合工会 → 西鲍联合工会 under 仙岩镇). */
export function rankLabels(rows: RankingRow[], parentName: string): string[] {
  const prefix = shortName(parentName)
  return rows.map((r) => {
    const s = shortName(r.org.name)
    return prefix && s.startsWith(prefix) && s.length > prefix.length + 1 ? s.slice(prefix.length) : s
  })
}

/** Members at each month end (area) with who joined and who left in the month (bars). */
export function trendOption(points: SeriesPoint[], p: Palette): EChartsOption {
  const months = points.map((x) => x.date.slice(0, 7))
  return {
    animationDuration: 400,
    color: [p.primary, p.blue, p.grey],
    grid: { left: 8, right: 8, top: 40, bottom: 4, containLabel: true },
    legend: {
      top: 0,
      right: 0,
      textStyle: { color: p.muted },
      itemWidth: 14,
      itemHeight: 8,
      data: ['会员数', '新入会', '退出（退会、除名、转出）'],
    },
    tooltip: {
      ...tooltipBase(p),
      trigger: 'axis',
      valueFormatter: (v: unknown) => `${fmt(Number(v))} 人`,
    },
    xAxis: categoryAxis(p, months, { color: p.muted, hideOverlap: true }),
    yAxis: [
      {
        type: 'value',
        name: '会员数',
        nameTextStyle: { color: p.muted, align: 'left' },
        splitLine: { lineStyle: { color: p.split } },
        axisLabel: { color: p.muted, formatter: (v: number) => fmt(v) },
        scale: true,
      },
      {
        type: 'value',
        name: '当月人数',
        nameTextStyle: { color: p.muted, align: 'right' },
        splitLine: { show: false },
        axisLabel: { color: p.muted, formatter: (v: number) => fmt(v) },
        minInterval: 1,
      },
    ],
    series: [
      {
        name: '会员数',
        type: 'line',
        smooth: true,
        symbol: 'circle',
        symbolSize: 5,
        data: points.map((x) => x.members),
        lineStyle: { width: 2.5 },
        areaStyle: {
          color: {
            type: 'linear',
            x: 0,
            y: 0,
            x2: 0,
            y2: 1,
            colorStops: [
              { offset: 0, color: p.primary + '55' },
              { offset: 1, color: p.primary + '05' },
            ],
          },
        },
        z: 3,
      },
      {
        name: '新入会',
        type: 'bar',
        yAxisIndex: 1,
        data: points.map((x) => x.joined),
        barMaxWidth: 10,
        itemStyle: { borderRadius: [2, 2, 0, 0], opacity: 0.55 },
      },
      {
        name: '退出（退会、除名、转出）',
        type: 'bar',
        yAxisIndex: 1,
        data: points.map((x) => x.left),
        barMaxWidth: 10,
        itemStyle: { borderRadius: [2, 2, 0, 0], opacity: 0.7 },
      },
    ],
  }
}

/**
 * Sub-regions ranked, best at the top: a rate in percent (or a count); the lagging ones red;
 * a dashed line at the level of the whole (the parent's own figure) and at the target.
 */
export function rankingOption(
  rows: RankingRow[],
  labels: string[],
  isRate: boolean,
  p: Palette,
  opts: { overall?: number | null; overallLabel?: string; target?: number | null },
): EChartsOption {
  const value = (r: RankingRow) => (isRate ? (r.rate === null ? 0 : Math.round(r.rate * 1000) / 10) : r.numerator)
  const lines: object[] = []
  if (opts.overall !== null && opts.overall !== undefined) {
    lines.push({
      xAxis: opts.overall,
      lineStyle: { color: p.muted, type: 'dashed' },
      label: { formatter: opts.overallLabel ?? '', color: p.muted, position: 'start', fontSize: 11 },
    })
  }
  if (opts.target)
    lines.push({
      xAxis: opts.target,
      lineStyle: { color: p.green, type: 'solid', width: 1.5 },
      label: { formatter: `目标 ${opts.target}%`, color: p.green, position: 'start', fontSize: 11 },
    })
  return {
    animationDuration: 400,
    grid: { left: 4, right: isRate ? 118 : 56, top: lines.length ? 22 : 6, bottom: 4, containLabel: true },
    tooltip: {
      ...tooltipBase(p),
      trigger: 'item',
      formatter: (x: { dataIndex: number }) => {
        const r = rows[x.dataIndex]!
        const head = `<b>第${r.rank}名　${r.org.name}</b>${r.lagging ? '　<span style="color:#ff4d4f">末位</span>' : ''}`
        return isRate
          ? `${head}<br/>${fmt(r.numerator)} / ${fmt(r.denominator)} = ${pct(r.numerator, r.denominator)}`
          : `${head}<br/>${fmt(r.numerator)}`
      },
    },
    xAxis: {
      type: 'value',
      max: isRate ? (v: { max: number }) => Math.min(100, Math.max(10, Math.ceil(v.max / 10) * 10)) : undefined,
      splitLine: { lineStyle: { color: p.split } },
      axisLabel: { color: p.muted, formatter: isRate ? '{value}%' : (v: number) => fmt(v) },
    },
    yAxis: categoryAxis(
      p,
      labels,
      { color: p.text, fontSize: 12, width: 120, overflow: 'truncate' },
      { inverse: true, triggerEvent: true },
    ),
    series: [
      {
        type: 'bar',
        barMaxWidth: 16,
        barCategoryGap: '35%',
        data: rows.map((r) => ({ value: value(r), itemStyle: { color: r.lagging ? p.lagging : p.blue, borderRadius: [0, 3, 3, 0] } })),
        label: barEndLabel(p, (i) => {
          const r = rows[i]!
          return isRate ? `${pct(r.numerator, r.denominator)}  ${fmt(r.numerator)}/${fmt(r.denominator)}` : fmt(r.numerator)
        }),
        markLine: lines.length ? { symbol: 'none', silent: true, data: lines } : undefined,
      },
    ],
  }
}

/** Joint unions by type (附件1 rows): committees and federations stacked, members in the tooltip. */
export function jointOption(rows: StatsPanel['jointByCategory'], p: Palette): EChartsOption {
  return {
    animationDuration: 400,
    color: [p.primary, '#d48806'],
    grid: { left: 4, right: 40, top: 28, bottom: 4, containLabel: true },
    legend: { top: 0, right: 0, textStyle: { color: p.muted }, itemWidth: 14, itemHeight: 8 },
    tooltip: {
      ...tooltipBase(p),
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (xs: { dataIndex: number }[]) => {
        const r = rows[xs[0]!.dataIndex]!
        return `<b>${r.label}</b><br/>联合工会委员会 ${fmt(r.committees)}　工会联合会 ${fmt(r.federations)}<br/>会员 ${fmt(r.members)} 人　涵盖企业 ${fmt(r.enterprises)} 家<br/>涵盖职工 ${fmt(r.employees)} 人　工会工作者 ${fmt(r.workers)} 人`
      },
    },
    xAxis: countAxis(p),
    yAxis: categoryAxis(
      p,
      rows.map((r) => r.label),
      { color: p.text, fontSize: 12 },
      { inverse: true, triggerEvent: true },
    ),
    series: [
      { name: '联合工会委员会', type: 'bar', stack: 'n', barMaxWidth: 14, data: rows.map((r) => r.committees) },
      {
        name: '工会联合会',
        type: 'bar',
        stack: 'n',
        barMaxWidth: 14,
        data: rows.map((r) => r.federations),
        itemStyle: { borderRadius: [0, 3, 3, 0] },
        label: barEndLabel(p, (i) => {
          const r = rows[i]!
          return r.committees + r.federations ? fmt(r.committees + r.federations) : ''
        }),
      },
    ],
  }
}

/** 应建未建 by size band. */
export function dueOption(bands: { label: string; count: number }[], p: Palette): EChartsOption {
  return {
    animationDuration: 300,
    grid: { left: 4, right: 4, top: 20, bottom: 0, containLabel: true },
    tooltip: {
      ...tooltipBase(p),
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: unknown) => `${fmt(Number(v))} 家`,
    },
    xAxis: categoryAxis(
      p,
      bands.map((b) => b.label),
      { color: p.muted, fontSize: 11, interval: 0 },
    ),
    yAxis: countAxis(p),
    series: [
      {
        type: 'bar',
        barMaxWidth: 28,
        data: bands.map((b) => b.count),
        itemStyle: { color: p.primary, borderRadius: [3, 3, 0, 0] },
        label: { show: true, position: 'top', color: p.text, fontSize: 11 },
      },
    ],
  }
}

/** 建议 of the year as a funnel of bars: received → entered into the work plan → done, and answered late beside them. */
export function proposalsOption(panel: StatsPanel, p: Palette): EChartsOption {
  const get = (k: string) => panel.indicators.find((i) => i.key === k)
  const rows = [
    { label: '收到建议', value: get('proposals.received')?.numerator ?? 0, color: p.blue, note: '' },
    {
      label: '进入工作计划',
      value: get('proposals.planned')?.numerator ?? 0,
      color: p.primary,
      note: `占收到的 ${pct(get('proposals.planned')?.numerator ?? 0, get('proposals.planned')?.denominator)}`,
    },
    {
      label: '已办结',
      value: get('proposals.done')?.numerator ?? 0,
      color: p.green,
      note: `占采纳的 ${pct(get('proposals.done')?.numerator ?? 0, get('proposals.done')?.denominator)}`,
    },
    {
      label: '逾期答复',
      value: get('proposals.late')?.numerator ?? 0,
      color: p.lagging,
      note: `占答复的 ${pct(get('proposals.late')?.numerator ?? 0, get('proposals.late')?.denominator)}`,
    },
  ]
  return {
    animationDuration: 400,
    grid: { left: 4, right: 48, top: 4, bottom: 4, containLabel: true },
    tooltip: {
      ...tooltipBase(p),
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (xs: { dataIndex: number }[]) => {
        const r = rows[xs[0]!.dataIndex]!
        return `<b>${r.label}</b> ${fmt(r.value)} 件${r.note ? `<br/>${r.note}` : ''}`
      },
    },
    xAxis: countAxis(p),
    yAxis: categoryAxis(
      p,
      rows.map((r) => r.label),
      { color: p.text, fontSize: 12 },
      { inverse: true },
    ),
    series: [
      {
        type: 'bar',
        barMaxWidth: 16,
        data: rows.map((r) => ({ value: r.value, itemStyle: { color: r.color, borderRadius: [0, 3, 3, 0] } })),
        label: barEndLabel(p, (i) => fmt(rows[i]!.value)),
      },
    ],
  }
}
