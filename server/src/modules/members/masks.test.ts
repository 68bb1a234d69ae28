import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { applyPublic, fixture, residentId, type Fixture } from '../../test/harness.js'
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { idCheckChar, maskDocument } from '../../../../common/id-card.js'
import { sealBirthDates } from './members.repository.js'
import { revealBirth } from './identity.js'

/**
 * The rule of issue 9: nothing a screen, an export, an API answer or an audit entry shows without
 * a reveal, taken together with the member's union (which gives away the region code), narrows a
 * 居民身份证号 to fewer than 10,000 candidates, nor a mobile number.
 *
 * What is known is a position → character map (the union's region, every masked form of the number
 * seen anywhere) and the birth date or year if anything shows one; the candidates are counted by
 * brute force over ages 16–70: every birth date and sequence, with the check character computed.
 */
type Known = (string | undefined)[]

function countIds(known: Known, birth: { date?: string; year?: string }, today = new Date()): number {
  const okAt = (pos: number, c: string) => known[pos] === undefined || known[pos] === c
  const seqs: string[] = []
  for (let s = 0; s < 1000; s++) {
    const q = String(s).padStart(3, '0')
    if (okAt(14, q[0]!) && okAt(15, q[1]!) && okAt(16, q[2]!)) seqs.push(q)
  }
  const region = known.slice(0, 6).join('')
  assert.equal(region.length, 6, 'the region is known from the union')
  let n = 0
  const end = Date.UTC(today.getUTCFullYear() - 16, today.getUTCMonth(), today.getUTCDate())
  for (let t = Date.UTC(today.getUTCFullYear() - 70, today.getUTCMonth(), today.getUTCDate()); t <= end; t += 86_400_000) {
    const d = new Date(t).toISOString().slice(0, 10)
    if (birth.date && d !== birth.date) continue
    if (birth.year && d.slice(0, 4) !== birth.year) continue
    const d8 = d.replace(/-/g, '')
    let fits = true
    for (let i = 0; i < 8 && fits; i++) fits = okAt(6 + i, d8[i]!)
    if (!fits) continue
    for (const q of seqs) if (okAt(17, idCheckChar(region + d8 + q))) n++
  }
  return n
}

/** Every masked form of `value` in the text (same length, each shown character equal), merged into what is known. */
function learn(known: Known, text: string, value: string) {
  const shape = new RegExp(`[0-9X*]{${value.length}}`, 'g')
  let seen = 0
  for (const m of text.matchAll(shape)) {
    const s = m[0]
    if (![...s].every((c, i) => c === '*' || c === value[i])) continue
    seen++
    for (let i = 0; i < s.length; i++) if (s[i] !== '*') known[i] = s[i]
  }
  return seen
}

