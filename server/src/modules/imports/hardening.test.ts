import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { parse } from 'csv-parse/sync'
import { sql } from 'kysely'
import { csv, importFixture, importJob, importSettled, residentId, uploadRoster, type Fixture } from '../../test/harness.js'
import { buildApp } from '../../app.js'
import { createPii, rotateKeyRing, type KeyRing } from '../../security/pii.js'
import * as service from './imports.service.js'
import { csvCell } from './export.js'
import { openStream, sealStream, SealedFileError } from './sealed.js'

/**
 * Issue 9 (hardening) for roster imports: uploads sealed at rest (modes, encryption, tampering,
 * orphans), a CSV quote left open never merges rows, exports never carry formulas, and the
 * embedded database refuses rosters bigger than its configured limit.
 */
const mode = (p: string) => fs.statSync(p).mode & 0o777

describe('roster import hardening', () => {
  let f: Fixture
  let ganlin: Record<string, string>
  const dataDir = importFixture('gh-imports-hard-', async (fixture) => {
    f = fixture
    ganlin = await f.login('ganlin')
  })
  const uploadDir = path.join(dataDir, 'imports')

  const upload = (fileName: string, data: Buffer | string, app = f.app) => uploadRoster(app, ganlin, f.ids.ganlinJoint, fileName, data)
  const job = (id: number) => importJob(f, ganlin, id)
  const commit = async (id: number, mode: 'all' | 'valid_only') => {
    const r = await f.app.inject({ method: 'POST', url: `/api/imports/${id}/commit`, payload: { mode }, headers: ganlin })
    // the import runs after the reply (onResponse): wait for its outcome, the job leaving 'importing'
    if (r.statusCode === 202) await importSettled(f, id)
    return { r, job: await job(id) }
  }
  const stored = async (id: number) =>
    (await f.database.db.selectFrom('import_job').select('file_path').where('id', '=', id).executeTakeFirstOrThrow()).file_path
  const imported = async (id: number) =>
    Number((await sql<{ n: string }>`select count(*) as n from member where import_job_id = ${id}`.execute(f.database.db)).rows[0]!.n)

  it('keeps an uploaded CSV encrypted in a 0700 directory as a 0600 file, whatever the umask, and imports it', async () => {
    fs.mkdirSync(uploadDir, { recursive: true, mode: 0o755 })
    fs.chmodSync(uploadDir, 0o755) // as an older version left it
    const old = process.umask(0o000)
    try {
      const doc = residentId('19860606')
      for (const [name, data] of [
        [
          'utf8.csv',
          Buffer.from(
            csv([
              ['姓名', '证件号码'],
              ['欧阳明月', doc],
            ]),
          ),
        ],
        [
          'gbk.csv',
          iconv.encode(
            csv([
              ['姓名', '证件号码'],
              ['司马青山', residentId('19860707')],
            ]),
            'gb18030',
          ),
        ],
      ] as const) {
        const r = (await upload(name, data)).json()
        assert.equal(r.status, 'checked', r.message)
        const file = await stored(r.id)
        assert.equal(mode(uploadDir), 0o700)
        assert.equal(mode(file), 0o600)
        const bytes = fs.readFileSync(file)
        assert.equal(bytes.subarray(0, 4).toString(), 'GHUP')
        for (const secret of [doc, '欧阳明月', '司马青山', residentId('19860707').slice(0, 12)]) {
          assert.equal(bytes.includes(Buffer.from(secret)), false, `${secret} in clear on disk`)
          assert.equal(bytes.includes(iconv.encode(secret, 'gb18030')), false, `${secret} (GB18030) in clear on disk`)
        }
        const { job: done } = await commit(r.id, 'all')
        assert.equal(done.status, 'done', done.message)
        assert.equal(await imported(r.id), 1)
        assert.equal(fs.existsSync(file), false, 'deleted once imported')
      }
      assert.deepEqual(
        fs.readdirSync(uploadDir).filter((n) => n.endsWith('.part')),
        [],
      )
    } finally {
      process.umask(old)
    }
  })

  it('reads an encrypted xlsx through the dry run and the commit', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('会员信息')
    const docs = [residentId('19870101'), residentId('19870202')]
    ws.addRow(['姓名', '证件号码', '工作单位'])
    ws.addRow(['诸葛云', docs[0], '甘霖小微五金厂'])
    ws.addRow(['上官雪', docs[1], '甘霖小微五金厂'])
    const data = Buffer.from(await wb.xlsx.writeBuffer())
    // as Excel does, ExcelJS writes the sheet before sharedStrings.xml: ExcelJS's reader would copy
    // the sheet (the roster in clear) to a temporary file; with no temporary directory it could not
    const tmpdir = process.env.TMPDIR
    process.env.TMPDIR = path.join(dataDir, 'no-such-directory')
    try {
      const r = (await upload('名册.xlsx', data)).json()
      assert.equal(r.status, 'checked', r.message)
      assert.equal(r.validRows, 2)
      const bytes = fs.readFileSync(await stored(r.id))
      assert.equal(bytes.includes(Buffer.from([0x50, 0x4b, 0x03, 0x04])), false, 'the zip is not on disk in clear')
      const { job: done } = await commit(r.id, 'all')
      assert.equal(done.status, 'done', done.message)
      assert.equal(await imported(r.id), 2)
      const names = await f.database.db.selectFrom('member').select('name').where('import_job_id', '=', r.id).orderBy('name').execute()
      assert.deepEqual(names.map((n) => n.name).sort(), ['上官雪', '诸葛云'].sort())
    } finally {
      if (tmpdir === undefined) delete process.env.TMPDIR
      else process.env.TMPDIR = tmpdir
    }
  })

  it('refuses a stored file that was changed, cut short or replaced, in Chinese, importing nobody', async () => {
    const rows = (n: number, tag: string) =>
      csv([['姓名', '证件号码'], ...Array.from({ length: n }, (_, i) => [`${tag}${i}`, residentId('19880303')])])
    const cases: [string, string, (file: string) => void, RegExp][] = [
      [
        'a byte flipped',
        'csv',
        (file) => {
          const b = fs.readFileSync(file)
          b[b.length >> 1] ^= 1
          fs.writeFileSync(file, b)
        },
        /损坏或被改动/,
      ],
      ['cut short', 'csv', (file) => fs.truncateSync(file, fs.statSync(file).size - 5), /损坏或被改动/],
      ['replaced by a plain file', 'csv', (file) => fs.writeFileSync(file, rows(3, '替换')), /不是加密格式/],
      [
        'an xlsx with a byte flipped',
        'xlsx',
        (file) => {
          const b = fs.readFileSync(file)
          b[b.length - 40] ^= 0x80
          fs.writeFileSync(file, b)
        },
        /损坏或被改动/,
      ],
    ]
    for (const [label, format, spoil, message] of cases) {
      let data: Buffer
      if (format === 'xlsx') {
        const wb = new ExcelJS.Workbook()
        const ws = wb.addWorksheet('会员信息')
        ws.addRow(['姓名', '证件号码'])
        for (let i = 0; i < 300; i++) ws.addRow([`篡改${i}`, residentId('19890404')])
        data = Buffer.from(await wb.xlsx.writeBuffer())
      } else data = Buffer.from(rows(300, '篡改'))
      const r = (await upload(`t.${format}`, data)).json()
      assert.equal(r.status, 'checked', `${label}: ${r.message}`)
      spoil(await stored(r.id))
      const { r: reply, job: failed } = await commit(r.id, 'all')
      assert.equal(reply.statusCode, 202, label)
      assert.equal(failed.status, 'failed', label)
      assert.match(failed.message, message, label)
      assert.doesNotMatch(failed.message, /[A-Za-z]{6,}/, `${label}: the message is in Chinese: ${failed.message}`)
      assert.equal(await imported(r.id), 0, label)
    }
  })

  it('sweeps a file in the upload directory that no job needs, keeping the file of a pending job and a fresh one', async () => {
    const r = (
      await upload(
        'pending.csv',
        csv([
          ['姓名', '证件号码'],
          ['待导入', residentId('19900505')],
        ]),
      )
    ).json()
    assert.equal(r.status, 'checked', r.message)
    const pending = await stored(r.id)
    const orphan = path.join(uploadDir, 'upload-1-abandoned.part')
    const fresh = path.join(uploadDir, 'upload-2-arriving.part')
    fs.writeFileSync(orphan, 'left by a crash')
    fs.writeFileSync(fresh, 'being received')
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000)
    fs.utimesSync(orphan, twoHoursAgo, twoHoursAgo)
    fs.utimesSync(pending, twoHoursAgo, twoHoursAgo)
    assert.equal(await service.purgeUploads(f.database.db, new Date(), uploadDir), 1)
    assert.equal(fs.existsSync(orphan), false, 'the orphan is deleted')
    assert.ok(fs.existsSync(pending), 'the pending job keeps its file')
    assert.ok(fs.existsSync(fresh), 'a file being received is not touched')
    const { job: done } = await commit(r.id, 'all')
    assert.equal(done.status, 'done', done.message)
  })

  it('never merges rows at a stray quote: 10 rows are 10 rows, the two broken ones named, in UTF-8 and GB18030', async () => {
    for (const encoding of ['utf8', 'gb18030'] as const) {
      const lines = [['姓名', '证件号码', '工作单位']]
      for (let i = 0; i < 10; i++) lines.push([`引号${encoding}${i}`, residentId('19910101'), '甘霖小微五金厂'])
      lines[3]![0] = `"${lines[3]![0]}` // line 4: a quote opened by hand, never closed
      lines[8]![2] = `"甘霖小微五金厂` // line 9: another one, which RFC 4180 would pair with the first
      const text = csv(lines)
      const r = (await upload(`q-${encoding}.csv`, encoding === 'utf8' ? Buffer.from(text) : iconv.encode(text, 'gb18030'))).json()
      assert.equal(r.status, 'checked', r.message)
      assert.equal(r.totalRows, 10, encoding)
      assert.equal(r.errorRows, 2, encoding)
      assert.equal(r.validRows, 8, encoding)
      const problems = (await f.app.inject({ method: 'GET', url: `/api/imports/${r.id}/problems?pageSize=50`, headers: ganlin })).json()
        .items as { rowNo: number; column: string; message: string }[]
      assert.deepEqual(
        problems.map((p) => [p.rowNo, p.column]),
        [
          [4, '姓名'],
          [9, '工作单位'],
        ],
      )
      for (const p of problems) assert.match(p.message, /引号.*没有闭合/)
      const { job: done } = await commit(r.id, 'valid_only')
      assert.equal(done.status, 'done', done.message)
      assert.equal(done.importedRows, 8)
      const all = await commit(r.id, 'all')
      assert.equal(all.r.statusCode, 409)
    }
    // a quote still open at the very end of the file (no line break after it) is the same
    const r = (await upload('end.csv', `姓名,证件号码\r\n末尾,"${residentId('19910202')}`)).json()
    assert.equal(r.status, 'checked', r.message)
    assert.equal(r.totalRows, 1)
    assert.equal(r.errorRows, 1)
  })

  it('exports CSV with every formula-like cell quoted out, and xlsx with text, never formulas', async () => {
    const names = ['=HYPERLINK("http://evil.example","点我")', '+1张三', '-2李四', '@SUM(A1)']
    const r = (
      await upload(
        'f.csv',
        ['姓名,证件号码,工作单位,职务', ...names.map((n) => `"${n.replace(/"/g, '""')}",${residentId('19920303')},=1+2,@职务`)].join(
          '\r\n',
        ),
      )
    ).json()
    assert.equal(r.status, 'checked', r.message)
    assert.equal(r.validRows, names.length)
    assert.equal((await commit(r.id, 'all')).job.status, 'done')

    const exp = await f.app.inject({ method: 'GET', url: `/api/members/export?format=csv&org=${f.ids.ganlinJoint}`, headers: ganlin })
    assert.equal(exp.statusCode, 200, exp.body)
    const body = exp.body.replace(/^\uFEFF/, '')
    // no cell of the file starts a formula; the values read back are the names behind a '
    const cells = (parse(body, { relax_column_count: true }) as string[][]).flat()
    for (const c of cells) assert.doesNotMatch(c, /^[=+\-@\t\r]/, `cell ${JSON.stringify(c)}`)
    for (const n of [...names, '=1+2', '@职务']) assert.ok(cells.includes(`'${n}`), n)
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`)
    assert.equal(csvCell('-2李四'), `'-2李四`)
    assert.equal(csvCell('\t0'), `"'\t0"`)
    assert.equal(csvCell('张三'), '张三')

    const x = await f.app.inject({ method: 'GET', url: `/api/members/export?format=xlsx&org=${f.ids.ganlinJoint}`, headers: ganlin })
    assert.equal(x.statusCode, 200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    const found: string[] = []
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        assert.notEqual(cell.type, ExcelJS.ValueType.Formula, `${cell.address} is a formula`)
        if (typeof cell.value === 'string' && names.includes(cell.value)) {
          assert.equal(cell.type, ExcelJS.ValueType.String)
          found.push(cell.value)
        }
      }),
    )
    assert.deepEqual(found.sort(), [...names].sort())
  })

  it('on the embedded database, refuses at the dry run a roster over the configured row limit, naming PostgreSQL', async () => {
    const limited = await buildApp({ db: f.database.db, pii: f.pii, sessionIdleMinutes: 30, webDir: null, embeddedImportMaxRows: 5 })
    try {
      const rows = (n: number, tag: string) =>
        csv([['姓名', '证件号码'], ...Array.from({ length: n }, (_, i) => [`${tag}${i}`, residentId('19930303')])])
      const over = (await upload('big.csv', rows(6, '超限'), limited)).json()
      assert.equal(over.status, 'failed')
      assert.match(over.message, /内置数据库单次导入不超过 5 行/)
      assert.match(over.message, /PostgreSQL（设置 DATABASE_URL）/)
      const refused = await limited.inject({
        method: 'POST',
        url: `/api/imports/${over.id}/commit`,
        payload: { mode: 'valid_only' },
        headers: ganlin,
      })
      assert.equal(refused.statusCode, 409)
      const ok = (await upload('small.csv', rows(5, '限内'), limited)).json()
      assert.equal(ok.status, 'checked', ok.message)
      assert.equal(ok.totalRows, 5)
      // a file checked where no limit applied is refused at its commit
      const unlimited = (await upload('checked.csv', rows(6, '已查'))).json()
      assert.equal(unlimited.status, 'checked', unlimited.message)
      const r = await limited.inject({
        method: 'POST',
        url: `/api/imports/${unlimited.id}/commit`,
        payload: { mode: 'all' },
        headers: ganlin,
      })
      assert.equal(r.statusCode, 409)
      assert.match(r.json().error.message, /PostgreSQL/)
      assert.equal((await job(unlimited.id)).status, 'checked')
    } finally {
      await limited.close()
    }
  })
})

