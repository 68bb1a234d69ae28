import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { TIME_ZONE } from './config.js'
import { localDateTime } from './local-time.js'

describe('localDateTime: moments as the users read them', () => {
  const t = '2026-12-03T16:00:05Z'
  it('writes the configured time zone (GONGHUI_TIMEZONE), as the web writes it', () => {
    const expected = new Intl.DateTimeFormat('sv-SE', {
      timeZone: TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }).format(new Date(t))
    assert.equal(localDateTime(t), expected)
    assert.match(localDateTime(t), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
  })
  it('another zone is another wall clock; seconds where they matter; midnight is 00', () => {
    assert.equal(localDateTime(t, { timeZone: 'UTC' }), '2026-12-03 16:00')
    assert.equal(localDateTime(t, { timeZone: 'Asia/Shanghai', seconds: true }), '2026-12-04 00:00:05')
    assert.equal(localDateTime(new Date(t), { timeZone: 'America/New_York' }), '2026-12-03 11:00')
    assert.equal(localDateTime(null), '')
  })
})
