import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBoardOrFail } from '../../src/boards/boards.usecases'
import { createTestApp, createTestWorkspace } from '../helpers/app'
import {
  axeViolations,
  launchBrowser,
  logInThroughForm,
  openStaffPage,
  startTestServer,
} from '../helpers/browser'

describe('the composer in 社内メモ mode (Chromium)', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const locale of ['ja', 'en'] as const) {
    it(`${locale}: turns the note colour, says what it saves, and never mentions the customer`, async () => {
      const testApp = createTestApp({ clock: { now: () => new Date() } })
      const owner = await createTestWorkspace(testApp, { slug: 'notes', locale })
      await testApp.deps.db.updateTable('members').set({ locale }).execute()
      const server = await startTestServer(testApp)
      const board = await createBoardOrFail({
        deps: testApp.deps,
        workspace: owner.workspace,
        createdBy: owner.ownerId,
        input: { name: '封筒 500枚', customer_name: '岡田 様', customer_email: 'okada@example.jp' },
      })
      try {
        const { page, errors } = await openStaffPage(browser, { width: 390, height: 844 })
        await logInThroughForm(page, server.url, { ...owner, slug: 'notes' })
        await page.goto(`${server.url}/w/notes/boards/${board.id}`)
        const composer = page.locator('#composer')
        const textarea = composer.locator('textarea[name=body]')
        const colour = () => composer.evaluate((form) => getComputedStyle(form).backgroundColor)
        const publicColour = await colour()
        await textarea.click()
        await composer.locator('input[name=internal]').check()

        await expect.poll(colour).not.toBe(publicColour)
        expect(await colour()).toBe('rgb(255, 248, 230)') // --internal, the notes' colour
        const save = locale === 'ja' ? '社内メモを保存' : 'Save internal note'
        expect((await composer.locator('button[type=submit]').innerText()).trim()).toBe(save)
        const customerWord = locale === 'ja' ? 'お客様' : /customer/i
        expect(await textarea.getAttribute('placeholder')).not.toMatch(customerWord)
        expect(await composer.innerText()).not.toMatch(customerWord)
        expect(await axeViolations(page)).toEqual([])

        await textarea.fill('仕入れ先に紙の在庫を確認中')
        await composer.locator('button[type=submit]').click()
        await page.locator('#thread .message.internal', { hasText: '仕入れ先に紙の在庫' }).waitFor()
        // Back to a message for the customer.
        await expect.poll(colour).toBe(publicColour)
        const send = locale === 'ja' ? '送信' : 'Send'
        expect((await page.locator('#composer button[type=submit]').innerText()).trim()).toBe(send)
        const message = await testApp.deps.db
          .selectFrom('messages')
          .select(['internal', 'no'])
          .where('board_id', '=', board.id)
          .executeTakeFirstOrThrow()
        expect(message).toEqual({ internal: 1, no: null })
        expect(errors).toEqual([])
      } finally {
        await server.close()
      }
    }, 180_000)
  }
})