describe('sealed upload streams', () => {
  const ring: KeyRing = {
    current: 'k1',
    keys: { k1: crypto.randomBytes(32).toString('base64') },
    hashKey: crypto.randomBytes(32).toString('base64'),
  }
  const seal = async (pii: ReturnType<typeof createPii>, data: Buffer, chunk = 7919) => {
    const s = sealStream(pii)
    const out: Buffer[] = []
    s.on('data', (c: Buffer) => out.push(c))
    for (let i = 0; i < data.length; i += chunk) s.write(data.subarray(i, i + chunk))
    s.end()
    await new Promise((r) => s.on('end', r))
    return Buffer.concat(out)
  }
  const open = async (pii: ReturnType<typeof createPii>, sealed: Buffer, chunk = 65_537) => {
    const input = new PassThrough()
    const o = openStream(pii)
    input.pipe(o)
    const out: Buffer[] = []
    const done = new Promise<Buffer>((resolve, reject) => {
      o.on('data', (c: Buffer) => out.push(c))
      o.on('end', () => resolve(Buffer.concat(out)))
      o.on('error', reject)
    })
    for (let i = 0; i < sealed.length; i += chunk) input.write(sealed.subarray(i, i + chunk))
    input.end()
    return done
  }
  const SEG = 64 * 1024

  it('round-trips any length, in any chunking, for both ciphers', async () => {
    for (const cipher of ['aes-256-gcm', 'sm4-gcm'] as const) {
      const pii = createPii(ring, cipher)
      for (const n of [0, 1, SEG - 1, SEG, SEG + 1, 3 * SEG + 5]) {
        const data = crypto.randomBytes(n)
        const sealed = await seal(pii, data)
        assert.deepEqual(await open(pii, sealed), data, `${cipher} ${n}`)
        assert.deepEqual(await open(pii, sealed, 1000), data, `${cipher} ${n}, small chunks`)
      }
    }
  })

  it('refuses a file cut at a segment boundary, extended, reordered, or under a key no longer in the ring; reads an older key', async () => {
    const pii = createPii(ring)
    const data = crypto.randomBytes(3 * SEG)
    const sealed = await seal(pii, data)
    const header = sealed.length - 3 * (SEG + 16) - 16
    const seg = (i: number) => sealed.subarray(header + i * (SEG + 16), header + (i + 1) * (SEG + 16))
    const spoiled = [
      sealed.subarray(0, header + 2 * (SEG + 16)), // the last segments dropped
      Buffer.concat([sealed, seg(0)]), // a segment added
      Buffer.concat([sealed.subarray(0, header), seg(1), seg(0), sealed.subarray(header + 2 * (SEG + 16))]), // two swapped
    ]
    for (const s of spoiled) await assert.rejects(open(pii, s), SealedFileError)
    const rotated = rotateKeyRing(ring)
    assert.deepEqual(await open(createPii(rotated), sealed), data, 'an upload survives a key rotation')
    const withoutK1 = { ...rotated, keys: { [rotated.current]: rotated.keys[rotated.current]! } }
    await assert.rejects(open(createPii(withoutK1), sealed), /密钥（k1）已不在密钥环中/)
  })
})
