// Node entry: embedded SQLite, static files from disk, in-process background work.
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { startOutboxSender } from './notifications/outbox'
import { startDigestScheduler } from './next-contact/digest'
import { startAttachmentJanitor } from './attachments/attachments.jobs'
import { repeatInProcess } from './shared/repeat'
import { cleanupIdempotencyKeys } from './api/api.usecases'
import { outboxHandlers } from './notifications/outbox.handlers'
import { loadNodeConfig } from './platform/node/config'
import { createNodeDeps } from './platform/node/deps'
import { openSqlite } from './platform/node/sqlite'
import { createNodeHandler } from './platform/node/server'
import { DEMO, seedDemo } from './workspaces/demo'

async function main() {
  const config = loadNodeConfig()
  const database = openSqlite(join(config.dataDir, 'orderboard.sqlite'))
  const { deps, close } = createNodeDeps(config, database)

  const empty = !(await deps.db.selectFrom('workspaces').select('id').limit(1).executeTakeFirst())
  if (empty && process.env.SEED_DEMO !== '0') {
    await seedDemo(deps)
    console.log(`Seeded the demo workspace. Log in as ${DEMO.email} / ${DEMO.password}`)
  }

  const server = createNodeHandler(deps)

  const listener = serve({ fetch: server.fetch, port: config.port }, (info) => {
    console.log(`Orderboard is running on ${config.baseUrl} (port ${info.port})`)
    console.log(`Staff login: ${config.baseUrl}/login`)
  })
  // In-process outbox sender: retries and whatever a crashed process left mid-send.
  const sender = startOutboxSender({
    deps,
    handlers: outboxHandlers,
    intervalMs: Number(process.env.OUTBOX_INTERVAL_MS ?? 5_000),
  })
  // Daily digests: queued each minute once a workspace's digest_time has come (idempotent).
  const digests = startDigestScheduler({ deps, intervalMs: 60_000 })
  // Abandoned uploads (parts, rows) and attachment retention, every 10 minutes.
  const attachmentJanitor = startAttachmentJanitor({ deps, intervalMs: 10 * 60_000 })
  // Idempotency-Key records are kept 24 h (the API docs promise it); older ones go hourly.
  const idempotencyCleanup = repeatInProcess({
    task: () => cleanupIdempotencyKeys(deps),
    intervalMs: 60 * 60_000,
    onError: (error) => console.error('idempotency cleanup failed', error),
  })
  const shutdown = () => {
    listener.close(
      () =>
        void idempotencyCleanup
          .stop()
          .then(digests.stop)
          .then(attachmentJanitor.stop)
          .then(sender.stop)
          .then(close)
          .then(() => process.exit(0)),
    )
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

void main()
