import type { R2Bucket } from '@cloudflare/workers-types'
import { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import { type Clock, type Config, type Defer, type Deps, type MailTransport } from '../../deps'
import { sendRateFor, withSendRate } from '../../notifications/send-rate'
import { createDevMailbox } from '../../notifications/transports/dev-mailbox'
import { createResendTransport } from '../../notifications/transports/resend'
import { unconfiguredMailer } from '../../notifications/transports/unconfigured'
import { randomIds, systemClock, systemRandom } from '../system'
import type { D1Database, ExecutionContext, Queue } from './bindings'
import { createR2BlobStore } from './blobs-r2'
import { loadWorkerConfig, type WorkerVars } from './config'
import { createD1Batch, D1Dialect, type D1Hooks } from './d1-dialect'

/** Everything the worker is bound to (wrangler.toml) plus its vars and secrets. */
export interface WorkerEnv extends WorkerVars {
  DB: D1Database
  BLOBS: R2Bucket
  OUTBOX_QUEUE: Queue<OutboxKick>
}

/** The only message on the outbox queue: "rows are waiting", never the rows themselves. */
export interface OutboxKick {
  kind: 'drain'
}

function mailTransport(
  env: WorkerEnv,
  config: Config,
  db: Kysely<Database>,
  clock: Clock,
): MailTransport {
  if (env.RESEND_API_KEY) {
    const resend = createResendTransport({
      apiKey: env.RESEND_API_KEY,
      baseUrl: env.RESEND_BASE_URL || undefined,
    })
    // The limit lives in D1, so every isolate (waitUntil drains, the queue consumer, the crons)
    // and any Node sender on the same data share it.
    const ratePerSecond = sendRateFor(resend.name, config.mailSendRatePerSecond)
    return ratePerSecond ? withSendRate(resend, { db, ratePerSecond, clock }) : resend
  }
  if (config.devMailbox) return createDevMailbox(db, clock)
  return unconfiguredMailer
}

/** `defer` on Workers: the runtime keeps the isolate alive until the task settles. */
export function waitUntilDefer(ctx: Pick<ExecutionContext, 'waitUntil'>): Defer {
  return (task) => {
    ctx.waitUntil(
      Promise.resolve()
        .then(task)
        .catch((error: unknown) => console.error('deferred task failed', error)),
    )
  }
}

/**
 * Once per request that committed outbox rows, a message on the queue wakes the consumer. The
 * app also drains right away in `waitUntil`; the queue is what still sends if that is cut short
 * (the isolate evicted, the 30 s budget spent on a slow provider). Claims are atomic, so the two
 * never send a row twice.
 */
function outboxKicker(env: WorkerEnv, ctx: Pick<ExecutionContext, 'waitUntil'>): D1Hooks {
  let kicked = false
  return {
    onOutboxWrite() {
      if (kicked) return
      kicked = true
      ctx.waitUntil(
        env.OUTBOX_QUEUE.send({ kind: 'drain' }).catch((error: unknown) =>
          console.error('could not wake the outbox consumer; the cron will send', error),
        ),
      )
    },
  }
}

/**
 * The ports for one request (or one queue batch, one cron run), built from the bindings.
 * `origin` is the request's, for local development without BASE_URL.
 */
export function createWorkerDeps(
  env: WorkerEnv,
  ctx: Pick<ExecutionContext, 'waitUntil'>,
  options: { origin?: string; kickOutbox?: boolean } = {},
): Deps {
  const config = loadWorkerConfig(env, options.origin)
  const hooks = options.kickOutbox ? outboxKicker(env, ctx) : {}
  const db = new Kysely<Database>({ dialect: new D1Dialect(env.DB, hooks) })
  const clock = systemClock
  return {
    db,
    batch: createD1Batch(env.DB, hooks),
    blobs: createR2BlobStore(env.BLOBS),
    mailer: mailTransport(env, config, db, clock),
    defer: waitUntilDefer(ctx),
    clock,
    ids: randomIds,
    random: systemRandom,
    config,
  }
}
