/**
 * Reading an uploaded roster as a stream of rows, never the whole file: CSV in UTF-8 or
 * GB18030/GBK (detected), or the first sheet of an xlsx workbook.
 */
import { once } from 'node:events'
import { pipeline } from 'node:stream'
import iconv from 'iconv-lite'
import ExcelJS from 'exceljs'
import type { Pii } from '../../security/pii.js'
import { mapHeader, type HeaderMap } from './columns.js'
import { createPrivateFile, readSealed, sealStream, SealedFileError } from './sealed.js'

export type FileFormat = 'csv' | 'xlsx'
export type Encoding = 'utf8' | 'gb18030'

/** A problem with the file as a whole, in Chinese, for the user. */
export class FileProblem extends Error {}

/** What the first bytes say the file is; refuses what we cannot read, with the reason. */
export function sniffFormat(head: Buffer, fileName: string): FileFormat {
  const ext = fileName.toLowerCase().split('.').pop() ?? ''
  const zip = head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04
  const ole = head.length >= 4 && head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0
  if (ole) throw new FileProblem('这是旧版 Excel（.xls）文件，系统不支持；请在 Excel 或 WPS 中“另存为” .xlsx 或 CSV 后再上传')
  if (ext === 'xlsx' || ext === 'xlsm') {
    if (!zip)
      throw new FileProblem(
        '文件扩展名是 .xlsx，但内容不是 Excel 工作簿（可能已损坏，或是改了扩展名的其他文件）；请用 Excel 或 WPS 打开后重新保存为 .xlsx',
      )
    return 'xlsx'
  }
  if (zip) return 'xlsx'
  if (ext && !['csv', 'txt', 'xlsx', 'xlsm', ''].includes(ext))
    throw new FileProblem(`不支持的文件类型「.${ext}」：请上传 .xlsx 或 .csv 文件（可先下载导入模板）`)
  if (head.includes(0)) throw new FileProblem('文件内容不是文本格式的 CSV（含有二进制数据）；请上传 .xlsx 或 .csv 文件')
  return 'csv'
}

/** Incremental UTF-8 check: feed every chunk, then `result()`: utf8 when all of it decodes. */
export function encodingDetector() {
  const dec = new TextDecoder('utf-8', { fatal: true })
  let valid = true
  return {
    push(chunk: Buffer) {
      if (!valid) return
      try {
        dec.decode(chunk, { stream: true })
      } catch {
        valid = false
      }
    },
    result(): Encoding {
      if (valid) {
        try {
          dec.decode()
        } catch {
          valid = false
        }
      }
      return valid ? 'utf8' : 'gb18030'
    },
  }
}

export interface Row {
  /** the row number as a spreadsheet shows it (1 = first line) */
  rowNo: number
  cells: unknown[]
  /** CSV: the (0-based) field whose opening quote was not closed on its line; the row is in error */
  openQuote?: number
}

const HEADER_SEARCH = 10

function cellValue(v: unknown): unknown {
  if (v == null) return null
  if (typeof v !== 'object' || v instanceof Date) return v
  const o = v as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string }
  if (o.richText) return o.richText.map((t) => t.text).join('')
  if ('result' in o) return cellValue(o.result)
  if ('text' in o) return cellValue(o.text)
  if (o.error) return null
  return String(v)
}

const emptyRow = (cells: unknown[]) => cells.every((c) => c == null || (typeof c === 'string' && c.trim() === ''))

/**
 * A small CSV state machine (RFC 4180: quoted fields, doubled quotes, CR/LF/CRLF line ends), fed
 * decoded text chunk by chunk. Several times faster than csv-parse's record-by-record async
 * iteration on a million rows, and it counts physical lines, so row numbers match the file.
 *
 * One departure from RFC 4180: a quoted field ends at the end of its line. No field of a member
 * roster (names, numbers, codes, dates, a place or a workplace) can hold a line break, while a
 * stray quote ("张三 typed by hand, or a quote pasted at the start of a cell) is common; reading
 * quoted line breaks would silently merge every line up to the next stray quote into one record
 * (10 rows counted as 5, people lost without a word). So every line is at most one row: a field
 * whose quote is still open at the end of its line is cut there and the row is marked
 * (`openQuote`), an error on that row naming the column, and the next line is read afresh. A cell
 * with a line break typed in it (Alt+Enter) is reported the same way, on its first line.
 */
