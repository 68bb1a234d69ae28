import { useState } from 'react'
import { Button, Descriptions, Drawer, Space, Tag, Timeline, Typography } from 'antd'
import { EyeOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { enterpriseStatuses, type EnterpriseView } from '../../../../common/api'
import { api } from '../../api/client'
import { RevealModal } from '../../components/reveal-modal'
import { dateTime } from '../../components/format'
import { canReveal, useUser } from '../auth/auth-context'
import { EnterpriseStatusTag } from './status-modal'
import { economicTypes, industries, labelOf, unitNatures } from '../../../../common/codes'
import { CoverageTag } from './coverage-tag'

const dash = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? '—' : v)

type Person = 'legalRep' | 'contactName' | 'contactPhone'
const personLabel: Record<Person, string> = { legalRep: '法定代表人', contactName: '联系人', contactPhone: '联系电话' }

export function EnterpriseDetailDrawer({ enterprise: e, onClose }: { enterprise: EnterpriseView; onClose: () => void }) {
  const user = useUser()
  const [reveal, setReveal] = useState<Person | null>(null)
  const history = useQuery({ queryKey: ['enterprise-history', e.id], queryFn: () => api.enterpriseHistory(e.id) })
  const person = (field: Person) => {
    const v = e[field]
    if (!v) return '—'
    return (
      <span data-testid={`enterprise-${field}`}>
        {v}
        {canReveal(user) && (
          <Button
            type="link"
            size="small"
            icon={<EyeOutlined />}
            onClick={() => setReveal(field)}
            data-testid={`enterprise-reveal-${field}`}
          >
            查看完整
          </Button>
        )}
      </span>
    )
  }
  return (
    <Drawer
      open
      size={640}
      title={
        <Space>
          {e.name}
          <EnterpriseStatusTag e={e} />
        </Space>
      }
      onClose={onClose}
      data-testid="enterprise-detail"
    >
      <Descriptions
        column={2}
        size="small"
        bordered
        items={[
          { key: 'creditCode', label: '统一社会信用代码', children: e.creditCode, span: 2 },
          { key: 'name', label: '单位名称', children: e.name, span: 2 },
          { key: 'address', label: '地址', children: dash(e.address), span: 2 },
          { key: 'town', label: '所在乡镇（街道）', children: dash(e.townName), span: 2 },
          { key: 'region', label: '所在政区', children: dash(e.regionName ? `${e.regionName}（${e.regionCode}）` : e.regionCode), span: 2 },
          { key: 'legalRep', label: '法定代表人', children: person('legalRep'), span: 2 },
          { key: 'contactName', label: '联系人', children: person('contactName') },
          { key: 'contactPhone', label: '联系电话', children: person('contactPhone') },
          {
            key: 'status',
            label: '经营状态',
            span: 2,
            children:
              e.status === 'active' ? '正常' : `${enterpriseStatuses.find((x) => x.code === e.status)?.label}（自 ${e.closedOn} 起）`,
          },
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
      {(history.data?.length ?? 0) > 0 && (
        <>
          <Typography.Title level={5} style={{ marginTop: 20 }}>
            状态变更记录
          </Typography.Title>
          <Timeline
            data-testid="enterprise-history"
            items={history.data!.map((h) => ({
              color: h.status === 'active' ? 'green' : 'red',
              children: (
                <>
                  <b>{h.status === 'active' ? '恢复正常' : enterpriseStatuses.find((x) => x.code === h.status)?.label}</b>
                  ，自 {h.effectiveOn} 起　{h.actorName ?? ''}　<Typography.Text type="secondary">{dateTime(h.at)}</Typography.Text>
                  {h.note && <div>{h.note}</div>}
                </>
              ),
            }))}
          />
        </>
      )}
      {reveal && (
        <RevealModal
          title={`查看完整的${personLabel[reveal]}`}
          warning={`${personLabel[reveal]}属于个人信息`}
          placeholder="如：联系该单位商谈建会事宜"
          reveal={(reason) => api.revealEnterprise(e.id, reveal, reason)}
          onClose={() => setReveal(null)}
        />
      )}
    </Drawer>
  )
}
