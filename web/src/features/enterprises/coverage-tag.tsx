import { Tag, Tooltip } from 'antd'
import { Link } from 'react-router-dom'
import type { EnterpriseView } from '../../../../common/api'

/** 单独建会 / 联合建会 / 未建会, with the union's name linking to it. */
export function CoverageTag({ e, compact }: { e: EnterpriseView; compact?: boolean }) {
  if (e.coverage === 'own') {
    const tag = <Tag color="green">单独建会</Tag>
    if (compact || !e.ownUnionId) return tag
    return (
      <span className="coverage-cell">
        {tag}
        <Link to={`/orgs/${e.ownUnionId}`} className="coverage-union">
          {e.ownUnionName}
        </Link>
      </span>
    )
  }
  if (e.coverage === 'joint') {
    const tag = <Tag color="blue">联合建会</Tag>
    if (compact || !e.jointUnionId) return <Tooltip title={e.jointUnionName}>{tag}</Tooltip>
    return (
      <span className="coverage-cell">
        {tag}
        <Link to={`/orgs/${e.jointUnionId}`} className="coverage-union">
          {e.jointUnionName}
        </Link>
      </span>
    )
  }
  return <Tag color="red">未建会</Tag>
}
