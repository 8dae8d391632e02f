import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { saveCareSettings } from '../../src/business-hours/business-hours.usecases'
import { DEFAULT_WEEK } from '../../src/business-hours/business-hours'
import {
  axeViolations,
  horizontalOverflow,
  logInThroughForm,
  SHOTS,
  startTestServer,
  useChromium,
} from '../helpers/browser'
import { findBoard, linkPath, setupBoard } from '../routes/guest.helpers'
import { linksFor } from '../routes/ratings.helpers'

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }
const DESKTOP = { viewport: { width: 1366, height: 900 } }

async function layoutAndAxe(page: Page, shot: string) {
  await page.screenshot({ path: `${SHOTS}/${shot}.png`, fullPage: true })
  expect(await horizontalOverflow(page)).toBe(0)
  expect(await axeViolations(page)).toEqual([])
}

describe('rating after 完了 on the customer page (Chromium)', () => {
  const chromium = useChromium()

  it('phone: a customer writes off-hours, sees the automatic answer, then after 完了 rates 4 with a comment', async () => {
    const setup = await setupBoard({ name: 'さくら印刷' })
    const { testApp, member, staffUrl, boardId, workspace } = setup
    await member.post(`${staffUrl}/messages`, { body: '校正データをお送りします。' })
    await saveCareSettings({
      deps: testApp.deps,
      workspace: { id: workspace.id },
      input: {
        week: DEFAULT_WEEK.map((day) => [...day]),
        japaneseHolidays: true,
        autoAnswer: true,
        autoAnswerDelayMinutes: null,
        autoAnswerText: null,
        welcome: false,
        welcomeText: null,
        rating: true,
        ratingQuestion: null,
      },
    })
    testApp.clock.set('2026-11-28T19:00:00+09:00') // Saturday evening: closed
    const server = await startTestServer(testApp)
    const phoneContext = await chromium.browser.newContext(PHONE)
    const desktopContext = await chromium.browser.newContext(DESKTOP)
    try {
      const phone = await phoneContext.newPage()
      phone.setDefaultTimeout(10_000)
      await phone.goto(`${server.url}${await linkPath(testApp, boardId)}`)
      await phone.waitForURL(/\/g\/[\w-]+$/)
      // not done yet: the customer could end it themselves
      await phone.getByRole('button', { name: '✓ 解決しました' }).waitFor()
      await phone.fill('textarea[name=body]', 'マット紙でお願いします。')
      await phone.locator('#guest-composer button[type=submit]').click()
      await phone.getByText('マット紙でお願いします。').waitFor()
      const answer = phone.locator('#guest-auto-answer.guest-auto')
      await answer.waitFor({ timeout: 15_000 })
      expect(await answer.textContent()).toContain('11月30日(月) 9:00以降')

      // Monday: the shop confirms the customer's No.2, the board is 完了.
      testApp.clock.set('2026-11-30T10:00:00+09:00')
      const decided = await member.post(`${staffUrl}/messages`, {
        body: 'No.2 の内容で確定いたしました。',
        decides_no: '2',
      })
      expect(decided.status).toBe(303)
      await testApp.drain()

      await phone.goto(`${server.url}/g/${boardId}`)
      const prompt = phone.getByRole('group', { name: 'ご対応はいかがでしたか？' })
      await prompt.waitFor()
      expect(await prompt.getByRole('radio').count()).toBe(5)
      expect(await phone.getByRole('button', { name: '✓ 解決しました' }).count()).toBe(0)
      await phone.locator('#rating').scrollIntoViewIfNeeded()
      await phone.screenshot({ path: `${SHOTS}/rating-prompt-390.png` })
      await layoutAndAxe(phone, 'rating-prompt-390-full')

      await prompt.getByRole('radio', { name: '4 満足' }).check()
      await phone.getByLabel('コメント（任意）').fill('迅速に対応いただき助かりました。')
      await phone.getByRole('button', { name: '評価を送る' }).click()
      await phone.getByRole('heading', { name: 'ご評価ありがとうございました。' }).waitFor()
      expect(await findBoard(testApp, boardId)).toMatchObject({
        status: 'done',
        rating_score: 4,
        rating_comment: '迅速に対応いただき助かりました。',
      })
      await phone.locator('#rating').scrollIntoViewIfNeeded()
      await phone.screenshot({ path: `${SHOTS}/rating-thanks-390.png` })
      await layoutAndAxe(phone, 'rating-thanks-390-full')

      // The email's one-click "5": the confirmation page with 5 chosen, nothing recorded.
      const five = linksFor(testApp, boardId)[4]!
      await phone.goto(five.replace(testApp.deps.config.baseUrl, server.url))
      await phone.waitForURL(/\/rating\?score=5$/)
      expect(await phone.getByRole('radio', { name: '5 とても満足' }).isChecked()).toBe(true)
      expect((await findBoard(testApp, boardId)).rating_score).toBe(4)
      await layoutAndAxe(phone, 'rating-confirm-390')

      // 1366 px: the same pages, and the staff side (board panel and list badge).
      const desk = await desktopContext.newPage()
      desk.setDefaultTimeout(10_000)
      await desk.goto(five.replace(testApp.deps.config.baseUrl, server.url))
      await desk.waitForURL(/\/rating\?score=5$/)
      await layoutAndAxe(desk, 'rating-confirm-1366')
      await desk.goto(`${server.url}/g/${boardId}`)
      await desk.getByRole('heading', { name: 'ご評価ありがとうございました。' }).waitFor()
      await desk.getByText('評価を変更する').first().click() // opens the change form
      await layoutAndAxe(desk, 'rating-thanks-1366')

      const staff = await desktopContext.newPage()
      staff.setDefaultTimeout(10_000)
      await logInThroughForm(staff, server.url, {
        email: setup.memberEmail,
        password: 'correct horse battery',
        slug: workspace.slug,
      })
      await staff.getByText('満足度 4/5').waitFor()
      await layoutAndAxe(staff, 'rating-list-1366')
      await staff.goto(`${server.url}${staffUrl}`)
      await staff.getByRole('heading', { name: 'お客様の満足度' }).waitFor()
      expect(await staff.locator('.rating-record').textContent()).toContain('4/5 満足')
      await layoutAndAxe(staff, 'rating-staff-board-1366')

      const staffPhone = await phoneContext.newPage()
      staffPhone.setDefaultTimeout(10_000)
      await logInThroughForm(staffPhone, server.url, {
        email: setup.memberEmail,
        password: 'correct horse battery',
        slug: workspace.slug,
      })
      await layoutAndAxe(staffPhone, 'rating-list-390')
      await staffPhone.goto(`${server.url}${staffUrl}`)
      await staffPhone.getByRole('heading', { name: 'お客様の満足度' }).waitFor()
      await layoutAndAxe(staffPhone, 'rating-staff-board-390')
    } finally {
      await phoneContext.close()
      await desktopContext.close()
      await server.close()
    }
  }, 180_000)

  it('phone: 「解決しました」 ends the board and asks for the rating; staff see who ended it', async () => {
    const setup = await setupBoard({ name: 'さくら印刷' })
    const { testApp, member, staffUrl, boardId, workspace } = setup
    await member.post(`${staffUrl}/messages`, { body: 'ご注文の品を発送しました。' })
    await saveCareSettings({
      deps: testApp.deps,
      workspace: { id: workspace.id },
      input: {
        week: DEFAULT_WEEK.map((day) => [...day]),
        japaneseHolidays: true,
        autoAnswer: false,
        autoAnswerDelayMinutes: null,
        autoAnswerText: null,
        welcome: false,
        welcomeText: null,
        rating: true,
        ratingQuestion: null,
      },
    })
    const server = await startTestServer(testApp)
    const context = await chromium.browser.newContext(PHONE)
    try {
      const phone = await context.newPage()
      phone.setDefaultTimeout(10_000)
      await phone.goto(`${server.url}${await linkPath(testApp, boardId)}`)
      await phone.waitForURL(/\/g\/[\w-]+$/)
      const settle = phone.getByRole('button', { name: '✓ 解決しました' })
      await settle.scrollIntoViewIfNeeded()
      await phone.screenshot({ path: `${SHOTS}/settle-390.png` })
      await layoutAndAxe(phone, 'settle-390-full')
      await settle.click()
      await phone.getByText('チャットボードを「完了」にしました。').waitFor()
      await phone.getByRole('group', { name: 'ご対応はいかがでしたか？' }).waitFor()
      expect((await findBoard(testApp, boardId)).status).toBe('done')
      await layoutAndAxe(phone, 'settled-390')

      const staff = await context.newPage()
      staff.setDefaultTimeout(10_000)
      await logInThroughForm(staff, server.url, {
        email: setup.memberEmail,
        password: 'correct horse battery',
        slug: workspace.slug,
      })
      await staff.goto(`${server.url}${staffUrl}`)
      await staff.getByText('お客様が完了にしました').waitFor()
      await layoutAndAxe(staff, 'settled-staff-390')
    } finally {
      await context.close()
      await server.close()
    }
  }, 120_000)
})