class CsvScanner {
  private field = ''
  private record: string[] = []
  /** inside quotes; a quote seen in quotes that may be the first of a doubled quote */
  private inQuotes = false
  private quoteSeen = false
  private lastCR = false
  /** the field of this record whose quote was left open, if any */
  private openQuote: number | undefined = undefined
  line = 1
  constructor(private readonly emit: (line: number, cells: string[], openQuote: number | undefined) => void) {}
  push(s: string) {
    let field = this.field
    let start = 0
    const n = s.length
    let i = 0
    const flushText = (to: number) => {
      if (to > start) field += s.slice(start, to)
    }
    while (i < n) {
      const c = s.charCodeAt(i)
      if (this.inQuotes) {
        if (this.quoteSeen) {
          this.quoteSeen = false
          if (c === 34) {
            // doubled quote: keep one
            field += '"'
            start = i + 1
            i++
            continue
          }
          this.inQuotes = false
          start = i
          // fall through to unquoted handling of c
        } else if (c === 10 || c === 13) {
          // the line ends inside quotes: the quote was never closed on it (see above)
          flushText(i)
          this.inQuotes = false
          this.openQuote ??= this.record.length
          start = i
          // fall through: the line break ends the record
        } else {
          if (c === 34) {
            flushText(i)
            this.quoteSeen = true
            start = i + 1
          }
          i++
          continue
        }
      }
      if (c === 44) {
        flushText(i)
        this.record.push(field)
        field = ''
        start = i + 1
      } else if (c === 10 || c === 13) {
        flushText(i)
        if (c === 10 && this.lastCR) {
          this.lastCR = false
          start = i + 1
          i++
          continue
        }
        this.lastCR = c === 13
        this.record.push(field)
        field = ''
        this.emit(this.line, this.record, this.openQuote)
        this.record = []
        this.openQuote = undefined
        this.line++
        start = i + 1
        i++
        continue
      } else if (c === 34 && field.length === 0 && start === i) {
        this.inQuotes = true
        start = i + 1
      }
      this.lastCR = false
      i++
    }
    flushText(n)
    this.field = field
  }
  end() {
    if (this.inQuotes && !this.quoteSeen) this.openQuote ??= this.record.length
    if (this.field !== '' || this.record.length > 0 || this.openQuote !== undefined) {
      this.record.push(this.field)
      this.emit(this.line, this.record, this.openQuote)
    }
    this.field = ''
    this.record = []
    this.inQuotes = false
    this.quoteSeen = false
  }
}

/** rows per batch handed to the validating threads */
export const BATCH_ROWS = 2000

async function* csvRows(file: string, encoding: Encoding, pii: Pii): AsyncGenerator<Row[]> {
  const input = readSealed(file, pii)
  const decoder = encoding === 'utf8' ? new TextDecoder('utf-8') : null
  const gb = encoding === 'gb18030' ? iconv.getDecoder('gb18030') : null
  let batch: Row[] = []
  const scanner = new CsvScanner((rowNo, cells, openQuote) => {
    if (openQuote !== undefined) batch.push({ rowNo, cells, openQuote })
    else if (cells.length === 1 && cells[0] === '') return
    else batch.push({ rowNo, cells })
  })
  let first = true
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      let text = decoder ? decoder.decode(chunk, { stream: true }) : gb!.write(chunk)
      if (first) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
        first = false
      }
      scanner.push(text)
      // batches of at most BATCH_ROWS rows, however short the rows (a worker's heap is sized for that)
      while (batch.length >= BATCH_ROWS) {
        const out = batch.length === BATCH_ROWS ? batch : batch.slice(0, BATCH_ROWS)
        batch = batch.length === BATCH_ROWS ? [] : batch.slice(BATCH_ROWS)
        yield out
      }
    }
    const tail = decoder ? decoder.decode() : (gb!.end() ?? '')
    if (tail) scanner.push(tail)
    scanner.end()
  } catch (e) {
    if (e instanceof SealedFileError) throw new FileProblem(e.message)
    throw e
  } finally {
    input.destroy()
  }
  if (batch.length) yield batch
}

