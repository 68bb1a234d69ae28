import { Card, Tabs } from 'antd'
import { useSearchParams } from 'react-router-dom'
import { useTitle } from '../../components/use-title'
import { PageHead } from '../../components/page-head'
import { FormViewer } from './form-viewer'
import { PlannedUnions } from './planned-unions'
import { Rounds } from './rounds'
import { RoundBoardView } from './round-board'

const tabs = [
  { key: 'view', label: '报表生成与导出' },
  { key: 'rounds', label: '填报与审核' },
  { key: 'board', label: '填报进度' },
  { key: 'planned', label: '拟建联合工会' },
] as const

/** The official forms: generate any of them for the organization chosen in the tree, fill and approve them in rounds. */
export function FormsPage() {
  const [params, setParams] = useSearchParams()
  const tab = tabs.find((t) => t.key === params.get('tab'))?.key ?? 'view'
  useTitle(tabs.find((t) => t.key === tab)?.label ?? '报表')
  return (
    <div className="page" data-testid="forms-page">
      <PageHead
        title="报表填报"
        sub="附件1 已建联合工会基本情况登记表由平台实时统计生成；附件2 拟建联合工会规划申报表汇总各镇（街道）登记的拟建联合工会。镇（街道）填报或确认后提交，上级审核通过即锁定。"
      />
      <Card size="small" className="section-card">
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams(k === 'view' ? {} : { tab: k })}
          items={tabs.map((t) => ({
            key: t.key,
            label: <span data-testid={`forms-tab-${t.key}`}>{t.label}</span>,
            children:
              t.key === 'view' ? (
                <FormViewer />
              ) : t.key === 'rounds' ? (
                <Rounds />
              ) : t.key === 'board' ? (
                <RoundBoardView />
              ) : (
                <PlannedUnions />
              ),
          }))}
          destroyOnHidden
        />
      </Card>
    </div>
  )
}
