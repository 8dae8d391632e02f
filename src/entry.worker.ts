// Workers entry: D1, R2, a Queue and Cron Triggers. Static files (CSS, JS, htmx) are served by
// Workers Static Assets before this runs. The app is built once per isolate (routing tables,
// schemas); its ports are built per request from that request's bindings and waitUntil.
import type { Context } from 'hono'
import { createApp } from './app'
import type { AppEnv } from './http'
import type {
  ExecutionContext,
  MessageBatch,
  ScheduledController,
} from './platform/worker/bindings'
import { WorkerConfigError } from './platform/worker/config'
import { createWorkerDeps, type OutboxKick, type WorkerEnv } from './platform/worker/deps'
import { consumeOutboxBatch, runScheduled } from './platform/worker/jobs'

function configErrorResponse(error: WorkerConfigError) {
  // The operator needs the reason; the message names only the missing setting, never a value.
  console.error(error.message)
  return new Response(`Orderboard is not configured: ${error.message}\n`, {
    status: 500,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  })
}

const noBackgroundWork = { waitUntil: () => {} }

/** Queue and cron runs have no request to take an origin from: BASE_URL must be set. */
function depsWithoutRequest(env: WorkerEnv, ctx: ExecutionContext) {
  try {
    return createWorkerDeps(env, ctx)
  } catch (error) {
    if (!(error instanceof WorkerConfigError)) throw error
    console.error(`${error.message}; nothing was sent from this queue or cron run`)
    return undefined
  }
}

/** One app per env object: the runtime hands the same env to every request of an isolate. */
const apps = new WeakMap<WorkerEnv, ReturnType<typeof createApp>>()

function appFor(env: WorkerEnv, origin: string) {
  let app = apps.get(env)
  if (!app) {
    // These deps only configure the app (base URL, dev mailbox); requests get their own.
    app = createApp(createWorkerDeps(env, noBackgroundWork, { origin }), {
      // Cloudflare sets CF-Connecting-IP on every request and overwrites any a client sent.
      peerAddress: (c) => c.req.header('CF-Connecting-IP'),
      requestDeps: (c: Context<AppEnv>) =>
        createWorkerDeps(c.env as WorkerEnv, c.executionCtx, {
          origin: new URL(c.req.url).origin,
          kickOutbox: true,
        }),
    })
    apps.set(env, app)
  }
  return app
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let app
    try {
      app = appFor(env, new URL(request.url).origin)
    } catch (error) {
      if (error instanceof WorkerConfigError) return configErrorResponse(error)
      throw error
    }
    return app.fetch(request, env, ctx)
  },

  async queue(
    batch: MessageBatch<OutboxKick>,
    env: WorkerEnv,
    ctx: ExecutionContext,
  ): Promise<void> {
    const deps = depsWithoutRequest(env, ctx)
    // Redelivery cannot fix a configuration; the rows wait in the outbox for the next cron run.
    if (!deps) return batch.ackAll()
    await consumeOutboxBatch(deps, batch)
  },

  async scheduled(
    controller: ScheduledController,
    env: WorkerEnv,
    ctx: ExecutionContext,
  ): Promise<void> {
    const deps = depsWithoutRequest(env, ctx)
    if (deps) await runScheduled(deps, controller.cron)
  },
}