describe('masks cannot be reversed', () => {
  let f: Fixture
  let ganlin: Record<string, string>
  let chongren: Record<string, string>
  let auditor: Record<string, string>
  before(async () => {
    f = await fixture()
    ganlin = await f.login('ganlin')
    chongren = await f.login('chongren')
    auditor = await f.login('auditor')
  })
  after(() => f.close())

  it('the counter is not vacuous: the old mask with the birth date shown gives the number away', () => {
    const id = residentId('19880709')
    const old = [...id.slice(0, 6), ...Array(8).fill(undefined), ...id.slice(14)]
    assert.equal(countIds(old, { date: '1988-07-09' }), 1)
    // last 4 with the birth year: ~36, fails the rule; last 3 alone: ~18,000, passes
    const last4 = [...id.slice(0, 6), ...Array(8).fill(undefined), ...id.slice(14)]
    assert.ok(countIds(last4, { year: '1988' }) < 100)
    assert.ok(countIds([...id.slice(0, 6), ...Array(9).fill(undefined), ...id.slice(15)], {}) >= 10_000)
  })

  it('everything shown of a member, an applicant and a transfer, taken together, leaves ≥ 10,000 ID numbers and ≥ 10,000 phones', async () => {
    const id = residentId('19880709')
    const phone = '13905759876'
    const birth = { date: '1988-07-09', compact: '19880709' }
    const seen: string[] = []
    const show = (label: string, body: string) => seen.push(`— ${label}\n${body}`)

    const created = await f.send('POST', '/api/members', ganlin, {
      name: '王小明',
      documentNumber: id,
      phone,
      unionId: f.ids.ganlinJoint,
      workplace: '甘霖小微五金厂',
    })
    assert.equal(created.statusCode, 201, created.body)
    const memberId = created.json().id as number
    show('create', created.body)
    show('list', (await f.app.inject({ method: 'GET', url: `/api/members?q=${encodeURIComponent('王小明')}`, headers: ganlin })).body)
    show('detail', (await f.app.inject({ method: 'GET', url: `/api/members/${memberId}`, headers: ganlin })).body)
    const csv = await f.app.inject({ method: 'GET', url: `/api/members/export?org=${f.ids.ganlinJoint}&format=csv`, headers: ganlin })
    assert.equal(csv.statusCode, 200)
    show('export', csv.body)
    const card = await f.app.inject({ method: 'GET', url: `/api/members/${memberId}/card`, headers: ganlin })
    show('card', card.body)
    if (card.statusCode === 200 && card.json().token)
      show(
        'card verify',
        (await f.app.inject({ method: 'GET', url: `/api/cards/verify?token=${encodeURIComponent(card.json().token)}` })).body,
      )
    // 一人一籍: another town adding the same person is told where (member_locate)
    const elsewhere = await f.send('POST', '/api/members', chongren, { name: '王小明', documentNumber: id, unionId: f.ids.chongrenBase })
    assert.equal(elsewhere.statusCode, 409, elsewhere.body)
    show('elsewhere', elsewhere.body)
    // … and asking for a transfer by number
    const t = await f.send('POST', '/api/transfers', chongren, {
      documentType: 'resident_id',
      documentNumber: id,
      toUnionId: f.ids.chongrenBase,
    })
    show('transfer', t.body)
    show('transfers', (await f.app.inject({ method: 'GET', url: '/api/transfers', headers: ganlin })).body)
    show('transfers', (await f.app.inject({ method: 'GET', url: '/api/transfers', headers: chongren })).body)
    // an edit, audited
    show('update', (await f.send('PATCH', `/api/members/${memberId}`, ganlin, { jobTitle: '班组长' })).body)
    // the audit log, as the auditor reads it
    const audit = await f.app.inject({ method: 'GET', url: '/api/audit?pageSize=200', headers: auditor })
    assert.equal(audit.statusCode, 200, audit.body)
    show('audit', audit.body)

    // an applicant (another person): the review queue and the application's detail
    const appId = residentId('19950311')
    const applied = await applyPublic(
      f,
      {
        name: '李小红',
        documentType: 'resident_id',
        documentNumber: appId,
        phone: '13905751111',
        enterpriseId: f.ids.ganlinEnterprise,
        workplace: '甘霖小微五金厂',
        consentPrivacy: true,
        consentSensitive: true,
      },
      '198.51.100.77',
    )
    assert.equal(applied.statusCode, 201, applied.body)
    const queue = await f.app.inject({ method: 'GET', url: '/api/applications', headers: ganlin })
    assert.equal(queue.statusCode, 200, queue.body)
    const appShown = [
      applied.body,
      queue.body,
      (await f.app.inject({ method: 'GET', url: '/api/audit?pageSize=200', headers: auditor })).body,
    ].join('\n')

    const text = seen.join('\n')
    for (const [who, number, body, birthDate] of [
      ['member', id, text, birth],
      ['applicant', appId, appShown, { date: '1995-03-11', compact: '19950311' }],
    ] as const) {
      assert.ok(!body.includes(number), `${who}: the whole number is shown`)
      const known: Known = [...number.slice(0, 6)] // the union gives away the region
      assert.ok(learn(known, body, number) > 0, `${who}: the masked number is shown somewhere`)
      // any birth date or year shown, in any common form, is taken as known
      const y = birthDate.date.slice(0, 4)
      const dateShown = body.includes(birthDate.date) || body.includes(birthDate.compact) || body.includes(`${y}年`)
      const yearShown = new RegExp(`"(birthYear|birth_year|age)"`).test(body)
      const n = countIds(known, dateShown ? { date: birthDate.date } : yearShown ? { year: y } : {})
      assert.ok(n >= 10_000, `${who}: ${n} candidate numbers`)
    }

    // phones: the union of every shown form leaves ≥ 4 hidden digits
    for (const [p, body] of [
      [phone, text],
      ['13905751111', appShown],
    ] as const) {
      assert.ok(!body.includes(p), 'a whole phone number is shown')
      const known: Known = []
      assert.ok(learn(known, body, p) > 0, 'the masked phone is shown somewhere')
      const hidden = [...p].filter((_, i) => known[i] === undefined).length
      assert.ok(10 ** hidden >= 10_000, `${hidden} hidden phone digits`)
    }
    assert.equal(maskDocument(id), `${'*'.repeat(15)}${id.slice(15)}`)
  })

  it('0013 narrows the masks already stored, and no birth date stays in clear', async () => {
    const db = f.database.db
    const id = residentId('19760102')
    const passport = await f.send('POST', '/api/members', ganlin, {
      name: 'Old Passport',
      documentType: 'passport',
      documentNumber: 'G87654321',
      gender: '1',
      unionId: f.ids.ganlinJoint,
    })
    const resident = await f.send('POST', '/api/members', ganlin, { name: '旧数据', documentNumber: id, unionId: f.ids.ganlinJoint })
    assert.equal(passport.statusCode, 201, passport.body)
    assert.equal(resident.statusCode, 201, resident.body)
    // as rows written before 0013 look: the wide mask, the birth date in clear
    const oldMask = `${id.slice(0, 6)}********${id.slice(14)}`
    await sql`update member set document_masked = ${oldMask}, birth_date = '1976-01-02' where id = ${resident.json().id}`.execute(db)
    await sql`update member set document_masked = 'G8*****21', birth_date = '1977-03-04' where id = ${passport.json().id}`.execute(db)
    // the migration's statements that touch existing rows (the rest adds columns), run again
    const text = fs.readFileSync(fileURLToPath(new URL('../../db/migrations/0013_masks.sql', import.meta.url)), 'utf8')
    const narrowing = text.slice(0, text.indexOf('-- ── birth dates')) + 'drop function pg_temp.narrow_mask(text);\n'
    const emptying = [...text.matchAll(/^update (member|application) set birth_date = null.*;$/gm)].map((m) => m[0]).join('\n')
    await f.database.runScript(narrowing + emptying)
    const row = async (mid: number) =>
      db
        .selectFrom('member')
        .select(['document_masked', 'birth_date', 'birth_enc', 'document_type', 'document_enc'])
        .where('id', '=', mid)
        .executeTakeFirstOrThrow()
    const r = await row(resident.json().id)
    assert.equal(r.document_masked, maskDocument(id))
    assert.equal(r.birth_date, null)
    assert.equal(revealBirth(f.pii, r), '1976-01-02')
    const p = await row(passport.json().id)
    assert.equal(p.document_masked, '*******21') // never more than the old mask showed
    assert.equal(p.birth_date, '1977-03-04') // not derivable: sealed by the server as it starts
    assert.ok((await sealBirthDates(db, (x) => f.pii.encrypt(x))) >= 1)
    const sealed = await row(passport.json().id)
    assert.equal(sealed.birth_date, null)
    assert.equal(revealBirth(f.pii, sealed), '1977-03-04')
    assert.equal(await sealBirthDates(db, (x) => f.pii.encrypt(x)), 0)
  })
})
