import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiKey } from '../../src/api/api.usecases'
import { guestUrl } from '../../src/guest/guest.link'
import { createWebhookEndpoint } from '../../src/webhooks/webhooks.usecases'
import { DEMO, seedDemo } from '../../src/workspaces/demo'
import { createTestApp } from '../helpers/app'
import {
  axeViolations,
  horizontalOverflow,
  launchBrowser,
  logInThroughForm,
  startTestServer,
} from '../helpers/browser'

// Every page a member or a customer sees, at a phone's and a desktop's width, in both languages:
// nothing scrolls sideways (down to 360 px) and axe-core finds nothing of any impact.
const PHONE = { width: 390, height: 844 }
const NARROW = { width: 360, height: 740 }
const DESKTOP = { width: 1366, height: 900 }

describe('every page on a phone and a desktop, in Japanese and English', () => {
  let browser: Browser
  let testApp: ReturnType<typeof createTestApp>
  let server: Awaited<ReturnType<typeof startTestServer>>
  let pages: Record<string, string>

  beforeAll(async () => {
    testApp = createTestApp({ clock: { now: () => new Date() } })
    await seedDemo(testApp.deps)
    const workspace = await testApp.deps.db
      .selectFrom('workspaces')
      .selectAll()
      .where('slug', '=', DEMO.slug)
      .executeTakeFirstOrThrow()
    // Long names and a long URL: the rows that overflowed a phone before.
    await createApiKey({
      deps: testApp.deps,
      workspace,
      name: '受注システム（本番環境・倉庫連携用のとても長い名前）',
      createdBy: null,
    })
    await createWebhookEndpoint({
      deps: testApp.deps,
      workspace,
      createdBy: null,
      input: {
        url: 'https://hooks.example.com/orderboard/a-very-long-path/with/segments?token=abcdefghijklmnop',
        events: ['message.created', 'board.status_changed', 'board.decided'],
      },
    })
    const board = await testApp.deps.db
      .selectFrom('boards')
      .selectAll()
      .where('workspace_id', '=', workspace.id)
      .where('name', 'like', '名刺%')
      .executeTakeFirstOrThrow()
    server = await startTestServer(testApp)
    const base = `/w/${DEMO.slug}`
    pages = {
      list: `${base}/boards`,
      board: `${base}/boards/${board.id}`,
      new: `${base}/boards/new`,
      templates: `${base}/templates`,
      settings: `${base}/settings`,
      hours: `${base}/settings/hours`,
      'api keys': `${base}/settings/api`,
      webhooks: `${base}/settings/webhooks`,
      customer: (await guestUrl(testApp.deps.config, board)).replace(
        testApp.deps.config.baseUrl,
        '',
      ),
    }
    browser = await launchBrowser()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  async function check(page: Page, name: string) {
    const problems: string[] = []
    for (const size of [NARROW, PHONE, DESKTOP]) {
      await page.setViewportSize(size)
      const overflow = await horizontalOverflow(page)
      if (overflow > 0) problems.push(`${name} @${size.width}: scrolls sideways by ${overflow}px`)
      if (size === NARROW) continue
      for (const violation of await axeViolations(page))
        problems.push(`${name} @${size.width}: ${violation}`)
    }
    return problems
  }

  for (const locale of ['ja', 'en'] as const) {
    it(`${locale}: login, list, board, new board, templates, settings and the customer page`, async () => {
      await testApp.deps.db.updateTable('workspaces').set({ locale }).execute()
      await testApp.deps.db.updateTable('members').set({ locale }).execute()
      const context = await browser.newContext({ viewport: DESKTOP })
      const page = await context.newPage()
      page.setDefaultTimeout(15_000)
      const problems: string[] = []
      try {
        await page.goto(`${server.url}/login?lang=${locale}`)
        expect(await page.getAttribute('html', 'lang')).toBe(locale)
        problems.push(...(await check(page, 'login')))
        await logInThroughForm(page, server.url, { ...DEMO })
        for (const [name, path] of Object.entries(pages)) {
          await page.goto(`${server.url}${path}`)
          expect(await page.getAttribute('html', 'lang')).toBe(locale)
          problems.push(...(await check(page, name)))
        }

        // The phone menu: folded until asked, then every link reachable, still clean.
        await page.goto(`${server.url}${pages.list}`)
        await page.setViewportSize(PHONE)
        const toggle = page.locator('[data-menu-toggle]')
        await expect.poll(() => page.locator('.topnav').isVisible()).toBe(false)
        await toggle.click()
        await expect.poll(() => page.locator('.topnav').isVisible()).toBe(true)
        expect(await toggle.getAttribute('aria-expanded')).toBe('true')
        for (const violation of await axeViolations(page)) problems.push(`menu: ${violation}`)
        await page.keyboard.press('Escape')
        await expect.poll(() => page.locator('.topnav').isVisible()).toBe(false)

        // The list is stacked cards on a phone: every card within the screen's width.
        const cardsFit = await page.$$eval('tr.board-row', (rows) =>
          rows.every((row) => row.getBoundingClientRect().right <= window.innerWidth),
        )
        expect(cardsFit).toBe(true)
      } finally {
        await context.close()
      }
      expect(problems).toEqual([])
    }, 360_000)
  }

  it('the board page on a phone: thread first, a compact composer that grows when used', async () => {
    await testApp.deps.db.updateTable('members').set({ locale: 'ja' }).execute()
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true })
    const page = await context.newPage()
    page.setDefaultTimeout(15_000)
    try {
      await logInThroughForm(page, server.url, { ...DEMO })
      await page.goto(`${server.url}${pages.board}`)
      const composer = page.locator('#composer')
      const compact = (await composer.boundingBox())!.height
      expect(compact).toBeLessThan(120)
      // The thread comes before the composer, the side panel after it.
      const order = await page.evaluate(() =>
        ['#thread', '#composer', '#board-panel'].map(
          (selector) => document.querySelector(selector)!.getBoundingClientRect().top,
        ),
      )
      expect(order[0]).toBeLessThan(order[1]!)
      expect(order[1]).toBeLessThan(order[2]!)

      await page.locator('#composer textarea').tap()
      await expect.poll(async () => (await composer.boundingBox())!.height).toBeGreaterThan(200)
      await page.locator('#composer textarea').fill('下書きです')
      await page.locator('#board-panel h2').first().tap()
      // Holding a draft, it stays open.
      await expect.poll(async () => (await composer.boundingBox())!.height).toBeGreaterThan(200)
      await page.locator('#composer textarea').fill('')
      await page.locator('#composer textarea').focus()
      await page.locator('#board-panel h2').first().tap()
      await expect.poll(async () => (await composer.boundingBox())!.height).toBeLessThan(120)
      expect(await horizontalOverflow(page)).toBe(0)
    } finally {
      await context.close()
    }
  }, 90_000)
})
