import { InputNumber, Tooltip } from 'antd'
import { chineseDate, sheetsOf, TOTAL_ROW, type CellProblem, type FormCell, type FormTable } from '../../../../common/forms'
import './forms.css'

/** What a count cell shows: blank for zero, as the seed prints it. */
const shown = (kind: 'count' | 'text', v: FormCell) => (v === null || v === '' || (kind === 'count' && v === 0) ? '' : String(v))

interface Props {
  table: FormTable
  /** cells may be typed in (a round of a form the town fills) */
  editing?: boolean
  onCell?: (row: string, column: number, value: number | null) => void
  /** cross-check problems, marked on their cells */
  problems?: CellProblem[]
}

/**
 * A form laid out as printed: 附件 label, title, 填报单位 and 截止时间, the bordered table, the
 * total row. Offending cells are marked red with the cross-check's message.
 */
export function FormTableView({ table, editing, onCell, problems = [] }: Props) {
  const issues = new Map<string, string[]>()
  for (const p of problems) issues.set(`${p.row}.${p.column}`, [...(issues.get(`${p.row}.${p.column}`) ?? []), p.message])
  const cell = (rowKey: string, cells: FormCell[], bold: boolean, cols: number[]) =>
    cols.map((i) => {
      const c = table.columns[i]!
      const msgs = issues.get(`${rowKey}.${c.key}`)
      const v = cells[i] ?? null
      const content =
        editing && c.kind === 'count' ? (
          <InputNumber
            size="small"
            variant="borderless"
            controls={false}
            precision={0}
            value={typeof v === 'number' && v !== 0 ? v : null}
            onChange={(x) => onCell?.(rowKey, i, x === null ? null : Number(x))}
            className="form-cell-input"
            status={msgs ? 'error' : undefined}
            aria-label={`${rowKey}-${c.label}`}
            data-testid={`cell-${rowKey}-${c.key}`}
          />
        ) : (
          <span data-testid={`cell-${rowKey}-${c.key}`}>{shown(c.kind, v)}</span>
        )
      return (
        <td key={c.key} className={[c.kind === 'text' ? 'text' : 'num', msgs ? 'form-cell-bad' : '', bold ? 'bold' : ''].join(' ')}>
          {msgs ? (
            <Tooltip title={msgs.join('；')} open={undefined}>
              {content}
            </Tooltip>
          ) : (
            content
          )}
        </td>
      )
    })
  const a3 = table.paper === 'a3-landscape'
  const sheets = sheetsOf(table)
  // column widths as printed: the caption column and each column by its xlsx width (A3); A4 forms keep 18% for the caption
  const weight = (i: number) => table.columns[i]!.width ?? (table.columns[i]!.kind === 'text' ? 20 : 12)
  return (
    <div className={`form-paper ${a3 ? 'paper-a3' : 'paper-a4'}`} data-testid="form-paper">
      {sheets.map((sheet, si) => {
        const cols = sheet.groups.flatMap((g) => Array.from({ length: g.span }, (_, k) => g.from + k))
        const total = 14 + cols.reduce((sum, i) => sum + weight(i), 0)
        return (
          <div className="form-sheet" key={si} data-testid={`form-sheet-${si + 1}`}>
            {si === 0 ? (
              <>
                {table.attachment && <div className="form-attachment">{table.attachment}</div>}
                <div className="form-title" data-testid="form-title">
                  {table.title}
                </div>
                {(table.filler !== null || table.asOf !== null) && (
                  <div className="form-meta">
                    <span data-testid="form-filler">{table.filler !== null ? `填报单位：${table.filler}` : ''}</span>
                    <span data-testid="form-asof">{table.asOf !== null ? `截止时间：${chineseDate(table.asOf)}` : ''}</span>
                  </div>
                )}
              </>
            ) : (
              <div className="form-continued">
                {table.title}（续表 {si + 1}/{sheets.length}）
              </div>
            )}
            <table className="form-grid">
              <colgroup>
                <col style={{ width: a3 ? `${(14 / total) * 100}%` : '18%' }} />
                {cols.map((i) => (
                  <col key={table.columns[i]!.key} style={a3 ? { width: `${(weight(i) / total) * 100}%` } : undefined} />
                ))}
              </colgroup>
              <thead>
                {table.groups ? (
                  <>
                    <tr>
                      <th className="caption" rowSpan={2}>
                        {table.captionHeader}
                      </th>
                      {sheet.groups.map((g) => (
                        <th key={g.from} colSpan={g.span}>
                          {g.label}
                        </th>
                      ))}
                    </tr>
                    <tr>
                      {cols.map((i) => (
                        <th key={table.columns[i]!.key}>{table.columns[i]!.label}</th>
                      ))}
                    </tr>
                  </>
                ) : (
                  <tr>
                    <th className="caption">{table.captionHeader}</th>
                    {cols.map((i) => (
                      <th key={table.columns[i]!.key}>{table.columns[i]!.label}</th>
                    ))}
                  </tr>
                )}
              </thead>
              <tbody>
                {table.rows.map((r) => (
                  <tr key={r.key} data-testid={si === 0 ? `row-${r.key}` : undefined}>
                    <td className="caption">{r.caption}</td>
                    {cell(r.key, r.cells, false, cols)}
                  </tr>
                ))}
                <tr className="total" data-testid={si === 0 ? 'row-total' : undefined}>
                  <td className="caption bold">{table.total.caption}</td>
                  {cell(TOTAL_ROW, table.total.cells, true, cols)}
                </tr>
              </tbody>
            </table>
            {si === sheets.length - 1 &&
              table.notes.map((n, i) => (
                <div key={i} className="form-note">
                  {n}
                </div>
              ))}
          </div>
        )
      })}
    </div>
  )
}
