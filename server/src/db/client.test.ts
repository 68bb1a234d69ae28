import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { DataDirBusy, openDatabase } from './client.js'

describe('the embedded database directory', () => {
  it('is opened by one process at a time; a lock left by a process that is gone is taken over', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gh-lock-'))
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }))
    const lock = path.join(dir, 'gonghui.lock')
    // a server that is running (this process stands in for it) keeps others out
    const first = await openDatabase({ url: null, dataDir: dir })
    assert.equal(fs.readFileSync(lock, 'utf8'), String(process.pid))
    await assert.rejects(openDatabase({ url: null, dataDir: dir }), (e: Error) => e instanceof DataDirBusy)
    await first.close()
    assert.equal(fs.existsSync(lock), false, 'closing releases the lock')
    // a live process other than this one: refused, naming it
    fs.writeFileSync(lock, String(process.ppid))
    await assert.rejects(
      openDatabase({ url: null, dataDir: dir }),
      (e: Error) => e instanceof DataDirBusy && e.message.includes(`pid ${process.ppid}`) && /请先停止服务器/.test(e.message),
    )
    // a crashed process: its pid is not running any more
    fs.writeFileSync(lock, '999999999')
    const again = await openDatabase({ url: null, dataDir: dir })
    assert.equal(fs.readFileSync(lock, 'utf8'), String(process.pid))
    await again.close()
  })
})
