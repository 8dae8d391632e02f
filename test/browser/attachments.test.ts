import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDiskBlobStore } from '../../src/platform/node/blobs-disk'
import { guestUrl } from '../../src/guest/guest.link'
import { createTestApp, createTestWorkspace } from '../helpers/app'
import { launchBrowser, startTestServer } from '../helpers/browser'

const SHOTS = 'test-results/screenshots'
const FILE_SIZE = 20 * 1024 * 1024 + 12345 // three parts

describe('attachments in Chromium', () => {
  let browser: Browser
  const blobRoot = mkdtempSync(join(tmpdir(), 'ob-browser-blobs-'))
  beforeAll(async () => {
    browser = await launchBrowser()
    mkdirSync(SHOTS, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
    rmSync(blobRoot, { recursive: true, force: true })
  })

  it('a member drops files on the composer, sees progress, sends; the customer sees and downloads them', async () => {
    const testApp = createTestApp({
      clock: { now: () => new Date() },
      blobs: createDiskBlobStore({ root: blobRoot }),
    })
    const owner = await createTestWorkspace(testApp, { slug: 'files' })
    const server = await startTestServer(testApp)
    const downloads = mkdtempSync(join(tmpdir(), 'ob-downloads-'))
    try {
      const errors: string[] = []
      const staff = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      staff.setDefaultTimeout(20_000)
      staff.on('pageerror', (error) => errors.push(error.message))

      await staff.goto(`${server.url}/login`)
      await staff.fill('input[name=email]', owner.email)
      await staff.fill('input[name=password]', owner.password)
      await staff.click('button[type=submit]')
      await staff.waitForURL('**/w/files/boards')
      await staff.goto(`${server.url}/w/files/boards/new`)
      await staff.fill('input[name=name]', 'パンフレット A4 二つ折り')
      await staff.fill('input[name=customer_name]', '佐藤 健')
      await staff.fill('input[name=customer_email]', 'ken@example.jp')
      await staff.click('button.primary[type=submit]')
      await staff.waitForURL(/\/w\/files\/boards\/[\w-]+$/)
      const boardId = staff.url().split('/').pop()!

      // On a slow line: the bar moves, with speed and time left; cancelling drops the upload.
      const cdp = await staff.context().newCDPSession(staff)
      await cdp.send('Network.enable')
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 20,
        downloadThroughput: -1,
        uploadThroughput: 1024 * 1024,
      })
      await staff.evaluate(() => {
        const transfer = new DataTransfer()
        transfer.items.add(
          new File([new Uint8Array(9 * 1024 * 1024)], '動画_仕上がり確認.mp4', {
            type: 'video/mp4',
          }),
        )
        const target = document.querySelector('#composer textarea')!
        target.dispatchEvent(
          new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }),
        )
      })
      const slow = staff.locator('#composer .upload-item', { hasText: '動画_仕上がり確認.mp4' })
      await expect
        .poll(() => slow.locator('.upload-status').textContent(), { timeout: 15_000 })
        .toMatch(/B\/s · 残り/)
      await expect
        .poll(() => slow.locator('progress').evaluate((bar: HTMLProgressElement) => bar.value))
        .toBeGreaterThan(0)
      expect(await staff.locator('#composer button[type=submit]').isDisabled()).toBe(true)
      await staff.locator('#composer').screenshot({ path: `${SHOTS}/attachments-progress.png` })
      await slow.locator('.upload-cancel').click()
      await expect.poll(() => slow.count()).toBe(0)
      await expect
        .poll(() => staff.locator('#composer button[type=submit]').isDisabled())
        .toBe(false)
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      })
      await expect
        .poll(async () =>
          Number(
            (
              await testApp.deps.db
                .selectFrom('uploads')
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          ),
        )
        .toBe(0)

      // Drop two files at once on the composer: a 20 MB PDF-ish file and a small PNG.
      await staff.evaluate(async (size) => {
        const canvas = document.createElement('canvas')
        canvas.width = 120
        canvas.height = 80
        const context = canvas.getContext('2d')!
        context.fillStyle = '#2563eb'
        context.fillRect(0, 0, 120, 80)
        context.fillStyle = '#f97316'
        context.fillRect(20, 20, 50, 40)
        const png = await new Promise<Blob>((resolve) =>
          canvas.toBlob((blob) => resolve(blob!), 'image/png'),
        )
        const big = new Uint8Array(size)
        for (let i = 0; i < size; i += 4096) big[i] = i & 0xff
        const transfer = new DataTransfer()
        transfer.items.add(new File([big], '入稿データ_最終版.pdf', { type: 'application/pdf' }))
        transfer.items.add(new File([png], '色見本.png', { type: 'image/png' }))
        const target = document.querySelector('#composer textarea')!
        target.dispatchEvent(
          new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: transfer }),
        )
        target.dispatchEvent(
          new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }),
        )
      }, FILE_SIZE)

      const rows = staff.locator('#composer .upload-item')
      await expect.poll(() => rows.count()).toBe(2)
      await expect.poll(() => staff.locator('#composer .upload-item progress').count()).toBe(2)
      await staff.locator('#composer .upload-item[data-state=done] >> nth=1').waitFor()
      await expect
        .poll(() => staff.locator('#composer button[type=submit]').isDisabled())
        .toBe(false)
      await staff.screenshot({ path: `${SHOTS}/attachments-composer.png` })
      const status = await staff
        .locator('#composer .upload-item >> nth=0 >> .upload-status')
        .textContent()
      expect(status).toContain('20 MB')

      await staff.fill('#composer textarea[name=body]', '入稿データと色見本をお送りします。')
      await staff.click('#composer button[type=submit]')
      const sent = staff.locator('#thread .message', {
        hasText: '入稿データと色見本をお送りします。',
      })
      await sent.waitFor()
      await sent.locator('.attachment', { hasText: '入稿データ_最終版.pdf' }).waitFor()
      expect(
        await sent.locator('.attachment', { hasText: '入稿データ_最終版.pdf' }).textContent(),
      ).toContain('20 MB · PDF')
      const thumb = sent.locator('.attachment-thumb img')
      await expect
        .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
        .toBe(120)
      // the composer came back empty
      await expect.poll(() => staff.locator('#composer .upload-item').count()).toBe(0)
      await staff.screenshot({ path: `${SHOTS}/attachments-thread-staff.png`, fullPage: true })

      // The customer opens the link, sees both files and downloads the big one.
      const board = await testApp.deps.db
        .selectFrom('boards')
        .selectAll()
        .where('id', '=', boardId)
        .executeTakeFirstOrThrow()
      const link = new URL(await guestUrl(testApp.deps.config, board)).pathname
      const guestContext = await browser.newContext({
        viewport: { width: 390, height: 844 },
        acceptDownloads: true,
      })
      const guest = await guestContext.newPage()
      guest.setDefaultTimeout(20_000)
      guest.on('pageerror', (error) => errors.push(error.message))
      await guest.goto(`${server.url}${link}`)
      const file = guest.locator('.guest-msg .attachment', { hasText: '入稿データ_最終版.pdf' })
      await file.waitFor()
      await expect
        .poll(() =>
          guest
            .locator('.guest-msg .attachment-thumb img')
            .evaluate((img: HTMLImageElement) => img.naturalWidth),
        )
        .toBe(120)
      await guest.screenshot({ path: `${SHOTS}/attachments-thread-guest.png`, fullPage: true })
      const [download] = await Promise.all([
        guest.waitForEvent('download'),
        file.locator('a.attachment-name').click(),
      ])
      expect(download.suggestedFilename()).toBe('入稿データ_最終版.pdf')
      const saved = join(downloads, 'file.pdf')
      await download.saveAs(saved)
      const bytes = readFileSync(saved)
      expect(bytes.byteLength).toBe(FILE_SIZE)
      expect(bytes[4096]).toBe(4096 & 0xff)

      // The customer replies with a photo picked through the file input.
      await guest.setInputFiles('#guest-composer input.upload-input', {
        name: '届いた見本.jpg',
        mimeType: 'image/jpeg',
        buffer: Buffer.from('not really a jpeg, but bytes all the same'),
      })
      await guest.locator('#guest-composer .upload-item[data-state=done]').waitFor()
      await guest.fill('#guest-composer textarea[name=body]', '見本の写真です')
      await guest.click('#guest-composer button[type=submit]')
      await guest
        .locator('.guest-msg', { hasText: '見本の写真です' })
        .locator('.attachment', { hasText: '届いた見本.jpg' })
        .waitFor()
      await staff
        .locator('#thread .message', { hasText: '見本の写真です' })
        .locator('.attachment', { hasText: '届いた見本.jpg' })
        .waitFor({ timeout: 10_000 })

      expect(errors).toEqual([])
      await guestContext.close()
      await staff.close()
    } finally {
      await server.close()
      rmSync(downloads, { recursive: true, force: true })
    }
  }, 90_000)
})
