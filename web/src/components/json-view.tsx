/** Pretty-printed JSON for audit details and similar read-only data. */
export function JsonView({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span style={{ color: '#999' }}>（无详情）</span>
  return <pre className="json-view">{JSON.stringify(value, null, 2)}</pre>
}
