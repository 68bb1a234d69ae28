import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { buildApp, type App } from '../app.js'
import { testDatabase, testKeyRing } from '../test/harness.js'
import { createPii } from '../security/pii.js'
import type { Database } from '../db/client.js'

/**
 * How the web app and the API's answers travel (issue 12): a tiny fake build in a temp folder, as
 * scripts/build-web.mjs leaves it (each file with .br and .gz beside it). The client's
 * Accept-Encoding chooses brotli, gzip or none; hashed assets are cached for a year, the page is
 * revalidated; client-side routes still get the page; JSON above 1 KB is compressed on the fly.
 */
describe('delivery: compression and caching of the web app and the API', () => {
  let database: Database
  let app: App
  let webDir: string
  const script = `export const figures = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ key: `k${i}`, label: '会员人数' })))}\n`
  const page = `<!doctype html><html lang="zh-CN"><head><title>工会</title><script type="module" src="/assets/index-AbC123.js"></script></head><body><div id="root"></div>${' '.repeat(600)}</body></html>`

  before(async () => {
    webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-web-'))
    fs.mkdirSync(path.join(webDir, 'assets'))
    const files: Record<string, string> = { 'index.html': page, 'assets/index-AbC123.js': script, 'assets/plain-Zz9.css': 'body{margin:0}' }
    for (const [name, text] of Object.entries(files)) {
      const p = path.join(webDir, name)
      fs.writeFileSync(p, text)
      if (text.length < 512) continue // as the build: small files stay uncompressed
      fs.writeFileSync(p + '.br', zlib.brotliCompressSync(text))
      fs.writeFileSync(p + '.gz', zlib.gzipSync(text))
    }
    database = await testDatabase()
    app = await buildApp({ db: database.db, pii: createPii(testKeyRing()), sessionIdleMinutes: 30, webDir })
  })
  after(async () => {
    await app?.close()
    await database?.close()
    fs.rmSync(webDir, { recursive: true, force: true })
  })

  const get = (url: string, acceptEncoding?: string) =>
    app.inject({ method: 'GET', url, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } })

  it('sends a hashed script as brotli to a client that accepts it, gzip to one that accepts only gzip, plain to others', async () => {
    const br = await get('/assets/index-AbC123.js', 'gzip, deflate, br')
    assert.equal(br.statusCode, 200)
    assert.equal(br.headers['content-encoding'], 'br')
    assert.match(String(br.headers['content-type']), /javascript/)
    assert.match(String(br.headers.vary), /accept-encoding/i)
    assert.equal(zlib.brotliDecompressSync(br.rawPayload).toString(), script)
    const asset = path.join(webDir, 'assets/index-AbC123.js')
    assert.deepEqual(br.rawPayload, fs.readFileSync(asset + '.br'), 'the file compressed at build, not compressed again')

    const gz = await get('/assets/index-AbC123.js', 'gzip')
    assert.equal(gz.headers['content-encoding'], 'gzip')
    assert.equal(zlib.gunzipSync(gz.rawPayload).toString(), script)
    assert.deepEqual(gz.rawPayload, fs.readFileSync(asset + '.gz'))

    const plain = await get('/assets/index-AbC123.js')
    assert.equal(plain.headers['content-encoding'], undefined)
    assert.equal(plain.body, script)
    const identity = await get('/assets/index-AbC123.js', 'identity')
    assert.equal(identity.body, script)
  })

  it('caches hashed assets for a year without revalidation, and revalidates the page every time', async () => {
    for (const url of ['/assets/index-AbC123.js', '/assets/plain-Zz9.css']) {
      const r = await get(url, 'br')
      assert.equal(r.statusCode, 200, url)
      assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable', url)
    }
    for (const url of ['/', '/index.html']) {
      const r = await get(url, 'br, gzip')
      assert.equal(r.statusCode, 200, url)
      assert.equal(r.headers['cache-control'], 'no-cache', url)
      assert.equal(r.headers['content-encoding'], 'br', url)
      assert.equal(zlib.brotliDecompressSync(r.rawPayload).toString(), page, url)
    }
  })

  it("answers the app's client-side routes with the page (not cached), and a missing asset or API path with 404", async () => {
    for (const url of ['/dashboard', '/orgs/12', '/join', '/join/status?token=abc', '/card/verify?token=x.y']) {
      const r = await get(url, 'gzip')
      assert.equal(r.statusCode, 200, url)
      assert.match(String(r.headers['content-type']), /text\/html/, url)
      assert.equal(r.headers['cache-control'], 'no-cache', url)
      assert.equal(zlib.gunzipSync(r.rawPayload).toString(), page, url)
    }
    const missing = await get('/assets/index-OldRelease.js', 'br')
    assert.equal(missing.statusCode, 404)
    assert.doesNotMatch(missing.body, /<html/)
    const api = await get('/api/no-such-thing')
    assert.equal(api.statusCode, 404)
    assert.equal(api.json().error.code, 'not_found')
  })

  it('compresses JSON answers of the API above 1 KB as the client accepts, and leaves small ones alone', async () => {
    const plain = await get('/api/openapi.json')
    assert.equal(plain.statusCode, 200)
    assert.equal(plain.headers['content-encoding'], undefined)
    const doc = plain.json()
    assert.ok(plain.rawPayload.length > 1024)

    const br = await get('/api/openapi.json', 'gzip, deflate, br')
    assert.equal(br.headers['content-encoding'], 'br')
    assert.match(String(br.headers['content-type']), /application\/json/)
    assert.deepEqual(JSON.parse(zlib.brotliDecompressSync(br.rawPayload).toString()), doc)
    assert.ok(br.rawPayload.length < plain.rawPayload.length / 3)

    const gz = await get('/api/openapi.json', 'gzip')
    assert.equal(gz.headers['content-encoding'], 'gzip')
    assert.deepEqual(JSON.parse(zlib.gunzipSync(gz.rawPayload).toString()), doc)

    const small = await get('/api/health', 'br, gzip')
    assert.equal(small.statusCode, 200)
    assert.equal(small.headers['content-encoding'], undefined)
    assert.deepEqual(small.json(), { ok: true })
  })

  it('takes a request body as sent: a gzip-encoded body is not inflated', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      payload: zlib.gzipSync(JSON.stringify({ username: 'nobody', password: 'x' })),
    })
    assert.notEqual(r.statusCode, 200)
    assert.notEqual(r.statusCode, 401, 'the compressed body was not read as a login')
  })
})
