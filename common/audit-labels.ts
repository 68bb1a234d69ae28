/**
 * What the audit log's codes mean, in the words of the people who read it (the 审计管理员): the
 * page and the export show these, never `member.create` or `report_round`.
 */
export const auditActions: Record<string, string> = {
  login: '登录',
  logout: '退出登录',
  'login.failed': '登录失败',
  'login.throttled': '登录被限流',
  'user.create': '新建账号',
  'user.update': '修改账号',
  'user.roles': '分配角色',
  'user.unlock': '账号解锁',
  'user.password': '修改密码',
  'user.password.failed': '修改密码失败',
  'user.password.reset': '重置密码',
  'org.create': '新建组织',
  'org.update': '修改组织',
  'org.move': '移动组织',
  'org.dissolve': '注销组织',
  'org.coverage': '调整涵盖单位',
  'pii.reveal': '查看个人信息',
  'enterprise.create': '登记单位',
  'enterprise.update': '修改单位',
  'enterprise.export': '导出单位名录',
  'enterprise.close': '单位注销、停业或迁出',
  'enterprise.reopen': '单位恢复正常',
  'enterprise.import': '用人单位批量导入',
  'enterprise.import.upload': '上传用人单位导入文件',
  'enterprise.import.report': '下载用人单位导入问题清单',
  'member.create': '登记会员',
  'member.sign_in': '会员端登录',
  'member.sign_out': '会员端退出',
  'member.settings': '会员修改通知设置',
  'member.update': '修改会员信息',
  'member.status': '会籍变动（保留、退会、除名、恢复）',
  'member.locate': '查询他处会籍',
  'member.reserve_admit': '预备会员转入单位工会',
  'member.export': '导出会员名册',
  'member.export.unmasked': '导出会员名册（含完整个人信息）',
  'member.import': '名册导入',
  'member.import.upload': '上传名册',
  'member.import.report': '下载导入问题清单',
  'member.import.expire': '名册导入过期',
  'application.create': '提交入会申请',
  'application.approve': '入会申请通过',
  'application.reject': '入会申请不予通过',
  'application.need_info': '入会申请要求补充材料',
  'application.answer': '申请人补充材料',
  'application.withdraw': '申请人撤回入会申请',
  'transfer.request': '发起会员接转',
  'transfer.accept': '接收会员接转',
  'transfer.reject': '拒绝会员接转',
  'transfer.cancel': '撤回会员接转',
  'proposal.create': '会员提出建议',
  'proposal.edit': '会员修改建议',
  'proposal.reached': '建议达到支持数，纳入工作计划',
  'proposal.accept': '建议答复：纳入工作计划',
  'proposal.decline': '建议答复：不予采纳',
  'proposal.progress': '登记建议办理进度',
  'proposal.hide': '隐藏建议',
  'proposal.close': '建议未达支持数关闭',
  'proposal.rule': '设置建议规则',
  'plan.create': '新建计划目标',
  'plan.update': '修改计划目标',
  'plan.delete': '删除计划目标',
  'plan.allocate': '分解计划目标',
  'form.planned.create': '登记拟建联合工会',
  'form.planned.update': '修改拟建联合工会',
  'form.planned.delete': '删除拟建联合工会',
  'form.round.open': '发起报表填报',
  'form.round.save': '保存报表',
  'form.round.submit': '上报报表',
  'form.round.approve': '审核通过报表',
  'form.round.return': '退回报表',
  'form.round.deadline': '调整报送截止日期',
  'form.round.remind': '催报',
  'stats.settings': '修改统计口径',
  'stats.workforce': '登记平台从业人数',
  'stats.workforce.delete': '删除平台从业人数',
  'rule.update': '修改应建未建规则',
  'keys.rotate': '轮换密钥',
  'sms.outbox_read': '读取短信待发箱',
  'activity.create': '新建活动',
  'activity.update': '修改活动',
  'activity.publish': '发布活动',
  'activity.cancel': '取消活动',
  'activity.export': '导出活动报名',
  'activity.sign_up': '报名活动',
  'activity.sign_up_cancel': '取消活动报名',
  'activity.check_in': '活动签到',
  'activity.rate': '评价活动',

  'audit.export': '导出审计日志',
}

export const auditTargets: Record<string, string> = {
  proposal: '建议',
  user: '账号',
  member: '会员',
  org: '组织',
  enterprise: '用人单位',
  application: '入会申请',
  transfer: '会员接转',
  plan: '计划目标',
  report_round: '报表填报',
  planned_joint_union: '拟建联合工会',
  import_job: '导入任务',
  platform_workforce: '平台从业人数',
  stat_setting: '统计口径',
  region: '行政区划',
  pii_key: '密钥',
  sms_outbox: '短信待发箱',
  audit_log: '审计日志',
  activity: '活动',
  activity_registration: '活动报名',
}

/** A code the tables do not know yet is shown as it is, marked, rather than hidden. */
export const auditActionLabel = (a: string) => auditActions[a] ?? `其他操作（${a}）`
export const auditTargetLabel = (t: string | null) => (t ? (auditTargets[t] ?? t) : '')

/** 「name」（会员 #12）: the object of an entry in words; '—' when there is none. */
export function auditTarget(e: { targetType: string | null; targetId: string | null; targetName: string | null }): string {
  if (!e.targetType && !e.targetName) return '—'
  const kind = auditTargetLabel(e.targetType)
  const ref = [kind, e.targetId ? `#${e.targetId}` : ''].filter(Boolean).join(' ')
  return e.targetName ? `${e.targetName}${ref ? `（${ref}）` : ''}` : ref
}

/** A chain of the log: 'system' (accounts, logins, keys) or 'org:<id>' (the business of one city's tree). */
export const auditChainLabel = (chain: string) =>
  chain === 'system' ? '系统' : /^org:\d+$/.test(chain) ? `组织树 #${chain.slice(4)}` : chain
