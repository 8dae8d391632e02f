// The send-rate limit shared through the database, on a fake clock: several senders (what the
// Node process and Workers isolates are to one database) never exceed the provider's rate
// together, and a mail that finds no slot waits in the outbox without spending an attempt.
import { describe, expect, it } from 'vitest'
import { SendDeferredError, type MailTransport, type OutgoingMail } from '../../src/deps'
import { drainOutbox } from '../../src/notifications/outbox'
import { outboxHandlers } from '../../src/notifications/outbox.handlers'
import {
  MAX_SLOT_WAIT_MS,
  parseSendRate,
  sendRateFor,
  takeSendSlot,
  withSendRate,
} from '../../src/notifications/send-rate'
import { openSqlite } from '../../src/platform/node/sqlite'
import { createTestApp, createTestClock } from '../helpers/app'
import { setupBoard } from '../routes/guest.helpers'
import { outboxRows } from '../routes/notifications.helpers'

/**
 * Virtual time for `workers` concurrent tasks: `sleep` parks a task on the fake clock; `run`
 * moves the clock to the earliest parked task whenever every task is parked or done, so time
 * only passes when nothing else can happen — deterministic, and no wall clock involved.
 */
function virtualTime(start = '2026-11-24T10:00:00+09:00') {
  const clock = createTestClock(start)
  const parked: { at: number; order: number; wake: () => void }[] = []
  let order = 0
  const sleep = (ms: number) =>
    new Promise<void>((wake) => {
      parked.push({ at: clock.now().getTime() + Math.max(0, ms), order: order++, wake })
    })
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve))
  async function run<T>(tasks: (() => Promise<T>)[]): Promise<T[]> {
    let done = 0
    let failure: unknown
    const all = tasks.map((task) =>
      task()
        .catch((error: unknown) => {
          failure ??= error
          throw error
        })
        .finally(() => {
          done += 1
        }),
    )
    while (done < tasks.length) {
      // let every task run until it parks or finishes
      for (let spins = 0; parked.length + done < tasks.length; spins += 1) {
        if (failure) throw failure
        if (spins > 10_000) throw new Error('a task neither parked nor finished')
        await turn()
      }
      if (done === tasks.length) break
      parked.sort((a, b) => a.at - b.at || a.order - b.order)
      const next = parked.shift()!
      if (next.at > clock.now().getTime()) clock.set(new Date(next.at))
      next.wake()
      await turn()
    }
    return Promise.all(all)
  }
  return { clock, sleep, run }
}

/** Every half-open window [t, t + 1000) over the given send times holds at most this many. */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b)
  let busiest = 0
  for (let i = 0, j = 0; i < sorted.length; i += 1) {
    while (sorted[i]! - sorted[j]! >= 1000) j += 1
    busiest = Math.max(busiest, i - j + 1)
  }
  return busiest
}

function mail(n: number): OutgoingMail {
  return {
    from: 'Orderboard <no-reply@orderboard.test>',
    to: `customer-${n}@example.jp`,
    subject: 'チャットボード通知',
    html: '<p>x</p>',
    text: 'x',
    headers: {},
    idempotencyKey: `notify/m-${n}/guest`,
  }
}

describe('MAIL_SEND_RATE_PER_SECOND', () => {
  it('reads a rate, 0 or off for none, and refuses anything else by name', () => {
    expect(parseSendRate(undefined)).toBeUndefined()
    expect(parseSendRate(' ')).toBeUndefined()
    expect(parseSendRate('2')).toBe(2)
    expect(parseSendRate('0.5')).toBe(0.5)
    expect(parseSendRate(10)).toBe(10)
    expect(parseSendRate('0')).toBe(0)
    expect(parseSendRate('off')).toBe(0)
    for (const bad of ['-1', 'two', '2/s', '1e3', 'NaN'])
      expect(() => parseSendRate(bad)).toThrow(/MAIL_SEND_RATE_PER_SECOND/)
  })

  it("defaults to Resend's 2 per second, SMTP unlimited, and 0 switches the limit off", () => {
    expect(sendRateFor('resend', undefined)).toBe(2)
    expect(sendRateFor('smtp', undefined)).toBeUndefined()
    expect(sendRateFor('smtp', 5)).toBe(5)
    expect(sendRateFor('resend', 10)).toBe(10)
    expect(sendRateFor('resend', 0)).toBeUndefined()
  })
})

