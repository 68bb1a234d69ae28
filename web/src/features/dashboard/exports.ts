/** The dashboard's tables as xlsx sheets: the same rows the page shows, numerator and denominator in their own columns. */
import { averageIndicators, type StatsPanel, type StatsPeriod, type StatsRanking, type StatsSeries } from '../../../../common/stats'
import type { SheetSpec } from '../../components/xlsx'
import type { DueSummary, JointUnionItem } from './api'

export interface Context {
  orgName: string
  asOf: string
  hierarchy: 'geo' | 'industry'
}

const titleOf = (c: Context, what: string, extra?: string) => [
  `${c.orgName} · ${what}`,
  `截止日期：${c.asOf}　层级：${c.hierarchy === 'industry' ? '产业' : '行政区域'}${extra ? `　${extra}` : ''}`,
]
const ratio = (n: number, d: number | null) => (d ? Math.round((n / d) * 10000) / 100 : null)

export function indicatorsSheet(c: Context, panel: StatsPanel): SheetSpec {
  return {
    name: '关键指标',
    title: titleOf(c, '关键指标'),
    header: ['指标', '分子', '分母', '比率(%)或平均值', '说明'],
    widths: [34, 12, 12, 14, 60],
    rows: panel.indicators.map((i) => [
      i.label,
      i.numerator,
      i.denominator,
      averageIndicators.includes(i.key)
        ? i.denominator
          ? Math.round((i.numerator / i.denominator) * 100) / 100
          : null
        : ratio(i.numerator, i.denominator),
      i.note ?? '',
    ]),
  }
}

export function rankingSheet(c: Context, r: StatsRanking): SheetSpec {
  const isRate = r.rows.some((x) => x.denominator !== null)
  return {
    name: '下级排名',
    title: titleOf(c, `下级单位排名：${r.indicator.label}`, `末位：${r.laggingRule}`),
    header: isRate ? ['排名', '单位', '代码', '分子', '分母', '比率(%)', '末位'] : ['排名', '单位', '代码', '数值', '末位'],
    widths: isRate ? [6, 28, 14, 12, 12, 10, 6] : [6, 28, 14, 12, 6],
    rows: r.rows.map((x) =>
      isRate
        ? [x.rank, x.org.name, x.org.code, x.numerator, x.denominator, ratio(x.numerator, x.denominator), x.lagging ? '是' : '']
        : [x.rank, x.org.name, x.org.code, x.numerator, x.lagging ? '是' : ''],
    ),
  }
}

export function seriesSheet(c: Context, s: StatsSeries): SheetSpec {
  return {
    name: '会员趋势',
    title: titleOf(c, '会员数逐月变化'),
    header: ['月份', '月末会员数', '当月新入会', '当月退出（退会、除名、转出）', '月末基层工会数'],
    widths: [10, 12, 12, 26, 14],
    rows: s.points.map((p) => [p.date.slice(0, 7), p.members, p.joined, p.left, p.unions]),
  }
}

export function periodSheet(c: Context, p: StatsPeriod): SheetSpec {
  return {
    name: '本期与上期',
    title: titleOf(c, `本期（${p.current.from} 至 ${p.current.to}）与上期（${p.previous.from} 至 ${p.previous.to}）`),
    header: ['项目', '本期', '上期', '增减', '增减率(%)'],
    widths: [22, 12, 12, 10, 10],
    rows: p.figures.map((f) => [
      f.label,
      f.current,
      f.previous,
      f.change,
      f.changeRate === null ? null : Math.round(f.changeRate * 10000) / 100,
    ]),
  }
}

export function jointSheet(c: Context, panel: StatsPanel): SheetSpec {
  const rows = panel.jointByCategory
  const sum = (k: keyof (typeof rows)[number]) => rows.reduce((s, r) => s + Number(r[k]), 0)
  return {
    name: '联合工会按类型',
    title: titleOf(c, '已建联合工会基本情况（按类型）'),
    header: ['类型', '联合工会数', '工会联合会数', '会员数', '涵盖职工数', '涵盖企业数', '工会工作者数'],
    widths: [18, 12, 12, 10, 12, 12, 12],
    rows: [
      ...rows.map((r) => [r.label, r.committees, r.federations, r.members, r.employees, r.enterprises, r.workers]),
      ['总计', sum('committees'), sum('federations'), sum('members'), sum('employees'), sum('enterprises'), sum('workers')],
    ],
  }
}

export function jointListSheet(c: Context, categoryLabel: string, items: JointUnionItem[]): SheetSpec {
  return {
    name: '联合工会名单',
    title: titleOf(c, `${categoryLabel}联合工会名单`),
    header: ['序号', '名称', '代码', '上级工会', '成立日期', '会员数', '涵盖企业数', '涵盖职工数', '工会工作者数'],
    widths: [6, 36, 16, 22, 12, 10, 12, 12, 12],
    rows: items.map((x, i) => [i + 1, x.name, x.code, x.parentName, x.foundedOn, x.members, x.enterprises, x.employees, x.unionWorkers]),
  }
}

export function dueSheet(c: Context, d: DueSummary): SheetSpec {
  return {
    name: '应建未建',
    title: titleOf(c, '应建未建单位汇总', '（按当前名录）'),
    header: ['分类', '项目', '单位数'],
    widths: [12, 36, 10],
    rows: [
      ['合计', '应建未建单位', d.total],
      ['合计', '涉及职工（人）', d.workers],
      ...d.bySizeBand.map((b) => ['按职工人数', b.label, b.count]),
      ...d.byReason.map((b) => ['按原因', b.label, b.count]),
    ],
  }
}
