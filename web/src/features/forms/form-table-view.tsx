import { InputNumber, Tooltip } from 'antd'
import { chineseDate, TOTAL_ROW, type CellProblem, type FormCell, type FormTable } from '../../../../common/forms'
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
  const cell = (rowKey: string, cells: FormCell[], bold: boolean) =>
    table.columns.map((c, i) => {
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
  return (
    <div className="form-paper" data-testid="form-paper">
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
      <table className="form-grid">
        <colgroup>
          <col style={{ width: '18%' }} />
          {table.columns.map((c) => (
            <col key={c.key} />
          ))}
        </colgroup>
        <thead>
          <tr>
            <th className="caption">{table.captionHeader}</th>
            {table.columns.map((c) => (
              <th key={c.key}>{c.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r) => (
            <tr key={r.key} data-testid={`row-${r.key}`}>
              <td className="caption">{r.caption}</td>
              {cell(r.key, r.cells, false)}
            </tr>
          ))}
          <tr className="total" data-testid="row-total">
            <td className="caption bold">{table.total.caption}</td>
            {cell(TOTAL_ROW, table.total.cells, true)}
          </tr>
        </tbody>
      </table>
      {table.notes.map((n, i) => (
        <div key={i} className="form-note">
          {n}
        </div>
      ))}
    </div>
  )
}
