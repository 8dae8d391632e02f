// Issue #21 point 2: a public start exposes neither the dev mailbox nor the demo login, and says
// loudly that mail is not being sent.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { drainOutbox } from '../../src/notifications/outbox'
import { outboxHandlers } from '../../src/notifications/outbox.handlers'
import { unconfiguredMailer } from '../../src/notifications/transports/unconfigured'
import { isLocalBaseUrl, loadNodeConfig } from '../../src/platform/node/config'
import { createTestApp, testConfig } from '../helpers/app'
import { setupBoard } from './guest.helpers'

const dataDir = mkdtempSync(join(tmpdir(), 'orderboard-config-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

const config = (env: Record<string, string>) =>
  loadNodeConfig({ DATA_DIR: dataDir, APP_SECRET: 'x'.repeat(32), ...env })

describe('production defaults', () => {
  it('a fresh local start keeps the demo and the dev mailbox', () => {
    expect(config({})).toMatchObject({ seedDemo: true, devMailbox: true, mailNotSent: false })
    for (const base of ['http://127.0.0.1:8787', 'http://[::1]:8787', 'http://shop.localhost']) {
      expect(isLocalBaseUrl(base), base).toBe(true)
      expect(config({ BASE_URL: base })).toMatchObject({ seedDemo: true, devMailbox: true })
    }
    expect(config({ SEED_DEMO: '0' }).seedDemo).toBe(false)
  })

  it('a public BASE_URL turns both off unless asked for, and says mail is not sent', () => {
    const publicUrl = { BASE_URL: 'https://orderboard.example.com' }
    for (const base of [
      'https://orderboard.example.com',
      'http://203.0.113.7:8787',
      'http://localhost.example.com',
    ]) {
      expect(isLocalBaseUrl(base), base).toBe(false)
    }
    expect(config(publicUrl)).toMatchObject({
      seedDemo: false,
      devMailbox: false,
      mailNotSent: true,
    })
    expect(config({ ...publicUrl, DEV_MAILBOX: '1', SEED_DEMO: '1' })).toMatchObject({
      seedDemo: true,
      devMailbox: true,
      mailNotSent: false,
    })
    expect(config({ ...publicUrl, RESEND_API_KEY: 're_x' })).toMatchObject({
      devMailbox: false,
      mailNotSent: false,
    })
    // a real transport never shares the stage with the dev mailbox, even when asked
    expect(config({ SMTP_URL: 'smtp://mail.example.com', DEV_MAILBOX: '1' }).devMailbox).toBe(false)
  })

  it('without the dev mailbox: /_dev answers 404, members are warned, mail waits', async () => {
    const testApp = createTestApp({
      config: { ...testConfig, devMailbox: false, mailNotSent: true },
      mailer: unconfiguredMailer,
    })
    for (const path of ['/_dev/mail', '/_dev/mail.json', '/_dev/mail/1', '/_dev/mail/1/reply']) {
      expect((await testApp.app.request(path)).status, path).toBe(404)
    }
    const { member, staffUrl } = await setupBoard({ testApp })
    const page = await (await member.get(staffUrl)).text()
    expect(page).toContain('class="mail-not-sent" role="alert"')
    expect(page).toContain('メールは送信されていません')
    await member.post(`${staffUrl}/messages`, { body: '校正データです' })
    await testApp.drain()
    for (let i = 0; i < 20; i++) {
      testApp.clock.advance(60 * 60_000)
      await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
    }
    const rows = await testApp.deps.db
      .selectFrom('outbox')
      .select(['status', 'attempts'])
      .where('kind', '=', 'email')
      .execute()
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) expect(row).toEqual({ status: 'pending', attempts: 0 })
  })

  it('with a transport configured, members see no warning', async () => {
    const { member, staffUrl } = await setupBoard()
    expect(await (await member.get(staffUrl)).text()).not.toContain('mail-not-sent')
  })
})
