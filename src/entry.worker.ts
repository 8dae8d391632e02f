// Workers entry: D1, R2, a Queue and Cron Triggers. Deps are built per request from the
// bindings; static files (CSS, JS, htmx) are served by Workers Static Assets before this runs.
import { createApp } from './app'
import type { ExecutionContext, MessageBatch, ScheduledController } from './platform/worker/bindings'
import { WorkerConfigError } from './platform/worker/config'
import { createWorkerDeps, type OutboxKick, type WorkerEnv } from './platform/worker/deps'

function configErrorResponse(error: WorkerConfigError) {
  // The operator needs the reason; the message names only the missing setting, never a value.
  console.error(error.message)
  return new Response(`Orderboard is not configured: ${error.message}\n`, {
    status: 500,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  })
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let deps
    try {
      deps = createWorkerDeps(env, ctx, new URL(request.url).origin)
    } catch (error) {
      if (error instanceof WorkerConfigError) return configErrorResponse(error)
      throw error
    }
    return createApp(deps).fetch(request, env, ctx)
  },

  async queue(batch: MessageBatch<OutboxKick>, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const deps = createWorkerDeps(env, ctx)
    void deps
    // TODO(notifications): drainOutbox(deps) once it lands.
    batch.ackAll()
  },

  async scheduled(controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const deps = createWorkerDeps(env, ctx)
    void deps
    void controller
  },
}
