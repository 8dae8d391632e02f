import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { guestUrl } from '../../src/guest/guest.link'
import { recordDelivery } from '../../src/inbound/inbound.delivery'
import { createTestApp, createTestWorkspace, loginAs } from '../helpers/app'
import {
  axeViolations,
  horizontalOverflow,
  launchBrowser,
  logInThroughForm,
  startTestServer,
} from '../helpers/browser'
import { fileBytes, uploadClient } from '../routes/attachments.helpers'

// #15.4 and #15.5 in Chromium: the decision record on the staff board and on the customer's
// page, its print view (one A4 page, both languages), the corrected details with their system
// lines and the re-send offer, at 390 and 1366 px, with axe-core finding nothing.

const SHOTS = 'test-results/screenshots'
const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1366, height: 900 }

describe('the decision record and its print view in Chromium', () => {
  let browser: Browser
  let testApp: ReturnType<typeof createTestApp>
  let server: Awaited<ReturnType<typeof startTestServer>>
  let owner: { email: string; password: string; slug: string }
  let staffUrl: string
  let customerLink: string

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    testApp = createTestApp({ clock: { now: () => new Date() } })
    const created = await createTestWorkspace(testApp, { slug: 'sakura', name: 'さくら印刷' })
    owner = { email: created.email, password: created.password, slug: 'sakura' }
    await testApp.deps.db
      .updateTable('workspaces')
      .set({ contact_email: 'info@sakura.example', contact_phone: '03-1234-5678' })
      .execute()
    const member = await loginAs(testApp, created.email, created.password)
    staffUrl = (
      await member.post('/w/sakura/boards', {
        name: '名刺 100枚（両面カラー・マット紙）',
        customer_name: '山田 太郎',
        customer_email: 'yamada@example.jp',
      })
    ).headers.get('location')!
    const files = uploadClient(testApp, staffUrl, member.cookie, member.csrf)
    const proof = await files.upload(
      'meishi-proof-v2-final.pdf',
      fileBytes(40_000, 3),
      'application/pdf',
    )
    const photo = await files.upload('price-list.xlsx', fileBytes(12_000, 4))
    await member.post(`${staffUrl}/messages`, {
      body: '山田 太郎 様\n\n校正データ v2 をお送りします。\n・用紙: マット 220kg\n・部数: 100枚\n・ロゴ: 左上、幅 18mm\nこの内容でよろしければ「決定」とご返信ください。',
      attachment_ids: `${proof.attachmentId},${photo.attachmentId}`,
    })
    await member.post(`${staffUrl}/messages`, {
      body: 'No.1 の内容で確定いたしました。12月5日(金)に発送いたします。',
      decides_no: '1',
    })
    // edited after the decision: both sides show it, the record keeps the original
    const decided = await testApp.deps.db
      .selectFrom('messages')
      .select('id')
      .where('no', '=', 1)
      .executeTakeFirstOrThrow()
    await member.post(`${staffUrl}/messages/${decided.id}`, {
      body: '山田 太郎 様\n\n校正データ v2 をお送りします（用紙をコート 180kg に変更）。',
    })
    // the address bounced, then was corrected: a system line and the re-send offer
    await testApp.drain()
    const rows = await testApp.deps.db.selectFrom('outbox').select('provider_id').execute()
    await recordDelivery({
      deps: testApp.deps,
      providerId: rows.at(-1)!.provider_id!,
      status: 'bounced',
    })
    await member.post(`${staffUrl}/details`, {
      name: '名刺 100枚（両面カラー・マット紙）',
      customer_name: '山田 太郎',
      customer_email: 'taro.yamada@example.jp',
    })
    const board = await testApp.deps.db.selectFrom('boards').selectAll().executeTakeFirstOrThrow()
    server = await startTestServer(testApp)
    customerLink = (await guestUrl(testApp.deps.config, board)).replace(
      testApp.deps.config.baseUrl,
      server.url,
    )
    browser = await launchBrowser()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  async function clean(page: Page, name: string) {
    const problems: string[] = []
    const overflow = await horizontalOverflow(page)
    if (overflow > 0) problems.push(`${name}: scrolls sideways by ${overflow}px`)
    for (const violation of await axeViolations(page)) problems.push(`${name}: ${violation}`)
    return problems
  }

  /** The print view as Chromium prints it: A4, the number of pages. */
  async function printedPages(page: Page) {
    const pdf = (await page.pdf({ format: 'A4', preferCSSPageSize: true })).toString('latin1')
    return (pdf.match(/\/Type\s*\/Page[^s]/g) ?? []).length
  }

  it('staff: the record in the side panel, the re-send offer at the top, the print view', async () => {
    const problems: string[] = []
    for (const size of [DESKTOP, PHONE]) {
      const context = await browser.newContext({ viewport: size })
      const page = await context.newPage()
      page.setDefaultTimeout(20_000)
      try {
        await logInThroughForm(page, server.url, owner)
        await page.goto(`${server.url}${staffUrl}`)
        await page.locator('#decision-record').waitFor()
        expect(await page.locator('#decision-record').textContent()).toContain('マット 220kg')
        expect(await page.locator('#decision-record .decision-changed').isVisible()).toBe(true)
        expect(await page.locator('.resend-offer').isVisible()).toBe(true)
        const [offerTop, threadTop] = await page.evaluate(() => [
          document.querySelector('.resend-offer')!.getBoundingClientRect().top,
          document.querySelector('#thread')!.getBoundingClientRect().top,
        ])
        expect(offerTop).toBeLessThan(threadTop!)
        expect(await page.locator('.board-event').count()).toBe(1)
        await page.locator('#board-details > summary').click()
        await page.locator('#board-details input[name=customer_email]').waitFor()
        problems.push(...(await clean(page, `staff board @${size.width}`)))
        await page.screenshot({ path: `${SHOTS}/decision-staff-${size.width}.png`, fullPage: true })

        await page.goto(`${server.url}${staffUrl}/decision`)
        problems.push(...(await clean(page, `staff print view @${size.width}`)))
        await page.screenshot({
          path: `${SHOTS}/decision-print-staff-${size.width}.png`,
          fullPage: true,
        })
        if (size === DESKTOP) {
          await page.emulateMedia({ media: 'print' })
          expect(await page.locator('.print-tools').isVisible()).toBe(false)
          expect(await printedPages(page)).toBe(1)
          await page.emulateMedia({ media: 'screen' })
          await page.goto(`${server.url}${staffUrl}/decision?lang=en`)
          expect(await page.getAttribute('html', 'lang')).toBe('en')
          expect(await page.locator('h1').textContent()).toContain('Decision record')
          problems.push(...(await clean(page, 'staff print view en')))
          expect(await printedPages(page)).toBe(1)
          await page.screenshot({ path: `${SHOTS}/decision-print-staff-en.png`, fullPage: true })
        }
      } finally {
        await context.close()
      }
    }
    expect(problems).toEqual([])
  }, 180_000)

  it('customer: the frozen text, who and when, the SHA-256, the edited marker, the print view', async () => {
    const problems: string[] = []
    for (const size of [PHONE, DESKTOP]) {
      const context = await browser.newContext(
        size === PHONE ? { viewport: size, isMobile: true, hasTouch: true } : { viewport: size },
      )
      const page = await context.newPage()
      page.setDefaultTimeout(20_000)
      try {
        await page.goto(customerLink)
        await page.waitForURL(/\/g\/[\w-]+$/)
        const record = page.locator('#decision-record')
        await record.waitFor()
        const text = (await record.textContent()) ?? ''
        expect(text).toContain('マット 220kg')
        expect(text).not.toContain('コート 180kg')
        expect(text).toContain('決定した人: オーナー')
        expect(text).toContain('決定後に編集されています')
        expect(text).toContain('meishi-proof-v2-final.pdf')
        expect(await record.locator('.decision-hash code.hash').textContent()).toMatch(
          /^[0-9a-f]{12}$/,
        )
        expect(await page.locator('.guest-decided-changed').isVisible()).toBe(true)
        if (size === PHONE) {
          // a touch screen: "drag and drop" is not offered, only the button
          const coarse = await page.evaluate(() => matchMedia('(pointer: coarse)').matches)
          expect(coarse).toBe(true)
          expect(await page.locator('.upload-drag-text').isVisible()).toBe(false)
          // (a full-page capture drops the touch emulation: the element is captured as it is)
          await page
            .locator('#guest-composer')
            .screenshot({ path: `${SHOTS}/decision-customer-390-composer.png` })
        } else {
          expect(await page.locator('.upload-drag-text').isVisible()).toBe(true)
        }
        problems.push(...(await clean(page, `customer page @${size.width}`)))
        await page.screenshot({
          path: `${SHOTS}/decision-customer-${size.width}.png`,
          fullPage: true,
        })

        await page.locator('.decision-print a').click()
        await page.waitForURL(/\/decision$/)
        await page.locator('.record-sheet').waitFor()
        problems.push(...(await clean(page, `customer print view @${size.width}`)))
        await page.screenshot({
          path: `${SHOTS}/decision-print-customer-${size.width}.png`,
          fullPage: true,
        })
        if (size === DESKTOP) {
          expect(await printedPages(page)).toBe(1)
          await page.locator('.print-tools a[lang=en]').click()
          await page.waitForURL(/lang=en$/)
          expect(await page.locator('h1').textContent()).toContain('Decision record')
          problems.push(...(await clean(page, 'customer print view en')))
          expect(await printedPages(page)).toBe(1)
        }
      } finally {
        await context.close()
      }
    }
    expect(problems).toEqual([])
  }, 180_000)
})
