import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBoardOrFail } from '../../src/boards/boards.usecases'
import { postStaffMessage } from '../../src/messages/messages.usecases'
import { createTestApp, createTestWorkspace } from '../helpers/app'
import { launchBrowser, logInThroughForm, openStaffPage, startTestServer } from '../helpers/browser'

describe('a board opens where the member left off (Chromium)', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const size of [
    { width: 390, height: 844 },
    { width: 1366, height: 900 },
  ]) {
    it(`at ${size.width} px: newest message on screen, ここから未読 above the first unread, Ctrl+Enter sends, the draft survives a reload`, async () => {
      const testApp = createTestApp({ clock: { now: () => new Date() } })
      const owner = await createTestWorkspace(testApp, { slug: 'reading' })
      const server = await startTestServer(testApp)
      const board = await createBoardOrFail({
        deps: testApp.deps,
        workspace: owner.workspace,
        createdBy: owner.ownerId,
        input: {
          name: '会社案内 24ページ',
          customer_name: '森 様',
          customer_email: 'mori@example.jp',
        },
      })
      const colleague = { kind: 'member' as const, memberId: null, name: '同僚 田中' }
      const post = (body: string) =>
        postStaffMessage({
          deps: testApp.deps,
          workspace: owner.workspace,
          author: colleague,
          boardId: board.id,
          input: { body, internal: false, silent: true },
        })
      for (let i = 1; i <= 12; i += 1) await post(`既読のメッセージ ${i}\n二行目\n三行目`)
      try {
        const { page, errors } = await openStaffPage(browser, size)
        await logInThroughForm(page, server.url, { ...owner, slug: 'reading' })
        const boardUrl = `${server.url}/w/reading/boards/${board.id}`
        // Never opened: all of it is unread. Opened once: read up to No.12, no line.
        await page.goto(boardUrl)
        expect(
          await page
            .locator('#thread .unread-marker')
            .evaluate((line) => line.nextElementSibling?.getAttribute('data-no')),
        ).toBe('1')
        await page.goto(boardUrl)
        expect(await page.locator('.unread-marker').count()).toBe(0)
        await post('新しいメッセージ A')
        await post('新しいメッセージ B（最新）')

        await page.goto(boardUrl)
        const marker = page.locator('#thread .unread-marker')
        await expect.poll(() => marker.textContent()).toBe('ここから未読')
        // The line sits right above No.13, and the newest message is on screen.
        expect(
          await marker.evaluate((line) => line.nextElementSibling?.getAttribute('data-no')),
        ).toBe('13')
        const newest = page.locator('#thread .message', { hasText: '最新' })
        await expect
          .poll(() =>
            newest.evaluate((message) => {
              const box = message.getBoundingClientRect()
              return box.top >= 0 && box.bottom <= window.innerHeight
            }),
          )
          .toBe(true)

        // Ctrl+Enter sends.
        const body = page.locator('#composer textarea[name=body]')
        await body.click()
        await body.fill('キーボードで送ります')
        await body.press('Control+Enter')
        await page.locator('#thread .message', { hasText: 'キーボードで送ります' }).waitFor()
        await expect.poll(() => body.inputValue()).toBe('')

        // A draft survives a reload; leaving with it asks first.
        await body.click()
        await body.fill('書きかけの返信です')
        const dialogs: string[] = []
        page.on('dialog', (dialog) => {
          dialogs.push(dialog.type())
          void dialog.accept()
        })
        await page.reload()
        expect(dialogs).toEqual(['beforeunload'])
        await expect.poll(() => body.inputValue()).toBe('書きかけの返信です')
        // Sent, the draft is gone for good.
        await page.click('#composer button[type=submit]')
        await page.locator('#thread .message', { hasText: '書きかけの返信です' }).waitFor()
        await page.reload()
        expect(await body.inputValue()).toBe('')
        expect(dialogs).toEqual(['beforeunload'])
        expect(errors).toEqual([])
      } finally {
        await server.close()
      }
    }, 180_000)
  }
})
