// Draining the outbox must let waiting requests in between emails (issue #20): a burst of
// customer posts queues hundreds of emails, and pages must not wait for the last of them.
import { describe, expect, it } from 'vitest'
import { drainOutbox, type OutboxHandlers } from '../../src/notifications/outbox'
import { JOBS } from '../../src/jobs'
import { createTestApp, createTestWorkspace } from '../helpers/app'
import { openAsGuest, setupBoard } from './guest.helpers'

describe('outbox drain', () => {
  it('gives the event loop a turn between emails', async () => {
    const testApp = createTestApp()
    const { workspace } = await createTestWorkspace(testApp)
    const now = testApp.clock.now().getTime()
    await testApp.deps.db
      .insertInto('outbox')
      .values(
        [1, 2, 3].map((n) => ({
          id: `row-${n}`,
          workspace_id: workspace.id,
          kind: 'test-yield',
          idempotency_key: `test-yield/${n}`,
          payload: '{}',
          next_attempt_at: now,
          created_at: now + n,
        })),
      )
      .execute()
    const log: string[] = []
    const handlers: OutboxHandlers = {
      'test-yield': async (_deps, row) => {
        log.push(`send ${row.id}`)
        // what a request arriving during the send would be: I/O waiting for the loop
        setImmediate(() => log.push(`request after ${row.id}`))
        return { providerId: row.id }
      },
    }
    const result = await drainOutbox({ deps: testApp.deps, handlers })
    expect(result.sent).toBe(3)
    expect(log).toEqual([
      'send row-1',
      'request after row-1',
      'send row-2',
      'request after row-2',
      'send row-3',
      'request after row-3',
    ])
  })

  it('sends every email of a burst of posts, one drain at a time', async () => {
    const { testApp, linkPath, boardId } = await setupBoard()
    const { client } = await openAsGuest(testApp, await linkPath())
    const posted = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => client.post(`/g/${boardId}/messages`, { body: `返信 ${n}` })),
    )
    expect(posted.map((response) => response.status)).toEqual([303, 303, 303, 303, 303])
    await testApp.drain()
    const rows = await testApp.deps.db.selectFrom('outbox').select('status').execute()
    expect(rows.length).toBeGreaterThanOrEqual(5)
    expect(rows.every((row) => row.status === 'sent')).toBe(true)
    expect(testApp.mailer.sent.length).toBe(rows.length)
  })

  it("the periodic sender joins a post's drain instead of sending beside it", async () => {
    const { testApp, linkPath, boardId } = await setupBoard()
    const { client } = await openAsGuest(testApp, await linkPath())
    // Every send counts how many sends are under way at once.
    let inFlight = 0
    let most = 0
    const send = testApp.deps.mailer.send.bind(testApp.deps.mailer)
    testApp.deps.mailer.send = async (mail) => {
      inFlight += 1
      most = Math.max(most, inFlight)
      try {
        await new Promise((resolve) => setTimeout(resolve, 2))
        return await send(mail)
      } finally {
        inFlight -= 1
      }
    }
    await client.post(`/g/${boardId}/messages`, { body: '返信 1' })
    await client.post(`/g/${boardId}/messages`, { body: '返信 2' })
    const outbox = JOBS.find((job) => job.name === 'outbox')!
    // the post's drain (deferred) and two runs of the periodic job, all at once
    const [, first, second] = await Promise.all([
      testApp.drain(),
      outbox.run(testApp.deps),
      outbox.run(testApp.deps),
    ])
    expect(most).toBe(1)
    expect(first).toEqual(second)
    const rows = await testApp.deps.db.selectFrom('outbox').select('status').execute()
    expect(rows.length).toBeGreaterThanOrEqual(2)
    expect(rows.every((row) => row.status === 'sent')).toBe(true)
    expect(testApp.mailer.sent.length).toBe(rows.length)
  })
})
