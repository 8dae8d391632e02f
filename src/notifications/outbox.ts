import { sql } from 'kysely'
import type { OutboxRow } from '../db/schema'
import {
  MailNotConfiguredError,
  PermanentMailError,
  SendDeferredError,
  TransientMailError,
  UncertainMailError,
  type Deps,
  type Random,
} from '../deps'

/**
 * Sends one outbox row. Throw `RetryableError` (or a transport's TransientMailError) for a
 * failure worth retrying, `PermanentError` for one that is not, UncertainMailError when it cannot
 * be told whether the mail went out (recorded as needing attention); any other error is retried
 * too, within the attempt limit, so a bug or a passing outage never silently drops a
 * notification. The row's `idempotency_key` is the provider's key (see providerKey).
 */
export type OutboxHandler = (
  deps: Deps,
  row: OutboxRow,
  round?: ClaimRound,
) => Promise<{ providerId: string }>

/**
 * What the rows of one claim share while they are sent: reads kept by key, so the ten member
 * emails of one customer post load its board and message once, not ten times. It lives for one
 * claim (rows claimed together and sent straight after, within seconds), so a handler reads
 * through it only what may be taken as it was at the claim; what differs per row (the member)
 * is read per row. A failed read is not kept.
 */
export interface ClaimRound {
  shared<T>(key: string, load: () => Promise<T>): Promise<T>
}

/** A fresh ClaimRound (drainOutbox makes one per claim). */
export function claimRound(): ClaimRound {
  const kept = new Map<string, Promise<unknown>>()
  return {
    shared<T>(key: string, load: () => Promise<T>) {
      let value = kept.get(key) as Promise<T> | undefined
      if (!value) {
        value = load()
        kept.set(key, value)
        value.catch(() => kept.delete(key))
      }
      return value
    },
  }
}
export type OutboxHandlers = Record<string, OutboxHandler>

/** A failure worth retrying; `retryAfterMs` (from Retry-After) overrides the backoff. */
export class RetryableError extends TransientMailError {}

/** A failure no retry can fix (a 4xx from the provider, a board that no longer exists). */
export class PermanentError extends PermanentMailError {}

export interface OutboxPolicy {
  /** sends tried at most this many times, then the row is marked failed */
  maxAttempts: number
  /** how long a claim holds before another sender may take the row over */
  leaseMs: number
  baseDelayMs: number
  maxDelayMs: number
  /** never retry sooner than this, even when Retry-After says 0 */
  minDelayMs: number
}

export const OUTBOX_POLICY: OutboxPolicy = {
  maxAttempts: 8,
  leaseMs: 2 * 60_000,
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
  minDelayMs: 1_000,
}

/** how often mail kept back for want of a transport is looked at again */
export const MAIL_NOT_CONFIGURED_RECHECK_MS = 10 * 60_000

/**
 * How long to wait before the next attempt, after `attempts` attempts: exponential back-off with
 * full jitter, a uniformly random delay in [0, min(maxDelay, baseDelay × 2^(attempts − 1))) —
 * so under 30 s after the first failure, under 1 min after the second … under an hour at most
 * ("Exponential Backoff and Jitter", AWS Architecture Blog, 2015: full jitter spreads the mail a
 * provider outage held back instead of retrying it in step). Never under `minDelayMs`, and never
 * before the provider's Retry-After when it sent one (also capped at `maxDelayMs`). `random`
 * gives uniform numbers in [0, 1).
 */
export function retryDelay(
  attempts: number,
  retryAfterMs: number | undefined,
  random: Random,
  policy = OUTBOX_POLICY,
): number {
  const ceiling = Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs)
  const jittered = Math.floor(random() * ceiling)
  const floor =
    retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > 0
      ? retryAfterMs
      : 0
  return Math.min(Math.max(jittered, floor, policy.minDelayMs), policy.maxDelayMs)
}

/**
 * The key the provider dedupes on: the row's key, or, once a member sent a mail that needed
 * attention again by hand, that key with `/resend-<n>` — Resend keeps a key for 24 hours and
 * answers 409 invalid_idempotent_request to the same key with another body, so a deliberate
 * second send needs a key of its own.
 */
export function providerKey(row: Pick<OutboxRow, 'idempotency_key' | 'manual_resends'>): string {
  return row.manual_resends > 0
    ? `${row.idempotency_key}/resend-${row.manual_resends}`
    : row.idempotency_key
}

/**
 * Rows claimed per round. With a send-rate limit, a round holds about five seconds of sending,
 * so claims never sit long under their lease waiting for slots (a Workers waitUntil may be cut
 * short: what it claimed waits for the lease to lapse).
 */
export function claimLimit(deps: Pick<Deps, 'mailer'>, limit = 20): number {
  const rate = deps.mailer.ratePerSecond
  return rate ? Math.max(1, Math.min(limit, Math.ceil(rate * 5))) : limit
}

