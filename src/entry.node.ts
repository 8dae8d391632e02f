// Node entry: embedded SQLite, static files from disk, in-process background work.
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { JOBS } from './jobs'
import { loadNodeConfig } from './platform/node/config'
import { createNodeDeps } from './platform/node/deps'
import { startJobsInProcess } from './platform/node/jobs'
import { openSqlite } from './platform/node/sqlite'
import { createNodeHandler } from './platform/node/server'
import { DEMO, seedDemo } from './workspaces/demo'

/** Orchestrators (systemd, Docker, Kubernetes) kill at 10 s by default: be gone before. */
const SHUTDOWN_LIMIT_MS = 8_000

async function main() {
  const config = loadNodeConfig()
  const database = openSqlite(join(config.dataDir, 'orderboard.sqlite'))
  const { deps, close, stop } = createNodeDeps(config, database)

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
  // Graceful shutdown (SIGTERM/SIGINT): stop accepting, close idle keep-alive connections, let
  // requests in flight finish and tell their clients `Connection: close`, stop the senders
  // after their current email, and exit within SHUTDOWN_LIMIT_MS whatever the clients do.
  const responses = new Set<ServerResponse>()
  let shuttingDown = false
  listener.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    if (shuttingDown) response.setHeader('Connection', 'close')
    responses.add(response)
    response.once('close', () => responses.delete(response))
  })
  const shutdown = (signal: string) => {
    if (shuttingDown) return
    shuttingDown = true
    console.log(`${signal}: finishing requests in flight, then stopping`)
    const force = setTimeout(() => {
      console.error('shutdown took too long: closing the remaining connections')
      ;(listener as Server).closeAllConnections()
      process.exit(1)
    }, SHUTDOWN_LIMIT_MS)
    force.unref()
    stop()
    for (const response of responses)
      if (!response.headersSent) response.setHeader('Connection', 'close')
    // close() refuses new connections and (Node ≥ 19) closes the idle keep-alive ones; the
    // busy ones close after their response, which says Connection: close.
    listener.close(
      () =>
        void jobs
          .stop()
          .then(close)
          .then(() => process.exit(0)),
    )
    ;(listener as Server).closeIdleConnections()
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}

void main()
