import { useCallback, useEffect, useMemo, useRef, useState, type Key, type ReactNode } from 'react'
import { Empty, Spin, Tag, Tree, Typography } from 'antd'
import type { TreeDataNode } from 'antd'
import { ApartmentOutlined, BankOutlined, ClusterOutlined, TeamOutlined } from '@ant-design/icons'
import { useNavigate } from 'react-router-dom'
import type { OrgSummary } from '../../../../common/api'
import { api } from '../../api/client'
import { useCurrentOrg } from '../../app/current-org'
import { isJointForm } from './org-labels'
import { OrgSearch } from './org-search'

const PAGE = 100

interface Loaded {
  items: OrgSummary[]
  total: number
}

function iconOf(o: OrgSummary): ReactNode {
  if (o.orgForm === 'federation' || o.orgForm === 'work_committee') return <BankOutlined />
  if (isJointForm(o.orgForm)) return <ClusterOutlined />
  if (o.childCount > 0) return <ApartmentOutlined />
  return <TeamOutlined />
}

function titleOf(o: OrgSummary): ReactNode {
  return (
    <span
      className={`tree-title${o.status === 'dissolved' ? ' tree-title-dissolved' : ''}`}
      data-testid={`org-tree-node-${o.id}`}
      title={o.name}
    >
      <span className="tree-name">{o.name}</span>
      {isJointForm(o.orgForm) && (
        <Tag className="tree-tag" color="blue">
          联合
        </Tag>
      )}
      {o.status === 'preparing' && (
        <Tag className="tree-tag" color="orange">
          筹备
        </Tag>
      )}
    </span>
  )
}

/** The union tree of the caller's jurisdiction, loaded a level at a time, with a search box to jump anywhere in it. */
export function OrgTree({ extra }: { extra?: ReactNode } = {}) {
  const navigate = useNavigate()
  const { current } = useCurrentOrg()
  const [roots, setRoots] = useState<OrgSummary[] | null>(null)
  const [children, setChildren] = useState<Map<number, Loaded>>(new Map())
  const childrenRef = useRef(children)
  childrenRef.current = children
  const [expanded, setExpanded] = useState<Key[]>([])
  const [loadedKeys, setLoadedKeys] = useState<Key[]>([])
  const [error, setError] = useState<string | null>(null)
  const wrapRef = useRef<HTMLDivElement>(null)

  const fetchChildren = useCallback(async (parent: number, page = 1) => {
    const r = await api.orgs({ parent, page, pageSize: PAGE })
    setChildren((prev) => {
      const next = new Map(prev)
      const before = page > 1 ? (prev.get(parent)?.items ?? []) : []
      next.set(parent, { items: [...before, ...r.items], total: r.total })
      childrenRef.current = next
      return next
    })
    setLoadedKeys((k) => (k.includes(String(parent)) ? k : [...k, String(parent)]))
  }, [])

  const loadRoots = useCallback(async () => {
    try {
      const r = await api.orgs({})
      setRoots(r.items)
      setError(null)
      return r.items
    } catch (e) {
      setError(e instanceof Error ? e.message : '加载失败')
      return []
    }
  }, [])

  // first load: roots, expanded one level
  useEffect(() => {
    void loadRoots().then(async (items) => {
      if (items.length === 1 && items[0].childCount > 0) {
        await fetchChildren(items[0].id)
        setExpanded((e) => (e.length ? e : [String(items[0].id)]))
      }
    })
  }, [loadRoots, fetchChildren])

  // after a create/move/dissolve anywhere: reload what is open
  useEffect(() => {
    const handleChanged = async () => {
      const open = [...childrenRef.current.keys()]
      childrenRef.current = new Map()
      setChildren(new Map())
      setLoadedKeys([])
      await loadRoots()
      for (const id of open) await fetchChildren(id).catch(() => undefined)
    }
    window.addEventListener('orgs-changed', handleChanged)
    return () => window.removeEventListener('orgs-changed', handleChanged)
  }, [loadRoots, fetchChildren])

  // when an organization is opened (from the search, a link or a table), expand the tree down to it
  useEffect(() => {
    if (!current?.ancestorIds || !roots) return
    let alive = true
    const path = current.ancestorIds
    void (async () => {
      const known = (id: number) =>
        roots.some((r) => r.id === id) || [...childrenRef.current.values()].some((c) => c.items.some((i) => i.id === id))
      const open: string[] = []
      for (const a of path) {
        if (!known(a)) continue
        if (!childrenRef.current.has(a)) await fetchChildren(a).catch(() => undefined)
        open.push(String(a))
      }
      if (!alive) return
      setExpanded((e) => [...new Set([...e, ...open])])
      window.setTimeout(() => {
        wrapRef.current?.querySelector('.ant-tree-treenode-selected')?.scrollIntoView({ block: 'nearest' })
      }, 150)
    })()
    return () => {
      alive = false
    }
  }, [current?.id, current?.ancestorIds, roots, fetchChildren])

  const treeData = useMemo(() => {
    const build = (o: OrgSummary): TreeDataNode => {
      const loaded = children.get(o.id)
      const node: TreeDataNode = { key: String(o.id), title: titleOf(o), icon: iconOf(o), isLeaf: o.childCount === 0 }
      if (loaded) {
        node.children = loaded.items.map(build)
        if (loaded.items.length < loaded.total) {
          node.children.push({
            key: `more:${o.id}`,
            isLeaf: true,
            title: <Typography.Link>加载更多（还有 {loaded.total - loaded.items.length} 个）</Typography.Link>,
          })
        }
      }
      return node
    }
    return (roots ?? []).map(build)
  }, [roots, children])

  const handleLoadData = async (node: { key: Key }) => {
    const id = Number(node.key)
    if (Number.isFinite(id) && !childrenRef.current.has(id)) await fetchChildren(id)
  }

  const handleSelect = (_: Key[], info: { node: { key: Key } }) => {
    const key = String(info.node.key)
    if (key.startsWith('more:')) {
      const parent = Number(key.slice(5))
      const loaded = childrenRef.current.get(parent)
      if (loaded) void fetchChildren(parent, Math.floor(loaded.items.length / PAGE) + 1)
      return
    }
    navigate(`/orgs/${key}`)
  }

  return (
    <div className="org-tree-panel">
      <div className="org-tree-search">
        <div className="org-tree-search-box">
          <OrgSearch onPick={(id) => navigate(`/orgs/${id}`)} />
        </div>
        {extra}
      </div>
      <div className="org-tree-wrap" ref={wrapRef} data-testid="org-tree">
        {error ? (
          <Empty description={error} image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : roots === null ? (
          <div style={{ padding: 24, textAlign: 'center' }}>
            <Spin />
          </div>
        ) : roots.length === 0 ? (
          <Empty description="暂无可查看的组织" image={Empty.PRESENTED_IMAGE_SIMPLE} />
        ) : (
          <Tree
            showIcon
            blockNode
            treeData={treeData}
            loadData={handleLoadData}
            loadedKeys={loadedKeys}
            expandedKeys={expanded}
            onExpand={(keys) => setExpanded(keys)}
            selectedKeys={current ? [String(current.id)] : []}
            onSelect={handleSelect}
          />
        )}
      </div>
    </div>
  )
}
