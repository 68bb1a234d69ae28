import { useState } from 'react'
import { Button, Descriptions, Rate, Tag } from 'antd'
import { EyeOutlined } from '@ant-design/icons'
import type { OrgDetail } from '../../../../common/api'
import { foundingMethods, jointCategories, jointScopes, labelOf, orgForms, orgStatuses, orgTypes } from '../../../../common/codes'
import { canReveal, useUser } from '../auth/auth-context'
import { RevealPhoneModal } from './reveal-phone-modal'
import { isJointForm } from './org-labels'

const dash = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? '—' : v)
const yes = (b: boolean) => (b ? <Tag color="green">已建立</Tag> : <Tag>未建立</Tag>)

export function OrgDetails({ org }: { org: OrgDetail }) {
  const user = useUser()
  const [reveal, setReveal] = useState<'chairPhone' | 'contactPhone' | null>(null)

  const phone = (field: 'chairPhone' | 'contactPhone') => {
    const v = org[field]
    if (!v) return '—'
    return (
      <span>
        {v}
        {canReveal(user) && (
          <Button type="link" size="small" icon={<EyeOutlined />} onClick={() => setReveal(field)} data-testid={`org-reveal-${field}`}>
            查看完整
          </Button>
        )}
      </span>
    )
  }

  const items = [
    { key: 'name', label: '全称', children: org.name, span: 2 },
    { key: 'shortName', label: '简称', children: dash(org.shortName) },
    { key: 'code', label: '组织代码', children: org.code },
    { key: 'creditCode', label: '统一社会信用代码', children: dash(org.creditCode) },
    { key: 'parent', label: '上级工会', children: dash(org.parentName) },
    { key: 'orgType', label: '组织类型', children: labelOf(orgTypes, org.orgType) },
    { key: 'orgForm', label: '组织形式', children: labelOf(orgForms, org.orgForm) },
    { key: 'status', label: '状态', children: labelOf(orgStatuses, org.status) },
    ...(isJointForm(org.orgForm)
      ? [
          { key: 'jointScope', label: '联合工会性质', children: dash(labelOf(jointScopes, org.jointScope)) },
          { key: 'jointCategory', label: '联合工会类型', children: dash(labelOf(jointCategories, org.jointCategory)) },
        ]
      : []),
    { key: 'region', label: '所在政区', children: dash(org.regionName ? `${org.regionName}（${org.regionCode}）` : org.regionCode) },
    { key: 'industryUnion', label: '所属产业工会', children: dash(org.industryUnionName) },
    { key: 'foundedOn', label: '建会日期', children: dash(org.foundedOn) },
    { key: 'foundingMethod', label: '建会方式', children: dash(labelOf(foundingMethods, org.foundingMethod)) },
    { key: 'prepGroupOn', label: '筹备组成立日期', children: dash(org.prepGroupOn) },
    { key: 'approvalNo', label: '建会批复文号', children: dash(org.approvalNo) },
    { key: 'chairName', label: '主席', children: dash(org.chairName) },
    { key: 'chairPhone', label: '主席联系电话', children: phone('chairPhone') },
    { key: 'contactName', label: '联系人', children: dash(org.contactName) },
    { key: 'contactPhone', label: '联系电话', children: phone('contactPhone') },
    { key: 'electedOn', label: '换届日期', children: dash(org.electedOn) },
    { key: 'term', label: '主席任期', children: org.termYears ? `${org.termYears}年（至 ${org.termEndsOn ?? '—'}）` : '—' },
    { key: 'workers', label: '专职 / 兼职工会工作者', children: `${org.fulltimeWorkers} / ${org.parttimeWorkers} 人` },
    { key: 'members', label: '会员数', children: `${org.memberCount} 人` },
    { key: 'female', label: '女职工 / 农民工', children: `${org.femaleCount} / ${org.migrantCount} 人` },
    { key: 'needy', label: '困难职工 / 劳模', children: `${org.needyCount} / ${org.modelWorkerCount} 人` },
    {
      key: 'home',
      label: '职工之家星级',
      children: org.homeStar ? <Rate disabled count={5} value={org.homeStar} style={{ fontSize: 14 }} /> : '—',
    },
    { key: 'audit', label: '经审会', children: yes(org.hasAuditCommittee) },
    { key: 'women', label: '女职工委员会', children: yes(org.hasWomenCommittee) },
    { key: 'labor', label: '劳动法律监督委员会', children: yes(org.hasLaborSupervision) },
    { key: 'congress', label: '职代会', children: yes(org.hasWorkersCongress) },
    { key: 'open', label: '厂务公开', children: yes(org.hasOpenAffairs) },
    { key: 'contract', label: '集体合同', children: yes(org.hasCollectiveContract) },
  ]

  return (
    <>
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3, xxl: 4 }} bordered items={items} data-testid="org-details" />
      {reveal && <RevealPhoneModal orgId={org.id} field={reveal} onClose={() => setReveal(null)} />}
    </>
  )
}
