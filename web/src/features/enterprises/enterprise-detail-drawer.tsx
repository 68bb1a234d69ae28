import { Descriptions, Drawer, Space, Tag } from 'antd'
import type { EnterpriseView } from '../../../../common/api'
import { economicTypes, industries, labelOf, unitNatures } from '../../../../common/codes'
import { CoverageTag } from './coverage-tag'

const dash = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? '—' : v)

export function EnterpriseDetailDrawer({ enterprise: e, onClose }: { enterprise: EnterpriseView; onClose: () => void }) {
  return (
    <Drawer open size={640} title={e.name} onClose={onClose} data-testid="enterprise-detail">
      <Descriptions
        column={2}
        size="small"
        bordered
        items={[
          { key: 'creditCode', label: '统一社会信用代码', children: e.creditCode, span: 2 },
          { key: 'name', label: '单位名称', children: e.name, span: 2 },
          { key: 'address', label: '地址', children: dash(e.address), span: 2 },
          { key: 'region', label: '所在政区', children: dash(e.regionName ? `${e.regionName}（${e.regionCode}）` : e.regionCode), span: 2 },
          { key: 'nature', label: '单位性质', children: labelOf(unitNatures, e.nature) },
          { key: 'economicType', label: '经济类型', children: dash(labelOf(economicTypes, e.economicType)) },
          { key: 'industry', label: '行业', children: dash(labelOf(industries, e.industry)), span: 2 },
          { key: 'employees', label: '职工人数', children: `${e.employees} 人` },
          { key: 'migrant', label: '其中农民工 / 劳务派遣', children: `${e.migrantWorkers} / ${e.dispatchedWorkers} 人` },
          { key: 'foundedOn', label: '成立日期', children: dash(e.foundedOn) },
          { key: 'zone', label: '开发区/园区', children: dash(e.zoneName) },
          { key: 'aboveScale', label: '规模以上工业', children: e.aboveScale ? '是' : '否' },
          { key: 'platform', label: '新就业形态平台企业', children: e.isPlatform ? '是' : '否' },
          { key: 'coverage', label: '建会情况', children: <CoverageTag e={e} />, span: 2 },
          {
            key: 'due',
            label: '应建未建',
            span: 2,
            children: e.dueReasons.length ? (
              <Space size={[4, 4]} wrap>
                {e.dueReasons.map((r) => (
                  <Tag key={r.code} color="red">
                    {r.label}
                  </Tag>
                ))}
              </Space>
            ) : (
              '否'
            ),
          },
        ]}
      />
    </Drawer>
  )
}
