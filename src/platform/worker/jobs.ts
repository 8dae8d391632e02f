// What the queue consumer and the cron triggers run. Each job is an existing use case; the
// worker only decides when. Jobs run one after another so a failing one is logged and the
// rest still run.
import { cleanupIdempotencyKeys } from '../../api/api.usecases'
import {
  applyAttachmentRetention,
  cleanupExpiredUploads,
} from '../../attachments/attachments.usecases'
import type { Deps } from '../../deps'
import { queueDailyDigests } from '../../next-contact/digest'
import { drainOutbox } from '../../notifications/outbox'
import { outboxHandlers } from '../../notifications/outbox.handlers'
import type { MessageBatch } from './bindings'
import type { OutboxKick } from './deps'

/** The cron patterns in wrangler.toml `[triggers]`, by what they are for. */
export const CRONS = {
  /** daily digests (each workspace at its digest_time), outbox retries, abandoned uploads */
  frequent: '*/5 * * * *',
  /** attachment retention, expired Idempotency-Key records */
  hourly: '0 * * * *',
} as const

type Job = [name: string, run: () => Promise<unknown>]

async function runJobs(jobs: Job[]): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {}
  let failed = 0
  for (const [name, run] of jobs) {
    try {
      results[name] = await run()
    } catch (error) {
      failed += 1
      console.error(`job ${name} failed`, error)
      results[name] = 'failed'
    }
  }
  console.log(JSON.stringify({ jobs: results }))
  if (failed > 0) throw new Error(`${failed} of ${jobs.length} jobs failed`)
  return results
}

/** Sends every due outbox row (emails, webhooks) through the same drain the Node sender uses. */
export const drainAll = (deps: Deps) => drainOutbox({ deps, handlers: outboxHandlers })

/**
 * The queue consumer. A message only says "rows are waiting"; however many arrive, one drain
 * sends everything due. If the drain itself fails (D1 unreachable), the queue redelivers.
 */
export async function consumeOutboxBatch(
  deps: Deps,
  batch: MessageBatch<OutboxKick>,
): Promise<void> {
  try {
    await runJobs([['outbox', () => drainAll(deps)]])
    batch.ackAll()
  } catch {
    batch.retryAll({ delaySeconds: 30 })
  }
}

/** One cron run: the jobs for its pattern. An unknown pattern (a renamed cron) runs them all. */
export async function runScheduled(deps: Deps, cron: string): Promise<Record<string, unknown>> {
  const frequent: Job[] = [
    // Idempotent: at most one digest per member and local day, so any cadence is safe; five
    // minutes keeps it close to each workspace's digest_time. Queued first, sent just below.
    ['daily-digests', () => queueDailyDigests({ deps })],
    ['outbox', () => drainAll(deps)],
    ['expired-uploads', () => cleanupExpiredUploads({ deps })],
  ]
  const hourly: Job[] = [
    ['attachment-retention', () => applyAttachmentRetention({ deps })],
    ['idempotency-keys', () => cleanupIdempotencyKeys(deps)],
  ]
  if (cron === CRONS.frequent) return runJobs(frequent)
  if (cron === CRONS.hourly) return runJobs(hourly)
  return runJobs([...frequent, ...hourly])
}
