// A notification nobody can say was sent, as members see it in Chromium: the warning in the
// board's email panel, what to do, and the button that sends it again.
import { describe, expect, it } from 'vitest'
import { UncertainMailError } from '../../src/deps'
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

describe('a notification that needs attention, in Chromium', () => {
  const chromium = useChromium()

  it.each([
    [390, 844],
    [1366, 900],
  ])('is shown on the board and can be sent again at %i px', async (width, height) => {
    const testApp = createTestApp({ clock: { now: () => new Date() } })
    let unsure = true
    const memory = testApp.mailer
    testApp.deps.mailer = {
      name: 'smtp',
      async send(mail) {
        if (unsure) {
          throw new UncertainMailError(
            'smtp: Connection closed unexpectedly — the connection was lost after the whole message was sent; the server may have accepted it',
          )
        }
        return memory.send(mail)
      },
    }
    const owner = await createTestWorkspace(testApp, { slug: 'attention' })
    const server = await startTestServer(testApp)
    try {
      const { page, errors } = await openStaffPage(chromium.browser, { width, height })
      await logInThroughForm(page, server.url, { ...owner, slug: 'attention' })
      await page.goto(`${server.url}/w/attention/boards/new`)
      await page.fill('input[name=name]', '名刺 100枚')
      await page.fill('input[name=customer_name]', '山田 太郎')
      await page.fill('input[name=customer_email]', 'yamada@example.jp')
      await page.click('main button[type=submit]')
      await page.waitForURL(/\/boards\/[0-9a-f-]{36}$/)
      await page.fill('#composer textarea[name=body]', '校正データをお送りします。ご確認ください。')
      await page.click('#composer button[type=submit]')
      await expect
        .poll(() => testApp.deps.db.selectFrom('outbox').select('status').execute())
        .toEqual([{ status: 'failed' }])
      await testApp.drain()

      await page.reload()
      const panel = page.locator('#notification-problems')
      await expect
        .poll(() => panel.textContent(), { timeout: 10_000 })
        .toContain('要確認：送信されたかどうか分かりません')
      expect(await panel.textContent()).toContain('要確認（送信されたか不明）')
      await panel.scrollIntoViewIfNeeded()
      await page.screenshot({ path: `${SHOTS}/mail-attention-${width}.png`, fullPage: true })
      expect(await horizontalOverflow(page)).toBe(0)
      expect(await axeViolations(page)).toEqual([])

      unsure = false
      await panel.getByRole('button', { name: 'もう一度送る' }).click()
      await expect
        .poll(() => page.locator('#notification-problems').textContent(), { timeout: 10_000 })
        .toContain('再送を予約しました。')
      await testApp.drain()
      expect(memory.sent.map((mail) => mail.idempotencyKey)).toEqual([
        expect.stringMatching(/^notify\/[^/]+\/guest\/resend-1$/),
      ])
      expect(errors).toEqual([])
    } finally {
      await server.close()
    }
  })
})