describe('the shared send slot', () => {
  it.each([
    ['a direct write', false],
    ['a relaxed batch (Node)', true],
  ])(
    'hands out slots one interval apart, and none further off than the longest wait, through %s',
    async (_, relaxed) => {
      const { db, batch } = openSqlite(':memory:')
      const now = Date.UTC(2026, 10, 24, 1)
      const take = (at: number) =>
        takeSendSlot({
          db,
          batch: relaxed ? batch : undefined,
          provider: 'resend',
          ratePerSecond: 2,
          now: at,
          random: () => 0,
        })
      expect(await take(now)).toEqual({ waitMs: 0 })
      expect(await take(now)).toEqual({ waitMs: 500 })
      expect(await take(now)).toEqual({ waitMs: 1000 })
      expect(await take(now)).toEqual({ waitMs: 1500 })
      expect(await take(now)).toEqual({ waitMs: 2000 })
      // the next slot would start 2.5 s from now: past the 2 s a sender may wait, so nothing is taken
      expect(MAX_SLOT_WAIT_MS).toBe(2000)
      expect(await take(now)).toEqual({ deferMs: 500 })
      expect(await take(now + 500)).toEqual({ waitMs: 2000 })
      // an idle provider's schedule does not bank slots for a burst later
      expect(await take(now + 60_000)).toEqual({ waitMs: 0 })
      expect(await take(now + 60_000)).toEqual({ waitMs: 500 })
      // providers have separate schedules
      expect(
        await takeSendSlot({ db, provider: 'smtp', ratePerSecond: 2, now: now + 60_000 }),
      ).toEqual({ waitMs: 0 })
    },
  )

  it('five senders sharing one database never exceed 2 sends in any second together', async () => {
    const { db } = openSqlite(':memory:')
    const time = virtualTime()
    const sentAt: number[] = []
    let deferrals = 0
    const provider: MailTransport = {
      name: 'resend',
      async send() {
        sentAt.push(time.clock.now().getTime())
        return { providerId: `re_${sentAt.length}` }
      },
    }
    // each sender: its own limiter (its own process or isolate), one database
    const sender = (id: number) => async () => {
      const limited = withSendRate(provider, {
        db,
        ratePerSecond: 2,
        clock: time.clock,
        sleep: time.sleep,
        random: () => 0.37,
      })
      for (let n = 0; n < 8; n += 1) {
        // as the outbox does: a deferred mail is tried again after the time it was given
        for (;;) {
          try {
            await limited.send(mail(id * 100 + n))
            break
          } catch (error) {
            if (!(error instanceof SendDeferredError)) throw error
            deferrals += 1
            await time.sleep(error.retryAfterMs!)
          }
        }
      }
    }
    const started = time.clock.now().getTime()
    await time.run([0, 1, 2, 3, 4].map(sender))
    expect(sentAt).toHaveLength(40)
    expect(busiestSecond(sentAt)).toBe(2)
    const sorted = [...sentAt].sort((a, b) => a - b)
    for (let i = 1; i < sorted.length; i += 1)
      expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(500)
    // the limit costs waiting, not throughput: 40 sends take about 20 s, not more
    expect(sorted.at(-1)! - started).toBeLessThan(25_000)
    expect(deferrals).toBeGreaterThan(0)
  })

  it('the outbox keeps a deferred email waiting without spending an attempt, then sends it in its slot', async () => {
    const testApp = createTestApp()
    const time = virtualTime(testApp.clock.now().toISOString())
    testApp.deps.clock = time.clock
    const sentAt: number[] = []
    const provider: MailTransport = {
      name: 'resend',
      async send(outgoing) {
        sentAt.push(time.clock.now().getTime())
        return testApp.mailer.send(outgoing)
      },
    }
    testApp.deps.mailer = withSendRate(provider, {
      db: testApp.deps.db,
      ratePerSecond: 2,
      clock: time.clock,
      sleep: time.sleep,
      random: testApp.deps.random,
    })
    // another sender (a Workers isolate, say) has taken the slots of the next ten seconds
    const start = time.clock.now().getTime()
    await testApp.deps.db
      .insertInto('send_slots')
      .values({ provider: 'resend', next_at: start + 10_000 })
      .execute()
    const { member, staffUrl, boardId } = await setupBoard({ testApp })
    await member.post(`${staffUrl}/messages`, { body: '校正1' })
    await member.post(`${staffUrl}/messages`, { body: '校正2' })
    await member.post(`${staffUrl}/messages`, { body: '校正3' })
    await testApp.drain()
    expect(sentAt).toEqual([])
    const waiting = await outboxRows(testApp, boardId)
    expect(waiting.map((row) => [row.status, row.attempts])).toEqual([
      ['pending', 0],
      ['pending', 0],
      ['pending', 0],
    ])
    expect(waiting.every((row) => row.next_attempt_at > start + 8_000)).toBe(true)

    // Once their time has come, the drain sends them half a second apart.
    time.clock.set(new Date(Math.max(...waiting.map((row) => row.next_attempt_at))))
    await time.run([() => drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })])
    expect(sentAt).toHaveLength(3)
    expect(sentAt[1]! - sentAt[0]!).toBe(500)
    expect(sentAt[2]! - sentAt[1]!).toBe(500)
    const sent = await outboxRows(testApp, boardId)
    expect(sent.map((row) => [row.status, row.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
      ['sent', 1],
    ])
  })
})
