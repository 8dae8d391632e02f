import { describe, expect, it } from 'vitest'
import {
  PermanentMailError,
  TransientMailError,
  type MailTransport,
  type OutgoingMail,
} from '../../src/deps'
import {
  drainOutbox,
  OUTBOX_POLICY,
  releaseAbandonedClaims,
  RetryableError,
} from '../../src/notifications/outbox'
import { outboxHandlers } from '../../src/notifications/outbox.handlers'
import { createMemoryMailer } from '../../src/platform/memory/mailer'
import { createTestApp } from '../helpers/app'
import { openAsGuest, setupBoard } from './guest.helpers'
import { outboxRows } from './notifications.helpers'

/** A transport that answers from a script, then delivers to memory (deduping on the key). */
function scriptedMailer(script: (Error | 'ok')[]) {
  const memory = createMemoryMailer()
  const calls: OutgoingMail[] = []
  const mailer: MailTransport = {
    name: 'scripted',
    async send(mail) {
      calls.push(mail)
      const next = script.shift() ?? 'ok'
      if (next !== 'ok') throw next
      return memory.send(mail)
    },
  }
  return { mailer, calls, delivered: memory.sent }
}

async function boardWithPost(script: (Error | 'ok')[], jitter?: number) {
  const testApp = createTestApp()
  if (jitter !== undefined) testApp.random.queue(jitter)
  const scripted = scriptedMailer(script)
  testApp.deps.mailer = scripted.mailer
  const setup = await setupBoard({ testApp })
  const posted = await setup.member.post(`${setup.staffUrl}/messages`, { body: '校正です' })
  expect(posted.status).toBe(303)
  await testApp.drain()
  const row = async () => (await outboxRows(testApp, setup.boardId))[0]!
  return { ...setup, testApp, ...scripted, row }
}

describe('outbox retries', () => {
  it('retries a transient failure with backoff, then sends', async () => {
    // the jitter draws 0.9 of the first window (30 s): due again in 27 s
    const { testApp, calls, delivered, row } = await boardWithPost(
      [new TransientMailError('resend 503')],
      0.9,
    )
    const now = testApp.clock.now().getTime()
    expect(await row()).toMatchObject({
      status: 'pending',
      attempts: 1,
      last_error: 'resend 503',
      next_attempt_at: now + 27_000,
    })

    // not due yet: nothing happens
    await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
    expect(calls).toHaveLength(1)

    testApp.clock.advance(30_000)
    expect(await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })).toEqual({
      sent: 1,
      retried: 0,
      failed: 0,
    })
    expect(await row()).toMatchObject({ status: 'sent', attempts: 2, last_error: null })
    expect(calls.map((mail) => mail.idempotencyKey)).toEqual([
      calls[0]!.idempotencyKey,
      calls[0]!.idempotencyKey,
    ])
    expect(delivered).toHaveLength(1)
  })

  it('honours Retry-After on a 429', async () => {
    const { testApp, row } = await boardWithPost(
      [new TransientMailError('resend 429 rate_limit_exceeded', 120_000)],
      0.99,
    )
    expect((await row()).next_attempt_at).toBe(testApp.clock.now().getTime() + 120_000)
  })

  it('marks a permanent failure failed at once, with the error', async () => {
    const { calls, row } = await boardWithPost([
      new PermanentMailError('resend 422 validation_error'),
    ])
    expect(await row()).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: 'resend 422 validation_error',
    })
    expect(calls).toHaveLength(1)
  })

  it('gives up after a bounded number of attempts', async () => {
    const failures = Array.from({ length: 20 }, () => new RetryableError('resend 500'))
    const { testApp, calls, row } = await boardWithPost(failures)
    for (let i = 0; i < 20; i += 1) {
      testApp.clock.advance(OUTBOX_POLICY.maxDelayMs)
      await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
    }
    expect(calls).toHaveLength(OUTBOX_POLICY.maxAttempts)
    expect(await row()).toMatchObject({
      status: 'failed',
      attempts: OUTBOX_POLICY.maxAttempts,
      last_error: 'resend 500',
    })
  })

  it('retries an unexpected error (a bug or an outage never drops a notification silently)', async () => {
    const { row } = await boardWithPost([new TypeError('fetch failed')])
    expect(await row()).toMatchObject({ status: 'pending', last_error: 'TypeError: fetch failed' })
  })
})

