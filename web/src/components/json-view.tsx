/** Pretty-printed JSON for audit details and similar read-only data. */
export function JsonView({ value }: { value: unknown }) {
  const empty = value === null || value === undefined || (typeof value === 'object' && Object.keys(value as object).length === 0)
  if (empty) return <span style={{ color: '#999' }}>（无详情）</span>
  return <pre className="json-view">{JSON.stringify(value, null, 2)}</pre>
}
