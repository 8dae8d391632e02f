import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'
import { createApp } from '../../app'
import type { Deps } from '../../deps'
import { nodePeerAddress } from './peer-address'
import { appRoot } from './root'

const ROOT = appRoot()
const HTMX = readFileSync(join(ROOT, 'node_modules', 'htmx.org', 'dist', 'htmx.min.js'))
// Chart.js for the statistics page's charts, read when first asked for.
let chartJs: Uint8Array<ArrayBuffer> | undefined

/** The app plus static files from disk (views/static; htmx and Chart.js from node_modules). */
export function createNodeHandler(deps: Deps) {
  const server = new Hono()
  server.get('/static/htmx.min.js', (c) => {
    c.header('Cache-Control', 'public, max-age=86400')
    return c.body(HTMX, 200, { 'Content-Type': 'text/javascript; charset=utf-8' })
  })
  server.get('/static/chart.umd.min.js', (c) => {
    chartJs ??= new Uint8Array(
      readFileSync(join(ROOT, 'node_modules', 'chart.js', 'dist', 'chart.umd.min.js')),
    )
    c.header('Cache-Control', 'public, max-age=86400')
    return c.body(chartJs, 200, { 'Content-Type': 'text/javascript; charset=utf-8' })
  })
  server.use('/static/*', serveStatic({ root: join(ROOT, 'views') }))
  server.route('/', createApp(deps, { peerAddress: nodePeerAddress }))
  return server
}
