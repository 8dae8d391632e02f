import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
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
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  })
}

/** Where browser tests write their screenshots (SHOTS_DIR overrides). */
export const SHOTS = process.env.SHOTS_DIR ?? 'test-results/screenshots'

/**
 * One Chromium for the calling `describe` block: launched (and the screenshot folder made)
 * before its tests, closed after them. Read `.browser` inside a test, not at collection time.
 */
export function useChromium(): { readonly browser: Browser } {
  let browser: Browser | undefined
  beforeAll(async () => {
    browser = await launchBrowser()
    mkdirSync(SHOTS, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
  })
  return {
    get browser() {
      if (!browser)
        throw new Error('Chromium is not running: call useChromium() in a describe block')
      return browser
    },
  }
}

/**
 * Serves a test app (with static files) on a free loopback port. `close()` also ends the open
 * pages' connections: a request still in flight (a live-update poll) would otherwise keep
 * `server.close()` waiting up to a minute, and the test would time out in its `finally`.
 */
export async function startTestServer(testApp: TestApp) {
  const handler = createNodeHandler(testApp.deps)
  const server = serve({ fetch: handler.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        ;(server as Server).closeAllConnections()
      }),
  }
}

/** A staff page that records page errors and console errors (CSP violations among them). */
export async function openStaffPage(
  browser: Browser,
  options: { width?: number; height?: number } = {},
) {
  const page = await browser.newPage({
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
  })
  page.setDefaultTimeout(10_000)
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  return { page, errors }
}

/** Logs in through the real form and waits for the board list. */
export async function logInThroughForm(
  page: Page,
  baseUrl: string,
  login: { email: string; password: string; slug: string },
) {
  await page.goto(`${baseUrl}/login`)
  await page.fill('input[name=email]', login.email)
  await page.fill('input[name=password]', login.password)
  await page.click('button[type=submit]')
  await page.waitForURL(`**/w/${login.slug}/boards`)
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
)

/**
 * Runs axe-core (the npm package, injected through the DevTools protocol so the page's CSP
 * stays as it is) over the whole page and returns its violations of any impact, each as
 * `rule-id: selector, selector…` so a failing test says where to look.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(() => 'axe' in window)
  if (!loaded) await page.evaluate(axeSource)
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context?: unknown) => Promise<AxeResult> } })
      .axe
    return axe.run(document)
  })
  return result.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  )
}

interface AxeResult {
  violations: { id: string; impact: string; nodes: { target: string[] }[] }[]
}

/** How far the page scrolls sideways: 0 when nothing is wider than the viewport. */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
}
