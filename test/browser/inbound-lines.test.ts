// Inbound mail that did not become a post, as members see it: the system lines in the board's
// side panel (an out-of-office answer, a mail that could not be read, with its download).
import { describe, expect, it } from 'vitest'
import { createTestWorkspace } from '../helpers/app'
import {
  axeViolations,
  horizontalOverflow,
  logInThroughForm,
  openStaffPage,
  SHOTS,
  startTestServer,
  useChromium,
} from '../helpers/browser'
import { createInboundApp, postRaw, rawEmail } from '../routes/inbound.helpers'
import { replyAddress } from '../../src/inbound/inbound.address'

describe('inbound system lines on the board page in Chromium', () => {
  const chromium = useChromium()

  it.each([
    [390, 844],
    [1366, 900],
  ])(
    'shows the auto-reply and the unreadable mail with its download at %i px',
    async (width, height) => {
      const testApp = createInboundApp()
      const owner = await createTestWorkspace(testApp, { slug: 'mailshop' })
      const server = await startTestServer(testApp)
      try {
        const { page, errors } = await openStaffPage(chromium.browser, { width, height })
        await logInThroughForm(page, server.url, { ...owner, slug: 'mailshop' })
        await page.goto(`${server.url}/w/mailshop/boards/new`)
        await page.fill('input[name=name]', '名刺 100枚')
        await page.fill('input[name=customer_name]', '山田 太郎')
        await page.fill('input[name=customer_email]', 'yamada@example.jp')
        await page.click('main button[type=submit]')
        await page.waitForURL(/\/boards\/[0-9a-f-]{36}$/)
        const boardId = page.url().split('/').at(-1)!
        const board = await testApp.deps.db
          .selectFrom('boards')
          .selectAll()
          .where('id', '=', boardId)
          .executeTakeFirstOrThrow()
        const to = (await replyAddress(testApp.deps.config, board))!
        await postRaw(
          testApp,
          rawEmail({
            to,
            subject: '自動応答: チャットボード通知【テスト】',
            body: '12月7日まで不在です。',
            headers: ['Thread-Index: AQHbQtHEs1w2'],
          }),
        )
        await postRaw(testApp, rawEmail({ to, subject: 'Re: 通知', body: '> 引用だけ' }))

        await page.reload()
        const lines = page.locator('#inbound-mail li')
        await expect.poll(() => lines.count(), { timeout: 10_000 }).toBe(2)
        expect(await page.locator('#inbound-mail').textContent()).toContain(
          '自動応答を受信しました',
        )
        expect(await page.locator('#inbound-mail').textContent()).toContain(
          '受信したメールを表示できませんでした',
        )
        await page.locator('#inbound-mail').scrollIntoViewIfNeeded()
        await page.screenshot({ path: `${SHOTS}/inbound-lines-${width}.png`, fullPage: true })
        expect(await horizontalOverflow(page)).toBe(0)
        expect(await axeViolations(page)).toEqual([])
        const href = await page.locator('#inbound-mail a[download]').getAttribute('href')
        const download = await page.request.get(`${server.url}${href}`)
        expect(download.status()).toBe(200)
        expect(await download.text()).toContain('Subject:')
        expect(errors).toEqual([])
      } finally {
        await server.close()
      }
    },
  )
})