/**
 * `it`, ending with the first error of `failed` even while `it` waits: ExcelJS pipes its input into
 * the unzipper, and a pipe does not pass an error on, so a file that fails to decrypt would leave it
 * waiting forever.
 */
function until<T>(it: AsyncIterable<T>, failed: Promise<never>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      const i = it[Symbol.asyncIterator]()
      return {
        next: () => Promise.race([i.next(), failed]),
        return: async (v?: unknown) => (i.return ? i.return(v) : { done: true as const, value: v as T }),
      }
    },
  }
}

const xlsxOptions: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions> = {
  worksheets: 'emit',
  sharedStrings: 'cache',
  hyperlinks: 'ignore',
  styles: 'ignore',
  entries: 'ignore',
}

/** What a WorkbookReader (ExcelJS 4.4) learns from the parts of a workbook other than its sheets. */
interface WorkbookParts {
  sharedStrings: unknown[]
  workbookRels: unknown[]
  model: object
  properties: unknown
}
type ReaderInternals = Partial<WorkbookParts> & {
  parse(): AsyncIterable<unknown>
  _parseWorksheet: (...a: unknown[]) => Iterable<unknown>
  _parseSharedStrings: (...a: unknown[]) => AsyncIterable<unknown>
}
function internals(r: ExcelJS.stream.xlsx.WorkbookReader): ReaderInternals {
  const i = r as unknown as ReaderInternals
  if (typeof i._parseWorksheet !== 'function' || typeof i._parseSharedStrings !== 'function' || typeof i.parse !== 'function')
    throw new Error('ExcelJS WorkbookReader internals changed: see reader.ts xlsxRows')
  return i
}

/**
 * The first pass over a workbook: its shared strings, relationships and sheet list, skipping the
 * sheets. ExcelJS (and Excel) write the sheets before sharedStrings.xml, and ExcelJS's streaming
 * reader copies a sheet met before the shared strings into a temporary file in os.tmpdir(): the
 * whole roster in clear on disk. Handing it these parts first, it reads the sheets as they come.
 */
async function workbookParts(file: string, pii: Pii): Promise<WorkbookParts> {
  const input = readSealed(file, pii)
  const failed = new Promise<never>((_, reject) => input.once('error', reject))
  failed.catch(() => undefined)
  const r = internals(new ExcelJS.stream.xlsx.WorkbookReader(input, xlsxOptions))
  // present already, so that a sheet is handed to _parseWorksheet (here: skipped), never to a temporary file
  r.sharedStrings = []
  r.workbookRels = []
  r._parseWorksheet = function* () {}
  try {
    for await (const _ of until(r.parse(), failed)) void _
  } finally {
    input.destroy()
  }
  return { sharedStrings: r.sharedStrings ?? [], workbookRels: r.workbookRels ?? [], model: r.model ?? {}, properties: r.properties }
}

async function* xlsxRows(file: string, pii: Pii): AsyncGenerator<Row[]> {
  let parts: WorkbookParts
  try {
    parts = await workbookParts(file, pii)
  } catch (e) {
    if (e instanceof SealedFileError) throw new FileProblem(e.message)
    throw new FileProblem(`无法读取 Excel 文件（文件可能已损坏或不是有效的 .xlsx）：${(e as Error).message}`)
  }
  const input = readSealed(file, pii)
  const failed = new Promise<never>((_, reject) => input.once('error', reject))
  failed.catch(() => undefined) // raced below; unobserved once the reading is over
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, xlsxOptions)
  const r = internals(reader)
  Object.assign(r, parts)
  r._parseSharedStrings = async function* () {} // known already
  let batch: Row[] = []
  let sheets = 0
  try {
    for await (const ws of until(reader, failed)) {
      if (sheets++ > 0) {
        // only the first sheet is the roster; drain the rest so the reader finishes
        for await (const _ of until(ws, failed)) void _
        continue
      }
      for await (const row of until(ws, failed)) {
        const values = (row as ExcelJS.Row).values as unknown[]
        const cells = values.slice(1).map(cellValue)
        if (emptyRow(cells)) continue
        batch.push({ rowNo: (row as ExcelJS.Row).number, cells })
        if (batch.length >= BATCH_ROWS) {
          yield batch
          batch = []
        }
      }
    }
  } catch (e) {
    if (e instanceof FileProblem) throw e
    if (e instanceof SealedFileError) throw new FileProblem(e.message)
    throw new FileProblem(`无法读取 Excel 文件（文件可能已损坏或不是有效的 .xlsx）：${(e as Error).message}`)
  } finally {
    input.destroy()
  }
  if (sheets === 0) throw new FileProblem('Excel 文件中没有工作表')
  if (batch.length) yield batch
}