export function isRetryable(error: unknown): boolean {
  return !(error instanceof PermanentMailError) && !(error instanceof UncertainMailError)
}

function errorText(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`
      : String(error)
  return text.slice(0, 500)
}

/**
 * Claims due rows in one statement: rows left in 'sending' by a sender that died (lease expired),
 * then pending rows whose time has come, oldest first. Resolves to the claimed rows (at most
 * `limit`; `now` in ms since the epoch). The attempt is counted at claim time, so a
 * row that keeps crashing its sender still reaches the attempt limit. One UPDATE … RETURNING is
 * atomic on SQLite and D1 alike: two senders never claim the same row.
 *
 * Each half is read in its own index's order (`outbox_lease`, `outbox_due`) and stops at `limit`
 * rows, so a claim costs the same with 20 rows due or 20,000 (one statement over every due row,
 * sorted, took 4–6 ms with 1,000 due, holding the event loop each time). The outer statement
 * finds the chosen rows by id: its repeated conditions (`+status` keeps them off the indexes) only
 * check that each row is still claimable.
 */
export async function claimDueRows({
  deps,
  kinds,
  limit,
  now,
  policy = OUTBOX_POLICY,
}: {
  deps: Deps
  kinds: string[]
  limit: number
  now: number
  policy?: OutboxPolicy
}): Promise<OutboxRow[]> {
  if (kinds.length === 0) return []
  // Relaxed (no fsync wait; on SQLite a direct write would fsync on the event loop, 3–7 ms per
  // claim under a burst): a claim lost to a power cut only puts its rows back as due, and a
  // resend carries the same idempotency key — the same bargain as marking a row sent.
  const [claimed] = await deps.batch([claimQuery(deps.db, { kinds, limit, now, policy })], {
    relaxed: true,
  })
  return (claimed?.rows ?? []) as OutboxRow[]
}

/** The claim statement of claimDueRows, unexecuted (its query plan is tested). */
export function claimQuery(
  db: Deps['db'],
  {
    kinds,
    limit,
    now,
    policy,
  }: { kinds: string[]; limit: number; now: number; policy: OutboxPolicy },
) {
  // Rows in `status` whose `column` time has come, oldest first, read in that index's order.
  const comeDue = (status: 'sending' | 'pending', column: 'locked_until' | 'next_attempt_at') =>
    db
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', status)
      .where(column, '<=', now)
      .where('kind', 'in', kinds)
      .orderBy(column)
      .limit(limit)
  const lapsed = comeDue('sending', 'locked_until')
  const due = comeDue('pending', 'next_attempt_at')
  return db
    .updateTable('outbox')
    .set({ status: 'sending', locked_until: now + policy.leaseMs, attempts: sql`attempts + 1` })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom(lapsed.as('lapsed'))
        .select('id')
        .unionAll(eb.selectFrom(due.as('due')).select('id'))
        .limit(limit),
    )
    .where(
      sql<boolean>`((+status = 'pending' AND next_attempt_at <= ${now}) OR (+status = 'sending' AND locked_until <= ${now}))`,
    )
    .returningAll()
}

/**
 * Makes rows claimed by an earlier process due again at once. Only for a single-process sender
 * at start-up (Node): whatever that process was sending, it will never finish. The resend
 * carries the same idempotency key, so the provider drops it if the first one got through.
 */
export async function releaseAbandonedClaims(deps: Deps): Promise<number> {
  const result = await deps.db
    .updateTable('outbox')
    .set({ locked_until: deps.clock.now().getTime() })
    .where('status', '=', 'sending')
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/**
 * Resolves after a turn of the event loop, so waiting I/O (requests) runs first: setImmediate
 * where there is one (Node), else a zero timeout (Workers, where timers do not advance the
 * clock and cost no wall time that is billed).
 */
export function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown })
    .setImmediate
  return new Promise((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)))
}

/** Puts a claimed row back untried: due at once, its attempt not counted. */
async function releaseClaim(deps: Deps, row: OutboxRow) {
  await deps.db
    .updateTable('outbox')
    .set({ status: 'pending', locked_until: null, attempts: sql`max(attempts - 1, 0)` })
    .where('id', '=', row.id)
    .where('status', '=', 'sending')
    .execute()
}

export interface DrainResult {
  sent: number
  retried: number
  failed: number
}

/**
 * Sends everything due, `limit` rows per claim, until nothing is due (or `maxRounds`). Rows of
 * kinds without a handler here are left for a sender that has one.
 */
export async function drainOutbox({
  deps,
  handlers,
  limit = claimLimit(deps),
  maxRounds = 50,
  policy = OUTBOX_POLICY,
}: {
  deps: Deps
  handlers: OutboxHandlers
  limit?: number
  maxRounds?: number
  policy?: OutboxPolicy
}): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, retried: 0, failed: 0 }
  const kinds = Object.keys(handlers)
  for (let round = 0; round < maxRounds && !deps.stopping?.aborted; round += 1) {
    const rows = await claimDueRows({ deps, kinds, limit, now: deps.clock.now().getTime(), policy })
    if (rows.length === 0) break
    const shared = claimRound()
    // One at a time: providers rate-limit per account (Resend: a few requests a second).
    for (const row of rows) {
      // Shutting down: rows claimed but not tried go back, due now, for the next start.
      if (deps.stopping?.aborted) {
        await releaseClaim(deps, row)
        continue
      }
      result[await sendOne({ deps, handlers, row, policy, round: shared })] += 1
      // Each send is a chain of promises that never leaves the microtask queue (SQLite answers
      // synchronously): without a turn of the event loop a burst of posts' emails would hold
      // every waiting request until the last one is sent.
      await yieldToEventLoop()
    }
  }
  return result
}

async function sendOne({
  deps,
  handlers,
  row,
  policy,
  round,
}: {
  deps: Deps
  handlers: OutboxHandlers
  row: OutboxRow
  policy: OutboxPolicy
  round?: ClaimRound
}): Promise<keyof DrainResult> {
  const handler = handlers[row.kind]
  // A row claimed more often than allowed: its sender kept dying mid-send. Stop here; the last
  // of those sends may have gone out, so it needs a member's attention.
  if (!handler || row.attempts > policy.maxAttempts) {
    await markFailed(
      deps,
      row,
      handler ? `gave up after ${policy.maxAttempts} attempts` : `no handler for ${row.kind}`,
      { needsAttention: Boolean(handler) },
    )
    return 'failed'
  }
  try {
    const { providerId } = await handler(deps, { ...row, idempotency_key: providerKey(row) }, round)
    // Relaxed (no fsync wait): lost to a power cut, the row is only sent again under the same
    // idempotency key once its claim lapses, which the provider drops as a duplicate.
    await deps.batch(
      [
        deps.db
          .updateTable('outbox')
          .set({
            status: 'sent',
            provider_id: providerId,
            sent_at: deps.clock.now().getTime(),
            locked_until: null,
            last_error: null,
          })
          .where('id', '=', row.id)
          .where('status', '=', 'sending'),
      ],
      { relaxed: true },
    )
    return 'sent'
  } catch (error) {
    if (error instanceof MailNotConfiguredError) {
      // Not a failure of this mail: it waits, its attempt given back, until a transport is set.
      await deps.db
        .updateTable('outbox')
        .set({
          status: 'pending',
          attempts: sql`attempts - 1`,
          next_attempt_at: deps.clock.now().getTime() + MAIL_NOT_CONFIGURED_RECHECK_MS,
          locked_until: null,
          last_error: errorText(error),
        })
        .where('id', '=', row.id)
        .where('status', '=', 'sending')
        .execute()
      return 'retried'
    }
    if (error instanceof SendDeferredError) {
      // The provider's shared send rate is taken for now: due again later, its attempt given back.
      await deps.db
        .updateTable('outbox')
        .set({
          status: 'pending',
          attempts: sql`max(attempts - 1, 0)`,
          next_attempt_at: deps.clock.now().getTime() + (error.retryAfterMs ?? policy.minDelayMs),
          locked_until: null,
        })
        .where('id', '=', row.id)
        .where('status', '=', 'sending')
        .execute()
      return 'retried'
    }
    if (error instanceof UncertainMailError) {
      await markFailed(deps, row, errorText(error), { needsAttention: true })
      return 'failed'
    }
    if (!isRetryable(error) || row.attempts >= policy.maxAttempts) {
      // Giving up on an attempt that may have reached the provider: nobody can say it was not sent.
      const unknown = error instanceof TransientMailError && error.outcomeUnknown
      await markFailed(deps, row, errorText(error), { needsAttention: unknown })
      return 'failed'
    }
    const retryAfterMs = error instanceof TransientMailError ? error.retryAfterMs : undefined
    await deps.db
      .updateTable('outbox')
      .set({
        status: 'pending',
        next_attempt_at:
          deps.clock.now().getTime() + retryDelay(row.attempts, retryAfterMs, deps.random, policy),
        locked_until: null,
        last_error: errorText(error),
      })
      .where('id', '=', row.id)
      .where('status', '=', 'sending')
      .execute()
    return 'retried'
  }
}

async function markFailed(
  deps: Deps,
  row: OutboxRow,
  lastError: string,
  options: { needsAttention?: boolean } = {},
) {
  await deps.db
    .updateTable('outbox')
    .set({
      status: 'failed',
      locked_until: null,
      last_error: lastError,
      needs_attention: options.needsAttention ? 1 : 0,
    })
    .where('id', '=', row.id)
    .where('status', '=', 'sending')
    .execute()
}
