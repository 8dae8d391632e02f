import type { R2Bucket } from '@cloudflare/workers-types'
import { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import { TransientMailError, type Config, type Defer, type Deps, type MailTransport } from '../../deps'
import { createMemoryMailer } from '../memory/mailer'
import { randomIds, systemClock } from '../system'
import type { D1Database, ExecutionContext, Queue } from './bindings'
import { createR2BlobStore } from './blobs-r2'
import { loadWorkerConfig, type WorkerVars } from './config'
import { createD1Batch, D1Dialect } from './d1-dialect'

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

/** A transport that refuses to send, so rows stay pending until a real one is configured. */
const unconfiguredMailer: MailTransport = {
  name: 'unconfigured',
  async send() {
    throw new TransientMailError('no mail transport: set RESEND_API_KEY (or DEV_MAILBOX=true locally)')
  },
}

function mailTransport(_env: WorkerEnv, config: Config): MailTransport {
  // TODO(notifications): Resend adapter (RESEND_API_KEY) and the D1 dev mailbox once they land.
  if (config.devMailbox) return createMemoryMailer()
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

/** The ports for one request (or one queue batch, one cron run), built from the bindings. */
export function createWorkerDeps(env: WorkerEnv, ctx: Pick<ExecutionContext, 'waitUntil'>, origin?: string): Deps {
  const config = loadWorkerConfig(env, origin)
  const db = new Kysely<Database>({ dialect: new D1Dialect(env.DB) })
  return {
    db,
    batch: createD1Batch(env.DB),
    blobs: createR2BlobStore(env.BLOBS),
    mailer: mailTransport(env, config),
    defer: waitUntilDefer(ctx),
    clock: systemClock,
    ids: randomIds,
    config,
  }
}
