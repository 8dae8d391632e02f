// Retries of mail: exponential back-off with full jitter, on the test clock and a seeded random
// source (no wall clock anywhere).
import { describe, expect, it } from 'vitest'
import { TransientMailError, type MailTransport } from '../../src/deps'
import { drainOutbox, OUTBOX_POLICY, retryDelay } from '../../src/notifications/outbox'
import { outboxHandlers } from '../../src/notifications/outbox.handlers'
import { createTestApp } from '../helpers/app'
import { setupBoard } from '../routes/guest.helpers'
import { outboxRows } from '../routes/notifications.helpers'

/** A small seeded generator (mulberry32): the same "random" numbers on every run. */
function seeded(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const fixed = (value: number) => () => value
const { baseDelayMs, maxDelayMs, minDelayMs } = OUTBOX_POLICY

describe('retryDelay: exponential back-off with full jitter', () => {
  it('draws from [0, min(cap, base × 2^(attempt − 1))), never under the minimum', () => {
    for (let attempt = 1; attempt <= 12; attempt += 1) {
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))
      // the lowest draw is held at the minimum; the highest stays under the window
      expect(retryDelay(attempt, undefined, fixed(0))).toBe(minDelayMs)
      expect(retryDelay(attempt, undefined, fixed(0.999_999_9))).toBe(ceiling - 1)
      expect(retryDelay(attempt, undefined, fixed(0.5))).toBe(
        Math.max(minDelayMs, Math.floor(ceiling / 2)),
      )
      const random = seeded(attempt)
      for (let i = 0; i < 200; i += 1) {
        const delay = retryDelay(attempt, undefined, random)
        expect(delay).toBeGreaterThanOrEqual(minDelayMs)
        expect(delay).toBeLessThan(ceiling)
      }
    }
    // windows: 30 s, 60 s, 2 min, 4 min … then an hour from the eighth attempt on
    expect(
      [1, 2, 3, 4, 8, 20].map((attempt) => retryDelay(attempt, undefined, fixed(0.999_999_9))),
    ).toEqual([29_999, 59_999, 119_999, 239_999, 3_599_999, 3_599_999])
  })

  it('waits at least what Retry-After asks, jittered above it, capped at an hour', () => {
    expect(retryDelay(1, 5_000, fixed(0))).toBe(5_000)
    expect(retryDelay(1, 5_000, fixed(0.5))).toBe(15_000)
    expect(retryDelay(1, 0, fixed(0))).toBe(minDelayMs)
    expect(retryDelay(1, 10 * 60 * 60_000, fixed(0.5))).toBe(maxDelayMs)
  })

  it('spreads 40 emails a provider outage held back instead of retrying them in step', async () => {
    const testApp = createTestApp({ random: seeded(13) })
    let outage = true
    const sent: string[] = []
    testApp.deps.mailer = {
      name: 'flaky',
      async send(mail) {
        if (outage) throw new TransientMailError('resend 503 service_unavailable')
        sent.push(mail.idempotencyKey)
        return { providerId: `p-${sent.length}` }
      },
    } satisfies MailTransport
    const { member, staffUrl, boardId } = await setupBoard({ testApp })
    for (let i = 0; i < 40; i += 1) await member.post(`${staffUrl}/messages`, { body: `No.${i}` })
    await testApp.drain()
    const failedAt = testApp.clock.now().getTime()
    const rows = await outboxRows(testApp, boardId)
    expect(rows).toHaveLength(40)
    expect(rows.every((row) => row.status === 'pending' && row.attempts === 1)).toBe(true)

    // Every retry falls inside the first window, and no second holds more than a few of them
    // (in lock-step, all 40 would come due in the same second).
    const offsets = rows.map((row) => row.next_attempt_at - failedAt)
    for (const offset of offsets) {
      expect(offset).toBeGreaterThanOrEqual(minDelayMs)
      expect(offset).toBeLessThan(baseDelayMs)
    }
    const perSecond = new Map<number, number>()
    for (const offset of offsets) {
      const second = Math.floor(offset / 1000)
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1)
    }
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(8)
    expect(perSecond.size).toBeGreaterThanOrEqual(15)

    // The outage is over: second by second, only the emails whose time has come go out.
    outage = false
    let previous = 0
    for (let second = 1; second <= 30; second += 1) {
      testApp.clock.set(new Date(failedAt + second * 1000))
      await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
      const due = offsets.filter((offset) => offset <= second * 1000).length
      expect(sent.length).toBe(due)
      expect(sent.length - previous).toBeLessThanOrEqual(8)
      previous = sent.length
    }
    expect(new Set(sent).size).toBe(40)
  })

  it('keeps widening the window while the outage lasts', async () => {
    const testApp = createTestApp({ random: fixed(0.999_999_9) })
    testApp.deps.mailer = {
      name: 'down',
      send: () => Promise.reject(new TransientMailError('resend 503')),
    }
    const { member, staffUrl, boardId } = await setupBoard({ testApp })
    await member.post(`${staffUrl}/messages`, { body: '校正です' })
    await testApp.drain()
    const gaps: number[] = []
    for (let attempt = 1; attempt < OUTBOX_POLICY.maxAttempts; attempt += 1) {
      const [row] = await outboxRows(testApp, boardId)
      gaps.push(row!.next_attempt_at - testApp.clock.now().getTime())
      testApp.clock.set(new Date(row!.next_attempt_at))
      await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
    }
    expect(gaps).toEqual([29_999, 59_999, 119_999, 239_999, 479_999, 959_999, 1_919_999])
    const [last] = await outboxRows(testApp, boardId)
    expect(last).toMatchObject({ status: 'failed', needs_attention: 0 })
  })
})
