// The send-rate limit per mail provider, shared by every sender of one database: the Node
// process's drains and, on Workers, every isolate's waitUntil drain, queue consumer and cron run.
// It lives in the database (one `send_slots` row per provider) because nothing else is shared
// by all of them; a slot is taken with one conditional upsert, atomic on SQLite and D1 alike
// (no interactive transaction).
//
// The rule is a schedule, not a bucket: `next_at` is the earliest time the next send may start,
// and every send pushes it `1000 / rate` ms further. Sends are therefore at least that far apart,
// so no window of one second ever holds more than `rate` of them — a token bucket would let a
// full bucket's burst through on top of the refill.
import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema'
import { firstRowRelaxed } from '../db/relaxed'
import { SendDeferredError, type Batch, type Clock, type MailTransport, type Random } from '../deps'

/**
 * Sends per second each provider allows by default. Resend: 2 requests per second per team,
 * across all its API keys (resend.com/docs/api-reference/rate-limit; "can be increased for trusted
 * senders upon request" — raise MAIL_SEND_RATE_PER_SECOND then). SMTP servers publish no common
 * rule, so SMTP is unlimited unless MAIL_SEND_RATE_PER_SECOND says otherwise.
 */
export const DEFAULT_SEND_RATES: Readonly<Record<string, number>> = { resend: 2 }

/** How long a sender waits for its slot before leaving the mail in the outbox for later. */
export const MAX_SLOT_WAIT_MS = 2_000

/**
 * MAIL_SEND_RATE_PER_SECOND: a positive number of sends per second (fractions allowed: 0.5 is
 * one send every two seconds), `0` or `off` for no limit; unset or empty → undefined (the
 * provider's default). Throws an Error naming the variable for anything else.
 */
export function parseSendRate(value: string | number | undefined): number | undefined {
  // a wrangler.toml var written without quotes arrives as a number
  const text = value === undefined ? '' : String(value).trim().toLowerCase()
  if (!text) return undefined
  if (text === 'off') return 0
  const rate = Number(text)
  if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(rate) || rate > 10_000) {
    throw new Error(
      `MAIL_SEND_RATE_PER_SECOND must be a number of sends per second (e.g. 2), or 0 for no limit; got "${String(value)}"`,
    )
  }
  return rate
}

/** The rate for a transport: the configured one (0 = none), else the provider's default. */
export function sendRateFor(provider: string, configured: number | undefined): number | undefined {
  const rate = configured ?? DEFAULT_SEND_RATES[provider]
  return rate && rate > 0 ? rate : undefined
}

/** Milliseconds between two sends at `ratePerSecond`. */
export const slotIntervalMs = (ratePerSecond: number) => Math.ceil(1000 / ratePerSecond)

export type SendSlot =
  /** the slot is ours: start the send in `waitMs` (0: now) */
  | { waitMs: number }
  /** every slot within reach is taken: try again in `deferMs` */
  | { deferMs: number }

/**
 * Takes the provider's next send slot if it starts within `maxWaitMs` of `now` (ms since the
 * epoch): one upsert that moves `next_at` on by one interval only when that condition holds, so
 * two senders never get the same slot. Otherwise nothing changes and the answer says when a slot
 * is likely within reach again (spread by `random` so deferred mail does not return in step).
 * With `batch` the upsert is written relaxed (no fsync wait; on SQLite a direct write fsyncs on
 * the event loop once per email): a slot lost to a power cut lets at most a few sends through a
 * little early, which the provider answers with a 429 and the outbox retries.
 */
export async function takeSendSlot({
  db,
  batch,
  provider,
  ratePerSecond,
  now,
  maxWaitMs = MAX_SLOT_WAIT_MS,
  random = Math.random,
}: {
  db: Kysely<Database>
  batch?: Batch
  provider: string
  ratePerSecond: number
  now: number
  maxWaitMs?: number
  random?: Random
}): Promise<SendSlot> {
  const interval = slotIntervalMs(ratePerSecond)
  const upsert = db
    .insertInto('send_slots')
    .values({ provider, next_at: now + interval })
    .onConflict((oc) =>
      oc
        .column('provider')
        .doUpdateSet({ next_at: sql<number>`max(send_slots.next_at, ${now}) + ${interval}` })
        .where('send_slots.next_at', '<=', now + maxWaitMs),
    )
    .returning('next_at')
  const taken = await firstRowRelaxed(upsert, batch)
  if (taken) return { waitMs: Math.max(0, taken.next_at - interval - now) }
  const row = await db
    .selectFrom('send_slots')
    .select('next_at')
    .where('provider', '=', provider)
    .executeTakeFirst()
  const behind = (row?.next_at ?? now) - now - maxWaitMs
  return { deferMs: Math.max(interval, behind) + Math.floor(random() * maxWaitMs) }
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * The transport behind the shared send-rate limit: each send first takes a slot (waiting at most
 * `maxWaitMs` for it), else throws SendDeferredError so the outbox keeps the mail for later
 * without spending an attempt. `sleep` and `clock` are injected so tests run on a fake clock.
 */
export function withSendRate(
  transport: MailTransport,
  options: {
    db: Kysely<Database>
    /** writes the slot relaxed (see takeSendSlot) */
    batch?: Batch
    ratePerSecond: number
    clock: Clock
    random?: Random
    sleep?: (ms: number) => Promise<void>
    maxWaitMs?: number
  },
): MailTransport {
  const sleep = options.sleep ?? realSleep
  return {
    name: transport.name,
    ratePerSecond: options.ratePerSecond,
    async send(mail) {
      const slot = await takeSendSlot({
        db: options.db,
        batch: options.batch,
        provider: transport.name,
        ratePerSecond: options.ratePerSecond,
        now: options.clock.now().getTime(),
        maxWaitMs: options.maxWaitMs,
        random: options.random,
      })
      if ('deferMs' in slot) {
        throw new SendDeferredError(
          `${transport.name}: send rate of ${options.ratePerSecond}/s in use; waiting for a free slot`,
          slot.deferMs,
        )
      }
      if (slot.waitMs > 0) await sleep(slot.waitMs)
      return transport.send(mail)
    },
  }
}
