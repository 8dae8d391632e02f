// Node entry: embedded SQLite, static files from disk, in-process background work.
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { JOBS } from './jobs'
import { loadNodeConfig } from './platform/node/config'
import { createNodeDeps } from './platform/node/deps'
import { startJobsInProcess } from './platform/node/jobs'
import { openSqlite } from './platform/node/sqlite'
import { createNodeHandler } from './platform/node/server'
import { DEMO, seedDemo } from './workspaces/demo'

async function main() {
  const config = loadNodeConfig()
  const database = openSqlite(join(config.dataDir, 'orderboard.sqlite'))
  const { deps, close } = createNodeDeps(config, database)

  const empty = !(await deps.db.selectFrom('workspaces').select('id').limit(1).executeTakeFirst())
  if (empty && config.seedDemo) {
    await seedDemo(deps)
    console.log(`Seeded the demo workspace. Log in as ${DEMO.email} / ${DEMO.password}`)
  }

  if (config.mailNotSent) {
    console.warn(
      [
        '',
        '!!! MAIL IS NOT BEING SENT !!!',
        `BASE_URL (${config.baseUrl}) is public and no mail transport is configured: set`,
        'RESEND_API_KEY or SMTP_URL. Until then every notification waits in the outbox, and the',
        'dev mailbox stays off (DEV_MAILBOX=1 would publish every customer link at /_dev/mail).',
        '',
      ].join('\n'),
    )
  }

  const server = createNodeHandler(deps)

  const listener = serve({ fetch: server.fetch, port: config.port }, (info) => {
    console.log(`Orderboard is running on ${config.baseUrl} (port ${info.port})`)
    console.log(`Staff login: ${config.baseUrl}/login`)
  })
  // The periodic jobs (src/jobs.ts), in-process: outbox retries, digests, clean-ups.
  const outboxEveryMs = Number(process.env.OUTBOX_INTERVAL_MS ?? 5_000)
  const jobs = startJobsInProcess(deps, JOBS, { everyMs: { outbox: outboxEveryMs } })
  const shutdown = () => {
    listener.close(
      () =>
        void jobs
          .stop()
          .then(close)
          .then(() => process.exit(0)),
    )
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

void main()
