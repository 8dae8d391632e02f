import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createTestApp, createTestWorkspace } from '../helpers/app'
import {
  logInThroughForm,
  openStaffPage,
  SHOTS,
  startTestServer,
  useChromium,
} from '../helpers/browser'
import { linkPath } from '../routes/guest.helpers'

/**
 * A screenshot of one element. `caret: 'initial'`: hiding the caret leaves `style=""` on every
 * input, which htmx then copies onto swapped-in inputs, a CSP violation the page never causes.
 */
async function shotOf(page: Page, selector: string, options: { path: string }) {
  await page.locator(selector).screenshot({ path: options.path, caret: 'initial' })
}

describe('next contact date in Chromium', () => {
  const chromium = useChromium()

  it('previews the date while typing, lets the member change and clear it, and sets it on send', async () => {
    // The test clock: Tue 2026-11-24 10:00 in Tokyo.
    const testApp = createTestApp()
    const owner = await createTestWorkspace(testApp, { slug: 'hanamaru' })
    const server = await startTestServer(testApp)
    try {
      const { page, errors } = await openStaffPage(chromium.browser)
      await logInThroughForm(page, server.url, { ...owner, slug: 'hanamaru' })
      await page.click('a[href="/w/hanamaru/boards/new"]')
      await page.fill('input[name=name]', 'ポスター B2 50枚')
      await page.fill('input[name=customer_name]', '田中 一郎')
      await page.fill('input[name=customer_email]', 'ichiro@example.jp')
      await page.click('button.primary[type=submit]')
      await page.waitForURL(/\/w\/hanamaru\/boards\/[\w-]+$/)
      const boardId = page.url().split('/').pop()!

      const box = page.locator('#next-contact')
      await expect.poll(() => box.textContent()).toContain('文面に日付')

      // Typing: the preview follows after a pause.
      const body = page.locator('#composer textarea[name=body]')
      await body.click()
      await page.keyboard.type('田中様\n再校正デザインは12月7日(月)15時にご提示いたします。', {
        delay: 5,
      })
      await expect
        .poll(() => box.locator('mark.contact-phrase').textContent())
        .toBe('12月7日(月)15時')
      await expect.poll(() => box.textContent()).toContain('2026/12/07(月) 15:00')
      expect(await box.locator('input[name=next_contact_on]').inputValue()).toBe('2026-12-07')
      expect(await box.locator('input[name=next_contact_time]').inputValue()).toBe('15:00')
      await shotOf(page, '#composer', { path: `${SHOTS}/next-contact-preview.png` })

      // Clear, then undo.
      await box.locator('button.nc-none').click()
      await expect
        .poll(() => box.textContent())
        .toContain('この送信では次回連絡予定日を設定しません')
      await shotOf(page, '#composer', { path: `${SHOTS}/next-contact-cleared.png` })
      await box.locator('button.nc-auto').click()
      await expect.poll(() => box.locator('mark.contact-phrase').count()).toBe(1)

      // Change the date by hand: the box switches to the member's own date and keeps it while typing.
      // A preview swap still in flight may replace the box: fill again until the mode switches.
      await expect
        .poll(async () => {
          await box.locator('input[name=next_contact_on]').fill('2026-12-08')
          return box.getAttribute('class')
        })
        .toContain('nc-mode-manual')
      await body.press('End')
      await page.keyboard.type('よろしくお願いいたします。', { delay: 5 })
      await page.waitForTimeout(700)
      expect(await box.locator('input[name=next_contact_on]').inputValue()).toBe('2026-12-08')
      await shotOf(page, '#composer', { path: `${SHOTS}/next-contact-manual.png` })

      // Back to the text's date, then send.
      await box.locator('button.nc-auto').click()
      await expect
        .poll(() => box.locator('mark.contact-phrase').textContent())
        .toBe('12月7日(月)15時')
      await page.click('#composer button[type=submit]')
      await page
        .locator('#thread .message mark.contact-phrase', { hasText: '12月7日(月)15時' })
        .waitFor()
      await expect
        .poll(() => page.locator('#board-panel input[name=next_contact_on]').inputValue())
        .toBe('2026-12-07')
      expect(await page.locator('#board-panel input[name=next_contact_time]').inputValue()).toBe(
        '15:00',
      )
      // The fresh composer starts over.
      await expect
        .poll(() => page.locator('#next-contact').textContent())
        .toContain('現在の次回連絡予定日')
      await page.screenshot({
        path: `${SHOTS}/next-contact-sent.png`,
        fullPage: true,
        caret: 'initial',
      })

      const board = await testApp.deps.db
        .selectFrom('boards')
        .selectAll()
        .where('id', '=', boardId)
        .executeTakeFirstOrThrow()
      expect(board).toMatchObject({ next_contact_on: '2026-12-07', next_contact_time: '15:00' })

      // The list shows the date; the customer sees the message without the highlight.
      await page.goto(`${server.url}/w/hanamaru/boards?sort=next_contact`)
      await expect
        .poll(() => page.locator('.col-contact').first().textContent())
        .toContain('2026/12/07(月) 15:00')

      const guest = await chromium.browser.newPage({ viewport: { width: 390, height: 844 } })
      await guest.goto(`${server.url}${await linkPath(testApp, boardId)}`)
      await guest.locator('text=再校正デザインは12月7日(月)15時にご提示いたします。').waitFor()
      expect(await guest.locator('mark').count()).toBe(0)
      await guest.screenshot({
        path: `${SHOTS}/next-contact-guest.png`,
        fullPage: true,
        caret: 'initial',
      })
      await guest.close()

      // A template filled with the board date is read again by the preview.
      await page.goto(`${server.url}/w/hanamaru/boards/${boardId}`)
      await page.click('button.template:has-text("ご注文受付")')
      // filled the way a person writes the date, and read back as the same day
      await expect
        .poll(() => page.locator('#next-contact mark.contact-phrase').textContent())
        .toBe('12月7日(月)')

      // Settings: closed days and the digest time (admins), the member's digest switch.
      await page.goto(`${server.url}/w/hanamaru/settings`)
      await page.fill(
        'textarea[name=closed_days]',
        '2026-12-29〜2027-01-03\n2026-08-13〜2026-08-16',
      )
      await page.fill('input[name=digest_time]', '07:45')
      await page.click('form[action="/w/hanamaru/settings"] button[type=submit]')
      await page.waitForURL('**/settings?saved=1')
      expect(await page.locator('textarea[name=closed_days]').inputValue()).toBe(
        '2026-08-13〜2026-08-16\n2026-12-29〜2027-01-03',
      )
      await page.locator('#daily-digest').scrollIntoViewIfNeeded()
      await page.screenshot({
        path: `${SHOTS}/next-contact-settings.png`,
        fullPage: true,
        caret: 'initial',
      })

      // The morning digest, as the member's mail client would show it.
      await testApp.deps.db
        .updateTable('boards')
        .set({ next_contact_on: '2026-11-24' })
        .where('id', '=', boardId)
        .execute()
      const { queueDailyDigests } = await import('../../src/next-contact/digest')
      const { drainOutbox } = await import('../../src/notifications/outbox')
      const { outboxHandlers } = await import('../../src/notifications/outbox.handlers')
      expect(
        (
          await queueDailyDigests({
            deps: testApp.deps,
            now: new Date('2026-11-24T08:00:00+09:00'),
          })
        ).queued,
      ).toBe(1)
      await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
      const digest = testApp.mailer.sent.find((mail) => mail.idempotencyKey.startsWith('digest/'))!
      const mailPage = await chromium.browser.newPage({ viewport: { width: 640, height: 800 } })
      await mailPage.setContent(digest.html)
      await mailPage.screenshot({ path: `${SHOTS}/next-contact-digest-email.png`, fullPage: true })
      await mailPage.close()

      expect(errors).toEqual([])
      await page.close()
    } finally {
      await server.close()
    }
  }, 60_000)

  it('moves the date when a member edits the promise, side panel included', async () => {
    // Issue #22.5: the test clock is Tue 2026-11-24 10:00 in Tokyo.
    const testApp = createTestApp()
    const owner = await createTestWorkspace(testApp, { slug: 'hanamaru' })
    const server = await startTestServer(testApp)
    try {
      for (const width of [1366, 390]) {
        const { page, errors } = await openStaffPage(chromium.browser, { width, height: 900 })
        await logInThroughForm(page, server.url, { ...owner, slug: 'hanamaru' })
        await page.click('a[href="/w/hanamaru/boards/new"]')
        await page.fill('input[name=name]', `名刺 ${width}`)
        await page.fill('input[name=customer_name]', '田中 一郎')
        await page.fill('input[name=customer_email]', 'ichiro@example.jp')
        await page.click('button.primary[type=submit]')
        await page.waitForURL(/\/w\/hanamaru\/boards\/[\w-]+$/)

        await page.fill('#composer textarea[name=body]', '明日ご連絡いたします。')
        await page.locator('#next-contact mark.contact-phrase', { hasText: '明日' }).waitFor()
        await page.click('#composer button[type=submit]')
        await page.locator('#thread .message mark.contact-phrase', { hasText: '明日' }).waitFor()
        await expect
          .poll(() => page.locator('#board-panel input[name=next_contact_on]').inputValue())
          .toBe('2026-11-25')

        await page.locator('#thread .message .edit-button').first().click()
        const editor = page.locator('#thread .edit-form textarea[name=body]')
        await editor.fill('今晩8時ごろお電話いたします。')
        await page.locator('#thread .edit-form button[type=submit]').click()
        await page.locator('#thread .message mark.contact-phrase', { hasText: '今晩8時' }).waitFor()
        await expect
          .poll(() => page.locator('#board-panel input[name=next_contact_on]').inputValue())
          .toBe('2026-11-24')
        expect(await page.locator('#board-panel input[name=next_contact_time]').inputValue()).toBe(
          '20:00',
        )
        await page.screenshot({
          path: `${SHOTS}/next-contact-edited-${width}.png`,
          fullPage: true,
          caret: 'initial',
        })
        expect(errors).toEqual([])
        await page.close()
      }
    } finally {
      await server.close()
    }
  }, 90_000)
})
