import { describe, expect, it } from 'vitest'
import { createDevMailbox } from '../../src/notifications/transports/dev-mailbox'
import { openSqlite } from '../../src/platform/node/sqlite'
import { createTestApp, createTestWorkspace } from '../helpers/app'
import { logInThroughForm, SHOTS, startTestServer, useChromium } from '../helpers/browser'

interface DevMail {
  to: string
  subject: string
  text: string
}

describe('member and customer side by side in Chromium', () => {
  const chromium = useChromium()

  it('a member posts, the customer opens the emailed link on a phone and replies, the list lights up', async () => {
    const database = openSqlite(':memory:')
    const clock = { now: () => new Date() }
    const testApp = createTestApp({
      db: database.db,
      batch: database.batch,
      clock,
      mailer: createDevMailbox(database.db, clock),
    })
    const owner = await createTestWorkspace(testApp, { slug: 'sakura', name: 'さくら印刷' })
    const server = await startTestServer(testApp)
    const staffContext = await chromium.browser.newContext({
      viewport: { width: 1280, height: 860 },
    })
    const phoneContext = await chromium.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    })
    try {
      const staff = await staffContext.newPage()
      staff.setDefaultTimeout(10_000)
      await logInThroughForm(staff, server.url, { ...owner, slug: 'sakura' })
      await staff.goto(`${server.url}/w/sakura/boards/new`)
      await staff.fill('input[name=name]', 'イベントTシャツ 30着')
      await staff.fill('input[name=customer_name]', '鈴木 一郎')
      await staff.fill('input[name=customer_email]', 'ichiro@example.jp')
      await staff.click('button.primary[type=submit]')
      await staff.waitForURL(/\/boards\/[\w-]+$/)
      await staff.fill(
        '#composer textarea[name=body]',
        '鈴木 一郎 様\n\nデザイン案をお送りします。ご確認のうえ、ご返信ください。',
      )
      await staff.click('#composer button[type=submit]')
      await staff.locator('#thread .message', { hasText: 'デザイン案をお送りします' }).waitFor()

      // The notification goes out through the outbox to the dev mailbox.
      let mail: DevMail | undefined
      await expect
        .poll(
          async () => {
            await testApp.drain()
            const mails = (await (await fetch(`${server.url}/_dev/mail.json`)).json()) as DevMail[]
            mail = mails.find((m) => m.to === 'ichiro@example.jp')
            return Boolean(mail)
          },
          { timeout: 10_000 },
        )
        .toBe(true)
      expect(mail!.subject).toBe('チャットボード通知【さくら印刷】')
      const link = /https?:\/\/\S+\/g\/[\w-]+\/[\w-]+/.exec(mail!.text)?.[0]
      expect(link).toBeTruthy()

      // The customer opens the link on a phone: the secret leaves the URL, the message is there.
      const phone = await phoneContext.newPage()
      phone.setDefaultTimeout(10_000)
      await phone.goto(link!.replace(/^https?:\/\/[^/]+/, server.url))
      await phone.waitForURL(/\/g\/[\w-]+$/)
      expect(phone.url()).not.toContain(link!.split('/').pop()!)
      await phone.getByText('デザイン案をお送りします').waitFor()
      await phone.screenshot({ path: `${SHOTS}/customer-phone.png`, fullPage: true })
      await phone.fill(
        'textarea[name=body]',
        'ありがとうございます！胸のロゴをもう少し大きくできますか？',
      )
      // the reply form's own button (「解決しました」 below it is a form of its own)
      await phone.getByRole('button', { name: '送信する' }).click()
      await phone.getByText('胸のロゴをもう少し大きく').waitFor()
      await phone.screenshot({ path: `${SHOTS}/customer-phone-replied.png`, fullPage: true })

      // The member sees the reply live and, on the list, the blue and orange markers.
      await staff
        .locator('#thread .message', { hasText: '胸のロゴをもう少し大きく' })
        .waitFor({ timeout: 8000 })
      await expect.poll(() => staff.locator('#board-status').textContent()).toBe('要対応')
      await expect.poll(() => staff.locator('.read-receipt').count()).toBeGreaterThan(0)
      const boardId = staff.url().split('/').pop()!
      await testApp.deps.db.deleteFrom('board_reads').where('board_id', '=', boardId).execute()
      await staff.goto(`${server.url}/w/sakura/boards`)
      const row = staff.locator(`tr[data-board-id="${boardId}"]`)
      await row.locator('.marker.mail.on').waitFor()
      await row.locator('.marker.bubble').waitFor()
      await staff.screenshot({ path: `${SHOTS}/staff-list-markers.png` })

      // Every member with notifications on got the customer's post by email.
      await testApp.drain()
      const mails = (await (await fetch(`${server.url}/_dev/mail.json`)).json()) as DevMail[]
      expect(mails.some((m) => m.to === owner.email && m.text.includes('胸のロゴ'))).toBe(true)
    } finally {
      await staffContext.close()
      await phoneContext.close()
      await server.close()
    }
  }, 90_000)
})