describe('crash safety', () => {
  it('takes over a row left in sending once its lease is over, with the same key, and sends it once', async () => {
    const { testApp, calls, delivered, row } = await boardWithPost([])
    expect(delivered).toHaveLength(1)
    // The sender died after the provider accepted the mail but before it recorded it.
    await testApp.deps.db
      .updateTable('outbox')
      .set({
        status: 'sending',
        locked_until: testApp.clock.now().getTime() + OUTBOX_POLICY.leaseMs,
        provider_id: null,
      })
      .execute()
    await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
    expect(calls).toHaveLength(1) // lease still held
    testApp.clock.advance(OUTBOX_POLICY.leaseMs)
    await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
    expect(calls).toHaveLength(2)
    expect(calls[1]!.idempotencyKey).toBe(calls[0]!.idempotencyKey)
    expect(calls[1]!.headers['Message-ID']).toBe(calls[0]!.headers['Message-ID'])
    expect(calls[1]!.html).toBe(calls[0]!.html)
    expect(delivered).toHaveLength(1) // the provider deduped on the key
    expect(await row()).toMatchObject({ status: 'sent', provider_id: 'mem-1' })
  })

  it('releases claims of a dead process at start-up', async () => {
    const { testApp, calls } = await boardWithPost([])
    await testApp.deps.db
      .updateTable('outbox')
      .set({
        status: 'sending',
        locked_until: testApp.clock.now().getTime() + OUTBOX_POLICY.leaseMs,
      })
      .execute()
    expect(await releaseAbandonedClaims(testApp.deps)).toBe(1)
    await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
    expect(calls).toHaveLength(2)
  })

  it('never lets two senders claim the same row', async () => {
    const testApp = createTestApp()
    const sends: string[] = []
    testApp.deps.mailer = {
      name: 'slow',
      async send(mail) {
        sends.push(mail.idempotencyKey)
        await new Promise((resolve) => setTimeout(resolve, 5))
        return { providerId: `p-${sends.length}` }
      },
    }
    const { member, staffUrl } = await setupBoard({ testApp })
    // each post kicks its own drain; four more senders race them for the same rows
    for (let i = 0; i < 12; i += 1)
      await member.post(`${staffUrl}/messages`, { body: `No.${i + 1}` })
    await Promise.all(
      Array.from({ length: 4 }, () =>
        drainOutbox({ deps: testApp.deps, handlers: outboxHandlers, limit: 3 }),
      ),
    )
    await testApp.drain()
    expect(sends).toHaveLength(12)
    expect(new Set(sends).size).toBe(12)
    expect(
      (await outboxRows(testApp)).every((row) => row.status === 'sent' && row.attempts === 1),
    ).toBe(true)
  })

  it('a rejected post writes neither the message nor its email', async () => {
    const { testApp, member, staffUrl, boardId } = await setupBoard()
    const long = await member.post(`${staffUrl}/messages`, { body: 'あ'.repeat(100_000) })
    expect([413, 422]).toContain(long.status)
    const unfilled = await member.post(`${staffUrl}/messages`, {
      body: '{{customer_name}} 様 {{unknown}}',
    })
    expect(unfilled.status).toBe(422)
    await testApp.drain()
    expect(await outboxRows(testApp, boardId)).toEqual([])
    expect(testApp.mailer.sent).toEqual([])
  })
})

describe('what no longer exists', () => {
  it('skips a member removed after the customer posted', async () => {
    const { testApp, boardId, linkPath, workspace } = await setupBoard()
    // the first attempt fails, so the row is still waiting when the member is removed
    testApp.deps.mailer = {
      name: 'down',
      send: () => Promise.reject(new TransientMailError('down')),
    }
    const guest = await openAsGuest(testApp, await linkPath())
    await guest.client.post(`/g/${boardId}/messages`, { body: 'こんにちは' })
    await testApp.drain()
    testApp.clock.advance(60_000)
    await testApp.deps.db.deleteFrom('members').where('workspace_id', '=', workspace.id).execute()
    await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
    const rows = await outboxRows(testApp, boardId)
    expect(rows.map((row) => [row.status, row.provider_id])).toEqual([
      ['sent', 'skipped:recipient-removed'],
    ])
  })

  it('fails (for good) an email whose board was deleted', async () => {
    const { testApp, row, boardId } = await boardWithPost([new TransientMailError('down')])
    await testApp.deps.db.deleteFrom('boards').where('id', '=', boardId).execute()
    testApp.clock.advance(60_000)
    await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
    expect(await row()).toMatchObject({
      status: 'failed',
      last_error: 'the board or the message no longer exists',
    })
  })

  it('leaves rows of a kind this sender has no handler for', async () => {
    const { testApp, row } = await boardWithPost([new TransientMailError('down')])
    testApp.clock.advance(60_000)
    expect(await drainOutbox({ deps: testApp.deps, handlers: {} })).toEqual({
      sent: 0,
      retried: 0,
      failed: 0,
    })
    expect((await row()).status).toBe('pending')
  })
})