export interface Opened<H = HeaderMap> {
  header: H
  headerRowNo: number
  /** the header row's cells as the file has them */
  headerCells: unknown[]
  /** batches of data rows after the header */
  batches: AsyncGenerator<Row[]>
}

const rosterHeaderMissing = '未找到表头：文件前几行中应有「姓名」和「证件号码」（或「身份证号码」「公民身份号码」）两列；请使用导入模板'

/** Opens a roster: finds the header within the first rows, then yields the data rows in batches. */
export function openRoster(file: string, format: FileFormat, encoding: Encoding, pii: Pii): Promise<Opened> {
  return openTable(file, format, encoding, pii, mapHeader, rosterHeaderMissing)
}

/**
 * Opens an uploaded table of any kind: finds the header `recognize` accepts within the first rows
 * (`missing` says what it lacks otherwise), then yields the data rows in batches.
 */
export async function openTable<H>(
  file: string,
  format: FileFormat,
  encoding: Encoding,
  pii: Pii,
  recognize: (cells: unknown[]) => H | null,
  missing: string,
): Promise<Opened<H>> {
  const source = format === 'csv' ? csvRows(file, encoding, pii) : xlsxRows(file, pii)
  const pending: Row[] = []
  let header: H | null = null
  let headerRowNo = 0
  let headerCells: unknown[] = []
  let seen = 0
  let first: IteratorResult<Row[]> | null = null
  outer: while (true) {
    first = await source.next()
    if (first.done) break
    const rows = first.value
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!
      if (!header) {
        if (emptyRow(r.cells)) continue
        header = recognize(r.cells)
        if (header) {
          headerRowNo = r.rowNo
          headerCells = r.cells
          pending.push(...rows.slice(i + 1))
          break outer
        }
        if (++seen >= HEADER_SEARCH) break outer
      }
    }
  }
  if (!header) {
    await source.return(undefined)
    throw new FileProblem(seen === 0 && !first?.value ? '文件是空的，没有任何数据行' : missing)
  }
  async function* batches(): AsyncGenerator<Row[]> {
    if (pending.length) yield pending
    yield* source
  }
  return { header, headerRowNo, headerCells, batches: batches() }
}

/**
 * Streams a readable into a new file (0600), encrypted with the PII ring's current key (sealed.ts),
 * returning the sha256, size and detected text encoding of the plain content.
 */
export async function saveUpload(input: NodeJS.ReadableStream | Buffer, target: string, hash: import('node:crypto').Hash, pii: Pii) {
  const det = encodingDetector()
  const file = createPrivateFile(target)
  const out = sealStream(pii)
  const written = new Promise<void>((resolve, reject) => pipeline(out, file, (e) => (e ? reject(e) : resolve())))
  written.catch(() => undefined) // awaited below; a failure meanwhile ends the writes at their 'drain'
  let size = 0
  let head = Buffer.alloc(0)
  const take = async (chunk: Buffer) => {
    size += chunk.length
    if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16)])
    hash.update(chunk)
    det.push(chunk)
    if (!out.write(chunk)) await once(out, 'drain')
  }
  try {
    if (Buffer.isBuffer(input)) await take(input)
    else for await (const c of input as AsyncIterable<Buffer | string>) await take(typeof c === 'string' ? Buffer.from(c) : c)
  } finally {
    out.end()
    await written
  }
  return { size, head, encoding: det.result(), sha256: hash.digest('hex') }
}
