import { describe, expect, it } from 'vitest'
import { createTestApp, createTestWorkspace } from '../helpers/app'
import {
  logInThroughForm,
  openStaffPage,
  SHOTS,
  startTestServer,
  useChromium,
} from '../helpers/browser'
import { writtenDate } from '../../src/shared/time'

describe('staff in Chromium', () => {
  const chromium = useChromium()

  it('logs in, creates a board, sends a template, decides, and sees a colleague’s post without reloading', async () => {
    const testApp = createTestApp({ clock: { now: () => new Date() } })
    const owner = await createTestWorkspace(testApp, { slug: 'sakura' })
    const server = await startTestServer(testApp)
    try {
      const { page, errors } = await openStaffPage(chromium.browser)
      await logInThroughForm(page, server.url, { ...owner, slug: 'sakura' })

      await page.click('a[href="/w/sakura/boards/new"]')
      await page.fill('input[name=name]', '名刺 100枚（両面カラー）')
      await page.fill('input[name=customer_name]', '山田 花子')
      await page.fill('input[name=customer_email]', 'hanako@example.jp')
      await page.click('button.primary[type=submit]')
      await page.waitForURL(/\/w\/sakura\/boards\/[\w-]+$/)
      const boardUrl = page.url()

      // A template with {{next_contact_date}} can't be used until the board has the date: it is
      // shown disabled with the reason, and set in the side panel it is one click away.
      const order = page.locator('button.template:has-text("ご注文受付")')
      const body = page.locator('#composer textarea[name=body]')
      await body.focus()
      expect(await order.isDisabled()).toBe(true)
      expect(await page.locator('.template-unavailable', { has: order }).textContent()).toContain(
        '次回連絡予定日が未設定のため使えません',
      )
      const nextContact = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10)
      const written = writtenDate(nextContact, {
        locale: 'ja',
        timeZone: 'Asia/Tokyo',
        now: Date.now(),
      })
      await page.fill('#board-panel input[name=next_contact_on]', nextContact)
      await page.click('#board-panel button[type=submit]')
      await page.locator('#board-panel .saved').waitFor()
      await expect.poll(() => order.isDisabled()).toBe(false)
      await order.click()
      await expect.poll(() => body.inputValue()).toContain('山田 花子 様')
      await expect.poll(() => body.inputValue()).toContain(`${written}までにデザイン案をご提示`)
      await page.click('#composer button[type=submit]')
      await page.locator('#thread .message', { hasText: written }).waitFor()
      // 送信 answers in the composer
      await expect
        .poll(() => page.locator('#composer .send-result').textContent())
        .toContain('メッセージを送信しました')
      await expect
        .poll(() => page.locator('#board-panel select[name=status]').inputValue())
        .toBe('waiting')

      // A colleague posts; the page shows it within a few seconds, no reload.
      const boardId = boardUrl.split('/').pop()!
      const { postStaffMessage } = await import('../../src/messages/messages.usecases')
      await postStaffMessage({
        deps: testApp.deps,
        workspace: owner.workspace,
        author: { kind: 'member', memberId: null, name: '同僚 田中' },
        boardId,
        input: { body: '校正データを添付しました。', internal: false, silent: true },
      })
      await page
        .locator('#thread .message', { hasText: '校正データを添付しました。' })
        .waitFor({ timeout: 8000 })

      // Decide on No.2: the composer fills with the decision template and the number.
      await page.click('#m-2 button.decide')
      await expect.poll(() => body.inputValue()).toContain('No.2 の内容で確定いたしました')
      await page.click('#composer button[type=submit]')
      await page.locator('#thread .message.decided').waitFor()
      await expect
        .poll(() => page.locator('#board-panel select[name=status]').inputValue())
        .toBe('done')
      await expect.poll(() => page.locator('#board-status').textContent()).toBe('完了')
      await expect
        .poll(() => page.locator('#board-panel .decision-record').textContent())
        .toContain('校正データを添付しました。')

      // Side panel edits in place.
      await page.fill('#board-panel input[name=next_contact_on]', '2026-12-24')
      await page.click('#board-panel button[type=submit]')
      await page.locator('#board-panel .saved').waitFor()
      await page.screenshot({ path: `${SHOTS}/staff-board.png`, fullPage: true })

      await page.goto(`${server.url}/w/sakura/boards`)
      await expect.poll(() => page.locator('table.boards').textContent()).toContain('名刺 100枚')
      await page.screenshot({ path: `${SHOTS}/staff-list.png`, fullPage: true })

      const board = await testApp.deps.db
        .selectFrom('boards')
        .selectAll()
        .where('id', '=', boardId)
        .executeTakeFirstOrThrow()
      expect(board).toMatchObject({ status: 'done', decision_no: 2, next_contact_on: '2026-12-24' })
      expect(errors).toEqual([])
    } finally {
      await server.close()
    }
  }, 90_000)
})
