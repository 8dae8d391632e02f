import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PART_SIZE } from '../../src/attachments/attachments.rules'
import { createBoardOrFail } from '../../src/boards/boards.usecases'
import { createDiskBlobStore } from '../../src/platform/node/blobs-disk'
import { createNodeHandler } from '../../src/platform/node/server'
import { createTestApp, createTestWorkspace } from '../helpers/app'
import {
  axeViolations,
  horizontalOverflow,
  launchBrowser,
  logInThroughForm,
  openStaffPage,
  startTestServer,
} from '../helpers/browser'

// Issue 15, point 9 in Chromium: a part the server never answers makes the upload say it is
// stalled (not a frozen speed); after a reload the unfinished upload is offered, and picking the
// same file sends only the part the server does not hold. The stall is the server's (a route
// that never answers part 2), so the browser's own upload progress is what the page watches.

const SHOTS = process.env.SHOTS_DIR ?? 'test-results/screenshots'
const FILE_SIZE = PART_SIZE + 4321 // two parts
const FILE_NAME = '入稿データ_表紙.pdf'
const LAST_MODIFIED = Date.parse('2026-11-20T09:30:00+09:00')

/** Drops the same file (name, size, lastModified) on the composer, as a person would. */
function dropFile(page: Page) {
  return page.evaluate(
    ({ size, name, lastModified }) => {
      const bytes = new Uint8Array(size)
      for (let i = 0; i < size; i += 997) bytes[i] = i & 0xff
      const transfer = new DataTransfer()
      transfer.items.add(new File([bytes], name, { type: 'application/pdf', lastModified }))
      document
        .querySelector('#composer textarea')!
        .dispatchEvent(
          new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }),
        )
    },
    { size: FILE_SIZE, name: FILE_NAME, lastModified: LAST_MODIFIED },
  )
}

async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true, caret: 'initial' })
}

