// Draining the outbox must let waiting requests in between emails (issue #20): a burst of
// customer posts queues hundreds of emails, and pages must not wait for the last of them.
import { describe, expect, it } from 'vitest'
import { drainOutbox, type OutboxHandlers } from '../../src/notifications/outbox'
import { createTestApp, createTestWorkspace } from '../helpers/app'

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
})
