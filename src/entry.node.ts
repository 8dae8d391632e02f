// Node entry: embedded SQLite, static files from disk, in-process background work.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import { createApp } from './app'
import { loadNodeConfig } from './platform/node/config'
import { createNodeDeps } from './platform/node/deps'
import { openSqlite } from './platform/node/sqlite'
import { DEMO, seedDemo } from './workspaces/demo'

const ROOT = join(import.meta.dirname, '..')
const HTMX = readFileSync(join(ROOT, 'node_modules', 'htmx.org', 'dist', 'htmx.min.js'))

async function main() {
  const config = loadNodeConfig()
  const database = openSqlite(join(config.dataDir, 'orderboard.sqlite'))
  const { deps, close } = createNodeDeps(config, database)

  const empty = !(await deps.db.selectFrom('workspaces').select('id').limit(1).executeTakeFirst())
  if (empty && process.env.SEED_DEMO !== '0') {
    await seedDemo(deps)
    console.log(`Seeded the demo workspace. Log in as ${DEMO.email} / ${DEMO.password}`)
  }

  const server = new Hono()
  server.get('/static/htmx.min.js', (c) => {
    c.header('Cache-Control', 'public, max-age=86400')
    return c.body(HTMX, 200, { 'Content-Type': 'text/javascript; charset=utf-8' })
  })
  server.use('/static/*', serveStatic({ root: join(ROOT, 'views') }))
  server.route('/', createApp(deps))

  const listener = serve({ fetch: server.fetch, port: config.port }, (info) => {
    console.log(`Orderboard is running on ${config.baseUrl} (port ${info.port})`)
    console.log(`Staff login: ${config.baseUrl}/login`)
  })
  const shutdown = () => {
    listener.close(() => void close().then(() => process.exit(0)))
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

void main()
