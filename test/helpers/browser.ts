import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { chromium, type Browser } from 'playwright-core'
import { createNodeHandler } from '../../src/platform/node/server'
import type { TestApp } from './app'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/** Debian's Chromium (Playwright's own download does not work here). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
}

/** Serves a test app (with static files) on a free loopback port. */
export async function startTestServer(testApp: TestApp) {
  const handler = createNodeHandler(testApp.deps)
  const server = serve({ fetch: handler.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
