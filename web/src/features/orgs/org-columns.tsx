import { Tag } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { Link } from 'react-router-dom'
import type { OrgSummary } from '../../../../common/api'
import { jointCategories, labelOf, orgForms, orgTypes } from '../../../../common/codes'
import { isJointForm, OrgStatusTag } from './org-labels'

export function orgColumns(opts: { history?: boolean } = {}): ColumnsType<OrgSummary> {
  return [
    {
      title: '名称',
      dataIndex: 'name',
      render: (name: string, o) => (
        <span>
          <Link to={`/orgs/${o.id}`} data-testid={`org-link-${o.id}`}>
            {name}
          </Link>
          {isJointForm(o.orgForm) && (
            <Tag color="blue" style={{ marginInlineStart: 8 }}>
              {labelOf(jointCategories, o.jointCategory) || '联合'}
            </Tag>
          )}
        </span>
      ),
    },
    { title: '组织代码', dataIndex: 'code', width: 170 },
    { title: '组织形式', dataIndex: 'orgForm', width: 130, render: (v: string) => labelOf(orgForms, v) },
    { title: '组织类型', dataIndex: 'orgType', width: 120, render: (v: string) => labelOf(orgTypes, v) },
    ...(opts.history
      ? []
      : [
          { title: '建会日期', dataIndex: 'foundedOn', width: 110, render: (v: string | null) => v ?? '—' },
          { title: '会员数', dataIndex: 'memberCount', width: 90, align: 'right' as const },
        ]),
    { title: '下级', dataIndex: 'childCount', width: 70, align: 'right' },
    { title: '状态', dataIndex: 'status', width: 80, render: (v: string) => <OrgStatusTag status={v} /> },
  ]
}