describe('an upload that stalls, then survives a reload (Chromium)', () => {
  let browser: Browser
  const blobRoot = mkdtempSync(join(tmpdir(), 'ob-resume-blobs-'))
  beforeAll(async () => {
    browser = await launchBrowser()
    mkdirSync(SHOTS, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
    rmSync(blobRoot, { recursive: true, force: true })
  })

  for (const [width, height] of [
    [390, 844],
    [1366, 900],
  ] as const) {
    it(`${width}px: says "stalled", offers the upload after a reload, resumes from part 2`, async () => {
      const testApp = createTestApp({
        blobs: createDiskBlobStore({ root: join(blobRoot, String(width)) }),
      })
      const slug = `up${width}`
      const owner = await createTestWorkspace(testApp, { slug })
      const board = await createBoardOrFail({
        deps: testApp.deps,
        workspace: owner.workspace,
        createdBy: owner.ownerId,
        input: { name: 'パンフレット', customer_name: '佐藤 健', customer_email: 'ken@example.jp' },
      })
      // A route that stalls: part 2 is taken and never answered, until the test lets it go.
      const handler = createNodeHandler(testApp.deps)
      let stallPart2 = true
      const server = serve({
        fetch: (request, env) =>
          stallPart2 &&
          request.method === 'PUT' &&
          /\/parts\/2$/.test(new URL(request.url).pathname)
            ? new Promise<Response>(() => {})
            : handler.fetch(request, env),
        port: 0,
        hostname: '127.0.0.1',
      })
      await new Promise<void>((resolve) => server.once('listening', () => resolve()))
      const serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const storedParts = async () =>
        (
          await testApp.deps.db
            .selectFrom('upload_parts')
            .select('part_number')
            .orderBy('part_number')
            .execute()
        ).map((row) => row.part_number)
      try {
        const { page, errors } = await openStaffPage(browser, { width, height })
        await logInThroughForm(page, serverUrl, { ...owner, slug })
        await page.goto(`${serverUrl}/w/${slug}/boards/${board.id}`)
        // A short stall limit for the test (the page says 15 s).
        await page
          .locator('#composer .upload-zone')
          .evaluate((zone) => zone.setAttribute('data-stall-seconds', '2'))
        await dropFile(page)
        const row = page.locator('#composer .upload-item', { hasText: FILE_NAME })
        await expect.poll(storedParts, { timeout: 15_000 }).toEqual([1])
        await expect
          .poll(() => row.locator('.upload-status').textContent(), { timeout: 15_000 })
          .toMatch(/^止まっています: \d+秒間データが送れていません。自動で再試行します…$/)
        expect(await row.getAttribute('data-stalled')).toBe('true')
        expect(await row.locator('.upload-status').textContent()).not.toMatch(/B\/s/)
        // the member may resume at once
        expect(await row.locator('.upload-retry').isVisible()).toBe(true)
        expect(await page.locator('#composer button[type=submit]').isDisabled()).toBe(true)
        await page.locator('#composer').scrollIntoViewIfNeeded()
        await shot(page, `upload-stalled-${width}`)
        expect(await axeViolations(page)).toEqual([])

        // The member gives up and reloads; the page keeps what it needs to carry on.
        const kept = await page.evaluate(() => JSON.stringify(window.localStorage))
        expect(kept).toContain(FILE_NAME)
        expect(kept).toContain(String(LAST_MODIFIED))
        stallPart2 = false
        await page.reload()
        const offer = page.locator('#composer .upload-offer')
        await expect
          .poll(() => offer.textContent())
          .toContain(
            `「${FILE_NAME}」のアップロードが途中です（8 MB / 8 MB 送信済み）。同じファイルを選ぶと続きから再開します。`,
          )
        expect(await offer.locator('.upload-resume-choose').textContent()).toBe(
          'ファイルを選んで再開',
        )
        expect(await offer.locator('.upload-discard').textContent()).toBe('破棄')
        await shot(page, `upload-resume-offer-${width}`)
        expect(await horizontalOverflow(page)).toBe(0)
        expect(await axeViolations(page)).toEqual([])

        // Picking the same file again sends part 2 only, and finishes the same upload.
        const sent: string[] = []
        page.on('request', (request) => {
          if (request.url().includes('/uploads')) sent.push(`${request.method()} ${request.url()}`)
        })
        await dropFile(page)
        await page.locator('#composer .upload-item[data-state=done]').waitFor({ timeout: 20_000 })
        expect(await offer.count()).toBe(0)
        const puts = sent.filter((line) => line.startsWith('PUT'))
        expect(puts).toHaveLength(1)
        expect(puts[0]).toMatch(/\/parts\/2$/)
        expect(sent.filter((line) => /^POST .*\/uploads$/.test(line))).toEqual([])
        expect(await page.evaluate(() => JSON.stringify(window.localStorage))).not.toContain(
          FILE_NAME,
        )

        await page.fill('#composer textarea[name=body]', '表紙の入稿データです。')
        await page.click('#composer button[type=submit]')
        const message = page.locator('#thread .message', { hasText: '表紙の入稿データです。' })
        await message.locator('.attachment', { hasText: FILE_NAME }).waitFor()
        const attachment = await testApp.deps.db
          .selectFrom('attachments')
          .select(['name', 'size', 'message_id'])
          .executeTakeFirstOrThrow()
        expect(attachment).toMatchObject({ name: FILE_NAME, size: FILE_SIZE })
        expect(attachment.message_id).not.toBeNull()
        await shot(page, `upload-resumed-${width}`)
        expect(errors).toEqual([])
      } finally {
        ;(server as Server).closeAllConnections()
        await new Promise<void>((resolve) => server.close(() => resolve()))
      }
    }, 180_000)
  }

  it('says what went wrong in the page’s language when the server fails', async () => {
    const testApp = createTestApp({ blobs: createDiskBlobStore({ root: join(blobRoot, 'err') }) })
    const owner = await createTestWorkspace(testApp, { slug: 'uperr', locale: 'en' })
    const board = await createBoardOrFail({
      deps: testApp.deps,
      workspace: owner.workspace,
      createdBy: owner.ownerId,
      input: { name: 'Flyers', customer_name: 'Ann Lee', customer_email: 'ann@example.com' },
    })
    const server = await startTestServer(testApp)
    try {
      const { page } = await openStaffPage(browser, { width: 1366, height: 900 })
      await logInThroughForm(page, server.url, { ...owner, slug: 'uperr' })
      await page.goto(`${server.url}/w/uperr/boards/${board.id}`)
      // A proxy's page in front of the app, not our JSON: the status, in English.
      await page.route('**/uploads', (route) =>
        route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad Gateway</h1>' }),
      )
      await dropFile(page)
      const row = page.locator('#composer .upload-item', { hasText: FILE_NAME })
      await expect
        .poll(() => row.locator('.upload-status').textContent())
        .toBe('The server had a problem (502). Press Resume to try again.')
      await page.unrouteAll()
      // A connection that drops: never the browser's own word ("network").
      await page.route('**/uploads', (route) => route.abort('internetdisconnected'))
      await row.locator('.upload-retry').click()
      await expect
        .poll(() => row.locator('.upload-status').textContent())
        .toBe('The connection dropped. Check your connection and press Resume.')
      await page.unrouteAll()
      await row.locator('.upload-retry').click()
      await page.locator('#composer .upload-item[data-state=done]').waitFor({ timeout: 20_000 })
      await shot(page, 'upload-errors-en-1366')
    } finally {
      await server.close()
    }
  }, 120_000)
})
