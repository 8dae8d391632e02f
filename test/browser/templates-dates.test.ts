import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createBoardOrFail } from '../../src/boards/boards.usecases'
import { createTestApp, createTestWorkspace } from '../helpers/app'
import {
  axeViolations,
  horizontalOverflow,
  logInThroughForm,
  openStaffPage,
  SHOTS,
  startTestServer,
  useChromium,
} from '../helpers/browser'

// Issue 15, points 6 and 7 in Chromium at a phone's and a laptop's width: the template editor's
// variable chips and live preview, a template the board can't fill shown disabled with the
// reason, 送信's answer, and the composer's warning for 「12月5日(金)」 when 12月5日 is a Saturday.
// The test clock: Tue 2026-11-24 10:00 in Tokyo.

/** `caret: 'initial'`: hiding the caret leaves style="" on inputs, which htmx copies (CSP). */
async function shot(page: Page, name: string) {
  // from the top, so the sticky header is drawn where it belongs in a full-page picture
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true, caret: 'initial' })
}

describe('templates and dates in Chromium', () => {
  const chromium = useChromium()

  for (const [width, height] of [
    [390, 844],
    [1366, 900],
  ] as const) {
    it(`${width}px: chips insert at the cursor, the preview follows, the composer warns`, async () => {
      const testApp = createTestApp()
      const slug = `tpl${width}`
      const owner = await createTestWorkspace(testApp, { slug })
      const board = await createBoardOrFail({
        deps: testApp.deps,
        workspace: owner.workspace,
        createdBy: owner.ownerId,
        input: {
          name: '名刺 100枚',
          customer_name: '山田 太郎',
          customer_email: 'yamada@example.jp',
        },
      })
      const server = await startTestServer(testApp)
      try {
        const { page, errors } = await openStaffPage(chromium.browser, { width, height })
        await logInThroughForm(page, server.url, { ...owner, slug })

        // ---- 設定 → 定型文: a new template, written with the chips ----
        await page.goto(`${server.url}/w/${slug}/templates`)
        const add = page.locator('details.add-template').first()
        await add.locator('summary').click()
        const body = add.locator('textarea[name=body]')
        await body.fill('いつもありがとうございます。')
        // the cursor at the very start, then お客様名 goes there
        await body.evaluate((area: HTMLTextAreaElement) => area.setSelectionRange(0, 0))
        await add.locator('button.variable-chip', { hasText: 'お客様名' }).click()
        await page.keyboard.type(' 様\n')
        await body.press('End')
        await page.keyboard.type('\n')
        await add.locator('button.variable-chip', { hasText: '次回連絡予定日' }).click()
        await page.keyboard.type('までにご連絡いたします。')
        expect(await body.inputValue()).toBe(
          '{{customer_name}} 様\nいつもありがとうございます。\n{{next_contact_date}}までにご連絡いたします。',
        )
        const preview = add.locator('.template-preview-text')
        await expect
          .poll(() => preview.textContent())
          .toBe('山田 花子 様\nいつもありがとうございます。\n11月26日(木)までにご連絡いたします。')
        // a variable that does not exist is named under the preview
        await page.keyboard.type('{{delivery}}')
        await expect
          .poll(() => add.locator('.template-preview .warning').textContent())
          .toContain('{{delivery}} は差し込めない項目です')
        await page.keyboard.press('Backspace')
        for (let i = 0; i < '{{delivery}'.length; i++) await page.keyboard.press('Backspace')
        await expect.poll(() => add.locator('.template-preview .warning').count()).toBe(0)
        await add.locator('input[name=label]').fill('ご連絡のお約束')
        await add.scrollIntoViewIfNeeded()
        await shot(page, `templates-editor-${width}`)
        expect(await horizontalOverflow(page)).toBe(0)
        expect(await axeViolations(page)).toEqual([])
        await add.locator('button[type=submit]').click()
        await page.waitForURL(`**/w/${slug}/templates`)
        await page.locator('details.template-item summary', { hasText: 'ご連絡のお約束' }).waitFor()

        // ---- The board: what the templates can't fill, and the dates the text contradicts ----
        await page.goto(`${server.url}/w/${slug}/boards/${board.id}`)
        const composer = page.locator('#composer')
        const textarea = composer.locator('textarea[name=body]')
        await textarea.click()
        const promise = composer.locator('button.template', { hasText: 'ご連絡のお約束' })
        expect(await promise.isDisabled()).toBe(true)
        const why = composer.locator('.template-unavailable', {
          has: page.locator('button.template', { hasText: 'ご連絡のお約束' }),
        })
        expect(await why.textContent()).toContain('次回連絡予定日が未設定のため使えません')
        expect(await why.locator('.template-why').isVisible()).toBe(true)

        await page.keyboard.type('山田様\n再校正デザインは12月5日(金)にご提示いたします。', {
          delay: 5,
        })
        const warnings = page.locator('#next-contact .nc-warnings')
        await expect
          .poll(() => warnings.textContent())
          .toContain('「12月5日(金)」: 12月5日は土曜日です。')
        // Saturday is not a business day in the default hours: the promise is on a closed day
        expect(await warnings.textContent()).toContain('「12月5日(金)」: 12月5日は休業日です。')
        await composer.scrollIntoViewIfNeeded()
        await shot(page, `composer-weekday-warning-${width}`)
        expect(await horizontalOverflow(page)).toBe(0)
        expect(await axeViolations(page)).toEqual([])

        // Corrected, the warning goes; sent, the composer says so.
        await textarea.fill('山田様\n再校正デザインは12月4日(金)にご提示いたします。')
        await expect.poll(() => page.locator('#next-contact .nc-warnings').count()).toBe(0)
        await composer.locator('button[type=submit]').click()
        await page.locator('#thread .message', { hasText: '12月4日(金)にご提示' }).waitFor()
        await expect
          .poll(() => page.locator('#composer .send-result').textContent())
          .toBe('✓ メッセージを送信しました。')
        // The board has a next contact date now: the template is one click away, the date
        // written the Japanese way.
        await page.locator('#composer textarea[name=body]').click()
        await page.locator('#composer button.template', { hasText: 'ご連絡のお約束' }).click()
        await expect
          .poll(() => page.locator('#composer textarea[name=body]').inputValue())
          .toContain('12月4日(金)までにご連絡いたします。')

        // A send the server never answers says so, and keeps the text.
        await page.route('**/messages', (route) => route.abort('connectionrefused'))
        await page.locator('#composer button[type=submit]').click()
        const failed = page.locator('#composer .send-result.is-error')
        await expect
          .poll(() => failed.textContent())
          .toContain('送信できませんでした。サーバーにつながりません。')
        expect(await page.locator('#composer textarea[name=body]').inputValue()).toContain(
          '12月4日(金)までに',
        )
        await page.unrouteAll({ behavior: 'ignoreErrors' })
        await page.locator('#composer').scrollIntoViewIfNeeded()
        await shot(page, `composer-send-failed-${width}`)
        expect(await axeViolations(page)).toEqual([])
        // The aborted request (and htmx saying so) are the only console errors.
        expect(
          errors.filter(
            (error) =>
              !/ERR_CONNECTION_REFUSED|Failed to load|htmx:(sendError|afterRequest)/.test(error),
          ),
        ).toEqual([])
      } finally {
        await server.close()
      }
    }, 180_000)
  }

  it('English: the warning and the written dates in the member’s language', async () => {
    const testApp = createTestApp()
    const owner = await createTestWorkspace(testApp, {
      slug: 'sakura-en',
      locale: 'en',
      name: 'Sakura Print',
    })
    const board = await createBoardOrFail({
      deps: testApp.deps,
      workspace: owner.workspace,
      createdBy: owner.ownerId,
      input: {
        name: 'Business cards',
        customer_name: 'Ann Lee',
        customer_email: 'ann@example.com',
      },
    })
    const server = await startTestServer(testApp)
    try {
      const { page, errors } = await openStaffPage(chromium.browser, { width: 1366, height: 900 })
      await logInThroughForm(page, server.url, { ...owner, slug: 'sakura-en' })
      await page.goto(`${server.url}/w/sakura-en/boards/${board.id}`)
      await page.locator('#composer textarea[name=body]').click()
      await page.keyboard.type('Dear Ann, we will send the second proof on Friday, December 5.', {
        delay: 2,
      })
      await expect
        .poll(() => page.locator('#next-contact .nc-warnings').textContent())
        .toContain('"Friday, December 5": Dec 5 is a Saturday.')
      await page.locator('#composer').scrollIntoViewIfNeeded()
      await shot(page, 'composer-weekday-warning-en-1366')
      expect(await axeViolations(page)).toEqual([])

      await page.goto(`${server.url}/w/sakura-en/templates`)
      const first = page.locator('details.template-item').first()
      await first.locator('summary').click()
      await expect
        .poll(() => first.locator('.template-preview-text').textContent())
        .toContain('We will send you a first design by Thu, Nov 26.')
      await shot(page, 'templates-editor-en-1366')
      expect(await axeViolations(page)).toEqual([])
      expect(errors).toEqual([])
    } finally {
      await server.close()
    }
  }, 120_000)
})
