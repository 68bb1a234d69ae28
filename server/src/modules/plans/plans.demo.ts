/**
 * The plans of the demo city (嵊州市): the 2017 joint-union three-year plan of seed 000 with the
 * per-town targets of its 附件3, and a current 2024-2026 plan with the Hangzhou rate targets of
 * seed 002 (its count targets scaled to a county), split among the towns.
 */
import type { Ctx } from '../../http/context.js'
import * as plans from './plans.service.js'
import * as repo from './plans.repository.js'

/** 附件3 of 嵊总工字〔2017〕33号: 联合工会数, 会员发展数 per town (by division code), as printed. */
export const shengzhouForm3: [code: string, joint: number, members: number][] = [
  ['330683005', 4, 4000], // 开发区（浦口街道）
  ['330683100', 2, 2000], // 甘霖镇
  ['330683102', 2, 2000], // 崇仁镇
  ['330683101', 2, 2000], // 长乐镇
  ['330683104', 2, 2000], // 三界镇
  ['330683103', 2, 2000], // 黄泽镇
  ['330683002', 3, 3000], // 城南新区（三江街道）
  ['330683003', 2, 2000], // 鹿山街道
  ['330683001', 2, 2000], // 剡湖街道
  ['330683105', 1, 1000], // 石璜镇
  ['330683107', 1, 1000], // 仙岩镇
]

/** The rate targets of the Hangzhou 2024-2026 plan (杭总工〔2024〕32号), in percent. */
export const hangzhouRates: [key: string, value: number, note?: string][] = [
  ['union_rate.np25', 100, '25人以上非公企业应建尽建'],
  ['union_rate.npsmall', 80],
  ['union_rate.public', 95],
  ['member_rate.public', 95],
  ['union_rate.abovescale', 85],
  ['member_rate.abovescale', 85],
  ['union_rate.social', 85],
  ['member_rate.social', 85],
  ['ne_rate', 60, '四类重点群体总体'],
  ['ne_rate.truck_driver', 80],
  ['ne_rate.courier', 80],
  ['ne_rate.ride_hailing', 50, '日活跃数的50%'],
  ['ne_rate.food_delivery', 50, '日活跃数的50%'],
  ['realname_rate', 90],
  ['growth.members.ne', 15, '每年新就业形态劳动者会员增长率不低于15%'],
]

export async function loadDemoPlans(ctx: Ctx, rootId: number) {
  const towns = await repo.regionalChildren(ctx.db, rootId)
  const townId = new Map(towns.map((t) => [t.code, Number(t.id)]))

  const p2017 = await plans.create(ctx, {
    orgId: rootId,
    name: '嵊州市联合工会建设三年规划（2017-2019年）',
    docNo: '嵊总工字〔2017〕33号',
    startOn: '2017-01-01',
    endOn: '2019-12-31',
    note: '通过三年的努力，新建20家以上的联合工会，实现对新领域、新阶层、新群体的基本覆盖；工会覆盖率、职工入会率均应巩固在90%左右。',
    targets: [
      { key: 'new.unions.joint', value: 23, note: '新建20家以上（附件3合计23家）' },
      { key: 'new.members', value: 23000 },
      { key: 'union_rate.all', value: 90, note: '工会覆盖率巩固在90%左右' },
      { key: 'member_rate', value: 90, note: '职工入会率巩固在90%左右' },
    ],
    milestones: [
      { dueOn: '2017-12-31', share: 50, label: '规划建设年' },
      { dueOn: '2018-12-31', share: 100, label: '发展攻坚年' },
      { dueOn: '2019-12-31', share: 100, label: '巩固提升年' },
    ],
  })
  await plans.putAllocations(ctx, p2017.id, {
    parentOrgId: rootId,
    rows: shengzhouForm3
      .filter(([code]) => townId.has(code))
      .map(([code, joint, members]) => ({
        orgId: townId.get(code)!,
        values: { 'new.unions.joint': joint, 'new.members': members },
      })),
  })

  // the current plan: a county's share of the Hangzhou targets, split in proportion to the towns' size
  const split = (total: number, weights: number[]) => {
    const sum = weights.reduce((s, w) => s + w, 0)
    const raw = weights.map((w) => Math.floor((total * w) / sum))
    let left = total - raw.reduce((s, v) => s + v, 0)
    for (let i = 0; left > 0; i = (i + 1) % raw.length, left--) raw[i]!++
    return raw
  }
  const sizes = await Promise.all(towns.map((t) => repo.enterprisesUnder(ctx.db, t.id)))
  const UNIONS = 60
  const MEMBERS = 8000
  const p2024 = await plans.create(ctx, {
    orgId: rootId,
    name: '嵊州工会大抓基层三年行动方案（2024-2026年）',
    docNo: '嵊总工〔2024〕12号',
    startOn: '2024-01-01',
    endOn: '2026-12-31',
    note: '对标《杭州工会大抓基层三年行动方案（2024-2026年）》：新增基层工会、新增会员分解到各镇（街道），建会率、入会率、实名制录入率按杭州目标，纳入年度重点工作成效评价，定期通报、末位约谈。',
    targets: [
      { key: 'new.unions', value: UNIONS },
      { key: 'new.members', value: MEMBERS },
      ...hangzhouRates.map(([key, value, note]) => ({ key, value, note: note ?? null })),
    ],
    milestones: [
      { dueOn: '2024-12-31', share: 30, label: '谋划部署' },
      { dueOn: '2025-12-31', share: 65, label: '全面推进' },
      { dueOn: '2026-12-31', share: 100, label: '巩固提升' },
    ],
  })
  const unions = split(UNIONS, sizes)
  const members = split(MEMBERS, sizes)
  await plans.putAllocations(ctx, p2024.id, {
    parentOrgId: rootId,
    rows: towns.map((t, i) => ({ orgId: Number(t.id), values: { 'new.unions': unions[i]!, 'new.members': members[i]! } })),
  })
  return [p2017.id, p2024.id]
}
