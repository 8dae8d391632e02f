// The periodic jobs, declared once for both runtimes. Node repeats each one in-process every
// `everyMs` (src/platform/node/jobs.ts); Workers run each one on its Cron Trigger `cron`
// (src/platform/worker/jobs.ts, patterns listed in wrangler.toml `[triggers]`).
//
// Adding a job (statistics roll-up, business-hours reminders …):
// 1. write the use case in its feature: `(deps) => Promise<result>`; it must be idempotent and
//    safe to run late, twice or concurrently with a request (both runtimes may skip or repeat a
//    run), and each run does a bounded amount of work.
// 2. append a JobDefinition to JOBS below with its two cadences. Pick `cron` from CRONS; a new
//    pattern must also go into wrangler.toml's `crons` (test/unit/jobs.test.ts checks both
//    lists match — Workers allow only a few Cron Triggers, so prefer an existing one).
// Both runtimes run a cron's jobs in the order of JOBS, one after another; a failing job is
// logged and the rest still run.
import type { Deps } from './deps'
import { cleanupIdempotencyKeys } from './api/api.usecases'
import {
  applyAttachmentRetention,
  cleanupExpiredUploads,
  uploadCleanupLine,
} from './attachments/attachments.usecases'
import { queueDailyDigests } from './next-contact/digest'
import { sendDueAutoAnswers } from './auto-answers/auto-answers.usecases'
import { releaseAbandonedClaims } from './notifications/outbox'
import { sendDue } from './notifications/notifications.effects'
import { pruneAuditLog } from './team/audit'
import { sealPlainTotpSecrets } from './team/two-factor'
import { backfillSearchIndexFor } from './search/search.backfill'

/** The Cron Trigger patterns (wrangler.toml `[triggers] crons`), by what they are for. */
export const CRONS = {
  frequent: '*/5 * * * *',
  hourly: '0 * * * *',
} as const

export type Cron = (typeof CRONS)[keyof typeof CRONS]

export interface JobDefinition {
  /** unique; shown in logs and in the Workers' per-run summary */
  name: string
  /** one run; its result is logged by Workers */
  run(deps: Deps): Promise<unknown>
  /** Node: milliseconds between in-process runs */
  everyMs: number
  /** Workers: the Cron Trigger that runs it */
  cron: Cron
  /** Node only: once at start-up, before the first run (Workers have no start-up) */
  atStart?(deps: Deps): Promise<unknown>
}

const MINUTE = 60_000

/**
 * Sends every due outbox row (emails, webhooks); also what the Workers' queue consumer runs. One
 * drain at a time per database: a post's drain running already is joined, not doubled (sendDue).
 */
export const drainAll = (deps: Deps) => sendDue(deps)

export const JOBS: readonly JobDefinition[] = [
  {
    // Idempotent: at most one digest per member and local day, so any cadence is safe; a short
    // one keeps it close to each workspace's digest_time. Queued first, sent by the next job.
    name: 'daily-digests',
    run: (deps) => queueDailyDigests({ deps }),
    everyMs: MINUTE,
    cron: CRONS.frequent,
  },
  {
    // Waiting automatic answers (within business hours, after N minutes unanswered); queued
    // here, sent by the next job. Idempotent: a late or repeated run sends each answer once.
    // Workers check every five minutes, so an answer may come up to five minutes late there.
    name: 'auto-answers',
    run: (deps) => sendDueAutoAnswers({ deps }),
    everyMs: 30_000,
    cron: CRONS.frequent,
  },
  {
    // Retries and whatever a crashed process left mid-send; a post starts its own send at once.
    name: 'outbox',
    run: drainAll,
    // Node: OUTBOX_INTERVAL_MS overrides (src/entry.node.ts).
    everyMs: 5_000,
    cron: CRONS.frequent,
    // claims a crashed process left behind are released before the first drain
    atStart: releaseAbandonedClaims,
  },
  {
    // Boards and messages from before the search index (migration 0018), newest first, chunk
    // after chunk for up to 20 s a run; once done each run is one read. Safe to repeat or
    // overlap (see the file).
    name: 'search-backfill',
    run: (deps) => backfillSearchIndexFor({ deps }),
    everyMs: 5_000,
    cron: CRONS.frequent,
  },
  {
    // The upload janitor: unfinished uploads whose session is gone (expired, member removed, or
    // no session row left after a crash) go, with a log line counting them and their bytes;
    // resumable ones stay. Node also runs it once at start-up, and always logs that run.
    name: 'expired-uploads',
    run: async (deps) => {
      const result = await cleanupExpiredUploads({ deps })
      if (result.uploads + result.orphans > 0) console.log(uploadCleanupLine(result))
      return result
    },
    everyMs: 10 * MINUTE,
    cron: CRONS.frequent,
    atStart: async (deps) => {
      const result = await cleanupExpiredUploads({ deps })
      console.log(uploadCleanupLine(result))
      return result
    },
  },
  {
    name: 'attachment-retention',
    run: (deps) => applyAttachmentRetention({ deps }),
    everyMs: 10 * MINUTE,
    cron: CRONS.hourly,
  },
  {
    // Idempotency-Key records are kept 24 h (the API docs promise it); older ones go hourly.
    name: 'idempotency-keys',
    run: (deps) => cleanupIdempotencyKeys(deps),
    everyMs: 60 * MINUTE,
    cron: CRONS.hourly,
  },
  {
    // The audit log keeps a year (設定 → 操作履歴); login challenges live ten minutes.
    name: 'audit-retention',
    run: (deps) => pruneAuditLog(deps),
    everyMs: 60 * MINUTE,
    cron: CRONS.hourly,
  },
  {
    // TOTP secrets written before they were sealed at rest (each is also sealed when first read).
    name: 'seal-totp-secrets',
    run: (deps) => sealPlainTotpSecrets(deps),
    everyMs: 60 * MINUTE,
    cron: CRONS.hourly,
    atStart: (deps) => sealPlainTotpSecrets(deps),
  },
]
